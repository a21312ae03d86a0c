//! Account pages through the real router on a real socket: the same answer and the same
//! time for known and unknown logins, throttling of bad passwords, and phone + SMS code
//! sign-in that finishes the authorization request, and the device page asking for the
//! second factor like every other sign-in; the signed-challenge page (sign-in with an
//! e-signature) finishing the request, and refusing what does not sign in.

#[path = "common/mod.rs"]
mod common;

use common::{REDIRECT_URI, START, VERIFIER, account, pkce_challenge, public};
use propusk_core::accounts::{AccountPolicy, Accounts, ThrottlePolicy, ThrottleRule};
use propusk_core::clock::ManualClock;
use propusk_core::crypto::{MasterKey, SystemRng, random_token};
use propusk_core::provider::{Provider, ProviderConfig};
use propusk_web::{AppState, WebConfig};
use std::sync::Arc;
use std::time::Instant;

struct Site {
    base: String,
    clock: Arc<ManualClock>,
    provider: Arc<Provider>,
    accounts: Arc<Accounts>,
    http: reqwest::Client,
}

async fn site(policy: AccountPolicy) -> Site {
    let rng = Arc::new(SystemRng);
    let dir =
        std::env::temp_dir().join(format!("propusk-web-acc-{}", random_token(rng.as_ref(), 9)));
    std::fs::create_dir_all(&dir).expect("dir");
    let store = propusk_store::connect(&format!("sqlite://{}?mode=rwc", dir.join("db").display()))
        .await
        .expect("connect");
    store.migrate().await.expect("migrate");
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let base = format!("http://{}", listener.local_addr().expect("addr"));
    let clock_handle = Arc::new(ManualClock::new(START));
    let provider = Provider::new(
        ProviderConfig::new(&base),
        Arc::new(store),
        MasterKey::generate(rng.as_ref()),
        clock_handle.clone(),
        rng,
    );
    provider.init().await.expect("keys");
    let provider = Arc::new(provider);
    let clock = clock_handle;
    let accounts = Arc::new(Accounts::new(provider.clone(), policy));
    let router = propusk_web::router_with_accounts(
        AppState::new(
            provider.clone(),
            WebConfig {
                dev_mode: true,
                ..WebConfig::default()
            },
        ),
        accounts.clone(),
    );
    tokio::spawn(async move { axum::serve(listener, router).await });
    let http = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .cookie_store(true)
        .build()
        .expect("client");
    provider
        .store
        .create_client(&public("app"))
        .await
        .expect("client");
    let mut alice = account("alice");
    alice.password_hash = Some(
        provider
            .hash_password("correct horse battery")
            .await
            .expect("hash"),
    );
    alice.profile.phone_number_verified = true;
    provider
        .store
        .create_account(&alice)
        .await
        .expect("account");
    Site {
        base,
        clock,
        provider,
        accounts,
        http,
    }
}

impl Site {
    /// Starts an authorization request; returns the interaction path and its CSRF token.
    async fn interaction(&self) -> (String, String) {
        let challenge = pkce_challenge(VERIFIER);
        let response = self
            .http
            .get(format!("{}/connect/authorize", self.base))
            .query(&[
                ("client_id", "app"),
                ("response_type", "code"),
                ("redirect_uri", REDIRECT_URI),
                ("scope", "openid"),
                ("state", "s1"),
                ("code_challenge", &challenge),
                ("code_challenge_method", "S256"),
            ])
            .send()
            .await
            .expect("authorize");
        assert_eq!(response.status(), 303);
        let path = location(&response);
        let page = self
            .http
            .get(format!("{}{path}", self.base))
            .send()
            .await
            .expect("page");
        let csrf = csrf_of(&page.text().await.expect("html"));
        (path, csrf)
    }

    async fn post(&self, path: &str, form: &[(&str, &str)]) -> reqwest::Response {
        self.http
            .post(format!("{}{path}", self.base))
            .form(form)
            .send()
            .await
            .expect("post")
    }
}

fn location(response: &reqwest::Response) -> String {
    response.headers()["location"]
        .to_str()
        .expect("location")
        .to_owned()
}

