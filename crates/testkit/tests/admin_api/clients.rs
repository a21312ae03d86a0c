//! Clients, products, suspension, scope requests and partner issuers through the API,
//! each used at once in a flow where one applies.

use crate::*;
use propusk_core::model::GrantType;
use propusk_testkit::endpoints::Auth;
use propusk_testkit::{ClientBuilder, TestClient, TestServer};
use propusk_types::routes;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

#[tokio::test]
async fn a_client_and_a_product_made_through_the_api_work_at_once() {
    let server = TestServer::start().await;
    let api = admin(&server).await;
    let alice = server.alice().await;

    let created = api
        .post(
            routes::API_CLIENTS,
            json!({
                "client_id": "shop",
                "client_name": "Shop",
                "redirect_uris": [ClientBuilder::REDIRECT_URI],
                "grant_types": ["authorization_code", "refresh_token"],
                "scope": "openid profile email offline_access",
            }),
        )
        .await
        .expect(StatusCode::CREATED);
    let secret = created["client_secret"]["client_secret"]
        .as_str()
        .expect("secret")
        .to_owned();
    let record = server
        .store()
        .get_client("shop")
        .await
        .expect("read")
        .expect("stored");
    let shop = TestClient {
        id: "shop".into(),
        secret: Some(secret.clone()),
        redirect_uri: ClientBuilder::REDIRECT_URI.into(),
        record,
    };
    let code = server.code_for(&alice, &shop, &[]).await;
    server.redeem(&shop.basic(), &code, &[]).await.issued();

    let read = api.get(&routes::with_id(routes::API_CLIENT, "shop")).await;
    let tag = read
        .headers
        .get("etag")
        .and_then(|v| v.to_str().ok())
        .expect("etag")
        .to_owned();
    let mut metadata = read.expect(StatusCode::OK);
    metadata["client_name"] = json!("Shop renamed");
    let path = routes::with_id(routes::API_CLIENT, "shop");
    api.send(
        Method::PUT,
        &path,
        Some(metadata.clone()),
        Some("\"stale\""),
    )
    .await
    .problem(StatusCode::PRECONDITION_FAILED);
    let updated = api
        .send(Method::PUT, &path, Some(metadata), Some(&tag))
        .await
        .expect(StatusCode::OK);
    assert_eq!(updated["client_name"], "Shop renamed");
    let bad = json!({"redirect_uris": ["https://rp.example/cb#frag"], "grant_types": ["authorization_code"]});
    let refused = api.send(Method::PUT, &path, Some(bad), None).await;
    refused.problem(StatusCode::BAD_REQUEST);
    assert_eq!(refused.body["field"], "redirect_uris");

    let product = api
        .post(
            routes::API_PRODUCTS,
            json!({
                "audience": "orders.api",
                "name": "Orders",
                "scopes": [{"name": "orders.read", "description_ru": "Чтение заказов",
                            "description_en": "Read orders"}],
            }),
        )
        .await
        .expect(StatusCode::CREATED);
    let product_secret = product["client_secret"]["client_secret"]
        .as_str()
        .expect("key")
        .to_owned();
    let service = api
        .post(
            routes::API_CLIENTS,
            json!({
                "client_id": "reporter",
                "grant_types": ["client_credentials"],
                "scope": "orders.read",
            }),
        )
        .await
        .expect(StatusCode::CREATED);
    let service_secret = service["client_secret"]["client_secret"]
        .as_str()
        .expect("key")
        .to_owned();
    let issued = server
        .token(
            &Auth::Basic("reporter", &service_secret),
            &[
                ("grant_type", "client_credentials"),
                ("scope", "orders.read"),
            ],
        )
        .await
        .issued();
    assert_eq!(
        issued.access_token.matches('.').count(),
        2,
        "a JWT by default"
    );
    let product_auth = Auth::Basic("orders.api", &product_secret);
    assert!(server.is_active(&product_auth, &issued.access_token).await);

    let path = routes::with_id(routes::API_PRODUCT, "orders.api");
    let changed = api
        .send(
            Method::PATCH,
            &path,
            Some(json!({"token_format": "reference"})),
            None,
        )
        .await
        .expect(StatusCode::OK);
    assert_eq!(changed["token_format"], "reference");
    assert_eq!(changed["scopes"][0]["description_ru"], "Чтение заказов");
    let reference = server
        .token(
            &Auth::Basic("reporter", &service_secret),
            &[
                ("grant_type", "client_credentials"),
                ("scope", "orders.read"),
            ],
        )
        .await
        .issued();
    assert!(
        reference.access_token.matches('.').count() < 2,
        "a reference token after the change"
    );
    assert!(
        server
            .is_active(&product_auth, &reference.access_token)
            .await
    );

    let events = api
        .get(&format!(
            "{}?client_id=orders.api",
            routes::API_AUDIT_EVENTS
        ))
        .await
        .expect(StatusCode::OK);
    let kinds: Vec<&str> = events["items"]
        .as_array()
        .expect("items")
        .iter()
        .filter_map(|e| e["kind"].as_str())
        .collect();
    assert!(
        kinds.contains(&"product_created") && kinds.contains(&"product_updated"),
        "{kinds:?}"
    );
    let export = api
        .get(&format!("{}?client_id=shop", routes::API_AUDIT_EXPORT))
        .await;
    assert_eq!(export.status, StatusCode::OK);
    // The client's own changes; the sign-in's token and consent events (written in
    // batches, so present or not yet) are about it too.
    let lines: Vec<Value> = export
        .text
        .lines()
        .map(|l| serde_json::from_str::<Value>(l).expect("a JSON line"))
        .filter(|l| l["kind"].as_str().is_some_and(|k| k.starts_with("client_")))
        .collect();
    assert_eq!(lines.len(), 2, "{}", export.text);
    assert_eq!(lines[0]["kind"], "client_updated");
    assert!(!export.text.contains(&secret), "an event carried a secret");
}

