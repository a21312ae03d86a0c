//! Handler tests of the token endpoint, userinfo, introspection and revocation through
//! the real router on a real socket (RFC 6749 §4.1.3, §5.2, §6; RFC 7636 §4.6; RFC 7523
//! §3; RFC 6750 §3; RFC 7662; RFC 7009). Every refusal asserts the exact error code, the
//! HTTP status and that nothing was issued.

//!
//! One module per part: `code` (authorization_code and secret-based client
//! authentication), `api_keys` (several keys, revoked and expired ones), `refresh`,
//! `assertion` (private_key_jwt), `client_credentials`,
//! `userinfo`, `introspection`, `revocation`, `cors` (browser origins), `malformed`, `device` (RFC 8628),
//! `partner` (password, JWT bearer, token exchange), `logout` (RP-initiated, back-channel),
//! `throttle` (failed client authentication), `accesses` (the personal cabinet revoking
//! one application's access).

#[path = "../common/mod.rs"]
mod common;

mod accesses;
mod api_keys;
mod assertion;
mod certificate;
mod client_credentials;
mod code;
mod cors;
mod device;
mod introspection;
mod logout;
mod malformed;
mod partner;
mod refresh;
mod revocation;
mod throttle;
mod userinfo;

use common::*;
use propusk_core::model::{AuthMethod, TokenFormat};
use propusk_types::routes::{INTROSPECT, TOKEN, USERINFO};
use serde_json::Value;

const WEB: &str = "web";

/// A server with the confidential client `web` (Basic), the account `alice` and the
/// JWT product `extern.api`.
async fn setup() -> Server {
    provision(server().await).await
}

/// [`setup`]'s clients, account and product on `server`.
async fn provision(server: Server) -> Server {
    server
        .add_client(
            confidential(WEB, AuthMethod::ClientSecretBasic),
            Some(SECRET),
        )
        .await;
    server.add_account("alice").await;
    server
        .add_product("extern.api", &["extern.api"], TokenFormat::Jwt)
        .await;
    server
}

async fn exchange(server: &Server, code: &str, extra: &[(&str, &str)]) -> reqwest::Response {
    let mut form = vec![
        ("grant_type", "authorization_code"),
        ("code", code),
        ("redirect_uri", REDIRECT_URI),
    ];
    form.extend_from_slice(extra);
    server.post_basic(TOKEN, WEB, SECRET, &form).await
}

async fn refresh(server: &Server, token: &str, extra: &[(&str, &str)]) -> reqwest::Response {
    let mut form = vec![("grant_type", "refresh_token"), ("refresh_token", token)];
    form.extend_from_slice(extra);
    server.post_basic(TOKEN, WEB, SECRET, &form).await
}

/// A successful token response with its caching headers.
async fn issued(response: reqwest::Response) -> Value {
    assert_eq!(response.status().as_u16(), 200);
    assert_eq!(response.headers()["cache-control"], "no-store");
    assert_eq!(response.headers()["pragma"], "no-cache");
    let body: Value = response.json().await.expect("json");
    assert_eq!(body["token_type"], "Bearer");
    assert!(body["scope"].is_string());
    body
}

/// A refusal: status, code, `no-store`, and no token in the body.
async fn refused(response: reqwest::Response, status: u16, code: &str) -> Value {
    assert_eq!(response.status().as_u16(), status);
    assert_eq!(response.headers()["cache-control"], "no-store");
    let body: Value = response.json().await.expect("json");
    assert_eq!(body["error"], code, "{body}");
    for token in ["access_token", "refresh_token", "id_token"] {
        assert!(body.get(token).is_none(), "{token} issued: {body}");
    }
    body
}

async fn introspect(server: &Server, token: &str) -> Value {
    let response = server
        .post_basic(INTROSPECT, WEB, SECRET, &[("token", token)])
        .await;
    assert_eq!(response.status().as_u16(), 200);
    response.json().await.expect("json")
}

/// `GET` UserInfo with `token` as the bearer.
async fn get_userinfo(server: &Server, token: &str) -> reqwest::Response {
    server
        .http
        .get(server.url(USERINFO))
        .bearer_auth(token)
        .send()
        .await
        .expect("request")
}

async fn userinfo_status(server: &Server, token: &str) -> u16 {
    get_userinfo(server, token).await.status().as_u16()
}
