//! The operator console through the real router on a real socket: who gets in (not
//! signed in → sign-in and back; a non-operator → 403; an operator whose sign-in had no
//! second factor → asked to sign in again with it, or to enrol one), the pages an operator
//! with TOTP sees, and blocking a user from the console, which writes the same audit event
//! as blocking from the management API, the operator account named as the actor.

#[path = "common/mod.rs"]
mod common;

use common::{Server, account, confidential, server};
use propusk_core::accounts::{AccountPolicy, Accounts, Totp};
use propusk_core::model::{AuditKind, AuthMethod, Client, GrantType};
use propusk_core::store::AuditFilter;
use propusk_types::scope::Scope;
use std::sync::Arc;

const PASSWORD: &str = "correct horse battery";
const IP: &str = "127.0.0.1";

/// A browser: its own cookies, redirects not followed.
fn browser() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .cookie_store(true)
        .build()
        .expect("client")
}

fn location(response: &reqwest::Response) -> String {
    response.headers()["location"]
        .to_str()
        .expect("location")
        .to_owned()
}

fn csrf_of(html: &str) -> String {
    let mark = r#"name="csrf" value=""#;
    let start = html.find(mark).expect("csrf field") + mark.len();
    html[start..].split('"').next().expect("value").to_owned()
}

/// RFC 4648 base32 without padding, as the manual key shows it.
fn base32_decode(text: &str) -> Vec<u8> {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    let (mut bits, mut value, mut out) = (0u32, 0u32, Vec::new());
    for c in text.bytes().filter(|c| *c != b' ') {
        let index = ALPHABET.iter().position(|a| *a == c).expect("base32") as u32;
        value = (value << 5) | index;
        bits += 5;
        if bits >= 8 {
            bits -= 8;
            out.push((value >> bits) as u8);
            value &= (1 << bits) - 1;
        }
    }
    out
}

struct Console {
    server: Server,
    accounts: Arc<Accounts>,
}

impl Console {
    async fn new() -> Self {
        let server = server().await;
        let accounts = Arc::new(Accounts::new(
            server.provider.clone(),
            AccountPolicy::default(),
        ));
        Self { server, accounts }
    }

    /// An account `id` (login `<id>-login`) with the test password.
    async fn person(&self, id: &str, operator: bool) {
        let mut person = account(id);
        person.phone = None;
        person.password_hash = Some(
            self.server
                .provider
                .hash_password(PASSWORD)
                .await
                .expect("hash"),
        );
        self.server
            .store()
            .create_account(&person)
            .await
            .expect("account");
        if operator {
            self.server
                .store()
                .grant_operator(id, self.server.now())
                .await
                .expect("operator");
        }
    }

    /// Turns TOTP on for `id` through the engine.
    async fn enrol_totp(&self, id: &str) -> Totp {
        let person = self
            .server
            .store()
            .get_account(id)
            .await
            .expect("store")
            .expect("account");
        let enrolment = self.accounts.begin_totp(&person).await.expect("begin");
        let totp = Totp::new(base32_decode(&enrolment.manual_key));
        let code = totp.code_at(self.server.now());
        self.accounts
            .confirm_totp(&enrolment.challenge, &person, &code, IP)
            .await
            .expect("confirm");
        self.server.clock.advance(30);
        totp
    }

    async fn get(&self, http: &reqwest::Client, path: &str) -> reqwest::Response {
        http.get(self.server.url(path)).send().await.expect("get")
    }

    async fn post(
        &self,
        http: &reqwest::Client,
        path: &str,
        form: &[(&str, &str)],
    ) -> reqwest::Response {
        http.post(self.server.url(path))
            .form(form)
            .send()
            .await
            .expect("post")
    }

    async fn csrf(&self, http: &reqwest::Client, path: &str) -> String {
        let page = self.get(http, path).await;
        assert_eq!(page.status(), 200, "{path}");
        csrf_of(&page.text().await.expect("html"))
    }

    /// Signs `id` in at `/account/login`, with the TOTP code when asked; returns where
    /// the sign-in landed.
    async fn sign_in(&self, http: &reqwest::Client, id: &str, totp: Option<&Totp>) -> String {
        let csrf = self.csrf(http, "/account/login").await;
        let login = format!("{id}-login");
        let form = [
            ("csrf", csrf.as_str()),
            ("login", login.as_str()),
            ("password", PASSWORD),
        ];
        let done = self.post(http, "/account/login", &form).await;
        assert_eq!(done.status(), 303);
        let landed = location(&done);
        let Some(totp) = totp else {
            return landed;
        };
        assert!(landed.starts_with("/account/factor/"), "{landed}");
        let csrf = self.csrf(http, &landed).await;
        let code = totp.code_at(self.server.now());
        let path = landed.split('?').next().expect("path").to_owned();
        let done = self
            .post(http, &path, &[("csrf", &csrf), ("code", &code)])
            .await;
        assert_eq!(done.status(), 303);
        location(&done)
    }

