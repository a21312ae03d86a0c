//! `TokenHolderRepo`: the joined read behind UserInfo, by `jti` and by hash, with a live,
//! revoked or missing grant and account.

use super::fixtures::*;
use propusk_core::store::{
    AccountRepo, GrantRepo, HolderGrant, TokenHolder, TokenHolderRepo, TokenKey,
};
use propusk_store::SqlStore;

pub async fn case_token_holder_joins_grant_and_account(store: &SqlStore) {
    store
        .create_account(&account("acc", "alice"))
        .await
        .expect("account");
    store.insert_grant(&grant("g1")).await.expect("grant");
    store
        .insert_access_token(&access("j1", Some("g1")))
        .await
        .expect("token");
    let mut stateless = access("j2", None);
    stateless.account_id = None;
    store.insert_access_token(&stateless).await.expect("token");

    let by_jti = store
        .token_holder(TokenKey::Jti("j1"))
        .await
        .expect("read")
        .expect("found");
    assert_eq!(
        by_jti,
        TokenHolder {
            revoked_at: None,
            expires_at: NOW + HOUR,
            account_id: Some("acc".into()),
            claims: None,
            grant_id: Some("g1".into()),
            grant: Some(HolderGrant {
                revoked_at: None,
                claims: grant("g1").claims,
            }),
            account: Some(account("acc", "alice")),
        }
    );
    let by_hash = store
        .token_holder(TokenKey::Hash("at-hash-j1"))
        .await
        .expect("read")
        .expect("found");
    assert_eq!(by_hash.claims, Some(access("j1", Some("g1")).claims));
    assert_eq!(by_hash.account, by_jti.account);

    let bare = store
        .token_holder(TokenKey::Jti("j2"))
        .await
        .expect("read")
        .expect("found");
    assert_eq!((bare.grant, bare.account), (None, None));
    assert_eq!(
        store
            .token_holder(TokenKey::Jti("nope"))
            .await
            .expect("read"),
        None
    );
    assert_eq!(
        store
            .token_holder(TokenKey::Hash("nope"))
            .await
            .expect("read"),
        None
    );

    // Revocation and a disabled account show on the next read: nothing is cached.
    store.revoke_grant("g1", NOW + 5).await.expect("revoke");
    let mut disabled = account("acc", "alice");
    disabled.disabled = true;
    store.update_account(&disabled).await.expect("disable");
    let after = store
        .token_holder(TokenKey::Jti("j1"))
        .await
        .expect("read")
        .expect("found");
    assert_eq!(after.revoked_at, Some(NOW + 5));
    assert_eq!(after.grant.map(|g| g.revoked_at), Some(Some(NOW + 5)));
    assert_eq!(after.account.map(|a| a.disabled), Some(true));
}
