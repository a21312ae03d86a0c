//! `AccountRepo`: unique identifiers named in conflicts, lookup by any identifier, pages.

use super::fixtures::*;
use propusk_core::model::{
    Account, AuditEvent, AuditKind, Factors, LogoutDelivery, Profile, RecoveryCode, SessionDevice,
};
use propusk_core::store::{
    AccountRepo, AuditRepo, ConsentRepo, FactorRepo, GrantRepo, LogoutRepo, SessionRepo, StoreError,
};
use propusk_store::SqlStore;
use serde_json::json;

fn alice() -> Account {
    let mut a = account("a1", "alice");
    a.email = Some("alice@example.com".into());
    a.phone = Some("+79990000001".into());
    a
}

async fn expect_conflict(store: &SqlStore, account: &Account, field: &str) {
    match store.create_account(account).await {
        Err(StoreError::Conflict(f)) => assert_eq!(f, field),
        other => panic!("expected Conflict({field}), got {other:?}"),
    }
}

pub async fn case_account_round_trip(store: &SqlStore) {
    let mut full = alice();
    full.disabled = true;
    full.password_hash = None;
    full.profile = Profile {
        name: Some("Алиса Иванова".into()),
        given_name: Some("Алиса".into()),
        email_verified: true,
        address: Some(json!({"locality": "Москва"})),
        ..Profile::default()
    };
    full.updated_at = NOW + 7;
    store.create_account(&full).await.expect("create");
    assert_eq!(store.get_account("a1").await.expect("get"), Some(full));
    assert_eq!(store.get_account("zz").await.expect("get"), None);
}

pub async fn case_account_identifier_conflicts(store: &SqlStore) {
    store.create_account(&alice()).await.expect("create");
    // Accounts without e-mail or phone do not clash with each other.
    store
        .create_account(&account("b1", "bob"))
        .await
        .expect("create");
    store
        .create_account(&account("c1", "carol"))
        .await
        .expect("create");

    expect_conflict(store, &account("x1", "alice"), "login").await;
    let mut same_email = account("x2", "xavier");
    same_email.email = Some("alice@example.com".into());
    expect_conflict(store, &same_email, "email").await;
    let mut same_phone = account("x3", "xena");
    same_phone.phone = Some("+79990000001".into());
    expect_conflict(store, &same_phone, "phone").await;
    expect_conflict(store, &account("a1", "someone"), "id").await;
    assert_eq!(store.list_accounts(10, 0).await.expect("list").len(), 3);
}

pub async fn case_account_update(store: &SqlStore) {
    store.create_account(&alice()).await.expect("create");
    store
        .create_account(&account("b1", "bob"))
        .await
        .expect("create");
    let mut bob = account("b1", "bobby");
    bob.email = Some("bob@example.com".into());
    bob.disabled = true;
    bob.updated_at = NOW + 60;
    store.update_account(&bob).await.expect("update");
    assert_eq!(
        store.get_account("b1").await.expect("get"),
        Some(bob.clone())
    );

    let mut taken = bob.clone();
    taken.email = Some("alice@example.com".into());
    match store.update_account(&taken).await {
        Err(StoreError::Conflict(f)) => assert_eq!(f, "email"),
        other => panic!("expected Conflict(email), got {other:?}"),
    }
    assert_eq!(store.get_account("b1").await.expect("get"), Some(bob));
}

pub async fn case_find_account_by_any_identifier(store: &SqlStore) {
    store.create_account(&alice()).await.expect("create");
    store
        .create_account(&account("b1", "bob"))
        .await
        .expect("create");
    for identifier in ["alice", "alice@example.com", "+79990000001"] {
        let found = store.find_account(identifier).await.expect("find");
        assert_eq!(found.map(|a| a.id), Some("a1".to_owned()), "{identifier}");
    }
    assert_eq!(
        store.find_account("bob").await.expect("find").map(|a| a.id),
        Some("b1".into())
    );
    for miss in ["ALICE", "alice@example", "", "carol"] {
        assert_eq!(
            store.find_account(miss).await.expect("find"),
            None,
            "{miss}"
        );
    }
}

pub async fn case_list_accounts_pages(store: &SqlStore) {
    for i in 0..5 {
        let mut a = account(&format!("id{i}"), &format!("user{i}"));
        a.created_at = NOW + i;
        store.create_account(&a).await.expect("create");
    }
    let ids = |page: Vec<Account>| page.into_iter().map(|a| a.id).collect::<Vec<_>>();
    assert_eq!(
        ids(store.list_accounts(2, 0).await.expect("page")),
        ["id0", "id1"]
    );
    assert_eq!(
        ids(store.list_accounts(2, 2).await.expect("page")),
        ["id2", "id3"]
    );
    assert_eq!(ids(store.list_accounts(2, 4).await.expect("page")), ["id4"]);
    assert!(store.list_accounts(2, 6).await.expect("page").is_empty());
    assert_eq!(store.list_accounts(100, 0).await.expect("all").len(), 5);
}

