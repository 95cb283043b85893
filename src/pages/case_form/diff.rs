//! What the agent changed, how to send it, and how to merge it with a
//! colleague's change that landed meanwhile.
//!
//! PATCH applies only non-null fields, so it cannot clear anything. Omnium
//! documents that clearing a text, emptying a list or removing the follow-up
//! needs a full update (PUT), so any cleared field turns the save into a PUT
//! of the freshly read case with the agent's changes applied.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};

use super::fields::{FIELDS, Field, FieldValue, FormValues, non_empty};
use crate::model::{CaseId, OmniumCase, OmniumCasePatch};

/// One field the agent changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Change {
    pub field: Field,
    /// The field held something and now holds nothing.
    pub cleared: bool,
}

/// Lists the fields whose value differs between `baseline` (as the form was
/// opened) and `values` (as the agent left it), in form order.
pub fn changed_fields(baseline: &FormValues, values: &FormValues) -> Vec<Change> {
    FIELDS
        .into_iter()
        .filter_map(|field| {
            let before = baseline.value_of(field);
            let after = values.value_of(field);

            if before == after {
                return None;
            }

            Some(Change {
                field,
                cleared: !before.is_empty() && after.is_empty(),
            })
        })
        .collect()
}

/// Tells whether the changes need a full update because one clears a field.
pub fn needs_full_update(changes: &[Change]) -> bool {
    changes.iter().any(|change| change.cleared)
}

/// The note shown near the save button when the save will be a full
/// update, naming what is cleared; `None` when a PATCH will do.
pub fn full_update_note(changes: &[Change]) -> Option<String> {
    let cleared: Vec<Field> = changes
        .iter()
        .filter(|change| change.cleared)
        .map(|change| change.field)
        .collect();

    if cleared.is_empty() {
        return None;
    }

    let both_assignee_parts =
        cleared.contains(&Field::AssigneeId) && cleared.contains(&Field::AssigneeName);

    let mut phrases: Vec<String> = Vec::new();

    for field in cleared {
        let assignee_part = matches!(field, Field::AssigneeId | Field::AssigneeName);

        if both_assignee_parts && assignee_part {
            if field == Field::AssigneeId {
                phrases.push("the assignee".to_owned());
            }
            continue;
        }

        phrases.push(field.clear_phrase());
    }

    Some(format!(
        "Clearing {} needs a full update; the case will be saved whole.",
        join_words(&phrases)
    ))
}