#[tokio::test]
async fn a_suspended_client_gets_no_token_and_its_tokens_are_inactive_until_resumed() {
    let server = TestServer::start().await;
    let api = admin(&server).await;
    server
        .product(propusk_testkit::ProductBuilder::new("extern.api").scopes(&["extern.api"]))
        .await;
    let product = server
        .client(
            ClientBuilder::confidential("extern.api")
                .product("extern.api")
                .grants(&[]),
        )
        .await;
    let svc = server
        .client(
            ClientBuilder::confidential("svc")
                .grants(&[GrantType::ClientCredentials])
                .scope("extern.api"),
        )
        .await;
    let ask = [
        ("grant_type", "client_credentials"),
        ("scope", "extern.api"),
    ];
    let issued = server.token(&svc.basic(), &ask).await.issued();
    assert!(
        server
            .is_active(&product.basic(), &issued.access_token)
            .await
    );

    let path = routes::with_id(routes::API_CLIENT_SUSPEND, "svc");
    let client = api.post(&path, json!({})).await.expect(StatusCode::OK);
    assert_eq!(client["suspended"], true);
    server
        .token(&svc.basic(), &ask)
        .await
        .assert_error(StatusCode::UNAUTHORIZED, "invalid_client");
    assert!(
        !server
            .is_active(&product.basic(), &issued.access_token)
            .await
    );

    let path = routes::with_id(routes::API_CLIENT_RESUME, "svc");
    let client = api.post(&path, json!({})).await.expect(StatusCode::OK);
    assert_eq!(client["suspended"], false);
    server.token(&svc.basic(), &ask).await.issued();
    let events = api
        .get(&format!("{}?client_id=svc", routes::API_AUDIT_EVENTS))
        .await
        .expect(StatusCode::OK);
    assert_eq!(events["items"][0]["kind"], "client_resumed");
    assert_eq!(events["items"][1]["kind"], "client_suspended");
}