    /// An access token of a `client_credentials` client holding `propusk:admin`.
    async fn api_token(&self) -> String {
        let client = Client {
            grant_types: vec![GrantType::ClientCredentials],
            scope: Scope::parse("propusk:admin").expect("scope"),
            ..confidential("ops", AuthMethod::ClientSecretBasic)
        };
        self.server.add_client(client, Some("ops-secret")).await;
        let answer: serde_json::Value = self
            .server
            .http
            .post(self.server.url("/connect/token"))
            .basic_auth("ops", Some("ops-secret"))
            .form(&[
                ("grant_type", "client_credentials"),
                ("scope", "propusk:admin"),
            ])
            .send()
            .await
            .expect("token")
            .json()
            .await
            .expect("json");
        answer["access_token"]
            .as_str()
            .expect("access token")
            .to_owned()
    }
}

#[tokio::test]
async fn only_operators_with_a_second_factor_get_in() {
    let console = Console::new().await;
    console.person("plain", false).await;
    console.person("lax", true).await;
    console.person("late", true).await;
    console.person("op", true).await;
    let totp = console.enrol_totp("op").await;

    let stranger = browser();
    let away = console.get(&stranger, "/admin/keys").await;
    assert_eq!(away.status(), 303);
    assert!(location(&away).starts_with("/account/login"));

    let plain = browser();
    console.sign_in(&plain, "plain", None).await;
    let refused = console.get(&plain, "/admin").await;
    assert_eq!(refused.status(), 403);
    let html = refused.text().await.expect("html");
    assert!(html.contains("только операторам"), "{html}");
    let cabinet = console.get(&plain, "/account").await.text().await;
    assert!(!cabinet.expect("html").contains("href=\"/admin\""));

    let lax = browser();
    console.sign_in(&lax, "lax", None).await;
    let asked = console.get(&lax, "/admin/users").await;
    assert_eq!(asked.status(), 403);
    let html = asked.text().await.expect("html");
    assert!(html.contains("id=\"factor-missing\""), "{html}");
    assert!(html.contains("href=\"/account/security\""));

    let late = browser();
    console.sign_in(&late, "late", None).await;
    console.enrol_totp("late").await;
    let again = console.get(&late, "/admin").await;
    assert_eq!(again.status(), 403);
    assert!(
        again
            .text()
            .await
            .expect("html")
            .contains("id=\"factor-again\""),
        "a factor turned on after the sign-in asks for a new sign-in"
    );

    let op = browser();
    let to_sign_in = console.get(&op, "/admin/keys").await;
    assert_eq!(to_sign_in.status(), 303);
    let landed = console.sign_in(&op, "op", Some(&totp)).await;
    assert_eq!(
        landed, "/admin/keys",
        "the sign-in returns to the console page"
    );
    for path in [
        "/admin",
        "/admin/users",
        "/admin/users/plain",
        "/admin/clients",
        "/admin/products",
        "/admin/keys",
        "/admin/trusted-issuers",
        "/admin/scope-requests",
        "/admin/audit",
        "/admin/audit?kind=sign_in&since=2023-11-14",
    ] {
        let page = console.get(&op, path).await;
        assert_eq!(page.status(), 200, "{path}");
    }
    let cabinet = console.get(&op, "/account").await.text().await;
    assert!(cabinet.expect("html").contains("href=\"/admin\""));
    let dashboard = console.get(&op, "/admin").await.text().await.expect("html");
    assert!(dashboard.contains("id=\"tile-sign-ins\""), "{dashboard}");
    let bad = console.get(&op, "/admin/audit?since=yesterday").await;
    assert_eq!(bad.status(), 400);
    let missing = console.get(&op, "/admin/users/nobody").await;
    assert_eq!(missing.status(), 404);
}

