//! Tenant settings for cases: statuses with levels, priorities and sources.
//!
//! Omnium configures these per tenant. The defaults are the examples from
//! Omnium's Cases documentation.

use std::path::Path;

use anyhow::{Context, bail};
use serde::{Deserialize, Serialize};

/// One configured case status.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct StatusSetting {
    /// Status name as stored on cases, such as `In Progress`.
    pub name: String,
    /// Position in the flow; lower levels come earlier.
    pub level: i32,
}

/// Case settings of one tenant, read from a JSON settings file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default, deny_unknown_fields)]
pub struct Settings {
    /// Configured statuses; a case status must be one of these names.
    pub statuses: Vec<StatusSetting>,
    /// Status given to created cases that carry none.
    pub new_status: String,
    /// Status that sets `resolvedDate`.
    pub resolved_status: String,
    /// Status that sets `closedDate`.
    pub closed_status: String,
    /// Status a closed or resolved case returns to when it is reopened.
    pub reopen_status: String,
    /// Priorities from lowest to highest.
    pub priorities: Vec<String>,
    /// Case sources, such as `Email`.
    pub sources: Vec<String>,
}

impl Default for Settings {
    fn default() -> Self {
        let status = |name: &str, level| StatusSetting {
            name: name.to_owned(),
            level,
        };
        let names = |values: &[&str]| values.iter().map(|value| value.to_string()).collect();

        Settings {
            statuses: vec![
                status("New", 0),
                status("In Progress", 1),
                status("Resolved", 2),
                status("Closed", 3),
            ],
            new_status: "New".to_owned(),
            resolved_status: "Resolved".to_owned(),
            closed_status: "Closed".to_owned(),
            reopen_status: "In Progress".to_owned(),
            priorities: names(&["Low", "Medium", "High", "Critical"]),
            sources: names(&["Email", "Phone", "Web"]),
        }
    }
}

impl Settings {
    /// Reads and checks a settings file; keys it leaves out keep their defaults.
    pub fn load(path: &Path) -> anyhow::Result<Self> {
        let text = std::fs::read_to_string(path)
            .with_context(|| format!("failed to read settings file {}", path.display()))?;
        let settings: Settings = serde_json::from_str(&text)
            .with_context(|| format!("invalid settings file {}", path.display()))?;
        settings
            .validate()
            .with_context(|| format!("invalid settings file {}", path.display()))?;
        Ok(settings)
    }

    /// Checks that the named statuses exist and that names are unique.
    pub fn validate(&self) -> anyhow::Result<()> {
        if self.statuses.is_empty() {
            bail!("statuses must list at least one status");
        }

        for (index, status) in self.statuses.iter().enumerate() {
            if status.name.trim().is_empty() {
                bail!("statuses[{index}].name must not be blank");
            }
            if self.statuses[..index]
                .iter()
                .any(|earlier| earlier.name == status.name)
            {
                bail!("status '{}' is listed twice", status.name);
            }
        }

        let roles = [
            ("newStatus", &self.new_status),
            ("resolvedStatus", &self.resolved_status),
            ("closedStatus", &self.closed_status),
            ("reopenStatus", &self.reopen_status),
        ];
        for (key, name) in roles {
            if self.status_level(name).is_none() {
                bail!("{key} '{name}' is not one of the configured statuses");
            }
        }
        Ok(())
    }

    /// Returns the level of a configured status, or `None` for an unknown one.
    pub fn status_level(&self, name: &str) -> Option<i32> {
        self.statuses
            .iter()
            .find(|status| status.name == name)
            .map(|status| status.level)
    }

    /// Returns the status names ordered by level.
    pub fn status_names_by_level(&self) -> Vec<String> {
        let mut statuses = self.statuses.clone();
        statuses.sort_by_key(|status| status.level);
        statuses.into_iter().map(|status| status.name).collect()
    }

    /// Returns the status sort key of a case: the status level.
    ///
    /// Assumption: Omnium sorts statuses by their configured level, not by
    /// name, and an unknown status (`None` here) sorts after every known one
    /// in both directions.
    pub fn status_sort_rank(&self, status: Option<&str>) -> Option<i64> {
        status
            .and_then(|name| self.status_level(name))
            .map(i64::from)
    }

    /// Returns the priority sort key of a case: its position in the list.
    ///
    /// Assumption: Omnium sorts priorities by their position in the configured
    /// list (lowest first), and an unknown priority (`None` here) sorts after
    /// every known one in both directions.
    pub fn priority_sort_rank(&self, priority: Option<&str>) -> Option<i64> {
        let name = priority?;
        self.priorities
            .iter()
            .position(|candidate| candidate == name)
            .map(|position| position as i64)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_are_valid() {
        Settings::default().validate().unwrap();
    }

    #[test]
    fn status_rank_follows_level_not_name() {
        let settings = Settings::default();
        assert_eq!(settings.status_sort_rank(Some("New")), Some(0));
        assert_eq!(settings.status_sort_rank(Some("In Progress")), Some(1));
        assert_eq!(settings.status_sort_rank(Some("Closed")), Some(3));
        assert_eq!(settings.status_sort_rank(Some("Archived")), None);
        assert_eq!(settings.status_sort_rank(None), None);
    }

    #[test]
    fn priority_rank_follows_list_position() {
        let settings = Settings::default();
        assert_eq!(settings.priority_sort_rank(Some("Low")), Some(0));
        assert_eq!(settings.priority_sort_rank(Some("Critical")), Some(3));
        assert_eq!(settings.priority_sort_rank(Some("Urgent")), None);
    }

    #[test]
    fn partial_file_keeps_defaults() {
        let settings: Settings = serde_json::from_str(r#"{"sources": ["Chat"]}"#).unwrap();
        assert_eq!(settings.sources, vec!["Chat".to_owned()]);
        assert_eq!(settings.priorities.len(), 4);
        settings.validate().unwrap();
    }

    #[test]
    fn validate_rejects_unknown_closed_status() {
        let settings = Settings {
            closed_status: "Done".to_owned(),
            ..Settings::default()
        };
        let message = settings.validate().unwrap_err().to_string();
        assert!(message.contains("closedStatus 'Done'"), "{message}");
    }

    #[test]
    fn status_names_by_level_sorts_by_level() {
        let settings = Settings {
            statuses: vec![
                StatusSetting {
                    name: "Closed".to_owned(),
                    level: 9,
                },
                StatusSetting {
                    name: "New".to_owned(),
                    level: 0,
                },
            ],
            new_status: "New".to_owned(),
            resolved_status: "Closed".to_owned(),
            closed_status: "Closed".to_owned(),
            reopen_status: "New".to_owned(),
            ..Settings::default()
        };
        assert_eq!(settings.status_names_by_level(), vec!["New", "Closed"]);
    }
}
