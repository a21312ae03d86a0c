//! `GrantRepo`, tokens: refresh rotation under concurrency, access token records and
//! tombstones, and the purge of expired rows.

use super::fixtures::*;
use propusk_core::model::{CodeRedemption, RefreshUse};
use propusk_core::store::{GrantRepo, InteractionRepo, ReplayRepo, StoreError};
use propusk_store::SqlStore;

pub async fn case_refresh_token_rotation(store: &SqlStore) {
    store.insert_grant(&grant("g1")).await.expect("insert");
    store
        .insert_refresh_token(&refresh("r1", "g1"))
        .await
        .expect("insert");
    let mut revoked = refresh("r2", "g1");
    revoked.revoked_at = Some(NOW);
    store.insert_refresh_token(&revoked).await.expect("insert");
    let mut used = refresh("r1", "g1");
    used.used_at = Some(NOW + 60);

    assert_eq!(
        store.find_refresh_token("rt-hash-r1").await.expect("find"),
        Some(refresh("r1", "g1"))
    );
    assert_eq!(
        store
            .use_refresh_token("rt-hash-r1", NOW + 60)
            .await
            .expect("use"),
        RefreshUse::Fresh(used.clone())
    );
    assert_eq!(
        store
            .use_refresh_token("rt-hash-r1", NOW + 70)
            .await
            .expect("reuse"),
        RefreshUse::Reused(used.clone())
    );
    assert_eq!(
        store.find_refresh_token("rt-hash-r1").await.expect("find"),
        Some(used)
    );
    assert_eq!(
        store
            .use_refresh_token("rt-hash-r2", NOW + 60)
            .await
            .expect("revoked"),
        RefreshUse::Reused(revoked)
    );
    assert_eq!(
        store
            .use_refresh_token("rt-hash-none", NOW)
            .await
            .expect("unknown"),
        RefreshUse::NotFound
    );
    assert_eq!(
        store
            .find_refresh_token("rt-hash-none")
            .await
            .expect("find"),
        None
    );
    let mut same_hash = refresh("r9", "g1");
    same_hash.token_hash = "rt-hash-r1".into();
    assert!(matches!(
        store.insert_refresh_token(&same_hash).await,
        Err(StoreError::Conflict(_))
    ));
}

pub async fn case_refresh_token_concurrently(store: &SqlStore) {
    store.insert_grant(&grant("g1")).await.expect("insert");
    store
        .insert_refresh_token(&refresh("r1", "g1"))
        .await
        .expect("insert");
    let attempts: Vec<_> = (0..8)
        .map(|i| {
            let store = store.clone();
            tokio::spawn(async move { store.use_refresh_token("rt-hash-r1", NOW + i).await })
        })
        .collect();
    let (mut fresh, mut reused) = (0, 0);
    for attempt in attempts {
        match attempt.await.expect("task").expect("use") {
            RefreshUse::Fresh(_) => fresh += 1,
            RefreshUse::Reused(_) => reused += 1,
            RefreshUse::NotFound => panic!("the token exists"),
        }
    }
    assert_eq!((fresh, reused), (1, 7));
}

pub async fn case_access_token_lookup(store: &SqlStore) {
    let reference = access("a1", Some("g1"));
    let mut jwt = access("a2", None);
    jwt.token_hash = None;
    jwt.account_id = None;
    store.insert_access_token(&reference).await.expect("insert");
    store.insert_access_token(&jwt).await.expect("insert");
    assert_eq!(
        store.find_access_token_by_jti("a1").await.expect("find"),
        Some(reference.clone())
    );
    assert_eq!(
        store
            .find_access_token_by_hash("at-hash-a1")
            .await
            .expect("find"),
        Some(reference)
    );
    assert_eq!(
        store.find_access_token_by_jti("a2").await.expect("find"),
        Some(jwt)
    );
    assert_eq!(
        store.find_access_token_by_jti("a3").await.expect("find"),
        None
    );
    assert_eq!(
        store
            .find_access_token_by_hash("at-hash-a2")
            .await
            .expect("find"),
        None
    );
    assert!(matches!(
        store.insert_access_token(&access("a1", None)).await,
        Err(StoreError::Conflict(_))
    ));
}

pub async fn case_revoke_recorded_access_token(store: &SqlStore) {
    store
        .insert_access_token(&access("a1", Some("g1")))
        .await
        .expect("insert");
    store
        .revoke_access_token(&access("a1", Some("g1")), NOW + 5)
        .await
        .expect("revoke");
    store
        .revoke_access_token(&access("a1", Some("g1")), NOW + 9)
        .await
        .expect("again");
    let mut revoked = access("a1", Some("g1"));
    revoked.revoked_at = Some(NOW + 5);
    assert_eq!(
        store.find_access_token_by_jti("a1").await.expect("find"),
        Some(revoked.clone())
    );
    assert_eq!(
        store
            .find_access_token_by_hash("at-hash-a1")
            .await
            .expect("find"),
        Some(revoked)
    );
}

