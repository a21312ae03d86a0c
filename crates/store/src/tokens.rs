//! Refresh tokens and recorded access tokens, the statements behind `GrantRepo`.
//!
//! Rotating a refresh token is one conditional `UPDATE … RETURNING` (RFC 9700 §4.14.2):
//! of concurrent attempts exactly one gets the live token, the rest see reuse. Revoking an
//! access token that was never recorded (a stateless JWT) leaves a tombstone row.

use crate::error::{backend, conflict};
use crate::pool::Pool;
use crate::rows::{self, columns};
use crate::writer::Writes;
use propusk_core::clock::Timestamp;
use propusk_core::model::{AccessTokenRecord, RefreshToken, RefreshUse};
use propusk_core::store::StoreResult;
use sqlx::any::AnyArguments;
use sqlx::{Any, AnyConnection};

pub(crate) async fn insert_refresh(writes: &Writes, token: &RefreshToken) -> StoreResult<()> {
    let token = token.clone();
    writes
        .run(move |conn| {
            Box::pin(async move {
                sqlx::query(concat!(
                    "INSERT INTO refresh_tokens (",
                    columns!(refresh),
                    ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)"
                ))
                .bind(&token.id)
                .bind(&token.token_hash)
                .bind(&token.grant_id)
                .bind(&token.client_id)
                .bind(token.scope.to_string())
                .bind(token.created_at)
                .bind(token.expires_at)
                .bind(token.used_at)
                .bind(token.revoked_at)
                .bind(&token.dpop_jkt)
                .execute(conn)
                .await
                .map_err(|e| conflict(e, "refresh_tokens", &[("token_hash", "token")], "id"))?;
                Ok(())
            })
        })
        .await
}

/// The conditional update goes through `writes`; telling reuse from absence is a read.
pub(crate) async fn use_refresh(
    writes: &Writes,
    pool: &Pool,
    token_hash: &str,
    now: Timestamp,
) -> StoreResult<RefreshUse> {
    let hash = token_hash.to_owned();
    let fresh = writes
        .run(move |conn| {
            Box::pin(async move {
                let row = sqlx::query(concat!(
                    "UPDATE refresh_tokens SET used_at = $2 \
                     WHERE token_hash = $1 AND used_at IS NULL AND revoked_at IS NULL RETURNING ",
                    columns!(refresh)
                ))
                .bind(&hash)
                .bind(now)
                .fetch_optional(conn)
                .await
                .map_err(backend)?;
                rows::maybe(row, rows::refresh_token)
            })
        })
        .await?;
    if let Some(token) = fresh {
        return Ok(RefreshUse::Fresh(token));
    }
    Ok(match find_refresh(pool, token_hash).await? {
        Some(token) => RefreshUse::Reused(token),
        None => RefreshUse::NotFound,
    })
}

pub(crate) async fn find_refresh(
    pool: &Pool,
    token_hash: &str,
) -> StoreResult<Option<RefreshToken>> {
    let row = sqlx::query(concat!(
        "SELECT ",
        columns!(refresh),
        " FROM refresh_tokens WHERE token_hash = $1"
    ))
    .bind(token_hash)
    .fetch_optional(pool)
    .await
    .map_err(backend)?;
    rows::maybe(row, rows::refresh_token)
}

/// An access-token record ready to bind: what the writer queues (`writer`), so that the
/// inserts of a batch can go out as one multi-row statement.
#[derive(Debug)]
pub(crate) struct AccessRow {
    jti: String,
    token_hash: Option<String>,
    grant_id: Option<String>,
    client_id: String,
    account_id: Option<String>,
    scope: String,
    claims: String,
    created_at: Timestamp,
    expires_at: Timestamp,
    revoked_at: Option<Timestamp>,
}

impl AccessRow {
    pub(crate) fn new(token: &AccessTokenRecord) -> StoreResult<Self> {
        Ok(Self {
            jti: token.jti.clone(),
            token_hash: token.token_hash.clone(),
            grant_id: token.grant_id.clone(),
            client_id: token.client_id.clone(),
            account_id: token.account_id.clone(),
            scope: token.scope.to_string(),
            claims: rows::to_json(&token.claims)?,
            created_at: token.created_at,
            expires_at: token.expires_at,
            revoked_at: token.revoked_at,
        })
    }

