//! `GrantRepo`, grants and codes: the grant record, revocation of its token family, and
//! single-use codes under concurrent redemption.

use super::fixtures::*;
use propusk_core::model::CodeRedemption;
use propusk_core::store::{GrantRepo, StoreError};
use propusk_store::SqlStore;

pub async fn case_grant_round_trip(store: &SqlStore) {
    let full = grant("g1");
    let mut bare = grant("g2");
    bare.account_id = None;
    bare.session_id = None;
    bare.auth_time = None;
    bare.acr = None;
    bare.amr = vec![];
    bare.nonce = None;
    bare.claims = None;
    bare.scope = scope("");
    store.insert_grant(&full).await.expect("insert");
    store.insert_grant(&bare).await.expect("insert");
    assert_eq!(store.get_grant("g1").await.expect("get"), Some(full));
    assert_eq!(store.get_grant("g2").await.expect("get"), Some(bare));
    assert_eq!(store.get_grant("g3").await.expect("get"), None);
    assert!(matches!(
        store.insert_grant(&grant("g1")).await,
        Err(StoreError::Conflict(_))
    ));
}

pub async fn case_revoke_grant_cascades(store: &SqlStore) {
    store.insert_grant(&grant("g1")).await.expect("insert");
    store.insert_grant(&grant("g2")).await.expect("insert");
    let mut earlier = refresh("r0", "g1");
    earlier.revoked_at = Some(NOW + 1);
    for token in [
        refresh("r1", "g1"),
        refresh("r2", "g1"),
        earlier,
        refresh("r3", "g2"),
    ] {
        store.insert_refresh_token(&token).await.expect("insert");
    }
    for token in [
        access("a1", Some("g1")),
        access("a2", Some("g2")),
        access("a3", None),
    ] {
        store.insert_access_token(&token).await.expect("insert");
    }

    store.revoke_grant("g1", NOW + 10).await.expect("revoke");
    store
        .revoke_grant("g1", NOW + 20)
        .await
        .expect("revoke again");
    store
        .revoke_grant("nope", NOW + 20)
        .await
        .expect("revoke unknown");

    let revoked_at = |hash: &str| {
        let hash = hash.to_owned();
        async move {
            store
                .find_refresh_token(&hash)
                .await
                .expect("find")
                .map(|t| t.revoked_at)
        }
    };
    assert_eq!(
        store
            .get_grant("g1")
            .await
            .expect("get")
            .and_then(|g| g.revoked_at),
        Some(NOW + 10)
    );
    assert_eq!(
        store
            .get_grant("g2")
            .await
            .expect("get")
            .and_then(|g| g.revoked_at),
        None
    );
    assert_eq!(revoked_at("rt-hash-r1").await, Some(Some(NOW + 10)));
    assert_eq!(revoked_at("rt-hash-r2").await, Some(Some(NOW + 10)));
    assert_eq!(revoked_at("rt-hash-r0").await, Some(Some(NOW + 1)));
    assert_eq!(revoked_at("rt-hash-r3").await, Some(None));
    let access_revoked = |jti: &str| {
        let jti = jti.to_owned();
        async move {
            store
                .find_access_token_by_jti(&jti)
                .await
                .expect("find")
                .map(|t| t.revoked_at)
        }
    };
    assert_eq!(access_revoked("a1").await, Some(Some(NOW + 10)));
    assert_eq!(access_revoked("a2").await, Some(None));
    assert_eq!(access_revoked("a3").await, Some(None));
}

pub async fn case_redeem_code_once(store: &SqlStore) {
    store.insert_grant(&grant("g1")).await.expect("insert");
    store.insert_code(&code("c1", "g1")).await.expect("insert");
    let mut used = code("c1", "g1");
    used.used_at = Some(NOW + 5);

    assert_eq!(
        store.redeem_code("c1", NOW + 5).await.expect("redeem"),
        CodeRedemption::Redeemed(used.clone())
    );
    assert_eq!(
        store.redeem_code("c1", NOW + 9).await.expect("replay"),
        CodeRedemption::AlreadyUsed(used)
    );
    assert_eq!(
        store.redeem_code("c2", NOW).await.expect("unknown"),
        CodeRedemption::NotFound
    );
    assert!(matches!(
        store.insert_code(&code("c1", "g1")).await,
        Err(StoreError::Conflict(_))
    ));
}

pub async fn case_redeem_code_concurrently(store: &SqlStore) {
    store.insert_grant(&grant("g1")).await.expect("insert");
    store.insert_code(&code("c1", "g1")).await.expect("insert");
    let attempts: Vec<_> = (0..8)
        .map(|i| {
            let store = store.clone();
            tokio::spawn(async move { store.redeem_code("c1", NOW + i).await })
        })
        .collect();
    let (mut redeemed, mut replayed) = (0, 0);
    for attempt in attempts {
        match attempt.await.expect("task").expect("redeem") {
            CodeRedemption::Redeemed(_) => redeemed += 1,
            CodeRedemption::AlreadyUsed(code) => {
                assert!(code.used_at.is_some());
                replayed += 1;
            }
            CodeRedemption::NotFound => panic!("the code exists"),
        }
    }
    assert_eq!((redeemed, replayed), (1, 7));
}
