//! The sign-in and consent pages and the SSO session, end to end over a socket (OIDC Core
//! §3.1.2.3, §3.1.2.4; `prompt`, `max_age` of §3.1.2.1): refused sign-ins start no
//! session, a denial issues nothing, and a live session is reused only when the request
//! allows it.

use propusk_testkit::{ClientBuilder, REDIRECT_URI, STATE, TestAccount, TestClient, TestServer};
use reqwest::StatusCode;

// A refused sign-in form is answered 400, not 401: a 401 must carry a `WWW-Authenticate`
// challenge (RFC 9110 §15.5.2), which an HTML form has none of.

async fn setup() -> (TestServer, TestAccount, TestClient) {
    let server = TestServer::start().await;
    let alice = server.alice().await;
    let client = server.client(ClientBuilder::confidential("web")).await;
    (server, alice, client)
}

#[tokio::test]
async fn consent_denied_is_access_denied() {
    let (server, alice, client) = setup().await;
    let browser = server.browser();
    let login = browser
        .navigate(&server.authorize_url(&client.code_request(&[], &[])))
        .await;
    let consent = browser.sign_in(&login, &alice.login, &alice.password).await;
    assert!(
        consent.consent_form().is_some(),
        "no consent page: {}",
        consent.body
    );
    let denied = browser.consent(&consent, false).await;
    browser.assert_redirected_error(&denied, "access_denied");

    // Nothing was remembered: the next silent request still needs consent.
    let url = server.authorize_url(&client.code_request(&[("prompt", "none")], &[]));
    let page = browser.get(&url).await;
    browser.assert_redirected_error(&page, "consent_required");
}

#[tokio::test]
async fn attack_login_csrf_creates_no_session() {
    let (server, alice, client) = setup().await;
    let browser = server.browser();
    let login = browser
        .navigate(&server.authorize_url(&client.code_request(&[], &[])))
        .await;
    let form = login.login_form().expect("sign-in form");
    let forged = [
        ("csrf", "forged"),
        ("login", alice.login.as_str()),
        ("password", alice.password.as_str()),
    ];
    let again = browser.submit(&login, &form, None, &forged).await;
    assert_eq!(
        again.status,
        StatusCode::BAD_REQUEST,
        "body: {}",
        again.body
    );
    assert!(again.login_form().is_some(), "the form is not shown again");
    assert!(!again.sets_cookie("propusk_session"));
    assert!(!browser.has_session());

    // A token taken from this browser's page does not work from another browser (no
    // CSRF cookie there): the classic cross-site post.
    let attacker = server.browser();
    let honest = [
        ("login", alice.login.as_str()),
        ("password", alice.password.as_str()),
    ];
    let page = attacker.submit(&login, &form, None, &honest).await;
    assert_eq!(page.status, StatusCode::BAD_REQUEST);
    assert!(page.login_form().is_some());
    assert!(!attacker.has_session());

    // The form shown again carries a fresh, valid token.
    let consent = browser.sign_in(&again, &alice.login, &alice.password).await;
    assert!(
        consent.consent_form().is_some(),
        "no consent page: {}",
        consent.body
    );
    assert!(browser.has_session());
}

#[tokio::test]
async fn wrong_password_shows_the_form_again_without_session() {
    let (server, alice, client) = setup().await;
    let browser = server.browser();
    let login = browser
        .navigate(&server.authorize_url(&client.code_request(&[], &[])))
        .await;
    for (who, password) in [
        (alice.login.as_str(), "wrong password"),
        ("nobody", alice.password.as_str()),
    ] {
        let again = browser.sign_in(&login, who, password).await;
        assert_eq!(
            again.status,
            StatusCode::BAD_REQUEST,
            "body: {}",
            again.body
        );
        let form = again.login_form().expect("the form is shown again");
        assert_eq!(form.field("login"), Some(who), "the identifier is kept");
        assert!(!again.sets_cookie("propusk_session"));
        assert!(!browser.has_session());
    }
}

#[tokio::test]
async fn max_age_zero_forces_sign_in_again() {
    // A manual clock that does not move: the session is 0 seconds old, and max_age=0
    // must still ask for a fresh sign-in (OIDC Core §3.1.2.1: equivalent to prompt=login).
    let server = TestServer::start_with_manual_clock().await;
    let alice = server.alice().await;
    let client = server.client(ClientBuilder::confidential("web")).await;
    let browser = server.signed_in(&alice, &client, "openid profile").await;
    let page = browser
        .navigate(&server.authorize_url(&client.code_request(&[("max_age", "0")], &[])))
        .await;
    assert!(
        page.login_form().is_some(),
        "max_age=0 answered without sign-in: {:?}",
        page.location()
    );
}

#[tokio::test]
async fn max_age_exceeded_forces_sign_in_again() {
    let server = TestServer::start_with_manual_clock().await;
    let alice = server.alice().await;
    let client = server.client(ClientBuilder::confidential("web")).await;
    let browser = server.signed_in(&alice, &client, "openid profile").await;
    server.clock().advance(61);
    let within = browser
        .navigate(&server.authorize_url(&client.code_request(&[("max_age", "3600")], &[])))
        .await;
    assert!(
        browser
            .answer(&within)
            .and_then(|a| a.param("code").map(str::to_owned))
            .is_some()
    );
    let page = browser
        .navigate(&server.authorize_url(&client.code_request(&[("max_age", "60")], &[])))
        .await;
    assert!(
        page.login_form().is_some(),
        "an old sign-in was accepted: {:?}",
        page.location()
    );
    let answer = browser
        .answer(&browser.sign_in(&page, &alice.login, &alice.password).await)
        .expect("answer");
    assert!(answer.param("code").is_some(), "{}", answer.location);
}

#[tokio::test]
async fn prompt_login_forces_sign_in_even_with_a_session() {
    let (server, alice, client) = setup().await;
    let browser = server.signed_in(&alice, &client, "openid profile").await;
    let first_session = browser.cookie("propusk_session");
    let page = browser
        .navigate(&server.authorize_url(&client.code_request(&[("prompt", "login")], &[])))
        .await;
    assert!(
        page.login_form().is_some(),
        "prompt=login answered without sign-in: {:?}",
        page.location()
    );
    let after = browser.sign_in(&page, &alice.login, &alice.password).await;
    let answer = browser
        .answer(&after)
        .expect("consent was remembered, so the code comes back");
    assert!(answer.param("code").is_some(), "{}", answer.location);
    assert_ne!(
        browser.cookie("propusk_session"),
        first_session,
        "a sign-in starts a new session"
    );
}

#[tokio::test]
async fn second_authorization_with_a_live_session_is_single_sign_on() {
    let (server, alice, client) = setup().await;
    let browser = server.signed_in(&alice, &client, "openid profile").await;
    let url = server.authorize_url(&client.code_request(&[("nonce", "n-2")], &[]));
    let first = browser.get(&url).await;
    let answer = browser
        .answer(&first)
        .expect("answered at once, without any page");
    assert_eq!(answer.redirect_uri(), REDIRECT_URI);
    assert!(answer.param("code").is_some());
    assert_eq!(answer.param("state"), Some(STATE));
    assert_eq!(answer.param("iss"), Some(server.issuer.as_str()));

    // Another client without a consent requirement is answered at once too.
    let other = server
        .client(ClientBuilder::confidential("other").consent_required(false))
        .await;
    let answer = browser.answer(
        &browser
            .get(&server.authorize_url(&other.code_request(&[], &[])))
            .await,
    );
    assert!(
        answer
            .and_then(|a| a.param("code").map(str::to_owned))
            .is_some()
    );
}