pub async fn case_revoke_unrecorded_access_token(store: &SqlStore) {
    let mut jwt = access("never-stored", Some("g1"));
    jwt.token_hash = None;
    assert_eq!(
        store
            .find_access_token_by_jti("never-stored")
            .await
            .expect("find"),
        None
    );
    store
        .revoke_access_token(&jwt, NOW + 5)
        .await
        .expect("revoke");
    let mut tombstone = jwt.clone();
    tombstone.revoked_at = Some(NOW + 5);
    assert_eq!(
        store
            .find_access_token_by_jti("never-stored")
            .await
            .expect("find"),
        Some(tombstone)
    );
}

pub async fn case_purge_expired(store: &SqlStore) {
    let t = NOW + 2 * DAY;
    // An old grant whose rows all expire, an old one with a live token, a young one.
    let mut old = grant("old");
    old.created_at = NOW - DAY;
    let mut kept_alive = grant("kept");
    kept_alive.created_at = NOW - DAY;
    let mut young = grant("young");
    young.created_at = t - 60;
    for g in [&old, &kept_alive, &young] {
        store.insert_grant(g).await.expect("insert");
    }
    store
        .insert_code(&code("c-expired", "old"))
        .await
        .expect("insert");
    let mut live_code = code("c-live", "kept");
    live_code.expires_at = t + 300;
    store.insert_code(&live_code).await.expect("insert");
    let mut short = refresh("r-expired", "old");
    short.expires_at = t;
    store.insert_refresh_token(&short).await.expect("insert");
    store
        .insert_refresh_token(&refresh("r-live", "kept"))
        .await
        .expect("insert");
    store
        .insert_access_token(&access("a-expired", Some("old")))
        .await
        .expect("insert");
    let mut live_access = access("a-live", None);
    live_access.expires_at = t + 1;
    store
        .insert_access_token(&live_access)
        .await
        .expect("insert");
    store
        .create_interaction(&interaction("i-expired"))
        .await
        .expect("insert");
    let mut live_interaction = interaction("i-live");
    live_interaction.expires_at = t + 600;
    store
        .create_interaction(&live_interaction)
        .await
        .expect("insert");
    assert!(
        store
            .remember_once("jti-old", NOW + 60, NOW)
            .await
            .expect("remember")
    );
    assert!(
        store
            .remember_once("jti-new", t + 60, t)
            .await
            .expect("remember")
    );

    // code, refresh, access, interaction, replay entry, then the emptied old grant.
    assert_eq!(store.purge_expired(t).await.expect("purge"), 6);
    assert_eq!(store.purge_expired(t).await.expect("purge again"), 0);

    assert_eq!(
        store.redeem_code("c-expired", t).await.expect("redeem"),
        CodeRedemption::NotFound
    );
    assert!(matches!(
        store.redeem_code("c-live", t).await.expect("redeem"),
        CodeRedemption::Redeemed(_)
    ));
    assert_eq!(
        store
            .find_refresh_token("rt-hash-r-expired")
            .await
            .expect("find"),
        None
    );
    assert!(
        store
            .find_refresh_token("rt-hash-r-live")
            .await
            .expect("find")
            .is_some()
    );
    assert_eq!(
        store
            .find_access_token_by_jti("a-expired")
            .await
            .expect("find"),
        None
    );
    assert!(
        store
            .find_access_token_by_jti("a-live")
            .await
            .expect("find")
            .is_some()
    );
    assert_eq!(store.get_interaction("i-expired").await.expect("get"), None);
    assert!(
        store
            .get_interaction("i-live")
            .await
            .expect("get")
            .is_some()
    );
    assert!(
        store
            .remember_once("jti-old", t + 60, t)
            .await
            .expect("forgotten")
    );
    assert!(
        !store
            .remember_once("jti-new", t + 60, t)
            .await
            .expect("remembered")
    );
    assert_eq!(store.get_grant("old").await.expect("get"), None);
    assert!(store.get_grant("kept").await.expect("get").is_some());
    assert!(store.get_grant("young").await.expect("get").is_some());
}

/// A refresh token keeps the DPoP key it is bound to (RFC 9449 §5) through rotation.
pub async fn case_refresh_token_dpop_binding(store: &SqlStore) {
    store.insert_grant(&grant("g1")).await.expect("insert");
    let mut bound = refresh("r1", "g1");
    bound.dpop_jkt = Some("NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs".into());
    store.insert_refresh_token(&bound).await.expect("insert");
    assert_eq!(
        store.find_refresh_token("rt-hash-r1").await.expect("find"),
        Some(bound.clone())
    );
    let mut used = bound;
    used.used_at = Some(NOW + 1);
    assert_eq!(
        store
            .use_refresh_token("rt-hash-r1", NOW + 1)
            .await
            .expect("use"),
        RefreshUse::Fresh(used)
    );
}

/// A DPoP proof's `jti` is taken once across nodes: the first caller wins, the entry
/// expires and is then purged (RFC 9449 §11.1).
pub async fn case_dpop_proof_jti_once(store: &SqlStore) {
    let key = "dpop:proof-hash";
    assert!(
        store
            .remember_once(key, NOW + 61, NOW)
            .await
            .expect("first")
    );
    assert!(
        !store
            .remember_once(key, NOW + 61, NOW + 30)
            .await
            .expect("replay")
    );
    assert!(
        store
            .remember_once(key, NOW + 200, NOW + 61)
            .await
            .expect("after expiry")
    );
}
