//! `KeyRepo`: sealed keys round-trip byte for byte; rotation moves the windows; keys past
//! `unpublish_at` are deleted.

use super::fixtures::*;
use propusk_core::store::{KeyRepo, StoreError};
use propusk_store::SqlStore;

pub async fn case_key_round_trip(store: &SqlStore) {
    let mut second = key("k2");
    second.created_at = NOW + 10;
    second.active_from = NOW + 100;
    store.insert_key(&second).await.expect("insert");
    store.insert_key(&key("k1")).await.expect("insert");
    assert_eq!(
        store.list_keys().await.expect("list"),
        vec![key("k1"), second]
    );
    match store.insert_key(&key("k1")).await {
        Err(StoreError::Conflict(field)) => assert_eq!(field, "kid"),
        other => panic!("expected Conflict(kid), got {other:?}"),
    }
}

pub async fn case_key_update_and_unpublish(store: &SqlStore) {
    for kid in ["old", "retiring", "current"] {
        store.insert_key(&key(kid)).await.expect("insert");
    }
    let mut old = key("old");
    old.retired_at = Some(NOW + 10);
    old.unpublish_at = Some(NOW + 100);
    store.update_key(&old).await.expect("update");
    let mut retiring = key("retiring");
    retiring.retired_at = Some(NOW + 50);
    retiring.unpublish_at = Some(NOW + 500);
    store.update_key(&retiring).await.expect("update");
    store
        .update_key(&key("missing"))
        .await
        .expect("update of a missing key");

    let kids = |keys: Vec<propusk_core::model::KeyRecord>| {
        keys.into_iter().map(|k| k.kid).collect::<Vec<_>>()
    };
    let listed = store.list_keys().await.expect("list");
    assert!(listed.contains(&old) && listed.contains(&retiring));
    assert_eq!(
        store
            .delete_unpublished_keys(NOW + 99)
            .await
            .expect("purge"),
        0
    );
    assert_eq!(
        store
            .delete_unpublished_keys(NOW + 100)
            .await
            .expect("purge"),
        1
    );
    assert_eq!(
        kids(store.list_keys().await.expect("list")),
        ["current", "retiring"]
    );
    assert_eq!(
        store
            .delete_unpublished_keys(NOW + 1000)
            .await
            .expect("purge"),
        1
    );
    assert_eq!(kids(store.list_keys().await.expect("list")), ["current"]);
}
