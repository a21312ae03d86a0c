//! The product SDK against a real provider on 127.0.0.1:0: a small product API guarded by
//! the layer, called with tokens the provider issued and with tokens made to fail one
//! check each.

use axum::Router;
use axum::routing::get;
use propusk_core::jose::Alg;
use propusk_core::model::GrantType;
use propusk_product::{Principal, ProductConfig, Validator};
use propusk_testkit::endpoints::Auth;
use propusk_testkit::{ClientBuilder, ClientKey, ProductBuilder, TestServer};
use serde_json::{Value, json};
use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};
use std::time::Duration;

const API: &str = "https://orders.example";

struct Fixture {
    server: TestServer,
    api: String,
    clock: Arc<AtomicI64>,
    validator: Validator,
    app_secret: String,
}

/// A provider with the product (JWT or reference tokens), its introspection client and an
/// application allowed `orders.read`; the product API served with the SDK in front.
async fn fixture(reference: bool) -> Fixture {
    let server = TestServer::start().await;
    let mut product = ProductBuilder::new(API).scopes(&["orders.read", "orders.write"]);
    if reference {
        product = product.reference_tokens();
    }
    server.product(product).await;
    let introspector = server
        .client(ClientBuilder::confidential(API).grants(&[]).product(API))
        .await;
    let app = server
        .client(
            ClientBuilder::confidential("app")
                .grants(&[GrantType::ClientCredentials])
                .scope("orders.read orders.write"),
        )
        .await;
    let clock = Arc::new(AtomicI64::new(server.provider.now()));
    let read = clock.clone();
    let config = ProductConfig::new(&server.issuer, API)
        .credentials(API, introspector.secret())
        .introspection_cache(Duration::from_secs(30));
    let validator = Validator::with_clock(config, Arc::new(move || read.load(Ordering::Relaxed)));
    let api = serve(validator.clone()).await;
    Fixture {
        server,
        api,
        clock,
        validator,
        app_secret: app.secret().to_owned(),
    }
}

async fn serve(validator: Validator) -> String {
    async fn whoami(principal: Principal) -> axum::Json<Principal> {
        axum::Json(principal)
    }
    let app = Router::new()
        .route(
            "/orders",
            get(whoami).route_layer(validator.require(&["orders.read"])),
        )
        .route(
            "/orders/new",
            get(whoami).route_layer(validator.require(&["orders.write"])),
        );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let address = listener.local_addr().expect("address");
    tokio::spawn(async move {
        let _ = axum::serve(listener, app).await;
    });
    format!("http://{address}")
}

impl Fixture {
    async fn token(&self, scope: &str) -> String {
        let answer = self
            .server
            .token(
                &Auth::Basic("app", &self.app_secret),
                &[("grant_type", "client_credentials"), ("scope", scope)],
            )
            .await;
        answer.issued().access_token
    }

    /// A token signed by the provider's current RS256 key, with these claims and `typ`.
    async fn forged(&self, typ: &str, claims: Value) -> String {
        let key = self
            .server
            .provider
            .keys
            .signer(self.server.store(), self.server.provider.now(), Alg::RS256)
            .await
            .expect("signer");
        key.sign_jwt(typ, &claims).expect("signing")
    }

    fn claims(&self) -> Value {
        let now = self.server.provider.now();
        json!({"iss": self.server.issuer, "aud": API, "sub": "app", "client_id": "app",
               "scope": "orders.read", "exp": now + 300, "iat": now, "jti": "j1"})
    }

    /// GET of `path` with `Authorization: Bearer <token>`: status, challenge, body.
    async fn call(&self, path: &str, token: Option<&str>) -> (u16, String, Value) {
        let mut request = reqwest::Client::new().get(format!("{}{path}", self.api));
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        let response = request.send().await.expect("GET");
        let status = response.status().as_u16();
        let challenge = response
            .headers()
            .get("www-authenticate")
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_owned();
        let body = response.json().await.unwrap_or(Value::Null);
        (status, challenge, body)
    }
}

fn refused_as(answer: &(u16, String, Value), status: u16, error: &str) {
    assert_eq!(answer.0, status, "{answer:?}");
    assert!(
        answer.1.contains(&format!("error=\"{error}\"")),
        "{answer:?}"
    );
    assert_eq!(answer.2["error"], error, "{answer:?}");
}

#[tokio::test]
async fn a_valid_jwt_passes_and_the_handler_sees_the_caller() {
    let f = fixture(false).await;
    let token = f.token("orders.read").await;
    let (status, _, body) = f.call("/orders", Some(&token)).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["subject"], "app");
    assert_eq!(body["client_id"], "app");
    assert_eq!(body["scopes"], json!(["orders.read"]));
    assert_eq!(body["kind"], "jwt");
}

#[tokio::test]
async fn no_token_gets_a_challenge_without_an_error_code() {
    let f = fixture(false).await;
    let (status, challenge, _) = f.call("/orders", None).await;
    assert_eq!(status, 401);
    assert_eq!(challenge, format!("Bearer realm=\"{API}\""));
}

