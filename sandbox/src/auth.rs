//! HS256 bearer tokens that the sandbox signs and checks, and the case roles
//! they carry.

use std::collections::BTreeSet;

use axum::http::{HeaderMap, StatusCode, header};
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use serde_json::{Map, Value, json};

use crate::problem::Problem;

/// Secret used when `SANDBOX_JWT_SECRET` is not set. It is public, so tokens
/// signed with it prove nothing outside the sandbox.
pub const DEVELOPMENT_SECRET: &str = "omnium-sandbox-development-secret-not-for-production";

/// Lifetime of the demo tokens: Omnium's tokens are valid for 10 days.
pub const DEMO_TOKEN_LIFETIME_SECONDS: i64 = 10 * 24 * 60 * 60;

/// Role claim names the sandbox reads, as issuers differ.
///
/// Assumption: Omnium tokens carry case roles in one of these claims, as a
/// string or an array of strings.
pub const ROLE_CLAIM_NAMES: [&str; 3] = [
    "role",
    "roles",
    "http://schemas.microsoft.com/ws/2008/06/identity/claims/role",
];

/// Role that may read cases.
pub const CASE_READ: &str = "CaseRead";
/// Role that may read and change cases.
pub const CASE_ADMIN: &str = "CaseAdmin";
/// Role with full access to every API.
pub const API_OWNER: &str = "ApiOwner";

/// Access an endpoint needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// Get and search: `CaseRead`, `CaseAdmin` or `ApiOwner`.
    Read,
    /// Every change: `CaseAdmin` or `ApiOwner`.
    Admin,
}

/// Claim name that a signed token carries its roles in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum RoleClaim {
    /// `role`
    #[default]
    Role,
    /// `roles`
    Roles,
    /// `http://schemas.microsoft.com/ws/2008/06/identity/claims/role`
    Ms,
}

impl RoleClaim {
    fn claim_name(self) -> &'static str {
        match self {
            RoleClaim::Role => ROLE_CLAIM_NAMES[0],
            RoleClaim::Roles => ROLE_CLAIM_NAMES[1],
            RoleClaim::Ms => ROLE_CLAIM_NAMES[2],
        }
    }
}

/// Claims of a token to sign.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TokenRequest {
    pub sub: String,
    pub name: String,
    pub roles: Vec<String>,
    pub role_claim: RoleClaim,
    /// Seconds from now until `exp`; negative values give an expired token.
    pub expires_in_seconds: i64,
    /// Write a single role as a string instead of a one-element array.
    pub single_role_as_string: bool,
}

/// The caller of a request, read from a valid token.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Caller {
    pub sub: String,
    pub name: String,
    pub roles: BTreeSet<String>,
    /// Rate-limit key: one bucket per user id and token.
    pub limit_key: String,
}

impl Caller {
    /// Returns whether the caller's roles grant `access`.
    pub fn has_access(&self, access: Access) -> bool {
        let has = |role: &str| self.roles.contains(role);
        match access {
            Access::Read => has(CASE_READ) || has(CASE_ADMIN) || has(API_OWNER),
            Access::Admin => has(CASE_ADMIN) || has(API_OWNER),
        }
    }

    /// Returns a 403 problem unless the caller has `access`.
    pub fn require(&self, access: Access) -> Result<(), Problem> {
        if self.has_access(access) {
            return Ok(());
        }
        let needed = match access {
            Access::Read => "CaseRead or CaseAdmin",
            Access::Admin => "CaseAdmin",
        };
        Err(Problem::new(
            StatusCode::FORBIDDEN,
            format!(
                "The token of user '{}' lacks the {needed} role this request needs.",
                self.sub
            ),
        ))
    }
}

/// Signs and checks tokens with one HS256 secret.
#[derive(Clone)]
pub struct TokenAuthority {
    encoding: EncodingKey,
    decoding: DecodingKey,
}

impl std::fmt::Debug for TokenAuthority {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter.write_str("TokenAuthority { .. }")
    }
}

impl TokenAuthority {
    /// Creates an authority for `secret`, which must not be empty.
    pub fn new(secret: &str) -> anyhow::Result<Self> {
        Ok(TokenAuthority {
            encoding: EncodingKey::from_secret(secret.as_bytes())?,
            decoding: DecodingKey::from_secret(secret.as_bytes())?,
        })
    }

    /// Creates an authority from `SANDBOX_JWT_SECRET`, or the development
    /// secret when it is unset or empty.
    pub fn from_env() -> anyhow::Result<Self> {
        let secret = std::env::var("SANDBOX_JWT_SECRET")
            .ok()
            .filter(|secret| !secret.is_empty());
        Self::new(secret.as_deref().unwrap_or(DEVELOPMENT_SECRET))
    }