/// `acc` with everything an account can have: identifiers, a session with its browser, a
/// grant with tokens, a consent, factors, recovery codes, an audit event.
async fn full_account(store: &SqlStore) {
    let mut acc = account("acc", "alice");
    acc.email = Some("alice@example.com".into());
    acc.phone = Some("+79990000001".into());
    acc.profile.given_name = Some("Alice".into());
    store.create_account(&acc).await.expect("account");
    store
        .create_session(&session("s1", "acc"))
        .await
        .expect("session");
    let device = SessionDevice {
        user_agent: Some("Firefox".into()),
        ip: Some("192.0.2.1".into()),
    };
    store
        .set_session_device("s1", &device)
        .await
        .expect("device");
    store.insert_grant(&grant("g1")).await.expect("grant");
    store
        .insert_refresh_token(&refresh("r1", "g1"))
        .await
        .expect("refresh");
    store
        .insert_access_token(&access("a1", Some("g1")))
        .await
        .expect("access");
    store
        .upsert_consent(&consent("acc", "app", "openid"))
        .await
        .expect("consent");
    let factors = Factors {
        account_id: "acc".into(),
        totp_sealed: Some(vec![1, 2, 3]),
        totp_last_step: None,
        sms: true,
        phone_sign_in_off: true,
        updated_at: NOW,
    };
    store.put_factors(&factors).await.expect("factors");
    let code = RecoveryCode {
        account_id: "acc".into(),
        code_hash: "rc".into(),
        created_at: NOW,
        used_at: None,
    };
    store
        .replace_recovery_codes("acc", &[code])
        .await
        .expect("codes");
    let event = AuditEvent {
        id: "e1".into(),
        at: NOW,
        kind: AuditKind::SignIn,
        account_id: Some("acc".into()),
        ip: Some("192.0.2.1".into()),
        detail: Some("pwd".into()),
        actor: None,
        client_id: None,
    };
    store.record_audit(&event).await.expect("audit");
}

fn delivery(id: &str) -> LogoutDelivery {
    LogoutDelivery {
        id: id.into(),
        client_id: "app".into(),
        uri: "https://app.example/bc".into(),
        sid: "s1".into(),
        sub: "acc".into(),
        attempts: 0,
        next_attempt_at: NOW,
        created_at: NOW,
        delivered_at: None,
        abandoned_at: None,
        last_error: None,
    }
}

pub async fn case_erase_account_is_all_or_nothing(store: &SqlStore) {
    full_account(store).await;
    store
        .insert_logout_delivery(&delivery("taken"))
        .await
        .expect("delivery");
    let before = store.get_account("acc").await.expect("get");

    let clash = [delivery("new"), delivery("taken")];
    let failed = store.erase_account("acc", &clash, NOW + 5).await;
    assert!(matches!(failed, Err(StoreError::Conflict(_))), "{failed:?}");
    assert_eq!(
        store.get_account("acc").await.expect("get"),
        before,
        "unchanged"
    );
    let s1 = store
        .get_session("s1")
        .await
        .expect("get")
        .expect("session");
    assert_eq!(s1.ended_at, None, "the session stays");
    let g1 = store.get_grant("g1").await.expect("get").expect("grant");
    assert_eq!(g1.revoked_at, None, "the grant stays");
    assert!(
        store
            .get_consent("acc", "app")
            .await
            .expect("get")
            .is_some()
    );
    assert!(store.get_factors("acc").await.expect("get").is_some());
    assert_eq!(store.unused_recovery_codes("acc").await.expect("codes"), 1);

    assert!(
        !store
            .erase_account("nobody", &[], NOW)
            .await
            .expect("erase")
    );
    assert!(
        store
            .erase_account("acc", &[delivery("ok")], NOW + 9)
            .await
            .expect("erase")
    );
    let gone = store
        .get_account("acc")
        .await
        .expect("get")
        .expect("row stays");
    assert!(gone.disabled);
    assert_eq!(
        (gone.email, gone.phone, gone.password_hash),
        (None, None, None)
    );
    assert_eq!(gone.profile, Profile::default());
    assert_ne!(gone.login, "alice");
    assert_eq!(store.find_account("alice").await.expect("find"), None);
    let s1 = store
        .get_session("s1")
        .await
        .expect("get")
        .expect("session");
    assert_eq!(s1.ended_at, Some(NOW + 9));
    assert_eq!(
        store.session_device("s1").await.expect("device"),
        SessionDevice::default()
    );
    let g1 = store.get_grant("g1").await.expect("get").expect("grant");
    assert_eq!((g1.revoked_at, g1.claims), (Some(NOW + 9), None));
    let r1 = store.find_refresh_token("rt-hash-r1").await.expect("find");
    assert_eq!(r1.expect("refresh").revoked_at, Some(NOW + 9));
    let a1 = store
        .find_access_token_by_jti("a1")
        .await
        .expect("find")
        .expect("access");
    assert_eq!((a1.revoked_at, a1.claims), (Some(NOW + 9), json!({})));
    assert_eq!(store.get_consent("acc", "app").await.expect("get"), None);
    assert_eq!(store.get_factors("acc").await.expect("get"), None);
    assert_eq!(store.unused_recovery_codes("acc").await.expect("codes"), 0);
    let events = store.list_audit(Some("acc"), 10).await.expect("audit");
    assert_eq!(events.len(), 1, "the audit trail stays");
    assert_eq!(events[0].ip, None, "without the address");
    let queued = store
        .claim_logout_deliveries(NOW + 100, NOW + 160, 10)
        .await;
    let queued: Vec<String> = queued.expect("claim").into_iter().map(|d| d.id).collect();
    assert!(queued.contains(&"ok".to_owned()), "{queued:?}");
}
