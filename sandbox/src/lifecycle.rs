//! The rules a case follows when it is created or changed: status history,
//! resolved and closed dates, note counters and input validation.

use email_address::EmailAddress;

use crate::model::{CasePatch, Comment, OmniumCase, StatusLogItem};
use crate::problem::{FieldErrors, Problem};
use crate::settings::Settings;
use crate::timestamp::Timestamp;

/// Comment type of public notes.
pub const PUBLIC_NOTE: &str = "Public";
/// Comment type of internal notes.
pub const INTERNAL_NOTE: &str = "Internal";

/// The user making a change, taken from the token.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Author {
    pub user_id: String,
    pub name: String,
}

/// Sets a case's status at `now`, appending to its status log and keeping
/// `resolvedDate` and `closedDate` in step. Setting the current status again
/// changes nothing.
///
/// Reaching the resolved or closed status sets its date. Moving to a status
/// whose level is below the resolved or closed status (a reopen) clears that
/// date again.
pub fn change_status(case: &mut OmniumCase, status: &str, now: Timestamp, settings: &Settings) {
    let unchanged = case.status.as_deref() == Some(status) && !case.case_status_log.is_empty();
    if unchanged {
        return;
    }

    let duration = case
        .case_status_log
        .last()
        .map(|previous| now.millis_since(&previous.timestamp).max(0));
    case.case_status_log.push(StatusLogItem {
        status: status.to_owned(),
        timestamp: now,
        duration_since_previous_ms: duration,
    });
    case.status = Some(status.to_owned());

    if status == settings.resolved_status {
        case.resolved_date = Some(now);
    }
    if status == settings.closed_status {
        case.closed_date = Some(now);
    }

    let level = settings.status_level(status);
    let is_below = |other: &str| match (level, settings.status_level(other)) {
        (Some(level), Some(other_level)) => level < other_level,
        _ => false,
    };
    if is_below(&settings.resolved_status) {
        case.resolved_date = None;
    }
    if is_below(&settings.closed_status) {
        case.closed_date = None;
    }
}

/// Gives notes without an id or creation time a fresh one, fills in the
/// comment type from the list a note is in, and recomputes `commentCount`,
/// `lastCommentDate` and `lastCommenterName` over public and internal notes.
///
/// Assumption: a note without a creator was written by the caller, so it
/// gets the token's name and user id, as Omnium's own UI posts notes.
pub fn normalize_notes(case: &mut OmniumCase, author: &Author, now: Timestamp) {
    let fill = |note: &mut Comment, comment_type: &str| {
        if note.id.as_deref().is_none_or(str::is_empty) {
            note.id = Some(uuid::Uuid::new_v4().to_string());
        }
        if note.created.is_none() {
            note.created = Some(now);
        }
        if note.comment_type.is_none() {
            note.comment_type = Some(comment_type.to_owned());
        }
        if note.creator.is_none() {
            note.creator = Some(author.name.clone());
            note.user_id.get_or_insert_with(|| author.user_id.clone());
        }
    };
    case.case_notes
        .iter_mut()
        .for_each(|note| fill(note, PUBLIC_NOTE));
    case.internal_notes
        .iter_mut()
        .for_each(|note| fill(note, INTERNAL_NOTE));

    update_comment_counters(case);
}

/// Recomputes `commentCount`, `lastCommentDate` and `lastCommenterName`.
pub fn update_comment_counters(case: &mut OmniumCase) {
    let notes = case.case_notes.iter().chain(&case.internal_notes);
    let latest = notes
        .clone()
        .filter(|note| note.created.is_some())
        .max_by_key(|note| note.created);

    case.comment_count = notes.count() as i32;
    case.last_comment_date = latest.and_then(|note| note.created);
    case.last_commenter_name = latest.and_then(|note| note.creator.clone());
}

