//! Unsaved form work kept in `localStorage`, so a reload, a crash, signing
//! in again after the token expired or a failed save does not lose it.
//! Signing out removes the agent's drafts ([`remove_user_drafts`]), the
//! unsent notes of the case page included, which are kept here too.
//!
//! A draft holds the form's values, the values the form was opened with and
//! the case's `changed` time at opening, so a restored draft still saves
//! only what the agent changed and still notices a colleague's change. It
//! holds nothing from the session: no token, no claims besides the user id
//! in its key.

use chrono::{DateTime, Utc};
use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
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
    /// The id the new-case form sends on create, kept so a retry after a
    /// reload finds a case that an earlier attempt created. Absent in
    /// drafts of the edit form and in drafts written before it existed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub new_case_id: Option<String>,
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
            new_case_id: None,
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

/// The user part of draft keys when the token names no user.
const UNKNOWN_USER: &str = "unknown-user";

/// Characters of a user id written as they are in a draft key. Dots and all
/// other characters are percent-encoded, so the user part never contains
/// the dot that separates it from the rest of the key.
const USER_SEGMENT: &AsciiSet = &NON_ALPHANUMERIC.remove(b'-').remove(b'_').remove(b'~');

/// The storage key of a form's draft: one per signed-in user and case, or
/// per user for the new-case form, so agents sharing a browser never see
/// each other's drafts.
pub fn draft_key(user_id: Option<&str>, case: Option<&CaseId>) -> String {
    let user = user_segment(user_id);

    match case {
        Some(id) => format!("{KEY_PREFIX}.{user}.case.{id}"),
        None => format!("{KEY_PREFIX}.{user}.new"),
    }
}

/// Returns the storage key of an unsent note, one per user, case and
/// stream (`kind` is the note type, such as `Public`).
pub fn note_draft_key(user_id: Option<&str>, case: &CaseId, kind: &str) -> String {
    let user = user_segment(user_id);

    format!("{KEY_PREFIX}.{user}.note.{kind}.{case}")
}

fn user_segment(user_id: Option<&str>) -> String {
    let user = user_id.unwrap_or(UNKNOWN_USER);

    utf8_percent_encode(user, USER_SEGMENT).to_string()
}

/// Tells whether `key` is the key of one of `user_id`'s drafts, as
/// [`draft_key`] builds them.
pub fn is_user_draft_key(key: &str, user_id: Option<&str>) -> bool {
    let user = user_segment(user_id);

    let Some(rest) = key
        .strip_prefix(KEY_PREFIX)
        .and_then(|rest| rest.strip_prefix('.'))
        .and_then(|rest| rest.strip_prefix(user.as_str()))
        .and_then(|rest| rest.strip_prefix('.'))
    else {
        return false;
    };

    rest == "new"
        || rest.strip_prefix("case.").is_some_and(|id| !id.is_empty())
        || rest
            .strip_prefix("note.")
            .is_some_and(|note| !note.is_empty())
}

/// Returns the keys of `user_id`'s drafts in `localStorage`.
pub fn user_draft_keys(user_id: Option<&str>) -> Vec<String> {
    let Some(storage) = storage() else {
        return Vec::new();
    };

    let Ok(count) = storage.length() else {
        return Vec::new();
    };

    (0..count)
        .filter_map(|index| storage.key(index).ok().flatten())
        .filter(|key| is_user_draft_key(key, user_id))
        .collect()
}

