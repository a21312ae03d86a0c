//! Passkeys through the real router on a real socket, with a software authenticator:
//! enrolment in the cabinet, passwordless sign-in, a passkey as the second factor after a
//! password, and removal (after which the passkey signs nobody in). Refusals (a replayed
//! or tampered assertion, garbage instead of a credential) come back to the page with a
//! reason, never as a server error.

#[path = "common/mod.rs"]
mod common;

use common::{START, account};
use propusk_core::accounts::{AccountPolicy, Accounts};
use propusk_core::clock::ManualClock;
use propusk_core::crypto::{MasterKey, SystemRng, b64url, random_token};
use propusk_core::provider::{Provider, ProviderConfig};
use propusk_core::webauthn::soft::{SoftAuthenticator, SoftResponse};
use propusk_web::{AppState, WebConfig};
use std::sync::Arc;

const PASSWORD: &str = "correct horse battery";

struct Site {
    base: String,
    provider: Arc<Provider>,
}

async fn site() -> Site {
    let rng = Arc::new(SystemRng);
    let dir = std::env::temp_dir().join(format!("propusk-pk-{}", random_token(rng.as_ref(), 9)));
    std::fs::create_dir_all(&dir).expect("dir");
    let store = propusk_store::connect(&format!("sqlite://{}?mode=rwc", dir.join("db").display()))
        .await
        .expect("connect");
    store.migrate().await.expect("migrate");
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let base = format!("http://{}", listener.local_addr().expect("addr"));
    let provider = Provider::new(
        ProviderConfig::new(&base),
        Arc::new(store),
        MasterKey::generate(rng.as_ref()),
        Arc::new(ManualClock::new(START)),
        rng,
    );
    provider.init().await.expect("keys");
    let provider = Arc::new(provider);
    let accounts = Arc::new(Accounts::new(provider.clone(), AccountPolicy::default()));
    let router = propusk_web::router_with_accounts(
        AppState::new(provider.clone(), WebConfig::default()),
        accounts,
    );
    tokio::spawn(async move { axum::serve(listener, router).await });
    let mut alice = account("alice");
    alice.password_hash = Some(provider.hash_password(PASSWORD).await.expect("hash"));
    provider
        .store
        .create_account(&alice)
        .await
        .expect("account");
    Site { base, provider }
}

/// One browser: its own cookies.
struct Browser {
    base: String,
    http: reqwest::Client,
}

impl Site {
    fn browser(&self) -> Browser {
        Browser {
            base: self.base.clone(),
            http: reqwest::Client::builder()
                .redirect(reqwest::redirect::Policy::none())
                .cookie_store(true)
                .build()
                .expect("client"),
        }
    }

    fn authenticator(&self) -> SoftAuthenticator {
        SoftAuthenticator::new("127.0.0.1", &self.base)
    }
}

impl Browser {
    async fn get(&self, path: &str) -> reqwest::Response {
        self.http
            .get(format!("{}{path}", self.base))
            .send()
            .await
            .expect("get")
    }

    async fn post(&self, path: &str, form: &[(&str, &str)]) -> reqwest::Response {
        self.http
            .post(format!("{}{path}", self.base))
            .form(form)
            .send()
            .await
            .expect("post")
    }

    async fn html(&self, path: &str) -> String {
        let page = self.get(path).await;
        assert_eq!(page.status(), 200, "{path}");
        page.text().await.expect("html")
    }

    /// Password sign-in at `/account/login`; returns where it led.
    async fn password(&self) -> String {
        let html = self.html("/account/login").await;
        let csrf = csrf_of(&html, "/account/login");
        let response = self
            .post(
                "/account/login",
                &[
                    ("csrf", &csrf),
                    ("login", "alice-login"),
                    ("password", PASSWORD),
                ],
            )
            .await;
        assert_eq!(response.status(), 303);
        location(&response)
    }

    /// POSTs to an options endpoint with a CSRF token; the options as JSON.
    async fn options(&self, path: &str, csrf: &str) -> serde_json::Value {
        let response = self.post(path, &[("csrf", csrf)]).await;
        assert_eq!(response.status(), 200, "{path}");
        response.json().await.expect("json")
    }

