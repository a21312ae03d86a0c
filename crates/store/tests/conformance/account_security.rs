//! The account repositories: counters, audit, challenges, outbox, factors, recovery
//! codes and account-wide revocation, including their atomic decisions under concurrency.

use super::fixtures::*;
use propusk_core::model::{
    AuditEvent, AuditKind, Challenge, ChallengePurpose, Channel, Factors, OutboxMessage,
    RecoveryCode,
};
use propusk_core::store::*;
use propusk_store::SqlStore;

pub async fn case_counter_hits_and_windows(store: &SqlStore) {
    assert_eq!(store.get_counters(&["k"]).await.expect("get"), vec![]);
    let first = store.hit_counter("k", NOW, 60).await.expect("hit");
    assert_eq!(
        (first.count, first.window_start, first.last_at),
        (1, NOW, NOW)
    );
    let second = store.hit_counter("k", NOW + 10, 60).await.expect("hit");
    assert_eq!(
        (second.count, second.window_start, second.last_at),
        (2, NOW, NOW + 10)
    );
    let fresh = store.hit_counter("k", NOW + 60, 60).await.expect("hit");
    assert_eq!(
        (fresh.count, fresh.window_start),
        (1, NOW + 60),
        "window over"
    );
    let other = store.hit_counter("j", NOW + 60, 60).await.expect("hit");
    let mut both = store
        .get_counters(&["k", "j", "absent"])
        .await
        .expect("get");
    both.sort_by(|a, b| a.key.cmp(&b.key));
    assert_eq!(both, vec![other, fresh.clone()]);
    assert_eq!(store.get_counters(&["k"]).await.expect("get"), vec![fresh]);
    store.clear_counter("k").await.expect("clear");
    assert_eq!(store.get_counters(&["k"]).await.expect("get"), vec![]);
    store.hit_counter("old", NOW - 100, 60).await.expect("hit");
    assert_eq!(store.purge_counters(NOW - 50).await.expect("purge"), 1);
}

pub async fn case_counter_hits_concurrently(store: &SqlStore) {
    let hits: Vec<_> = (0..10)
        .map(|_| {
            let store = store.clone();
            tokio::spawn(async move { store.hit_counter("c", NOW, 60).await })
        })
        .collect();
    let mut counts = Vec::new();
    for hit in hits {
        counts.push(hit.await.expect("task").expect("hit").count);
    }
    counts.sort_unstable();
    assert_eq!(counts, (1..=10).collect::<Vec<i64>>());
}

pub async fn case_audit_round_trip(store: &SqlStore) {
    for (i, (kind, account)) in [
        (AuditKind::SignIn, Some("a")),
        (AuditKind::SignInFailed, None),
        (AuditKind::Lockout, Some("a")),
    ]
    .into_iter()
    .enumerate()
    {
        let event = AuditEvent {
            id: format!("e{i}"),
            at: NOW + i as i64,
            kind,
            account_id: account.map(str::to_owned),
            ip: Some("127.0.0.1".into()),
            detail: Some("pwd".into()),
            actor: None,
            client_id: None,
        };
        store.record_audit(&event).await.expect("record");
    }
    let mine = store.list_audit(Some("a"), 10).await.expect("list");
    assert_eq!(
        mine.iter().map(|e| e.kind).collect::<Vec<_>>(),
        vec![AuditKind::Lockout, AuditKind::SignIn]
    );
    assert_eq!(store.list_audit(None, 2).await.expect("all").len(), 2);
}

