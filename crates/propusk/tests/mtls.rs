//! Sign-in with a TLS client certificate through the real binary: the certificate
//! listener (`[certificates] mtls_listen`) asks for a client certificate; a bound one
//! continues the authorization request signed in on the provider's origin, and every
//! refusal is its own page. Behind a proxy that terminates TLS, the certificate comes in
//! `[certificates] client_cert_header`, honoured only from a trusted proxy.

mod common;

use common::cluster::{ALICE, Agent, LOGIN, WEB_CLIENT, authorize_url, free_port};
use common::{Server, TestDir};
use propusk_certs::test_pki::{KeyKind, Leaf, TestCa, TestCert};
use propusk_testkit::{Browser, Page, unescape};
use reqwest::StatusCode;
use std::net::IpAddr;
use url::Url;

/// A server with the certificate listener, `alice`, the client `web`, and a root whose
/// certificates sign in.
struct Setup {
    dir: TestDir,
    _server: Server,
    alice_id: String,
    issuer: String,
    /// `https://127.0.0.1:PORT` of the certificate listener.
    listener: String,
    root: TestCa,
    secret: String,
}

impl Setup {
    fn start(name: &str, env: &[(&str, &str)]) -> Self {
        let dir = TestDir::new(name);
        let root = TestCa::root("Sign-in Root");
        let root_file = dir.write("root.pem", &root.pem);
        dir.json(&["admin", "ca", "add", root_file.to_str().expect("path")]);
        let mut alice = vec!["admin"];
        alice.extend_from_slice(&ALICE);
        let alice_id = dir.json(&alice)["id"].as_str().expect("id").to_owned();
        let mut client = vec!["admin"];
        client.extend_from_slice(&WEB_CLIENT);
        let secret = dir.json(&client)["client_secret"]
            .as_str()
            .expect("client_secret")
            .to_owned();
        let server_ca = TestCa::root("Listener CA");
        let server_cert = server_ca.issue(Leaf::new(KeyKind::P256, "127.0.0.1"));
        let cert = dir.write("listener.pem", &server_cert.pem);
        let key = dir.write("listener.key", &server_cert.key_pem);
        let port = free_port();
        let issuer = format!("http://127.0.0.1:{port}");
        let mut command = dir.command(&["serve", "--listen", &format!("127.0.0.1:{port}")]);
        command
            .env("PROPUSK_ISSUER", &issuer)
            .env("PROPUSK_CERTIFICATES__MTLS_LISTEN", "127.0.0.1:0")
            .env("PROPUSK_CERTIFICATES__MTLS_CERT", &cert)
            .env("PROPUSK_CERTIFICATES__MTLS_KEY", &key)
            .envs(env.iter().copied());
        let server = Server::spawn(command, dir.path.join("serve.log"));
        let listener = server
            .stdout
            .iter()
            .find_map(|line| line.strip_prefix("certificate listener on "))
            .expect("the certificate listener line")
            .to_owned();
        Self {
            dir,
            _server: server,
            alice_id,
            issuer,
            listener,
            root,
            secret,
        }
    }

    /// A certificate of the root bound to `alice`.
    fn bound(&self, kind: KeyKind) -> TestCert {
        let cert = self.root.issue(Leaf::new(kind, "Alice"));
        let file = self.dir.write("alice.pem", &cert.pem);
        self.dir.json(&[
            "admin",
            "user",
            "certificate",
            "add",
            "--login",
            LOGIN,
            file.to_str().expect("path"),
        ]);
        cert
    }

    /// A browser at the sign-in page of a fresh authorization request, and the page.
    async fn sign_in_page(&self) -> (Browser, Page) {
        let browser = Browser::new(&self.issuer);
        let url = Url::parse(&authorize_url(&self.issuer, "s")).expect("url");
        let page = browser.navigate(&url).await;
        assert_eq!(page.status, StatusCode::OK, "{}", page.body);
        (browser, page)
    }
}

/// The `href` of the element with `id` on `page`.
fn href(page: &Page, id: &str) -> Url {
    let marker = format!("\" id=\"{id}\"");
    let end = page
        .body
        .find(&marker)
        .unwrap_or_else(|| panic!("no #{id} on {}: {}", page.url, page.body));
    let start = page.body[..end].rfind("href=\"").expect("href") + "href=\"".len();
    Url::parse(&unescape(&page.body[start..end])).expect("absolute href")
}

