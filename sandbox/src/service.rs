//! The case operations behind the endpoints. Each write runs in one SQLite
//! transaction, so a request that fails changes nothing.

use std::sync::{Arc, Mutex, MutexGuard};

use axum::http::StatusCode;
use rusqlite::Connection;

use crate::lifecycle::{self, Author};
use crate::model::{AssignRequest, CasePatch, ChangeStatusRequest, OmniumCase, SearchResponse};
use crate::problem::{FieldErrors, Problem};
use crate::search::SearchQuery;
use crate::settings::Settings;
use crate::store::{self, StoredCase};
use crate::timestamp::Timestamp;

/// Case storage plus the tenant settings that its rules need.
#[derive(Debug)]
pub struct CaseService {
    connection: Mutex<Connection>,
    settings: Arc<Settings>,
}

impl CaseService {
    /// Wraps an open database.
    pub fn new(connection: Connection, settings: Arc<Settings>) -> Self {
        CaseService {
            connection: Mutex::new(connection),
            settings,
        }
    }

    /// Returns the tenant settings.
    pub fn settings(&self) -> &Settings {
        &self.settings
    }

    /// Locks the database connection for one operation.
    pub fn lock(&self) -> MutexGuard<'_, Connection> {
        self.connection
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Returns a case that exists and is not deleted.
    pub fn get(&self, id: &str) -> Result<OmniumCase, Problem> {
        let connection = self.lock();
        let stored = load_live(&connection, id)?;
        Ok(stored.case)
    }

    /// Runs a checked search.
    pub fn search(&self, query: &SearchQuery) -> Result<SearchResponse, Problem> {
        let connection = self.lock();
        let (result, total_hits) = store::search(&connection, query).map_err(Problem::internal)?;
        Ok(SearchResponse {
            result,
            total_hits,
            facets: Vec::new(),
            scroll_id: None,
        })
    }

    /// Creates a case. The server assigns the case number, `created`,
    /// `changed`, the status log and the note counters, ignoring what the
    /// request carried for them.
    ///
    /// Errors: 400 for invalid fields, 409 when `id` is already taken,
    /// deleted cases included.
    pub fn create(&self, mut case: OmniumCase, author: &Author) -> Result<OmniumCase, Problem> {
        lifecycle::validate_case(&case, &self.settings)?;

        let mut connection = self.lock();
        let transaction = connection.transaction().map_err(Problem::internal)?;

        if case.id.trim().is_empty() {
            case.id = uuid::Uuid::new_v4().to_string();
        } else if store::load(&transaction, &case.id)
            .map_err(Problem::internal)?
            .is_some()
        {
            return Err(Problem::new(
                StatusCode::CONFLICT,
                format!("A case with id '{}' already exists.", case.id),
            ));
        }

        let now = Timestamp::now();
        let seq = store::next_seq(&transaction).map_err(Problem::internal)?;
        let status = case
            .status
            .take()
            .unwrap_or_else(|| self.settings.new_status.clone());

        case.case_number = Some(seq.to_string());
        case.created = Some(now);
        case.changed = Some(now);
        case.case_status_log.clear();
        case.resolved_date = None;
        case.closed_date = None;
        lifecycle::change_status(&mut case, &status, now, &self.settings);
        lifecycle::normalize_notes(&mut case, author, now);

        let stored = StoredCase {
            seq,
            case,
            deleted: false,
        };
        store::insert(&transaction, &stored, &self.settings).map_err(Problem::internal)?;
        transaction.commit().map_err(Problem::internal)?;
        Ok(stored.case)
    }

    /// Replaces every client-editable field of a case (PUT). The case
    /// number, `created`, the status log and the derived dates stay the
    /// server's.
    ///
    /// Assumption: a PUT without a status keeps the current status, because
    /// the reference does not say that a full update may clear it.
    pub fn replace(&self, mut case: OmniumCase, author: &Author) -> Result<OmniumCase, Problem> {
        if case.id.trim().is_empty() {
            return Err(Problem::invalid_field("id", "The id field is required."));
        }
        lifecycle::validate_case(&case, &self.settings)?;

        let mut connection = self.lock();
        let transaction = connection.transaction().map_err(Problem::internal)?;
        let stored = load_live(&transaction, &case.id)?;

        let now = Timestamp::now();
        let requested_status = case.status.take().or_else(|| stored.case.status.clone());

        case.case_number = stored.case.case_number.clone();
        case.created = stored.case.created;
        case.changed = Some(now);
        case.status = stored.case.status.clone();
        case.case_status_log = stored.case.case_status_log.clone();
        case.resolved_date = stored.case.resolved_date;
        case.closed_date = stored.case.closed_date;
        if let Some(status) = requested_status {
            lifecycle::change_status(&mut case, &status, now, &self.settings);
        }
        lifecycle::normalize_notes(&mut case, author, now);

        self.save(transaction, stored.seq, case)
    }

