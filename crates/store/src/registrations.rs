//! Dynamic client registration (`RegistrationRepo`, RFC 7591 §3 and RFC 7592 §1):
//! initial access tokens and registration access tokens, each a row keyed by its hash.
//! A registration is written with its client and api-key in one transaction and goes
//! away with the client (`ON DELETE CASCADE`). Replacing a registered client rewrites it
//! and its api-keys in one transaction.

use crate::SqlStore;
use crate::error::{backend, conflict};
use crate::rows;
use async_trait::async_trait;
use propusk_core::model::{Client, ClientRegistration, ClientSecret, RegistrationToken};
use propusk_core::store::{RegistrationRepo, StoreResult};
use sqlx::Row;

#[async_trait]
impl RegistrationRepo for SqlStore {
    async fn insert_registration_token(&self, token: &RegistrationToken) -> StoreResult<()> {
        sqlx::query(
            "INSERT INTO registration_tokens (token_hash, created_at, expires_at) \
             VALUES ($1, $2, $3)",
        )
        .bind(&token.token_hash)
        .bind(token.created_at)
        .bind(token.expires_at)
        .execute(&self.writer)
        .await
        .map_err(|e| conflict(e, "registration_tokens", &[], "token"))?;
        Ok(())
    }

    async fn find_registration_token(
        &self,
        token_hash: &str,
    ) -> StoreResult<Option<RegistrationToken>> {
        let row = sqlx::query(
            "SELECT token_hash, created_at, expires_at FROM registration_tokens \
             WHERE token_hash = $1",
        )
        .bind(token_hash)
        .fetch_optional(&self.pool)
        .await
        .map_err(backend)?;
        row.map(|row| {
            Ok(RegistrationToken {
                token_hash: row.try_get("token_hash").map_err(backend)?,
                created_at: row.try_get("created_at").map_err(backend)?,
                expires_at: row.try_get("expires_at").map_err(backend)?,
            })
        })
        .transpose()
    }

    async fn register_client(
        &self,
        client: &Client,
        secret: Option<&ClientSecret>,
        registration: &ClientRegistration,
    ) -> StoreResult<()> {
        let written = async {
            let mut tx = self.writer.begin().await.map_err(backend)?;
            sqlx::query("INSERT INTO clients (id, data, created_at) VALUES ($1, $2, $3)")
                .bind(&client.id)
                .bind(rows::to_json(client)?)
                .bind(client.created_at)
                .execute(&mut *tx)
                .await
                .map_err(|e| conflict(e, "clients", &[], "client_id"))?;
            if let Some(secret) = secret {
                insert_secret(&mut tx, secret).await?;
            }
            sqlx::query(
                "INSERT INTO client_registrations (client_id, access_token_hash, created_at) \
                 VALUES ($1, $2, $3)",
            )
            .bind(&registration.client_id)
            .bind(&registration.access_token_hash)
            .bind(registration.created_at)
            .execute(&mut *tx)
            .await
            .map_err(|e| {
                conflict(
                    e,
                    "client_registrations",
                    &[("access_token_hash", "registration_access_token")],
                    "client_id",
                )
            })?;
            tx.commit().await.map_err(backend)
        }
        .await;
        self.cache.invalidate();
        written
    }

    async fn find_registration(
        &self,
        access_token_hash: &str,
    ) -> StoreResult<Option<ClientRegistration>> {
        let row = sqlx::query(
            "SELECT client_id, access_token_hash, created_at FROM client_registrations \
             WHERE access_token_hash = $1",
        )
        .bind(access_token_hash)
        .fetch_optional(&self.pool)
        .await
        .map_err(backend)?;
        row.map(|row| {
            Ok(ClientRegistration {
                client_id: row.try_get("client_id").map_err(backend)?,
                access_token_hash: row.try_get("access_token_hash").map_err(backend)?,
                created_at: row.try_get("created_at").map_err(backend)?,
            })
        })
        .transpose()
    }

    async fn replace_registered_client(
        &self,
        client: &Client,
        drop_secrets: bool,
        new_secret: Option<&ClientSecret>,
    ) -> StoreResult<()> {
        let written = async {
            let mut tx = self.writer.begin().await.map_err(backend)?;
            sqlx::query("UPDATE clients SET data = $2 WHERE id = $1")
                .bind(&client.id)
                .bind(rows::to_json(client)?)
                .execute(&mut *tx)
                .await
                .map_err(backend)?;
            if drop_secrets {
                sqlx::query("DELETE FROM client_secrets WHERE client_id = $1")
                    .bind(&client.id)
                    .execute(&mut *tx)
                    .await
                    .map_err(backend)?;
            }
            if let Some(secret) = new_secret {
                insert_secret(&mut tx, secret).await?;
            }
            tx.commit().await.map_err(backend)
        }
        .await;
        self.cache.invalidate();
        written
    }
}

async fn insert_secret(tx: &mut crate::pool::Tx, secret: &ClientSecret) -> StoreResult<()> {
    sqlx::query(
        "INSERT INTO client_secrets (id, client_id, secret_hash, created_at, expires_at) \
         VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(&secret.id)
    .bind(&secret.client_id)
    .bind(&secret.secret_hash)
    .bind(secret.created_at)
    .bind(secret.expires_at)
    .execute(&mut **tx)
    .await
    .map_err(|e| conflict(e, "client_secrets", &[], "id"))?;
    Ok(())
}
