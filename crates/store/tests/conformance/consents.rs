//! `ConsentRepo`: one consent per account and client, overwritten by the next one.

use super::fixtures::*;
use propusk_core::store::ConsentRepo;
use propusk_store::SqlStore;

pub async fn case_consent_upsert_and_overwrite(store: &SqlStore) {
    assert_eq!(store.get_consent("acc", "app").await.expect("get"), None);
    store
        .upsert_consent(&consent("acc", "app", "openid profile"))
        .await
        .expect("upsert");
    assert_eq!(
        store.get_consent("acc", "app").await.expect("get"),
        Some(consent("acc", "app", "openid profile"))
    );
    let mut narrower = consent("acc", "app", "openid");
    narrower.updated_at = NOW + 30;
    store.upsert_consent(&narrower).await.expect("overwrite");
    assert_eq!(
        store.get_consent("acc", "app").await.expect("get"),
        Some(narrower)
    );
    assert_eq!(store.list_consents("acc").await.expect("list").len(), 1);
}

pub async fn case_consent_list_and_delete(store: &SqlStore) {
    for (account, client) in [("acc", "zeta"), ("acc", "alpha"), ("other", "alpha")] {
        store
            .upsert_consent(&consent(account, client, "openid"))
            .await
            .expect("upsert");
    }
    let clients = |list: Vec<propusk_core::model::Consent>| {
        list.into_iter().map(|c| c.client_id).collect::<Vec<_>>()
    };
    assert_eq!(
        clients(store.list_consents("acc").await.expect("list")),
        ["alpha", "zeta"]
    );
    assert!(
        store
            .list_consents("nobody")
            .await
            .expect("list")
            .is_empty()
    );

    assert!(store.delete_consent("acc", "alpha").await.expect("delete"));
    assert!(
        !store
            .delete_consent("acc", "alpha")
            .await
            .expect("delete again")
    );
    assert!(
        !store
            .delete_consent("acc", "missing")
            .await
            .expect("delete unknown")
    );
    assert_eq!(
        clients(store.list_consents("acc").await.expect("list")),
        ["zeta"]
    );
    assert!(
        store
            .get_consent("other", "alpha")
            .await
            .expect("get")
            .is_some()
    );
}
