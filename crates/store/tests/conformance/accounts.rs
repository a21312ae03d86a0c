//! `AccountRepo`: unique identifiers named in conflicts, lookup by any identifier, pages.

use super::fixtures::*;
use propusk_core::model::{Account, Profile};
use propusk_core::store::{AccountRepo, StoreError};
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
