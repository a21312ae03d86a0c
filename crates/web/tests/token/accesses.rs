//! The personal cabinet takes one application's access away: its refresh token then gets
//! `invalid_grant`, its access token is inactive at introspection, a back-channel logout
//! is queued for the session it took part in, and the consent is gone (the next
//! authorization asks again). Another application keeps its access.

use crate::common::*;
use crate::*;
use propusk_core::accounts::{AccountPolicy, Accounts};
use propusk_core::model::{Consent, Session};
use propusk_types::scope::Scope;

const OTHER: &str = "other";

async fn live_session(server: &Server, id: &str, clients: &[&str]) {
    let now = server.now();
    let session = Session {
        id: id.into(),
        secret_hash: format!("hash-{id}"),
        account_id: "alice".into(),
        auth_time: now - 10,
        acr: None,
        amr: vec!["pwd".into()],
        created_at: now - 10,
        last_active_at: now,
        expires_at: now + 3600,
        ended_at: None,
    };
    server
        .store()
        .create_session(&session)
        .await
        .expect("session");
    for client in clients {
        server
            .store()
            .add_session_client(id, client)
            .await
            .expect("participant");
    }
}

async fn consent(server: &Server, client: &str) {
    let consent = Consent {
        account_id: "alice".into(),
        client_id: client.into(),
        scope: Scope::parse("openid offline_access extern.api").expect("scope"),
        updated_at: server.now(),
    };
    server
        .store()
        .upsert_consent(&consent)
        .await
        .expect("consent");
}

#[tokio::test]
async fn revoking_an_access_kills_its_tokens_and_logs_it_out() {
    let server = setup().await;
    let mut web = server
        .store()
        .get_client(WEB)
        .await
        .expect("get")
        .expect("web");
    web.backchannel_logout_uri = Some("https://app.example/bc".into());
    server.store().update_client(&web).await.expect("update");
    let mut other = confidential(OTHER, propusk_core::model::AuthMethod::ClientSecretBasic);
    other.backchannel_logout_uri = Some("https://other.example/bc".into());
    server.add_client(other, Some(SECRET)).await;
    live_session(&server, "session-1", &[WEB, OTHER]).await;
    consent(&server, WEB).await;
    consent(&server, OTHER).await;

    let scope = "openid offline_access extern.api";
    let code = server.code(CodeSetup::new(WEB, "alice").scope(scope)).await;
    let tokens = issued(exchange(&server, &code, &[]).await).await;
    let refresh_token = tokens["refresh_token"].as_str().expect("refresh");
    let access_token = tokens["access_token"].as_str().expect("access");
    assert_eq!(introspect(&server, access_token).await["active"], true);
    let kept = server
        .code(CodeSetup::new(OTHER, "alice").scope(scope))
        .await;

    let accounts = Accounts::new(server.provider.clone(), AccountPolicy::default());
    let alice = server
        .store()
        .get_account("alice")
        .await
        .expect("get")
        .expect("alice");
    let listed = accounts.accesses(&alice).await.expect("accesses");
    let names: Vec<&str> = listed.iter().map(|a| a.client.id.as_str()).collect();
    assert_eq!(names.len(), 2, "{names:?}");
    let done = accounts
        .revoke_access(&alice, WEB, "127.0.0.1")
        .await
        .expect("revoke");
    assert_eq!(done.backchannel, 1);

    refused(
        refresh(&server, refresh_token, &[]).await,
        400,
        "invalid_grant",
    )
    .await;
    assert_eq!(introspect(&server, access_token).await["active"], false);
    assert_eq!(
        server.store().get_consent("alice", WEB).await.expect("get"),
        None,
        "the next authorization asks for consent again"
    );
    let now = server.now();
    let queued = server
        .store()
        .claim_logout_deliveries(now, now + 60, 10)
        .await
        .expect("queue");
    assert_eq!(queued.len(), 1, "{queued:?}");
    assert_eq!(
        (queued[0].client_id.as_str(), queued[0].sid.as_str()),
        (WEB, "session-1")
    );
    assert_eq!(queued[0].uri, "https://app.example/bc");

    let left = accounts.accesses(&alice).await.expect("accesses");
    let names: Vec<&str> = left.iter().map(|a| a.client.id.as_str()).collect();
    assert_eq!(names, [OTHER], "the other application keeps its access");
    let other_tokens = server
        .post_basic(
            propusk_types::routes::TOKEN,
            OTHER,
            SECRET,
            &[
                ("grant_type", "authorization_code"),
                ("code", &kept),
                ("redirect_uri", REDIRECT_URI),
            ],
        )
        .await;
    assert_eq!(other_tokens.status().as_u16(), 200, "its grant is live");
}
