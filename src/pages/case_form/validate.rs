//! The checks run in the browser before saving, and the placement of the
//! API's field errors on the form's controls.
//!
//! Every message names the field and states what to do, because it is read
//! aloud on its own when its control gets focus.

use std::collections::{BTreeMap, HashSet};

use chrono::{DateTime, NaiveDate, TimeZone, Utc};

use super::fields::{
    Field, FollowUpError, FormValues, PARTICIPANT_PARTS, PROPERTY_PARTS, RowPart, parse_follow_up,
    row_input_id,
};
use crate::model::parse_timestamp;

/// A message for one control, keyed by the control's `id`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldMessage {
    pub input_id: String,
    pub message: String,
}

impl FieldMessage {
    fn new(input_id: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            input_id: input_id.into(),
            message: message.into(),
        }
    }
}

/// Values computed during validation, for building the request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Checked {
    /// The follow-up converted from the agent's local time to UTC.
    pub follow_up: Option<DateTime<Utc>>,
}

/// Checks the form: a subject, well-formed email addresses, no duplicate
/// tags, a complete follow-up date, and property values that match their
/// value type. `follow_up_incomplete` is the date control's own report
/// that it contains a partly typed value (its `value` is then empty).
pub fn validate<Tz: TimeZone>(
    values: &FormValues,
    follow_up_incomplete: bool,
    zone: &Tz,
) -> Result<Checked, Vec<FieldMessage>> {
    let mut errors = Vec::new();

    if values.subject.trim().is_empty() {
        errors.push(FieldMessage::new(
            Field::Subject.input_id(),
            "Subject is required. Enter a short summary of the case.",
        ));
    }

    let follow_up = check_follow_up(values, follow_up_incomplete, zone, &mut errors);

    let customer_email = values.customer_email.trim();
    if !customer_email.is_empty() && !is_valid_email(customer_email) {
        errors.push(FieldMessage::new(
            Field::CustomerEmail.input_id(),
            format!(
                "Customer email “{customer_email}” is not a valid email address. Enter an \
                 address such as name@example.com, or leave the field empty."
            ),
        ));
    }

    if let Some(tag) = first_duplicate(&values.tags) {
        errors.push(FieldMessage::new(
            Field::Tags.input_id(),
            format!("Tags: “{tag}” is listed more than once. Remove the duplicate."),
        ));
    }

    for (position, row) in values.participants.iter().enumerate() {
        let email = row.email.trim();

        if !email.is_empty() && !is_valid_email(email) {
            errors.push(FieldMessage::new(
                row_input_id(Field::Participants, row.row, RowPart::Email),
                format!(
                    "Participant {} email “{email}” is not a valid email address. Enter an \
                     address such as name@example.com, or leave it empty.",
                    position + 1
                ),
            ));
        }
    }

    for (position, row) in values.properties.iter().enumerate() {
        let number = position + 1;
        let has_data = !row.value.trim().is_empty() || !row.key_group.trim().is_empty();

        if row.key.trim().is_empty() && has_data {
            errors.push(FieldMessage::new(
                row_input_id(Field::Properties, row.row, RowPart::Key),
                format!("Property {number} key is required. Enter a key, or remove the row."),
            ));
        }

        if let Some(problem) = check_property_value(row.value.trim(), row.value_type.trim()) {
            errors.push(FieldMessage::new(
                row_input_id(Field::Properties, row.row, RowPart::Value),
                format!("Property {number} value “{}” {problem}", row.value.trim()),
            ));
        }
    }

    if errors.is_empty() {
        Ok(Checked { follow_up })
    } else {
        Err(errors)
    }
}

fn check_follow_up<Tz: TimeZone>(
    values: &FormValues,
    incomplete: bool,
    zone: &Tz,
    errors: &mut Vec<FieldMessage>,
) -> Option<DateTime<Utc>> {
    let id = Field::FollowUp.input_id();

    if incomplete {
        errors.push(FieldMessage::new(
            id,
            "Follow-up is not a complete date and time. Fill in the date and the time, or \
             clear the field.",
        ));
        return None;
    }

    match parse_follow_up(&values.follow_up, zone) {
        Ok(follow_up) => follow_up,
        Err(FollowUpError::Malformed) => {
            errors.push(FieldMessage::new(
                id,
                format!(
                    "Follow-up “{}” is not a valid date and time. Enter a date with a \
                     four-digit year and a time, or clear the field.",
                    values.follow_up.trim()
                ),
            ));
            None
        }
        Err(FollowUpError::Nonexistent) => {
            errors.push(FieldMessage::new(
                id,
                format!(
                    "Follow-up “{}” does not exist in your time zone because the clocks \
                     change then. Pick another time.",
                    values.follow_up.trim().replacen('T', " ", 1)
                ),
            ));
            None
        }
    }
}

