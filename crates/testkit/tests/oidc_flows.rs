//! Full flows with a relying party we did not write: the `openidconnect` crate discovers
//! the provider, builds the authorization request (state, nonce, PKCE), exchanges the
//! code, verifies the ID token (signature, iss, aud, exp, nonce, at_hash), calls
//! userinfo, refreshes, and runs client credentials.

use openidconnect::core::{
    CoreAuthenticationFlow, CoreClient, CoreErrorResponseType, CoreIdTokenClaims,
    CoreIdTokenVerifier, CoreProviderMetadata, CoreTokenResponse,
};
use openidconnect::{
    AccessToken, AccessTokenHash, AuthType, AuthorizationCode, ClientId, ClientSecret, CsrfToken,
    EndpointMaybeSet, EndpointNotSet, EndpointSet, IssuerUrl, Nonce, OAuth2TokenResponse,
    PkceCodeChallenge, PkceCodeVerifier, RedirectUrl, RefreshToken, RequestTokenError, Scope,
    TokenResponse,
};
use propusk_core::model::{AuthMethod, GrantType};
use propusk_testkit::endpoints::Auth;
use propusk_testkit::{
    ClientBuilder, ClientKey, ProductBuilder, TestAccount, TestClient, TestServer, http_client,
};
use propusk_types::routes;
use reqwest::StatusCode;

type Rp = CoreClient<
    EndpointSet,
    EndpointNotSet,
    EndpointNotSet,
    EndpointNotSet,
    EndpointMaybeSet,
    EndpointMaybeSet,
>;

/// The relying party of `client`, configured from discovery alone.
async fn relying_party(server: &TestServer, client: &TestClient) -> Rp {
    let issuer = IssuerUrl::new(server.issuer.clone()).expect("issuer URL");
    let metadata = CoreProviderMetadata::discover_async(issuer, &http_client())
        .await
        .expect("discovery");
    let secret = client.secret.clone().map(ClientSecret::new);
    let rp = CoreClient::from_provider_metadata(metadata, ClientId::new(client.id.clone()), secret);
    match client.redirect_uri.as_str() {
        "" => rp,
        uri => rp.set_redirect_uri(RedirectUrl::new(uri.to_owned()).expect("redirect URI")),
    }
}

/// What one authorization gave the relying party.
struct Authorized {
    code: AuthorizationCode,
    nonce: Nonce,
    verifier: Option<PkceCodeVerifier>,
}

/// Builds the request with the library, runs it in the browser emulator, and checks the
/// response parameters the library leaves to the application: `state` and `iss`.
async fn authorize(
    server: &TestServer,
    rp: &Rp,
    alice: &TestAccount,
    scopes: &[&str],
    pkce: bool,
) -> Authorized {
    let mut request = rp.authorize_url(
        CoreAuthenticationFlow::AuthorizationCode,
        CsrfToken::new_random,
        Nonce::new_random,
    );
    for scope in scopes {
        request = request.add_scope(Scope::new((*scope).to_owned()));
    }
    let verifier = if pkce {
        let (challenge, verifier) = PkceCodeChallenge::new_random_sha256();
        request = request.set_pkce_challenge(challenge);
        Some(verifier)
    } else {
        None
    };
    let (url, state, nonce) = request.url();
    let answer = server
        .browser()
        .authorize(&url, &alice.login, &alice.password)
        .await;
    assert_eq!(
        answer.param("state"),
        Some(state.secret().as_str()),
        "state echoed"
    );
    assert_eq!(
        answer.param("iss"),
        Some(server.issuer.as_str()),
        "RFC 9207 iss"
    );
    Authorized {
        code: AuthorizationCode::new(answer.code().to_owned()),
        nonce,
        verifier,
    }
}

async fn exchange(rp: &Rp, authorized: Authorized) -> (CoreTokenResponse, Nonce) {
    let mut request = rp
        .exchange_code(authorized.code)
        .expect("token endpoint known");
    if let Some(verifier) = authorized.verifier {
        request = request.set_pkce_verifier(verifier);
    }
    let tokens = request
        .request_async(&http_client())
        .await
        .expect("code exchange");
    (tokens, authorized.nonce)
}

/// Verifies the ID token with the library (signature against the discovered JWKS, iss,
/// aud, exp, nonce) and its `at_hash` against the access token.
fn verify_id_token(rp: &Rp, tokens: &CoreTokenResponse, nonce: &Nonce) -> CoreIdTokenClaims {
    let verifier: CoreIdTokenVerifier = rp.id_token_verifier();
    let id_token = tokens.id_token().expect("an ID token");
    let claims = id_token
        .claims(&verifier, nonce)
        .expect("ID token verifies")
        .clone();
    check_at_hash(&verifier, tokens, &claims);
    claims
}