pub async fn case_account_audit_pages(store: &SqlStore) {
    let times = [NOW, NOW, NOW + 1, NOW + 1, NOW + 2];
    for (i, at) in times.into_iter().enumerate() {
        let event = AuditEvent {
            id: format!("p{i}"),
            at,
            kind: AuditKind::SignIn,
            account_id: Some("a".into()),
            ip: None,
            detail: None,
            actor: None,
            client_id: None,
        };
        store.record_audit(&event).await.expect("record");
    }
    let other = AuditEvent {
        id: "zz".into(),
        at: NOW + 1,
        kind: AuditKind::SignIn,
        account_id: Some("b".into()),
        ip: None,
        detail: None,
        actor: None,
        client_id: None,
    };
    store.record_audit(&other).await.expect("record");
    let ids = |page: &[AuditEvent]| page.iter().map(|e| e.id.clone()).collect::<Vec<_>>();
    let first = store.account_audit_page("a", None, 2).await.expect("page");
    assert_eq!(ids(&first), ["p4", "p3"]);
    let last = &first[1];
    let second = store
        .account_audit_page("a", Some((last.at, &last.id)), 2)
        .await
        .expect("page");
    assert_eq!(ids(&second), ["p2", "p1"], "the same second is split by id");
    let last = &second[1];
    let third = store
        .account_audit_page("a", Some((last.at, &last.id)), 2)
        .await
        .expect("page");
    assert_eq!(ids(&third), ["p0"]);
    assert!(
        store
            .account_audit_page("c", None, 5)
            .await
            .expect("page")
            .is_empty()
    );
}

fn challenge(id_hash: &str) -> Challenge {
    Challenge {
        id_hash: id_hash.into(),
        purpose: ChallengePurpose::SignInCode,
        interaction_id: Some("i1".into()),
        account_id: Some("acct".into()),
        destination: Some("+79001234567".into()),
        code_hash: Some("hash".into()),
        code_expires_at: Some(NOW + 300),
        attempts: 0,
        amr: vec!["pwd".into()],
        data: serde_json::json!({"stage": "code"}),
        locale: "ru".into(),
        created_at: NOW,
        expires_at: NOW + 900,
    }
}

pub async fn case_challenge_lifecycle(store: &SqlStore) {
    let mut c = challenge("h1");
    store.create_challenge(&c).await.expect("create");
    assert!(matches!(
        store.create_challenge(&c).await,
        Err(StoreError::Conflict(_))
    ));
    assert_eq!(
        store.get_challenge("h1").await.expect("get"),
        Some(c.clone())
    );
    c.data = serde_json::json!({"stage": "password"});
    c.attempts = 2;
    store.update_challenge(&c).await.expect("update");
    assert_eq!(
        store.get_challenge("h1").await.expect("get"),
        Some(c.clone())
    );
    assert!(store.count_challenge_attempt("h1", 4).await.expect("3rd"));
    assert!(store.count_challenge_attempt("h1", 4).await.expect("4th"));
    assert!(!store.count_challenge_attempt("h1", 4).await.expect("5th"));
    assert_eq!(
        store
            .get_challenge("h1")
            .await
            .expect("get")
            .map(|c| c.attempts),
        Some(4)
    );
    assert!(store.delete_challenge("h1").await.expect("delete"));
    assert!(!store.delete_challenge("h1").await.expect("again"));
    store
        .create_challenge(&challenge("h2"))
        .await
        .expect("create");
    assert_eq!(store.purge_challenges(NOW + 900).await.expect("purge"), 1);
}

pub async fn case_challenge_attempts_concurrently(store: &SqlStore) {
    store
        .create_challenge(&challenge("h"))
        .await
        .expect("create");
    let tries: Vec<_> = (0..12)
        .map(|_| {
            let store = store.clone();
            tokio::spawn(async move { store.count_challenge_attempt("h", 5).await })
        })
        .collect();
    let mut allowed = 0;
    for t in tries {
        if t.await.expect("task").expect("count") {
            allowed += 1;
        }
    }
    assert_eq!(allowed, 5);
}

fn message(id: &str, at: i64) -> OutboxMessage {
    OutboxMessage {
        id: id.into(),
        channel: Channel::Sms,
        to: "+79001234567".into(),
        subject: "s".into(),
        body: "code 123456".into(),
        attempts: 0,
        next_attempt_at: at,
        created_at: at,
        sent_at: None,
        last_error: None,
    }
}