/// Describes how a property value fails its value type, ending with what to
/// enter; `None` when it fits. Empty values and value types the form does
/// not know are accepted, since Omnium stores every value as text.
pub fn check_property_value(value: &str, value_type: &str) -> Option<&'static str> {
    if value.is_empty() {
        return None;
    }

    if value_type.eq_ignore_ascii_case("Number") {
        let finite = value.parse::<f64>().is_ok_and(f64::is_finite);

        return (!finite)
            .then_some("is not a number. Enter digits with a dot for decimals, such as 12.50.");
    }

    if value_type.eq_ignore_ascii_case("Boolean") {
        let boolean = value.eq_ignore_ascii_case("true") || value.eq_ignore_ascii_case("false");

        return (!boolean).then_some("is not true or false. Enter true or false.");
    }

    if value_type.eq_ignore_ascii_case("DateTime") {
        let date_time = parse_timestamp(value).is_some()
            || NaiveDate::parse_from_str(value, "%Y-%m-%d").is_ok();

        return (!date_time)
            .then_some("is not a date and time. Enter one such as 2026-03-01T09:15:00Z.");
    }

    None
}

/// Returns the first tag that occurs twice, ignoring case and surrounding
/// spaces, as the agent typed it the second time.
pub fn first_duplicate(items: &[String]) -> Option<String> {
    let mut seen = HashSet::new();

    items
        .iter()
        .map(|item| item.trim())
        .filter(|item| !item.is_empty())
        .find(|item| !seen.insert(item.to_lowercase()))
        .map(str::to_owned)
}

/// Checks that an email address is plausible: one `@`, a local part, and a
/// domain of dot-separated labels of letters, digits and hyphens. It is
/// stricter than RFC 5322 (no quoted local parts, no bare host names) on
/// purpose: agents type customer addresses, not exotic ones.
pub fn is_valid_email(text: &str) -> bool {
    let Some((local, domain)) = text.rsplit_once('@') else {
        return false;
    };

    let local_ok = !local.is_empty()
        && local.len() <= 64
        && !local.starts_with('.')
        && !local.ends_with('.')
        && !local.contains("..")
        && local
            .chars()
            .all(|c| !c.is_whitespace() && !c.is_control() && !"@()<>[]:;,\\\"".contains(c));

    let labels: Vec<&str> = domain.split('.').collect();
    let domain_ok = labels.len() >= 2
        && labels.iter().all(|label| {
            !label.is_empty()
                && !label.starts_with('-')
                && !label.ends_with('-')
                && label.chars().all(|c| c.is_alphanumeric() || c == '-')
        });

    local_ok && domain_ok
}

/// The API's field errors placed on controls, and the rest for the alert.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PlacedErrors {
    pub fields: Vec<FieldMessage>,
    /// Messages whose key names no control, already prefixed with the key.
    pub unplaced: Vec<String>,
}

/// Places the API's field errors (keys like `subject`, `customerEmail`,
/// `participants[0].email`) on the form's controls. Row indexes count the
/// rows that were sent, which skip blank rows, so they are mapped back
/// through the form's row keys.
pub fn place_api_errors(
    errors: &BTreeMap<String, Vec<String>>,
    values: &FormValues,
) -> PlacedErrors {
    let mut placed = PlacedErrors::default();

    for (key, messages) in errors {
        let text = messages.join(" ");

        match locate(key, values) {
            Some((input_id, label)) => placed.fields.push(FieldMessage::new(
                input_id,
                format!("{label}: {text} Correct it and save again."),
            )),
            None if key.is_empty() => placed.unplaced.push(text),
            None => placed.unplaced.push(format!("{key}: {text}")),
        }
    }

    placed
}