fn check_at_hash(
    verifier: &CoreIdTokenVerifier,
    tokens: &CoreTokenResponse,
    claims: &CoreIdTokenClaims,
) {
    let id_token = tokens.id_token().expect("an ID token");
    let alg = id_token.signing_alg().expect("signed");
    let key = id_token.signing_key(verifier).expect("key in the JWKS");
    let expected = AccessTokenHash::from_token(tokens.access_token(), alg, key).expect("hash");
    assert_eq!(claims.access_token_hash(), Some(&expected), "at_hash");
}

/// Userinfo through the library, bound to the ID token's subject.
async fn userinfo_email(
    rp: &Rp,
    access_token: &AccessToken,
    claims: &CoreIdTokenClaims,
) -> Option<String> {
    let info: openidconnect::core::CoreUserInfoClaims = rp
        .user_info(access_token.clone(), Some(claims.subject().clone()))
        .expect("userinfo endpoint known")
        .request_async(&http_client())
        .await
        .expect("userinfo");
    info.email().map(|e| e.as_str().to_owned())
}

async fn code_flow(server: &TestServer, client: &TestClient, rp: &Rp, pkce: bool) {
    let alice = server.alice().await;
    let authorized = authorize(server, rp, &alice, &["profile", "email"], pkce).await;
    let (tokens, nonce) = exchange(rp, authorized).await;
    let claims = verify_id_token(rp, &tokens, &nonce);
    assert_eq!(claims.issuer().as_str(), server.issuer);
    assert!(claims.audiences().iter().any(|a| a.as_str() == client.id));
    assert!(claims.auth_time().is_some(), "auth_time");
    assert_eq!(tokens.token_type().as_ref(), "bearer");
    let email = userinfo_email(rp, tokens.access_token(), &claims).await;
    assert_eq!(email.as_deref(), Some("alice@example.com"));
}

#[tokio::test]
async fn discovery_is_accepted_by_the_library() {
    let server = TestServer::start().await;
    let issuer = IssuerUrl::new(server.issuer.clone()).expect("issuer URL");
    let metadata = CoreProviderMetadata::discover_async(issuer, &http_client())
        .await
        .expect("discovery");
    assert_eq!(metadata.issuer().as_str(), server.issuer);
    assert_eq!(
        metadata.token_endpoint().map(|u| u.as_str().to_owned()),
        Some(server.url(routes::TOKEN))
    );
    assert!(
        !metadata.jwks().keys().is_empty(),
        "the JWKS was fetched and has keys"
    );
}

#[tokio::test]
async fn code_flow_with_client_secret_basic() {
    let server = TestServer::start().await;
    let client = server
        .client(ClientBuilder::confidential("web-basic"))
        .await;
    let rp = relying_party(&server, &client).await;
    assert!(matches!(rp.auth_type(), AuthType::BasicAuth));
    code_flow(&server, &client, &rp, false).await;
}

#[tokio::test]
async fn code_flow_with_client_secret_post() {
    let server = TestServer::start().await;
    let client = server
        .client(ClientBuilder::confidential("web-post").auth_method(AuthMethod::ClientSecretPost))
        .await;
    let rp = relying_party(&server, &client)
        .await
        .set_auth_type(AuthType::RequestBody);
    code_flow(&server, &client, &rp, false).await;
}

#[tokio::test]
async fn code_flow_with_confidential_client_and_pkce() {
    let server = TestServer::start().await;
    let client = server.client(ClientBuilder::confidential("web-pkce")).await;
    let rp = relying_party(&server, &client).await;
    code_flow(&server, &client, &rp, true).await;
}

#[tokio::test]
async fn code_flow_with_public_client_and_pkce() {
    let server = TestServer::start().await;
    let client = server.client(ClientBuilder::public("spa")).await;
    let rp = relying_party(&server, &client).await;
    code_flow(&server, &client, &rp, true).await;
}

#[tokio::test]
async fn code_flow_with_private_key_jwt() {
    let server = TestServer::start().await;
    let key = ClientKey::generate();
    let client = server
        .client(ClientBuilder::confidential("web-jwt").private_key_jwt(key.jwks()))
        .await;
    let alice = server.alice().await;
    let rp = relying_party(&server, &client).await;
    let authorized = authorize(&server, &rp, &alice, &["email"], true).await;
    let verifier = authorized.verifier.as_ref().expect("pkce").secret().clone();
    let token_endpoint = server.url(routes::TOKEN);
    let assertion = key.assertion(&client.id, &token_endpoint, server.provider.now());
    let answer = server
        .token(
            &Auth::Assertion(&client.id, assertion),
            &[
                ("grant_type", "authorization_code"),
                ("code", authorized.code.secret()),
                ("redirect_uri", &client.redirect_uri),
                ("code_verifier", &verifier),
            ],
        )
        .await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.body);
    assert_eq!(answer.header("cache-control"), Some("no-store"));
    let tokens: CoreTokenResponse = serde_json::from_value(answer.json).expect("a token response");
    let claims = verify_id_token(&rp, &tokens, &authorized.nonce);
    let email = userinfo_email(&rp, tokens.access_token(), &claims).await;
    assert_eq!(email.as_deref(), Some("alice@example.com"));
}

