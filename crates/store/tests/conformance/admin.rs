//! The operators' repository: account search by any identifier with keyset pages, the
//! audit trail by filter with pages and its counts by kind and detail, batches of events
//! and the engine's batching audit writer over them, and the operator set.

use super::fixtures::*;
use propusk_core::audit_writer::AuditWriter;
use propusk_core::clock::SystemClock;
use propusk_core::crypto::SystemRng;
use propusk_core::model::{AuditEvent, AuditKind};
use propusk_core::store::*;
use propusk_store::SqlStore;
use std::sync::Arc;

pub async fn case_search_accounts(store: &SqlStore) {
    let mut alice = account("a1", "alice");
    alice.email = Some("alice@example.com".into());
    alice.profile.name = Some("Alice Liddell".into());
    let mut bob = account("b2", "bob");
    bob.phone = Some("+79001234567".into());
    let mut carol = account("c3", "car_ol");
    carol.profile.name = Some("Кэрол".into());
    for a in [&alice, &bob, &carol] {
        store.create_account(a).await.expect("create");
    }
    let ids = |found: Vec<propusk_core::model::Account>| {
        found.into_iter().map(|a| a.id).collect::<Vec<_>>()
    };
    let all = store.search_accounts(None, None, 10).await.expect("all");
    assert_eq!(ids(all), ["a1", "b2", "c3"]);
    let page = store
        .search_accounts(None, Some("a1"), 1)
        .await
        .expect("page");
    assert_eq!(ids(page), ["b2"]);
    let by_mail = store.search_accounts(Some("EXAMPLE.com"), None, 10).await;
    assert_eq!(ids(by_mail.expect("mail")), ["a1"]);
    let by_name = store.search_accounts(Some("liddell"), None, 10).await;
    assert_eq!(ids(by_name.expect("name")), ["a1"]);
    let by_phone = store.search_accounts(Some("900123"), None, 10).await;
    assert_eq!(ids(by_phone.expect("phone")), ["b2"]);
    let literal = store.search_accounts(Some("r_o"), None, 10).await;
    assert_eq!(ids(literal.expect("literal")), ["c3"]);
    let cyrillic = store.search_accounts(Some("кэР"), None, 10).await;
    assert_eq!(ids(cyrillic.expect("cyrillic")), ["c3"]);
    let keys = store.search_accounts(Some("verified"), None, 10).await;
    assert!(
        keys.expect("keys").is_empty(),
        "profile field names match nothing"
    );
    let mut renamed = bob.clone();
    renamed.profile.name = Some("Robert".into());
    store.update_account(&renamed).await.expect("update");
    let by_new_name = store.search_accounts(Some("robert"), None, 10).await;
    assert_eq!(ids(by_new_name.expect("renamed")), ["b2"]);
    let wildcard = store.search_accounts(Some("%"), None, 10).await;
    assert!(wildcard.expect("wildcard").is_empty(), "% is a literal");
}

pub async fn case_search_audit(store: &SqlStore) {
    let events = [
        ("e1", NOW, AuditKind::SignIn, Some("a"), None),
        ("e2", NOW + 1, AuditKind::ClientCreated, None, Some("c")),
        ("e3", NOW + 2, AuditKind::AccountBlocked, Some("a"), None),
        ("e4", NOW + 2, AuditKind::SignIn, Some("b"), None),
    ];
    for (id, at, kind, account, client) in events {
        let event = AuditEvent {
            id: id.into(),
            at,
            kind,
            account_id: account.map(str::to_owned),
            ip: None,
            detail: None,
            actor: client.map(|_| "cli".to_owned()),
            client_id: client.map(str::to_owned),
        };
        store.record_audit(&event).await.expect("record");
    }
    let ids = |found: Vec<AuditEvent>| found.into_iter().map(|e| e.id).collect::<Vec<_>>();
    let search = |filter: AuditFilter| async move {
        store.search_audit(&filter, None, 10).await.expect("search")
    };
    assert_eq!(
        ids(search(AuditFilter::default()).await),
        ["e4", "e3", "e2", "e1"]
    );
    let of_a = AuditFilter {
        account_id: Some("a".into()),
        ..AuditFilter::default()
    };
    assert_eq!(ids(search(of_a).await), ["e3", "e1"]);
    let of_c = AuditFilter {
        client_id: Some("c".into()),
        ..AuditFilter::default()
    };
    let found = search(of_c).await;
    assert_eq!(found[0].actor.as_deref(), Some("cli"));
    assert_eq!(ids(found), ["e2"]);
    let sign_ins = AuditFilter {
        kind: Some(AuditKind::SignIn),
        ..AuditFilter::default()
    };
    assert_eq!(ids(search(sign_ins).await), ["e4", "e1"]);
    let window = AuditFilter {
        since: Some(NOW + 1),
        until: Some(NOW + 2),
        ..AuditFilter::default()
    };
    assert_eq!(ids(search(window).await), ["e2"]);
    let next = store
        .search_audit(&AuditFilter::default(), Some((NOW + 2, "e3")), 2)
        .await
        .expect("page");
    assert_eq!(ids(next), ["e2", "e1"]);
}

