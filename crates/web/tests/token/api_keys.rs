//! Several api-keys per client (RFC 6749 §2.3.1): any live key authenticates it; a
//! revoked or expired key is `invalid_client` at once, even when the keys were read into
//! the cache before; the key that worked records its last use.

use crate::common::*;
use crate::*;
use propusk_core::model::ClientSecret;
use propusk_types::routes::TOKEN;

fn key(id: &str, value: &str, server: &Server) -> ClientSecret {
    ClientSecret {
        id: id.into(),
        client_id: WEB.into(),
        secret_hash: server.provider.hasher.hash(value),
        created_at: START,
        expires_at: None,
        name: Some(id.into()),
        last_used_at: None,
        revoked_at: None,
    }
}

async fn with_key(server: &Server, value: &str) -> reqwest::Response {
    server
        .post_basic(TOKEN, WEB, value, &[("grant_type", "client_credentials")])
        .await
}

#[tokio::test]
async fn any_live_key_works_and_revoked_or_expired_ones_do_not() {
    let server = setup().await;
    let store = server.store();
    store
        .add_client_secret(&key("rotated-in", "new-key", &server))
        .await
        .expect("key");
    let mut expired = key("expired", "old-key", &server);
    expired.expires_at = Some(START - 1);
    store.add_client_secret(&expired).await.expect("key");
    store
        .add_client_secret(&key("leaked", "leaked-key", &server))
        .await
        .expect("key");

    issued(with_key(&server, SECRET).await).await;
    issued(with_key(&server, "new-key").await).await;
    issued(with_key(&server, "leaked-key").await).await;
    refused(with_key(&server, "old-key").await, 401, "invalid_client").await;

    assert!(
        store
            .revoke_client_secret(WEB, "leaked", server.now())
            .await
            .expect("revoke")
    );
    refused(with_key(&server, "leaked-key").await, 401, "invalid_client").await;
    issued(with_key(&server, "new-key").await).await;

    let keys = store.api_keys(WEB).await.expect("keys");
    let used = |id: &str| {
        keys.iter()
            .find(|k| k.id == id)
            .and_then(|k| k.last_used_at)
    };
    assert_eq!(used("rotated-in"), Some(START));
    assert_eq!(used("expired"), None);
}
