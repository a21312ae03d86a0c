//! Binding a certificate in the personal cabinet by proof of possession, through the real
//! router on a real socket: the owner hands in a certificate, decrypts the value
//! encrypted to its key (with `openssl cms -decrypt`, as the holder would) or signs the
//! value to sign (`openssl cms -sign`), and only then is it bound; a wrong value, a used
//! or expired challenge, a stale form, a stale sign-in and a certificate bound to someone
//! else are refused, each with its own answer, and none binds anything.

#[path = "common/mod.rs"]
mod common;

use base64::Engine;
use common::{START, account};
use propusk_certs::test_pki::{KeyKind, Leaf, TestCa, TestCert};
use propusk_core::accounts::{AccountPolicy, Accounts};
use propusk_core::clock::ManualClock;
use propusk_core::crypto::{MasterKey, SystemRng, random_token};
use propusk_core::provider::{Provider, ProviderConfig};
use propusk_web::{AppState, WebConfig};
use std::sync::Arc;

const PASSWORD: &str = "correct horse battery";
const INN: &str = "500100732259";
const SNILS: &str = "11223344595";

struct Site {
    base: String,
    provider: Arc<Provider>,
    clock: Arc<ManualClock>,
    http: reqwest::Client,
    root: TestCa,
}

fn b64(bytes: &[u8]) -> String {
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

fn wall_clock() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .expect("after 1970")
        .as_secs() as i64
}

/// A provider trusting one test root, with alice (password) signed in.
async fn site() -> Site {
    let rng = Arc::new(SystemRng);
    let dir = std::env::temp_dir().join(format!("propusk-bind-{}", random_token(rng.as_ref(), 9)));
    std::fs::create_dir_all(&dir).expect("dir");
    let store = propusk_store::connect(&format!("sqlite://{}?mode=rwc", dir.join("db").display()))
        .await
        .expect("connect");
    store.migrate().await.expect("migrate");
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let base = format!("http://{}", listener.local_addr().expect("addr"));
    let clock = Arc::new(ManualClock::new(START));
    clock.set(wall_clock());
    let provider = Provider::new(
        ProviderConfig::new(&base),
        Arc::new(store),
        MasterKey::generate(rng.as_ref()),
        clock.clone(),
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
    for id in ["alice", "bob"] {
        let mut person = account(id);
        if id == "bob" {
            person.phone = None;
        }
        person.password_hash = Some(provider.hash_password(PASSWORD).await.expect("hash"));
        provider
            .store
            .create_account(&person)
            .await
            .expect("account");
    }
    let root = TestCa::root("Binding Root");
    common::trust(&provider, &[&root.pem]);
    let http = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .cookie_store(true)
        .build()
        .expect("client");
    let site = Site {
        base,
        provider,
        clock,
        http,
        root,
    };
    site.sign_in().await;
    site
}

/// What the challenge page offers.
struct Challenge {
    status: u16,
    html: String,
    id: String,
    csrf: String,
    certificate: String,
    envelope: Option<Vec<u8>>,
    to_sign: Vec<u8>,
}

fn between<'a>(html: &'a str, start: &str, end: &str) -> Option<&'a str> {
    let from = html.find(start)? + start.len();
    html[from..].split(end).next()
}

