//! The form's values and their conversion to and from the case model.
//!
//! The form edits plain strings and lists (`FormValues`); the case model has
//! options and UTC times. Comparisons go through [`FieldValue`], which trims
//! text and drops blank rows, so whitespace alone never counts as an edit.

use chrono::{DateTime, Datelike, NaiveDateTime, TimeZone, Utc};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::model::{OmniumCase, OmniumCaseParticipant, OmniumPropertyItem};

/// One editable field of a case.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Field {
    Subject,
    Description,
    Status,
    Priority,
    Source,
    FollowUp,
    AssigneeId,
    AssigneeName,
    CustomerId,
    CustomerName,
    CustomerEmail,
    Tags,
    RelatedOrders,
    RelatedCustomers,
    RelatedProjects,
    RelatedCarts,
    RelatedSkus,
    RelatedProducts,
    Participants,
    Properties,
}

/// Every editable field, in the order the form shows them.
pub const FIELDS: [Field; 20] = [
    Field::Subject,
    Field::Description,
    Field::Status,
    Field::Priority,
    Field::Source,
    Field::FollowUp,
    Field::AssigneeId,
    Field::AssigneeName,
    Field::CustomerId,
    Field::CustomerName,
    Field::CustomerEmail,
    Field::Tags,
    Field::RelatedOrders,
    Field::RelatedCustomers,
    Field::RelatedProjects,
    Field::RelatedCarts,
    Field::RelatedSkus,
    Field::RelatedProducts,
    Field::Participants,
    Field::Properties,
];

/// The value types the form offers for a custom property.
pub const VALUE_TYPES: [&str; 4] = ["String", "Number", "DateTime", "Boolean"];

impl Field {
    /// Returns the label shown beside the field's control.
    pub fn label(self) -> &'static str {
        match self {
            Field::Subject => "Subject",
            Field::Description => "Description",
            Field::Status => "Status",
            Field::Priority => "Priority",
            Field::Source => "Source",
            Field::FollowUp => "Follow-up",
            Field::AssigneeId => "Assignee id",
            Field::AssigneeName => "Assignee name",
            Field::CustomerId => "Customer id",
            Field::CustomerName => "Customer name",
            Field::CustomerEmail => "Customer email",
            Field::Tags => "Tags",
            Field::RelatedOrders => "Related orders",
            Field::RelatedCustomers => "Related customers",
            Field::RelatedProjects => "Related projects",
            Field::RelatedCarts => "Related carts",
            Field::RelatedSkus => "Related SKUs",
            Field::RelatedProducts => "Related products",
            Field::Participants => "Participants",
            Field::Properties => "Properties",
        }
    }

    /// Returns the camelCase name the API uses in bodies and in validation errors.
    pub fn wire_name(self) -> &'static str {
        match self {
            Field::Subject => "subject",
            Field::Description => "description",
            Field::Status => "status",
            Field::Priority => "priority",
            Field::Source => "source",
            Field::FollowUp => "followUpDate",
            Field::AssigneeId => "assignedToUserId",
            Field::AssigneeName => "assignedToName",
            Field::CustomerId => "customerId",
            Field::CustomerName => "customerName",
            Field::CustomerEmail => "customerEmail",
            Field::Tags => "tags",
            Field::RelatedOrders => "relatedOrders",
            Field::RelatedCustomers => "relatedCustomers",
            Field::RelatedProjects => "relatedProjects",
            Field::RelatedCarts => "relatedCarts",
            Field::RelatedSkus => "relatedSkuIds",
            Field::RelatedProducts => "relatedProductIds",
            Field::Participants => "participants",
            Field::Properties => "properties",
        }
    }

    /// Finds the field an API error key names, ignoring case.
    pub fn from_wire_name(name: &str) -> Option<Field> {
        FIELDS
            .into_iter()
            .find(|field| field.wire_name().eq_ignore_ascii_case(name))
    }

    /// Returns the `id` of the field's control. Participants and properties have one
    /// control per row part (see [`row_input_id`]); their id names the group.
    pub fn input_id(self) -> &'static str {
        match self {
            Field::Subject => "case-subject",
            Field::Description => "case-description",
            Field::Status => "case-status",
            Field::Priority => "case-priority",
            Field::Source => "case-source",
            Field::FollowUp => "case-follow-up",
            Field::AssigneeId => "case-assignee-id",
            Field::AssigneeName => "case-assignee-name",
            Field::CustomerId => "case-customer-id",
            Field::CustomerName => "case-customer-name",
            Field::CustomerEmail => "case-customer-email",
            Field::Tags => "case-tags",
            Field::RelatedOrders => "case-related-orders",
            Field::RelatedCustomers => "case-related-customers",
            Field::RelatedProjects => "case-related-projects",
            Field::RelatedCarts => "case-related-carts",
            Field::RelatedSkus => "case-related-skus",
            Field::RelatedProducts => "case-related-products",
            Field::Participants => "case-participants",
            Field::Properties => "case-properties",
        }
    }

    /// Returns the field as the object of "Clearing …", such as "the assignee id".
    pub fn clear_phrase(self) -> String {
        match self {
            Field::FollowUp => "the follow-up date".to_owned(),
            Field::RelatedSkus => "all related SKUs".to_owned(),
            Field::Participants | Field::Properties => {
                format!("all {}", self.label().to_lowercase())
            }
            field if field.is_list() => format!("all {}", field.label().to_lowercase()),
            field => format!("the {}", field.label().to_lowercase()),
        }
    }

    /// Tells whether the field is a list of ids or tags.
    pub fn is_list(self) -> bool {
        matches!(
            self,
            Field::Tags
                | Field::RelatedOrders
                | Field::RelatedCustomers
                | Field::RelatedProjects
                | Field::RelatedCarts
                | Field::RelatedSkus
                | Field::RelatedProducts
        )
    }
}