/// Checks the fields a stored case must satisfy: a subject, well-formed
/// email addresses and a configured status.
pub fn validate_case(case: &OmniumCase, settings: &Settings) -> Result<(), Problem> {
    let mut errors = FieldErrors::default();

    if case.subject.as_deref().is_none_or(is_blank) {
        errors.add("subject", "The subject field is required.");
    }
    check_email(&mut errors, "customerEmail", case.customer_email.as_deref());
    for (index, participant) in case.participants.iter().enumerate() {
        let field = format!("participants[{index}].email");
        check_email(&mut errors, &field, participant.email.as_deref());
    }
    if let Some(status) = case.status.as_deref() {
        check_status(&mut errors, "status", status, settings);
    }

    errors.into_result()
}

/// Checks the fields of a PATCH body that are present: a blank subject,
/// malformed email addresses and an unknown status are rejected.
pub fn validate_patch(patch: &CasePatch, settings: &Settings) -> Result<(), Problem> {
    let mut errors = FieldErrors::default();

    if patch.subject.as_deref().is_some_and(is_blank) {
        errors.add("subject", "The subject must not be blank.");
    }
    check_email(
        &mut errors,
        "customerEmail",
        patch.customer_email.as_deref(),
    );
    for (index, participant) in patch.participants.iter().flatten().enumerate() {
        let field = format!("participants[{index}].email");
        check_email(&mut errors, &field, participant.email.as_deref());
    }
    if let Some(status) = patch.status.as_deref() {
        check_status(&mut errors, "status", status, settings);
    }

    errors.into_result()
}

/// Adds an error when `status` is not a configured status.
pub fn check_status(errors: &mut FieldErrors, field: &str, status: &str, settings: &Settings) {
    if settings.status_level(status).is_some() {
        return;
    }
    let known = settings.status_names_by_level().join(", ");
    errors.add(
        field,
        format!("Unknown status '{status}'. Use one of: {known}."),
    );
}

fn check_email(errors: &mut FieldErrors, field: &str, email: Option<&str>) {
    let Some(email) = email.filter(|email| !email.is_empty()) else {
        return;
    };
    if !EmailAddress::is_valid(email) {
        errors.add(field, format!("'{email}' is not a valid email address."));
    }
}

