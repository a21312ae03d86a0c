//! Browser sessions (`SessionRepo`), found by id or by the keyed hash of the cookie
//! secret, and the clients that took part in each (for logout, OIDC Front- and
//! Back-Channel Logout §2).

use crate::SqlStore;
use crate::error::{backend, conflict};
use crate::rows::{self, columns};
use async_trait::async_trait;
use propusk_core::clock::Timestamp;
use propusk_core::model::{Session, SessionDevice};
use propusk_core::store::{EarlierDevices, SessionRepo, StoreResult};
use sqlx::Row;

#[async_trait]
impl SessionRepo for SqlStore {
    async fn create_session(&self, session: &Session) -> StoreResult<()> {
        sqlx::query(concat!(
            "INSERT INTO sessions (",
            columns!(session),
            ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)"
        ))
        .bind(&session.id)
        .bind(&session.secret_hash)
        .bind(&session.account_id)
        .bind(session.auth_time)
        .bind(&session.acr)
        .bind(rows::to_json(&session.amr)?)
        .bind(session.created_at)
        .bind(session.last_active_at)
        .bind(session.expires_at)
        .bind(session.ended_at)
        .execute(&self.writer)
        .await
        .map_err(|e| conflict(e, "sessions", &[("secret_hash", "secret")], "id"))?;
        Ok(())
    }

    async fn get_session(&self, id: &str) -> StoreResult<Option<Session>> {
        let row = sqlx::query(concat!(
            "SELECT ",
            columns!(session),
            " FROM sessions WHERE id = $1"
        ))
        .bind(id)
        .fetch_optional(&self.pool)
        .await
        .map_err(backend)?;
        rows::maybe(row, rows::session)
    }

    async fn find_session_by_secret(&self, secret_hash: &str) -> StoreResult<Option<Session>> {
        let row = sqlx::query(concat!(
            "SELECT ",
            columns!(session),
            " FROM sessions WHERE secret_hash = $1"
        ))
        .bind(secret_hash)
        .fetch_optional(&self.pool)
        .await
        .map_err(backend)?;
        rows::maybe(row, rows::session)
    }

    /// Ended sessions are not touched.
    async fn touch_session(&self, id: &str, now: Timestamp) -> StoreResult<()> {
        let id = id.to_owned();
        self.writes
            .run(move |conn| {
                Box::pin(async move {
                    sqlx::query(
                        "UPDATE sessions SET last_active_at = $2 WHERE id = $1 AND ended_at IS NULL",
                    )
                    .bind(&id)
                    .bind(now)
                    .execute(conn)
                    .await
                    .map_err(backend)?;
                    Ok(())
                })
            })
            .await
    }

    /// The first end time stays.
    async fn end_session(&self, id: &str, now: Timestamp) -> StoreResult<()> {
        sqlx::query("UPDATE sessions SET ended_at = $2 WHERE id = $1 AND ended_at IS NULL")
            .bind(id)
            .bind(now)
            .execute(&self.writer)
            .await
            .map_err(backend)?;
        Ok(())
    }

    async fn list_sessions(&self, account_id: &str) -> StoreResult<Vec<Session>> {
        let found = sqlx::query(concat!(
            "SELECT ",
            columns!(session),
            " FROM sessions WHERE account_id = $1 ORDER BY created_at, id"
        ))
        .bind(account_id)
        .fetch_all(&self.pool)
        .await
        .map_err(backend)?;
        rows::all(&found, rows::session)
    }

    async fn add_session_client(&self, session_id: &str, client_id: &str) -> StoreResult<()> {
        if self.session_clients.contains(session_id, client_id) {
            return Ok(());
        }
        let (session, client) = (session_id.to_owned(), client_id.to_owned());
        self.writes
            .run(move |conn| {
                Box::pin(async move {
                    sqlx::query(
                        "INSERT INTO session_clients (session_id, client_id) VALUES ($1, $2) \
                         ON CONFLICT (session_id, client_id) DO NOTHING",
                    )
                    .bind(&session)
                    .bind(&client)
                    .execute(conn)
                    .await
                    .map_err(backend)?;
                    Ok(())
                })
            })
            .await?;
        self.session_clients.insert(session_id, client_id);
        Ok(())
    }

    async fn session_clients(&self, session_id: &str) -> StoreResult<Vec<String>> {
        let found = sqlx::query(
            "SELECT client_id FROM session_clients WHERE session_id = $1 ORDER BY client_id",
        )
        .bind(session_id)
        .fetch_all(&self.pool)
        .await
        .map_err(backend)?;
        rows::all(&found, rows::session_client)
    }

    async fn mark_reauthenticated(&self, id: &str, now: Timestamp) -> StoreResult<bool> {
        let done =
            sqlx::query("UPDATE sessions SET reauth_at = $2 WHERE id = $1 AND ended_at IS NULL")
                .bind(id)
                .bind(now)
                .execute(&self.writer)
                .await
                .map_err(backend)?;
        Ok(done.rows_affected() == 1)
    }

    async fn reauthenticated_at(&self, id: &str) -> StoreResult<Option<Timestamp>> {
        let row = sqlx::query("SELECT reauth_at FROM sessions WHERE id = $1")
            .bind(id)
            .fetch_optional(&self.pool)
            .await
            .map_err(backend)?;
        match row {
            Some(row) => row.try_get::<Option<i64>, _>("reauth_at").map_err(backend),
            None => Ok(None),
        }
    }

    async fn set_session_device(&self, id: &str, device: &SessionDevice) -> StoreResult<()> {
        sqlx::query("UPDATE sessions SET user_agent = $2, ip = $3 WHERE id = $1")
            .bind(id)
            .bind(&device.user_agent)
            .bind(&device.ip)
            .execute(&self.writer)
            .await
            .map_err(backend)?;
        Ok(())
    }

    async fn session_device(&self, id: &str) -> StoreResult<SessionDevice> {
        let row = sqlx::query("SELECT user_agent, ip FROM sessions WHERE id = $1")
            .bind(id)
            .fetch_optional(&self.pool)
            .await
            .map_err(backend)?;
        let Some(row) = row else {
            return Ok(SessionDevice::default());
        };
        Ok(SessionDevice {
            user_agent: row.try_get("user_agent").map_err(backend)?,
            ip: row.try_get("ip").map_err(backend)?,
        })
    }

    async fn earlier_devices(
        &self,
        account_id: &str,
        except: &str,
        user_agent: Option<&str>,
    ) -> StoreResult<EarlierDevices> {
        // Each count stops at its first row (LIMIT 1), so an account with thousands of
        // sessions costs no more than one with two.
        let row = sqlx::query(
            "SELECT \
             (SELECT COUNT(*) FROM (SELECT 1 FROM sessions \
               WHERE account_id = $1 AND id <> $2 LIMIT 1) AS o) AS others, \
             (SELECT COUNT(*) FROM (SELECT 1 FROM sessions \
               WHERE account_id = $1 AND id <> $2 AND user_agent = $3 LIMIT 1) AS b) AS same",
        )
        .bind(account_id)
        .bind(except)
        .bind(user_agent)
        .fetch_one(&self.pool)
        .await
        .map_err(backend)?;
        let count = |name: &str| row.try_get::<i64, _>(name).map_err(backend);
        Ok(EarlierDevices {
            signed_in_before: count("others")? > 0,
            same_browser: user_agent.is_some() && count("same")? > 0,
        })
    }
}