/// An HTTPS client of the certificate listener presenting `cert`, or nothing.
fn tls_client(cert: Option<&TestCert>) -> reqwest::Client {
    let mut builder = reqwest::Client::builder()
        .use_rustls_tls()
        .danger_accept_invalid_certs(true)
        .redirect(reqwest::redirect::Policy::none());
    if let Some(cert) = cert {
        let pem = format!("{}\n{}", cert.pem, cert.key_pem);
        builder = builder.identity(reqwest::Identity::from_pem(pem.as_bytes()).expect("identity"));
    }
    builder.build().expect("client")
}

/// GET `url` with `client`: status, `Location`, body.
async fn get(client: &reqwest::Client, url: &Url) -> (StatusCode, Option<String>, String) {
    let response = client.get(url.clone()).send().await.expect("GET");
    let status = response.status();
    let location = response
        .headers()
        .get("location")
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    (status, location, response.text().await.expect("body"))
}

/// The refusal code of a refusal page.
fn refusal(body: &str) -> &str {
    let start = body.find("data-code=\"").expect("a refusal page") + "data-code=\"".len();
    let end = body[start..].find('"').expect("end of the code") + start;
    &body[start..end]
}

/// Signs in through the certificate listener with `cert` and finishes the code flow:
/// the ID token's claims.
async fn code_flow(setup: &Setup, cert: &TestCert) -> serde_json::Value {
    let (browser, page) = setup.sign_in_page().await;
    let link = href(&page, "tls");
    assert!(link.as_str().starts_with(&setup.listener), "{link}");
    let (status, location, body) = get(&tls_client(Some(cert)), &link).await;
    assert_eq!(status, StatusCode::SEE_OTHER, "{body}");
    let done = Url::parse(&location.expect("location")).expect("url");
    assert!(done.as_str().starts_with(&setup.issuer), "{done}");
    let back = browser.navigate(&done).await;
    let answer = browser
        .answer(&back)
        .unwrap_or_else(|| panic!("no answer to the client: {} {}", back.status, back.body));
    assert!(
        browser.has_session(),
        "the session is set on the provider's origin"
    );
    let agent = Agent {
        http: browser.http(),
        secret: &setup.secret,
    };
    let tokens = agent
        .redeem(&setup.issuer, answer.code())
        .await
        .expect("token request");
    assert_eq!(tokens.0, 200, "{}", tokens.1);
    let id_token = tokens.1["id_token"].as_str().expect("id_token");
    let payload = id_token.split('.').nth(1).expect("payload");
    let claims = base64::Engine::decode(&base64::engine::general_purpose::URL_SAFE_NO_PAD, payload)
        .expect("base64url");
    serde_json::from_slice(&claims).expect("claims")
}

#[tokio::test]
async fn a_bound_ecdsa_or_rsa_certificate_signs_in_through_the_certificate_listener() {
    let setup = Setup::start("mtls-signin", &[]);
    for kind in [KeyKind::P256, KeyKind::Rsa] {
        let cert = setup.bound(kind);
        let claims = code_flow(&setup, &cert).await;
        assert_eq!(claims["sub"], setup.alice_id.as_str(), "{claims}");
        assert_eq!(claims["amr"], serde_json::json!(["swk"]), "{claims}");
    }
}

