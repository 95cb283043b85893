//! The fetch layer: one client, one generic request function, one typed
//! function per Cases endpoint.

mod cases;
mod client;
mod error;

pub(crate) use cases::PATH_SEGMENT;
pub use cases::{AssignRequest, ChangeStatusRequest};
pub use client::{ApiClient, ClientSettings, Credentials, RequestKind};
pub use error::{ApiError, UnauthorizedReason, ValidationProblem, field_key, parse_retry_after};