    /// Signs a token.
    pub fn sign(&self, request: &TokenRequest) -> anyhow::Result<String> {
        let now = chrono::Utc::now().timestamp();
        let roles = if request.single_role_as_string && request.roles.len() == 1 {
            json!(request.roles[0])
        } else {
            json!(request.roles)
        };

        let mut claims = Map::new();
        claims.insert("sub".to_owned(), json!(request.sub));
        claims.insert("name".to_owned(), json!(request.name));
        claims.insert("iat".to_owned(), json!(now));
        claims.insert("exp".to_owned(), json!(now + request.expires_in_seconds));
        claims.insert(request.role_claim.claim_name().to_owned(), roles);

        let token = jsonwebtoken::encode(&Header::new(Algorithm::HS256), &claims, &self.encoding)?;
        Ok(token)
    }

    /// Signs the three demo tokens: admin, read-only and no case role.
    pub fn demo_tokens(&self) -> anyhow::Result<DemoTokens> {
        let token = |sub: &str, name: &str, roles: &[&str], single: bool| {
            self.sign(&TokenRequest {
                sub: sub.to_owned(),
                name: name.to_owned(),
                roles: roles.iter().map(|role| role.to_string()).collect(),
                role_claim: RoleClaim::Role,
                expires_in_seconds: DEMO_TOKEN_LIFETIME_SECONDS,
                single_role_as_string: single,
            })
        };

        Ok(DemoTokens {
            admin: token("agent-ada", "Ada Lovelace", &[CASE_READ, CASE_ADMIN], false)?,
            read_only: token("agent-grace", "Grace Hopper", &[CASE_READ], true)?,
            no_role: token("agent-linus", "Linus Pauling", &["OrderRead"], true)?,
        })
    }

    /// Reads the caller from the `Authorization` header.
    ///
    /// Errors: 401 when the header is missing or not a bearer token, or the
    /// token is malformed, badly signed, expired or lacks `sub`.
    pub fn authenticate(&self, headers: &HeaderMap) -> Result<Caller, Problem> {
        let value = headers
            .get(header::AUTHORIZATION)
            .ok_or_else(|| Problem::unauthorized("The Authorization header is missing."))?;
        let value = value
            .to_str()
            .map_err(|_| Problem::unauthorized("The Authorization header is not valid text."))?;

        let token = match value.split_once(' ') {
            Some((scheme, token)) if scheme.eq_ignore_ascii_case("bearer") => token.trim(),
            _ => {
                return Err(Problem::unauthorized(
                    "The Authorization header must be 'Bearer <token>'.",
                ));
            }
        };

        // Assumption: no clock-skew allowance, so a token is rejected the
        // second its `exp` passes and `token --expires-in -1` gives an
        // expired token at once. ASP.NET's own default allows 5 minutes.
        let mut validation = Validation::new(Algorithm::HS256);
        validation.leeway = 0;
        validation.set_required_spec_claims(&["exp", "sub"]);

        let data = jsonwebtoken::decode::<Map<String, Value>>(token, &self.decoding, &validation)
            .map_err(|error| {
            let reason = match error.kind() {
                jsonwebtoken::errors::ErrorKind::ExpiredSignature => {
                    "The token has expired; get a new token."
                }
                jsonwebtoken::errors::ErrorKind::InvalidSignature => {
                    "The token signature is invalid."
                }
                _ => "The token is malformed or invalid.",
            };
            Problem::unauthorized(reason)
        })?;

        let claims = data.claims;
        let text_claim = |name: &str| {
            claims
                .get(name)
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_owned()
        };
        let sub = text_claim("sub");
        if sub.is_empty() {
            return Err(Problem::unauthorized("The token has no 'sub' claim."));
        }

        Ok(Caller {
            limit_key: format!("{sub}\n{token}"),
            name: text_claim("name"),
            roles: read_roles(&claims),
            sub,
        })
    }
}

/// The three demo tokens printed at start.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DemoTokens {
    /// `agent-ada` (Ada Lovelace) with CaseRead and CaseAdmin.
    pub admin: String,
    /// `agent-grace` (Grace Hopper) with CaseRead.
    pub read_only: String,
    /// `agent-linus` (Linus Pauling) with OrderRead only.
    pub no_role: String,
}

/// Collects roles from every role claim name, each a string or an array.
fn read_roles(claims: &Map<String, Value>) -> BTreeSet<String> {
    let mut roles = BTreeSet::new();
    for name in ROLE_CLAIM_NAMES {
        match claims.get(name) {
            Some(Value::String(role)) => {
                roles.insert(role.clone());
            }
            Some(Value::Array(items)) => {
                roles.extend(items.iter().filter_map(Value::as_str).map(str::to_owned));
            }
            _ => {}
        }
    }
    roles
}