#[tokio::test]
async fn client_credentials() {
    let server = TestServer::start().await;
    server.product(ProductBuilder::new("extern.api")).await;
    let client = server
        .client(
            ClientBuilder::confidential("service")
                .grants(&[GrantType::ClientCredentials])
                .scope("extern.api")
                .redirect_uris(&[]),
        )
        .await;
    let rp = relying_party(&server, &client).await;
    let tokens = rp
        .exchange_client_credentials()
        .expect("token endpoint known")
        .add_scope(Scope::new("extern.api".into()))
        .request_async(&http_client())
        .await
        .expect("client credentials");
    assert!(
        tokens.refresh_token().is_none(),
        "no refresh token for client credentials (RFC 6749 §4.4.3)"
    );
    assert!(tokens.id_token().is_none());
    let claims = jwt_claims(tokens.access_token().secret());
    assert_eq!(claims["sub"], client.id.as_str());
    assert_eq!(claims["client_id"], client.id.as_str());
    assert_eq!(claims["aud"], "extern.api");
    assert_eq!(claims["iss"], server.issuer.as_str());
    let auth = Auth::Basic(&client.id, client.secret());
    assert!(
        server
            .is_active(&auth, tokens.access_token().secret())
            .await
    );
}

#[tokio::test]
async fn refresh_rotates_and_reuse_revokes_the_family() {
    let server = TestServer::start().await;
    let client = server
        .client(ClientBuilder::confidential("web-refresh"))
        .await;
    let alice = server.alice().await;
    let rp = relying_party(&server, &client).await;
    let authorized = authorize(&server, &rp, &alice, &["email", "offline_access"], false).await;
    let (first, nonce) = exchange(&rp, authorized).await;
    let original = verify_id_token(&rp, &first, &nonce);
    let r1 = first
        .refresh_token()
        .expect("a refresh token with offline_access")
        .clone();

    let second = refresh(&rp, &r1).await.expect("refresh");
    let r2 = second.refresh_token().expect("rotated").clone();
    assert_ne!(
        r2.secret(),
        r1.secret(),
        "rotation issues a new refresh token"
    );
    // A refreshed ID token has no nonce and keeps auth_time (OIDC Core §12.2).
    let verifier = rp.id_token_verifier();
    let no_nonce = |n: Option<&Nonce>| {
        if n.is_none() {
            Ok(())
        } else {
            Err("nonce in a refreshed ID token".to_owned())
        }
    };
    let refreshed = second
        .id_token()
        .expect("ID token")
        .claims(&verifier, no_nonce)
        .expect("verifies")
        .clone();
    assert_eq!(refreshed.subject(), original.subject());
    assert_eq!(refreshed.auth_time(), original.auth_time());
    check_at_hash(&verifier, &second, &refreshed);

    let third = refresh(&rp, &r2)
        .await
        .expect("the new refresh token works");
    let r3 = third.refresh_token().expect("rotated").clone();

    // Reuse of an old refresh token: invalid_grant, and the whole family goes.
    assert_invalid_grant(refresh(&rp, &r1).await);
    assert_invalid_grant(refresh(&rp, &r3).await);
    let auth = Auth::Basic(&client.id, client.secret());
    assert!(
        !server.is_active(&auth, third.access_token().secret()).await,
        "access token of the family"
    );
    assert!(!server.is_active(&auth, first.access_token().secret()).await);
}

type TokenResult = Result<
    CoreTokenResponse,
    RequestTokenError<
        openidconnect::HttpClientError<reqwest::Error>,
        openidconnect::StandardErrorResponse<CoreErrorResponseType>,
    >,
>;

async fn refresh(rp: &Rp, token: &RefreshToken) -> TokenResult {
    rp.exchange_refresh_token(token)
        .expect("token endpoint known")
        .request_async(&http_client())
        .await
}

#[track_caller]
fn assert_invalid_grant(result: TokenResult) {
    match result {
        Err(RequestTokenError::ServerResponse(error)) => {
            assert_eq!(
                *error.error(),
                CoreErrorResponseType::InvalidGrant,
                "{error:?}"
            );
        }
        other => panic!("expected invalid_grant, got {other:?}"),
    }
}

#[tokio::test]
async fn code_flow_on_postgres() {
    let Some(server) = TestServer::start_pg().await else {
        eprintln!("PROPUSK_TEST_DATABASE_URL is not set; skipped");
        return;
    };
    let client = server.client(ClientBuilder::confidential("web-pg")).await;
    let rp = relying_party(&server, &client).await;
    code_flow(&server, &client, &rp, true).await;
}

/// The payload of a compact JWS, unverified (the signature is the provider's business;
/// introspection vouches for the token).
fn jwt_claims(token: &str) -> serde_json::Value {
    use base64::Engine as _;
    let payload = token.split('.').nth(1).expect("a JWT");
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(payload)
        .expect("base64url");
    serde_json::from_slice(&bytes).expect("JSON claims")
}
