//! `DeviceRepo` (RFC 8628): lookups by either code hash, a decision that lands once on a
//! pending unexpired authorization, single redemption (also under concurrency), polling
//! pace, attempt counters with windows, and purging.

use super::fixtures::*;
use propusk_core::model::{DeviceAuthorization, DeviceDecision, DeviceStatus};
use propusk_core::store::{DeviceRepo, StoreError};
use propusk_store::SqlStore;

fn device(code: &str, user: &str) -> DeviceAuthorization {
    DeviceAuthorization {
        device_code_hash: code.into(),
        user_code_hash: user.into(),
        client_id: "tv".into(),
        scope: scope("openid profile"),
        status: DeviceStatus::Pending,
        account_id: None,
        grant_id: None,
        interval: 3,
        last_polled_at: None,
        created_at: NOW,
        expires_at: NOW + 300,
    }
}

fn approve(grant: &str) -> DeviceDecision {
    DeviceDecision {
        status: DeviceStatus::Approved,
        account_id: "alice".into(),
        grant_id: Some(grant.into()),
    }
}

pub async fn case_device_lifecycle(store: &SqlStore) {
    let record = device("dc-1", "uc-1");
    store
        .insert_device_authorization(&record)
        .await
        .expect("insert");
    assert!(matches!(
        store
            .insert_device_authorization(&device("dc-2", "uc-1"))
            .await,
        Err(StoreError::Conflict("user_code"))
    ));
    assert_eq!(
        store.get_device_authorization("dc-1").await.expect("get"),
        Some(record.clone())
    );
    assert_eq!(
        store.find_device_by_user_code("uc-1").await.expect("find"),
        Some(record)
    );
    assert_eq!(
        store.get_device_authorization("nope").await.expect("get"),
        None
    );

    store
        .record_device_poll("dc-1", NOW + 1, 8)
        .await
        .expect("poll");
    assert!(!store.redeem_device("dc-1", NOW + 2).await.expect("pending"));
    assert!(
        !store
            .decide_device("uc-1", &approve("g1"), NOW + 300)
            .await
            .expect("expired")
    );
    assert!(
        store
            .decide_device("uc-1", &approve("g1"), NOW + 5)
            .await
            .expect("decide")
    );
    assert!(
        !store
            .decide_device("uc-1", &approve("g2"), NOW + 6)
            .await
            .expect("decided once")
    );
    let decided = store
        .get_device_authorization("dc-1")
        .await
        .expect("get")
        .expect("found");
    assert_eq!(decided.status, DeviceStatus::Approved);
    assert_eq!(decided.grant_id.as_deref(), Some("g1"));
    assert_eq!(decided.account_id.as_deref(), Some("alice"));
    assert_eq!(
        (decided.interval, decided.last_polled_at),
        (8, Some(NOW + 1))
    );

    assert!(store.redeem_device("dc-1", NOW + 10).await.expect("redeem"));
    assert!(!store.redeem_device("dc-1", NOW + 11).await.expect("once"));
    assert_eq!(
        store.purge_expired_devices(NOW + 299).await.expect("purge"),
        0
    );
    assert_eq!(
        store.purge_expired_devices(NOW + 300).await.expect("purge"),
        1
    );
}

pub async fn case_device_redeemed_once_concurrently(store: &SqlStore) {
    store
        .insert_device_authorization(&device("dc-c", "uc-c"))
        .await
        .expect("insert");
    assert!(
        store
            .decide_device("uc-c", &approve("g"), NOW)
            .await
            .expect("decide")
    );
    let attempts: Vec<_> = (0..8)
        .map(|_| {
            let store = store.clone();
            tokio::spawn(async move { store.redeem_device("dc-c", NOW + 1).await })
        })
        .collect();
    let mut won = 0;
    for attempt in attempts {
        if attempt.await.expect("task").expect("redeem") {
            won += 1;
        }
    }
    assert_eq!(won, 1);
}

pub async fn case_attempt_counter_windows(store: &SqlStore) {
    for expected in 1..=3 {
        assert_eq!(
            store.count_attempt("k", 600, NOW).await.expect("count"),
            expected
        );
    }
    assert_eq!(
        store.count_attempt("other", 600, NOW).await.expect("count"),
        1
    );
    assert_eq!(
        store
            .count_attempt("k", 600, NOW + 599)
            .await
            .expect("count"),
        4
    );
    assert_eq!(
        store
            .count_attempt("k", 600, NOW + 600)
            .await
            .expect("new window"),
        1
    );
}
