//! The personal cabinet through the real router on a real socket: the landing page after
//! a sign-in, and the fresh proof that sensitive changes of the security page ask for —
//! turning TOTP or the SMS factor off, new recovery codes and a new password are refused
//! without it (the browser goes through `/account/reauth` and back) and work with it.

#[path = "common/mod.rs"]
mod common;

use common::{START, account};
use propusk_core::accounts::{AccountPolicy, Accounts, Totp};
use propusk_core::clock::ManualClock;
use propusk_core::crypto::{MasterKey, SystemRng, random_token};
use propusk_core::provider::{Provider, ProviderConfig};
use propusk_web::{AppState, WebConfig};
use std::sync::Arc;

const PASSWORD: &str = "correct horse battery";
const IP: &str = "127.0.0.1";

struct Site {
    base: String,
    provider: Arc<Provider>,
    accounts: Arc<Accounts>,
    clock: Arc<ManualClock>,
    http: reqwest::Client,
}

async fn site() -> Site {
    let rng = Arc::new(SystemRng);
    let dir = std::env::temp_dir().join(format!("propusk-cab-{}", random_token(rng.as_ref(), 9)));
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
        accounts.clone(),
    );
    tokio::spawn(async move { axum::serve(listener, router).await });
    let mut alice = account("alice");
    alice.password_hash = Some(provider.hash_password(PASSWORD).await.expect("hash"));
    alice.profile.phone_number_verified = true;
    provider
        .store
        .create_account(&alice)
        .await
        .expect("account");
    let http = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .cookie_store(true)
        .build()
        .expect("client");
    Site {
        base,
        provider,
        accounts,
        clock,
        http,
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

    /// The CSRF token of the first form of the page at `path`.
    async fn csrf(&self, path: &str) -> String {
        let page = self.get(path).await;
        assert_eq!(page.status(), 200, "{path}");
        csrf_of(&page.text().await.expect("html"))
    }

    /// Signs alice in at `/account/login`; the cabinet is where she lands.
    async fn sign_in(&self) {
        let csrf = self.csrf("/account/login").await;
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
        assert_eq!(location(&response), "/account");
    }

    async fn alice(&self) -> propusk_core::model::Account {
        self.provider
            .store
            .get_account("alice")
            .await
            .expect("store")
            .expect("alice")
    }

    async fn factors(&self) -> (bool, bool) {
        let overview = self
            .accounts
            .security_overview(&self.alice().await)
            .await
            .expect("overview");
        (overview.totp, overview.sms)
    }

    /// Moves time past the proof window of the sign-in.
    fn stale(&self) {
        self.clock
            .advance(AccountPolicy::default().reauth_window + 1);
    }

    /// POSTs a form of the security page with its CSRF token.
    async fn security_post(&self, path: &str, form: &[(&str, &str)]) -> reqwest::Response {
        let csrf = self.csrf("/account/security").await;
        let mut all = vec![("csrf", csrf.as_str())];
        all.extend_from_slice(form);
        self.post(path, &all).await
    }

    async fn reauth(&self, form: &[(&str, &str)]) -> reqwest::Response {
        let csrf = self
            .csrf("/account/reauth?next=%2Faccount%2Fsecurity")
            .await;
        let mut all = vec![("csrf", csrf.as_str()), ("next", "/account/security")];
        all.extend_from_slice(form);
        self.post("/account/reauth", &all).await
    }
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

const TO_REAUTH: &str = "/account/reauth?next=%2Faccount%2Fsecurity";

/// RFC 4648 base32 without padding, as the manual key shows it (groups of four).
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

/// Turns TOTP on for alice through the engine; returns the secret.
async fn enrol_totp(site: &Site) -> Totp {
    let alice = site.alice().await;
    let enrolment = site.accounts.begin_totp(&alice).await.expect("begin");
    let totp = Totp::new(base32_decode(&enrolment.manual_key));
    let code = totp.code_at(site.provider.now());
    site.accounts
        .confirm_totp(&enrolment.challenge, &alice, &code, IP)
        .await
        .expect("confirm");
    totp
}

#[tokio::test]
async fn sign_in_lands_on_the_overview() {
    let site = site().await;
    let before = site.get("/account").await;
    assert_eq!(before.status(), 303);
    assert!(location(&before).starts_with("/account/login"));
    site.sign_in().await;
    let page = site.get("/account").await;
    assert_eq!(page.status(), 200);
    let html = page.text().await.expect("html");
    assert!(html.contains("Alice Example"), "{html}");
    assert!(
        html.contains("id=\"warnings\""),
        "no second factor is a warning"
    );
    assert!(html.contains("href=\"/account/security\""));
    let again = site.get("/account/login").await;
    assert_eq!(location(&again), "/account");
}

#[tokio::test]
async fn turning_totp_off_needs_a_fresh_proof() {
    let site = site().await;
    site.sign_in().await;
    let totp = enrol_totp(&site).await;
    site.stale();
    let refused = site
        .security_post("/account/security/totp", &[("on", "no")])
        .await;
    assert_eq!(refused.status(), 303);
    assert_eq!(location(&refused), TO_REAUTH);
    assert!(site.factors().await.0, "TOTP stays on without a proof");

    let wrong = site.reauth(&[("code", "000000")]).await;
    assert_eq!(wrong.status(), 400);
    assert!(
        wrong
            .text()
            .await
            .expect("html")
            .contains("id=\"code-error\"")
    );
    site.clock.advance(30);
    let code = totp.code_at(site.provider.now());
    let proved = site.reauth(&[("code", &code)]).await;
    assert_eq!(proved.status(), 303);
    assert_eq!(location(&proved), "/account/security");

    let done = site
        .security_post("/account/security/totp", &[("on", "no")])
        .await;
    assert_eq!(location(&done), "/account/security?notice=saved");
    assert!(!site.factors().await.0, "TOTP is off with a proof");
    let notices = site
        .provider
        .store
        .recent_messages(10)
        .await
        .expect("outbox");
    assert!(
        notices
            .iter()
            .any(|m| m.to == "alice@example.com" && m.body.contains("второй фактор")),
        "the owner is told: {notices:?}"
    );
}

#[tokio::test]
async fn turning_sms_off_and_new_recovery_codes_need_a_fresh_proof() {
    let site = site().await;
    site.sign_in().await;
    site.accounts
        .enable_sms_factor(&site.alice().await, IP)
        .await
        .expect("sms on");
    site.stale();
    let off = site
        .security_post("/account/security/sms", &[("on", "no")])
        .await;
    assert_eq!(location(&off), TO_REAUTH);
    assert!(site.factors().await.1, "SMS stays on without a proof");
    let codes = site.security_post("/account/security/recovery", &[]).await;
    assert_eq!(location(&codes), TO_REAUTH);
    let left = site.provider.store.unused_recovery_codes("alice").await;
    assert_eq!(left.expect("codes"), 10, "the old codes stay");

    let wrong = site.reauth(&[("password", "not the password")]).await;
    assert_eq!(wrong.status(), 400);
    assert!(
        wrong
            .text()
            .await
            .expect("html")
            .contains("id=\"password-error\"")
    );
    let proved = site.reauth(&[("password", PASSWORD)]).await;
    assert_eq!(location(&proved), "/account/security");

    let codes = site.security_post("/account/security/recovery", &[]).await;
    assert!(location(&codes).starts_with("/account/security/codes/"));
    let off = site
        .security_post("/account/security/sms", &[("on", "no")])
        .await;
    assert_eq!(location(&off), "/account/security?notice=saved");
    assert!(!site.factors().await.1, "SMS is off with a proof");

    site.stale();
    let stale_again = site.security_post("/account/security/recovery", &[]).await;
    assert_eq!(location(&stale_again), TO_REAUTH, "a proof does not last");
}

#[tokio::test]
async fn a_new_password_needs_the_current_one_or_a_fresh_proof() {
    let site = site().await;
    site.sign_in().await;
    let other = match site
        .accounts
        .sign_in_password("alice-login", PASSWORD, IP, None)
        .await
        .expect("another browser")
    {
        propusk_core::accounts::SignInOutcome::SignedIn(done) => done.session,
        other => panic!("no second factor expected: {other:?}"),
    };
    site.stale();
    let hash = site.alice().await.password_hash;
    let new = "violet paper lantern";

    let bare = site
        .security_post("/account/security/password", &[("password", new)])
        .await;
    assert_eq!(bare.status(), 400);
    let html = bare.text().await.expect("html");
    assert!(html.contains("id=\"password-error\""), "{html}");
    assert_eq!(site.alice().await.password_hash, hash, "unchanged");

    let wrong = site
        .security_post(
            "/account/security/password",
            &[("current", "guess"), ("password", new)],
        )
        .await;
    assert_eq!(wrong.status(), 400);
    assert_eq!(site.alice().await.password_hash, hash, "unchanged");

    let common = site
        .security_post(
            "/account/security/password",
            &[("current", PASSWORD), ("password", "password123")],
        )
        .await;
    assert_eq!(common.status(), 400, "the common-password check");
    assert_eq!(site.alice().await.password_hash, hash, "unchanged");

    let changed = site
        .security_post(
            "/account/security/password",
            &[("current", PASSWORD), ("password", new), ("others", "yes")],
        )
        .await;
    assert_eq!(location(&changed), "/account/security?notice=password");
    let alice = site.alice().await;
    assert_ne!(alice.password_hash, hash);
    let ended = site.provider.store.get_session(&other.id).await;
    let ended = ended.expect("store").expect("session");
    assert!(ended.ended_at.is_some(), "the other browser is signed out");
    assert_eq!(site.get("/account").await.status(), 200, "this one stays");
    assert!(
        site.accounts
            .sign_in_password("alice-login", new, IP, None)
            .await
            .is_ok(),
        "the new password signs in"
    );
}

#[tokio::test]
async fn a_stale_reauth_form_comes_back_not_a_500() {
    let site = site().await;
    site.sign_in().await;
    let stale = site
        .post(
            "/account/reauth",
            &[
                ("csrf", "forged"),
                ("next", "/account/security"),
                ("password", PASSWORD),
            ],
        )
        .await;
    assert_eq!(stale.status(), 303);
    assert_eq!(location(&stale), format!("{TO_REAUTH}&e=expired"));
    let page = site.get(&location(&stale)).await;
    assert_eq!(page.status(), 400, "the form again, with the error");
    let html = page.text().await.expect("html");
    assert!(html.contains("id=\"password-error\""), "{html}");
    let outside = site
        .post(
            "/account/reauth",
            &[("csrf", "x"), ("next", "https://evil.example/")],
        )
        .await;
    assert_eq!(
        location(&outside),
        "/account/reauth?next=%2Faccount&e=expired"
    );
}

#[tokio::test]
async fn the_accesses_page_lists_and_revokes() {
    let site = site().await;
    let mut app = common::public("app");
    app.name = "Calendar <beta>".into();
    site.provider
        .store
        .create_client(&app)
        .await
        .expect("client");
    let consent = propusk_core::model::Consent {
        account_id: "alice".into(),
        client_id: "app".into(),
        scope: propusk_types::scope::Scope::parse("openid email").expect("scope"),
        updated_at: START,
    };
    site.provider
        .store
        .upsert_consent(&consent)
        .await
        .expect("consent");
    site.sign_in().await;
    let page = site.get("/account/accesses?lang=en").await;
    assert_eq!(page.status(), 200);
    let html = page.text().await.expect("html");
    assert!(html.contains("Calendar &lt;beta&gt;"), "{html}");
    assert!(
        html.contains("2023-11-14 22:13 UTC"),
        "granted when: {html}"
    );
    assert!(
        !html.contains("class=\"app-logo\"") && !html.contains("Published by"),
        "an operator's app has no logo or integrator: {html}"
    );

    // An app of the integrator cabinet shows its logo and who publishes it.
    let mut dev = account("dev");
    dev.phone = None;
    dev.profile.name = Some("Eve <Dev>".into());
    let store = &site.provider.store;
    store.create_account(&dev).await.expect("integrator");
    let owner = propusk_core::model::ClientOwner {
        client_id: "app".into(),
        account_id: "dev".into(),
        added_at: START,
    };
    store.add_client_owner(&owner).await.expect("owner");
    let logo = propusk_core::model::ClientLogo {
        client_id: "app".into(),
        content_type: "image/png".into(),
        data: vec![0x89, b'P', b'N', b'G'],
        updated_at: START,
    };
    store.put_client_logo(&logo).await.expect("logo");
    let html = site
        .get("/account/accesses?lang=en")
        .await
        .text()
        .await
        .expect("html");
    assert!(
        html.contains("<img class=\"app-logo\" src=\"/developer/logos/app\""),
        "{html}"
    );
    assert!(html.contains("Published by: Eve &lt;Dev&gt;"), "{html}");

    let csrf = csrf_of(&html);
    let stale = site
        .post(
            "/account/accesses/revoke",
            &[("csrf", "x"), ("client", "app")],
        )
        .await;
    assert_eq!(
        location(&stale),
        "/account/reauth?next=%2Faccount%2Faccesses&e=expired",
        "a stale form goes through re-authentication and back"
    );
    let unknown = site
        .post(
            "/account/accesses/revoke",
            &[("csrf", &csrf), ("client", "nope")],
        )
        .await;
    assert_eq!(location(&unknown), "/account/accesses?notice=none");
    let revoked = site
        .post(
            "/account/accesses/revoke",
            &[("csrf", &csrf), ("client", "app")],
        )
        .await;
    assert_eq!(location(&revoked), "/account/accesses?notice=revoked");
    let consent = site.provider.store.get_consent("alice", "app").await;
    assert_eq!(consent.expect("store"), None);
    let html = site
        .get("/account/accesses")
        .await
        .text()
        .await
        .expect("html");
    assert!(html.contains("id=\"no-accesses\""), "{html}");
}

#[tokio::test]
async fn one_browser_signs_another_out() {
    let site = site().await;
    site.sign_in().await;
    let phone = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .cookie_store(true)
        .user_agent("Mozilla/5.0 (Linux; Android 14) AppleWebKit/537.36 Chrome/131.0.0.0 Mobile Safari/537.36")
        .build()
        .expect("client");
    let login = phone
        .get(format!("{}/account/login", site.base))
        .send()
        .await
        .expect("get");
    let csrf = csrf_of(&login.text().await.expect("html"));
    let signed = phone
        .post(format!("{}/account/login", site.base))
        .form(&[
            ("csrf", csrf.as_str()),
            ("login", "alice-login"),
            ("password", PASSWORD),
        ])
        .send()
        .await
        .expect("post");
    assert_eq!(location(&signed), "/account");

    let page = site.get("/account/sessions?lang=en").await;
    assert_eq!(page.status(), 200);
    let html = page.text().await.expect("html");
    assert!(html.contains("Chrome on Android"), "{html}");
    assert_eq!(html.matches("class=\"secondary end-session\"").count(), 1);
    let mut phone_session = String::new();
    for s in site
        .provider
        .store
        .list_sessions("alice")
        .await
        .expect("list")
    {
        let device = site
            .provider
            .store
            .session_device(&s.id)
            .await
            .expect("device");
        if device.user_agent.is_some_and(|ua| ua.contains("Android")) {
            phone_session = s.id;
        }
    }
    assert!(
        !phone_session.is_empty(),
        "the phone's session has its device"
    );
    let notices = site
        .provider
        .store
        .recent_messages(10)
        .await
        .expect("outbox");
    let new_device = |m: &&propusk_core::model::OutboxMessage| {
        m.to == "alice@example.com" && m.subject.contains("нового браузера")
    };
    assert_eq!(
        notices.iter().filter(new_device).count(),
        1,
        "a sign-in from a new browser is notified: {notices:?}"
    );

    site.stale();
    let csrf = csrf_of(&html);
    let others = site
        .post("/account/sessions/others", &[("csrf", &csrf)])
        .await;
    assert_eq!(
        location(&others),
        "/account/reauth?next=%2Faccount%2Fsessions",
        "all others need a fresh proof"
    );
    let one = site
        .post(
            "/account/sessions/end",
            &[("csrf", &csrf), ("session", &phone_session)],
        )
        .await;
    assert_eq!(one.status(), 200);
    let html = one.text().await.expect("html");
    assert!(!html.contains("Chrome on Android"), "{html}");
    let ended = site.provider.store.get_session(&phone_session).await;
    assert!(ended.expect("store").expect("session").ended_at.is_some());
    let after = phone
        .get(format!("{}/account", site.base))
        .send()
        .await
        .expect("get");
    assert!(location(&after).starts_with("/account/login"), "signed out");
    let again = site
        .post(
            "/account/sessions/end",
            &[("csrf", &csrf), ("session", &phone_session)],
        )
        .await;
    assert_eq!(
        again.status(),
        200,
        "an ended session is explained, not a 500"
    );
}

#[tokio::test]
async fn the_profile_saves_names_and_changes_the_email_through_its_code() {
    let site = site().await;
    site.sign_in().await;
    let csrf = site.csrf("/account/profile").await;
    let long = "x".repeat(101);
    let refused = site
        .post(
            "/account/profile",
            &[
                ("csrf", &csrf),
                ("given_name", "Алиса"),
                ("family_name", &long),
            ],
        )
        .await;
    assert_eq!(refused.status(), 400);
    let html = refused.text().await.expect("html");
    assert!(html.contains("id=\"family_name-error\""), "{html}");
    assert!(html.contains("value=\"Алиса\""), "what was typed stays");

    let saved = site
        .post(
            "/account/profile",
            &[
                ("csrf", &csrf),
                ("given_name", "Алиса"),
                ("family_name", "Петрова"),
                ("middle_name", "Ивановна"),
                ("nickname", "alice"),
                ("locale", "en"),
            ],
        )
        .await;
    assert_eq!(location(&saved), "/account/profile?notice=saved");
    site.clock.advance(10);
    let alice = site.alice().await;
    assert_eq!(alice.profile.middle_name.as_deref(), Some("Ивановна"));
    assert_eq!(alice.profile.locale.as_deref(), Some("en"));
    let names: std::collections::BTreeSet<&'static str> = [
        "given_name",
        "family_name",
        "middle_name",
        "locale",
        "updated_at",
    ]
    .into();
    let claims = propusk_core::claims::standard_claims(&alice, &names);
    assert_eq!(claims["family_name"], "Петрова");
    assert_eq!(claims["locale"], "en");
    assert_eq!(claims["updated_at"], START);

    site.stale();
    let csrf = site.csrf("/account/profile").await;
    let stale = site
        .post(
            "/account/profile/contact",
            &[
                ("csrf", &csrf),
                ("kind", "email"),
                ("contact", "new@example.com"),
            ],
        )
        .await;
    assert_eq!(
        location(&stale),
        "/account/reauth?next=%2Faccount%2Fprofile",
        "a new e-mail needs a fresh proof"
    );
    let proved = site.reauth(&[("password", PASSWORD)]).await;
    assert_eq!(proved.status(), 303);
    let bad = site
        .post(
            "/account/profile/contact",
            &[
                ("csrf", &csrf),
                ("kind", "email"),
                ("contact", "not an address@"),
            ],
        )
        .await;
    assert_eq!(bad.status(), 400);
    let html = bad.text().await.expect("html");
    assert!(html.contains("id=\"email-error\""), "{html}");
    let started = site
        .post(
            "/account/profile/contact",
            &[
                ("csrf", &csrf),
                ("kind", "email"),
                ("contact", "New@Example.com"),
            ],
        )
        .await;
    let step = location(&started);
    assert!(step.starts_with("/account/profile/contact/"), "{step}");
    assert_eq!(
        site.alice().await.email.as_deref(),
        Some("alice@example.com"),
        "not used before its code"
    );
    let messages = site
        .provider
        .store
        .recent_messages(20)
        .await
        .expect("outbox");
    let sent = messages
        .iter()
        .find(|m| m.to == "new@example.com")
        .expect("a code to the new address");
    let code: String = sent
        .body
        .split_whitespace()
        .find(|w| w.len() == 6 && w.chars().all(|c| c.is_ascii_digit()))
        .expect("code")
        .to_owned();
    let page_csrf = site.csrf(&step).await;
    let wrong = site
        .post(&step, &[("csrf", &page_csrf), ("code", "000000")])
        .await;
    assert!(
        location(&wrong).ends_with("e=invalid"),
        "{}",
        location(&wrong)
    );
    let done = site
        .post(&step, &[("csrf", &page_csrf), ("code", &code)])
        .await;
    assert_eq!(location(&done), "/account/profile?notice=contact");
    let alice = site.alice().await;
    assert_eq!(alice.email.as_deref(), Some("new@example.com"));
    assert!(alice.profile.email_verified);
    let messages = site
        .provider
        .store
        .recent_messages(20)
        .await
        .expect("outbox");
    assert!(
        messages
            .iter()
            .any(|m| m.to == "alice@example.com" && m.subject.contains("contact")),
        "the old address is told: {messages:?}"
    );
}