impl Challenge {
    fn of(status: u16, html: String) -> Self {
        let field = |name: &str| {
            between(&html, &format!(r#"name="{name}" value=""#), "\"")
                .unwrap_or_else(|| panic!("{name} in {html}"))
                .to_owned()
        };
        let decode = |text: &str| {
            base64::engine::general_purpose::STANDARD
                .decode(text.trim())
                .expect("base64")
        };
        let envelope =
            between(&html, r#"<textarea id="envelope" readonly rows="4">"#, "<").map(&decode);
        let to_sign = decode(
            between(&html, r#"<textarea id="to-sign" readonly rows="2">"#, "<").expect("to sign"),
        );
        Self {
            status,
            id: field("challenge"),
            csrf: field("csrf"),
            certificate: field("certificate"),
            envelope,
            to_sign,
            html,
        }
    }
}

impl Site {
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

    async fn csrf(&self, path: &str) -> String {
        let html = self.get(path).await.text().await.expect("html");
        between(&html, r#"name="csrf" value=""#, "\"")
            .expect("csrf")
            .to_owned()
    }

    async fn sign_in(&self) {
        let csrf = self.csrf("/account/login").await;
        let answer = self
            .post(
                "/account/login",
                &[
                    ("csrf", &csrf),
                    ("login", "alice-login"),
                    ("password", PASSWORD),
                ],
            )
            .await;
        assert_eq!(answer.status(), 303);
    }

    fn leaf(&self, kind: KeyKind) -> TestCert {
        self.root
            .issue(Leaf::new(kind, "Alice Example").with_ids(INN, SNILS))
    }

    /// Hands `certificate` in on the certificates page.
    async fn add(&self, certificate: &str) -> reqwest::Response {
        let csrf = self.csrf("/account/certificates?lang=en").await;
        self.post(
            "/account/certificates/add?lang=en",
            &[("csrf", &csrf), ("certificate", certificate)],
        )
        .await
    }

    async fn challenge(&self, certificate: &str) -> Challenge {
        let answer = self.add(certificate).await;
        let status = answer.status().as_u16();
        Challenge::of(status, answer.text().await.expect("html"))
    }

    async fn prove(&self, challenge: &Challenge, answer: (&str, &str)) -> reqwest::Response {
        self.post(
            "/account/certificates/prove?lang=en",
            &[
                ("csrf", &challenge.csrf),
                ("challenge", &challenge.id),
                ("certificate", &challenge.certificate),
                answer,
            ],
        )
        .await
    }

    async fn bound_to(&self, cert: &TestCert) -> Option<String> {
        let thumbprint = propusk_certs::sha1_hex(&cert.der);
        self.provider
            .store
            .find_certificate(&thumbprint)
            .await
            .expect("store")
            .map(|binding| binding.account_id)
    }

    async fn history_kinds(&self) -> Vec<String> {
        let page = self
            .provider
            .store
            .list_audit(Some("alice"), 50)
            .await
            .expect("history");
        page.iter().map(|e| e.kind.as_str().to_owned()).collect()
    }
}

fn location(response: &reqwest::Response) -> String {
    response.headers()["location"]
        .to_str()
        .expect("location")
        .to_owned()
}

#[tokio::test]
async fn the_decrypted_value_binds_the_certificate() {
    let site = site().await;
    let cert = site.leaf(KeyKind::Rsa);
    let empty = site.get("/account/certificates?lang=en").await;
    let html = empty.text().await.expect("html");
    assert!(html.contains(r#"id="no-certificates""#), "{html}");
    assert!(html.contains(r#"name="certificate""#), "{html}");

    let challenge = site.challenge(&cert.pem).await;
    assert_eq!(challenge.status, 200, "{}", challenge.html);
    assert!(challenge.html.contains(INN) && challenge.html.contains(SNILS));
    let envelope = challenge.envelope.as_deref().expect("an RSA key gets one");
    let value = cert
        .decrypt_with_openssl(envelope)
        .expect("openssl decrypts");
    assert_eq!(site.bound_to(&cert).await, None);

    let done = site.prove(&challenge, ("decrypted", &b64(&value))).await;
    assert_eq!(done.status(), 303);
    assert_eq!(
        location(&done),
        "/account/certificates?lang=en&notice=bound"
    );
    assert_eq!(site.bound_to(&cert).await.as_deref(), Some("alice"));
    let list = site.get(&location(&done)).await.text().await.expect("html");
    assert!(list.contains("is bound to your account"), "{list}");
    assert!(
        list.contains(&format!(r#"<dd class="inn">{INN}</dd>"#)),
        "{list}"
    );
    assert!(
        list.contains(&format!(r#"<dd class="snils">{SNILS}</dd>"#)),
        "{list}"
    );
    assert!(
        site.history_kinds()
            .await
            .contains(&"certificate_bound".to_owned())
    );

    let again = site.prove(&challenge, ("decrypted", &b64(&value))).await;
    assert_eq!(again.status(), 400);
    let html = again.text().await.expect("html");
    assert!(html.contains("cannot be bound"), "{html}");
}

#[tokio::test]
async fn a_signature_over_the_value_binds_the_certificate() {
    let site = site().await;
    let cert = site.leaf(KeyKind::P256);
    let challenge = site.challenge(&b64(&cert.der)).await;
    assert_eq!(challenge.status, 200, "{}", challenge.html);
    let signature = cert
        .sign_with_openssl(&challenge.to_sign)
        .expect("openssl signs");
    let done = site
        .prove(&challenge, ("signature", &b64(&signature)))
        .await;
    assert_eq!(done.status(), 303);
    assert_eq!(site.bound_to(&cert).await.as_deref(), Some("alice"));
}

#[tokio::test]
async fn a_wrong_answer_binds_nothing_and_a_challenge_works_once() {
    let site = site().await;
    let cert = site.leaf(KeyKind::Rsa);
    let challenge = site.challenge(&cert.pem).await;
    let wrong = site
        .prove(&challenge, ("decrypted", &b64(&[7u8; 32])))
        .await;
    assert_eq!(wrong.status(), 400);
    let retry = Challenge::of(400, wrong.text().await.expect("html"));
    assert!(
        retry.html.contains("not the decrypted value"),
        "{}",
        retry.html
    );
    assert_ne!(retry.id, challenge.id);

    let envelope = challenge.envelope.as_deref().expect("envelope");
    let value = cert
        .decrypt_with_openssl(envelope)
        .expect("openssl decrypts");
    let reused = site.prove(&challenge, ("decrypted", &b64(&value))).await;
    let html = reused.text().await.expect("html");
    assert!(html.contains("expired or were used already"), "{html}");

    let blank = site.prove(&retry, ("signature", " ")).await;
    assert_eq!(blank.status(), 400);
    let blank = Challenge::of(400, blank.text().await.expect("html"));
    assert!(blank.html.contains("Paste the signature"), "{}", blank.html);
    assert_ne!(blank.id, retry.id, "a new challenge each time");
    let retry = blank;

    let other = site.leaf(KeyKind::P256);
    let signed_by_other = other
        .sign_with_openssl(&retry.to_sign)
        .expect("openssl signs");
    let forged = site
        .prove(&retry, ("signature", &b64(&signed_by_other)))
        .await;
    let html = forged.text().await.expect("html");
    assert!(html.contains("The signature does not verify"), "{html}");
    assert_eq!(site.bound_to(&cert).await, None);
}

#[tokio::test]
async fn an_expired_challenge_binds_nothing() {
    let site = site().await;
    let cert = site.leaf(KeyKind::Rsa);
    let challenge = site.challenge(&cert.pem).await;
    let envelope = challenge.envelope.as_deref().expect("envelope");
    let value = cert
        .decrypt_with_openssl(envelope)
        .expect("openssl decrypts");
    site.clock.advance(601);
    // The sign-in proof is stale by now too: prove it again, then answer.
    let csrf = site
        .csrf("/account/reauth?next=%2Faccount%2Fcertificates")
        .await;
    let proved = site
        .post(
            "/account/reauth",
            &[
                ("csrf", &csrf),
                ("next", "/account/certificates"),
                ("password", PASSWORD),
            ],
        )
        .await;
    assert_eq!(proved.status(), 303);
    let late = site.prove(&challenge, ("decrypted", &b64(&value))).await;
    let html = late.text().await.expect("html");
    assert!(html.contains("expired or were used already"), "{html}");
    assert_eq!(site.bound_to(&cert).await, None);
}

#[tokio::test]
async fn a_stale_form_or_sign_in_goes_through_reauthentication() {
    let site = site().await;
    let cert = site.leaf(KeyKind::Rsa);
    let stale_form = site
        .post(
            "/account/certificates/add?lang=en",
            &[("csrf", "not-the-token"), ("certificate", &cert.pem)],
        )
        .await;
    assert_eq!(stale_form.status(), 303);
    let to = location(&stale_form);
    assert!(
        to.starts_with("/account/reauth") && to.ends_with("e=expired"),
        "{to}"
    );

    let challenge = site.challenge(&cert.pem).await;
    let envelope = challenge.envelope.as_deref().expect("envelope");
    let value = cert
        .decrypt_with_openssl(envelope)
        .expect("openssl decrypts");
    let mut tampered = Challenge::of(200, challenge.html.clone());
    tampered.csrf = "not-the-token".into();
    let refused = site.prove(&tampered, ("decrypted", &b64(&value))).await;
    assert_eq!(refused.status(), 303);
    assert!(location(&refused).ends_with("e=expired"));
    assert_eq!(site.bound_to(&cert).await, None);

    let csrf = site.csrf("/account/certificates?lang=en").await;
    site.clock
        .advance(AccountPolicy::default().reauth_window + 1);
    let page = site.get("/account/certificates?lang=en").await;
    let html = page.text().await.expect("html");
    assert!(html.contains(r#"id="reauth-link""#), "{html}");
    assert!(!html.contains(r#"name="certificate""#), "{html}");
    let late = site
        .post(
            "/account/certificates/add?lang=en",
            &[("csrf", &csrf), ("certificate", &cert.pem)],
        )
        .await;
    assert_eq!(late.status(), 303);
    assert!(location(&late).starts_with("/account/reauth"));
}

#[tokio::test]
async fn a_certificate_bound_to_someone_else_cannot_be_bound() {
    let site = site().await;
    let cert = site.leaf(KeyKind::Rsa);
    let parsed = propusk_certs::Certificate::from_der(&cert.der).expect("parses");
    site.provider
        .bind_certificate("bob", &parsed)
        .await
        .expect("bound to bob");
    let answer = site.add(&cert.pem).await;
    assert_eq!(answer.status(), 400);
    let html = answer.text().await.expect("html");
    assert!(html.contains("This certificate cannot be bound"), "{html}");
    assert!(!html.contains("bob"), "{html}");

    let untrusted = TestCa::root("Elsewhere").issue(Leaf::new(KeyKind::Rsa, "Alice"));
    let answer = site.add(&untrusted.pem).await;
    assert_eq!(answer.status(), 400);
    let html = answer.text().await.expect("html");
    assert!(
        html.contains("not issued by a certification authority"),
        "{html}"
    );
    let garbage = site.add("not a certificate").await;
    assert_eq!(garbage.status(), 400);
    let html = garbage.text().await.expect("html");
    assert!(html.contains("could not be read"), "{html}");
}