#[tokio::test]
async fn each_refused_certificate_gets_its_own_page() {
    let setup = Setup::start(
        "mtls-refused",
        &[("PROPUSK_CERTIFICATES__RELOAD_SECONDS", "1")],
    );
    let unbound = setup.root.issue(Leaf::new(KeyKind::P256, "Nobody"));
    let expired = setup
        .root
        .issue(Leaf::new(KeyKind::P256, "Old").valid_days(-30, -1));
    let stranger = TestCa::root("Unknown Root").issue(Leaf::new(KeyKind::P256, "Stranger"));
    let cases = [
        (None, "no-certificate"),
        (Some(&unbound), "not-bound"),
        (Some(&expired), "refused-expired"),
        (Some(&stranger), "refused-untrusted_root"),
    ];
    for (cert, code) in cases {
        let (_, page) = setup.sign_in_page().await;
        let link = href(&page, "tls");
        let (status, _, body) = get(&tls_client(cert), &link).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{code}: {body}");
        assert_eq!(refusal(&body), code, "{body}");
    }

    // A CRL added to the running server's trust folder revokes a certificate.
    let revoked = setup.bound(KeyKind::P256);
    let crl = setup
        .dir
        .write("root.crl.pem", &setup.root.crl(&[&revoked]));
    setup
        .dir
        .json(&["admin", "ca", "add", crl.to_str().expect("path")]);
    let started = std::time::Instant::now();
    loop {
        let (_, page) = setup.sign_in_page().await;
        let (status, _, body) = get(&tls_client(Some(&revoked)), &href(&page, "tls")).await;
        if status == StatusCode::BAD_REQUEST {
            assert_eq!(refusal(&body), "refused-revoked", "{body}");
            break;
        }
        assert!(
            started.elapsed() < std::time::Duration::from_secs(15),
            "the CRL was not picked up: {status} {body}"
        );
        tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    }
}

#[tokio::test]
async fn a_handoff_works_once_and_only_in_the_browser_that_opened_the_link() {
    let setup = Setup::start("mtls-handoff", &[]);
    let cert = setup.bound(KeyKind::P256);
    let (browser, page) = setup.sign_in_page().await;
    let (_, location, _) = get(&tls_client(Some(&cert)), &href(&page, "tls")).await;
    let done = Url::parse(&location.expect("location")).expect("url");
    let other = Browser::new(&setup.issuer);
    let stolen = other.get(&done).await;
    assert_eq!(refusal(&stolen.body), "handoff-expired", "{}", stolen.body);
    assert!(!other.has_session());
    let (_, location, _) = get(&tls_client(Some(&cert)), &href(&page, "tls")).await;
    let done = Url::parse(&location.expect("location")).expect("url");
    let first = browser.navigate(&done).await;
    assert!(browser.answer(&first).is_some(), "{}", first.body);
    // The request is answered: a second use finds neither the handoff nor the request.
    let again = browser.get(&done).await;
    assert!(
        again.status.is_client_error(),
        "{} {}",
        again.status,
        again.body
    );
    assert!(browser.answer(&again).is_none(), "a second code");
}

#[tokio::test]
async fn a_forwarded_certificate_counts_only_from_a_trusted_proxy() {
    let setup = Setup::start(
        "mtls-proxy",
        &[
            ("PROPUSK_HTTP__TRUSTED_PROXIES", "127.0.0.2/32"),
            ("PROPUSK_CERTIFICATES__CLIENT_CERT_HEADER", "X-Client-Cert"),
        ],
    );
    let cert = setup.bound(KeyKind::P256);
    let escaped: String = url::form_urlencoded::byte_serialize(cert.pem.as_bytes()).collect();
    // nginx's `$ssl_client_escaped_cert` escapes spaces as %20, not `+`.
    let escaped = escaped.replace('+', "%20");
    let (_, page) = setup.sign_in_page().await;
    let mut link = href(&page, "tls");
    let main: Url = Url::parse(&setup.issuer).expect("issuer");
    link.set_port(main.port()).expect("port");
    link.set_scheme("http").expect("scheme");
    let from = |ip: &str| {
        reqwest::Client::builder()
            .local_address(ip.parse::<IpAddr>().ok())
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .expect("client")
    };
    let forwarded = |client: reqwest::Client| {
        let link = link.clone();
        let escaped = escaped.clone();
        async move {
            let response = client
                .get(link)
                .header("X-Client-Cert", escaped)
                .send()
                .await
                .expect("GET");
            (response.status(), response.text().await.expect("body"))
        }
    };
    let (status, body) = forwarded(from("127.0.0.2")).await;
    assert_eq!(status, StatusCode::SEE_OTHER, "{body}");
    let (status, body) = forwarded(from("127.0.0.1")).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    assert_eq!(refusal(&body), "no-certificate", "{body}");
}
