//! CORS on the endpoints a browser application calls (the Fetch standard's CORS
//! protocol): an origin a client allows gets its own origin echoed with `Vary: Origin`,
//! on preflights and on actual requests; a foreign origin gets no CORS headers; nothing
//! ever allows credentials.

use crate::common::*;
use crate::*;
use propusk_types::routes::{
    DEVICE_AUTHORIZATION, DISCOVERY, END_SESSION, INTROSPECT, REVOCATION, TOKEN, USERINFO,
};

const SPA: &str = "spa";
const SPA_ORIGIN: &str = "https://spa.example";
const EXTRA_ORIGIN: &str = "https://extra.example";
const FOREIGN: &str = "https://evil.example";

/// [`setup`] plus a public SPA whose redirect URI is on `SPA_ORIGIN` and which also
/// allows `EXTRA_ORIGIN`.
async fn spa_setup() -> Server {
    let server = setup().await;
    let mut spa = public(SPA);
    spa.redirect_uris = vec![format!("{SPA_ORIGIN}/callback")];
    spa.allowed_origins = vec![EXTRA_ORIGIN.to_owned()];
    server.add_client(spa, None).await;
    server
}

async fn preflight(server: &Server, route: &str, origin: &str) -> reqwest::Response {
    server
        .http
        .request(reqwest::Method::OPTIONS, server.url(route))
        .header("origin", origin)
        .header("access-control-request-method", "POST")
        .header(
            "access-control-request-headers",
            "authorization, content-type, dpop",
        )
        .send()
        .await
        .expect("preflight")
}

fn header<'a>(response: &'a reqwest::Response, name: &str) -> Option<&'a str> {
    response.headers().get(name).and_then(|v| v.to_str().ok())
}

fn no_credentials(response: &reqwest::Response) {
    assert_eq!(
        header(response, "access-control-allow-credentials"),
        None,
        "credentials allowed"
    );
}

fn varies_by_origin(response: &reqwest::Response) {
    let vary = header(response, "vary").unwrap_or_default();
    assert!(vary.contains("Origin"), "vary: {vary}");
}

/// The echo of an allowed origin.
fn echoed(response: &reqwest::Response, origin: &str) {
    assert_eq!(
        header(response, "access-control-allow-origin"),
        Some(origin),
        "{:?}",
        response.headers()
    );
    varies_by_origin(response);
    no_credentials(response);
}

/// No CORS header at all.
fn not_shared(response: &reqwest::Response) {
    for name in [
        "access-control-allow-origin",
        "access-control-allow-methods",
        "access-control-allow-headers",
        "access-control-expose-headers",
    ] {
        assert_eq!(header(response, name), None, "{name} sent");
    }
    varies_by_origin(response);
    no_credentials(response);
}

#[tokio::test]
async fn preflights_echo_an_allowed_origin_and_name_methods_and_headers() {
    let server = spa_setup().await;
    for route in [
        TOKEN,
        USERINFO,
        REVOCATION,
        DEVICE_AUTHORIZATION,
        END_SESSION,
    ] {
        for origin in [SPA_ORIGIN, EXTRA_ORIGIN] {
            let response = preflight(&server, route, origin).await;
            assert_eq!(response.status().as_u16(), 204, "{route}");
            echoed(&response, origin);
            let methods = header(&response, "access-control-allow-methods").expect("methods");
            assert!(methods.contains("POST"), "{route}: {methods}");
            let headers = header(&response, "access-control-allow-headers").expect("headers");
            for name in ["Authorization", "Content-Type", "DPoP"] {
                assert!(headers.contains(name), "{route}: {headers}");
            }
        }
    }
}

#[tokio::test]
async fn foreign_origins_get_no_cors_headers() {
    let server = spa_setup().await;
    for route in [TOKEN, USERINFO, REVOCATION, DEVICE_AUTHORIZATION] {
        not_shared(&preflight(&server, route, FOREIGN).await);
    }
    for origin in [
        FOREIGN,
        "null",
        "https://spa.example/",
        "https://spa.example.evil",
    ] {
        let response = server
            .http
            .post(server.url(TOKEN))
            .header("origin", origin)
            .form(&[("grant_type", "refresh_token"), ("client_id", SPA)])
            .send()
            .await
            .expect("request");
        assert_eq!(response.status().as_u16(), 400);
        not_shared(&response);
    }
}