/// The part of a participant or property row a control edits.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum RowPart {
    Name,
    Email,
    CustomerId,
    Role,
    Key,
    KeyGroup,
    Value,
    ValueType,
}

impl RowPart {
    /// Returns the label shown beside the control.
    pub fn label(self) -> &'static str {
        match self {
            RowPart::Name => "Name",
            RowPart::Email => "Email",
            RowPart::CustomerId => "Customer id",
            RowPart::Role => "Role",
            RowPart::Key => "Key",
            RowPart::KeyGroup => "Key group",
            RowPart::Value => "Value",
            RowPart::ValueType => "Value type",
        }
    }

    /// Returns the part's camelCase name in the API, as in `participants[0].email`.
    pub fn wire_name(self) -> &'static str {
        match self {
            RowPart::Name => "name",
            RowPart::Email => "email",
            RowPart::CustomerId => "customerId",
            RowPart::Role => "role",
            RowPart::Key => "key",
            RowPart::KeyGroup => "keyGroup",
            RowPart::Value => "value",
            RowPart::ValueType => "valueType",
        }
    }

    fn slug(self) -> &'static str {
        match self {
            RowPart::Name => "name",
            RowPart::Email => "email",
            RowPart::CustomerId => "customer-id",
            RowPart::Role => "role",
            RowPart::Key => "key",
            RowPart::KeyGroup => "key-group",
            RowPart::Value => "value",
            RowPart::ValueType => "value-type",
        }
    }
}

/// The parts of a participant row, in the order the form shows them.
pub const PARTICIPANT_PARTS: [RowPart; 4] = [
    RowPart::Name,
    RowPart::Email,
    RowPart::CustomerId,
    RowPart::Role,
];

/// The parts of a property row, in the order the form shows them.
pub const PROPERTY_PARTS: [RowPart; 4] = [
    RowPart::Key,
    RowPart::KeyGroup,
    RowPart::Value,
    RowPart::ValueType,
];

/// Returns the `id` of one control in a participant or property row. `row` is the
/// row's key, which stays the same while other rows come and go.
pub fn row_input_id(field: Field, row: u32, part: RowPart) -> String {
    let prefix = match field {
        Field::Participants => "participant",
        _ => "property",
    };

    format!("{prefix}-{row}-{}", part.slug())
}

/// A participant as the form edits it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct ParticipantRow {
    /// The row's key among the form's participant rows.
    pub row: u32,
    pub name: String,
    pub email: String,
    pub customer_id: String,
    pub role: String,
    /// Fields the form does not edit, written back unchanged.
    pub extra: Map<String, Value>,
}

