//! `ReplayRepo`: a value is new once until it expires, also under concurrency.

use super::fixtures::*;
use propusk_core::store::ReplayRepo;
use propusk_store::SqlStore;

pub async fn case_remember_once(store: &SqlStore) {
    assert!(
        store
            .remember_once("jti-1", NOW + 60, NOW)
            .await
            .expect("first")
    );
    assert!(
        !store
            .remember_once("jti-1", NOW + 120, NOW + 1)
            .await
            .expect("replay")
    );
    assert!(
        !store
            .remember_once("jti-1", NOW + 120, NOW + 59)
            .await
            .expect("still live")
    );
    assert!(
        store
            .remember_once("jti-2", NOW + 60, NOW)
            .await
            .expect("another key")
    );
    // Expired at NOW + 60: remembered anew, until the new expiry.
    assert!(
        store
            .remember_once("jti-1", NOW + 200, NOW + 60)
            .await
            .expect("expired")
    );
    assert!(
        !store
            .remember_once("jti-1", NOW + 300, NOW + 199)
            .await
            .expect("replay")
    );
}

pub async fn case_remember_once_concurrently(store: &SqlStore) {
    assert!(
        store
            .remember_once("stale", NOW, NOW - 10)
            .await
            .expect("seed")
    );
    for key in ["fresh", "stale"] {
        let attempts: Vec<_> = (0..8)
            .map(|_| {
                let store = store.clone();
                tokio::spawn(async move { store.remember_once(key, NOW + 60, NOW).await })
            })
            .collect();
        let mut new = 0;
        for attempt in attempts {
            if attempt.await.expect("task").expect("remember") {
                new += 1;
            }
        }
        assert_eq!(new, 1, "{key}");
    }
}
