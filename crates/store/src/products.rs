//! Products, the resource servers of the family (`ProductRepo`): one JSON document each,
//! keyed by audience.

use crate::SqlStore;
use crate::error::{backend, conflict};
use crate::rows;
use async_trait::async_trait;
use propusk_core::model::Product;
use propusk_core::store::{ProductRepo, StoreResult};

#[async_trait]
impl ProductRepo for SqlStore {
    async fn create_product(&self, product: &Product) -> StoreResult<()> {
        sqlx::query("INSERT INTO products (audience, data, created_at) VALUES ($1, $2, $3)")
            .bind(&product.audience)
            .bind(rows::to_json(product)?)
            .bind(product.created_at)
            .execute(&self.pool)
            .await
            .map_err(|e| conflict(e, "products", &[], "audience"))?;
        Ok(())
    }

    async fn update_product(&self, product: &Product) -> StoreResult<()> {
        sqlx::query("UPDATE products SET data = $2 WHERE audience = $1")
            .bind(&product.audience)
            .bind(rows::to_json(product)?)
            .execute(&self.pool)
            .await
            .map_err(backend)?;
        Ok(())
    }

    async fn get_product(&self, audience: &str) -> StoreResult<Option<Product>> {
        let row = sqlx::query("SELECT data FROM products WHERE audience = $1")
            .bind(audience)
            .fetch_optional(&self.pool)
            .await
            .map_err(backend)?;
        rows::maybe(row, rows::product)
    }

    async fn list_products(&self) -> StoreResult<Vec<Product>> {
        let found = sqlx::query("SELECT data FROM products ORDER BY audience")
            .fetch_all(&self.pool)
            .await
            .map_err(backend)?;
        rows::all(&found, rows::product)
    }

    async fn delete_product(&self, audience: &str) -> StoreResult<bool> {
        let done = sqlx::query("DELETE FROM products WHERE audience = $1")
            .bind(audience)
            .execute(&self.pool)
            .await
            .map_err(backend)?;
        Ok(done.rows_affected() > 0)
    }
}