impl ParticipantRow {
    /// Returns the text of one part; parts that are not a participant's read empty.
    pub fn part(&self, part: RowPart) -> &str {
        match part {
            RowPart::Name => &self.name,
            RowPart::Email => &self.email,
            RowPart::CustomerId => &self.customer_id,
            RowPart::Role => &self.role,
            _ => "",
        }
    }

    /// Returns the text of one part for writing, or `None` for a property's part.
    pub fn part_mut(&mut self, part: RowPart) -> Option<&mut String> {
        match part {
            RowPart::Name => Some(&mut self.name),
            RowPart::Email => Some(&mut self.email),
            RowPart::CustomerId => Some(&mut self.customer_id),
            RowPart::Role => Some(&mut self.role),
            _ => None,
        }
    }

    fn is_blank(&self) -> bool {
        PARTICIPANT_PARTS
            .iter()
            .all(|part| self.part(*part).trim().is_empty())
            && self.extra.is_empty()
    }

    fn to_model(&self) -> OmniumCaseParticipant {
        OmniumCaseParticipant {
            name: non_empty(&self.name),
            email: non_empty(&self.email),
            customer_id: non_empty(&self.customer_id),
            role: non_empty(&self.role),
            extra: self.extra.clone(),
        }
    }
}

/// A custom property as the form edits it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct PropertyRow {
    /// The row's key among the form's property rows.
    pub row: u32,
    pub key: String,
    pub key_group: String,
    pub value: String,
    pub value_type: String,
    /// Fields the form does not edit, written back unchanged.
    pub extra: Map<String, Value>,
}

impl PropertyRow {
    /// Returns the text of one part; parts that are not a property's read empty.
    pub fn part(&self, part: RowPart) -> &str {
        match part {
            RowPart::Key => &self.key,
            RowPart::KeyGroup => &self.key_group,
            RowPart::Value => &self.value,
            RowPart::ValueType => &self.value_type,
            _ => "",
        }
    }

    /// Returns the text of one part for writing, or `None` for a participant's part.
    pub fn part_mut(&mut self, part: RowPart) -> Option<&mut String> {
        match part {
            RowPart::Key => Some(&mut self.key),
            RowPart::KeyGroup => Some(&mut self.key_group),
            RowPart::Value => Some(&mut self.value),
            RowPart::ValueType => Some(&mut self.value_type),
            _ => None,
        }
    }

    /// Tells whether key, key group and value are all empty. The value type
    /// alone is a default, not data.
    fn is_blank(&self) -> bool {
        [RowPart::Key, RowPart::KeyGroup, RowPart::Value]
            .iter()
            .all(|part| self.part(*part).trim().is_empty())
            && self.extra.is_empty()
    }

    fn to_model(&self) -> OmniumPropertyItem {
        OmniumPropertyItem {
            key: non_empty(&self.key),
            key_group: non_empty(&self.key_group),
            value: non_empty(&self.value),
            value_type: non_empty(&self.value_type),
            extra: self.extra.clone(),
        }
    }
}

/// Everything the form edits, as the controls hold it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct FormValues {
    pub subject: String,
    pub description: String,
    pub status: String,
    pub priority: String,
    pub source: String,
    /// The follow-up as `<input type="datetime-local">` stores it: local wall
    /// time such as `2026-03-01T10:30`, or empty for none.
    pub follow_up: String,
    pub assigned_to_user_id: String,
    pub assigned_to_name: String,
    pub customer_id: String,
    pub customer_name: String,
    pub customer_email: String,
    pub tags: Vec<String>,
    pub related_orders: Vec<String>,
    pub related_customers: Vec<String>,
    pub related_projects: Vec<String>,
    pub related_carts: Vec<String>,
    pub related_sku_ids: Vec<String>,
    pub related_product_ids: Vec<String>,
    pub participants: Vec<ParticipantRow>,
    pub properties: Vec<PropertyRow>,
}

/// The format of a `datetime-local` value this form writes.
const LOCAL_INPUT_FORMAT: &str = "%Y-%m-%dT%H:%M";