#[tokio::test]
async fn scope_requests_are_approved_and_refused_through_the_api() {
    use propusk_core::model::{ScopeRequest, ScopeRequestStatus};
    let server = TestServer::start().await;
    let api = admin(&server).await;
    server
        .product(
            propusk_testkit::ProductBuilder::new("orders.api")
                .scopes(&["orders.read", "orders.write"]),
        )
        .await;
    server.client(ClientBuilder::confidential("shop")).await;
    for (id, scope) in [("r1", "orders.read"), ("r2", "orders.write")] {
        let request = ScopeRequest {
            id: id.into(),
            client_id: "shop".into(),
            audience: "orders.api".into(),
            scope: scope.into(),
            status: ScopeRequestStatus::Pending,
            requested_by: "integrator".into(),
            created_at: server.provider.now(),
            decided_at: None,
        };
        server
            .store()
            .insert_scope_request(&request)
            .await
            .expect("request");
    }
    let pending = api
        .get(routes::API_SCOPE_REQUESTS)
        .await
        .expect(StatusCode::OK);
    assert_eq!(pending["items"].as_array().map(Vec::len), Some(2));
    let approved = api
        .post(
            &routes::with_id(routes::API_SCOPE_REQUEST_APPROVE, "r1"),
            json!({}),
        )
        .await
        .expect(StatusCode::OK);
    assert_eq!(approved["status"], "approved");
    api.post(
        &routes::with_id(routes::API_SCOPE_REQUEST_REFUSE, "r2"),
        json!({}),
    )
    .await
    .expect(StatusCode::OK);
    api.post(
        &routes::with_id(routes::API_SCOPE_REQUEST_REFUSE, "r2"),
        json!({}),
    )
    .await
    .problem(StatusCode::NOT_FOUND);
    let client = server
        .store()
        .get_client("shop")
        .await
        .expect("read")
        .expect("client");
    assert!(client.scope.contains("orders.read") && !client.scope.contains("orders.write"));
    let events = api
        .get(&format!("{}?client_id=shop", routes::API_AUDIT_EVENTS))
        .await
        .expect(StatusCode::OK);
    let kinds: Vec<&str> = events["items"]
        .as_array()
        .expect("items")
        .iter()
        .filter_map(|e| e["kind"].as_str())
        .collect();
    assert_eq!(kinds, ["scope_request_refused", "scope_request_approved"]);
}

#[tokio::test]
async fn partner_issuers_are_registered_and_removed_through_the_api() {
    let server = TestServer::start().await;
    let api = admin(&server).await;
    server
        .client(ClientBuilder::confidential("partner-app"))
        .await;
    let key = propusk_testkit::ClientKey::generate();
    let jwks = serde_json::to_value(key.jwks()).expect("jwks");
    let saved = api
        .post(
            routes::API_TRUSTED_ISSUERS,
            json!({"issuer": "https://partner.example", "jwks": jwks,
                   "client_ids": ["partner-app"], "subject": "login"}),
        )
        .await
        .expect(StatusCode::OK);
    assert_eq!(saved["client_ids"][0], "partner-app");
    let unknown_client = api
        .post(
            routes::API_TRUSTED_ISSUERS,
            json!({"issuer": "https://other.example", "jwks": jwks,
                   "client_ids": ["nobody"], "subject": "id"}),
        )
        .await;
    unknown_client.problem(StatusCode::NOT_FOUND);
    let listed = api
        .get(routes::API_TRUSTED_ISSUERS)
        .await
        .expect(StatusCode::OK);
    assert_eq!(listed["items"].as_array().map(Vec::len), Some(1));
    let path = routes::with_id(routes::API_TRUSTED_ISSUER, "https:%2F%2Fpartner.example");
    api.send(Method::DELETE, &path, None, None)
        .await
        .expect(StatusCode::NO_CONTENT);
    assert!(
        server
            .store()
            .list_trusted_issuers()
            .await
            .expect("list")
            .is_empty()
    );
    let events = api
        .get(&format!(
            "{}?kind=trusted_issuer_deleted",
            routes::API_AUDIT_EVENTS
        ))
        .await
        .expect(StatusCode::OK);
    assert_eq!(events["items"][0]["detail"], "https://partner.example");
}