#[cfg(test)]
mod tests {
    use axum::http::HeaderValue;

    use super::*;

    fn bearer(token: &str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert(
            header::AUTHORIZATION,
            HeaderValue::from_str(&format!("Bearer {token}")).unwrap(),
        );
        headers
    }

    fn request(roles: &[&str], role_claim: RoleClaim, single: bool) -> TokenRequest {
        TokenRequest {
            sub: "agent-x".to_owned(),
            name: "X".to_owned(),
            roles: roles.iter().map(|role| role.to_string()).collect(),
            role_claim,
            expires_in_seconds: 60,
            single_role_as_string: single,
        }
    }

    #[test]
    fn every_claim_shape_is_read() {
        let authority = TokenAuthority::new("secret").unwrap();
        for claim in [RoleClaim::Role, RoleClaim::Roles, RoleClaim::Ms] {
            for single in [true, false] {
                let token = authority
                    .sign(&request(&[CASE_ADMIN], claim, single))
                    .unwrap();
                let caller = authority.authenticate(&bearer(&token)).unwrap();
                assert!(
                    caller.has_access(Access::Admin),
                    "{claim:?} single={single}"
                );
            }
        }
    }

    #[test]
    fn api_owner_implies_everything() {
        let authority = TokenAuthority::new("secret").unwrap();
        let token = authority
            .sign(&request(&[API_OWNER], RoleClaim::Role, true))
            .unwrap();
        let caller = authority.authenticate(&bearer(&token)).unwrap();
        assert!(caller.has_access(Access::Read));
        assert!(caller.has_access(Access::Admin));
    }

    #[test]
    fn read_role_cannot_write() {
        let authority = TokenAuthority::new("secret").unwrap();
        let token = authority
            .sign(&request(&[CASE_READ], RoleClaim::Role, true))
            .unwrap();
        let caller = authority.authenticate(&bearer(&token)).unwrap();
        assert!(caller.has_access(Access::Read));
        assert_eq!(caller.require(Access::Admin).unwrap_err().status, 403);
    }

    #[test]
    fn expired_token_is_rejected() {
        let authority = TokenAuthority::new("secret").unwrap();
        let mut expired = request(&[CASE_READ], RoleClaim::Role, true);
        expired.expires_in_seconds = -5;
        let token = authority.sign(&expired).unwrap();
        let problem = authority.authenticate(&bearer(&token)).unwrap_err();
        assert_eq!(problem.status, 401);
        assert!(problem.detail.unwrap().contains("expired"));
    }

    #[test]
    fn other_secret_is_rejected() {
        let token = TokenAuthority::new("one")
            .unwrap()
            .sign(&request(&[CASE_READ], RoleClaim::Role, true))
            .unwrap();
        let problem = TokenAuthority::new("two")
            .unwrap()
            .authenticate(&bearer(&token))
            .unwrap_err();
        assert_eq!(problem.status, 401);
        assert!(problem.bearer_challenge);
    }

    #[test]
    fn missing_and_malformed_headers_are_rejected() {
        let authority = TokenAuthority::new("secret").unwrap();
        assert_eq!(
            authority
                .authenticate(&HeaderMap::new())
                .unwrap_err()
                .status,
            401
        );
        assert_eq!(
            authority
                .authenticate(&bearer("abc.def"))
                .unwrap_err()
                .status,
            401
        );
        let mut basic = HeaderMap::new();
        basic.insert(
            header::AUTHORIZATION,
            HeaderValue::from_static("Basic eDp5"),
        );
        assert_eq!(authority.authenticate(&basic).unwrap_err().status, 401);
    }

    #[test]
    fn demo_tokens_carry_expected_users() {
        let authority = TokenAuthority::new("secret").unwrap();
        let tokens = authority.demo_tokens().unwrap();

        let admin = authority.authenticate(&bearer(&tokens.admin)).unwrap();
        assert_eq!(admin.sub, "agent-ada");
        assert_eq!(admin.name, "Ada Lovelace");
        assert!(admin.has_access(Access::Admin));

        let reader = authority.authenticate(&bearer(&tokens.read_only)).unwrap();
        assert_eq!(reader.sub, "agent-grace");
        assert!(reader.has_access(Access::Read));
        assert!(!reader.has_access(Access::Admin));

        let outsider = authority.authenticate(&bearer(&tokens.no_role)).unwrap();
        assert_eq!(outsider.name, "Linus Pauling");
        assert!(!outsider.has_access(Access::Read));
    }
}
