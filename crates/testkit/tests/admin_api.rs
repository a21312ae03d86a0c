//! The management REST API end to end, with client tokens of the `client_credentials`
//! grant: blocking a user (sign-in refused, refresh token refused, access token inactive
//! at introspection) and unblocking; clients and products created and changed through
//! the API and used at once in flows; key rotation; the audit events those actions wrote;
//! what a read-only token, a token without either scope and no token get; the OpenAPI
//! document.

use propusk_core::model::GrantType;
use propusk_testkit::endpoints::Auth;
use propusk_testkit::{ClientBuilder, TestAccount, TestClient, TestServer};
use propusk_types::routes;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

/// A client that holds `scope` for the `client_credentials` grant, and its token.
async fn token(server: &TestServer, id: &str, scope: &str) -> String {
    let client = server
        .client(
            ClientBuilder::confidential(id)
                .grants(&[GrantType::ClientCredentials])
                .scope(scope)
                .consent_required(false),
        )
        .await;
    let answer = server
        .token(
            &client.basic(),
            &[("grant_type", "client_credentials"), ("scope", scope)],
        )
        .await;
    answer.issued().access_token
}

struct Api<'a> {
    server: &'a TestServer,
    token: Option<String>,
}

struct Reply {
    status: StatusCode,
    headers: reqwest::header::HeaderMap,
    body: Value,
    text: String,
}

impl Api<'_> {
    async fn send(
        &self,
        method: Method,
        path: &str,
        body: Option<Value>,
        if_match: Option<&str>,
    ) -> Reply {
        let mut request = propusk_testkit::http_client().request(method, self.server.url(path));
        if let Some(token) = &self.token {
            request = request.bearer_auth(token);
        }
        if let Some(body) = body {
            request = request.json(&body);
        }
        if let Some(tag) = if_match {
            request = request.header("If-Match", tag);
        }
        let response = request.send().await.expect("request");
        let status = response.status();
        let headers = response.headers().clone();
        let text = response.text().await.expect("body");
        let body = serde_json::from_str(&text).unwrap_or(Value::Null);
        Reply {
            status,
            headers,
            body,
            text,
        }
    }

    async fn get(&self, path: &str) -> Reply {
        self.send(Method::GET, path, None, None).await
    }

    async fn post(&self, path: &str, body: Value) -> Reply {
        self.send(Method::POST, path, Some(body), None).await
    }
}

impl Reply {
    #[track_caller]
    fn expect(self, status: StatusCode) -> Value {
        assert_eq!(self.status, status, "body: {}", self.text);
        self.body
    }

    #[track_caller]
    fn problem(&self, status: StatusCode) {
        assert_eq!(self.status, status, "body: {}", self.text);
        assert_eq!(
            self.headers
                .get("content-type")
                .and_then(|v| v.to_str().ok()),
            Some("application/problem+json")
        );
        assert_eq!(self.body["status"], status.as_u16());
        assert!(self.body["title"].is_string());
    }
}

async fn admin(server: &TestServer) -> Api<'_> {
    Api {
        server,
        token: Some(token(server, "ops", "propusk:admin").await),
    }
}

/// Whether `account` can sign in: the password form leads back to the client.
async fn signs_in(server: &TestServer, account: &TestAccount, client: &TestClient) -> bool {
    let browser = server.browser();
    let url = server.authorize_url(&client.code_request(&[], &[]));
    let page = browser.navigate(&url).await;
    let after = browser
        .sign_in(&page, &account.login, &account.password)
        .await;
    browser.answer(&after).is_some() || after.consent_form().is_some()
}