/// Joins phrases as "a", "a and b" or "a, b and c".
fn join_words(phrases: &[String]) -> String {
    match phrases {
        [] => String::new(),
        [only] => only.clone(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    }
}

/// How a save is sent.
#[derive(Debug, Clone, PartialEq)]
pub enum SavePlan {
    /// Only the changed fields, none of them cleared.
    Patch(OmniumCasePatch),
    /// The freshly read case with the agent's changes applied, because a
    /// change clears a field.
    Put(OmniumCase),
}

/// Chooses between PATCH and PUT and builds the body. `follow_up` is the
/// form's follow-up already converted to UTC (validation does that), and
/// `fresh` is the case as read right before saving.
pub fn plan_save(
    id: &CaseId,
    values: &FormValues,
    changes: &[Change],
    follow_up: Option<DateTime<Utc>>,
    fresh: OmniumCase,
) -> SavePlan {
    if needs_full_update(changes) {
        let mut case = fresh;

        for change in changes {
            apply_field(&mut case, values, change.field, follow_up);
        }

        return SavePlan::Put(case);
    }

    let mut patch = OmniumCasePatch::for_case(id);

    for change in changes {
        set_patch_field(&mut patch, values, change.field, follow_up);
    }

    SavePlan::Patch(patch)
}

/// Builds the body of a create request from the form.
pub fn build_new_case(values: &FormValues, follow_up: Option<DateTime<Utc>>) -> OmniumCase {
    let mut case = OmniumCase::default();

    for field in FIELDS {
        apply_field(&mut case, values, field, follow_up);
    }

    case
}

/// Sets one field of a full case from the form; an empty value clears it.
fn apply_field(
    case: &mut OmniumCase,
    values: &FormValues,
    field: Field,
    follow_up: Option<DateTime<Utc>>,
) {
    let text = |field: Field| values.text(field).and_then(non_empty);
    let list = |field: Field| match values.value_of(field) {
        FieldValue::List(items) => items,
        _ => Vec::new(),
    };

    match field {
        Field::Subject => case.subject = text(field),
        Field::Description => case.description = description(values),
        Field::Status => case.status = text(field),
        Field::Priority => case.priority = text(field),
        Field::Source => case.source = text(field),
        Field::FollowUp => case.follow_up_date = follow_up,
        Field::AssigneeId => case.assigned_to_user_id = text(field),
        Field::AssigneeName => case.assigned_to_name = text(field),
        Field::CustomerId => case.customer_id = text(field),
        Field::CustomerName => case.customer_name = text(field),
        Field::CustomerEmail => case.customer_email = text(field),
        Field::Tags => case.tags = list(field),
        Field::RelatedOrders => case.related_orders = list(field),
        Field::RelatedCustomers => case.related_customers = list(field),
        Field::RelatedProjects => case.related_projects = list(field),
        Field::RelatedCarts => case.related_carts = list(field),
        Field::RelatedSkus => case.related_sku_ids = list(field),
        Field::RelatedProducts => case.related_product_ids = list(field),
        Field::Participants => case.participants = values.participants_model(),
        Field::Properties => case.properties = values.properties_model(),
    }
}

/// Sets one field of a patch from the form. Only called for changes that
/// do not clear, so every value set here is present.
fn set_patch_field(
    patch: &mut OmniumCasePatch,
    values: &FormValues,
    field: Field,
    follow_up: Option<DateTime<Utc>>,
) {
    let text = |field: Field| values.text(field).and_then(non_empty);
    let list = |field: Field| match values.value_of(field) {
        FieldValue::List(items) => Some(items),
        _ => None,
    };

    match field {
        Field::Subject => patch.subject = text(field),
        Field::Description => patch.description = description(values),
        Field::Status => patch.status = text(field),
        Field::Priority => patch.priority = text(field),
        Field::Source => patch.source = text(field),
        Field::FollowUp => patch.follow_up_date = follow_up,
        Field::AssigneeId => patch.assigned_to_user_id = text(field),
        Field::AssigneeName => patch.assigned_to_name = text(field),
        Field::CustomerId => patch.customer_id = text(field),
        Field::CustomerName => patch.customer_name = text(field),
        Field::CustomerEmail => patch.customer_email = text(field),
        Field::Tags => patch.tags = list(field),
        Field::RelatedOrders => patch.related_orders = list(field),
        Field::RelatedCustomers => patch.related_customers = list(field),
        Field::RelatedProjects => patch.related_projects = list(field),
        Field::RelatedCarts => patch.related_carts = list(field),
        Field::RelatedSkus => patch.related_sku_ids = list(field),
        Field::RelatedProducts => patch.related_product_ids = list(field),
        Field::Participants => patch.participants = Some(values.participants_model()),
        Field::Properties => patch.properties = Some(values.properties_model()),
    }
}

/// The description as typed, keeping inner line breaks and indentation;
/// `None` when it is only whitespace.
fn description(values: &FormValues) -> Option<String> {
    let text = values.description.trim_end();

    (!text.trim().is_empty()).then(|| text.to_owned())
}

/// One field that differs between the agent's form and the case as it is
/// now on the server.
#[derive(Debug, Clone, PartialEq)]
pub struct ConflictRow {
    pub field: Field,
    /// The agent's value.
    pub mine: FieldValue,
    /// The server's value.
    pub theirs: FieldValue,
    /// The agent changed this field since opening the form.
    pub changed_by_me: bool,
    /// Someone changed this field on the server since the form was opened.
    pub changed_on_server: bool,
}

/// Whose value a conflicting field keeps.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Choice {
    Mine,
    Theirs,
}

