//! Registered clients and their api-keys (`ClientRepo`). A client is one JSON document;
//! its secrets are rows of their own, removed with it by `ON DELETE CASCADE`. Reads go
//! through the `cache`; every write here empties it.

use crate::SqlStore;
use crate::error::{backend, conflict};
use crate::rows::{self, columns};
use async_trait::async_trait;
use propusk_core::model::{Client, ClientSecret};
use propusk_core::store::{ClientRepo, StoreResult};
use std::sync::Arc;

#[async_trait]
impl ClientRepo for SqlStore {
    async fn create_client(&self, client: &Client) -> StoreResult<()> {
        let done = sqlx::query("INSERT INTO clients (id, data, created_at) VALUES ($1, $2, $3)")
            .bind(&client.id)
            .bind(rows::to_json(client)?)
            .bind(client.created_at)
            .execute(&self.writer)
            .await;
        self.cache.invalidate();
        done.map_err(|e| conflict(e, "clients", &[], "client_id"))?;
        Ok(())
    }

    async fn update_client(&self, client: &Client) -> StoreResult<()> {
        let done = sqlx::query("UPDATE clients SET data = $2 WHERE id = $1")
            .bind(&client.id)
            .bind(rows::to_json(client)?)
            .execute(&self.writer)
            .await;
        self.cache.invalidate();
        done.map_err(backend)?;
        Ok(())
    }

    async fn get_client(&self, id: &str) -> StoreResult<Option<Client>> {
        if let Some(client) = self.cache.client(id) {
            return Ok(Some(Client::clone(&client)));
        }
        let ticket = self.cache.ticket();
        let row = sqlx::query("SELECT data FROM clients WHERE id = $1")
            .bind(id)
            .fetch_optional(&self.pool)
            .await
            .map_err(backend)?;
        let client = rows::maybe(row, rows::client)?;
        if let Some(client) = &client {
            self.cache.put_client(ticket, Arc::new(client.clone()));
        }
        Ok(client)
    }

    async fn list_clients(&self) -> StoreResult<Vec<Client>> {
        if let Some(clients) = self.cache.all_clients() {
            return Ok(Vec::clone(&clients));
        }
        let ticket = self.cache.ticket();
        let found = sqlx::query("SELECT data FROM clients ORDER BY created_at, id")
            .fetch_all(&self.pool)
            .await
            .map_err(backend)?;
        let clients = rows::all(&found, rows::client)?;
        self.cache
            .put_all_clients(ticket, Arc::new(clients.clone()));
        Ok(clients)
    }

    async fn delete_client(&self, id: &str) -> StoreResult<bool> {
        let done = sqlx::query("DELETE FROM clients WHERE id = $1")
            .bind(id)
            .execute(&self.writer)
            .await;
        self.cache.invalidate();
        Ok(done.map_err(backend)?.rows_affected() > 0)
    }

    async fn add_client_secret(&self, secret: &ClientSecret) -> StoreResult<()> {
        let done = sqlx::query(
            "INSERT INTO client_secrets \
             (id, client_id, secret_hash, created_at, expires_at, name, last_used_at, revoked_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        )
        .bind(&secret.id)
        .bind(&secret.client_id)
        .bind(&secret.secret_hash)
        .bind(secret.created_at)
        .bind(secret.expires_at)
        .bind(&secret.name)
        .bind(secret.last_used_at)
        .bind(secret.revoked_at)
        .execute(&self.writer)
        .await;
        self.cache.invalidate();
        done.map_err(|e| conflict(e, "client_secrets", &[], "id"))?;
        Ok(())
    }

    async fn client_secrets(&self, client_id: &str) -> StoreResult<Vec<ClientSecret>> {
        if let Some(secrets) = self.cache.secrets(client_id) {
            return Ok(Vec::clone(&secrets));
        }
        let ticket = self.cache.ticket();
        let found = sqlx::query(concat!(
            "SELECT ",
            columns!(client_secret),
            " FROM client_secrets WHERE client_id = $1 ORDER BY created_at, id"
        ))
        .bind(client_id)
        .fetch_all(&self.pool)
        .await
        .map_err(backend)?;
        let secrets = rows::all(&found, rows::client_secret)?;
        self.cache
            .put_secrets(ticket, client_id, Arc::new(secrets.clone()));
        Ok(secrets)
    }

    async fn delete_client_secret(&self, client_id: &str, secret_id: &str) -> StoreResult<bool> {
        let done = sqlx::query("DELETE FROM client_secrets WHERE id = $1 AND client_id = $2")
            .bind(secret_id)
            .bind(client_id)
            .execute(&self.writer)
            .await;
        self.cache.invalidate();
        Ok(done.map_err(backend)?.rows_affected() > 0)
    }
}
