//! RFC 8705 through the real binary on the certificate listener: `tls_client_auth`
//! (a certificate of the operator's trust with the registered subject DN),
//! `self_signed_tls_client_auth` (a certificate whose key is a registered JWK),
//! certificate-bound access tokens (`cnf.x5t#S256`) that userinfo honours only with
//! the same certificate, and the discovery metadata.

mod common;

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use common::cluster::{ALICE, LOGIN, PASSWORD, free_port};
use common::{Server, TestDir};
use propusk_certs::test_pki::{KeyKind, Leaf, TestCa, TestCert};
use propusk_certs::{Certificate, PublicKeyParts};
use reqwest::StatusCode;
use serde_json::{Value, json};

struct Setup {
    _dir: TestDir,
    _server: Server,
    issuer: String,
    listener: String,
    /// Issued by the trusted root, subject `CN=Partner`.
    partner: TestCert,
    /// Issued by the trusted root with another name.
    intruder: TestCert,
    /// Of a CA nobody trusts; its key is the registered JWK of `selfie`.
    own: TestCert,
    /// Of the same untrusted CA, with a key nobody registered.
    stranger: TestCert,
}

impl Setup {
    fn start(name: &str) -> Self {
        let dir = TestDir::new(name);
        let root = TestCa::root("Partner Root");
        let root_file = dir.write("root.pem", &root.pem);
        dir.json(&["admin", "ca", "add", root_file.to_str().expect("path")]);
        let mut alice = vec!["admin"];
        alice.extend_from_slice(&ALICE);
        dir.json(&alice);
        let partner = root.issue(Leaf::new(KeyKind::P256, "Partner"));
        let intruder = root.issue(Leaf::new(KeyKind::P256, "Intruder"));
        let untrusted = TestCa::root("Nobody's Root");
        let own = untrusted.issue(Leaf::new(KeyKind::P256, "Own"));
        let stranger = untrusted.issue(Leaf::new(KeyKind::Rsa, "Stranger"));
        let dn = Certificate::from_text(&partner.pem)
            .expect("certificate")
            .subject();
        dir.json(&[
            "admin",
            "client",
            "create",
            "--client-id",
            "partner",
            "--name",
            "Partner",
            "--scope",
            "openid profile",
            "--grant-type",
            "password",
            "--auth-method",
            "tls_client_auth",
            "--tls-client-auth-subject-dn",
            &dn,
            "--tls-client-certificate-bound-access-tokens",
        ]);
        let jwks = json!({ "keys": [jwk_of(&own)] }).to_string();
        dir.json(&[
            "admin",
            "client",
            "create",
            "--client-id",
            "selfie",
            "--name",
            "Selfie",
            "--scope",
            "openid profile",
            "--grant-type",
            "password",
            "--auth-method",
            "self_signed_tls_client_auth",
            "--jwks",
            &jwks,
        ]);
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
            .env("PROPUSK_CERTIFICATES__MTLS_KEY", &key);
        let server = Server::spawn(command, dir.path.join("serve.log"));
        let listener = server
            .stdout
            .iter()
            .find_map(|line| line.strip_prefix("certificate listener on "))
            .expect("the certificate listener line")
            .to_owned();
        Self {
            _dir: dir,
            _server: server,
            issuer,
            listener,
            partner,
            intruder,
            own,
            stranger,
        }
    }

    /// POST the token endpoint of the listener with `cert`: status and body.
    async fn token(&self, cert: Option<&TestCert>, form: &[(&str, &str)]) -> (StatusCode, Value) {
        let response = tls_client(cert)
            .post(format!("{}/connect/token", self.listener))
            .form(form)
            .send()
            .await
            .expect("token request");
        let status = response.status();
        (status, response.json().await.expect("JSON"))
    }