/// Finds the control an API error key names, with a label for the message.
fn locate(key: &str, values: &FormValues) -> Option<(String, String)> {
    let (name, rest) = match key.find('[') {
        Some(open) => (&key[..open], Some(&key[open + 1..])),
        None => (key, None),
    };

    let field = Field::from_wire_name(name)?;

    let Some(rest) = rest else {
        return Some((field.input_id().to_owned(), field.label().to_owned()));
    };

    let (index, part) = rest.split_once(']')?;
    let index: usize = index.trim().parse().ok()?;
    let part = part.trim_start_matches('.');

    match field {
        Field::Participants => {
            let row = *values.sent_participant_rows().get(index)?;
            let position = position_of(values.participants.iter().map(|row| row.row), row);
            let part = find_part(&PARTICIPANT_PARTS, part);

            Some((
                row_input_id(field, row, part),
                format!("Participant {position} {}", part.label().to_lowercase()),
            ))
        }
        Field::Properties => {
            let row = *values.sent_property_rows().get(index)?;
            let position = position_of(values.properties.iter().map(|row| row.row), row);
            let part = find_part(&PROPERTY_PARTS, part);

            Some((
                row_input_id(field, row, part),
                format!("Property {position} {}", part.label().to_lowercase()),
            ))
        }
        // A list item's error belongs to the list's input.
        field => Some((field.input_id().to_owned(), field.label().to_owned())),
    }
}

/// Finds the part a wire name names, or the row's first part for the whole row.
fn find_part(parts: &[RowPart; 4], wire_name: &str) -> RowPart {
    parts
        .iter()
        .copied()
        .find(|part| part.wire_name().eq_ignore_ascii_case(wire_name))
        .unwrap_or(parts[0])
}

/// Returns the 1-based position of a row key among the form's rows.
fn position_of(rows: impl Iterator<Item = u32>, row: u32) -> usize {
    rows.take_while(|key| *key != row).count() + 1
}

#[cfg(test)]
mod tests {
    use chrono::FixedOffset;

    use super::super::fields::{ParticipantRow, PropertyRow};
    use super::*;

    fn valid() -> FormValues {
        FormValues {
            subject: "Parcel lost".into(),
            ..Default::default()
        }
    }

    fn ids(result: Result<Checked, Vec<FieldMessage>>) -> Vec<String> {
        result
            .unwrap_err()
            .into_iter()
            .map(|error| error.input_id)
            .collect()
    }

    fn messages(result: Result<Checked, Vec<FieldMessage>>) -> Vec<String> {
        result
            .unwrap_err()
            .into_iter()
            .map(|error| error.message)
            .collect()
    }

    #[test]
    fn valid_form_passes() {
        assert_eq!(
            validate(&valid(), false, &Utc),
            Ok(Checked { follow_up: None })
        );
    }

    #[test]
    fn subject_is_required() {
        let mut values = valid();
        values.subject = "   ".into();

        let found = messages(validate(&values, false, &Utc));

        assert_eq!(
            found,
            vec!["Subject is required. Enter a short summary of the case."]
        );
    }

    #[test]
    fn customer_email_must_be_valid() {
        let mut values = valid();
        values.customer_email = "kari@".into();

        let found = validate(&values, false, &Utc).unwrap_err();

        assert_eq!(found[0].input_id, "case-customer-email");
        assert!(found[0].message.starts_with("Customer email “kari@”"));
    }

    #[test]
    fn participant_email_names_row() {
        let mut values = valid();
        values.participants = vec![
            ParticipantRow {
                row: 4,
                email: "ok@example.com".into(),
                ..Default::default()
            },
            ParticipantRow {
                row: 9,
                email: "not an address".into(),
                ..Default::default()
            },
        ];

        let found = validate(&values, false, &Utc).unwrap_err();

        assert_eq!(found.len(), 1);
        assert_eq!(found[0].input_id, "participant-9-email");
        assert!(found[0].message.starts_with("Participant 2 email"));
    }

    #[test]
    fn duplicate_tags_ignore_case() {
        let mut values = valid();
        values.tags = vec!["VIP".into(), "shipping".into(), " vip".into()];

        let found = validate(&values, false, &Utc).unwrap_err();

        assert_eq!(found[0].input_id, "case-tags");
        assert!(found[0].message.contains("“vip” is listed more than once"));
    }

    #[test]
    fn incomplete_follow_up_is_rejected() {
        assert_eq!(ids(validate(&valid(), true, &Utc)), vec!["case-follow-up"]);
    }

    #[test]
    fn malformed_follow_up_is_rejected() {
        let mut values = valid();
        values.follow_up = "2026-02-30T10:00".into();

        let found = messages(validate(&values, false, &Utc));

        assert!(found[0].starts_with("Follow-up “2026-02-30T10:00” is not a valid"));
    }

