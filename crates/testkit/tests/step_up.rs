//! Step-up and the authentication context (OIDC Core §2 `acr`/`amr`, §3.1.2.1
//! `acr_values`, `max_age`, `prompt=login`): a password-only session asked for the
//! second-factor `acr` is asked for the missing factor alone, and the ID token says what
//! happened; an account without a second factor gets `unmet_authentication_requirements`;
//! `max_age` and `prompt=login` cannot be skipped with a live session.

use propusk_core::accounts::{AccountPolicy, Accounts, Totp};
use propusk_core::authorize::{ACR_MFA, ACR_PASSWORD};
use propusk_testkit::{
    AccountBuilder, Browser, ClientBuilder, TestAccount, TestClient, TestServer,
};
use serde_json::Value;

/// The claims of a JWT, unverified (the token came straight from the token endpoint).
fn claims(jwt: &str) -> Value {
    use base64::Engine as _;
    let payload = jwt.split('.').nth(1).unwrap_or_default();
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(payload)
        .unwrap_or_default();
    serde_json::from_slice(&bytes).unwrap_or_default()
}

/// RFC 4648 base32 without padding, as the manual TOTP key is shown.
fn base32_decode(text: &str) -> Vec<u8> {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    let (mut value, mut bits, mut out) = (0u64, 0u32, Vec::new());
    for c in text.bytes().filter(|c| *c != b' ' && *c != b'=') {
        let Some(index) = ALPHABET.iter().position(|a| *a == c.to_ascii_uppercase()) else {
            continue;
        };
        value = (value << 5) | index as u64;
        bits += 5;
        if bits >= 8 {
            bits -= 8;
            out.push((value >> bits) as u8);
            value &= (1 << bits) - 1;
        }
    }
    out
}

/// Turns TOTP on for `account` through the engine, as the cabinet would.
async fn enrol_totp(server: &TestServer, account: &TestAccount) -> Totp {
    let accounts = Accounts::new(server.provider.clone(), AccountPolicy::default());
    let record = server
        .store()
        .get_account(&account.id)
        .await
        .expect("account")
        .expect("stored");
    let enrolment = accounts.begin_totp(&record).await.expect("begin");
    let totp = Totp::new(base32_decode(&enrolment.manual_key));
    let code = totp.code_at(server.provider.now());
    accounts
        .confirm_totp(&enrolment.challenge, &record, &code, "127.0.0.1")
        .await
        .expect("confirm");
    totp
}

/// A browser with a password-only session of `account` at the provider.
async fn signed_in(server: &TestServer, client: &TestClient, account: &TestAccount) -> Browser {
    let browser = server.browser();
    let answer = browser
        .authorize(
            &server.authorize_url(&client.code_request(&[], &[])),
            &account.login,
            &account.password,
        )
        .await;
    let tokens = server.redeem(&client.basic(), answer.code(), &[]).await;
    let id_token = claims(tokens.str("id_token").expect("id_token"));
    assert_eq!(id_token["acr"], ACR_PASSWORD);
    assert_eq!(id_token["amr"], serde_json::json!(["pwd"]));
    browser
}

#[tokio::test]
async fn a_password_session_asked_for_mfa_gets_the_factor_prompt_only() {
    let server = TestServer::start_with_manual_clock().await;
    let alice = server.alice().await;
    let client = server
        .client(ClientBuilder::confidential("web").consent_required(false))
        .await;
    let browser = signed_in(&server, &client, &alice).await;
    let totp = enrol_totp(&server, &alice).await;
    server.clock().advance(30);

    let url = server.authorize_url(&client.code_request(&[("acr_values", ACR_MFA)], &[]));
    let prompt = browser.navigate(&url).await;
    assert!(
        prompt.url.path().starts_with("/account/factor/"),
        "{}: {}",
        prompt.url,
        prompt.body
    );
    assert!(prompt.login_form().is_none(), "not a full sign-in");
    let form = prompt
        .forms()
        .into_iter()
        .find(|f| f.has_field("code"))
        .expect("the code form");
    let code = totp.code_at(server.provider.now());
    let done = browser
        .submit(&prompt, &form, None, &[("code", &code)])
        .await;
    let answer = browser
        .answer(&done)
        .unwrap_or_else(|| panic!("{}: {}", done.url, done.body));
    let tokens = server.redeem(&client.basic(), answer.code(), &[]).await;
    let id_token = claims(tokens.str("id_token").expect("id_token"));
    assert_eq!(id_token["acr"], ACR_MFA);
    assert_eq!(id_token["amr"], serde_json::json!(["pwd", "otp", "mfa"]));

    // The stepped-up session now satisfies the same request silently.
    let again = browser.navigate(&url).await;
    assert!(
        browser
            .answer(&again)
            .is_some_and(|a| a.param("code").is_some())
    );
}

