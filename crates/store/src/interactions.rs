//! Stored interactions (`InteractionRepo`): the validated authorization request waiting
//! for sign-in or consent.

use crate::SqlStore;
use crate::error::{backend, conflict};
use crate::rows::{self, columns};
use async_trait::async_trait;
use propusk_core::model::Interaction;
use propusk_core::store::{InteractionRepo, StoreResult};

#[async_trait]
impl InteractionRepo for SqlStore {
    async fn create_interaction(&self, interaction: &Interaction) -> StoreResult<()> {
        sqlx::query(concat!(
            "INSERT INTO interactions (",
            columns!(interaction),
            ") VALUES ($1, $2, $3, $4, $5, $6)"
        ))
        .bind(&interaction.id)
        .bind(&interaction.client_id)
        .bind(&interaction.request)
        .bind(&interaction.session_id)
        .bind(interaction.created_at)
        .bind(interaction.expires_at)
        .execute(&self.writer)
        .await
        .map_err(|e| conflict(e, "interactions", &[], "id"))?;
        Ok(())
    }

    async fn get_interaction(&self, id: &str) -> StoreResult<Option<Interaction>> {
        let row = sqlx::query(concat!(
            "SELECT ",
            columns!(interaction),
            " FROM interactions WHERE id = $1"
        ))
        .bind(id)
        .fetch_optional(&self.pool)
        .await
        .map_err(backend)?;
        rows::maybe(row, rows::interaction)
    }

    async fn update_interaction(&self, interaction: &Interaction) -> StoreResult<()> {
        sqlx::query(
            "UPDATE interactions SET client_id = $2, request = $3, session_id = $4, \
             expires_at = $5 WHERE id = $1",
        )
        .bind(&interaction.id)
        .bind(&interaction.client_id)
        .bind(&interaction.request)
        .bind(&interaction.session_id)
        .bind(interaction.expires_at)
        .execute(&self.writer)
        .await
        .map_err(backend)?;
        Ok(())
    }

    async fn delete_interaction(&self, id: &str) -> StoreResult<bool> {
        let done = sqlx::query("DELETE FROM interactions WHERE id = $1")
            .bind(id)
            .execute(&self.writer)
            .await
            .map_err(backend)?;
        Ok(done.rows_affected() > 0)
    }
}
