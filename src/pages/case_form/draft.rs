//! Unsaved form work kept in `localStorage`, so a reload, a crash, a new
//! sign-in or a failed save does not lose it.
//!
//! A draft holds the form's values, the values the form was opened with and
//! the case's `changed` time at opening, so a restored draft still saves
//! only what the agent changed and still notices a colleague's change. It
//! holds nothing from the session: no token, no claims besides the user id
//! in its key.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::fields::FormValues;
use crate::model::CaseId;

/// The draft format; a stored draft of another format is ignored.
const FORMAT: u32 = 1;

/// The prefix of every draft key in `localStorage`.
const KEY_PREFIX: &str = "omnium-cases.draft";

/// Unsaved work on one form.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Draft {
    pub format: u32,
    /// The form as the agent left it.
    pub values: FormValues,
    /// The form as it was opened, to tell the agent's changes apart.
    pub baseline: FormValues,
    /// The case's `changed` when the form was opened; `None` for a new case.
    pub opened_changed: Option<DateTime<Utc>>,
    /// When the draft was last written.
    pub saved_at: DateTime<Utc>,
}

impl Draft {
    /// A draft of the current form, written at `saved_at`.
    pub fn new(
        values: FormValues,
        baseline: FormValues,
        opened_changed: Option<DateTime<Utc>>,
        saved_at: DateTime<Utc>,
    ) -> Self {
        Self {
            format: FORMAT,
            values,
            baseline,
            opened_changed,
            saved_at,
        }
    }

    /// Reads a stored draft; `None` for text that is not a draft of this
    /// format (an old app version's, or damaged).
    pub fn decode(text: &str) -> Option<Draft> {
        let draft: Draft = serde_json::from_str(text).ok()?;

        (draft.format == FORMAT).then_some(draft)
    }

    /// The stored form of the draft.
    pub fn encode(&self) -> String {
        // Plain strings, lists and maps of JSON values always serialize.
        serde_json::to_string(self).unwrap_or_default()
    }
}

/// The storage key of a form's draft: one per signed-in user and case, or
/// per user for the new-case form, so agents sharing a browser never see
/// each other's drafts.
pub fn draft_key(user_id: Option<&str>, case: Option<&CaseId>) -> String {
    let user = user_id.unwrap_or("unknown-user");

    match case {
        Some(id) => format!("{KEY_PREFIX}.{user}.case.{id}"),
        None => format!("{KEY_PREFIX}.{user}.new"),
    }
}

/// Reads the draft stored under `key`, if any.
pub fn load(key: &str) -> Option<Draft> {
    let text = storage()?.get_item(key).ok()??;

    Draft::decode(&text)
}

/// Stores `draft` under `key`. A full or blocked storage is not an error the
/// agent can act on while typing, so it is only logged.
pub fn store(key: &str, draft: &Draft) {
    let Some(storage) = storage() else {
        return;
    };

    if storage.set_item(key, &draft.encode()).is_err() {
        leptos::logging::warn!("could not store the form draft (storage full or blocked)");
    }
}

/// Removes the draft stored under `key`.
pub fn remove(key: &str) {
    if let Some(storage) = storage() {
        let _ = storage.remove_item(key);
    }
}

fn storage() -> Option<web_sys::Storage> {
    if !cfg!(target_arch = "wasm32") {
        return None;
    }

    web_sys::window()?.local_storage().ok()?
}

#[cfg(test)]
mod tests {
    use super::*;

    fn draft() -> Draft {
        let baseline = FormValues {
            subject: "Parcel lost".into(),
            ..Default::default()
        };
        let values = FormValues {
            subject: "Parcel found".into(),
            tags: vec!["vip".into()],
            ..Default::default()
        };
        let at = DateTime::parse_from_rfc3339("2026-03-01T09:15:02.1234567Z")
            .unwrap()
            .with_timezone(&Utc);

        Draft::new(values, baseline, Some(at), at)
    }

    #[test]
    fn draft_round_trips() {
        let draft = draft();

        assert_eq!(Draft::decode(&draft.encode()), Some(draft));
    }

    #[test]
    fn draft_of_other_format_is_ignored() {
        let mut draft = draft();
        draft.format = FORMAT + 1;

        assert_eq!(Draft::decode(&draft.encode()), None);
        assert_eq!(Draft::decode("not json"), None);
    }

    #[test]
    fn draft_with_missing_form_fields_reads() {
        let text = r#"{"format": 1, "values": {"subject": "A"}, "baseline": {},
                       "openedChanged": null, "savedAt": "2026-03-01T09:00:00Z"}"#;

        let draft = Draft::decode(text).unwrap();

        assert_eq!(draft.values.subject, "A");
        assert!(draft.values.tags.is_empty());
    }

    #[test]
    fn keys_separate_users_and_cases() {
        let case = CaseId::new("c-1").unwrap();

        assert_eq!(
            draft_key(Some("agent-ada"), Some(&case)),
            "omnium-cases.draft.agent-ada.case.c-1"
        );
        assert_eq!(
            draft_key(Some("agent-ada"), None),
            "omnium-cases.draft.agent-ada.new"
        );
        assert_ne!(
            draft_key(Some("agent-ada"), Some(&case)),
            draft_key(Some("agent-grace"), Some(&case))
        );
    }
}