    /// Applies the present, non-null fields of a PATCH body.
    pub fn patch(&self, patch: CasePatch) -> Result<OmniumCase, Problem> {
        let Some(id) = patch.id.clone().filter(|id| !id.trim().is_empty()) else {
            return Err(Problem::invalid_field("id", "The id field is required."));
        };
        lifecycle::validate_patch(&patch, &self.settings)?;

        let mut connection = self.lock();
        let transaction = connection.transaction().map_err(Problem::internal)?;
        let stored = load_live(&transaction, &id)?;

        let now = Timestamp::now();
        let mut case = stored.case;
        apply_patch(&mut case, patch.clone());
        if let Some(status) = &patch.status {
            lifecycle::change_status(&mut case, status, now, &self.settings);
        }
        case.changed = Some(now);

        self.save(transaction, stored.seq, case)
    }

    /// Marks a case deleted; it keeps its data and appears in searches with
    /// `includeDeleted`.
    pub fn delete(&self, id: &str) -> Result<(), Problem> {
        let mut connection = self.lock();
        let transaction = connection.transaction().map_err(Problem::internal)?;
        let mut stored = load_live(&transaction, id)?;

        stored.deleted = true;
        stored.case.changed = Some(Timestamp::now());

        store::update(&transaction, &stored, &self.settings).map_err(Problem::internal)?;
        transaction.commit().map_err(Problem::internal)?;
        Ok(())
    }

    /// Sets the assignee.
    ///
    /// Assumption: a null `assignedToUserId` unassigns the case, since PATCH
    /// cannot clear a field and agents need a way to unassign.
    pub fn assign(&self, id: &str, request: AssignRequest) -> Result<OmniumCase, Problem> {
        let mut connection = self.lock();
        let transaction = connection.transaction().map_err(Problem::internal)?;
        let stored = load_live(&transaction, id)?;

        let mut case = stored.case;
        case.assigned_to_user_id = request.assigned_to_user_id;
        case.assigned_to_name = request.assigned_to_name;
        case.changed = Some(Timestamp::now());

        self.save(transaction, stored.seq, case)
    }

    /// Moves a case to another configured status.
    pub fn change_status(
        &self,
        id: &str,
        request: ChangeStatusRequest,
    ) -> Result<OmniumCase, Problem> {
        let Some(status) = request.status.filter(|status| !status.trim().is_empty()) else {
            return Err(Problem::invalid_field(
                "status",
                "The status field is required.",
            ));
        };
        let mut errors = FieldErrors::default();
        lifecycle::check_status(&mut errors, "status", &status, &self.settings);
        errors.into_result()?;

        let mut connection = self.lock();
        let transaction = connection.transaction().map_err(Problem::internal)?;
        let stored = load_live(&transaction, id)?;

        let now = Timestamp::now();
        let mut case = stored.case;
        lifecycle::change_status(&mut case, &status, now, &self.settings);
        case.changed = Some(now);

        self.save(transaction, stored.seq, case)
    }

    fn save(
        &self,
        transaction: rusqlite::Transaction<'_>,
        seq: i64,
        case: OmniumCase,
    ) -> Result<OmniumCase, Problem> {
        let stored = StoredCase {
            seq,
            case,
            deleted: false,
        };
        store::update(&transaction, &stored, &self.settings).map_err(Problem::internal)?;
        transaction.commit().map_err(Problem::internal)?;
        Ok(stored.case)
    }
}

/// Loads a case, or returns a 404 problem when it is missing or deleted.
fn load_live(connection: &Connection, id: &str) -> Result<StoredCase, Problem> {
    let stored = store::load(connection, id).map_err(Problem::internal)?;
    match stored {
        None => Err(Problem::not_found(format!("Case '{id}' was not found."))),
        Some(stored) if stored.deleted => {
            Err(Problem::not_found(format!("Case '{id}' was deleted.")))
        }
        Some(stored) => Ok(stored),
    }
}