fn csrf_of(html: &str) -> String {
    let start =
        html.find(r#"name="csrf" value=""#).expect("csrf field") + r#"name="csrf" value=""#.len();
    html[start..].split('"').next().expect("value").to_owned()
}

fn permissive() -> AccountPolicy {
    let rule = ThrottleRule {
        free: 10_000,
        lock_after: 20_000,
        lockout: 1,
        max_delay: 1,
        window: 3600,
    };
    AccountPolicy {
        throttle: ThrottlePolicy {
            account: rule,
            ip: rule,
            ..ThrottlePolicy::default()
        },
        ..AccountPolicy::default()
    }
}

/// The median of signed differences, in microseconds.
fn median_micros(mut v: Vec<i128>) -> i128 {
    v.sort_unstable();
    v[v.len() / 2]
}

/// Known and unknown logins are timed in pairs, back to back and in alternating order, and
/// the test looks at the median of each pair's difference: a pair shares the background
/// load of its moment, which two separate medians did not (they drifted apart by more than
/// the bound when other work ran on the machine).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn known_and_unknown_logins_answer_alike_in_the_same_time() {
    let site = site(permissive()).await;
    let (path, csrf) = site.interaction().await;
    let login_path = format!("{path}/login");
    let attempt = |login: &'static str| {
        let (site, login_path, csrf) = (&site, &login_path, &csrf);
        async move {
            let started = Instant::now();
            let response = site
                .post(
                    login_path,
                    &[
                        ("csrf", csrf),
                        ("login", login),
                        ("password", "wrong password"),
                    ],
                )
                .await;
            let elapsed = started.elapsed();
            let status = response.status();
            let body = response.text().await.expect("body").replace(login, "LOGIN");
            (elapsed, status, body)
        }
    };
    let (known, unknown) = (attempt("alice-login").await, attempt("nobody-login").await);
    assert_eq!(
        (known.1, known.2),
        (unknown.1, unknown.2),
        "same status and page"
    );
    let mut differences = Vec::new();
    for round in 0..25 {
        let (k, u) = if round % 2 == 0 {
            let k = attempt("alice-login").await.0;
            (k, attempt("nobody-login").await.0)
        } else {
            let u = attempt("nobody-login").await.0;
            (attempt("alice-login").await.0, u)
        };
        differences.push(k.as_micros() as i128 - u.as_micros() as i128);
    }
    let difference = median_micros(differences);
    eprintln!("median of known - unknown: {difference} µs");
    assert!(
        difference.abs() < 5_000,
        "known and unknown logins differ by {difference} µs"
    );
}

#[tokio::test]
async fn bad_passwords_are_throttled_over_http() {
    let site = site(AccountPolicy::default()).await;
    let (path, csrf) = site.interaction().await;
    for login in ["alice-login", "nobody-login"] {
        let mut pages = Vec::new();
        for _ in 0..4 {
            let response = site
                .post(
                    &format!("{path}/login"),
                    &[
                        ("csrf", &csrf),
                        ("login", login),
                        ("password", "wrong password"),
                    ],
                )
                .await;
            pages.push(response.text().await.expect("body"));
        }
        assert!(
            pages[..3]
                .iter()
                .all(|p| p.contains("Неверный логин или пароль")),
            "{login}"
        );
        assert!(
            pages[3].contains("Слишком много попыток"),
            "{login}: {}",
            pages[3]
        );
    }
}

