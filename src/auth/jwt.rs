//! Reading a JWT's payload. The signature is not checked: the API enforces
//! access, and the app only uses the claims to shape its UI.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::{DateTime, Utc};
use serde_json::{Map, Value};

/// The claims the app uses, read from a token's payload.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct TokenClaims {
    /// When the token stops being valid (`exp`).
    pub expires_at: Option<DateTime<Utc>>,
    /// The agent's display name (`name`, `unique_name`, or `preferred_username`).
    pub display_name: Option<String>,
    /// The agent's user id (`sub`, `oid`, or the .NET name-identifier claim).
    pub user_id: Option<String>,
    /// The whole payload, kept so role claims can be read by configured name.
    pub payload: Map<String, Value>,
}

const NAME_IDENTIFIER_CLAIM: &str =
    "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/nameidentifier";
const NAME_CLAIM: &str = "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/name";

impl TokenClaims {
    /// Tells whether the token's expiry has passed at `now`.
    pub fn is_expired(&self, now: DateTime<Utc>) -> bool {
        self.expires_at.is_some_and(|expiry| expiry <= now)
    }

    /// Collects the string values of the named claims, each a string or an
    /// array of strings.
    pub fn claim_values(&self, claim_names: &[String]) -> Option<Vec<String>> {
        let mut found = false;
        let mut values = Vec::new();

        for name in claim_names {
            match self.payload.get(name) {
                Some(Value::String(value)) => {
                    found = true;
                    values.push(value.clone());
                }
                Some(Value::Array(items)) => {
                    found = true;
                    values.extend(items.iter().filter_map(Value::as_str).map(str::to_owned));
                }
                _ => {}
            }
        }

        found.then_some(values)
    }
}

/// Returns the token in pasted text: trimmed, and without the `Bearer `
/// scheme that agents often copy along from an `Authorization` header, which
/// the app adds itself.
pub fn pasted_token(text: &str) -> &str {
    let text = text.trim();

    match text.get(..7) {
        Some(scheme) if scheme.eq_ignore_ascii_case("bearer ") => text[7..].trim_start(),
        _ => text,
    }
}

/// Decodes a token's payload; returns `None` for anything that is not a JWT.
pub fn decode_claims(token: &str) -> Option<TokenClaims> {
    let mut parts = token.trim().split('.');
    let (_header, payload, _signature) = (parts.next()?, parts.next()?, parts.next()?);

    if parts.next().is_some() {
        return None;
    }

    // Some issuers pad base64url; the standard form has no padding.
    let bytes = URL_SAFE_NO_PAD.decode(payload.trim_end_matches('=')).ok()?;
    let Value::Object(payload) = serde_json::from_slice::<Value>(&bytes).ok()? else {
        return None;
    };

    let string_claim = |names: &[&str]| {
        names
            .iter()
            .find_map(|name| payload.get(*name).and_then(Value::as_str))
            .map(str::to_owned)
    };

    let expires_at = payload
        .get("exp")
        .and_then(Value::as_f64)
        .and_then(|seconds| DateTime::from_timestamp(seconds as i64, 0));

    Some(TokenClaims {
        expires_at,
        display_name: string_claim(&["name", "unique_name", "preferred_username", NAME_CLAIM]),
        user_id: string_claim(&["sub", "oid", NAME_IDENTIFIER_CLAIM]),
        payload,
    })
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use chrono::TimeZone;
    use serde_json::json;

    #[test]
    fn pasted_token_loses_bearer_scheme() {
        assert_eq!(pasted_token("  Bearer abc.def.ghi \n"), "abc.def.ghi");
        assert_eq!(pasted_token("bearer   abc.def.ghi"), "abc.def.ghi");
        assert_eq!(pasted_token("BEARER abc"), "abc");
    }

    #[test]
    fn pasted_token_keeps_other_text() {
        assert_eq!(pasted_token(" abc.def.ghi "), "abc.def.ghi");
        assert_eq!(pasted_token("Bearerabc"), "Bearerabc");
        assert_eq!(pasted_token("Bear"), "Bear");
        assert_eq!(pasted_token("Ünïcode token"), "Ünïcode token");
    }

    /// Builds an unsigned token around a payload.
    pub(crate) fn token_with(payload: Value) -> String {
        let header = URL_SAFE_NO_PAD.encode(br#"{"alg":"HS256","typ":"JWT"}"#);
        let body = URL_SAFE_NO_PAD.encode(payload.to_string());
        format!("{header}.{body}.signature")
    }

    #[test]
    fn decodes_standard_claims() {
        let token =
            token_with(json!({"sub": "agent-ada", "name": "Ada Lovelace", "exp": 1_900_000_000}));

        let claims = decode_claims(&token).unwrap();

        assert_eq!(claims.user_id.as_deref(), Some("agent-ada"));
        assert_eq!(claims.display_name.as_deref(), Some("Ada Lovelace"));
        assert_eq!(
            claims.expires_at,
            Some(Utc.timestamp_opt(1_900_000_000, 0).unwrap())
        );
    }

    #[test]
    fn decodes_dotnet_claim_names() {
        let token = token_with(json!({
            NAME_IDENTIFIER_CLAIM: "u-7",
            "unique_name": "Grace",
        }));

        let claims = decode_claims(&token).unwrap();

        assert_eq!(claims.user_id.as_deref(), Some("u-7"));
        assert_eq!(claims.display_name.as_deref(), Some("Grace"));
        assert_eq!(claims.expires_at, None);
    }

    #[test]
    fn rejects_non_jwt() {
        assert!(decode_claims("not-a-token").is_none());
        assert!(decode_claims("a.b").is_none());
        assert!(decode_claims("a.b.c.d").is_none());
        assert!(decode_claims("a.!!!.c").is_none());
        assert!(decode_claims(&format!("a.{}.c", URL_SAFE_NO_PAD.encode("[1,2]"))).is_none());
    }

    #[test]
    fn accepts_padded_payload() {
        let body = base64::engine::general_purpose::URL_SAFE.encode(r#"{"sub":"x"}"#);

        let claims = decode_claims(&format!("h.{body}.s")).unwrap();

        assert_eq!(claims.user_id.as_deref(), Some("x"));
    }

    #[test]
    fn expiry_check() {
        let token = token_with(json!({"exp": 1_000}));
        let claims = decode_claims(&token).unwrap();

        assert!(claims.is_expired(Utc.timestamp_opt(1_000, 0).unwrap()));
        assert!(!claims.is_expired(Utc.timestamp_opt(999, 0).unwrap()));
    }

    #[test]
    fn claim_values_string_and_array() {
        let token = token_with(json!({"role": "CaseRead", "roles": ["CaseAdmin", 3]}));
        let claims = decode_claims(&token).unwrap();

        let values = claims
            .claim_values(&["role".into(), "roles".into()])
            .unwrap();

        assert_eq!(values, vec!["CaseRead", "CaseAdmin"]);
        assert!(claims.claim_values(&["groups".into()]).is_none());
    }
}