    /// Alice's access token for `partner` over mTLS with its certificate.
    async fn bound_token(&self) -> (String, Value) {
        let (status, body) = self
            .token(
                Some(&self.partner),
                &[
                    ("grant_type", "password"),
                    ("client_id", "partner"),
                    ("username", LOGIN),
                    ("password", PASSWORD),
                    ("scope", "openid profile"),
                ],
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{body}");
        let token = body["access_token"]
            .as_str()
            .expect("access_token")
            .to_owned();
        (token, body)
    }

    async fn userinfo(&self, cert: Option<&TestCert>, base: &str, token: &str) -> StatusCode {
        tls_client(cert)
            .get(format!("{base}/connect/userinfo"))
            .bearer_auth(token)
            .send()
            .await
            .expect("userinfo")
            .status()
    }
}

/// The public JWK of a test certificate's P-256 key.
fn jwk_of(cert: &TestCert) -> Value {
    let parsed = Certificate::from_text(&cert.pem).expect("certificate");
    let Some(PublicKeyParts::Ec { crv, x, y }) = parsed.public_key_parts() else {
        panic!("not an EC key");
    };
    json!({ "kty": "EC", "crv": crv, "x": URL_SAFE_NO_PAD.encode(x), "y": URL_SAFE_NO_PAD.encode(y) })
}

fn x5t(cert: &TestCert) -> String {
    Certificate::from_text(&cert.pem)
        .expect("certificate")
        .x5t_s256()
}

/// An HTTPS client presenting `cert`, or nothing.
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

/// Alice's password grant for `client_id`.
fn password_grant(client_id: &str) -> [(&str, &str); 5] {
    [
        ("grant_type", "password"),
        ("client_id", client_id),
        ("username", LOGIN),
        ("password", PASSWORD),
        ("scope", "openid profile"),
    ]
}

#[tokio::test]
async fn mtls_client_authentication_and_certificate_bound_tokens() {
    let setup = Setup::start("mtls-client-auth");

    // tls_client_auth: the registered subject DN authenticates; another name does not,
    // and neither does no certificate.
    let (status, body) = setup
        .token(Some(&setup.partner), &password_grant("partner"))
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let (status, body) = setup
        .token(Some(&setup.intruder), &password_grant("partner"))
        .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "{body}");
    assert_eq!(body["error"], "invalid_client");
    let (status, body) = setup.token(None, &password_grant("partner")).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "{body}");
    assert_eq!(body["error"], "invalid_client");
    // A certificate of nobody's trust with the right name would not do either.
    let (status, body) = setup
        .token(Some(&setup.own), &password_grant("partner"))
        .await;
    assert_eq!(body["error"], "invalid_client", "{status} {body}");

    // self_signed_tls_client_auth: the registered key authenticates, another does not.
    let (status, body) = setup
        .token(Some(&setup.own), &password_grant("selfie"))
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert!(body["access_token"].is_string(), "{body}");
    let (status, body) = setup
        .token(Some(&setup.stranger), &password_grant("selfie"))
        .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "{body}");
    assert_eq!(body["error"], "invalid_client");

    // The bound token names the certificate; introspection shows it too.
    let (token, _) = setup.bound_token().await;
    let response = tls_client(Some(&setup.partner))
        .post(format!("{}/connect/introspect", setup.listener))
        .form(&[("client_id", "partner"), ("token", token.as_str())])
        .send()
        .await
        .expect("introspect");
    let introspected: Value = response.json().await.expect("JSON");
    assert_eq!(introspected["active"], true, "{introspected}");
    assert_eq!(
        introspected["cnf"]["x5t#S256"],
        x5t(&setup.partner),
        "{introspected}"
    );

    // Userinfo with the same certificate answers.
    let listener = setup.listener.clone();
    assert_eq!(
        setup
            .userinfo(Some(&setup.partner), &listener, &token)
            .await,
        StatusCode::OK
    );

    // Discovery lists the methods, the binding and the aliases on the listener.
    let discovery: Value =
        reqwest::get(format!("{}/.well-known/openid-configuration", setup.issuer))
            .await
            .expect("discovery")
            .json()
            .await
            .expect("JSON");
    let methods = discovery["token_endpoint_auth_methods_supported"].to_string();
    assert!(methods.contains("\"tls_client_auth\""), "{methods}");
    assert!(
        methods.contains("\"self_signed_tls_client_auth\""),
        "{methods}"
    );
    assert_eq!(
        discovery["tls_client_certificate_bound_access_tokens"],
        true
    );
    let aliases = &discovery["mtls_endpoint_aliases"];
    for (name, path) in [
        ("token_endpoint", "/connect/token"),
        ("userinfo_endpoint", "/connect/userinfo"),
        ("introspection_endpoint", "/connect/introspect"),
        ("revocation_endpoint", "/connect/revocation"),
        ("pushed_authorization_request_endpoint", "/connect/par"),
    ] {
        assert_eq!(aliases[name], format!("{listener}{path}"), "{aliases}");
    }
}

/// RFC 8705 §3: a stolen certificate-bound token is worthless without the certificate's
/// key — not on the main listener, not over mTLS with another certificate.
#[tokio::test]
async fn attack_certificate_bound_token_replay_without_the_certificate() {
    let setup = Setup::start("mtls-bound-replay");
    let (token, body) = setup.bound_token().await;
    let jwt = token.split('.').count() == 3;
    let claims = jwt.then(|| token.split('.').nth(1)).flatten().map(|part| {
        serde_json::from_slice::<Value>(&URL_SAFE_NO_PAD.decode(part).expect("base64"))
            .expect("claims")
    });
    if let Some(claims) = claims {
        assert_eq!(claims["cnf"]["x5t#S256"], x5t(&setup.partner), "{body}");
    }
    let listener = setup.listener.clone();
    let issuer = setup.issuer.clone();
    assert_eq!(
        setup.userinfo(None, &issuer, &token).await,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        setup.userinfo(None, &listener, &token).await,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        setup
            .userinfo(Some(&setup.intruder), &listener, &token)
            .await,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        setup
            .userinfo(Some(&setup.partner), &listener, &token)
            .await,
        StatusCode::OK
    );
}