#[tokio::test]
async fn blocking_from_the_console_writes_the_event_the_api_writes() {
    let console = Console::new().await;
    console.person("op", true).await;
    console.person("alice", false).await;
    console.person("bob", false).await;
    let totp = console.enrol_totp("op").await;
    let op = browser();
    console.sign_in(&op, "op", Some(&totp)).await;

    let stale = console
        .post(&op, "/admin/users/alice/block", &[("csrf", "forged")])
        .await;
    assert_eq!(
        stale.status(),
        400,
        "a form without its token changes nothing"
    );
    let csrf = console.csrf(&op, "/admin/users/alice").await;
    let blocked = console
        .post(&op, "/admin/users/alice/block", &[("csrf", &csrf)])
        .await;
    assert_eq!(blocked.status(), 303);
    assert_eq!(location(&blocked), "/admin/users/alice?notice=blocked");
    let page = console.get(&op, "/admin/users/alice?notice=blocked").await;
    let html = page.text().await.expect("html");
    assert!(html.contains("id=\"unblock\""), "{html}");

    console.server.clock.advance(1);
    let token = console.api_token().await;
    let status = console
        .server
        .http
        .post(console.server.url("/api/v1/users/bob/block"))
        .bearer_auth(&token)
        .send()
        .await
        .expect("block")
        .status();
    assert_eq!(status, 200);

    let filter = AuditFilter {
        kind: Some(AuditKind::AccountBlocked),
        ..AuditFilter::default()
    };
    let mut events = console
        .server
        .store()
        .search_audit(&filter, None, 10)
        .await
        .expect("events");
    events.reverse();
    assert_eq!(events.len(), 2, "{events:?}");
    let (from_console, from_api) = (&events[0], &events[1]);
    assert_eq!(from_console.account_id.as_deref(), Some("alice"));
    assert_eq!(from_console.actor.as_deref(), Some("operator:op"));
    assert_eq!(from_api.account_id.as_deref(), Some("bob"));
    assert_eq!(from_api.actor.as_deref(), Some("client:ops"));
    assert_eq!(
        (
            from_console.kind,
            &from_console.client_id,
            &from_console.ip,
            &from_console.detail
        ),
        (
            from_api.kind,
            &from_api.client_id,
            &from_api.ip,
            &from_api.detail
        ),
        "the fronts write the same event"
    );

    let alice = browser();
    let csrf = console.csrf(&alice, "/account/login").await;
    let refused = console
        .post(
            &alice,
            "/account/login",
            &[
                ("csrf", &csrf),
                ("login", "alice-login"),
                ("password", PASSWORD),
            ],
        )
        .await;
    assert_eq!(refused.status(), 400, "a blocked user cannot sign in");

    console.server.clock.advance(30);
    let csrf = console.csrf(&op, "/admin/keys").await;
    let before = console
        .server
        .store()
        .list_keys()
        .await
        .expect("keys")
        .len();
    let rotated = console
        .post(&op, "/admin/keys/rotate", &[("csrf", &csrf)])
        .await;
    assert_eq!(location(&rotated), "/admin/keys?notice=rotated");
    let after = console
        .server
        .store()
        .list_keys()
        .await
        .expect("keys")
        .len();
    assert!(after > before, "rotation adds successors");
    let filter = AuditFilter {
        kind: Some(AuditKind::KeysRotated),
        ..AuditFilter::default()
    };
    let rotation = console
        .server
        .store()
        .search_audit(&filter, None, 10)
        .await
        .expect("events");
    assert_eq!(rotation[0].actor.as_deref(), Some("operator:op"));

    let csrf = console.csrf(&op, "/admin/users/bob").await;
    let unconfirmed = console
        .post(&op, "/admin/users/bob/delete", &[("csrf", &csrf)])
        .await;
    assert_eq!(
        unconfirmed.status(),
        400,
        "deletion asks for the confirmation"
    );
    let deleted = console
        .post(
            &op,
            "/admin/users/bob/delete",
            &[("csrf", &csrf), ("confirm", "yes")],
        )
        .await;
    assert_eq!(location(&deleted), "/admin/users?notice=deleted");
}

