//! `RegistrationRepo`: initial access tokens by hash; a registration written with its
//! client and api-key at once, found by its token hash, and gone with its client.

use super::fixtures::*;
use propusk_core::model::ClientKind;
use propusk_core::model::{ClientRegistration, RegistrationToken};
use propusk_core::store::{ClientRepo, RegistrationRepo, StoreError};
use propusk_store::SqlStore;

fn registration(client_id: &str, hash: &str) -> ClientRegistration {
    ClientRegistration {
        client_id: client_id.into(),
        access_token_hash: hash.into(),
        created_at: NOW,
    }
}

pub async fn case_registration_token_round_trip(store: &SqlStore) {
    let token = RegistrationToken {
        token_hash: "iat-hash".into(),
        created_at: NOW,
        expires_at: Some(NOW + 60),
    };
    store
        .insert_registration_token(&token)
        .await
        .expect("insert");
    assert_eq!(
        store
            .find_registration_token("iat-hash")
            .await
            .expect("find"),
        Some(token.clone())
    );
    assert_eq!(
        store.find_registration_token("other").await.expect("find"),
        None
    );
    assert!(matches!(
        store.insert_registration_token(&token).await,
        Err(StoreError::Conflict(_))
    ));
}

pub async fn case_register_client_at_once(store: &SqlStore) {
    let app = client("app");
    let secret = client_secret("s1", "app");
    store
        .register_client(&app, Some(&secret), &registration("app", "rat-1"))
        .await
        .expect("register");
    assert_eq!(
        store.get_client("app").await.expect("get"),
        Some(app.clone())
    );
    assert_eq!(
        store.client_secrets("app").await.expect("secrets"),
        vec![secret]
    );
    assert_eq!(
        store.find_registration("rat-1").await.expect("find"),
        Some(registration("app", "rat-1"))
    );
    let taken = store
        .register_client(&client("other"), None, &registration("other", "rat-1"))
        .await;
    assert!(matches!(taken, Err(StoreError::Conflict(_))), "{taken:?}");
    assert_eq!(
        store.get_client("other").await.expect("get"),
        None,
        "a refused registration leaves no client behind"
    );
    assert!(matches!(
        store
            .register_client(&app, None, &registration("app", "rat-2"))
            .await,
        Err(StoreError::Conflict("client_id"))
    ));
    assert!(store.delete_client("app").await.expect("delete"));
    assert_eq!(store.find_registration("rat-1").await.expect("find"), None);
}

pub async fn case_replace_registered_client_with_its_keys(store: &SqlStore) {
    let app = client("app");
    store
        .register_client(
            &app,
            Some(&client_secret("s1", "app")),
            &registration("app", "rat"),
        )
        .await
        .expect("register");
    let mut public = app.clone();
    public.kind = ClientKind::Public;
    public.name = "Public now".into();
    store
        .replace_registered_client(&public, true, None)
        .await
        .expect("replace");
    assert_eq!(
        store.get_client("app").await.expect("get"),
        Some(public.clone())
    );
    assert!(
        store
            .client_secrets("app")
            .await
            .expect("secrets")
            .is_empty()
    );
    let fresh = client_secret("s2", "app");
    store
        .replace_registered_client(&app, false, Some(&fresh))
        .await
        .expect("replace");
    assert_eq!(store.get_client("app").await.expect("get"), Some(app));
    assert_eq!(
        store.client_secrets("app").await.expect("secrets"),
        vec![fresh.clone()]
    );
    let clash = store
        .replace_registered_client(&public, false, Some(&fresh))
        .await;
    assert!(matches!(clash, Err(StoreError::Conflict(_))), "{clash:?}");
    assert_eq!(
        store.get_client("app").await.expect("get").map(|c| c.name),
        Some("Client app".to_owned()),
        "a failed replacement changes nothing"
    );
}