#[tokio::test]
async fn an_essential_acr_claim_and_a_client_minimum_ask_for_the_factor_too() {
    let server = TestServer::start_with_manual_clock().await;
    let alice = server.alice().await;
    let client = server
        .client(ClientBuilder::confidential("web").consent_required(false))
        .await;
    let strict = server
        .client(
            ClientBuilder::confidential("strict")
                .consent_required(false)
                .minimum_acr(ACR_MFA),
        )
        .await;
    let browser = signed_in(&server, &client, &alice).await;
    enrol_totp(&server, &alice).await;
    let claims_request =
        format!(r#"{{"id_token":{{"acr":{{"essential":true,"values":["{ACR_MFA}"]}}}}}}"#);
    for url in [
        server.authorize_url(&client.code_request(&[("claims", &claims_request)], &[])),
        server.authorize_url(&strict.code_request(&[], &[])),
    ] {
        let prompt = browser.navigate(&url).await;
        assert!(
            prompt.url.path().starts_with("/account/factor/"),
            "{}: {}",
            prompt.url,
            prompt.body
        );
    }
}

#[tokio::test]
async fn an_account_without_a_second_factor_cannot_meet_mfa() {
    let server = TestServer::start().await;
    let alice = server.alice().await;
    let client = server
        .client(ClientBuilder::confidential("web").consent_required(false))
        .await;
    let browser = signed_in(&server, &client, &alice).await;
    let page = browser
        .navigate(&server.authorize_url(&client.code_request(&[("acr_values", ACR_MFA)], &[])))
        .await;
    browser.assert_redirected_error(&page, "unmet_authentication_requirements");

    // With prompt=none nothing can be asked: interaction_required.
    let page = browser
        .navigate(&server.authorize_url(
            &client.code_request(&[("acr_values", ACR_MFA), ("prompt", "none")], &[]),
        ))
        .await;
    browser.assert_redirected_error(&page, "interaction_required");
}

#[tokio::test]
async fn attack_max_age_bypass() {
    let server = TestServer::start_with_manual_clock().await;
    let alice = server.alice().await;
    let client = server
        .client(ClientBuilder::confidential("web").consent_required(false))
        .await;
    let browser = signed_in(&server, &client, &alice).await;
    server.clock().advance(120);
    let url = server.authorize_url(&client.code_request(&[("max_age", "60")], &[]));
    let page = browser.navigate(&url).await;
    assert!(
        page.login_form().is_some(),
        "a stale session must sign in again"
    );
    let page = browser
        .navigate(
            &server
                .authorize_url(&client.code_request(&[("max_age", "60"), ("prompt", "none")], &[])),
        )
        .await;
    browser.assert_redirected_error(&page, "login_required");

    let answer = browser.authorize(&url, &alice.login, &alice.password).await;
    let tokens = server.redeem(&client.basic(), answer.code(), &[]).await;
    let id_token = claims(tokens.str("id_token").expect("id_token"));
    let auth_time = id_token["auth_time"].as_i64().unwrap_or_default();
    assert!(
        server.provider.now() - auth_time <= 60,
        "auth_time is the new sign-in"
    );
}

#[tokio::test]
async fn attack_prompt_login_bypass() {
    let server = TestServer::start().await;
    let alice = server.alice().await;
    let bob = server
        .account(AccountBuilder::new("bob").email("bob@example.com"))
        .await;
    let client = server
        .client(ClientBuilder::confidential("web").consent_required(false))
        .await;
    let browser = signed_in(&server, &client, &alice).await;
    let url = server.authorize_url(&client.code_request(&[("prompt", "login")], &[]));
    let page = browser.navigate(&url).await;
    assert!(page.login_form().is_some(), "prompt=login must ask again");
    // Signing in as someone else there yields their subject, not the old session's.
    let answer = browser.authorize(&url, &bob.login, &bob.password).await;
    let tokens = server.redeem(&client.basic(), answer.code(), &[]).await;
    let id_token = claims(tokens.str("id_token").expect("id_token"));
    assert_eq!(id_token["sub"].as_str(), Some(bob.id.as_str()));
}