    fn bind<'q>(
        &'q self,
        query: sqlx::query::Query<'q, Any, AnyArguments<'q>>,
    ) -> sqlx::query::Query<'q, Any, AnyArguments<'q>> {
        query
            .bind(&self.jti)
            .bind(&self.token_hash)
            .bind(&self.grant_id)
            .bind(&self.client_id)
            .bind(&self.account_id)
            .bind(&self.scope)
            .bind(&self.claims)
            .bind(self.created_at)
            .bind(self.expires_at)
            .bind(self.revoked_at)
    }
}

/// Parameters per access-token row.
const ACCESS_PARAMS: usize = 10;

pub(crate) async fn insert_access(writes: &Writes, token: &AccessTokenRecord) -> StoreResult<()> {
    writes.insert_access(AccessRow::new(token)?).await
}

/// Inserts one row; a taken `jti` or hash is a named conflict.
pub(crate) async fn insert_access_row(
    conn: &mut AnyConnection,
    row: &AccessRow,
) -> StoreResult<()> {
    row.bind(sqlx::query(concat!(
        "INSERT INTO access_tokens (",
        columns!(access),
        ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)"
    )))
    .execute(conn)
    .await
    .map_err(|e| conflict(e, "access_tokens", &[("token_hash", "token")], "jti"))?;
    Ok(())
}

/// Inserts `rows` in one statement; all or none (the statement fails as a whole).
pub(crate) async fn insert_access_rows(
    conn: &mut AnyConnection,
    rows: &[AccessRow],
) -> Result<(), sqlx::Error> {
    let mut statement = String::with_capacity(96 + rows.len() * 64);
    statement.push_str(concat!(
        "INSERT INTO access_tokens (",
        columns!(access),
        ") VALUES "
    ));
    for i in 0..rows.len() {
        let base = i * ACCESS_PARAMS;
        if i > 0 {
            statement.push_str(", ");
        }
        statement.push('(');
        for p in 1..=ACCESS_PARAMS {
            if p > 1 {
                statement.push_str(", ");
            }
            statement.push('$');
            statement.push_str(&(base + p).to_string());
        }
        statement.push(')');
    }
    let mut query = sqlx::query(&statement);
    for row in rows {
        query = row.bind(query);
    }
    query.execute(conn).await?;
    Ok(())
}

/// The column an access token is looked up by.
#[derive(Clone, Copy)]
pub(crate) enum AccessKey {
    Jti,
    Hash,
}

pub(crate) async fn find_access(
    pool: &Pool,
    by: AccessKey,
    value: &str,
) -> StoreResult<Option<AccessTokenRecord>> {
    let statement = match by {
        AccessKey::Jti => concat!(
            "SELECT ",
            columns!(access),
            " FROM access_tokens WHERE jti = $1"
        ),
        AccessKey::Hash => concat!(
            "SELECT ",
            columns!(access),
            " FROM access_tokens WHERE token_hash = $1"
        ),
    };
    let row = sqlx::query(statement)
        .bind(value)
        .fetch_optional(pool)
        .await
        .map_err(backend)?;
    rows::maybe(row, rows::access_token)
}

/// Marks the token revoked (the first revocation time stays), inserting the record as a
/// tombstone when it was never stored.
pub(crate) async fn revoke_access(
    pool: &Pool,
    record: &AccessTokenRecord,
    now: Timestamp,
) -> StoreResult<()> {
    sqlx::query(concat!(
        "INSERT INTO access_tokens (",
        columns!(access),
        ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) \
         ON CONFLICT (jti) DO UPDATE SET revoked_at = $10 \
         WHERE access_tokens.revoked_at IS NULL"
    ))
    .bind(&record.jti)
    .bind(&record.token_hash)
    .bind(&record.grant_id)
    .bind(&record.client_id)
    .bind(&record.account_id)
    .bind(record.scope.to_string())
    .bind(rows::to_json(&record.claims)?)
    .bind(record.created_at)
    .bind(record.expires_at)
    .bind(now)
    .execute(pool)
    .await
    .map_err(backend)?;
    Ok(())
}
