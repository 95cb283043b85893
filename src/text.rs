//! Plain-text formatting of times and durations for display.

use chrono::{DateTime, Local, Utc};

/// Formats how long ago (or how far ahead) `then` is from `now`, such as
/// "5 min ago" or "in 3 days".
pub fn relative_time(then: DateTime<Utc>, now: DateTime<Utc>) -> String {
    let seconds = (now - then).num_seconds();

    if seconds.abs() < 45 {
        return "just now".to_owned();
    }

    let span = format_span(seconds.unsigned_abs());

    if seconds > 0 {
        format!("{span} ago")
    } else {
        format!("in {span}")
    }
}

/// Formats a span of seconds in its largest unit: "5 min", "3 h", "2 days".
fn format_span(seconds: u64) -> String {
    const MINUTE: u64 = 60;
    const HOUR: u64 = 60 * MINUTE;
    const DAY: u64 = 24 * HOUR;

    match seconds {
        s if s < HOUR => format!("{} min", (s / MINUTE).max(1)),
        s if s < DAY => format!("{} h", s / HOUR),
        s if s < 2 * DAY => "1 day".to_owned(),
        s if s < 60 * DAY => format!("{} days", s / DAY),
        s if s < 730 * DAY => format!("{} months", s / (30 * DAY)),
        s => format!("{} years", s / (365 * DAY)),
    }
}

/// Formats a duration in milliseconds with its two largest units, such as
/// "2 h 14 min", "3 days 4 h" or "45 s".
pub fn format_duration_ms(milliseconds: i64) -> String {
    let total = milliseconds.max(0) / 1000;
    let (days, hours, minutes, seconds) = (
        total / 86_400,
        total / 3600 % 24,
        total / 60 % 60,
        total % 60,
    );

    let parts: Vec<String> = [
        (days, "day"),
        (hours, "h"),
        (minutes, "min"),
        (seconds, "s"),
    ]
    .into_iter()
    .skip_while(|(value, _)| *value == 0)
    .take(2)
    .filter(|(value, _)| *value > 0)
    .map(|(value, unit)| match unit {
        "day" if value == 1 => "1 day".to_owned(),
        "day" => format!("{value} days"),
        _ => format!("{value} {unit}"),
    })
    .collect();

    if parts.is_empty() {
        return "0 s".to_owned();
    }

    parts.join(" ")
}

/// Formats a time in the browser's time zone, such as "2026-03-01 10:15".
pub fn local_time(value: DateTime<Utc>) -> String {
    value
        .with_timezone(&Local)
        .format("%Y-%m-%d %H:%M")
        .to_string()
}

/// Formats a time in the browser's time zone with its offset, for tooltips.
pub fn local_time_full(value: DateTime<Utc>) -> String {
    value
        .with_timezone(&Local)
        .format("%A %Y-%m-%d %H:%M:%S (UTC%:z)")
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{Duration, TimeZone};

    fn at(seconds: i64) -> DateTime<Utc> {
        Utc.timestamp_opt(1_800_000_000 + seconds, 0).unwrap()
    }

    #[test]
    fn relative_time_past_and_future() {
        let now = at(0);

        assert_eq!(relative_time(at(-10), now), "just now");
        assert_eq!(relative_time(at(-300), now), "5 min ago");
        assert_eq!(relative_time(at(-3 * 3600), now), "3 h ago");
        assert_eq!(relative_time(at(-86_400 - 10), now), "1 day ago");
        assert_eq!(relative_time(now + Duration::days(3), now), "in 3 days");
    }

    #[test]
    fn duration_two_largest_units() {
        assert_eq!(
            format_duration_ms((2 * 3600 + 14 * 60) * 1000),
            "2 h 14 min"
        );
        assert_eq!(
            format_duration_ms((3 * 86_400 + 4 * 3600 + 5) * 1000),
            "3 days 4 h"
        );
        assert_eq!(format_duration_ms(45_000), "45 s");
        assert_eq!(format_duration_ms(86_400_000), "1 day");
        assert_eq!(format_duration_ms(3600 * 1000 + 5000), "1 h");
        assert_eq!(format_duration_ms(0), "0 s");
        assert_eq!(format_duration_ms(-5), "0 s");
    }
}
