//! UTC timestamps in the shape .NET writes them.
//!
//! Omnium is an ASP.NET service: it writes `DateTime` values with seven
//! fractional digits (100-nanosecond ticks) and reads them with or without an
//! offset. A value without an offset means UTC.

use std::fmt;

use chrono::{DateTime, NaiveDate, NaiveDateTime, SubsecRound, Utc};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A point in time with .NET's 100-nanosecond precision, always in UTC.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Timestamp(DateTime<Utc>);

/// The error for a text that is not a timestamp .NET would read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("'{0}' is not a valid date and time; use ISO 8601 such as 2026-03-01T09:15:02.1234567Z")]
pub struct InvalidTimestamp(pub String);

impl Timestamp {
    /// Returns the current time, truncated to 100-nanosecond ticks so that it
    /// survives a round trip through its text form unchanged.
    pub fn now() -> Self {
        Self::from_datetime(Utc::now())
    }

    /// Wraps a chrono time, truncated to 100-nanosecond ticks.
    pub fn from_datetime(value: DateTime<Utc>) -> Self {
        Timestamp(value.trunc_subsecs(7))
    }

    /// Returns the wrapped chrono time.
    pub fn as_datetime(&self) -> DateTime<Utc> {
        self.0
    }

    /// Parses an ISO 8601 date and time with 0 to 9 fractional digits and
    /// either `Z`, a numeric offset or no offset (read as UTC). A bare date
    /// means midnight UTC, as ASP.NET reads it.
    pub fn parse(text: &str) -> Result<Self, InvalidTimestamp> {
        let trimmed = text.trim();
        let invalid = || InvalidTimestamp(text.to_owned());

        if let Ok(with_offset) = DateTime::parse_from_rfc3339(trimmed) {
            return Ok(Self::from_datetime(with_offset.with_timezone(&Utc)));
        }

        if let Ok(naive) = NaiveDateTime::parse_from_str(trimmed, "%Y-%m-%dT%H:%M:%S%.f") {
            return Ok(Self::from_datetime(naive.and_utc()));
        }

        if let Ok(naive) = NaiveDateTime::parse_from_str(trimmed, "%Y-%m-%dT%H:%M") {
            return Ok(Self::from_datetime(naive.and_utc()));
        }

        let date = NaiveDate::parse_from_str(trimmed, "%Y-%m-%d").map_err(|_| invalid())?;
        let midnight = date.and_hms_opt(0, 0, 0).ok_or_else(invalid)?;
        Ok(Self::from_datetime(midnight.and_utc()))
    }

    /// Returns the whole milliseconds from `earlier` to `self`, negative when
    /// `earlier` is later.
    pub fn millis_since(&self, earlier: &Timestamp) -> i64 {
        (self.0 - earlier.0).num_milliseconds()
    }
}

impl fmt::Display for Timestamp {
    /// Writes `2026-03-01T09:15:02.1234567Z`. The text is fixed-width, so
    /// text order equals time order, which the database relies on.
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        let ticks = self.0.timestamp_subsec_nanos() / 100;
        write!(
            formatter,
            "{}.{:07}Z",
            self.0.format("%Y-%m-%dT%H:%M:%S"),
            ticks
        )
    }
}

impl Serialize for Timestamp {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Timestamp {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        Timestamp::parse(&text).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parsed(text: &str) -> String {
        Timestamp::parse(text).unwrap().to_string()
    }

    #[test]
    fn display_writes_seven_fraction_digits() {
        assert_eq!(
            parsed("2026-03-01T09:15:02.1234567Z"),
            "2026-03-01T09:15:02.1234567Z"
        );
        assert_eq!(
            parsed("2026-03-01T09:15:02Z"),
            "2026-03-01T09:15:02.0000000Z"
        );
    }

    #[test]
    fn parse_accepts_zero_to_seven_fraction_digits() {
        let cases = [
            ("2026-03-01T09:15:02Z", "2026-03-01T09:15:02.0000000Z"),
            ("2026-03-01T09:15:02.1Z", "2026-03-01T09:15:02.1000000Z"),
            ("2026-03-01T09:15:02.12Z", "2026-03-01T09:15:02.1200000Z"),
            ("2026-03-01T09:15:02.123Z", "2026-03-01T09:15:02.1230000Z"),
            ("2026-03-01T09:15:02.1234Z", "2026-03-01T09:15:02.1234000Z"),
            ("2026-03-01T09:15:02.12345Z", "2026-03-01T09:15:02.1234500Z"),
            (
                "2026-03-01T09:15:02.123456Z",
                "2026-03-01T09:15:02.1234560Z",
            ),
            (
                "2026-03-01T09:15:02.1234567Z",
                "2026-03-01T09:15:02.1234567Z",
            ),
        ];
        for (input, expected) in cases {
            assert_eq!(parsed(input), expected, "input {input}");
        }
    }

    #[test]
    fn parse_truncates_beyond_ticks() {
        assert_eq!(
            parsed("2026-03-01T09:15:02.123456789Z"),
            "2026-03-01T09:15:02.1234567Z"
        );
    }

    #[test]
    fn parse_converts_offsets_to_utc() {
        assert_eq!(
            parsed("2026-03-01T10:15:02.5+01:00"),
            "2026-03-01T09:15:02.5000000Z"
        );
        assert_eq!(
            parsed("2026-03-01T04:15:02-05:00"),
            "2026-03-01T09:15:02.0000000Z"
        );
    }

    #[test]
    fn parse_reads_missing_offset_as_utc() {
        assert_eq!(
            parsed("2026-03-01T09:15:02.1234567"),
            "2026-03-01T09:15:02.1234567Z"
        );
        assert_eq!(
            parsed("2026-03-01T09:15:02"),
            "2026-03-01T09:15:02.0000000Z"
        );
        assert_eq!(parsed("2026-03-01T09:15"), "2026-03-01T09:15:00.0000000Z");
    }

    #[test]
    fn parse_reads_bare_date_as_midnight() {
        assert_eq!(parsed("2026-03-01"), "2026-03-01T00:00:00.0000000Z");
    }

    #[test]
    fn parse_rejects_garbage() {
        for input in ["", "yesterday", "2026-13-01T00:00:00Z", "2026-03-01 09:15"] {
            assert!(Timestamp::parse(input).is_err(), "input {input:?}");
        }
    }

    #[test]
    fn text_order_equals_time_order() {
        let earlier = Timestamp::parse("2026-03-01T09:15:02.9Z").unwrap();
        let later = Timestamp::parse("2026-03-01T09:15:10.1Z").unwrap();
        assert!(earlier < later);
        assert!(earlier.to_string() < later.to_string());
    }

    #[test]
    fn millis_since_counts_whole_milliseconds() {
        let first = Timestamp::parse("2026-03-01T09:15:02.1000000Z").unwrap();
        let second = Timestamp::parse("2026-03-01T09:15:03.3509999Z").unwrap();
        assert_eq!(second.millis_since(&first), 1250);
    }

    #[test]
    fn serde_round_trips_text() {
        let value: Timestamp = serde_json::from_str("\"2026-03-01T09:15:02.1234567\"").unwrap();
        assert_eq!(
            serde_json::to_string(&value).unwrap(),
            "\"2026-03-01T09:15:02.1234567Z\""
        );
    }
}
