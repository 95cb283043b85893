//! The status history as a timeline: when each status was set, how long the
//! case stayed in the status before it, and the live time in the current one.

use chrono::{DateTime, Utc};
use leptos::prelude::*;

use crate::app::use_app;
use crate::components::relative_time::RelativeTime;
use crate::model::{OmniumCase, OmniumCaseStatusLogItem};
use crate::text::format_duration_ms;

/// Shown for a log entry whose status is missing.
const UNNAMED_STATUS: &str = "(no status)";

/// One status of the timeline.
#[derive(Debug, Clone, PartialEq)]
pub struct TimelineEntry {
    pub status: String,
    pub set_at: Option<DateTime<Utc>>,
    /// The status before this one and how long the case stayed in it; `None`
    /// for the first entry.
    pub previous: Option<PreviousStay>,
}

/// The time a case spent in one status before moving on.
#[derive(Debug, Clone, PartialEq)]
pub struct PreviousStay {
    pub status: String,
    /// `None` when the log gives neither a duration nor both timestamps.
    pub duration_ms: Option<i64>,
}

/// Builds the timeline from the status log, in log order.
///
/// The stay in the previous status is the entry's `durationSincePreviousMs`.
/// When the API left that out, the gap between the two timestamps is used
/// instead, so a partial log still reads sensibly.
pub fn build_timeline(log: &[OmniumCaseStatusLogItem]) -> Vec<TimelineEntry> {
    let status_name = |item: &OmniumCaseStatusLogItem| {
        item.status
            .clone()
            .filter(|status| !status.trim().is_empty())
            .unwrap_or_else(|| UNNAMED_STATUS.to_owned())
    };

    log.iter()
        .enumerate()
        .map(|(index, item)| {
            let previous = index.checked_sub(1).map(|before| {
                let before = &log[before];
                let gap = match (before.timestamp, item.timestamp) {
                    (Some(start), Some(end)) => Some((end - start).num_milliseconds()),
                    _ => None,
                };

                PreviousStay {
                    status: status_name(before),
                    duration_ms: item.duration_since_previous_ms.or(gap),
                }
            });

            TimelineEntry {
                status: status_name(item),
                set_at: item.timestamp,
                previous,
            }
        })
        .collect()
}

/// Milliseconds the case has been in its latest status at `now`; `None`
/// without a timestamp. A clock behind the server's gives zero, not a
/// negative time.
pub fn time_in_current_status(set_at: Option<DateTime<Utc>>, now: DateTime<Utc>) -> Option<i64> {
    set_at.map(|set_at| (now - set_at).num_milliseconds().max(0))
}

/// The status history section.
#[component]
pub fn StatusTimeline(
    /// The case shown on the page.
    case: Memo<OmniumCase>,
) -> impl IntoView {
    let now = use_app().now;
    let entries = Memo::new(move |_| case.with(|case| build_timeline(&case.case_status_log)));

    let timeline = move || {
        let entries = entries.get();

        if entries.is_empty() {
            return view! { <p class="hint">"No status changes are recorded."</p> }.into_any();
        }

        let last = entries.len() - 1;
        let items = entries
            .into_iter()
            .enumerate()
            .map(|(index, entry)| {
                let current = (index == last).then(|| {
                    let status = entry.status.clone();
                    let set_at = entry.set_at;
                    let live = move || {
                        time_in_current_status(set_at, now.get())
                            .map(format_duration_ms)
                            .unwrap_or_else(|| "an unknown time".to_owned())
                    };

                    view! {
                        <p class="timeline-current">
                            "In " {status} " for " <span class="timeline-live">{live}</span> " so far"
                        </p>
                    }
                });

                view! {
                    <li class="timeline-entry" class:timeline-entry-current=index == last>
                        <span class="timeline-status">{entry.status}</span>
                        " "
                        <RelativeTime value=entry.set_at empty="at an unknown time" />
                        {entry.previous.map(stay_view)}
                        {current}
                    </li>
                }
            })
            .collect_view();

        view! { <ol class="status-timeline">{items}</ol> }.into_any()
    };

    view! {
        <section class="case-section" aria-labelledby="case-timeline-heading">
            <h2 id="case-timeline-heading">"Status history"</h2>
            {timeline}
        </section>
    }
}