#[tokio::test]
async fn blocking_stops_sign_in_and_every_token_until_unblocked() {
    let server = TestServer::start().await;
    let api = admin(&server).await;
    let alice = server.alice().await;
    let web = server.client(ClientBuilder::confidential("web")).await;
    let code = server.code_for(&alice, &web, &[]).await;
    let tokens = server.redeem(&web.basic(), &code, &[]).await.issued();
    let refresh = tokens.refresh_token.clone().expect("refresh token");
    assert!(server.is_active(&web.basic(), &tokens.access_token).await);

    let user = api
        .post(
            &routes::with_id(routes::API_USER_BLOCK, &alice.id),
            json!({}),
        )
        .await
        .expect(StatusCode::OK);
    assert_eq!(user["blocked"], true);
    assert!(
        !signs_in(&server, &alice, &web).await,
        "a blocked user signed in"
    );
    let refused = server.refresh(&web.basic(), &refresh).await;
    refused.assert_error(StatusCode::BAD_REQUEST, "invalid_grant");
    assert!(!server.is_active(&web.basic(), &tokens.access_token).await);

    let user = api
        .post(
            &routes::with_id(routes::API_USER_UNBLOCK, &alice.id),
            json!({}),
        )
        .await
        .expect(StatusCode::OK);
    assert_eq!(user["blocked"], false);
    assert!(
        signs_in(&server, &alice, &web).await,
        "an unblocked user cannot sign in"
    );

    let events = api
        .get(&format!(
            "{}?account_id={}",
            routes::API_AUDIT_EVENTS,
            alice.id
        ))
        .await
        .expect(StatusCode::OK);
    let kinds: Vec<(&str, &str)> = events["items"]
        .as_array()
        .expect("items")
        .iter()
        .filter(|e| e["actor"].is_string())
        .map(|e| {
            (
                e["kind"].as_str().unwrap_or(""),
                e["actor"].as_str().unwrap_or(""),
            )
        })
        .collect();
    assert_eq!(
        kinds,
        [
            ("account_unblocked", "client:ops"),
            ("account_blocked", "client:ops")
        ]
    );
}

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
    let lines: Vec<Value> = export
        .text
        .lines()
        .map(|l| serde_json::from_str(l).expect("a JSON line"))
        .collect();
    assert_eq!(lines.len(), 2, "{}", export.text);
    assert_eq!(lines[0]["kind"], "client_updated");
    assert!(!export.text.contains(&secret), "an event carried a secret");
}

#[tokio::test]
async fn keys_rotate_through_the_api() {
    let server = TestServer::start().await;
    let api = admin(&server).await;
    let before = api.get(routes::API_KEYS).await.expect(StatusCode::OK);
    let rotated = api
        .post(
            routes::API_KEYS_ROTATE,
            json!({"algs": ["RS256"], "prepublish": 0}),
        )
        .await
        .expect(StatusCode::OK);
    let new_kid = rotated["items"][0]["kid"].as_str().expect("kid").to_owned();
    assert_eq!(rotated["items"][0]["state"], "active");
    let after = api.get(routes::API_KEYS).await.expect(StatusCode::OK);
    let items = after["items"].as_array().expect("items");
    assert_eq!(
        items.len(),
        before["items"].as_array().expect("items").len() + 1
    );
    let mut rs256: Vec<&str> = items
        .iter()
        .filter(|k| k["alg"] == "RS256")
        .filter_map(|k| k["state"].as_str())
        .collect();
    rs256.sort_unstable();
    assert_eq!(rs256, ["active", "retiring"]);
    let jwks = propusk_testkit::http_client()
        .get(server.url(routes::JWKS))
        .send()
        .await
        .expect("jwks")
        .text()
        .await
        .expect("text");
    assert!(jwks.contains(&new_kid));
    let events = api
        .get(&format!("{}?kind=keys_rotated", routes::API_AUDIT_EVENTS))
        .await
        .expect(StatusCode::OK);
    assert_eq!(events["items"][0]["actor"], "client:ops");
}

#[tokio::test]
async fn scopes_decide_who_reads_and_who_writes() {
    let server = TestServer::start().await;
    let alice = server.alice().await;
    let block = routes::with_id(routes::API_USER_BLOCK, &alice.id);

    let nobody = Api {
        server: &server,
        token: None,
    };
    let answer = nobody.get(routes::API_USERS).await;
    answer.problem(StatusCode::UNAUTHORIZED);
    let challenge = answer
        .headers
        .get("www-authenticate")
        .and_then(|v| v.to_str().ok());
    assert!(
        challenge.is_some_and(|c| c.starts_with("Bearer")),
        "{challenge:?}"
    );

    let reader = Api {
        server: &server,
        token: Some(token(&server, "auditor", "propusk:admin.read").await),
    };
    let users = reader
        .get(&format!("{}?q=liddell", routes::API_USERS))
        .await
        .expect(StatusCode::OK);
    assert_eq!(users["items"][0]["login"], "alice");
    let refused = reader.post(&block, json!({})).await;
    refused.problem(StatusCode::FORBIDDEN);
    assert_eq!(refused.body["code"], "insufficient_scope");

    server
        .product(propusk_testkit::ProductBuilder::new("extern.api").scopes(&["extern.api"]))
        .await;
    let other = Api {
        server: &server,
        token: Some(token(&server, "svc", "extern.api").await),
    };
    other
        .get(routes::API_USERS)
        .await
        .problem(StatusCode::FORBIDDEN);
    other
        .post(&block, json!({}))
        .await
        .problem(StatusCode::FORBIDDEN);

    let garbage = Api {
        server: &server,
        token: Some("not-a-token".into()),
    };
    garbage
        .get(routes::API_USERS)
        .await
        .problem(StatusCode::UNAUTHORIZED);
    let stored = server
        .store()
        .get_account(&alice.id)
        .await
        .expect("read")
        .expect("account");
    assert!(!stored.disabled, "a refused request changed something");
}