#[tokio::test]
async fn clients_products_and_issuers_change_through_the_layer() {
    let console = Console::new().await;
    console.person("op", true).await;
    let totp = console.enrol_totp("op").await;
    let op = browser();
    console.sign_in(&op, "op", Some(&totp)).await;
    let app = confidential("app", AuthMethod::ClientSecretBasic);
    console.server.add_client(app, Some("app-secret")).await;

    let page = "/admin/clients/app";
    let csrf = console.csrf(&op, page).await;
    let suspended = console
        .post(&op, "/admin/clients/app/suspend", &[("csrf", &csrf)])
        .await;
    assert_eq!(location(&suspended), "/admin/clients/app?notice=suspended");
    let client = console
        .server
        .store()
        .get_client("app")
        .await
        .expect("store");
    assert!(client.expect("client").suspended);
    let resumed = console
        .post(&op, "/admin/clients/app/resume", &[("csrf", &csrf)])
        .await;
    assert_eq!(location(&resumed), "/admin/clients/app?notice=resumed");

    let uris = "https://app.example/cb\nhttps://app.example/other";
    let saved = console
        .post(
            &op,
            "/admin/clients/app/redirect-uris",
            &[("csrf", &csrf), ("redirect_uris", uris)],
        )
        .await;
    assert_eq!(location(&saved), "/admin/clients/app?notice=saved");
    let client = console
        .server
        .store()
        .get_client("app")
        .await
        .expect("store");
    assert_eq!(client.expect("client").redirect_uris.len(), 2);
    let refused = console
        .post(
            &op,
            "/admin/clients/app/redirect-uris",
            &[
                ("csrf", &csrf),
                ("redirect_uris", "https://app.example/cb#frag"),
            ],
        )
        .await;
    assert_eq!(
        refused.status(),
        400,
        "the shared validator refuses a fragment"
    );

    let issued = console
        .post(
            &op,
            "/admin/clients/app/secrets",
            &[("csrf", &csrf), ("name", "ci"), ("days", "30")],
        )
        .await;
    assert_eq!(issued.status(), 200);
    assert!(
        issued
            .text()
            .await
            .expect("html")
            .contains("id=\"secret-value\"")
    );
    let revoked = console
        .post(
            &op,
            "/admin/clients/app/secrets/revoke",
            &[("csrf", &csrf), ("secret", "app-key")],
        )
        .await;
    assert_eq!(location(&revoked), "/admin/clients/app?notice=revoked");

    let created = console
        .post(
            &op,
            "/admin/products",
            &[
                ("csrf", &csrf),
                ("audience", "ledger"),
                ("name", "Ledger"),
                ("scopes", "ledger.read | Чтение | Read"),
                ("token_format", "jwt"),
            ],
        )
        .await;
    assert_eq!(created.status(), 200, "the introspection key is shown once");
    let rescoped = console
        .post(
            &op,
            "/admin/products/ledger",
            &[
                ("csrf", &csrf),
                ("scopes", "ledger.read\nledger.write | Запись | Write"),
            ],
        )
        .await;
    assert_eq!(location(&rescoped), "/admin/products/ledger?notice=saved");
    let product = console
        .server
        .store()
        .get_product("ledger")
        .await
        .expect("store");
    assert_eq!(product.expect("product").scopes.len(), 2);

    let bad = console
        .post(
            &op,
            "/admin/trusted-issuers",
            &[
                ("csrf", &csrf),
                ("issuer", "https://partner.example"),
                ("jwks", "{"),
                ("subject", "login"),
            ],
        )
        .await;
    assert_eq!(bad.status(), 400);
    let unknown = console
        .post(
            &op,
            "/admin/scope-requests/nope",
            &[("csrf", &csrf), ("decision", "approve")],
        )
        .await;
    assert_eq!(unknown.status(), 404);

    let filter = AuditFilter {
        account_id: None,
        client_id: Some("app".into()),
        ..AuditFilter::default()
    };
    let events = console
        .server
        .store()
        .search_audit(&filter, None, 20)
        .await
        .expect("events");
    let kinds: Vec<&str> = events.iter().map(|e| e.kind.as_str()).collect();
    for kind in [
        "client_suspended",
        "client_resumed",
        "client_updated",
        "client_secret_added",
        "client_secret_revoked",
    ] {
        assert!(kinds.contains(&kind), "{kind} in {kinds:?}");
    }
    assert!(
        events
            .iter()
            .all(|e| e.actor.as_deref() == Some("operator:op"))
    );
}

#[tokio::test]
async fn the_audit_log_pages_by_cursor_and_filters() {
    let console = Console::new().await;
    console.person("op", true).await;
    let totp = console.enrol_totp("op").await;
    let op = browser();
    console.sign_in(&op, "op", Some(&totp)).await;
    let start = console.server.now();
    for n in 0..60 {
        let event = propusk_core::model::AuditEvent {
            id: format!("e{n:03}"),
            at: start - 60 + n,
            kind: AuditKind::SignInFailed,
            account_id: Some("someone".into()),
            ip: Some("192.0.2.1".into()),
            detail: None,
            actor: None,
            client_id: None,
        };
        console
            .server
            .store()
            .record_audit(&event)
            .await
            .expect("event");
    }
    let rows = |html: &str| html.matches("class=\"event\"").count();
    let first = console
        .get(&op, "/admin/audit?kind=sign_in_failed&account_id=someone")
        .await
        .text()
        .await
        .expect("html");
    assert_eq!(rows(&first), 50);
    let next = first
        .split("id=\"next-page\"")
        .next()
        .and_then(|before| before.rsplit("href=\"").next())
        .map(|href| href.trim_end_matches(['"', ' ']).replace("&amp;", "&"))
        .expect("a next page");
    assert!(
        next.contains("kind=sign_in_failed") && next.contains("cursor="),
        "{next}"
    );
    let second = console.get(&op, &next).await.text().await.expect("html");
    assert_eq!(rows(&second), 10);
    assert!(!second.contains("id=\"next-page\""));
    let dashboard = console.get(&op, "/admin").await.text().await.expect("html");
    assert!(
        dashboard.contains("<span class=\"count\">60</span>"),
        "{dashboard}"
    );
}