/// Copies every present field of `patch` onto `case`, except `status`,
/// which goes through the status rules.
///
/// Assumption: Omnium documents that PATCH cannot clear a field and that
/// unassigning or emptying a list needs a full PUT, so an empty string or an
/// empty list counts as absent here, like `null`.
fn apply_patch(case: &mut OmniumCase, patch: CasePatch) {
    fn set_list<T>(target: &mut Vec<T>, value: Option<Vec<T>>) {
        if let Some(value) = value.filter(|list| !list.is_empty()) {
            *target = value;
        }
    }
    fn set_text(target: &mut Option<String>, value: Option<String>) {
        if value.as_deref().is_some_and(|text| !text.is_empty()) {
            *target = value;
        }
    }

    set_text(&mut case.subject, patch.subject);
    set_text(&mut case.description, patch.description);
    set_text(&mut case.priority, patch.priority);
    set_text(&mut case.source, patch.source);
    set_text(&mut case.assigned_to_user_id, patch.assigned_to_user_id);
    set_text(&mut case.assigned_to_name, patch.assigned_to_name);
    set_text(&mut case.customer_name, patch.customer_name);
    set_text(&mut case.customer_email, patch.customer_email);
    set_text(&mut case.customer_id, patch.customer_id);
    set_list(&mut case.tags, patch.tags);
    set_list(&mut case.related_orders, patch.related_orders);
    set_list(&mut case.related_customers, patch.related_customers);
    set_list(&mut case.related_projects, patch.related_projects);
    set_list(&mut case.related_carts, patch.related_carts);
    set_list(&mut case.related_sku_ids, patch.related_sku_ids);
    set_list(&mut case.related_product_ids, patch.related_product_ids);
    set_list(&mut case.participants, patch.participants);
    set_list(&mut case.properties, patch.properties);
    if patch.follow_up_date.is_some() {
        case.follow_up_date = patch.follow_up_date;
    }
    set_text(&mut case.market_id, patch.market_id);
    set_text(&mut case.market_group_id, patch.market_group_id);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::DbLocation;

    fn service() -> CaseService {
        let settings = Arc::new(Settings::default());
        let connection = store::open(&DbLocation::InMemory, &settings).unwrap();
        CaseService::new(connection, settings)
    }

    fn author() -> Author {
        Author {
            user_id: "agent-ada".to_owned(),
            name: "Ada Lovelace".to_owned(),
        }
    }

    fn new_case(subject: &str) -> OmniumCase {
        OmniumCase {
            subject: Some(subject.to_owned()),
            ..OmniumCase::default()
        }
    }

    #[test]
    fn create_numbers_cases_and_sets_new_status() {
        let service = service();
        let first = service.create(new_case("One"), &author()).unwrap();
        let second = service.create(new_case("Two"), &author()).unwrap();

        assert_eq!(first.case_number.as_deref(), Some("10001"));
        assert_eq!(second.case_number.as_deref(), Some("10002"));
        assert_eq!(first.status.as_deref(), Some("New"));
        assert_eq!(first.case_status_log.len(), 1);
    }

    #[test]
    fn failed_write_changes_nothing() {
        let service = service();
        let created = service.create(new_case("One"), &author()).unwrap();

        let bad = CasePatch {
            id: Some(created.id.clone()),
            subject: Some("Changed".to_owned()),
            customer_email: Some("broken".to_owned()),
            ..CasePatch::default()
        };
        assert!(service.patch(bad).is_err());
        assert_eq!(
            service.get(&created.id).unwrap().subject.as_deref(),
            Some("One")
        );
    }

    #[test]
    fn patch_leaves_missing_fields() {
        let service = service();
        let mut case = new_case("One");
        case.priority = Some("High".to_owned());
        let created = service.create(case, &author()).unwrap();

        let patched = service
            .patch(CasePatch {
                id: Some(created.id.clone()),
                description: Some("More detail".to_owned()),
                ..CasePatch::default()
            })
            .unwrap();

        assert_eq!(patched.priority.as_deref(), Some("High"));
        assert_eq!(patched.subject.as_deref(), Some("One"));
        assert_eq!(patched.description.as_deref(), Some("More detail"));
    }
}
