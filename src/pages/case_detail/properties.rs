//! Custom properties, grouped by key group, each value shown by its type.

use chrono::{DateTime, Utc};
use leptos::prelude::*;

use crate::model::{OmniumCase, OmniumPropertyItem, parse_timestamp};
use crate::text::{local_time, local_time_full};

/// The group name for properties without a key group.
const UNGROUPED: &str = "General";

/// Properties that share a key group, in the order they came.
#[derive(Debug, Clone, PartialEq)]
pub struct PropertyGroup {
    pub name: String,
    pub rows: Vec<PropertyRow>,
}

/// One property ready for display.
#[derive(Debug, Clone, PartialEq)]
pub struct PropertyRow {
    pub key: String,
    pub value: PropertyValue,
}

/// A property value read according to its `valueType`.
#[derive(Debug, Clone, PartialEq)]
pub enum PropertyValue {
    Text(String),
    DateTime(DateTime<Utc>),
    Boolean(bool),
    /// A number already formatted with digit grouping.
    Number(String),
    /// A value that does not parse as its type, kept exactly as stored.
    Unparsable {
        raw: String,
        value_type: String,
    },
    Missing,
}

/// Groups properties by key group, keeping the order in which groups and
/// properties first appear.
pub fn group_properties(items: &[OmniumPropertyItem]) -> Vec<PropertyGroup> {
    let mut groups: Vec<PropertyGroup> = Vec::new();

    for item in items {
        let name = item
            .key_group
            .as_deref()
            .map(str::trim)
            .filter(|group| !group.is_empty())
            .unwrap_or(UNGROUPED)
            .to_owned();
        let row = PropertyRow {
            key: item.key.clone().unwrap_or_else(|| "(no key)".to_owned()),
            value: read_value(item.value.as_deref(), item.value_type.as_deref()),
        };

        match groups.iter_mut().find(|group| group.name == name) {
            Some(group) => group.rows.push(row),
            None => groups.push(PropertyGroup {
                name,
                rows: vec![row],
            }),
        }
    }

    groups
}

/// Reads a stored value by its type hint. Unknown hints and `String` keep
/// the text as it is.
pub fn read_value(value: Option<&str>, value_type: Option<&str>) -> PropertyValue {
    let Some(value) = value else {
        return PropertyValue::Missing;
    };

    let value_type = value_type.unwrap_or_default().trim();
    let unparsable = || PropertyValue::Unparsable {
        raw: value.to_owned(),
        value_type: value_type.to_owned(),
    };

    match value_type.to_ascii_lowercase().as_str() {
        "datetime" | "date" => {
            parse_timestamp(value).map_or_else(unparsable, PropertyValue::DateTime)
        }
        "boolean" | "bool" => parse_boolean(value).map_or_else(unparsable, PropertyValue::Boolean),
        "number" | "decimal" | "double" | "int" | "integer" | "long" => {
            format_number(value).map_or_else(unparsable, PropertyValue::Number)
        }
        _ => PropertyValue::Text(value.to_owned()),
    }
}

fn parse_boolean(value: &str) -> Option<bool> {
    match value.trim().to_ascii_lowercase().as_str() {
        "true" | "yes" | "1" => Some(true),
        "false" | "no" | "0" => Some(false),
        _ => None,
    }
}

/// Formats a number with commas between thousands, keeping the decimals as
/// stored (`1234.50` becomes `1,234.50`). Returns `None` for text that is
/// not a finite number. Exponent notation is written out in full.
pub fn format_number(value: &str) -> Option<String> {
    let value = value.trim();
    let number: f64 = value
        .parse()
        .ok()
        .filter(|number: &f64| number.is_finite())?;

    // Plain decimal text is regrouped digit by digit so no precision is lost;
    // anything else (such as `1e6`) goes through the parsed number.
    let plain = value
        .strip_prefix(['-', '+'])
        .unwrap_or(value)
        .chars()
        .all(|c| c.is_ascii_digit() || c == '.');
    let text = if plain {
        value.to_owned()
    } else {
        number.to_string()
    };

    let (sign, unsigned) = match text.strip_prefix('-') {
        Some(rest) => ("-", rest),
        None => ("", text.strip_prefix('+').unwrap_or(&text)),
    };
    let (whole, fraction) = match unsigned.split_once('.') {
        Some((whole, fraction)) => (whole, Some(fraction)),
        None => (unsigned, None),
    };
    let whole = if whole.is_empty() { "0" } else { whole };

    let mut grouped = String::new();
    for (index, digit) in whole.chars().enumerate() {
        if index > 0 && (whole.len() - index) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(digit);
    }

    Some(match fraction {
        Some(fraction) if !fraction.is_empty() => format!("{sign}{grouped}.{fraction}"),
        _ => format!("{sign}{grouped}"),
    })
}