    /// Enrols `key` in the cabinet (alice is signed in); returns where it led.
    async fn enrol(&self, key: &SoftAuthenticator, name: &str) -> String {
        let html = self.html("/account/passkeys").await;
        let csrf = csrf_of(&html, "/account/passkeys/add");
        let options = self.options("/account/passkeys/options", &csrf).await;
        assert_eq!(options["rp"]["id"], "127.0.0.1");
        assert_eq!(options["attestation"], "none");
        assert_eq!(options["authenticatorSelection"]["residentKey"], "required");
        let response = key.register(options["challenge"].as_str().expect("challenge"));
        let sent = self
            .post(
                "/account/passkeys/add",
                &[
                    ("csrf", &csrf),
                    ("name", name),
                    ("credential", &registration_json(&response)),
                ],
            )
            .await;
        assert_eq!(sent.status(), 303);
        location(&sent)
    }

    /// A passwordless sign-in with `key`: the options, then the assertion `tamper`ed
    /// with; returns the assertion sent and where it led.
    async fn passkey_sign_in(
        &self,
        key: &mut SoftAuthenticator,
        handle: &str,
        tamper: impl FnOnce(&mut SoftResponse),
    ) -> (String, String) {
        let html = self.html("/account/login").await;
        assert!(
            html.contains("autocomplete=\"username webauthn\""),
            "{html}"
        );
        let csrf = csrf_of(&html, "/account/passkey");
        let options = self.options("/account/passkey/options", &csrf).await;
        assert_eq!(options["allowCredentials"], serde_json::json!([]));
        let challenge = options["challenge"].as_str().expect("challenge");
        let mut response = key.assert(challenge, Some(decode(handle)));
        tamper(&mut response);
        let credential = assertion_json(&response);
        let led = self.send_assertion(&csrf, &credential).await;
        (credential, led)
    }

    async fn send_assertion(&self, csrf: &str, credential: &str) -> String {
        let sent = self
            .post(
                "/account/passkey",
                &[("csrf", csrf), ("credential", credential)],
            )
            .await;
        assert_eq!(sent.status(), 303);
        location(&sent)
    }
}

fn decode(text: &str) -> Vec<u8> {
    propusk_core::crypto::b64url_decode(text).expect("base64url")
}

fn registration_json(r: &SoftResponse) -> String {
    serde_json::json!({
        "id": r.id,
        "rawId": r.id,
        "type": "public-key",
        "response": {
            "clientDataJSON": b64url(&r.client_data_json),
            "attestationObject": b64url(&r.data),
            "transports": ["internal"],
        },
    })
    .to_string()
}

fn assertion_json(r: &SoftResponse) -> String {
    serde_json::json!({
        "id": r.id,
        "rawId": r.id,
        "type": "public-key",
        "authenticatorAttachment": "platform",
        "response": {
            "clientDataJSON": b64url(&r.client_data_json),
            "authenticatorData": b64url(&r.data),
            "signature": b64url(&r.signature),
            "userHandle": r.user_handle.as_deref().map(b64url),
        },
    })
    .to_string()
}

fn location(response: &reqwest::Response) -> String {
    response.headers()["location"]
        .to_str()
        .expect("location")
        .to_owned()
}

/// The CSRF token of the form whose action starts with `action`.
fn csrf_of(html: &str, action: &str) -> String {
    let form = html
        .split("<form")
        .find(|f| f.contains(&format!("action=\"{action}")))
        .unwrap_or_else(|| panic!("a form to {action} in {html}"));
    let mark = r#"name="csrf" value=""#;
    let start = form.find(mark).expect("csrf field") + mark.len();
    form[start..].split('"').next().expect("value").to_owned()
}

/// The account's passkeys' user handle.
async fn handle(site: &Site) -> String {
    let passkeys = site
        .provider
        .store
        .account_passkeys("alice")
        .await
        .expect("store");
    passkeys.first().expect("a passkey").user_handle.clone()
}

