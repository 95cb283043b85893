//! Timestamps as .NET writes them.
//!
//! Omnium sends up to 7 fractional digits (`2026-03-01T09:15:02.1234567Z`), and
//! some fields carry no offset at all (`2026-03-01T09:15:02`), which means UTC.

use chrono::{DateTime, NaiveDateTime, SecondsFormat, Utc};
use serde::{Deserialize, Deserializer, Serializer};

/// Parses an ISO 8601 timestamp with 0 to 9 fractional digits and a `Z`, an
/// offset, or no offset (read as UTC).
pub fn parse_timestamp(text: &str) -> Option<DateTime<Utc>> {
    let text = text.trim();

    if let Ok(with_offset) = DateTime::parse_from_rfc3339(text) {
        return Some(with_offset.with_timezone(&Utc));
    }

    // chrono's `%.f` reads any number of fractional digits, including none.
    NaiveDateTime::parse_from_str(text, "%Y-%m-%dT%H:%M:%S%.f")
        .ok()
        .map(|naive| naive.and_utc())
}

/// Formats a timestamp the way the API expects it: RFC 3339 in UTC with `Z`.
pub fn format_timestamp(value: &DateTime<Utc>) -> String {
    value.to_rfc3339_opts(SecondsFormat::AutoSi, true)
}

pub(crate) mod optional {
    use super::*;

    pub fn deserialize<'de, D>(deserializer: D) -> Result<Option<DateTime<Utc>>, D::Error>
    where
        D: Deserializer<'de>,
    {
        let Some(text) = Option::<String>::deserialize(deserializer)? else {
            return Ok(None);
        };

        if text.is_empty() {
            return Ok(None);
        }

        parse_timestamp(&text)
            .map(Some)
            .ok_or_else(|| serde::de::Error::custom(format!("invalid timestamp {text:?}")))
    }

    pub fn serialize<S>(value: &Option<DateTime<Utc>>, serializer: S) -> Result<S::Ok, S::Error>
    where
        S: Serializer,
    {
        match value {
            Some(value) => serializer.serialize_str(&format_timestamp(value)),
            None => serializer.serialize_none(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{TimeZone, Timelike};

    #[test]
    fn parses_seven_fractional_digits() {
        let parsed = parse_timestamp("2026-03-01T09:15:02.1234567Z").unwrap();

        assert_eq!(parsed.nanosecond(), 123_456_700);
        assert_eq!(parsed.second(), 2);
    }

    #[test]
    fn parses_without_fraction_or_offset_as_utc() {
        let parsed = parse_timestamp("2026-03-01T09:15:02").unwrap();

        assert_eq!(parsed, Utc.with_ymd_and_hms(2026, 3, 1, 9, 15, 2).unwrap());
    }

    #[test]
    fn parses_offset_into_utc() {
        let parsed = parse_timestamp("2026-03-01T10:15:02.5+01:00").unwrap();

        assert_eq!(parsed.hour(), 9);
        assert_eq!(parsed.nanosecond(), 500_000_000);
    }

    #[test]
    fn parses_offsetless_fraction() {
        let parsed = parse_timestamp("2026-03-01T09:15:02.1234567").unwrap();

        assert_eq!(parsed.nanosecond(), 123_456_700);
    }

    #[test]
    fn rejects_garbage() {
        assert!(parse_timestamp("yesterday").is_none());
        assert!(parse_timestamp("2026-13-01T00:00:00Z").is_none());
    }

    #[test]
    fn formats_with_z() {
        let value = Utc.with_ymd_and_hms(2026, 3, 1, 9, 15, 2).unwrap();

        assert_eq!(format_timestamp(&value), "2026-03-01T09:15:02Z");
    }
}