impl ConflictRow {
    /// The merge choice: the agent's value where they changed the field,
    /// the server's everywhere else.
    pub fn merge_choice(&self) -> Choice {
        if self.changed_by_me {
            Choice::Mine
        } else {
            Choice::Theirs
        }
    }
}

/// Lists the fields where the agent's form (`mine`) and the server's case
/// (`theirs`) differ, with who changed each since the form was opened
/// (`baseline`). Fields where both agree are left out.
pub fn conflict_rows(
    baseline: &FormValues,
    mine: &FormValues,
    theirs: &FormValues,
) -> Vec<ConflictRow> {
    FIELDS
        .into_iter()
        .filter_map(|field| {
            let original = baseline.value_of(field);
            let mine = mine.value_of(field);
            let theirs = theirs.value_of(field);

            if mine == theirs {
                return None;
            }

            Some(ConflictRow {
                field,
                changed_by_me: mine != original,
                changed_on_server: theirs != original,
                mine,
                theirs,
            })
        })
        .collect()
}

/// The merge choice of every row.
pub fn merge_choices(rows: &[ConflictRow]) -> BTreeMap<Field, Choice> {
    rows.iter()
        .map(|row| (row.field, row.merge_choice()))
        .collect()
}

/// The same choice for every row.
pub fn uniform_choices(rows: &[ConflictRow], choice: Choice) -> BTreeMap<Field, Choice> {
    rows.iter().map(|row| (row.field, choice)).collect()
}

