//! `ClientRepo`: clients as documents, their secrets, duplicate ids, cascading delete.

use super::fixtures::*;
use propusk_core::model::{AuthMethod, GrantType};
use propusk_core::store::{ClientRepo, StoreError};
use propusk_store::SqlStore;
use propusk_types::jwk::JwkSet;

pub async fn case_client_round_trip(store: &SqlStore) {
    let mut rich = client("b-rich");
    rich.jwks = Some(JwkSet {
        keys: vec![key("k1").public_jwk],
    });
    rich.auth_method = AuthMethod::PrivateKeyJwt;
    rich.grant_types.push(GrantType::TokenExchange);
    rich.product = Some("api".into());
    rich.created_at = NOW + 1;
    let plain = client("a-plain");
    store.create_client(&rich).await.expect("create");
    store.create_client(&plain).await.expect("create");

    assert_eq!(
        store.get_client("b-rich").await.expect("get"),
        Some(rich.clone())
    );
    assert_eq!(store.get_client("nobody").await.expect("get"), None);
    assert_eq!(store.list_clients().await.expect("list"), vec![plain, rich]);
}

pub async fn case_client_duplicate_is_conflict(store: &SqlStore) {
    store.create_client(&client("app")).await.expect("create");
    let mut again = client("app");
    again.name = "Other".into();
    match store.create_client(&again).await {
        Err(StoreError::Conflict(field)) => assert_eq!(field, "client_id"),
        other => panic!("expected Conflict(client_id), got {other:?}"),
    }
    assert_eq!(
        store.get_client("app").await.expect("get"),
        Some(client("app"))
    );
}

pub async fn case_client_update(store: &SqlStore) {
    store.create_client(&client("app")).await.expect("create");
    let mut changed = client("app");
    changed.name = "Renamed".into();
    changed.redirect_uris.push("https://app.example/cb2".into());
    changed.scope = scope("openid");
    store.update_client(&changed).await.expect("update");
    assert_eq!(store.get_client("app").await.expect("get"), Some(changed));

    store
        .update_client(&client("ghost"))
        .await
        .expect("update of a missing client");
    assert_eq!(store.get_client("ghost").await.expect("get"), None);
}

pub async fn case_client_delete_removes_secrets(store: &SqlStore) {
    store.create_client(&client("app")).await.expect("create");
    store.create_client(&client("other")).await.expect("create");
    let mut later = client_secret("s2", "app");
    later.created_at = NOW + 5;
    later.expires_at = Some(NOW + DAY);
    store.add_client_secret(&later).await.expect("add");
    store
        .add_client_secret(&client_secret("s1", "app"))
        .await
        .expect("add");
    store
        .add_client_secret(&client_secret("s3", "other"))
        .await
        .expect("add");
    assert_eq!(
        store.client_secrets("app").await.expect("secrets"),
        vec![client_secret("s1", "app"), later]
    );

    assert!(store.delete_client("app").await.expect("delete"));
    assert!(!store.delete_client("app").await.expect("delete again"));
    assert_eq!(store.get_client("app").await.expect("get"), None);
    assert!(
        store
            .client_secrets("app")
            .await
            .expect("secrets")
            .is_empty()
    );
    assert_eq!(
        store.client_secrets("other").await.expect("secrets").len(),
        1
    );
}

pub async fn case_client_secret_delete(store: &SqlStore) {
    store.create_client(&client("app")).await.expect("create");
    store.create_client(&client("other")).await.expect("create");
    store
        .add_client_secret(&client_secret("s1", "app"))
        .await
        .expect("add");
    match store.add_client_secret(&client_secret("s1", "app")).await {
        Err(StoreError::Conflict(_)) => {}
        other => panic!("expected a conflict, got {other:?}"),
    }
    assert!(
        !store
            .delete_client_secret("other", "s1")
            .await
            .expect("wrong client")
    );
    assert!(
        !store
            .delete_client_secret("app", "nope")
            .await
            .expect("unknown secret")
    );
    assert!(
        store
            .delete_client_secret("app", "s1")
            .await
            .expect("delete")
    );
    assert!(
        !store
            .delete_client_secret("app", "s1")
            .await
            .expect("again")
    );
    assert!(
        store
            .client_secrets("app")
            .await
            .expect("secrets")
            .is_empty()
    );
    assert!(
        store
            .client_secrets("nobody")
            .await
            .expect("secrets")
            .is_empty()
    );
}
