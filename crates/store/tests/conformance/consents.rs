//! `ConsentRepo`: one consent per account and client, overwritten by the next one.

use super::fixtures::*;
use propusk_core::model::LogoutDelivery;
use propusk_core::store::{ConsentRepo, GrantRepo, LogoutRepo, StoreError};
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

fn logout_delivery(id: &str) -> LogoutDelivery {
    LogoutDelivery {
        id: id.into(),
        client_id: "app".into(),
        uri: "https://app.example/bc".into(),
        sid: "sid".into(),
        sub: "acc".into(),
        attempts: 0,
        next_attempt_at: NOW,
        created_at: NOW,
        delivered_at: None,
        abandoned_at: None,
        last_error: None,
    }
}

/// The account `acc` with a consent, a grant, a refresh and an access token for `app`,
/// and the same for the client `other`.
async fn access_of_two_clients(store: &SqlStore) {
    let mut other = grant("g-other");
    other.client_id = "other".into();
    let mut older = grant("g-old");
    older.created_at = NOW - 50;
    for g in [grant("g-app"), older, other] {
        store.insert_grant(&g).await.expect("grant");
    }
    store
        .insert_refresh_token(&refresh("r-app", "g-app"))
        .await
        .expect("refresh");
    store
        .insert_access_token(&access("a-app", Some("g-app")))
        .await
        .expect("access");
    for client in ["app", "other"] {
        store
            .upsert_consent(&consent("acc", client, "openid"))
            .await
            .expect("consent");
    }
}

pub async fn case_account_grants_newest_first(store: &SqlStore) {
    access_of_two_clients(store).await;
    let ids: Vec<String> = store
        .account_grants("acc")
        .await
        .expect("grants")
        .into_iter()
        .map(|g| g.id)
        .collect();
    assert_eq!(ids, ["g-app", "g-other", "g-old"]);
    assert!(
        store
            .account_grants("nobody")
            .await
            .expect("grants")
            .is_empty()
    );
    let mut later = refresh("r-later", "g-old");
    later.token_hash = "rt-hash-later".into();
    later.created_at = NOW + 40;
    store.insert_refresh_token(&later).await.expect("refresh");
    assert_eq!(
        store.last_refresh_by_client("acc").await.expect("last"),
        vec![("app".to_owned(), NOW + 40)]
    );
    let none = store.last_refresh_by_client("nobody").await.expect("last");
    assert!(none.is_empty());
}

pub async fn case_revoke_access_is_all_or_nothing(store: &SqlStore) {
    access_of_two_clients(store).await;
    store
        .insert_logout_delivery(&logout_delivery("taken"))
        .await
        .expect("delivery");

    let clash = [logout_delivery("d-new"), logout_delivery("taken")];
    let failed = store.revoke_access("acc", "app", &clash, NOW + 5).await;
    assert!(
        matches!(failed, Err(StoreError::Conflict(_))),
        "a failure at the last step: {failed:?}"
    );
    assert!(
        store
            .get_consent("acc", "app")
            .await
            .expect("get")
            .is_some(),
        "the consent stays"
    );
    let kept = store.get_grant("g-app").await.expect("get").expect("grant");
    assert_eq!(kept.revoked_at, None, "the grant stays live");
    let rt = store
        .find_refresh_token("rt-hash-r-app")
        .await
        .expect("find")
        .expect("refresh");
    assert_eq!(rt.revoked_at, None, "the refresh token stays live");
    let at = store.find_access_token_by_jti("a-app").await.expect("find");
    assert_eq!(at.expect("access").revoked_at, None);
    let queued = store.claim_logout_deliveries(NOW, NOW + 60, 10).await;
    let queued: Vec<String> = queued.expect("claim").into_iter().map(|d| d.id).collect();
    assert_eq!(queued, ["taken"], "no delivery from the failed revocation");

    let done = store
        .revoke_access("acc", "app", &[logout_delivery("d-ok")], NOW + 9)
        .await
        .expect("revoke");
    assert_eq!(done, 2, "both grants of app");
    assert_eq!(store.get_consent("acc", "app").await.expect("get"), None);
    let revoked = store.get_grant("g-app").await.expect("get").expect("grant");
    assert_eq!(revoked.revoked_at, Some(NOW + 9));
    let rt = store
        .find_refresh_token("rt-hash-r-app")
        .await
        .expect("find");
    assert_eq!(rt.expect("refresh").revoked_at, Some(NOW + 9));
    let at = store.find_access_token_by_jti("a-app").await.expect("find");
    assert_eq!(at.expect("access").revoked_at, Some(NOW + 9));
    let queued = store
        .claim_logout_deliveries(NOW + 100, NOW + 160, 10)
        .await;
    let queued: Vec<String> = queued.expect("claim").into_iter().map(|d| d.id).collect();
    assert!(queued.contains(&"d-ok".to_owned()), "{queued:?}");

    assert!(
        store
            .get_consent("acc", "other")
            .await
            .expect("get")
            .is_some(),
        "another client keeps its consent"
    );
    let other = store
        .get_grant("g-other")
        .await
        .expect("get")
        .expect("grant");
    assert_eq!(other.revoked_at, None, "and its grant");
}
