//! Native applications (RFC 8252) with the `openidconnect` crate as the app: the app
//! binds a loopback port chosen at run time, registers `http://127.0.0.1/callback`
//! without a port, and the provider sends the browser to the bound port (§7.3). The
//! exception is narrow: other hosts keep exact port matching, `localhost` too (§8.3), and
//! a web client's loopback URI is matched exactly.

use openidconnect::core::{CoreAuthenticationFlow, CoreClient, CoreProviderMetadata};
use openidconnect::{
    AuthorizationCode, ClientId, CsrfToken, IssuerUrl, Nonce, OAuth2TokenResponse,
    PkceCodeChallenge, RedirectUrl, Scope, TokenResponse,
};
use propusk_core::model::ApplicationType;
use propusk_testkit::{ClientBuilder, TestServer, http_client};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

const REGISTERED: &str = "http://127.0.0.1/callback";

/// The app's loopback listener: answers the one browser request it gets and hands over
/// the request target (path and query).
async fn loopback_listener() -> (u16, tokio::task::JoinHandle<String>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let port = listener.local_addr().expect("address").port();
    let task = tokio::spawn(async move {
        let (mut socket, _) = listener.accept().await.expect("accept");
        let mut buffer = vec![0u8; 8192];
        let read = socket.read(&mut buffer).await.expect("read");
        let request = String::from_utf8_lossy(&buffer[..read]).into_owned();
        let target = request
            .split_whitespace()
            .nth(1)
            .expect("request target")
            .to_owned();
        let page =
            "HTTP/1.1 200 OK\r\ncontent-length: 19\r\nconnection: close\r\n\r\nYou may close this.";
        socket.write_all(page.as_bytes()).await.expect("write");
        target
    });
    (port, task)
}

#[tokio::test]
async fn a_native_app_receives_the_code_on_a_port_chosen_at_run_time() {
    let server = TestServer::start().await;
    let alice = server.alice().await;
    let client = server
        .client(ClientBuilder::native("desktop").redirect_uris(&[REGISTERED]))
        .await;
    assert!(client.secret.is_none(), "a native client is public");
    let (port, received) = loopback_listener().await;
    let redirect = format!("http://127.0.0.1:{port}/callback");

    let issuer = IssuerUrl::new(server.issuer.clone()).expect("issuer");
    let metadata = CoreProviderMetadata::discover_async(issuer, &http_client())
        .await
        .expect("discovery");
    let app = CoreClient::from_provider_metadata(metadata, ClientId::new(client.id.clone()), None)
        .set_redirect_uri(RedirectUrl::new(redirect.clone()).expect("redirect"));
    let (challenge, verifier) = PkceCodeChallenge::new_random_sha256();
    let (url, state, nonce) = app
        .authorize_url(
            CoreAuthenticationFlow::AuthorizationCode,
            CsrfToken::new_random,
            Nonce::new_random,
        )
        .add_scope(Scope::new("email".into()))
        .set_pkce_challenge(challenge)
        .url();
    let answer = server
        .browser()
        .authorize(&url, &alice.login, &alice.password)
        .await;
    assert_eq!(answer.redirect_uri(), redirect);

    // The browser lands on the app's listener, which reads the code from the request.
    let landing = http_client()
        .get(answer.location.clone())
        .send()
        .await
        .expect("loopback");
    assert_eq!(landing.status().as_u16(), 200);
    let target = received.await.expect("listener");
    let callback = url::Url::parse(&format!("http://127.0.0.1:{port}{target}")).expect("url");
    let param = |name: &str| {
        callback
            .query_pairs()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.into_owned())
    };
    assert_eq!(param("state").as_deref(), Some(state.secret().as_str()));
    let code = param("code").expect("code on the loopback");

    let tokens = app
        .exchange_code(AuthorizationCode::new(code))
        .expect("token endpoint")
        .set_pkce_verifier(verifier)
        .request_async(&http_client())
        .await
        .expect("code exchange");
    let claims = tokens
        .id_token()
        .expect("ID token")
        .claims(&app.id_token_verifier(), &nonce)
        .expect("ID token verifies");
    assert_eq!(claims.subject().as_str(), alice.id);
    assert!(!tokens.access_token().secret().is_empty());
}

#[tokio::test]
async fn the_port_is_free_only_for_loopback_ip_literals_of_native_clients() {
    let server = TestServer::start().await;
    let native = server
        .client(ClientBuilder::native("desktop").redirect_uris(&[
            REGISTERED,
            "https://app.example:8443/cb",
            "http://localhost:1234/cb",
            "com.example.desktop:/cb",
        ]))
        .await;
    let web = server
        .client(
            ClientBuilder::public("spa")
                .application_type(ApplicationType::Web)
                .redirect_uris(&[REGISTERED]),
        )
        .await;
    let browser = server.browser();
    let refused = [
        (&native, "https://app.example:9443/cb"),
        (&native, "https://app.example/cb"),
        (&native, "http://localhost:4321/cb"),
        (&native, "http://127.0.0.1:5000/other"),
        (&native, "http://127.0.0.2:5000/callback"),
        (&native, "https://127.0.0.1:5000/callback"),
        (&web, "http://127.0.0.1:5000/callback"),
    ];
    for (client, uri) in refused {
        let page = browser
            .get(&server.authorize_url(&client.code_request(&[("redirect_uri", uri)], &[])))
            .await;
        page.assert_fatal("invalid_request");
    }
    let challenge = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";
    for uri in [
        "http://127.0.0.1:5000/callback",
        "http://127.0.0.1/callback",
        "https://app.example:8443/cb",
        "com.example.desktop:/cb",
    ] {
        let params = native.code_request(
            &[
                ("redirect_uri", uri),
                ("code_challenge", challenge),
                ("code_challenge_method", "S256"),
            ],
            &[],
        );
        let page = browser.navigate(&server.authorize_url(&params)).await;
        assert!(
            page.login_form().is_some(),
            "{uri} refused: {} {}",
            page.status,
            page.body
        );
    }
}