#[tokio::test]
async fn users_are_found_paged_and_edited_with_etags() {
    let server = TestServer::start().await;
    let api = admin(&server).await;
    for login in ["ann", "bob", "cid"] {
        api.post(
            routes::API_USERS,
            json!({"login": login, "email": format!("{login}@example.com")}),
        )
        .await
        .expect(StatusCode::CREATED);
    }
    let taken = api.post(routes::API_USERS, json!({"login": "ANN"})).await;
    taken.problem(StatusCode::CONFLICT);
    let first = api
        .get(&format!("{}?limit=2", routes::API_USERS))
        .await
        .expect(StatusCode::OK);
    let cursor = first["next_cursor"]
        .as_str()
        .expect("a next page")
        .to_owned();
    let second = api
        .get(&format!("{}?limit=2&cursor={cursor}", routes::API_USERS))
        .await
        .expect(StatusCode::OK);
    assert_eq!(first["items"].as_array().map(Vec::len), Some(2));
    assert_eq!(second["items"].as_array().map(Vec::len), Some(1));
    assert!(second["next_cursor"].is_null());
    api.get(&format!("{}?limit=0", routes::API_USERS))
        .await
        .problem(StatusCode::BAD_REQUEST);
    api.get(&format!("{}?cursor=%21", routes::API_USERS))
        .await
        .problem(StatusCode::BAD_REQUEST);

    let id = second["items"][0]["id"].as_str().expect("id").to_owned();
    let path = routes::with_id(routes::API_USER, &id);
    let read = api.get(&path).await;
    let tag = read
        .headers
        .get("etag")
        .and_then(|v| v.to_str().ok())
        .expect("etag")
        .to_owned();
    let changed = api
        .send(
            Method::PATCH,
            &path,
            Some(json!({"name": "Cid Campeador"})),
            Some(&tag),
        )
        .await
        .expect(StatusCode::OK);
    assert_eq!(changed["name"], "Cid Campeador");
    api.send(
        Method::PATCH,
        &path,
        Some(json!({"name": "Again"})),
        Some(&tag),
    )
    .await
    .problem(StatusCode::PRECONDITION_FAILED);
    api.send(Method::PATCH, &path, Some(json!({"email": "nope"})), None)
        .await
        .problem(StatusCode::BAD_REQUEST);
    api.get(&routes::with_id(routes::API_USER, "missing"))
        .await
        .problem(StatusCode::NOT_FOUND);
    api.send(Method::DELETE, &path, None, None)
        .await
        .expect(StatusCode::NO_CONTENT);
}

#[tokio::test]
async fn the_openapi_document_is_openapi_3_1_and_lists_every_resource() {
    let server = TestServer::start().await;
    let nobody = Api {
        server: &server,
        token: None,
    };
    let doc = nobody.get(routes::API_OPENAPI).await.expect(StatusCode::OK);
    assert!(
        doc["openapi"]
            .as_str()
            .is_some_and(|v| v.starts_with("3.1")),
        "{}",
        doc["openapi"]
    );
    for path in [
        routes::API_USERS,
        routes::API_USER,
        routes::API_USER_BLOCK,
        routes::API_USER_UNBLOCK,
        routes::API_USER_RESET_SECOND_FACTOR,
        routes::API_USER_SIGN_OUT,
        routes::API_CLIENTS,
        routes::API_CLIENT,
        routes::API_CLIENT_SUSPEND,
        routes::API_CLIENT_RESUME,
        routes::API_CLIENT_SECRETS,
        routes::API_CLIENT_SECRET,
        routes::API_PRODUCTS,
        routes::API_PRODUCT,
        routes::API_KEYS,
        routes::API_KEYS_ROTATE,
        routes::API_TRUSTED_ISSUERS,
        routes::API_TRUSTED_ISSUER,
        routes::API_SCOPE_REQUESTS,
        routes::API_SCOPE_REQUEST_APPROVE,
        routes::API_SCOPE_REQUEST_REFUSE,
        routes::API_AUDIT_EVENTS,
        routes::API_AUDIT_EXPORT,
    ] {
        assert!(doc["paths"][path].is_object(), "{path} is not documented");
    }
    assert_eq!(
        doc["paths"][routes::API_USER_BLOCK]["post"]["responses"]["403"]["content"]["application/problem+json"]
            ["schema"]["$ref"],
        "#/components/schemas/Problem"
    );
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