/// The earliest and latest years accepted for a follow-up date. A year
/// outside them is almost always a typing slip (`0202` for `2026`).
const FOLLOW_UP_YEARS: std::ops::RangeInclusive<i32> = 1900..=9999;

impl FormValues {
    /// Reads a case into form values, showing the follow-up in `zone`.
    pub fn from_case<Tz>(case: &OmniumCase, zone: &Tz) -> FormValues
    where
        Tz: TimeZone,
        Tz::Offset: std::fmt::Display,
    {
        let text = |value: &Option<String>| value.clone().unwrap_or_default();

        let participants = case
            .participants
            .iter()
            .zip(0..)
            .map(|(participant, row)| ParticipantRow {
                row,
                name: text(&participant.name),
                email: text(&participant.email),
                customer_id: text(&participant.customer_id),
                role: text(&participant.role),
                extra: participant.extra.clone(),
            })
            .collect();

        let properties = case
            .properties
            .iter()
            .zip(0..)
            .map(|(property, row)| PropertyRow {
                row,
                key: text(&property.key),
                key_group: text(&property.key_group),
                value: text(&property.value),
                value_type: text(&property.value_type),
                extra: property.extra.clone(),
            })
            .collect();

        FormValues {
            subject: text(&case.subject),
            description: text(&case.description),
            status: text(&case.status),
            priority: text(&case.priority),
            source: text(&case.source),
            follow_up: case
                .follow_up_date
                .map(|date| format_local_input(date, zone))
                .unwrap_or_default(),
            assigned_to_user_id: text(&case.assigned_to_user_id),
            assigned_to_name: text(&case.assigned_to_name),
            customer_id: text(&case.customer_id),
            customer_name: text(&case.customer_name),
            customer_email: text(&case.customer_email),
            tags: case.tags.clone(),
            related_orders: case.related_orders.clone(),
            related_customers: case.related_customers.clone(),
            related_projects: case.related_projects.clone(),
            related_carts: case.related_carts.clone(),
            related_sku_ids: case.related_sku_ids.clone(),
            related_product_ids: case.related_product_ids.clone(),
            participants,
            properties,
        }
    }

    /// Returns the text of a single-value field, or `None` for lists and rows.
    pub fn text(&self, field: Field) -> Option<&str> {
        let text = match field {
            Field::Subject => &self.subject,
            Field::Description => &self.description,
            Field::Status => &self.status,
            Field::Priority => &self.priority,
            Field::Source => &self.source,
            Field::FollowUp => &self.follow_up,
            Field::AssigneeId => &self.assigned_to_user_id,
            Field::AssigneeName => &self.assigned_to_name,
            Field::CustomerId => &self.customer_id,
            Field::CustomerName => &self.customer_name,
            Field::CustomerEmail => &self.customer_email,
            _ => return None,
        };

        Some(text)
    }

    /// Returns the text of a single-value field for writing.
    pub fn text_mut(&mut self, field: Field) -> Option<&mut String> {
        let text = match field {
            Field::Subject => &mut self.subject,
            Field::Description => &mut self.description,
            Field::Status => &mut self.status,
            Field::Priority => &mut self.priority,
            Field::Source => &mut self.source,
            Field::FollowUp => &mut self.follow_up,
            Field::AssigneeId => &mut self.assigned_to_user_id,
            Field::AssigneeName => &mut self.assigned_to_name,
            Field::CustomerId => &mut self.customer_id,
            Field::CustomerName => &mut self.customer_name,
            Field::CustomerEmail => &mut self.customer_email,
            _ => return None,
        };

        Some(text)
    }

    /// Returns the items of a list field (tags and related ids).
    pub fn list(&self, field: Field) -> Option<&Vec<String>> {
        let list = match field {
            Field::Tags => &self.tags,
            Field::RelatedOrders => &self.related_orders,
            Field::RelatedCustomers => &self.related_customers,
            Field::RelatedProjects => &self.related_projects,
            Field::RelatedCarts => &self.related_carts,
            Field::RelatedSkus => &self.related_sku_ids,
            Field::RelatedProducts => &self.related_product_ids,
            _ => return None,
        };

        Some(list)
    }

