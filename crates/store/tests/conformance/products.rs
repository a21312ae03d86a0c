//! `ProductRepo`: products keyed by audience.

use super::fixtures::*;
use propusk_core::model::TokenFormat;
use propusk_core::store::{ProductRepo, StoreError};
use propusk_store::SqlStore;

pub async fn case_product_round_trip(store: &SqlStore) {
    let mut billing = product("billing");
    billing.token_format = TokenFormat::Reference;
    billing.signing_alg = Some("ES256".into());
    store.create_product(&billing).await.expect("create");
    store.create_product(&product("api")).await.expect("create");
    assert_eq!(
        store.get_product("billing").await.expect("get"),
        Some(billing.clone())
    );
    assert_eq!(store.get_product("nope").await.expect("get"), None);
    assert_eq!(
        store.list_products().await.expect("list"),
        vec![product("api"), billing]
    );
}

pub async fn case_product_duplicate_is_conflict(store: &SqlStore) {
    store.create_product(&product("api")).await.expect("create");
    match store.create_product(&product("api")).await {
        Err(StoreError::Conflict(field)) => assert_eq!(field, "audience"),
        other => panic!("expected Conflict(audience), got {other:?}"),
    }
}

pub async fn case_product_update_and_delete(store: &SqlStore) {
    store.create_product(&product("api")).await.expect("create");
    let mut changed = product("api");
    changed.name = "API v2".into();
    changed.scopes.clear();
    store.update_product(&changed).await.expect("update");
    assert_eq!(store.get_product("api").await.expect("get"), Some(changed));

    assert!(store.delete_product("api").await.expect("delete"));
    assert!(!store.delete_product("api").await.expect("delete again"));
    assert_eq!(store.get_product("api").await.expect("get"), None);
    assert!(store.list_products().await.expect("list").is_empty());
}
