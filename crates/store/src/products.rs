//! Products, the resource servers of the family (`ProductRepo`): one JSON document each,
//! keyed by audience. The list goes through the `cache`; every write here empties it.

use crate::SqlStore;
use crate::error::{backend, conflict};
use crate::rows;
use async_trait::async_trait;
use propusk_core::model::Product;
use propusk_core::store::{ProductRepo, StoreResult};
use std::sync::Arc;

#[async_trait]
impl ProductRepo for SqlStore {
    async fn create_product(&self, product: &Product) -> StoreResult<()> {
        let done =
            sqlx::query("INSERT INTO products (audience, data, created_at) VALUES ($1, $2, $3)")
                .bind(&product.audience)
                .bind(rows::to_json(product)?)
                .bind(product.created_at)
                .execute(&self.writer)
                .await;
        self.cache.invalidate();
        done.map_err(|e| conflict(e, "products", &[], "audience"))?;
        Ok(())
    }

    async fn update_product(&self, product: &Product) -> StoreResult<()> {
        let done = sqlx::query("UPDATE products SET data = $2 WHERE audience = $1")
            .bind(&product.audience)
            .bind(rows::to_json(product)?)
            .execute(&self.writer)
            .await;
        self.cache.invalidate();
        done.map_err(backend)?;
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
        if let Some(products) = self.cache.products() {
            return Ok(Vec::clone(&products));
        }
        let ticket = self.cache.ticket();
        let found = sqlx::query("SELECT data FROM products ORDER BY audience")
            .fetch_all(&self.pool)
            .await
            .map_err(backend)?;
        let products = rows::all(&found, rows::product)?;
        self.cache.put_products(ticket, Arc::new(products.clone()));
        Ok(products)
    }

    async fn delete_product(&self, audience: &str) -> StoreResult<bool> {
        let done = sqlx::query("DELETE FROM products WHERE audience = $1")
            .bind(audience)
            .execute(&self.writer)
            .await;
        self.cache.invalidate();
        Ok(done.map_err(backend)?.rows_affected() > 0)
    }
}