#[tokio::test]
async fn the_history_lists_the_events_newest_first_in_pages() {
    let site = site().await;
    site.sign_in().await;
    let wrong = site.reauth(&[("password", "wrong password")]).await;
    assert_eq!(wrong.status(), 400);
    for i in 0..25 {
        site.clock.advance(1);
        let event = propusk_core::model::AuditEvent {
            id: format!("seeded-{i:02}"),
            at: site.provider.now(),
            kind: propusk_core::model::AuditKind::CodeSent,
            account_id: Some("alice".into()),
            ip: None,
            detail: Some("email".into()),
            actor: None,
            client_id: None,
        };
        site.provider
            .store
            .record_audit(&event)
            .await
            .expect("event");
    }
    site.clock.advance(1);
    let proved = site.reauth(&[("password", PASSWORD)]).await;
    assert_eq!(proved.status(), 303);
    let page = site.get("/account/history?lang=en").await;
    assert_eq!(page.status(), 200);
    let html = page.text().await.expect("html");
    let kinds: Vec<&str> = html
        .split("data-kind=\"")
        .skip(1)
        .map(|rest| rest.split('"').next().unwrap_or(""))
        .collect();
    assert_eq!(kinds.len(), 20, "a page of twenty");
    assert_eq!(kinds[0], "reauthenticated", "newest first: {kinds:?}");
    assert!(
        html.contains("Identity confirmed again</strong> — password"),
        "{html}"
    );
    let next = html
        .split("id=\"history-next\"")
        .next()
        .and_then(|head| head.rsplit("href=\"").next())
        .and_then(|rest| rest.split('"').next())
        .expect("a link to older events")
        .replace("&amp;", "&");
    let older = site.get(&next).await.text().await.expect("html");
    assert!(
        older.contains("data-kind=\"sign_in\""),
        "the sign-in is on the last page"
    );
    assert!(
        !older.contains("id=\"history-next\""),
        "and it is the last one"
    );
}