/// Removes every draft of `user_id` from `localStorage`, so that the next
/// person signing in on a shared browser cannot read unsent case text.
pub fn remove_user_drafts(user_id: Option<&str>) {
    // Keys are collected first, because removing an item renumbers the rest.
    for key in user_draft_keys(user_id) {
        remove(&key);
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

/// Reads the unsent note text stored under `key`, if any.
pub fn load_text(key: &str) -> Option<String> {
    storage()?.get_item(key).ok()?
}

/// Stores unsent note text under `key`, or removes the key when the text is
/// blank. Failures are only logged, as for form drafts.
pub fn store_text(key: &str, text: &str) {
    if text.trim().is_empty() {
        remove(key);
        return;
    }

    let Some(storage) = storage() else {
        return;
    };

    if storage.set_item(key, text).is_err() {
        leptos::logging::warn!("could not store the note draft (storage full or blocked)");
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
    fn draft_keeps_new_case_id() {
        let draft = Draft {
            new_case_id: Some("2f1c3d4e-0000-4000-8000-000000000000".into()),
            ..draft()
        };

        let read = Draft::decode(&draft.encode()).unwrap();

        assert_eq!(read.new_case_id, draft.new_case_id);
    }

    #[test]
    fn draft_without_new_case_id_reads() {
        let text = r#"{"format": 1, "values": {}, "baseline": {},
                       "openedChanged": null, "savedAt": "2026-03-01T09:00:00Z"}"#;

        let draft = Draft::decode(text).unwrap();

        assert_eq!(draft.new_case_id, None);
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

    #[test]
    fn user_draft_keys_match_own_drafts() {
        let case = CaseId::new("c-1").unwrap();
        let dotted = CaseId::new("order.42.case.7").unwrap();

        for key in [
            draft_key(Some("agent-ada"), Some(&case)),
            draft_key(Some("agent-ada"), Some(&dotted)),
            draft_key(Some("agent-ada"), None),
            note_draft_key(Some("agent-ada"), &case, "Internal"),
        ] {
            assert!(is_user_draft_key(&key, Some("agent-ada")), "{key}");
        }
    }

    #[test]
    fn user_draft_keys_skip_other_users() {
        let case = CaseId::new("c-1").unwrap();

        for other in [
            "agent-grace",
            "agent-ad",
            "agent-ada2",
            "agent-ada.lovelace",
            "x.agent-ada",
        ] {
            for key in [
                draft_key(Some(other), Some(&case)),
                draft_key(Some(other), None),
                note_draft_key(Some(other), &case, "Public"),
            ] {
                assert!(!is_user_draft_key(&key, Some("agent-ada")), "{key}");
            }
        }
    }

    #[test]
    fn user_ids_with_dots_stay_apart() {
        let case = CaseId::new("c-1").unwrap();
        let lookalike = draft_key(Some("a.case.c-1"), None);

        assert_eq!(
            draft_key(Some("ada.lovelace"), Some(&case)),
            "omnium-cases.draft.ada%2Elovelace.case.c-1"
        );
        assert!(is_user_draft_key(&lookalike, Some("a.case.c-1")));
        assert!(!is_user_draft_key(&lookalike, Some("a")));
        assert!(!is_user_draft_key(
            &draft_key(Some("a"), Some(&case)),
            Some("a.case.c-1")
        ));
    }

    #[test]
    fn user_draft_keys_skip_other_storage() {
        for key in [
            "omnium-cases.token",
            "omnium-cases.draft",
            "omnium-cases.draft.agent-ada",
            "omnium-cases.draft.agent-ada.",
            "omnium-cases.draft.agent-ada.case.",
            "omnium-cases.draft.agent-ada.newer",
            "omnium-cases.draftagent-ada.new",
            "other-app.draft.agent-ada.new",
        ] {
            assert!(!is_user_draft_key(key, Some("agent-ada")), "{key}");
        }
    }

    #[test]
    fn user_draft_keys_without_user_id() {
        let case = CaseId::new("c-1").unwrap();

        assert!(is_user_draft_key(&draft_key(None, Some(&case)), None));
        assert!(is_user_draft_key(&draft_key(None, None), None));
        assert!(!is_user_draft_key(
            &draft_key(Some("agent-ada"), None),
            None
        ));
        assert!(!is_user_draft_key(
            &draft_key(None, None),
            Some("agent-ada")
        ));
    }
}