    /// Returns the items of a list field for writing.
    pub fn list_mut(&mut self, field: Field) -> Option<&mut Vec<String>> {
        let list = match field {
            Field::Tags => &mut self.tags,
            Field::RelatedOrders => &mut self.related_orders,
            Field::RelatedCustomers => &mut self.related_customers,
            Field::RelatedProjects => &mut self.related_projects,
            Field::RelatedCarts => &mut self.related_carts,
            Field::RelatedSkus => &mut self.related_sku_ids,
            Field::RelatedProducts => &mut self.related_product_ids,
            _ => return None,
        };

        Some(list)
    }

    /// Returns a field's value in comparable form: text trimmed, blank list items
    /// and blank rows dropped, the follow-up as a wall time.
    pub fn value_of(&self, field: Field) -> FieldValue {
        if field == Field::FollowUp {
            return FieldValue::FollowUp(normalize_local_input(&self.follow_up));
        }

        if let Some(text) = self.text(field) {
            return FieldValue::Text(text.trim().to_owned());
        }

        if let Some(list) = self.list(field) {
            return FieldValue::List(clean_list(list));
        }

        match field {
            Field::Participants => FieldValue::Participants(self.participants_model()),
            _ => FieldValue::Properties(self.properties_model()),
        }
    }

    /// Copies one field's value from `other`.
    pub fn copy_field(&mut self, other: &FormValues, field: Field) {
        if let (Some(target), Some(source)) = (self.text_mut(field), other.text(field)) {
            *target = source.to_owned();
            return;
        }

        if let (Some(target), Some(source)) = (self.list_mut(field), other.list(field)) {
            *target = source.clone();
            return;
        }

        match field {
            Field::Participants => self.participants = other.participants.clone(),
            _ => self.properties = other.properties.clone(),
        }
    }

    /// Returns the participants to send: rows with any data, trimmed.
    pub fn participants_model(&self) -> Vec<OmniumCaseParticipant> {
        self.participants
            .iter()
            .filter(|row| !row.is_blank())
            .map(ParticipantRow::to_model)
            .collect()
    }

    /// Returns the keys of the participant rows that are sent, in the order sent, so
    /// an API error about `participants[i]` finds its row.
    pub fn sent_participant_rows(&self) -> Vec<u32> {
        self.participants
            .iter()
            .filter(|row| !row.is_blank())
            .map(|row| row.row)
            .collect()
    }

    /// Returns the properties to send: rows with any data, trimmed.
    pub fn properties_model(&self) -> Vec<OmniumPropertyItem> {
        self.properties
            .iter()
            .filter(|row| !row.is_blank())
            .map(PropertyRow::to_model)
            .collect()
    }

    /// Returns the keys of the property rows that are sent, in the order sent.
    pub fn sent_property_rows(&self) -> Vec<u32> {
        self.properties
            .iter()
            .filter(|row| !row.is_blank())
            .map(|row| row.row)
            .collect()
    }

    /// Returns a key for a new participant or property row, unused by any row.
    pub fn next_row_key(&self) -> u32 {
        let participants = self.participants.iter().map(|row| row.row);
        let properties = self.properties.iter().map(|row| row.row);

        participants
            .chain(properties)
            .max()
            .map_or(0, |max| max.saturating_add(1))
    }
}

/// A field's value, normalized for comparison and shown in the conflict view.
#[derive(Debug, Clone, PartialEq)]
pub enum FieldValue {
    Text(String),
    List(Vec<String>),
    Participants(Vec<OmniumCaseParticipant>),
    Properties(Vec<OmniumPropertyItem>),
    /// A wall time as `YYYY-MM-DDTHH:MM`, or the raw text when it does not
    /// parse; empty for none.
    FollowUp(String),
}

impl FieldValue {
    /// Tells whether the field contains nothing.
    pub fn is_empty(&self) -> bool {
        match self {
            FieldValue::Text(text) | FieldValue::FollowUp(text) => text.is_empty(),
            FieldValue::List(items) => items.is_empty(),
            FieldValue::Participants(rows) => rows.is_empty(),
            FieldValue::Properties(rows) => rows.is_empty(),
        }
    }