#[tokio::test]
async fn a_missing_scope_is_insufficient_scope() {
    let f = fixture(false).await;
    let token = f.token("orders.read").await;
    let answer = f.call("/orders/new", Some(&token)).await;
    refused_as(&answer, 403, "insufficient_scope");
    assert!(answer.1.contains("scope=\"orders.write\""), "{answer:?}");
}

#[tokio::test]
async fn wrong_audience_expired_not_yet_valid_and_wrong_typ_are_invalid_tokens() {
    let f = fixture(false).await;
    let now = f.server.provider.now();
    let mut other = f.claims();
    other["aud"] = json!("https://other.example");
    let answer = f
        .call("/orders", Some(&f.forged("at+jwt", other).await))
        .await;
    refused_as(&answer, 401, "invalid_token");
    assert!(
        answer.2["error_description"]
            .as_str()
            .unwrap_or_default()
            .contains("audience")
    );

    let mut expired = f.claims();
    expired["exp"] = json!(now - 120);
    let answer = f
        .call("/orders", Some(&f.forged("at+jwt", expired).await))
        .await;
    refused_as(&answer, 401, "invalid_token");
    assert!(
        answer.2["error_description"]
            .as_str()
            .unwrap_or_default()
            .contains("expired")
    );

    let mut early = f.claims();
    early["nbf"] = json!(now + 600);
    let answer = f
        .call("/orders", Some(&f.forged("at+jwt", early).await))
        .await;
    refused_as(&answer, 401, "invalid_token");

    // An ID token (or any JWT of the provider that is not an access token).
    let answer = f
        .call("/orders", Some(&f.forged("JWT", f.claims()).await))
        .await;
    refused_as(&answer, 401, "invalid_token");
    assert!(
        answer.2["error_description"]
            .as_str()
            .unwrap_or_default()
            .contains("typ")
    );

    // A token valid now, then the product's clock past its end.
    let token = f.token("orders.read").await;
    assert_eq!(f.call("/orders", Some(&token)).await.0, 200);
    f.clock.fetch_add(3600 + 31, Ordering::Relaxed);
    refused_as(&f.call("/orders", Some(&token)).await, 401, "invalid_token");
}

#[tokio::test]
async fn an_unknown_kid_refetches_the_keys_once_then_is_refused() {
    let f = fixture(false).await;
    let good = f.token("orders.read").await;
    let stranger = ClientKey::generate();
    let forged = stranger.sign(&f.claims());

    // Keys last fetched longer ago than the interval: one fetch for the unknown kid, then
    // the refusal.
    let mut config = ProductConfig::new(&f.server.issuer, API);
    config.key_refetch_interval = Duration::ZERO;
    let eager = Validator::new(config);
    assert!(eager.validate(&good).await.is_ok());
    assert_eq!(eager.key_fetches(), 1);
    assert!(eager.validate(&forged).await.is_err());
    assert_eq!(eager.key_fetches(), 2, "one refetch for the unknown kid");

    // Keys fetched within the minute: unknown kids cause no fetch at all.
    assert_eq!(f.call("/orders", Some(&good)).await.0, 200);
    assert_eq!(f.validator.key_fetches(), 1);
    refused_as(
        &f.call("/orders", Some(&forged)).await,
        401,
        "invalid_token",
    );
    let again = stranger.sign(&f.claims());
    refused_as(&f.call("/orders", Some(&again)).await, 401, "invalid_token");
    assert_eq!(f.validator.key_fetches(), 1, "at most one fetch a minute");
}

#[tokio::test]
async fn alg_none_and_garbage_are_refused() {
    let f = fixture(false).await;
    let b64 = |v: &Value| propusk_core::crypto::b64url(v.to_string().as_bytes());
    let none = format!(
        "{}.{}.",
        b64(&json!({"alg": "none", "typ": "at+jwt"})),
        b64(&f.claims())
    );
    refused_as(&f.call("/orders", Some(&none)).await, 401, "invalid_token");
    let hs = format!(
        "{}.{}.c2ln",
        b64(&json!({"alg": "HS256", "typ": "at+jwt"})),
        b64(&f.claims())
    );
    refused_as(&f.call("/orders", Some(&hs)).await, 401, "invalid_token");
    refused_as(
        &f.call("/orders", Some("a.b.c")).await,
        401,
        "invalid_token",
    );
    // A reference-looking token without introspection answers as inactive.
    let answer = f.call("/orders", Some("opaque-token")).await;
    refused_as(&answer, 401, "invalid_token");
    // Not a bearer header at all.
    let response = reqwest::Client::new()
        .get(format!("{}/orders", f.api))
        .header("authorization", "Basic YTpi")
        .send()
        .await
        .expect("GET");
    assert_eq!(response.status().as_u16(), 400);
}

