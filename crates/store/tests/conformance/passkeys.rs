//! `PasskeyRepo`: passkeys by credential id (unique across accounts), listed per account
//! oldest first, used (counter, backup state, time), renamed and removed only by their
//! owner, and gone when the account is erased.

use super::fixtures::*;
use propusk_core::model::{Passkey, PasskeyUse};
use propusk_core::store::{AccountRepo, PasskeyRepo, StoreError};
use propusk_store::SqlStore;

fn passkey(id: &str, account_id: &str, at: i64) -> Passkey {
    Passkey {
        id: id.into(),
        account_id: account_id.into(),
        user_handle: format!("handle-{account_id}"),
        public_key: vec![0xa5, 0x01, 0x02, 0x03, 0x26],
        algorithm: -7,
        sign_count: 0,
        name: "Laptop".into(),
        transports: vec!["internal".into(), "hybrid".into()],
        backup_eligible: true,
        backed_up: false,
        attestation_format: "none".into(),
        created_at: at,
        last_used_at: None,
    }
}

async fn two_accounts(store: &SqlStore) {
    for (id, login) in [("acc-1", "ivanov"), ("acc-2", "petrov")] {
        store
            .create_account(&account(id, login))
            .await
            .expect("account");
    }
}

pub async fn case_passkeys_added_listed_and_unique(store: &SqlStore) {
    two_accounts(store).await;
    let first = passkey("cred-a", "acc-1", NOW);
    store.add_passkey(&first).await.expect("add");
    store
        .add_passkey(&passkey("cred-b", "acc-1", NOW + 1))
        .await
        .expect("add");
    assert!(matches!(
        store.add_passkey(&passkey("cred-a", "acc-2", NOW)).await,
        Err(StoreError::Conflict("credential_id"))
    ));
    assert_eq!(
        store.find_passkey("cred-a").await.expect("find"),
        Some(first)
    );
    assert_eq!(store.find_passkey("cred-x").await.expect("find"), None);
    let ids: Vec<String> = store
        .account_passkeys("acc-1")
        .await
        .expect("list")
        .into_iter()
        .map(|p| p.id)
        .collect();
    assert_eq!(ids, ["cred-a", "cred-b"]);
    assert!(
        store
            .account_passkeys("acc-2")
            .await
            .expect("list")
            .is_empty()
    );
}

pub async fn case_passkey_use_rename_and_remove(store: &SqlStore) {
    two_accounts(store).await;
    store
        .add_passkey(&passkey("cred-a", "acc-1", NOW))
        .await
        .expect("add");
    let used = PasskeyUse {
        sign_count: 7,
        backed_up: true,
        at: NOW + 5,
    };
    assert!(store.use_passkey("cred-a", used).await.expect("use"));
    assert!(!store.use_passkey("cred-x", used).await.expect("use"));
    let found = store
        .find_passkey("cred-a")
        .await
        .expect("find")
        .expect("there");
    assert_eq!(
        (found.sign_count, found.backed_up, found.last_used_at),
        (7, true, Some(NOW + 5))
    );
    assert!(
        !store
            .rename_passkey("acc-2", "cred-a", "Stolen")
            .await
            .expect("rename")
    );
    assert!(
        store
            .rename_passkey("acc-1", "cred-a", "Телефон")
            .await
            .expect("rename")
    );
    let found = store
        .find_passkey("cred-a")
        .await
        .expect("find")
        .expect("there");
    assert_eq!(found.name, "Телефон");
    assert!(
        !store
            .remove_passkey("acc-2", "cred-a")
            .await
            .expect("remove")
    );
    assert!(
        store
            .remove_passkey("acc-1", "cred-a")
            .await
            .expect("remove")
    );
    assert!(
        !store
            .remove_passkey("acc-1", "cred-a")
            .await
            .expect("remove")
    );
    assert_eq!(store.find_passkey("cred-a").await.expect("find"), None);
}

pub async fn case_erasing_an_account_drops_its_passkeys(store: &SqlStore) {
    two_accounts(store).await;
    store
        .add_passkey(&passkey("cred-a", "acc-1", NOW))
        .await
        .expect("add");
    assert!(
        store
            .erase_account("acc-1", &[], NOW + 1)
            .await
            .expect("erase")
    );
    assert_eq!(store.find_passkey("cred-a").await.expect("find"), None);
}