    /// Returns the value as one line of text for display; "(empty)" for nothing.
    pub fn display(&self) -> String {
        if self.is_empty() {
            return "(empty)".to_owned();
        }

        let part = |value: &Option<String>| value.clone().unwrap_or_default();

        match self {
            FieldValue::Text(text) => text.clone(),
            FieldValue::FollowUp(text) => text.replacen('T', " ", 1),
            FieldValue::List(items) => items.join(", "),
            FieldValue::Participants(rows) => rows
                .iter()
                .map(|row| {
                    let details: Vec<String> = [&row.email, &row.customer_id, &row.role]
                        .into_iter()
                        .filter_map(Clone::clone)
                        .collect();

                    if details.is_empty() {
                        part(&row.name)
                    } else {
                        format!("{} ({})", part(&row.name), details.join(", "))
                    }
                })
                .collect::<Vec<_>>()
                .join("; "),
            FieldValue::Properties(rows) => rows
                .iter()
                .map(|row| {
                    let group = row
                        .key_group
                        .as_deref()
                        .map(|group| format!("{group}/"))
                        .unwrap_or_default();

                    format!(
                        "{group}{} = {} ({})",
                        part(&row.key),
                        part(&row.value),
                        part(&row.value_type)
                    )
                })
                .collect::<Vec<_>>()
                .join("; "),
        }
    }
}

/// Why a follow-up text cannot be turned into a time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FollowUpError {
    /// The text is not a date and time, or the year is implausible.
    Malformed,
    /// The wall time falls in a clock change gap, so it never happens.
    Nonexistent,
}

/// Reads a `datetime-local` value as wall time in `zone` and converts it to
/// UTC. Empty text is no follow-up. An ambiguous wall time (the hour the
/// clocks go back) takes the earlier instant.
pub fn parse_follow_up<Tz: TimeZone>(
    text: &str,
    zone: &Tz,
) -> Result<Option<DateTime<Utc>>, FollowUpError> {
    let text = text.trim();

    if text.is_empty() {
        return Ok(None);
    }

    let naive = parse_local_input(text).ok_or(FollowUpError::Malformed)?;

    if !FOLLOW_UP_YEARS.contains(&naive.year()) {
        return Err(FollowUpError::Malformed);
    }

    zone.from_local_datetime(&naive)
        .earliest()
        .map(|local| Some(local.with_timezone(&Utc)))
        .ok_or(FollowUpError::Nonexistent)
}

/// Formats a UTC time as a `datetime-local` value in `zone`.
pub fn format_local_input<Tz>(value: DateTime<Utc>, zone: &Tz) -> String
where
    Tz: TimeZone,
    Tz::Offset: std::fmt::Display,
{
    value
        .with_timezone(zone)
        .format(LOCAL_INPUT_FORMAT)
        .to_string()
}

fn parse_local_input(text: &str) -> Option<NaiveDateTime> {
    ["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S%.f"]
        .into_iter()
        .find_map(|format| NaiveDateTime::parse_from_str(text, format).ok())
}

fn normalize_local_input(text: &str) -> String {
    let text = text.trim();

    match parse_local_input(text) {
        Some(naive) => naive.format(LOCAL_INPUT_FORMAT).to_string(),
        None => text.to_owned(),
    }
}

/// Trims list items and drops empty ones.
pub fn clean_list(items: &[String]) -> Vec<String> {
    items
        .iter()
        .map(|item| item.trim())
        .filter(|item| !item.is_empty())
        .map(str::to_owned)
        .collect()
}