pub async fn case_outbox_claim_send_fail(store: &SqlStore) {
    store
        .enqueue_message(&message("m1", NOW))
        .await
        .expect("enqueue");
    store
        .enqueue_message(&message("m2", NOW + 1))
        .await
        .expect("enqueue");
    store
        .enqueue_message(&message("later", NOW + 100))
        .await
        .expect("enqueue");
    let claimed = store
        .claim_messages(NOW + 1, NOW + 61, 10, 8)
        .await
        .expect("claim");
    assert_eq!(
        claimed.iter().map(|m| m.id.as_str()).collect::<Vec<_>>(),
        vec!["m1", "m2"]
    );
    assert!(
        claimed
            .iter()
            .all(|m| m.attempts == 1 && m.next_attempt_at == NOW + 61)
    );
    assert!(
        store
            .claim_messages(NOW + 2, NOW + 62, 10, 8)
            .await
            .expect("leased")
            .is_empty()
    );
    store.message_sent("m1", NOW + 2, true).await.expect("sent");
    store
        .message_failed("m2", NOW + 5, "gateway said 503", false)
        .await
        .expect("failed");
    let again = store
        .claim_messages(NOW + 5, NOW + 65, 10, 8)
        .await
        .expect("retry");
    assert_eq!(
        again.iter().map(|m| m.id.as_str()).collect::<Vec<_>>(),
        vec!["m2"]
    );
    assert_eq!(again[0].last_error.as_deref(), Some("gateway said 503"));
    assert!(
        store
            .claim_messages(NOW + 200, NOW + 260, 10, 2)
            .await
            .expect("max")
            .iter()
            .all(|m| m.id == "later")
    );
    let recent = store.recent_messages(10).await.expect("recent");
    assert_eq!(recent.len(), 3);
    let sent = recent.iter().find(|m| m.id == "m1").expect("m1");
    assert_eq!((sent.sent_at, sent.body.as_str()), (Some(NOW + 2), ""));
    store
        .message_sent("m2", NOW + 6, false)
        .await
        .expect("kept");
    let kept = store.recent_messages(10).await.expect("recent");
    assert_eq!(
        kept.iter().find(|m| m.id == "m2").map(|m| m.body.as_str()),
        Some("code 123456")
    );
}

pub async fn case_outbox_drops_bodies_of_messages_given_up(store: &SqlStore) {
    for id in ["retry", "given-up", "dev", "abandoned"] {
        store
            .enqueue_message(&message(id, NOW))
            .await
            .expect("enqueue");
    }
    let claimed = store
        .claim_messages(NOW, NOW + 60, 10, 1)
        .await
        .expect("claim");
    assert_eq!(claimed.len(), 4);
    store
        .message_failed("retry", NOW + 5, "503", false)
        .await
        .expect("retry later");
    store
        .message_failed("given-up", i64::MAX / 2, "no such number", true)
        .await
        .expect("given up");
    store
        .message_failed("dev", i64::MAX / 2, "dev outbox keeps it", false)
        .await
        .expect("kept");
    // "abandoned" used its only attempt and its worker never answered.
    assert_eq!(
        store
            .erase_abandoned_bodies(NOW + 4, 1)
            .await
            .expect("lease still running"),
        0
    );
    assert_eq!(
        store
            .erase_abandoned_bodies(NOW + 60, 1)
            .await
            .expect("lease ran out"),
        2,
        "the abandoned message and the one that failed its last attempt"
    );
    let body = |id: &'static str| {
        let store = store.clone();
        async move {
            let recent = store.recent_messages(10).await.expect("recent");
            recent
                .into_iter()
                .find(|m| m.id == id)
                .map(|m| m.body)
                .expect("message")
        }
    };
    assert_eq!(body("given-up").await, "");
    assert_eq!(body("abandoned").await, "");
    assert_eq!(body("retry").await, "");
    assert_eq!(body("dev").await, "code 123456");
}

