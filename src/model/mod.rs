//! Serde types for the Omnium Cases API, read and write structs apart.
//!
//! Omnium documents its models in PascalCase but sends camelCase, and .NET
//! readers accept either. [`decode`] therefore folds every object key to
//! camelCase before the typed structs see it, so one set of camelCase names
//! reads both casings. Writing always uses camelCase.

mod case;
mod client_id;
mod decode;
mod search;
mod time;

pub use case::{
    CaseId, CommentKind, OmniumCase, OmniumCaseParticipant, OmniumCasePatch,
    OmniumCaseStatusLogItem, OmniumComment, OmniumPropertyItem,
};
pub use client_id::new_client_id;
pub use decode::{DecodeError, StrictDecodeError, decode, decode_strict, normalize_keys};
pub use search::{
    DEFAULT_TAKE, MAX_TAKE, OmniumCaseSearchRequest, OmniumCaseSearchResult, RESULT_WINDOW,
    SortField, SortOrder,
};
pub use time::{format_timestamp, parse_timestamp};