/// Trimmed text, or `None` when nothing is left.
pub fn non_empty(text: &str) -> Option<String> {
    let text = text.trim();

    (!text.is_empty()).then(|| text.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::FixedOffset;

    fn oslo_winter() -> FixedOffset {
        FixedOffset::east_opt(3600).unwrap()
    }

    fn at(text: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(text)
            .unwrap()
            .with_timezone(&Utc)
    }

    #[test]
    fn follow_up_local_to_utc() {
        let parsed = parse_follow_up("2026-03-01T10:30", &oslo_winter()).unwrap();

        assert_eq!(parsed, Some(at("2026-03-01T09:30:00Z")));
    }

    #[test]
    fn follow_up_with_seconds_parses() {
        let parsed = parse_follow_up("2026-03-01T10:30:15", &Utc).unwrap();

        assert_eq!(parsed, Some(at("2026-03-01T10:30:15Z")));
    }

    #[test]
    fn follow_up_empty_is_none() {
        assert_eq!(parse_follow_up("  ", &Utc), Ok(None));
    }

    #[test]
    fn follow_up_rejects_malformed() {
        for text in [
            "tomorrow",
            "2026-13-01T10:00",
            "2026-02-30T10:00",
            "2026-03-01",
        ] {
            assert_eq!(
                parse_follow_up(text, &Utc),
                Err(FollowUpError::Malformed),
                "{text}"
            );
        }
    }

    #[test]
    fn follow_up_rejects_implausible_year() {
        assert_eq!(
            parse_follow_up("0202-03-01T10:00", &Utc),
            Err(FollowUpError::Malformed)
        );
    }

    #[test]
    fn follow_up_round_trips_through_zone() {
        let value = at("2026-03-01T09:30:00Z");

        let text = format_local_input(value, &oslo_winter());

        assert_eq!(text, "2026-03-01T10:30");
        assert_eq!(parse_follow_up(&text, &oslo_winter()), Ok(Some(value)));
    }

    #[test]
    fn from_case_reads_every_field() {
        let case = OmniumCase {
            subject: Some("Parcel lost".into()),
            assigned_to_user_id: Some("agent-ada".into()),
            tags: vec!["shipping".into()],
            participants: vec![OmniumCaseParticipant {
                name: Some("Kari".into()),
                ..Default::default()
            }],
            properties: vec![OmniumPropertyItem {
                key: Some("Carrier".into()),
                value_type: Some("String".into()),
                ..Default::default()
            }],
            follow_up_date: Some(at("2026-03-01T09:30:00Z")),
            ..Default::default()
        };

        let values = FormValues::from_case(&case, &oslo_winter());

        assert_eq!(values.subject, "Parcel lost");
        assert_eq!(values.assigned_to_user_id, "agent-ada");
        assert_eq!(values.description, "");
        assert_eq!(values.tags, vec!["shipping"]);
        assert_eq!(values.participants[0].name, "Kari");
        assert_eq!(values.properties[0].key, "Carrier");
        assert_eq!(values.follow_up, "2026-03-01T10:30");
        assert_eq!(values.next_row_key(), 1);
    }

    #[test]
    fn blank_rows_are_not_sent() {
        let values = FormValues {
            participants: vec![
                ParticipantRow {
                    row: 3,
                    ..Default::default()
                },
                ParticipantRow {
                    row: 5,
                    email: " a@example.com ".into(),
                    ..Default::default()
                },
            ],
            properties: vec![PropertyRow {
                row: 7,
                value_type: "String".into(),
                ..Default::default()
            }],
            ..Default::default()
        };

        assert_eq!(values.sent_participant_rows(), vec![5]);
        assert_eq!(
            values.participants_model()[0].email.as_deref(),
            Some("a@example.com")
        );
        assert!(values.properties_model().is_empty());
    }

    #[test]
    fn value_of_ignores_whitespace() {
        let plain = FormValues {
            subject: "Parcel".into(),
            tags: vec!["a".into()],
            follow_up: "2026-03-01T10:30".into(),
            ..Default::default()
        };
        let padded = FormValues {
            subject: " Parcel ".into(),
            tags: vec![" a ".into(), " ".into()],
            follow_up: "2026-03-01T10:30:00".into(),
            ..Default::default()
        };

        for field in FIELDS {
            assert_eq!(plain.value_of(field), padded.value_of(field), "{field:?}");
        }
    }

    #[test]
    fn wire_names_round_trip() {
        for field in FIELDS {
            assert_eq!(Field::from_wire_name(field.wire_name()), Some(field));
        }

        assert_eq!(
            Field::from_wire_name("CustomerEmail"),
            Some(Field::CustomerEmail)
        );
    }

    #[test]
    fn display_shows_empty() {
        assert_eq!(FieldValue::Text(String::new()).display(), "(empty)");
        assert_eq!(
            FieldValue::FollowUp("2026-03-01T10:30".into()).display(),
            "2026-03-01 10:30"
        );
    }
}