#[tokio::test]
async fn token_requests_are_judged_by_the_client_they_name() {
    let server = spa_setup().await;
    let redirect = format!("{SPA_ORIGIN}/callback");
    let mut setup = CodeSetup::new(SPA, "alice").pkce(VERIFIER);
    setup.redirect_uri = redirect.clone();
    let code = server.code(setup).await;
    let form = [
        ("grant_type", "authorization_code"),
        ("code", code.as_str()),
        ("redirect_uri", redirect.as_str()),
        ("client_id", SPA),
        ("code_verifier", VERIFIER),
    ];
    let response = server
        .http
        .post(server.url(TOKEN))
        .header("origin", SPA_ORIGIN)
        .form(&form)
        .send()
        .await
        .expect("token");
    echoed(&response, SPA_ORIGIN);
    let exposed = header(&response, "access-control-expose-headers").unwrap_or_default();
    assert!(exposed.contains("WWW-Authenticate"), "{exposed}");
    assert!(exposed.contains("DPoP-Nonce"), "{exposed}");
    let body = issued(response).await;

    // The SPA's origin is not an origin of the confidential client `web`.
    let response = server
        .http
        .post(server.url(TOKEN))
        .header("origin", SPA_ORIGIN)
        .header("authorization", basic(WEB, SECRET))
        .form(&[("grant_type", "client_credentials")])
        .send()
        .await
        .expect("token");
    assert_eq!(response.status().as_u16(), 200);
    not_shared(&response);

    // Userinfo: the client the token was issued to decides.
    let access = body["access_token"].as_str().expect("access");
    for (origin, shared) in [(SPA_ORIGIN, true), (EXTRA_ORIGIN, true), (FOREIGN, false)] {
        let response = server
            .http
            .get(server.url(USERINFO))
            .header("origin", origin)
            .bearer_auth(access)
            .send()
            .await
            .expect("userinfo");
        assert_eq!(response.status().as_u16(), 200);
        if shared {
            echoed(&response, origin);
        } else {
            not_shared(&response);
        }
    }

    // Revocation by the public client itself (`none`).
    let refresh_token = body["refresh_token"].as_str().expect("refresh");
    let response = server
        .http
        .post(server.url(REVOCATION))
        .header("origin", SPA_ORIGIN)
        .form(&[("token", refresh_token), ("client_id", SPA)])
        .send()
        .await
        .expect("revocation");
    assert_eq!(response.status().as_u16(), 200);
    echoed(&response, SPA_ORIGIN);
    refused(
        server
            .post(
                TOKEN,
                &[
                    ("grant_type", "refresh_token"),
                    ("refresh_token", refresh_token),
                    ("client_id", SPA),
                ],
            )
            .await,
        400,
        "invalid_grant",
    )
    .await;
}

#[tokio::test]
async fn errors_are_readable_by_an_allowed_origin() {
    let server = spa_setup().await;
    let response = server
        .http
        .get(server.url(USERINFO))
        .header("origin", SPA_ORIGIN)
        .bearer_auth("not-a-token")
        .send()
        .await
        .expect("userinfo");
    assert_eq!(response.status().as_u16(), 401);
    echoed(&response, SPA_ORIGIN);
    let exposed = header(&response, "access-control-expose-headers").unwrap_or_default();
    assert!(exposed.contains("WWW-Authenticate"), "{exposed}");
}

#[tokio::test]
async fn other_endpoints_have_no_cors_and_discovery_stays_open() {
    let server = spa_setup().await;
    let response = server
        .http
        .post(server.url(INTROSPECT))
        .header("origin", SPA_ORIGIN)
        .header("authorization", basic(WEB, SECRET))
        .form(&[("token", "x")])
        .send()
        .await
        .expect("introspect");
    assert_eq!(header(&response, "access-control-allow-origin"), None);
    let response = server
        .http
        .get(server.url(DISCOVERY))
        .header("origin", FOREIGN)
        .send()
        .await
        .expect("discovery");
    assert_eq!(header(&response, "access-control-allow-origin"), Some("*"));
    no_credentials(&response);
    let body: serde_json::Value = response.json().await.expect("json");
    let methods = body["revocation_endpoint_auth_methods_supported"]
        .as_array()
        .expect("methods");
    assert!(methods.iter().any(|m| m == "none"), "{methods:?}");
    let methods = body["introspection_endpoint_auth_methods_supported"]
        .as_array()
        .expect("methods");
    assert!(!methods.iter().any(|m| m == "none"), "{methods:?}");
}

#[tokio::test]
async fn end_session_is_judged_by_the_client_in_its_query() {
    let server = spa_setup().await;
    let end_session = |client: &str, origin: &str| {
        let url = format!("{}?client_id={client}", server.url(END_SESSION));
        let request = server.http.get(url).header("origin", origin.to_owned());
        async move { request.send().await.expect("end session") }
    };
    echoed(&end_session(SPA, SPA_ORIGIN).await, SPA_ORIGIN);
    // The SPA's origin is not one of the confidential client's.
    not_shared(&end_session(WEB, SPA_ORIGIN).await);
    not_shared(&end_session(SPA, FOREIGN).await);
}