fn stay_view(previous: PreviousStay) -> impl IntoView {
    let text = match previous.duration_ms {
        Some(duration) => format!("{} in {}", format_duration_ms(duration), previous.status),
        None => format!("from {}", previous.status),
    };

    view! {
        <p class="timeline-stay">
            <span class="hint">"after "</span>
            {text}
        </p>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn at(minutes: i64) -> DateTime<Utc> {
        Utc.timestamp_opt(1_800_000_000 + minutes * 60, 0).unwrap()
    }

    fn item(status: &str, minutes: i64, duration_ms: Option<i64>) -> OmniumCaseStatusLogItem {
        OmniumCaseStatusLogItem {
            status: Some(status.to_owned()),
            timestamp: Some(at(minutes)),
            duration_since_previous_ms: duration_ms,
            ..OmniumCaseStatusLogItem::default()
        }
    }

    #[test]
    fn timeline_names_previous_status() {
        let log = [
            item("New", 0, None),
            item("In Progress", 134, Some(134 * 60_000)),
            item("Resolved", 200, Some(66 * 60_000)),
        ];

        let timeline = build_timeline(&log);

        assert_eq!(timeline.len(), 3);
        assert_eq!(timeline[0].previous, None);
        assert_eq!(
            timeline[1].previous,
            Some(PreviousStay {
                status: "New".into(),
                duration_ms: Some(134 * 60_000)
            })
        );
        assert_eq!(timeline[2].previous.as_ref().unwrap().status, "In Progress");
        assert_eq!(timeline[2].status, "Resolved");
        assert_eq!(timeline[2].set_at, Some(at(200)));
    }

    #[test]
    fn timeline_prefers_logged_duration() {
        // The logged duration wins even where the timestamps disagree.
        let log = [item("New", 0, None), item("Closed", 10, Some(5_000))];

        let timeline = build_timeline(&log);

        assert_eq!(
            timeline[1].previous.as_ref().unwrap().duration_ms,
            Some(5_000)
        );
    }

    #[test]
    fn timeline_falls_back_to_timestamps() {
        let log = [item("New", 0, None), item("Closed", 10, None)];

        let timeline = build_timeline(&log);

        assert_eq!(
            timeline[1].previous.as_ref().unwrap().duration_ms,
            Some(600_000)
        );
    }

    #[test]
    fn timeline_without_times_has_no_duration() {
        let mut second = item("Closed", 10, None);
        second.timestamp = None;
        let log = [item("New", 0, None), second];

        let timeline = build_timeline(&log);

        assert_eq!(timeline[1].previous.as_ref().unwrap().duration_ms, None);
        assert_eq!(timeline[1].set_at, None);
    }

    #[test]
    fn timeline_names_missing_status() {
        let mut first = item("New", 0, None);
        first.status = None;
        let log = [first, item("Closed", 10, Some(1))];

        let timeline = build_timeline(&log);

        assert_eq!(timeline[0].status, UNNAMED_STATUS);
        assert_eq!(
            timeline[1].previous.as_ref().unwrap().status,
            UNNAMED_STATUS
        );
    }

    #[test]
    fn timeline_of_empty_log_is_empty() {
        assert!(build_timeline(&[]).is_empty());
    }

    #[test]
    fn current_status_time_counts_from_last_change() {
        assert_eq!(
            time_in_current_status(Some(at(0)), at(90)),
            Some(90 * 60_000)
        );
        assert_eq!(time_in_current_status(Some(at(5)), at(0)), Some(0));
        assert_eq!(time_in_current_status(None, at(0)), None);
    }
}
