//! Mapping driver errors to `StoreError`: unique violations become named conflicts,
//! everything else a backend failure whose message carries no bound values.

use propusk_core::store::StoreError;
use sqlx::error::{DatabaseError, ErrorKind};

/// A backend failure. Database errors keep only the code and the primary message, never
/// the detail (PostgreSQL puts the offending key values there).
pub(crate) fn backend(err: sqlx::Error) -> StoreError {
    let text = match &err {
        sqlx::Error::Database(db) => match db.code() {
            Some(code) => format!("{} (code {code})", db.message()),
            None => db.message().to_owned(),
        },
        other => other.to_string(),
    };
    StoreError::Backend(text)
}

/// Maps a unique violation on `table` to `Conflict`: the first of `columns` (column,
/// field) the violated constraint names, else `key` (the primary key's field name).
/// Other errors are backend failures.
pub(crate) fn conflict(
    err: sqlx::Error,
    table: &str,
    columns: &[(&str, &'static str)],
    key: &'static str,
) -> StoreError {
    let sqlx::Error::Database(db) = &err else {
        return backend(err);
    };
    if db.kind() != ErrorKind::UniqueViolation {
        return backend(err);
    }
    let field = columns
        .iter()
        .find(|(column, _)| names_column(db.as_ref(), table, column))
        .map_or(key, |(_, field)| *field);
    StoreError::Conflict(field)
}

/// PostgreSQL reports the constraint (`accounts_email_key`); SQLite only the message
/// (`UNIQUE constraint failed: accounts.email`).
fn names_column(db: &dyn DatabaseError, table: &str, column: &str) -> bool {
    match db.constraint() {
        Some(constraint) => constraint == format!("{table}_{column}_key"),
        None => db.message().contains(&format!("{table}.{column}")),
    }
}

/// A stored JSON field that no longer parses: name the column, not the content.
pub(crate) fn corrupt(column: &str, err: &serde_json::Error) -> StoreError {
    StoreError::Backend(format!(
        "stored {column} is not valid ({:?} error at line {} column {})",
        err.classify(),
        err.line(),
        err.column()
    ))
}
