//! Resource indicators (RFC 8707) end to end: `resource` at the authorization, PAR and
//! token endpoints picks the product an access token is for (its `aud`) and holds the
//! scope to that product's; an unknown or unrequested resource is `invalid_target`.
//! Token exchange takes `resource` too, and refuses a subject token that was not meant
//! for the exchanging client.

use propusk_core::jose::decode_unverified;
use propusk_core::model::GrantType;
use propusk_testkit::{ClientBuilder, ProductBuilder, TestAccount, TestClient, TestServer};
use propusk_types::routes;
use reqwest::StatusCode;
use serde_json::Value;

const ORDERS: &str = "https://orders.example/";
const REPORTS: &str = "https://reports.example/";
const EXCHANGE: &str = "urn:ietf:params:oauth:grant-type:token-exchange";
const ACCESS_TOKEN_TYPE: &str = "urn:ietf:params:oauth:token-type:access_token";

async fn setup() -> (TestServer, TestAccount, TestClient) {
    let server = TestServer::start().await;
    server
        .product(ProductBuilder::new(ORDERS).scopes(&["orders.read"]))
        .await;
    server
        .product(ProductBuilder::new(REPORTS).scopes(&["reports.read"]))
        .await;
    let alice = server.alice().await;
    let client = server
        .client(
            ClientBuilder::confidential("web")
                .scope("openid profile offline_access orders.read reports.read")
                .grants(&[
                    GrantType::AuthorizationCode,
                    GrantType::RefreshToken,
                    GrantType::ClientCredentials,
                ]),
        )
        .await;
    (server, alice, client)
}

fn claims(token: &str) -> serde_json::Map<String, Value> {
    decode_unverified(token).expect("a JWT").claims
}

const BOTH: &str = "openid offline_access orders.read reports.read";

#[tokio::test]
async fn resource_at_authorize_picks_the_audience() {
    let (server, alice, client) = setup().await;
    let params = client.code_request(&[("scope", BOTH), ("resource", ORDERS)], &[]);
    let answer = server
        .browser()
        .authorize(
            &server.authorize_url(&params),
            &alice.login,
            &alice.password,
        )
        .await;
    let tokens = server.redeem(&client.basic(), answer.code(), &[]).await;
    let issued = tokens.issued();
    assert_eq!(
        tokens.str("scope"),
        Some("offline_access openid orders.read")
    );
    let access = claims(&issued.access_token);
    assert_eq!(access["aud"], ORDERS);
    assert!(issued.id_token.is_some());
}

#[tokio::test]
async fn resource_at_the_token_endpoint_narrows_code_and_refresh() {
    let (server, alice, client) = setup().await;
    let params = client.code_request(&[("scope", BOTH)], &[]);
    let answer = server
        .browser()
        .authorize(
            &server.authorize_url(&params),
            &alice.login,
            &alice.password,
        )
        .await;
    let tokens = server
        .redeem(&client.basic(), answer.code(), &[("resource", REPORTS)])
        .await;
    let issued = tokens.issued();
    assert_eq!(claims(&issued.access_token)["aud"], REPORTS);
    let refresh_token = issued.refresh_token.expect("refresh token");
    let refreshed = server
        .token(
            &client.basic(),
            &[
                ("grant_type", "refresh_token"),
                ("refresh_token", &refresh_token),
                ("resource", ORDERS),
            ],
        )
        .await;
    let issued = refreshed.issued();
    assert_eq!(claims(&issued.access_token)["aud"], ORDERS);
    assert!(
        !refreshed
            .str("scope")
            .unwrap_or("")
            .contains("reports.read"),
        "{}",
        refreshed.body
    );
    let next = issued.refresh_token.expect("rotated");
    server
        .token(
            &client.basic(),
            &[
                ("grant_type", "refresh_token"),
                ("refresh_token", &next),
                ("resource", "https://unknown.example/"),
            ],
        )
        .await
        .assert_error(StatusCode::BAD_REQUEST, "invalid_target");
}

#[tokio::test]
async fn unknown_resource_at_authorize_is_invalid_target() {
    let (server, _alice, client) = setup().await;
    let browser = server.browser();
    for resource in [
        "https://unknown.example/",
        "orders",
        "https://orders.example/#fragment",
    ] {
        let params = client.code_request(&[("scope", BOTH), ("resource", resource)], &[]);
        let page = browser.navigate(&server.authorize_url(&params)).await;
        browser.assert_redirected_error(&page, "invalid_target");
    }
    // A product none of whose scopes was asked for is not a target either.
    let params = client.code_request(
        &[("scope", "openid orders.read"), ("resource", REPORTS)],
        &[],
    );
    let page = browser.navigate(&server.authorize_url(&params)).await;
    browser.assert_redirected_error(&page, "invalid_target");
}