    #[test]
    fn follow_up_is_converted_to_utc() {
        let mut values = valid();
        values.follow_up = "2026-06-01T12:00".into();
        let zone = FixedOffset::east_opt(2 * 3600).unwrap();

        let checked = validate(&values, false, &zone).unwrap();

        assert_eq!(
            checked.follow_up.unwrap().to_rfc3339(),
            "2026-06-01T10:00:00+00:00"
        );
    }

    #[test]
    fn property_values_match_type() {
        let cases = [
            ("12.50", "Number", true),
            ("-3", "Number", true),
            ("12,50", "Number", false),
            ("NaN", "Number", false),
            ("inf", "Number", false),
            ("true", "Boolean", true),
            ("False", "Boolean", true),
            ("yes", "Boolean", false),
            ("2026-03-01T09:15:02.1234567Z", "DateTime", true),
            ("2026-03-01", "DateTime", true),
            ("next week", "DateTime", false),
            ("anything", "String", true),
            ("anything", "Json", true),
            ("", "Number", true),
        ];

        for (value, value_type, fits) in cases {
            assert_eq!(
                check_property_value(value, value_type).is_none(),
                fits,
                "{value:?} as {value_type}"
            );
        }
    }

    #[test]
    fn property_error_names_row_and_fix() {
        let mut values = valid();
        values.properties = vec![PropertyRow {
            row: 2,
            key: "RefundAmount".into(),
            value: "ten".into(),
            value_type: "Number".into(),
            ..Default::default()
        }];

        let found = validate(&values, false, &Utc).unwrap_err();

        assert_eq!(found[0].input_id, "property-2-value");
        assert_eq!(
            found[0].message,
            "Property 1 value “ten” is not a number. Enter digits with a dot for decimals, \
             such as 12.50."
        );
    }

    #[test]
    fn property_key_required_with_value() {
        let mut values = valid();
        values.properties = vec![PropertyRow {
            row: 0,
            value: "Posten".into(),
            value_type: "String".into(),
            ..Default::default()
        }];

        assert_eq!(ids(validate(&values, false, &Utc)), vec!["property-0-key"]);
    }

    #[test]
    fn email_check() {
        for good in [
            "a@example.com",
            "first.last+tag@sub.example.no",
            "æøå@example.no",
        ] {
            assert!(is_valid_email(good), "{good}");
        }

        for bad in [
            "",
            "a",
            "a@",
            "@example.com",
            "a@example",
            "a b@example.com",
            "a@-x.com",
            "a..b@example.com",
        ] {
            assert!(!is_valid_email(bad), "{bad}");
        }
    }

    #[test]
    fn api_errors_land_on_controls() {
        let mut values = valid();
        values.participants = vec![
            ParticipantRow {
                row: 1,
                ..Default::default()
            },
            ParticipantRow {
                row: 6,
                email: "x@".into(),
                ..Default::default()
            },
        ];
        let errors = BTreeMap::from([
            (
                "subject".to_owned(),
                vec!["The subject field is required.".to_owned()],
            ),
            (
                "participants[0].email".to_owned(),
                vec!["'x@' is not a valid email address.".to_owned()],
            ),
            (
                "status".to_owned(),
                vec!["Unknown status 'Escalated'.".to_owned()],
            ),
            ("marketId".to_owned(), vec!["Unknown market.".to_owned()]),
        ]);

        let placed = place_api_errors(&errors, &values);

        let found: Vec<(&str, &str)> = placed
            .fields
            .iter()
            .map(|error| (error.input_id.as_str(), error.message.as_str()))
            .collect();
        assert_eq!(
            found,
            vec![
                (
                    "participant-6-email",
                    "Participant 2 email: 'x@' is not a valid email address. Correct it and \
                     save again."
                ),
                (
                    "case-status",
                    "Status: Unknown status 'Escalated'. Correct it and save again."
                ),
                (
                    "case-subject",
                    "Subject: The subject field is required. Correct it and save again."
                ),
            ]
        );
        assert_eq!(placed.unplaced, vec!["marketId: Unknown market."]);
    }

    #[test]
    fn api_error_for_missing_row_is_unplaced() {
        let errors = BTreeMap::from([(
            "properties[3].value".to_owned(),
            vec!["Invalid.".to_owned()],
        )]);

        let placed = place_api_errors(&errors, &valid());

        assert!(placed.fields.is_empty());
        assert_eq!(placed.unplaced, vec!["properties[3].value: Invalid."]);
    }
}