#[tokio::test]
async fn reference_tokens_are_introspected_cached_and_refused_after_revocation_and_the_cache_lifetime()
 {
    let f = fixture(true).await;
    let token = f.token("orders.read").await;
    assert_ne!(
        token.matches('.').count(),
        2,
        "a reference token, not a JWT"
    );
    let (status, _, body) = f.call("/orders", Some(&token)).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["kind"], "reference");

    let revoked = f
        .server
        .post_form(
            propusk_types::routes::REVOCATION,
            &Auth::Basic("app", &f.app_secret),
            &[("token", &token)],
        )
        .await;
    assert_eq!(revoked.status.as_u16(), 200);
    // Within the cache lifetime the kept answer stands…
    assert_eq!(f.call("/orders", Some(&token)).await.0, 200);
    // …and after it the provider is asked again and says inactive.
    f.clock.fetch_add(31, Ordering::Relaxed);
    refused_as(&f.call("/orders", Some(&token)).await, 401, "invalid_token");
    // The inactive answer is kept briefly too.
    refused_as(&f.call("/orders", Some(&token)).await, 401, "invalid_token");

    // A token for another product is inactive for this one.
    let unknown = f.call("/orders", Some("never-issued-token")).await;
    refused_as(&unknown, 401, "invalid_token");
}

/// Scenario 3: a person entering a product through two integrators' applications is one
/// product account. The product sees one `sub` whichever application obtained the token;
/// each application keeps its own subject in the ID token.
#[tokio::test]
async fn a_product_sees_one_subject_per_person_whichever_application_asked() {
    let server = TestServer::start().await;
    server
        .product(
            ProductBuilder::new(API)
                .scopes(&["orders.read"])
                .pairwise_subjects(),
        )
        .await;
    server
        .product(ProductBuilder::new("https://billing.example").pairwise_subjects())
        .await;
    let scope = "openid orders.read https://billing.example";
    let public_app = server
        .client(ClientBuilder::confidential("shop").scope(scope))
        .await;
    let pairwise_app = server
        .client(
            ClientBuilder::confidential("crm")
                .scope(scope)
                .redirect_uris(&["https://crm.example/cb"])
                .pairwise(),
        )
        .await;
    let alice = server.alice().await;
    let validator = Validator::new(ProductConfig::new(&server.issuer, API));

    let mut seen = Vec::new();
    for app in [&public_app, &pairwise_app] {
        let answer = server
            .code_exchange(&alice, app, "openid orders.read")
            .await
            .issued();
        let principal = validator
            .validate(&answer.access_token)
            .await
            .expect("a valid token");
        let id_token =
            propusk_core::jose::decode_unverified(answer.id_token.as_deref().expect("id token"))
                .expect("a JWT");
        seen.push((principal.subject, id_token.claims["sub"].clone()));
    }
    let (shop_product_sub, shop_sub) = &seen[0];
    let (crm_product_sub, crm_sub) = &seen[1];
    assert_eq!(
        shop_product_sub, crm_product_sub,
        "one product subject per person"
    );
    assert_ne!(
        shop_product_sub, &alice.id,
        "pairwise for the product, not the account id"
    );
    assert_eq!(
        shop_sub,
        &json!(alice.id),
        "the public app keeps the account id"
    );
    assert_ne!(crm_sub, shop_sub, "the pairwise app keeps its own subject");
    assert_ne!(&json!(crm_product_sub), crm_sub);

    // Two products that each see their own subject cannot share one token.
    let refused = server.code_exchange(&alice, &public_app, scope).await;
    refused.assert_error(reqwest::StatusCode::BAD_REQUEST, "invalid_scope");
}

/// A provider that cannot be reached is the product's problem to report, not the
/// caller's: 503 with no `WWW-Authenticate`; without introspection credentials a
/// reference token is refused as not accepted here, and wrong credentials are 503 too.
#[tokio::test]
async fn an_unreachable_provider_or_missing_credentials_are_not_blamed_on_the_caller() {
    let nowhere = Validator::new(ProductConfig::new("http://127.0.0.1:1", API));
    let jwt = "eyJhbGciOiJSUzI1NiJ9.e30.c2ln";
    assert_eq!(
        nowhere.check(Some(&format!("Bearer {jwt}")), &[]).await,
        Err(propusk_product::Refusal::Unavailable)
    );
    let api = serve(nowhere).await;
    let response = reqwest::Client::new()
        .get(format!("{api}/orders"))
        .bearer_auth(jwt)
        .send()
        .await
        .expect("GET");
    assert_eq!(response.status().as_u16(), 503);
    assert!(response.headers().get("www-authenticate").is_none());

    let f = fixture(true).await;
    let token = f.token("orders.read").await;
    let without = Validator::new(ProductConfig::new(&f.server.issuer, API));
    assert!(matches!(
        without.validate(&token).await,
        Err(propusk_product::Refusal::Invalid(reason)) if reason.contains("not accepted")
    ));
    let wrong = Validator::new(
        ProductConfig::new(&f.server.issuer, API).credentials(API, "not-the-secret"),
    );
    assert_eq!(
        wrong.validate(&token).await,
        Err(propusk_product::Refusal::Unavailable)
    );
}
