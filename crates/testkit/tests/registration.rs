//! Dynamic client registration with a relying party we did not write: the
//! `openidconnect` crate finds `registration_endpoint` in discovery, registers with an
//! initial access token (RFC 7591 §3), and the client it got runs a code flow whose ID
//! token the library verifies. The registration is then read, replaced and deleted at
//! its `registration_client_uri` (RFC 7592 §2).

use openidconnect::core::{
    CoreAuthenticationFlow, CoreClient, CoreClientRegistrationRequest, CoreIdTokenVerifier,
    CoreProviderMetadata,
};
use openidconnect::registration::EmptyAdditionalClientMetadata;
use openidconnect::{
    AccessToken, ClientName, CsrfToken, IssuerUrl, Nonce, OAuth2TokenResponse, RedirectUrl, Scope,
    TokenResponse,
};
use propusk_testkit::{TestServer, http_client};
use reqwest::StatusCode;
use serde_json::{Value, json};

const REDIRECT_URI: &str = "https://rp.example/callback";

#[tokio::test]
async fn a_registered_client_signs_a_user_in_and_manages_its_registration() {
    let server = TestServer::start().await;
    let initial = server
        .provider
        .create_registration_token(Some(600))
        .await
        .expect("initial access token");
    let http = http_client();
    let metadata = CoreProviderMetadata::discover_async(
        IssuerUrl::new(server.issuer.clone()).expect("issuer"),
        &http,
    )
    .await
    .expect("discovery");
    let endpoint = metadata
        .registration_endpoint()
        .expect("registration_endpoint in discovery")
        .clone();

    let registered = CoreClientRegistrationRequest::new(
        vec![RedirectUrl::new(REDIRECT_URI.into()).expect("redirect URI")],
        EmptyAdditionalClientMetadata {},
    )
    .set_client_name(Some(
        [(None, ClientName::new("Registered RP".into()))]
            .into_iter()
            .collect(),
    ))
    .set_initial_access_token(Some(AccessToken::new(initial)))
    .register_async(&endpoint, &http)
    .await
    .expect("registration");
    let client_id = registered.client_id().clone();
    let secret = registered
        .client_secret()
        .cloned()
        .expect("a client secret");
    let access_token = registered
        .registration_access_token()
        .expect("registration_access_token")
        .secret()
        .clone();
    let config_uri = registered
        .registration_client_uri()
        .expect("registration_client_uri")
        .to_string();

    let rp = CoreClient::from_provider_metadata(metadata, client_id.clone(), Some(secret))
        .set_redirect_uri(RedirectUrl::new(REDIRECT_URI.into()).expect("redirect URI"));
    let alice = server.alice().await;
    let (url, state, nonce) = rp
        .authorize_url(
            CoreAuthenticationFlow::AuthorizationCode,
            CsrfToken::new_random,
            Nonce::new_random,
        )
        .add_scope(Scope::new("email".into()))
        .url();
    let answer = server
        .browser()
        .authorize(&url, &alice.login, &alice.password)
        .await;
    assert_eq!(answer.param("state"), Some(state.secret().as_str()));
    let tokens = rp
        .exchange_code(openidconnect::AuthorizationCode::new(answer.code().into()))
        .expect("token endpoint")
        .request_async(&http)
        .await
        .expect("code exchange with the registered client");
    let verifier: CoreIdTokenVerifier = rp.id_token_verifier();
    let claims = tokens
        .id_token()
        .expect("ID token")
        .claims(&verifier, &nonce)
        .expect("ID token verifies");
    assert!(
        claims
            .audiences()
            .iter()
            .any(|a| a.as_str() == client_id.as_str())
    );
    assert!(!tokens.access_token().secret().is_empty());

    let bearer = format!("Bearer {access_token}");
    let read: Value = http
        .get(&config_uri)
        .header("authorization", &bearer)
        .send()
        .await
        .expect("read")
        .json()
        .await
        .expect("JSON");
    assert_eq!(read["client_id"], client_id.as_str());
    assert_eq!(read["client_name"], "Registered RP");
    assert_eq!(read["redirect_uris"], json!([REDIRECT_URI]));
    assert_eq!(read.get("client_secret"), None, "a read shows no secret");

    let replaced = http
        .put(&config_uri)
        .header("authorization", &bearer)
        .json(&json!({
            "client_id": client_id.as_str(),
            "client_name": "Renamed RP",
            "redirect_uris": [REDIRECT_URI, "https://rp.example/second"],
        }))
        .send()
        .await
        .expect("update");
    assert_eq!(replaced.status(), StatusCode::OK);
    let replaced: Value = replaced.json().await.expect("JSON");
    assert_eq!(replaced["client_name"], "Renamed RP");
    assert_eq!(replaced["redirect_uris"][1], "https://rp.example/second");

    let deleted = http
        .delete(&config_uri)
        .header("authorization", &bearer)
        .send()
        .await
        .expect("delete");
    assert_eq!(deleted.status(), StatusCode::NO_CONTENT);
    let gone = http
        .get(&config_uri)
        .header("authorization", &bearer)
        .send()
        .await
        .expect("read after delete");
    assert_eq!(gone.status(), StatusCode::UNAUTHORIZED);
    assert!(
        server
            .store()
            .get_client(client_id.as_str())
            .await
            .expect("store")
            .is_none()
    );
}