#[tokio::test]
async fn a_passkey_is_enrolled_signs_in_confirms_a_password_and_once_removed_signs_nobody_in() {
    let site = site().await;
    let mut key = site.authenticator();

    // Enrolment in the cabinet, right after a password sign-in.
    let owner = site.browser();
    assert_eq!(owner.password().await, "/account");
    assert!(
        owner
            .html("/account/passkeys")
            .await
            .contains("id=\"no-passkeys\"")
    );
    assert_eq!(
        owner.enrol(&key, "Laptop <1>").await,
        "/account/passkeys?notice=added"
    );
    let page = owner.html("/account/passkeys").await;
    assert!(page.contains("Laptop &lt;1&gt;"), "{page}");
    let handle = handle(&site).await;
    assert_ne!(decode(&handle), b"alice".to_vec());

    // The same authenticator again is refused: the options exclude it, and its id is taken.
    let again = owner.enrol(&key, "Again").await;
    assert_eq!(again, "/account/passkeys?e=refused");

    // Passwordless sign-in in another browser: UV makes it multi-factor, no prompt.
    let other = site.browser();
    let (used, led) = other.passkey_sign_in(&mut key, &handle, |_| {}).await;
    assert_eq!(led, "/account");
    assert_eq!(other.get("/account").await.status(), 200);
    let sessions = site
        .provider
        .store
        .list_sessions("alice")
        .await
        .expect("sessions");
    let last = sessions
        .iter()
        .find(|s| s.amr.iter().any(|a| a == "hwk"))
        .expect("the passkey's session");
    assert!(
        ["hwk", "pin", "mfa"]
            .iter()
            .all(|m| last.amr.iter().any(|a| a == m)),
        "{:?}",
        last.amr
    );
    let stored = site
        .provider
        .store
        .account_passkeys("alice")
        .await
        .expect("store");
    assert_eq!(stored[0].sign_count, 1);
    assert!(stored[0].last_used_at.is_some());

    // A replayed assertion finds its challenge used up.
    let third = site.browser();
    let csrf = csrf_of(&third.html("/account/login").await, "/account/passkey");
    assert_eq!(
        third.send_assertion(&csrf, &used).await,
        "/account/login?passkey_error=expired"
    );
    // A tampered signature, or garbage, is refused with a reason.
    let (_, led) = third
        .passkey_sign_in(&mut key, &handle, |r| {
            let last = r.signature.len() - 1;
            r.signature[last] ^= 1;
        })
        .await;
    assert_eq!(led, "/account/login?passkey_error=refused");
    for garbage in ["", "not json", "{\"id\":1}", &"[".repeat(100_000)] {
        assert_eq!(
            third.send_assertion(&csrf, garbage).await,
            "/account/login?passkey_error=refused",
            "{garbage:.20}"
        );
    }

    // A password sign-in now asks for the passkey as the second factor.
    let fourth = site.browser();
    let step = fourth.password().await;
    assert!(step.starts_with("/account/factor/"), "{step}");
    let page = fourth.html(&format!("{step}?method=passkey")).await;
    let id = step.trim_start_matches("/account/factor/");
    let action = format!("/account/factor/{id}/passkey");
    let csrf = csrf_of(&page, &action);
    let options = fourth.options(&format!("{action}/options"), &csrf).await;
    assert_eq!(
        options["allowCredentials"][0]["id"],
        key.credential_id_text()
    );
    let response = key.assert(options["challenge"].as_str().expect("challenge"), None);
    let sent = fourth
        .post(
            &action,
            &[("csrf", &csrf), ("credential", &assertion_json(&response))],
        )
        .await;
    assert_eq!(location(&sent), "/account");
    assert_eq!(fourth.get("/account").await.status(), 200);

    // Removal in the cabinet; the passkey then signs nobody in, and a password is enough.
    let page = owner.html("/account/passkeys").await;
    let csrf = csrf_of(&page, "/account/passkeys/remove");
    let removed = owner
        .post(
            "/account/passkeys/remove",
            &[("csrf", &csrf), ("id", &key.credential_id_text())],
        )
        .await;
    assert_eq!(location(&removed), "/account/passkeys?notice=removed");
    assert!(
        owner
            .html("/account/passkeys")
            .await
            .contains("id=\"no-passkeys\"")
    );
    let fifth = site.browser();
    let (_, led) = fifth.passkey_sign_in(&mut key, &handle, |_| {}).await;
    assert_eq!(led, "/account/login?passkey_error=refused");
    assert_eq!(fifth.password().await, "/account");
}