/// Applies the agent's choices: starts from the agent's form and takes the
/// server's value for every field chosen as theirs. Fields without a choice
/// keep the agent's value, which the server's equals for every field that
/// was not listed as a conflict.
pub fn resolve(
    mine: &FormValues,
    theirs: &FormValues,
    choices: &BTreeMap<Field, Choice>,
) -> FormValues {
    let mut resolved = mine.clone();

    for (field, choice) in choices {
        if *choice == Choice::Theirs {
            resolved.copy_field(theirs, *field);
        }
    }

    resolved
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::super::fields::{ParticipantRow, PropertyRow};
    use super::*;

    fn id() -> CaseId {
        CaseId::new("c-1").unwrap()
    }

    fn opened() -> FormValues {
        FormValues {
            subject: "Parcel lost".into(),
            status: "New".into(),
            priority: "High".into(),
            assigned_to_user_id: "agent-ada".into(),
            assigned_to_name: "Ada Lovelace".into(),
            tags: vec!["shipping".into()],
            follow_up: "2026-03-01T10:30".into(),
            participants: vec![ParticipantRow {
                row: 0,
                name: "Kari".into(),
                email: "kari@example.com".into(),
                ..Default::default()
            }],
            ..Default::default()
        }
    }

    fn stored() -> OmniumCase {
        OmniumCase {
            id: "c-1".into(),
            subject: Some("Parcel lost".into()),
            priority: Some("High".into()),
            assigned_to_user_id: Some("agent-ada".into()),
            assigned_to_name: Some("Ada Lovelace".into()),
            tags: vec!["shipping".into()],
            ..Default::default()
        }
    }

    fn fields(changes: &[Change]) -> Vec<Field> {
        changes.iter().map(|change| change.field).collect()
    }

    #[test]
    fn untouched_form_has_no_changes() {
        assert!(changed_fields(&opened(), &opened()).is_empty());
    }

    #[test]
    fn patch_holds_only_changed_field() {
        let mut values = opened();
        values.subject = "Parcel found".into();

        let changes = changed_fields(&opened(), &values);
        let plan = plan_save(&id(), &values, &changes, None, stored());

        let SavePlan::Patch(patch) = plan else {
            panic!("expected a patch, got {plan:?}");
        };
        assert_eq!(
            serde_json::to_value(&patch).unwrap(),
            json!({"id": "c-1", "subject": "Parcel found"})
        );
    }

    #[test]
    fn patch_sends_whole_changed_list() {
        let mut values = opened();
        values.tags.push("vip".into());
        values.participants[0].role = "Customer".into();

        let changes = changed_fields(&opened(), &values);
        let SavePlan::Patch(patch) = plan_save(&id(), &values, &changes, None, stored()) else {
            panic!("expected a patch");
        };

        assert_eq!(fields(&changes), vec![Field::Tags, Field::Participants]);
        assert_eq!(
            patch.tags,
            Some(vec!["shipping".to_owned(), "vip".to_owned()])
        );
        assert_eq!(
            patch.participants.unwrap()[0].role.as_deref(),
            Some("Customer")
        );
        assert!(patch.subject.is_none());
    }

    #[test]
    fn changed_follow_up_is_sent_as_given() {
        let mut values = opened();
        values.follow_up = "2026-03-02T08:00".into();
        let utc = DateTime::parse_from_rfc3339("2026-03-02T07:00:00Z")
            .unwrap()
            .with_timezone(&Utc);

        let changes = changed_fields(&opened(), &values);
        let SavePlan::Patch(patch) = plan_save(&id(), &values, &changes, Some(utc), stored())
        else {
            panic!("expected a patch");
        };

        assert_eq!(patch.follow_up_date, Some(utc));
    }

    #[test]
    fn whitespace_is_not_a_change() {
        let mut values = opened();
        values.subject = " Parcel lost  ".into();
        values.tags.push("  ".into());

        assert!(changed_fields(&opened(), &values).is_empty());
    }

    #[test]
    fn clearing_is_detected_per_kind() {
        let mut values = opened();
        values.assigned_to_user_id = " ".into();
        values.tags.clear();
        values.follow_up.clear();
        values.participants[0] = ParticipantRow::default();
        values.description = "New text".into();

        let changes = changed_fields(&opened(), &values);

        let cleared: Vec<Field> = changes
            .iter()
            .filter(|change| change.cleared)
            .map(|change| change.field)
            .collect();
        assert_eq!(
            cleared,
            vec![
                Field::FollowUp,
                Field::AssigneeId,
                Field::Tags,
                Field::Participants
            ]
        );
        assert!(needs_full_update(&changes));
    }

    #[test]
    fn filling_an_empty_field_is_not_clearing() {
        let mut values = opened();
        values.customer_email = "kari@example.com".into();

        let changes = changed_fields(&opened(), &values);

        assert!(!needs_full_update(&changes));
        assert_eq!(full_update_note(&changes), None);
    }

    #[test]
    fn clearing_sends_fresh_case_with_changes() {
        let mut values = opened();
        values.assigned_to_user_id.clear();
        values.assigned_to_name.clear();
        values.subject = "Parcel found".into();

        let mut fresh = stored();
        fresh.description = Some("Written by a colleague".into());
        fresh.extra.insert("storeId".into(), json!("oslo"));

        let changes = changed_fields(&opened(), &values);
        let plan = plan_save(&id(), &values, &changes, None, fresh);

        let SavePlan::Put(case) = plan else {
            panic!("expected a full update, got {plan:?}");
        };
        assert_eq!(case.assigned_to_user_id, None);
        assert_eq!(case.assigned_to_name, None);
        assert_eq!(case.subject.as_deref(), Some("Parcel found"));
        assert_eq!(case.description.as_deref(), Some("Written by a colleague"));
        assert_eq!(case.extra["storeId"], json!("oslo"));
        assert_eq!(case.tags, vec!["shipping"]);
    }

    #[test]
    fn full_update_note_names_cleared_fields() {
        let mut values = opened();
        values.assigned_to_user_id.clear();
        values.assigned_to_name.clear();

        let note = full_update_note(&changed_fields(&opened(), &values));

        assert_eq!(
            note.as_deref(),
            Some("Clearing the assignee needs a full update; the case will be saved whole.")
        );

        values.tags.clear();
        values.follow_up.clear();

        let note = full_update_note(&changed_fields(&opened(), &values)).unwrap();

        assert_eq!(
            note,
            "Clearing the follow-up date, the assignee and all tags needs a full update; \
             the case will be saved whole."
        );
    }

    #[test]
    fn new_case_leaves_empty_fields_out() {
        let values = FormValues {
            subject: " Parcel lost ".into(),
            tags: vec!["shipping".into()],
            properties: vec![PropertyRow {
                row: 0,
                key: "Carrier".into(),
                value: "Posten".into(),
                value_type: "String".into(),
                ..Default::default()
            }],
            ..Default::default()
        };

        let case = build_new_case(&values, None);
        let body = serde_json::to_value(&case).unwrap();

        assert_eq!(body["subject"], json!("Parcel lost"));
        assert!(body.get("status").is_none());
        assert!(body.get("followUpDate").is_none());
        assert_eq!(body["properties"][0]["valueType"], json!("String"));
    }

    fn conflict_setup() -> (FormValues, FormValues, FormValues) {
        let baseline = opened();

        let mut mine = opened();
        mine.subject = "Mine".into();
        mine.description = "Both wrote this".into();

        let mut theirs = opened();
        theirs.subject = "Theirs".into();
        theirs.priority = "Critical".into();
        theirs.description = "Both wrote this".into();

        (baseline, mine, theirs)
    }

    #[test]
    fn conflict_lists_only_differing_fields() {
        let (baseline, mine, theirs) = conflict_setup();

        let rows = conflict_rows(&baseline, &mine, &theirs);

        let listed: Vec<Field> = rows.iter().map(|row| row.field).collect();
        assert_eq!(listed, vec![Field::Subject, Field::Priority]);
        assert!(rows[0].changed_by_me && rows[0].changed_on_server);
        assert!(!rows[1].changed_by_me && rows[1].changed_on_server);
        assert_eq!(rows[1].theirs, FieldValue::Text("Critical".into()));
    }

    #[test]
    fn merge_keeps_mine_where_i_changed() {
        let (baseline, mine, theirs) = conflict_setup();
        let rows = conflict_rows(&baseline, &mine, &theirs);

        let resolved = resolve(&mine, &theirs, &merge_choices(&rows));

        assert_eq!(resolved.subject, "Mine");
        assert_eq!(resolved.priority, "Critical");
        assert_eq!(resolved.description, "Both wrote this");
    }

    #[test]
    fn keep_mine_reverts_their_other_changes() {
        let (baseline, mine, theirs) = conflict_setup();
        let rows = conflict_rows(&baseline, &mine, &theirs);

        let resolved = resolve(&mine, &theirs, &uniform_choices(&rows, Choice::Mine));

        assert_eq!(resolved, mine);
        assert_eq!(resolved.priority, "High");
    }

    #[test]
    fn take_theirs_matches_server() {
        let (baseline, mine, theirs) = conflict_setup();
        let rows = conflict_rows(&baseline, &mine, &theirs);

        let resolved = resolve(&mine, &theirs, &uniform_choices(&rows, Choice::Theirs));

        assert!(changed_fields(&theirs, &resolved).is_empty());
    }

    #[test]
    fn resolved_form_saves_against_server_version() {
        let (baseline, mine, theirs) = conflict_setup();
        let rows = conflict_rows(&baseline, &mine, &theirs);
        let resolved = resolve(&mine, &theirs, &merge_choices(&rows));

        let changes = changed_fields(&theirs, &resolved);

        assert_eq!(fields(&changes), vec![Field::Subject]);
    }
}
