//! Migrations: running them again applies nothing and keeps the data.

use super::fixtures::*;
use propusk_core::store::ClientRepo;
use propusk_store::SqlStore;

pub async fn case_migrate_is_idempotent(store: &SqlStore) {
    store.create_client(&client("app")).await.expect("create");
    let (a, b) = tokio::join!(store.migrate(), store.migrate());
    assert_eq!((a.expect("migrate"), b.expect("migrate")), (0, 0));
    assert_eq!(store.pending_migrations().await.expect("ledger"), 0);
    assert!(store.get_client("app").await.expect("get").is_some());
}