#[tokio::test]
async fn resource_in_client_credentials() {
    let (server, _alice, client) = setup().await;
    let answer = server
        .token(
            &client.basic(),
            &[("grant_type", "client_credentials"), ("resource", REPORTS)],
        )
        .await;
    assert_eq!(answer.str("scope"), Some("reports.read"));
    assert_eq!(claims(&answer.issued().access_token)["aud"], REPORTS);
    let both = server
        .token(
            &client.basic(),
            &[
                ("grant_type", "client_credentials"),
                ("resource", REPORTS),
                ("resource", ORDERS),
            ],
        )
        .await;
    let aud = claims(&both.issued().access_token)["aud"].clone();
    assert_eq!(aud, serde_json::json!([ORDERS, REPORTS]));
    server
        .token(
            &client.basic(),
            &[
                ("grant_type", "client_credentials"),
                ("resource", "https://unknown.example/"),
            ],
        )
        .await
        .assert_error(StatusCode::BAD_REQUEST, "invalid_target");
}

#[tokio::test]
async fn resource_in_a_pushed_request() {
    let (server, alice, client) = setup().await;
    let params = client.code_request(&[("scope", BOTH), ("resource", REPORTS)], &[]);
    let pushed = server
        .post_form(routes::PAR, &client.basic(), &params)
        .await;
    assert_eq!(pushed.status, StatusCode::CREATED, "{}", pushed.body);
    let request_uri = pushed.str("request_uri").expect("request_uri");
    let answer = server
        .browser()
        .authorize(
            &server.authorize_url(&[("client_id", "web"), ("request_uri", request_uri)]),
            &alice.login,
            &alice.password,
        )
        .await;
    let issued = server
        .redeem(&client.basic(), answer.code(), &[])
        .await
        .issued();
    assert_eq!(claims(&issued.access_token)["aud"], REPORTS);
}

/// The user's access token for the orders product, from the `web` client.
async fn orders_token(server: &TestServer, alice: &TestAccount, client: &TestClient) -> String {
    server
        .code_exchange(alice, client, "openid orders.read reports.read")
        .await
        .issued()
        .access_token
}

fn exchange<'a>(subject_token: &'a str, extra: &[(&'a str, &'a str)]) -> Vec<(&'a str, &'a str)> {
    let mut form = vec![
        ("grant_type", EXCHANGE),
        ("subject_token", subject_token),
        ("subject_token_type", ACCESS_TOKEN_TYPE),
    ];
    form.extend_from_slice(extra);
    form
}

#[tokio::test]
async fn attack_token_exchange_without_audience_check() {
    let (server, alice, client) = setup().await;
    // A client allowed to exchange tokens, but not the one any user token is meant for.
    let stranger = server
        .client(
            ClientBuilder::confidential("stranger")
                .redirect_uris(&[])
                .scope("orders.read reports.read")
                .grants(&[GrantType::TokenExchange]),
        )
        .await;
    // The credentials of the orders product, which user tokens for orders are meant for.
    let orders = server
        .client(
            ClientBuilder::confidential("orders-rs")
                .redirect_uris(&[])
                .scope("")
                .grants(&[GrantType::TokenExchange])
                .product(ORDERS),
        )
        .await;
    let subject = orders_token(&server, &alice, &client).await;
    let aud = claims(&subject)["aud"].clone();
    assert_eq!(aud, serde_json::json!([ORDERS, REPORTS]));

    let stolen = server
        .token(
            &stranger.basic(),
            &exchange(
                &subject,
                &[("resource", REPORTS), ("scope", "reports.read")],
            ),
        )
        .await;
    stolen.assert_error(StatusCode::BAD_REQUEST, "invalid_request");

    let delegated = server
        .token(
            &orders.basic(),
            &exchange(
                &subject,
                &[("resource", REPORTS), ("scope", "reports.read")],
            ),
        )
        .await;
    let issued = delegated.issued();
    let exchanged = claims(&issued.access_token);
    assert_eq!(exchanged["aud"], REPORTS);
    assert_eq!(exchanged["act"]["sub"], "orders-rs");

    // The exchanged token is for reports only: the orders product cannot pass it on to
    // itself, and the stranger still cannot use it.
    server
        .token(
            &stranger.basic(),
            &exchange(&issued.access_token, &[("resource", REPORTS)]),
        )
        .await
        .assert_error(StatusCode::BAD_REQUEST, "invalid_request");
}

#[tokio::test]
async fn token_exchange_resource_must_be_a_product_of_the_scopes() {
    let (server, alice, client) = setup().await;
    let orders = server
        .client(
            ClientBuilder::confidential("orders-rs")
                .redirect_uris(&[])
                .scope("")
                .grants(&[GrantType::TokenExchange])
                .product(ORDERS),
        )
        .await;
    let subject = orders_token(&server, &alice, &client).await;
    for (extra, code) in [
        (
            vec![("resource", "https://unknown.example/")],
            "invalid_target",
        ),
        (
            vec![("resource", REPORTS), ("scope", "orders.read")],
            "invalid_target",
        ),
        (vec![("resource", "not a uri")], "invalid_target"),
    ] {
        server
            .token(&orders.basic(), &exchange(&subject, &extra))
            .await
            .assert_error(StatusCode::BAD_REQUEST, code);
    }
}