#[tokio::test]
async fn phone_and_sms_code_sign_in_finishes_the_request() {
    let site = site(AccountPolicy::default()).await;
    let (path, _) = site.interaction().await;
    let form = site
        .http
        .get(format!("{}{path}?method=code&lang=en", site.base))
        .send()
        .await
        .expect("form");
    let html = form.text().await.expect("html");
    assert!(
        html.contains("Phone number") && html.contains(r#"type="tel""#),
        "{html}"
    );
    let csrf = csrf_of(&html);
    let sent = site
        .post(
            &format!("{path}/code?lang=en"),
            &[("csrf", &csrf), ("phone", "8 999 000-00-00")],
        )
        .await;
    assert_eq!(sent.status(), 303);
    let code_page = location(&sent);
    assert!(code_page.starts_with("/account/code/"), "{code_page}");
    let outbox = site
        .http
        .get(format!("{}/dev/outbox", site.base))
        .send()
        .await
        .expect("outbox");
    let outbox = outbox.text().await.expect("html");
    let code = outbox
        .split(|c: char| !c.is_ascii_digit())
        .find(|w| w.len() == 6)
        .expect("a code")
        .to_owned();
    let page = site
        .http
        .get(format!("{}{code_page}", site.base))
        .send()
        .await
        .expect("code page");
    let csrf = csrf_of(&page.text().await.expect("html"));
    let done = site
        .post(&code_page, &[("csrf", &csrf), ("code", &code)])
        .await;
    assert_eq!(done.status(), 303);
    assert!(location(&done).starts_with(&path), "{}", location(&done));
    let answer = site
        .http
        .get(format!("{}{}", site.base, location(&done)))
        .send()
        .await
        .expect("resume");
    assert_eq!(answer.status(), 303);
    let to_client = location(&answer);
    assert!(
        to_client.starts_with(REDIRECT_URI) && to_client.contains("code="),
        "{to_client}"
    );
    let sessions = site
        .provider
        .store
        .list_sessions("alice")
        .await
        .expect("sessions");
    assert_eq!(sessions[0].amr, vec!["sms"]);
}

#[tokio::test]
async fn device_page_sign_in_requires_the_second_factor() {
    let site = site(permissive()).await;
    let alice = site
        .provider
        .store
        .get_account("alice")
        .await
        .expect("store")
        .expect("alice");
    site.accounts
        .enable_sms_factor(&alice, "127.0.0.1")
        .await
        .expect("sms factor on");
    let page = site
        .http
        .get(format!("{}/device", site.base))
        .send()
        .await
        .expect("device page");
    let csrf = csrf_of(&page.text().await.expect("html"));
    let response = site
        .post(
            "/device/login",
            &[
                ("csrf", csrf.as_str()),
                ("user_code", ""),
                ("login", "alice-login"),
                ("password", "correct horse battery"),
            ],
        )
        .await;
    assert_eq!(response.status(), 303);
    assert!(
        response
            .headers()
            .get("set-cookie")
            .is_none_or(|c| !c.to_str().unwrap_or("").starts_with("propusk_session=")),
        "no session before the second factor"
    );
    let next = location(&response);
    assert!(
        !next.starts_with("/device"),
        "sent on to the second factor, not back: {next}"
    );
    // The page the browser lands on still has no session: /device asks to sign in again.
    let again = site
        .http
        .get(format!("{}/device", site.base))
        .send()
        .await
        .expect("device page");
    assert!(
        again
            .text()
            .await
            .expect("html")
            .contains(r#"name="password""#)
    );
}

/// The value, challenge id and CSRF token of the signed-challenge page at `path`.
async fn signature_page(site: &Site, path: &str) -> (Vec<u8>, String, String) {
    let page = site
        .http
        .get(format!("{}{path}/signature?lang=en", site.base))
        .send()
        .await
        .expect("signature page");
    assert_eq!(page.status(), 200);
    let html = page.text().await.expect("html");
    assert!(html.contains("Sign in with an e-signature"), "{html}");
    let marker = r#"<textarea id="value" readonly rows="2">"#;
    let start = html.find(marker).expect("value") + marker.len();
    let value = html[start..]
        .split('<')
        .next()
        .expect("value")
        .trim()
        .to_owned();
    let marker = r#"name="challenge" value=""#;
    let start = html.find(marker).expect("challenge") + marker.len();
    let challenge = html[start..].split('"').next().expect("id").to_owned();
    use base64::Engine;
    let raw = base64::engine::general_purpose::STANDARD
        .decode(&value)
        .expect("base64 value");
    assert!(html.contains(&format!("data:application/octet-stream;base64,{value}")));
    (raw, challenge, csrf_of(&html))
}

async fn post_signature(
    site: &Site,
    path: &str,
    challenge: &str,
    csrf: &str,
    signature: &[u8],
) -> reqwest::Response {
    use base64::Engine;
    let signature = base64::engine::general_purpose::STANDARD.encode(signature);
    site.post(
        &format!("{path}/signature?lang=en"),
        &[
            ("csrf", csrf),
            ("challenge", challenge),
            ("signature", &signature),
        ],
    )
    .await
}

/// Signs in on the signed-challenge page with `sign` (the holder's `openssl cms -sign`)
/// after the refusals: a signature over another value, a certificate bound to nobody
/// (`stranger`), a used value.
async fn signature_sign_in(
    site: &Site,
    sign: &dyn Fn(&[u8]) -> Vec<u8>,
    stranger: &dyn Fn(&[u8]) -> Vec<u8>,
) {
    let (path, _) = site.interaction().await;
    let login = site
        .http
        .get(format!("{}{path}?lang=en", site.base))
        .send()
        .await
        .expect("login page");
    let login = login.text().await.expect("html");
    assert!(login.contains(&format!("{path}/signature")), "{login}");

    let (raw, challenge, csrf) = signature_page(site, &path).await;
    let wrong = post_signature(site, &path, &challenge, &csrf, &sign(b"another value")).await;
    assert_eq!(wrong.status(), 400);
    let html = wrong.text().await.expect("html");
    assert!(html.contains("The signature does not verify"), "{html}");
    let again = post_signature(site, &path, &challenge, &csrf, &sign(&raw)).await;
    let html = again.text().await.expect("html");
    assert!(html.contains("has expired or was used already"), "{html}");

    let (raw, challenge, csrf) = signature_page(site, &path).await;
    let unbound = post_signature(site, &path, &challenge, &csrf, &stranger(&raw)).await;
    let html = unbound.text().await.expect("html");
    assert!(html.contains("not bound to any account"), "{html}");

    let (raw, challenge, csrf) = signature_page(site, &path).await;
    let done = post_signature(site, &path, &challenge, &csrf, &sign(&raw)).await;
    assert_eq!(done.status(), 303);
    assert!(location(&done).starts_with(&path), "{}", location(&done));
    let answer = site
        .http
        .get(format!("{}{}", site.base, location(&done)))
        .send()
        .await
        .expect("resume");
    assert_eq!(answer.status(), 303);
    let to_client = location(&answer);
    assert!(
        to_client.starts_with(REDIRECT_URI) && to_client.contains("code="),
        "{to_client}"
    );
    let sessions = site
        .provider
        .store
        .list_sessions("alice")
        .await
        .expect("sessions");
    assert!(sessions.iter().any(|s| s.amr == vec!["swk"]));
}

fn wall_clock() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .expect("after 1970")
        .as_secs() as i64
}

fn trust(site: &Site, pems: &[&str]) {
    common::trust(&site.provider, pems);
}

async fn bind(site: &Site, der: &[u8]) {
    let parsed = propusk_certs::Certificate::from_der(der).expect("parses");
    site.provider
        .bind_certificate("alice", &parsed)
        .await
        .expect("bound");
}

#[tokio::test]
async fn an_rsa_e_signature_on_the_signed_challenge_page_finishes_the_request() {
    use propusk_certs::test_pki::{KeyKind, Leaf, TestCa};
    let site = site(AccountPolicy::default()).await;
    site.clock.set(wall_clock());
    let root = TestCa::root("Signature Root");
    trust(&site, &[&root.pem]);
    let cert = root.issue(Leaf::new(KeyKind::Rsa, "Alice"));
    let stranger = root.issue(Leaf::new(KeyKind::P256, "Mallory"));
    bind(&site, &cert.der).await;
    let sign = |value: &[u8]| cert.sign_with_openssl(value).expect("openssl signs");
    let other = |value: &[u8]| stranger.sign_with_openssl(value).expect("openssl signs");
    signature_sign_in(&site, &sign, &other).await;
}

#[cfg(feature = "gost")]
#[tokio::test]
async fn a_gost_e_signature_on_the_signed_challenge_page_finishes_the_request() {
    use propusk_certs::test_gost::{GostCa, GostKey, GostLeaf};
    if let Err(why) = propusk_certs::gost::engine_ready() {
        panic!("{why} (run with OPENSSL_CONF=deploy/openssl-gost.cnf)");
    }
    let site = site(AccountPolicy::default()).await;
    site.clock.set(wall_clock());
    let root = GostCa::root("GOST Signature Root");
    trust(&site, &[&root.pem]);
    let cert = root.issue(GostLeaf::new(GostKey::Gost512, "Alice"));
    let stranger = root.issue(GostLeaf::new(GostKey::Gost256, "Mallory"));
    bind(&site, &cert.der).await;
    let sign = |value: &[u8]| cert.sign_with_openssl(value).expect("openssl signs");
    let other = |value: &[u8]| stranger.sign_with_openssl(value).expect("openssl signs");
    signature_sign_in(&site, &sign, &other).await;
}

#[tokio::test]
async fn wrong_e_signatures_are_throttled_like_passwords() {
    use propusk_certs::test_pki::{KeyKind, Leaf, TestCa};
    let site = site(AccountPolicy::default()).await;
    site.clock.set(wall_clock());
    let root = TestCa::root("Signature Root");
    trust(&site, &[&root.pem]);
    let cert = root.issue(Leaf::new(KeyKind::P256, "Alice"));
    bind(&site, &cert.der).await;
    let (path, _) = site.interaction().await;
    let mut texts = Vec::new();
    for _ in 0..4 {
        let (_, challenge, csrf) = signature_page(&site, &path).await;
        let wrong = cert
            .sign_with_openssl(b"another value")
            .expect("openssl signs");
        let answer = post_signature(&site, &path, &challenge, &csrf, &wrong).await;
        texts.push(answer.text().await.expect("html"));
    }
    assert!(texts[0].contains("The signature does not verify"));
    assert!(texts[3].contains("Too many attempts"), "{}", texts[3]);
    let (raw, challenge, csrf) = signature_page(&site, &path).await;
    let right = cert.sign_with_openssl(&raw).expect("openssl signs");
    let waiting = post_signature(&site, &path, &challenge, &csrf, &right).await;
    assert!(
        waiting
            .text()
            .await
            .expect("html")
            .contains("Too many attempts")
    );
    site.clock.advance(120);
    let (raw, challenge, csrf) = signature_page(&site, &path).await;
    let right = cert.sign_with_openssl(&raw).expect("openssl signs");
    let done = post_signature(&site, &path, &challenge, &csrf, &right).await;
    assert_eq!(done.status(), 303);
}
