//! `LogoutRepo`: the grants of a session, and the back-channel delivery queue (claimed
//! once while leased, updated, listed).

use super::fixtures::*;
use propusk_core::model::LogoutDelivery;
use propusk_core::store::{GrantRepo, LogoutRepo};
use propusk_store::SqlStore;

fn delivery(id: &str, next: i64) -> LogoutDelivery {
    LogoutDelivery {
        id: id.into(),
        client_id: "web".into(),
        uri: "https://rp.example/bc".into(),
        sid: "s1".into(),
        sub: "alice".into(),
        attempts: 0,
        next_attempt_at: next,
        created_at: NOW,
        delivered_at: None,
        abandoned_at: None,
        last_error: None,
    }
}

pub async fn case_session_grants(store: &SqlStore) {
    let mut in_session = grant("g-in");
    in_session.session_id = Some("s1".into());
    let mut elsewhere = grant("g-out");
    elsewhere.session_id = Some("s2".into());
    store.insert_grant(&in_session).await.expect("grant");
    store.insert_grant(&elsewhere).await.expect("grant");
    let found = store.session_grants("s1").await.expect("list");
    assert_eq!(found, vec![in_session]);
    assert!(store.session_grants("none").await.expect("list").is_empty());
}

pub async fn case_logout_delivery_queue(store: &SqlStore) {
    store
        .insert_logout_delivery(&delivery("d1", NOW))
        .await
        .expect("insert");
    store
        .insert_logout_delivery(&delivery("d2", NOW + 100))
        .await
        .expect("insert");
    let claimed = store
        .claim_logout_deliveries(NOW, NOW + 60, 10)
        .await
        .expect("claim");
    assert_eq!(
        claimed.iter().map(|d| d.id.as_str()).collect::<Vec<_>>(),
        ["d1"]
    );
    assert_eq!(claimed[0].next_attempt_at, NOW + 60, "leased");
    assert!(
        store
            .claim_logout_deliveries(NOW + 1, NOW + 61, 10)
            .await
            .expect("claim")
            .is_empty(),
        "a leased delivery is not claimed again"
    );
    let mut failed = claimed[0].clone();
    failed.attempts = 1;
    failed.next_attempt_at = NOW + 5;
    failed.last_error = Some("HTTP 500".into());
    store.update_logout_delivery(&failed).await.expect("update");
    let again = store
        .claim_logout_deliveries(NOW + 100, NOW + 160, 10)
        .await
        .expect("claim");
    assert_eq!(again.len(), 2);
    let mut done = again.into_iter().find(|d| d.id == "d1").expect("d1");
    assert_eq!(done.attempts, 1);
    assert_eq!(done.last_error.as_deref(), Some("HTTP 500"));
    done.delivered_at = Some(NOW + 101);
    store.update_logout_delivery(&done).await.expect("update");
    assert!(
        store
            .claim_logout_deliveries(NOW + 1000, NOW + 1060, 10)
            .await
            .expect("claim")
            .iter()
            .all(|d| d.id != "d1"),
        "a delivered one is done"
    );
    let listed = store.list_logout_deliveries("web").await.expect("list");
    assert_eq!(listed.len(), 2);
    assert!(
        store
            .list_logout_deliveries("x")
            .await
            .expect("list")
            .is_empty()
    );
}
