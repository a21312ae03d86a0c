//! The management REST API end to end, with client tokens of the `client_credentials`
//! grant: blocking a user (sign-in refused, refresh token refused, access token inactive
//! at introspection) and unblocking; clients and products created and changed through
//! the API and used at once in flows; key rotation; the audit events those actions wrote;
//! what a read-only token, a token without either scope and no token get; the OpenAPI
//! document.
//!
//! One module per part: `users` (blocking, search, pages, ETags, who may read and write),
//! `clients` (clients, products, suspension, scope requests, partner issuers), `service`
//! (keys and the OpenAPI document).

mod audit;
mod clients;
mod service;
mod users;

use propusk_core::model::GrantType;
use propusk_testkit::{ClientBuilder, TestAccount, TestClient, TestServer};
use reqwest::{Method, StatusCode};
use serde_json::Value;

/// A client that holds `scope` for the `client_credentials` grant, and its token.
pub(crate) async fn token(server: &TestServer, id: &str, scope: &str) -> String {
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

pub(crate) struct Api<'a> {
    pub(crate) server: &'a TestServer,
    pub(crate) token: Option<String>,
}

pub(crate) struct Reply {
    pub(crate) status: StatusCode,
    pub(crate) headers: reqwest::header::HeaderMap,
    pub(crate) body: Value,
    pub(crate) text: String,
}

impl Api<'_> {
    pub(crate) async fn send(
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

    pub(crate) async fn get(&self, path: &str) -> Reply {
        self.send(Method::GET, path, None, None).await
    }

    pub(crate) async fn post(&self, path: &str, body: Value) -> Reply {
        self.send(Method::POST, path, Some(body), None).await
    }
}

impl Reply {
    #[track_caller]
    pub(crate) fn expect(self, status: StatusCode) -> Value {
        assert_eq!(self.status, status, "body: {}", self.text);
        self.body
    }

    #[track_caller]
    pub(crate) fn problem(&self, status: StatusCode) {
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

pub(crate) async fn admin(server: &TestServer) -> Api<'_> {
    Api {
        server,
        token: Some(token(server, "ops", "propusk:admin").await),
    }
}

/// Whether `account` can sign in: the password form leads back to the client.
pub(crate) async fn signs_in(
    server: &TestServer,
    account: &TestAccount,
    client: &TestClient,
) -> bool {
    let browser = server.browser();
    let url = server.authorize_url(&client.code_request(&[], &[]));
    let page = browser.navigate(&url).await;
    let after = browser
        .sign_in(&page, &account.login, &account.password)
        .await;
    browser.answer(&after).is_some() || after.consent_form().is_some()
}
