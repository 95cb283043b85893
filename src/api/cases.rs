//! The eight Cases endpoints.

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
use serde::Serialize;

use super::client::{ApiClient, RequestKind};
use super::error::ApiError;
use crate::model::{
    CaseId, OmniumCase, OmniumCasePatch, OmniumCaseSearchRequest, OmniumCaseSearchResult,
};

/// Characters left as they are in a path segment (RFC 3986 unreserved).
pub(crate) const PATH_SEGMENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// The body of `POST /api/cases/{id}/assignto`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AssignRequest {
    pub assigned_to_user_id: String,
    pub assigned_to_name: String,
}

/// The body of `POST /api/cases/{id}/changestatus`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ChangeStatusRequest {
    pub status: String,
}

fn case_path(id: &CaseId) -> String {
    format!(
        "/api/cases/{}",
        utf8_percent_encode(id.as_str(), PATH_SEGMENT)
    )
}

fn to_body(value: &impl Serialize) -> Result<String, ApiError> {
    // Serializing these plain structs fails only on a bug, but an error beats
    // a panic in an agent's browser.
    serde_json::to_string(value).map_err(|error| ApiError::MalformedResponse(error.to_string()))
}

impl ApiClient {
    /// `GET /api/cases/{id}`.
    pub async fn get_case(&self, id: &CaseId) -> Result<OmniumCase, ApiError> {
        self.request_json("GET", &case_path(id), None, RequestKind::Read)
            .await
    }

    /// `POST /api/cases`: creates a case and returns it as stored.
    pub async fn create_case(&self, case: &OmniumCase) -> Result<OmniumCase, ApiError> {
        self.request_json(
            "POST",
            "/api/cases",
            Some(to_body(case)?),
            RequestKind::Write,
        )
        .await
    }

    /// `PUT /api/cases`: replaces the whole case, clearing what `case` lacks.
    pub async fn update_case(&self, case: &OmniumCase) -> Result<OmniumCase, ApiError> {
        self.request_json(
            "PUT",
            "/api/cases",
            Some(to_body(case)?),
            RequestKind::Write,
        )
        .await
    }

    /// `PATCH /api/cases`: changes only the fields set in `patch`.
    pub async fn patch_case(&self, patch: &OmniumCasePatch) -> Result<OmniumCase, ApiError> {
        self.request_json(
            "PATCH",
            "/api/cases",
            Some(to_body(patch)?),
            RequestKind::Write,
        )
        .await
    }

    /// `DELETE /api/cases/{id}`: a soft delete.
    pub async fn delete_case(&self, id: &CaseId) -> Result<(), ApiError> {
        self.request_text("DELETE", &case_path(id), None, RequestKind::Write)
            .await
            .map(|_| ())
    }

    /// `POST /api/cases/search`.
    pub async fn search_cases(
        &self,
        request: &OmniumCaseSearchRequest,
    ) -> Result<OmniumCaseSearchResult, ApiError> {
        self.request_json(
            "POST",
            "/api/cases/search",
            Some(to_body(request)?),
            RequestKind::Read,
        )
        .await
    }

    /// `POST /api/cases/{id}/assignto`.
    pub async fn assign_case(
        &self,
        id: &CaseId,
        assignee: &AssignRequest,
    ) -> Result<OmniumCase, ApiError> {
        let path = format!("{}/assignto", case_path(id));

        self.request_json("POST", &path, Some(to_body(assignee)?), RequestKind::Write)
            .await
    }

    /// `POST /api/cases/{id}/changestatus`.
    pub async fn change_status(&self, id: &CaseId, status: &str) -> Result<OmniumCase, ApiError> {
        let path = format!("{}/changestatus", case_path(id));
        let body = ChangeStatusRequest {
            status: status.to_owned(),
        };

        self.request_json("POST", &path, Some(to_body(&body)?), RequestKind::Write)
            .await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn case_path_encodes_id() {
        let id = CaseId::new("a/b c?d").unwrap();

        assert_eq!(case_path(&id), "/api/cases/a%2Fb%20c%3Fd");
    }

    #[test]
    fn assign_body_is_camel_case() {
        let body = to_body(&AssignRequest {
            assigned_to_user_id: "u1".into(),
            assigned_to_name: "Ada".into(),
        })
        .unwrap();

        assert_eq!(body, r#"{"assignedToUserId":"u1","assignedToName":"Ada"}"#);
    }
}
