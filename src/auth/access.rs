//! The access level a token grants, from role claims whose names and values
//! are deployment settings.

use serde::Deserialize;

use super::jwt::decode_claims;

/// Level of access to cases.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum AccessLevel {
    /// No case access: the token carries roles, none of them for cases.
    None,
    /// Read cases and search.
    Read,
    /// Read and also create, edit, assign, change status and delete.
    Admin,
}

impl AccessLevel {
    pub fn label(self) -> &'static str {
        match self {
            Self::None => "no case access",
            Self::Read => "read-only",
            Self::Admin => "case admin",
        }
    }
}

/// Which claims carry roles and which role values grant what.
///
/// Omnium pairs Read and Admin roles per area and has `ApiOwner` for full
/// access. The names `CaseRead`/`CaseAdmin` and the claim names are the
/// project's assumptions about how an issuer writes them, hence settings.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase", default, deny_unknown_fields)]
pub struct RoleSettings {
    pub claim_names: Vec<String>,
    pub read_roles: Vec<String>,
    pub admin_roles: Vec<String>,
    pub owner_roles: Vec<String>,
}

impl Default for RoleSettings {
    fn default() -> Self {
        Self {
            claim_names: vec![
                "role".into(),
                "roles".into(),
                "http://schemas.microsoft.com/ws/2008/06/identity/claims/role".into(),
            ],
            read_roles: vec!["CaseRead".into()],
            admin_roles: vec!["CaseAdmin".into()],
            owner_roles: vec!["ApiOwner".into()],
        }
    }
}

/// Computes the access level of a token.
///
/// A token that is not a JWT, or carries no role claim at all, gets read
/// access: the API decides, and admin actions stay hidden until it proves
/// otherwise. A token whose role claims name no case role gets none.
pub fn access_level(token: &str, settings: &RoleSettings) -> AccessLevel {
    let Some(claims) = decode_claims(token) else {
        return AccessLevel::Read;
    };

    let Some(roles) = claims.claim_values(&settings.claim_names) else {
        return AccessLevel::Read;
    };

    let has_any = |wanted: &[String]| {
        roles
            .iter()
            .any(|role| wanted.iter().any(|name| name.eq_ignore_ascii_case(role)))
    };

    if has_any(&settings.owner_roles) || has_any(&settings.admin_roles) {
        return AccessLevel::Admin;
    }

    if has_any(&settings.read_roles) {
        return AccessLevel::Read;
    }

    AccessLevel::None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::auth::jwt::tests::token_with;
    use serde_json::json;

    fn level(payload: serde_json::Value) -> AccessLevel {
        access_level(&token_with(payload), &RoleSettings::default())
    }

    #[test]
    fn role_string_admin() {
        assert_eq!(level(json!({"role": "CaseAdmin"})), AccessLevel::Admin);
    }

    #[test]
    fn role_string_read() {
        assert_eq!(level(json!({"role": "CaseRead"})), AccessLevel::Read);
    }

    #[test]
    fn roles_array_admin() {
        assert_eq!(
            level(json!({"roles": ["OrderRead", "CaseAdmin"]})),
            AccessLevel::Admin
        );
    }

    #[test]
    fn microsoft_claim_name() {
        let claim = "http://schemas.microsoft.com/ws/2008/06/identity/claims/role";

        assert_eq!(level(json!({claim: ["CaseRead"]})), AccessLevel::Read);
    }

    #[test]
    fn api_owner_is_admin() {
        assert_eq!(level(json!({"role": "ApiOwner"})), AccessLevel::Admin);
    }

    #[test]
    fn other_roles_only_is_none() {
        assert_eq!(
            level(json!({"role": ["OrderRead", "CustomerAdmin"]})),
            AccessLevel::None
        );
    }

    #[test]
    fn no_role_claim_is_read() {
        assert_eq!(level(json!({"sub": "x"})), AccessLevel::Read);
    }

    #[test]
    fn malformed_token_is_read() {
        assert_eq!(
            access_level("opaque-token", &RoleSettings::default()),
            AccessLevel::Read
        );
    }

    #[test]
    fn expired_token_keeps_its_level() {
        // Expiry is checked before sending, not here.
        assert_eq!(
            level(json!({"role": "CaseAdmin", "exp": 1})),
            AccessLevel::Admin
        );
    }

    #[test]
    fn configured_claim_and_values() {
        let settings = RoleSettings {
            claim_names: vec!["groups".into()],
            read_roles: vec!["support-readers".into()],
            admin_roles: vec!["support-leads".into()],
            owner_roles: vec![],
        };
        let token = token_with(json!({"groups": ["support-leads"], "role": "CaseRead"}));

        assert_eq!(access_level(&token, &settings), AccessLevel::Admin);

        let read_token = token_with(json!({"groups": "support-readers"}));

        assert_eq!(access_level(&read_token, &settings), AccessLevel::Read);

        let default_names = token_with(json!({"role": "CaseAdmin"}));

        assert_eq!(access_level(&default_names, &settings), AccessLevel::Read);
    }
}