fn is_blank(text: &str) -> bool {
    text.trim().is_empty()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Participant;

    fn at(text: &str) -> Timestamp {
        Timestamp::parse(text).unwrap()
    }

    fn author() -> Author {
        Author {
            user_id: "agent-ada".to_owned(),
            name: "Ada Lovelace".to_owned(),
        }
    }

    #[test]
    fn first_status_has_no_duration() {
        let mut case = OmniumCase::default();
        change_status(
            &mut case,
            "New",
            at("2026-03-01T09:00:00Z"),
            &Settings::default(),
        );
        assert_eq!(case.case_status_log.len(), 1);
        assert_eq!(case.case_status_log[0].duration_since_previous_ms, None);
        assert_eq!(case.status.as_deref(), Some("New"));
    }

    #[test]
    fn later_status_records_duration() {
        let settings = Settings::default();
        let mut case = OmniumCase::default();
        change_status(&mut case, "New", at("2026-03-01T09:00:00Z"), &settings);
        change_status(
            &mut case,
            "In Progress",
            at("2026-03-01T09:00:01.5Z"),
            &settings,
        );
        assert_eq!(
            case.case_status_log[1].duration_since_previous_ms,
            Some(1500)
        );
    }

    #[test]
    fn same_status_adds_no_entry() {
        let settings = Settings::default();
        let mut case = OmniumCase::default();
        change_status(&mut case, "New", at("2026-03-01T09:00:00Z"), &settings);
        change_status(&mut case, "New", at("2026-03-01T10:00:00Z"), &settings);
        assert_eq!(case.case_status_log.len(), 1);
    }

    #[test]
    fn resolve_close_and_reopen_move_dates() {
        let settings = Settings::default();
        let mut case = OmniumCase::default();
        change_status(&mut case, "New", at("2026-03-01T09:00:00Z"), &settings);
        change_status(&mut case, "Resolved", at("2026-03-02T09:00:00Z"), &settings);
        assert_eq!(case.resolved_date, Some(at("2026-03-02T09:00:00Z")));
        assert_eq!(case.closed_date, None);

        change_status(&mut case, "Closed", at("2026-03-03T09:00:00Z"), &settings);
        assert_eq!(case.resolved_date, Some(at("2026-03-02T09:00:00Z")));
        assert_eq!(case.closed_date, Some(at("2026-03-03T09:00:00Z")));

        change_status(
            &mut case,
            "In Progress",
            at("2026-03-04T09:00:00Z"),
            &settings,
        );
        assert_eq!(case.resolved_date, None);
        assert_eq!(case.closed_date, None);
    }

    #[test]
    fn reopen_from_closed_to_resolved_keeps_resolved_date() {
        let settings = Settings::default();
        let mut case = OmniumCase::default();
        change_status(&mut case, "Resolved", at("2026-03-02T09:00:00Z"), &settings);
        change_status(&mut case, "Closed", at("2026-03-03T09:00:00Z"), &settings);
        change_status(&mut case, "Resolved", at("2026-03-04T09:00:00Z"), &settings);
        assert_eq!(case.resolved_date, Some(at("2026-03-04T09:00:00Z")));
        assert_eq!(case.closed_date, None);
    }

    #[test]
    fn notes_get_ids_times_and_counters() {
        let now = at("2026-03-05T12:00:00Z");
        let mut case = OmniumCase {
            case_notes: vec![Comment {
                created: Some(at("2026-03-01T00:00:00Z")),
                creator: Some("Zoë Ångström".to_owned()),
                ..Comment::default()
            }],
            internal_notes: vec![Comment::default()],
            ..OmniumCase::default()
        };

        normalize_notes(&mut case, &author(), now);

        assert!(case.case_notes[0].id.is_some());
        assert_eq!(
            case.case_notes[0].comment_type.as_deref(),
            Some(PUBLIC_NOTE)
        );
        assert_eq!(case.internal_notes[0].created, Some(now));
        assert_eq!(
            case.internal_notes[0].comment_type.as_deref(),
            Some(INTERNAL_NOTE)
        );
        assert_eq!(
            case.internal_notes[0].creator.as_deref(),
            Some("Ada Lovelace")
        );
        assert_eq!(case.comment_count, 2);
        assert_eq!(case.last_comment_date, Some(now));
        assert_eq!(case.last_commenter_name.as_deref(), Some("Ada Lovelace"));
    }

    #[test]
    fn counters_clear_without_notes() {
        let mut case = OmniumCase {
            comment_count: 4,
            last_commenter_name: Some("x".to_owned()),
            last_comment_date: Some(at("2026-03-01T00:00:00Z")),
            ..OmniumCase::default()
        };
        update_comment_counters(&mut case);
        assert_eq!(case.comment_count, 0);
        assert_eq!(case.last_comment_date, None);
        assert_eq!(case.last_commenter_name, None);
    }

    #[test]
    fn validation_names_each_bad_field() {
        let case = OmniumCase {
            subject: Some("   ".to_owned()),
            customer_email: Some("not-an-email".to_owned()),
            status: Some("Done".to_owned()),
            participants: vec![Participant {
                email: Some("also@bad@".to_owned()),
                ..Participant::default()
            }],
            ..OmniumCase::default()
        };

        let problem = validate_case(&case, &Settings::default()).unwrap_err();

        assert_eq!(problem.status, 400);
        for field in [
            "subject",
            "customerEmail",
            "status",
            "participants[0].email",
        ] {
            assert!(problem.errors.contains_key(field), "missing {field}");
        }
    }

    #[test]
    fn validation_accepts_empty_optional_email() {
        let case = OmniumCase {
            subject: Some("Parcel lost".to_owned()),
            customer_email: Some(String::new()),
            ..OmniumCase::default()
        };
        assert!(validate_case(&case, &Settings::default()).is_ok());
    }
}
