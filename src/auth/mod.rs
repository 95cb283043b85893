//! The access token: what it says about the agent and what it allows.

mod access;
mod jwt;
mod session;

pub use access::{AccessLevel, RoleSettings, access_level};
pub use jwt::{TokenClaims, decode_claims, pasted_token};
pub use session::{Session, SessionState, TokenSourceKind, TokenStorage};
