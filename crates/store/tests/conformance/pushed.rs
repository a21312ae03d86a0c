//! `PushedRequestRepo` (RFC 9126): parameters kept in order, a request taken once and
//! only by the client that pushed it while it is live (also under concurrency), and
//! purging of expired ones.

use super::fixtures::*;
use propusk_core::model::PushedRequest;
use propusk_core::store::{ClientRepo, PushedRequestRepo, StoreError};
use propusk_store::SqlStore;

fn pushed(hash: &str, client_id: &str) -> PushedRequest {
    PushedRequest {
        request_uri_hash: hash.into(),
        client_id: client_id.into(),
        params: vec![
            ("response_type".into(), "code".into()),
            ("resource".into(), "https://a.example/".into()),
            ("resource".into(), "https://b.example/".into()),
            ("client_id".into(), client_id.into()),
        ],
        created_at: NOW,
        expires_at: NOW + 60,
    }
}

async fn clients(store: &SqlStore) {
    for id in ["web", "other"] {
        store.create_client(&client(id)).await.expect("client");
    }
}

pub async fn case_pushed_request_taken_once(store: &SqlStore) {
    clients(store).await;
    let record = pushed("h-1", "web");
    store.insert_pushed_request(&record).await.expect("insert");
    assert!(matches!(
        store.insert_pushed_request(&record).await,
        Err(StoreError::Conflict(_))
    ));
    assert_eq!(
        store
            .take_pushed_request("h-1", "other", NOW + 1)
            .await
            .expect("take"),
        None,
        "another client cannot take it"
    );
    assert_eq!(
        store
            .take_pushed_request("h-1", "web", NOW + 1)
            .await
            .expect("take"),
        Some(record),
        "the other client's attempt left it in place"
    );
    assert_eq!(
        store
            .take_pushed_request("h-1", "web", NOW + 2)
            .await
            .expect("take"),
        None,
        "used once"
    );
    assert_eq!(
        store
            .take_pushed_request("nope", "web", NOW)
            .await
            .expect("take"),
        None
    );
}

pub async fn case_pushed_request_expires(store: &SqlStore) {
    clients(store).await;
    store
        .insert_pushed_request(&pushed("h-old", "web"))
        .await
        .expect("insert");
    store
        .insert_pushed_request(&pushed("h-live", "web"))
        .await
        .expect("insert");
    assert_eq!(
        store
            .take_pushed_request("h-old", "web", NOW + 60)
            .await
            .expect("take"),
        None,
        "expired at expires_at"
    );
    assert_eq!(
        store
            .purge_expired_pushed_requests(NOW + 59)
            .await
            .expect("purge"),
        0
    );
    assert_eq!(
        store
            .purge_expired_pushed_requests(NOW + 60)
            .await
            .expect("purge"),
        2
    );
}

pub async fn case_pushed_request_taken_once_concurrently(store: &SqlStore) {
    clients(store).await;
    store
        .insert_pushed_request(&pushed("h-c", "web"))
        .await
        .expect("insert");
    let attempts: Vec<_> = (0..8)
        .map(|_| {
            let store = store.clone();
            tokio::spawn(async move { store.take_pushed_request("h-c", "web", NOW + 1).await })
        })
        .collect();
    let mut won = 0;
    for attempt in attempts {
        if attempt.await.expect("task").expect("take").is_some() {
            won += 1;
        }
    }
    assert_eq!(won, 1);
}