pub async fn case_outbox_claims_concurrently(store: &SqlStore) {
    for i in 0..6 {
        store
            .enqueue_message(&message(&format!("m{i}"), NOW))
            .await
            .expect("enqueue");
    }
    let workers: Vec<_> = (0..4)
        .map(|_| {
            let store = store.clone();
            tokio::spawn(async move { store.claim_messages(NOW, NOW + 60, 6, 8).await })
        })
        .collect();
    let mut ids = Vec::new();
    for w in workers {
        ids.extend(
            w.await
                .expect("task")
                .expect("claim")
                .into_iter()
                .map(|m| m.id),
        );
    }
    ids.sort();
    let before = ids.len();
    ids.dedup();
    assert_eq!((before, ids.len()), (6, 6), "each message claimed once");
}

pub async fn case_factors_and_totp_steps(store: &SqlStore) {
    assert_eq!(store.get_factors("a").await.expect("none"), None);
    assert!(!store.use_totp_step("a", 10).await.expect("no totp"));
    let factors = Factors {
        account_id: "a".into(),
        totp_sealed: Some(vec![1, 2, 3, 0, 255]),
        totp_last_step: Some(5),
        sms: true,
        phone_sign_in_off: false,
        updated_at: NOW,
    };
    store.put_factors(&factors).await.expect("put");
    assert_eq!(
        store.get_factors("a").await.expect("get"),
        Some(factors.clone())
    );
    assert!(store.use_totp_step("a", 6).await.expect("later step"));
    assert!(!store.use_totp_step("a", 6).await.expect("same step"));
    assert!(!store.use_totp_step("a", 5).await.expect("earlier step"));
    let off = Factors {
        totp_sealed: None,
        totp_last_step: None,
        sms: false,
        phone_sign_in_off: true,
        ..factors
    };
    store.put_factors(&off).await.expect("replace");
    assert_eq!(store.get_factors("a").await.expect("get"), Some(off));
}

pub async fn case_recovery_codes_single_use(store: &SqlStore) {
    let codes: Vec<RecoveryCode> = (0..3)
        .map(|i| RecoveryCode {
            account_id: "a".into(),
            code_hash: format!("h{i}"),
            created_at: NOW,
            used_at: None,
        })
        .collect();
    store
        .replace_recovery_codes("a", &codes)
        .await
        .expect("replace");
    assert_eq!(store.unused_recovery_codes("a").await.expect("count"), 3);
    assert!(store.use_recovery_code("a", "h1", NOW).await.expect("use"));
    assert!(
        !store
            .use_recovery_code("a", "h1", NOW)
            .await
            .expect("reuse")
    );
    assert!(
        !store
            .use_recovery_code("b", "h0", NOW)
            .await
            .expect("other account")
    );
    assert_eq!(store.unused_recovery_codes("a").await.expect("count"), 2);
    store
        .replace_recovery_codes("a", &codes[..1])
        .await
        .expect("replace");
    assert_eq!(store.unused_recovery_codes("a").await.expect("count"), 1);
}

pub async fn case_revoke_everything_of_an_account(store: &SqlStore) {
    store
        .create_account(&account("a", "alice"))
        .await
        .expect("account");
    for id in ["s1", "s2"] {
        store
            .create_session(&session(id, "a"))
            .await
            .expect("session");
    }
    store
        .create_session(&session("other", "b"))
        .await
        .expect("session");
    assert_eq!(
        store.end_account_sessions("a", NOW + 5).await.expect("end"),
        2
    );
    assert_eq!(
        store
            .end_account_sessions("a", NOW + 6)
            .await
            .expect("again"),
        0
    );
    assert!(
        store
            .get_session("s1")
            .await
            .expect("get")
            .is_some_and(|s| s.ended_at == Some(NOW + 5))
    );
    assert!(
        store
            .get_session("other")
            .await
            .expect("get")
            .is_some_and(|s| s.ended_at.is_none())
    );
    let mut g = grant("g1");
    g.account_id = Some("a".into());
    store.insert_grant(&g).await.expect("grant");
    store
        .insert_refresh_token(&refresh("r1", "g1"))
        .await
        .expect("refresh");
    assert_eq!(
        store
            .revoke_account_grants("a", NOW + 7)
            .await
            .expect("revoke"),
        1
    );
    assert!(
        store
            .get_grant("g1")
            .await
            .expect("get")
            .is_some_and(|g| g.revoked_at == Some(NOW + 7))
    );
}
