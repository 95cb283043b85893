//! SQLite storage of cases.
//!
//! Each case is stored whole as JSON in `case_bodies`. The fields that search
//! filters and sorts on are copied into indexed columns of `cases`, list
//! fields that search filters on into lookup tables, and the free-text fields
//! into one lowercase text per case in `case_text`. The case number is the
//! row id of `cases`.

use std::path::PathBuf;

use anyhow::Context;
use rusqlite::functions::FunctionFlags;
use rusqlite::types::Value as SqlValue;
use rusqlite::{Connection, OptionalExtension, Transaction, params, params_from_iter};

use crate::model::OmniumCase;
use crate::search::SearchQuery;
use crate::settings::Settings;

/// Number of the first case in an empty database.
pub const FIRST_CASE_NUMBER: i64 = 10_001;

/// Separator between fields in the free-text column, so that a search term
/// never matches across two fields.
const TEXT_FIELD_SEPARATOR: char = '\u{1f}';

const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS meta (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS cases (
    seq INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    subject TEXT,
    status TEXT,
    status_rank INTEGER,
    priority TEXT,
    priority_rank INTEGER,
    assigned_to_user_id TEXT,
    assigned_to_name TEXT,
    customer_name TEXT,
    follow_up_date TEXT,
    created TEXT NOT NULL,
    changed TEXT NOT NULL,
    deleted INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE IF NOT EXISTS case_bodies (
    seq INTEGER PRIMARY KEY,
    body TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS case_text (
    seq INTEGER PRIMARY KEY,
    text TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS case_tags (
    tag TEXT NOT NULL,
    seq INTEGER NOT NULL,
    PRIMARY KEY (tag, seq)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS case_orders (
    order_id TEXT NOT NULL,
    seq INTEGER NOT NULL,
    PRIMARY KEY (order_id, seq)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS case_customers (
    customer_id TEXT NOT NULL,
    seq INTEGER NOT NULL,
    PRIMARY KEY (customer_id, seq)
) WITHOUT ROWID;
";

/// Indexes of `cases`. Seeding creates them after the bulk insert, which is
/// faster than updating them row by row.
const INDEXES: &str = "
CREATE INDEX IF NOT EXISTS cases_created ON cases (created);
CREATE INDEX IF NOT EXISTS cases_changed ON cases (changed);
CREATE INDEX IF NOT EXISTS cases_status ON cases (status, created);
CREATE INDEX IF NOT EXISTS cases_priority ON cases (priority, created);
CREATE INDEX IF NOT EXISTS cases_assignee ON cases (assigned_to_user_id, created);
CREATE INDEX IF NOT EXISTS cases_status_rank ON cases (status_rank IS NULL, status_rank, created);
CREATE INDEX IF NOT EXISTS cases_priority_rank ON cases (priority_rank IS NULL, priority_rank, created);
CREATE INDEX IF NOT EXISTS cases_subject ON cases (subject IS NULL, subject COLLATE NOCASE, created);
CREATE INDEX IF NOT EXISTS cases_customer_name
    ON cases (customer_name IS NULL, customer_name COLLATE NOCASE, created);
CREATE INDEX IF NOT EXISTS cases_assignee_name
    ON cases (assigned_to_name IS NULL, assigned_to_name COLLATE NOCASE, created);
CREATE INDEX IF NOT EXISTS cases_follow_up ON cases (follow_up_date IS NULL, follow_up_date, created);
";

/// Location of the database.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DbLocation {
    /// A SQLite file, created when missing.
    File(PathBuf),
    /// A private in-memory database, gone when the sandbox stops.
    InMemory,
}

/// A stored case with its storage state.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredCase {
    /// Row id, equal to the case number.
    pub seq: i64,
    pub case: OmniumCase,
    pub deleted: bool,
}

/// A case ready to be written: its JSON body and free text are computed
/// up front, which lets seeding do that work on another thread.
#[derive(Debug, Clone, PartialEq)]
pub struct CaseRow {
    pub stored: StoredCase,
    body: String,
    text: String,
}

impl CaseRow {
    /// Serializes a stored case.
    pub fn new(stored: StoredCase) -> anyhow::Result<Self> {
        Ok(CaseRow {
            body: serde_json::to_string(&stored.case)?,
            text: searchable_text(&stored.case),
            stored,
        })
    }
}

/// Opens the database, creates the tables and refreshes the status and
/// priority sort keys when the settings changed since the last run. Call
/// [`create_indexes`] before serving.
pub fn open(location: &DbLocation, settings: &Settings) -> anyhow::Result<Connection> {
    let mut connection = match location {
        DbLocation::File(path) => Connection::open(path)
            .with_context(|| format!("failed to open database {}", path.display()))?,
        DbLocation::InMemory => Connection::open_in_memory()?,
    };

    if let DbLocation::File(_) = location {
        connection.pragma_update(None, "journal_mode", "WAL")?;
        connection.pragma_update(None, "synchronous", "NORMAL")?;
    }
    connection.execute_batch(SCHEMA)?;
    register_contains_text(&connection)?;
    refresh_sort_ranks(&mut connection, settings)?;
    Ok(connection)
}

/// Registers `contains_text(haystack, needle)`, a byte substring test.
/// SQLite's own `instr` compares the needle at every byte with a separate
/// `memcmp` call; `memchr`'s SIMD search makes free-text scans several
/// times faster.
fn register_contains_text(connection: &Connection) -> rusqlite::Result<()> {
    connection.create_scalar_function(
        "contains_text",
        2,
        FunctionFlags::SQLITE_UTF8 | FunctionFlags::SQLITE_DETERMINISTIC,
        |context| {
            let haystack = context.get_raw(0).as_bytes().unwrap_or_default();
            let needle = context.get_raw(1).as_bytes().unwrap_or_default();
            Ok(memchr::memmem::find(haystack, needle).is_some())
        },
    )
}

/// Creates the search indexes when missing.
pub fn create_indexes(connection: &Connection) -> rusqlite::Result<()> {
    connection.execute_batch(INDEXES)
}

/// Returns the number of stored cases, deleted ones included.
pub fn count(connection: &Connection) -> rusqlite::Result<i64> {
    connection.query_row("SELECT COUNT(*) FROM cases", [], |row| row.get(0))
}

/// Returns the number the next created case gets.
pub fn next_seq(connection: &Connection) -> rusqlite::Result<i64> {
    let last: Option<i64> =
        connection.query_row("SELECT MAX(seq) FROM cases", [], |row| row.get(0))?;
    Ok(last.map_or(FIRST_CASE_NUMBER, |last| last + 1))
}

/// Loads a case by id, deleted or not.
pub fn load(connection: &Connection, id: &str) -> anyhow::Result<Option<StoredCase>> {
    let row = connection
        .query_row(
            "SELECT c.seq, c.deleted, b.body FROM cases c JOIN case_bodies b ON b.seq = c.seq
             WHERE c.id = ?1",
            [id],
            |row| {
                Ok((
                    row.get::<_, i64>(0)?,
                    row.get::<_, bool>(1)?,
                    row.get::<_, String>(2)?,
                ))
            },
        )
        .optional()?;

    let Some((seq, deleted, body)) = row else {
        return Ok(None);
    };
    let case = serde_json::from_str(&body)
        .with_context(|| format!("stored case {id} is not valid JSON"))?;
    Ok(Some(StoredCase { seq, case, deleted }))
}

/// Inserts a new case.
pub fn insert(
    transaction: &Transaction<'_>,
    stored: &StoredCase,
    settings: &Settings,
) -> anyhow::Result<()> {
    insert_row(transaction, &CaseRow::new(stored.clone())?, settings)
}

/// Inserts a new case that is already serialized.
pub fn insert_row(
    transaction: &Transaction<'_>,
    row: &CaseRow,
    settings: &Settings,
) -> anyhow::Result<()> {
    let stored = &row.stored;
    let case = &stored.case;
    let created = required_time(case.created.map(|time| time.to_string()), "created")?;
    let changed = required_time(case.changed.map(|time| time.to_string()), "changed")?;

    transaction
        .prepare_cached(
            "INSERT INTO cases (seq, id, subject, status, status_rank, priority, priority_rank,
                 assigned_to_user_id, assigned_to_name, customer_name, follow_up_date,
                 created, changed, deleted)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)",
        )?
        .execute(params![
            stored.seq,
            case.id,
            case.subject,
            case.status,
            settings.status_sort_rank(case.status.as_deref()),
            case.priority,
            settings.priority_sort_rank(case.priority.as_deref()),
            case.assigned_to_user_id,
            case.assigned_to_name,
            case.customer_name,
            case.follow_up_date.map(|time| time.to_string()),
            created,
            changed,
            stored.deleted,
        ])?;
    write_dependents(transaction, row)
}

/// Replaces a stored case, keeping its number and id.
pub fn update(
    transaction: &Transaction<'_>,
    stored: &StoredCase,
    settings: &Settings,
) -> anyhow::Result<()> {
    let case = &stored.case;
    let created = required_time(case.created.map(|time| time.to_string()), "created")?;
    let changed = required_time(case.changed.map(|time| time.to_string()), "changed")?;

    transaction
        .prepare_cached(
            "UPDATE cases SET subject = ?2, status = ?3, status_rank = ?4, priority = ?5,
                 priority_rank = ?6, assigned_to_user_id = ?7, assigned_to_name = ?8,
                 customer_name = ?9, follow_up_date = ?10, created = ?11, changed = ?12,
                 deleted = ?13
             WHERE seq = ?1",
        )?
        .execute(params![
            stored.seq,
            case.subject,
            case.status,
            settings.status_sort_rank(case.status.as_deref()),
            case.priority,
            settings.priority_sort_rank(case.priority.as_deref()),
            case.assigned_to_user_id,
            case.assigned_to_name,
            case.customer_name,
            case.follow_up_date.map(|time| time.to_string()),
            created,
            changed,
            stored.deleted,
        ])?;

    for table in [
        "case_bodies",
        "case_text",
        "case_tags",
        "case_orders",
        "case_customers",
    ] {
        transaction
            .prepare_cached(&format!("DELETE FROM {table} WHERE seq = ?1"))?
            .execute([stored.seq])?;
    }
    write_dependents(transaction, &CaseRow::new(stored.clone())?)
}

/// Runs a search and returns one page of cases and the total hit count.
///
/// A free-text search scans the text of every case, so it runs that scan
/// once and sorts all hits in one query. Other searches count with one query
/// and page with another that can walk an index. Bodies are read only for
/// the cases of the page.
pub fn search(
    connection: &Connection,
    query: &SearchQuery,
) -> anyhow::Result<(Vec<OmniumCase>, i64)> {
    let (filter, mut values) = filter_sql(query);
    let order = query.sort.sql();
    let offset = query.page * query.take;

    let (page, total) = if query.text.is_some() {
        let sql = format!("SELECT c.seq FROM cases c WHERE {filter} ORDER BY {order}");
        let all = select_seqs(connection, &sql, &values)?;
        let page = all
            .iter()
            .skip(offset as usize)
            .take(query.take as usize)
            .copied()
            .collect();
        (page, all.len() as i64)
    } else {
        let total: i64 = connection.query_row(
            &format!("SELECT COUNT(*) FROM cases c WHERE {filter}"),
            params_from_iter(values.iter()),
            |row| row.get(0),
        )?;
        if offset >= total {
            return Ok((Vec::new(), total));
        }
        values.push(SqlValue::Integer(query.take));
        values.push(SqlValue::Integer(offset));
        let sql =
            format!("SELECT c.seq FROM cases c WHERE {filter} ORDER BY {order} LIMIT ? OFFSET ?");
        (select_seqs(connection, &sql, &values)?, total)
    };

    let mut read_body = connection.prepare_cached("SELECT body FROM case_bodies WHERE seq = ?1")?;
    let mut cases = Vec::with_capacity(page.len());
    for seq in page {
        let body: String = read_body.query_row([seq], |row| row.get(0))?;
        cases.push(serde_json::from_str(&body).context("stored case is not valid JSON")?);
    }
    Ok((cases, total))
}

fn select_seqs(
    connection: &Connection,
    sql: &str,
    values: &[SqlValue],
) -> anyhow::Result<Vec<i64>> {
    let mut statement = connection.prepare_cached(sql)?;
    let seqs = statement
        .query_map(params_from_iter(values.iter()), |row| row.get(0))?
        .collect::<rusqlite::Result<Vec<i64>>>()?;
    Ok(seqs)
}

/// Builds the `WHERE` condition of a search and its parameters.
///
/// Assumption: the `customerId` filter matches a case whose `customerId` or
/// whose `relatedCustomers` contains the id, since Omnium documents it only
/// as "linked customer". Date bounds are inclusive.
fn filter_sql(query: &SearchQuery) -> (String, Vec<SqlValue>) {
    let mut conditions = Vec::new();
    let mut values = Vec::new();
    let mut add = |condition: &str, value: SqlValue| {
        conditions.push(condition.to_owned());
        values.push(value);
    };
    let text = |value: &str| SqlValue::Text(value.to_owned());

    if let Some(search_text) = &query.text {
        add(
            "c.seq IN (SELECT seq FROM case_text WHERE contains_text(text, ?))",
            text(search_text),
        );
    }
    if let Some(status) = &query.status {
        add("c.status = ?", text(status));
    }
    if let Some(priority) = &query.priority {
        add("c.priority = ?", text(priority));
    }
    if let Some(user_id) = &query.assigned_to_user_id {
        add("c.assigned_to_user_id = ?", text(user_id));
    }
    for tag in &query.tags {
        add(
            "c.seq IN (SELECT seq FROM case_tags WHERE tag = ?)",
            text(tag),
        );
    }
    if let Some(customer_id) = &query.customer_id {
        add(
            "c.seq IN (SELECT seq FROM case_customers WHERE customer_id = ?)",
            text(customer_id),
        );
    }
    if let Some(order_id) = &query.order_id {
        add(
            "c.seq IN (SELECT seq FROM case_orders WHERE order_id = ?)",
            text(order_id),
        );
    }
    if let Some(from) = query.created_from {
        add("c.created >= ?", SqlValue::Text(from.to_string()));
    }
    if let Some(to) = query.created_to {
        add("c.created <= ?", SqlValue::Text(to.to_string()));
    }
    if !query.include_deleted {
        conditions.push("c.deleted = 0".to_owned());
    }

    if conditions.is_empty() {
        return ("1 = 1".to_owned(), values);
    }
    (conditions.join(" AND "), values)
}

/// Writes the JSON body, the free text and the lookup rows of a case.
fn write_dependents(transaction: &Transaction<'_>, row: &CaseRow) -> anyhow::Result<()> {
    let case = &row.stored.case;
    let seq = row.stored.seq;

    transaction
        .prepare_cached("INSERT INTO case_bodies (seq, body) VALUES (?1, ?2)")?
        .execute(params![seq, row.body])?;
    transaction
        .prepare_cached("INSERT INTO case_text (seq, text) VALUES (?1, ?2)")?
        .execute(params![seq, row.text])?;

    let mut insert_tag =
        transaction.prepare_cached("INSERT OR IGNORE INTO case_tags (tag, seq) VALUES (?1, ?2)")?;
    for tag in &case.tags {
        insert_tag.execute(params![tag, seq])?;
    }

    let mut insert_order = transaction
        .prepare_cached("INSERT OR IGNORE INTO case_orders (order_id, seq) VALUES (?1, ?2)")?;
    for order in &case.related_orders {
        insert_order.execute(params![order, seq])?;
    }

    let mut insert_customer = transaction.prepare_cached(
        "INSERT OR IGNORE INTO case_customers (customer_id, seq) VALUES (?1, ?2)",
    )?;
    for customer in case.customer_id.iter().chain(&case.related_customers) {
        insert_customer.execute(params![customer, seq])?;
    }
    Ok(())
}

/// Returns the lowercase text that free-text search matches: case number,
/// subject, description and customer name.
fn searchable_text(case: &OmniumCase) -> String {
    let fields = [
        case.case_number.as_deref(),
        case.subject.as_deref(),
        case.description.as_deref(),
        case.customer_name.as_deref(),
    ];
    let separator = TEXT_FIELD_SEPARATOR.to_string();
    fields
        .map(|field| field.unwrap_or_default().to_lowercase())
        .join(&separator)
}

fn required_time(value: Option<String>, field: &str) -> anyhow::Result<String> {
    value.with_context(|| format!("a stored case needs a '{field}' time"))
}

/// Recomputes `status_rank` and `priority_rank` when the configured statuses
/// or priorities differ from those the stored ranks were computed with.
fn refresh_sort_ranks(connection: &mut Connection, settings: &Settings) -> anyhow::Result<()> {
    let fingerprint = serde_json::to_string(&(&settings.statuses, &settings.priorities))?;
    let stored: Option<String> = connection
        .query_row(
            "SELECT value FROM meta WHERE key = 'rank_settings'",
            [],
            |row| row.get(0),
        )
        .optional()?;
    if stored.as_deref() == Some(fingerprint.as_str()) {
        return Ok(());
    }

    let transaction = connection.transaction()?;
    transaction.execute(
        "UPDATE cases SET status_rank = NULL, priority_rank = NULL",
        [],
    )?;
    for status in &settings.statuses {
        transaction.execute(
            "UPDATE cases SET status_rank = ?1 WHERE status = ?2",
            params![status.level, status.name],
        )?;
    }
    for (position, priority) in settings.priorities.iter().enumerate() {
        transaction.execute(
            "UPDATE cases SET priority_rank = ?1 WHERE priority = ?2",
            params![position as i64, priority],
        )?;
    }
    transaction.execute(
        "INSERT OR REPLACE INTO meta (key, value) VALUES ('rank_settings', ?1)",
        [fingerprint],
    )?;
    transaction.commit()?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::SearchRequest;
    use crate::timestamp::Timestamp;

    fn open_indexed(location: &DbLocation) -> Connection {
        let connection = open(location, &Settings::default()).unwrap();
        create_indexes(&connection).unwrap();
        connection
    }

    fn case(id: &str, subject: &str, created: &str) -> OmniumCase {
        let created = Timestamp::parse(created).unwrap();
        OmniumCase {
            id: id.to_owned(),
            subject: Some(subject.to_owned()),
            status: Some("New".to_owned()),
            created: Some(created),
            changed: Some(created),
            tags: vec!["vip".to_owned()],
            ..OmniumCase::default()
        }
    }

    fn insert_all(connection: &mut Connection, cases: Vec<OmniumCase>) {
        let settings = Settings::default();
        let transaction = connection.transaction().unwrap();
        for mut case in cases {
            let seq = next_seq(&transaction).unwrap();
            case.case_number = Some(seq.to_string());
            let stored = StoredCase {
                seq,
                case,
                deleted: false,
            };
            insert(&transaction, &stored, &settings).unwrap();
        }
        transaction.commit().unwrap();
    }

    fn run(connection: &Connection, request: SearchRequest) -> (Vec<String>, i64) {
        let query = SearchQuery::from_request(request).unwrap();
        let (cases, total) = search(connection, &query).unwrap();
        (cases.into_iter().map(|case| case.id).collect(), total)
    }

    #[test]
    fn insert_load_and_update_round_trip() {
        let mut connection = open_indexed(&DbLocation::InMemory);
        insert_all(
            &mut connection,
            vec![case("a", "Parcel lost", "2026-01-01T00:00:00Z")],
        );

        let mut stored = load(&connection, "a").unwrap().unwrap();
        assert_eq!(stored.seq, FIRST_CASE_NUMBER);
        assert_eq!(stored.case.subject.as_deref(), Some("Parcel lost"));

        stored.case.subject = Some("Parcel found".to_owned());
        stored.case.tags = vec!["b2b".to_owned()];
        let transaction = connection.transaction().unwrap();
        update(&transaction, &stored, &Settings::default()).unwrap();
        transaction.commit().unwrap();

        let reloaded = load(&connection, "a").unwrap().unwrap();
        assert_eq!(reloaded.case.subject.as_deref(), Some("Parcel found"));
        let (vip, _) = run(
            &connection,
            SearchRequest {
                tags: Some(vec!["vip".to_owned()]),
                ..SearchRequest::default()
            },
        );
        assert!(vip.is_empty());
    }

    #[test]
    fn default_search_is_newest_first() {
        let mut connection = open_indexed(&DbLocation::InMemory);
        insert_all(
            &mut connection,
            vec![
                case("old", "Old", "2026-01-01T00:00:00Z"),
                case("new", "New", "2026-02-01T00:00:00Z"),
            ],
        );
        let (ids, total) = run(&connection, SearchRequest::default());
        assert_eq!(ids, vec!["new", "old"]);
        assert_eq!(total, 2);
    }

    #[test]
    fn free_text_ignores_unicode_case_and_field_borders() {
        let mut connection = open_indexed(&DbLocation::InMemory);
        let mut zoe = case("zoe", "Refund", "2026-01-01T00:00:00Z");
        zoe.customer_name = Some("Zoë Ångström".to_owned());
        insert_all(&mut connection, vec![zoe]);

        let search = |text: &str| {
            run(
                &connection,
                SearchRequest {
                    search_text: Some(text.to_owned()),
                    ..SearchRequest::default()
                },
            )
            .1
        };
        assert_eq!(search("ÅNGSTRÖM"), 1);
        assert_eq!(search("10001"), 1);
        assert_eq!(search("refundzoë"), 0);
    }

    #[test]
    fn changed_settings_refresh_ranks() {
        let directory = tempfile::tempdir().unwrap();
        let location = DbLocation::File(directory.path().join("cases.db"));
        let mut connection = open(&location, &Settings::default()).unwrap();
        insert_all(
            &mut connection,
            vec![case("a", "A", "2026-01-01T00:00:00Z")],
        );
        drop(connection);

        let mut settings = Settings::default();
        settings.statuses[0].level = 7;
        let connection = open(&location, &settings).unwrap();
        let rank: i64 = connection
            .query_row("SELECT status_rank FROM cases", [], |row| row.get(0))
            .unwrap();
        assert_eq!(rank, 7);
    }
}