/// The custom properties section.
#[component]
pub fn PropertiesSection(
    /// The case shown on the page.
    case: Memo<OmniumCase>,
) -> impl IntoView {
    let groups = Memo::new(move |_| case.with(|case| group_properties(&case.properties)));

    let content = move || {
        let groups = groups.get();

        if groups.is_empty() {
            return view! { <p class="hint">"No custom properties."</p> }.into_any();
        }

        groups
            .into_iter()
            .map(|group| {
                let rows = group
                    .rows
                    .into_iter()
                    .map(|row| {
                        view! {
                            <dt>{row.key}</dt>
                            <dd>{value_view(row.value)}</dd>
                        }
                    })
                    .collect_view();

                view! {
                    <h3 class="property-group">{group.name}</h3>
                    <dl class="fact-list property-list">{rows}</dl>
                }
            })
            .collect_view()
            .into_any()
    };

    view! {
        <section class="case-section" aria-labelledby="case-properties-heading">
            <h2 id="case-properties-heading">"Properties"</h2>
            {content}
        </section>
    }
}

fn value_view(value: PropertyValue) -> AnyView {
    match value {
        PropertyValue::Text(text) | PropertyValue::Number(text) => text.into_any(),
        PropertyValue::DateTime(value) => view! {
            <time datetime=value.to_rfc3339() title=local_time_full(value)>
                {local_time(value)}
            </time>
        }
        .into_any(),
        PropertyValue::Boolean(true) => "Yes".into_any(),
        PropertyValue::Boolean(false) => "No".into_any(),
        PropertyValue::Unparsable { raw, value_type } => {
            let title = format!("Not a valid {value_type} value; shown as stored.");

            view! { <span class="property-raw" title=title>{raw}</span> }.into_any()
        }
        PropertyValue::Missing => view! { <span class="hint">"(no value)"</span> }.into_any(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn property(
        key: &str,
        group: Option<&str>,
        value: &str,
        value_type: &str,
    ) -> OmniumPropertyItem {
        OmniumPropertyItem {
            key: Some(key.to_owned()),
            key_group: group.map(str::to_owned),
            value: Some(value.to_owned()),
            value_type: Some(value_type.to_owned()),
            ..OmniumPropertyItem::default()
        }
    }

    #[test]
    fn properties_group_in_first_seen_order() {
        let items = [
            property("Carrier", Some("Logistics"), "Bring", "String"),
            property("Refund", Some("Payment"), "10", "Number"),
            property(
                "Promised",
                Some("Logistics"),
                "2026-03-01T09:00:00Z",
                "DateTime",
            ),
            property("Note", None, "x", "String"),
            property("Blank", Some("  "), "y", "String"),
        ];

        let groups = group_properties(&items);

        let names: Vec<&str> = groups.iter().map(|group| group.name.as_str()).collect();
        assert_eq!(names, ["Logistics", "Payment", UNGROUPED]);
        assert_eq!(groups[0].rows.len(), 2);
        assert_eq!(groups[0].rows[1].key, "Promised");
        assert_eq!(groups[2].rows.len(), 2);
    }

    #[test]
    fn value_date_time_parses_dotnet_format() {
        let value = read_value(Some("2026-03-01T09:15:02.1234567"), Some("DateTime"));

        let expected = Utc.with_ymd_and_hms(2026, 3, 1, 9, 15, 2).unwrap()
            + chrono::Duration::nanoseconds(123_456_700);
        assert_eq!(value, PropertyValue::DateTime(expected));
    }

    #[test]
    fn value_boolean_reads_common_spellings() {
        assert_eq!(
            read_value(Some("true"), Some("Boolean")),
            PropertyValue::Boolean(true)
        );
        assert_eq!(
            read_value(Some("False"), Some("boolean")),
            PropertyValue::Boolean(false)
        );
        assert_eq!(
            read_value(Some("1"), Some("Boolean")),
            PropertyValue::Boolean(true)
        );
    }

    #[test]
    fn value_number_is_grouped() {
        assert_eq!(
            read_value(Some("1234567.50"), Some("Number")),
            PropertyValue::Number("1,234,567.50".into())
        );
    }

    #[test]
    fn value_unparsable_is_raw() {
        let cases = [
            ("soon", "DateTime"),
            ("maybe", "Boolean"),
            ("12 kr", "Number"),
            ("NaN", "Number"),
        ];

        for (raw, value_type) in cases {
            assert_eq!(
                read_value(Some(raw), Some(value_type)),
                PropertyValue::Unparsable {
                    raw: raw.into(),
                    value_type: value_type.into()
                },
                "{raw} as {value_type}"
            );
        }
    }

    #[test]
    fn value_other_types_are_text() {
        assert_eq!(
            read_value(Some("<b>x</b>"), Some("Html")),
            PropertyValue::Text("<b>x</b>".into())
        );
        assert_eq!(
            read_value(Some("12"), None),
            PropertyValue::Text("12".into())
        );
        assert_eq!(read_value(None, Some("Number")), PropertyValue::Missing);
    }

    #[test]
    fn number_formats() {
        let cases = [
            ("0", "0"),
            ("999", "999"),
            ("1000", "1,000"),
            ("-1234.5", "-1,234.5"),
            ("+12345", "12,345"),
            (".5", "0.5"),
            ("12.", "12"),
            ("1e6", "1,000,000"),
            (" 49.90 ", "49.90"),
        ];

        for (input, expected) in cases {
            assert_eq!(format_number(input).as_deref(), Some(expected), "{input}");
        }

        assert_eq!(format_number("inf"), None);
        assert_eq!(format_number(""), None);
        assert_eq!(format_number("1,5"), None);
    }
}