pub async fn case_count_audit(store: &SqlStore) {
    let events = [
        ("e1", NOW - 1, AuditKind::SignIn),
        ("e2", NOW, AuditKind::SignIn),
        ("e3", NOW + 1, AuditKind::SignIn),
        ("e4", NOW + 2, AuditKind::Lockout),
        ("e5", NOW + 10, AuditKind::SignIn),
    ];
    for (id, at, kind) in events {
        let event = AuditEvent {
            id: id.into(),
            at,
            kind,
            account_id: None,
            ip: None,
            detail: None,
            actor: None,
            client_id: None,
        };
        store.record_audit(&event).await.expect("record");
    }
    let counts = store.count_audit(NOW, NOW + 10).await.expect("count");
    assert_eq!(counts, [(AuditKind::Lockout, 1), (AuditKind::SignIn, 2)]);
    let none = store.count_audit(NOW + 11, NOW + 20).await.expect("none");
    assert!(none.is_empty());
}

fn token_event(i: usize, grant: &str) -> AuditEvent {
    AuditEvent {
        id: format!("t{i:04}"),
        at: NOW + (i % 3) as i64,
        kind: AuditKind::TokenIssued,
        account_id: i.is_multiple_of(2).then(|| format!("a{i}")),
        ip: None,
        detail: Some(grant.into()),
        actor: None,
        client_id: Some("c".into()),
    }
}

/// More events than one statement takes, in one call: all of them, every field kept.
pub async fn case_record_audit_batch(store: &SqlStore) {
    let events: Vec<AuditEvent> = (0..150)
        .map(|i| {
            token_event(
                i,
                if i < 100 {
                    "client_credentials"
                } else {
                    "refresh_token"
                },
            )
        })
        .collect();
    store.record_audit_batch(&events).await.expect("batch");
    store.record_audit_batch(&[]).await.expect("empty batch");
    let mut found = store.list_audit(None, 1000).await.expect("list");
    found.sort_by(|a, b| a.id.cmp(&b.id));
    assert_eq!(found, events);
    let by_grant = store
        .count_audit_details(AuditKind::TokenIssued, NOW, NOW + 3)
        .await
        .expect("count");
    assert_eq!(
        by_grant,
        [
            ("client_credentials".to_owned(), 100),
            ("refresh_token".to_owned(), 50)
        ]
    );
    let later = store
        .count_audit_details(AuditKind::TokenIssued, NOW + 1, NOW + 2)
        .await
        .expect("count");
    assert_eq!(
        later,
        [
            ("client_credentials".to_owned(), 33),
            ("refresh_token".to_owned(), 17)
        ]
    );
    let duplicate = store.record_audit_batch(&events[..1]).await;
    assert!(duplicate.is_err(), "an id is stored once");
}

fn writer(store: &SqlStore, capacity: usize) -> AuditWriter {
    AuditWriter::with_capacity(
        capacity,
        Arc::new(store.clone()),
        Arc::new(SystemClock),
        Arc::new(SystemRng),
    )
}

/// Queued events are stored once `flush` returns, as on shutdown.
pub async fn case_audit_writer_flushes(store: &SqlStore) {
    let writer = writer(store, 1024);
    for i in 0..700 {
        writer.record(token_event(i, "authorization_code"));
    }
    writer.flush().await;
    let found = store.list_audit(None, 1000).await.expect("list");
    assert_eq!(found.len(), 700);
    assert_eq!(writer.dropped(), 0);
}

/// A full queue drops events and the next batch says how many were lost.
pub async fn case_audit_writer_counts_drops(store: &SqlStore) {
    let writer = writer(store, 1);
    for i in 0..200 {
        writer.record(token_event(i, "client_credentials"));
    }
    writer.flush().await;
    let found = store.list_audit(None, 1000).await.expect("list");
    let stored = found
        .iter()
        .filter(|e| e.kind == AuditKind::TokenIssued)
        .count() as u64;
    let lost: u64 = found
        .iter()
        .filter(|e| e.kind == AuditKind::AuditDropped)
        .map(|e| {
            e.detail
                .as_deref()
                .and_then(|d| d.parse::<u64>().ok())
                .expect("a count")
        })
        .sum();
    assert!(lost > 0, "a queue of one overflows");
    assert_eq!(stored + lost, 200);
}

pub async fn case_operators(store: &SqlStore) {
    assert!(!store.is_operator("a").await.expect("is"));
    assert!(store.grant_operator("a", NOW).await.expect("grant"));
    assert!(!store.grant_operator("a", NOW).await.expect("again"));
    assert!(store.is_operator("a").await.expect("is"));
    assert!(store.revoke_operator("a").await.expect("revoke"));
    assert!(!store.revoke_operator("a").await.expect("again"));
    assert!(!store.is_operator("a").await.expect("is"));
}