#[tokio::test]
async fn export_then_delete_the_account() {
    let site = site().await;
    site.sign_in().await;
    let export = site.get("/account/export").await;
    assert_eq!(export.status(), 200);
    assert!(
        export.headers()["content-disposition"]
            .to_str()
            .expect("header")
            .starts_with("attachment")
    );
    let data: serde_json::Value = export.json().await.expect("json");
    assert_eq!(data["account"]["login"], "alice-login");
    assert_eq!(data["account"]["email"], "alice@example.com");
    assert_eq!(data["account"]["has_password"], true);
    assert!(data["account"].get("password_hash").is_none(), "no secrets");
    assert_eq!(data["sessions"].as_array().map(Vec::len), Some(1));
    assert_eq!(data["history"][0]["event"], "sign_in");

    site.stale();
    let csrf = site.csrf("/account/delete").await;
    let unconfirmed = site.post("/account/delete", &[("csrf", &csrf)]).await;
    assert_eq!(location(&unconfirmed), "/account/delete?e=confirm");
    let stale = site
        .post("/account/delete", &[("csrf", &csrf), ("confirm", "yes")])
        .await;
    assert_eq!(location(&stale), "/account/reauth?next=%2Faccount%2Fdelete");
    assert!(
        !site.alice().await.disabled,
        "nothing deleted without a proof"
    );
    let proved = site.reauth(&[("password", PASSWORD)]).await;
    assert_eq!(
        location(&proved),
        "/account/security",
        "where the helper returns"
    );
    let deleted = site
        .post("/account/delete", &[("csrf", &csrf), ("confirm", "yes")])
        .await;
    assert_eq!(deleted.status(), 200);
    let cleared = deleted.headers()["set-cookie"]
        .to_str()
        .expect("cookie")
        .to_owned();
    assert!(cleared.contains("Max-Age=0"), "{cleared}");
    assert!(
        deleted
            .text()
            .await
            .expect("html")
            .contains("id=\"deleted\"")
    );

    let gone = site.alice().await;
    assert!(gone.disabled && gone.email.is_none() && gone.password_hash.is_none());
    assert!(
        site.accounts
            .sign_in_password("alice-login", PASSWORD, IP, None)
            .await
            .is_err(),
        "sign-in fails"
    );
    let page = site.get("/account").await;
    assert!(location(&page).starts_with("/account/login"));
    let messages = site
        .provider
        .store
        .recent_messages(10)
        .await
        .expect("outbox");
    assert!(
        messages
            .iter()
            .any(|m| m.to == "alice@example.com" && m.subject.contains("удалён")),
        "the owner is told: {messages:?}"
    );
}

#[tokio::test]
async fn phone_sign_in_can_be_turned_off() {
    let site = site().await;
    site.sign_in().await;
    let sent_to_phone = || async {
        let messages = site
            .provider
            .store
            .recent_messages(20)
            .await
            .expect("outbox");
        messages.iter().filter(|m| m.to == "+79990000000").count()
    };
    let off = site
        .security_post("/account/security/phone", &[("on", "no")])
        .await;
    assert_eq!(location(&off), "/account/security?notice=saved");
    let html = site
        .get("/account/security?lang=en")
        .await
        .text()
        .await
        .expect("html");
    assert!(html.contains("id=\"phone-on\""), "{html}");
    site.accounts
        .start_code_sign_in("+7 999 000-00-00", IP, "ru", None)
        .await
        .expect("answered as usual");
    assert_eq!(sent_to_phone().await, 0, "no code goes to the phone");
    let on = site
        .security_post("/account/security/phone", &[("on", "yes")])
        .await;
    assert_eq!(location(&on), "/account/security?notice=saved");
    site.accounts
        .start_code_sign_in("+7 999 000-00-00", IP, "ru", None)
        .await
        .expect("sent");
    assert_eq!(sent_to_phone().await, 1, "a code goes to the phone again");
}
