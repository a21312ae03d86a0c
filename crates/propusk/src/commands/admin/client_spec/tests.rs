use super::*;
use crate::cli::{AdminCommand, Cli, ClientCommand, Command};
use clap::Parser;
use propusk_core::model::{ApplicationType, Lifetimes, SubjectType};

fn args(extra: &[&str]) -> ClientCreateArgs {
    let mut argv = vec![
        "propusk",
        "admin",
        "client",
        "create",
        "--client-id",
        "demo",
        "--name",
        "Demo",
    ];
    argv.extend_from_slice(extra);
    match Cli::try_parse_from(argv).expect("parses").command {
        Command::Admin(AdminCommand::Client(ClientCommand::Create(args))) => *args,
        other => panic!("unexpected {other:?}"),
    }
}

fn build_ok(extra: &[&str]) -> (Client, SecretPlan) {
    build(&args(extra), 100).expect("valid")
}

fn build_err(extra: &[&str]) -> String {
    build(&args(extra), 100).expect_err("invalid").to_string()
}

const RSA_PUBLIC: &str = r#"{"keys":[{"kty":"RSA","kid":"1","n":"sXch","e":"AQAB"}]}"#;

#[test]
fn defaults_make_a_confidential_code_client() {
    let (client, secret) = build_ok(&["--redirect-uri", "https://app.example/cb"]);
    assert_eq!(client.kind, ClientKind::Confidential);
    assert_eq!(client.auth_method, AuthMethod::ClientSecretBasic);
    assert_eq!(
        client.grant_types,
        vec![GrantType::AuthorizationCode, GrantType::RefreshToken]
    );
    assert_eq!(
        client.scope.to_string(),
        "email offline_access openid phone profile"
    );
    assert!(client.consent_required);
    assert_eq!(client.subject_type, SubjectType::Public);
    assert_eq!(client.lifetimes, Lifetimes::default());
    assert_eq!(secret, SecretPlan::Generate);
}

#[test]
fn public_clients_have_no_secret() {
    let (client, secret) = build_ok(&["--public", "--redirect-uri", "http://127.0.0.1/cb"]);
    assert_eq!(client.kind, ClientKind::Public);
    assert_eq!(client.auth_method, AuthMethod::None);
    assert_eq!(secret, SecretPlan::None);
    assert!(
        build_err(&[
            "--public",
            "--redirect-uri",
            "https://a/cb",
            "--secret",
            "x"
        ])
        .contains("no secret")
    );
    assert!(
        build_err(&["--public", "--grant-type", "client_credentials"])
            .contains("client_credentials")
    );
    assert!(
        build_err(&["--auth-method", "none", "--redirect-uri", "https://a/cb"])
            .contains("--public")
    );
}

#[test]
fn a_secret_can_be_imported() {
    let (_, secret) = build_ok(&[
        "--grant-type",
        "client_credentials",
        "--secret",
        "legacy-key",
    ]);
    assert_eq!(secret, SecretPlan::Import("legacy-key".into()));
}

#[test]
fn private_key_jwt_needs_public_keys() {
    let (client, secret) = build_ok(&[
        "--grant-type",
        "client_credentials",
        "--auth-method",
        "private_key_jwt",
        "--jwks",
        RSA_PUBLIC,
    ]);
    assert_eq!(client.auth_method, AuthMethod::PrivateKeyJwt);
    assert_eq!(client.jwks.map(|j| j.keys.len()), Some(1));
    assert_eq!(secret, SecretPlan::None);
    let cc = [
        "--grant-type",
        "client_credentials",
        "--auth-method",
        "private_key_jwt",
    ];
    assert!(build_err(&cc).contains("--jwks: private_key_jwt needs jwks"));
    let private = r#"{"keys":[{"kty":"RSA","n":"sXch","e":"AQAB","d":"secret"}]}"#;
    assert!(build_err(&[&cc[..], &["--jwks", private]].concat()).contains("private member `d`"));
    assert!(build_err(&[&cc[..], &["--jwks", r#"{"keys":[]}"#]].concat()).contains("non-empty"));
    assert!(
        build_err(&[&cc[..], &["--jwks", r#"{"keys":[{"kty":"oct"}]}"#]].concat()).contains("kty")
    );
    assert!(
        build_err(&["--grant-type", "client_credentials", "--jwks", RSA_PUBLIC])
            .contains("only with")
    );
    let (client, secret) =
        build_ok(&[&cc[..], &["--jwks-uri", "https://rp.example/jwks"]].concat());
    assert_eq!(client.jwks_uri.as_deref(), Some("https://rp.example/jwks"));
    assert_eq!(client.jwks, None);
    assert_eq!(secret, SecretPlan::None);
    for bad in ["http://rp.example/jwks", "https://127.0.0.1/jwks#x"] {
        let message = build_err(&[&cc[..], &["--jwks-uri", bad]].concat());
        assert!(message.contains("--jwks-uri"), "{bad}: {message}");
    }
    let both = build_err(
        &[
            &cc[..],
            &[
                "--jwks",
                RSA_PUBLIC,
                "--jwks-uri",
                "https://rp.example/jwks",
            ],
        ]
        .concat(),
    );
    assert!(both.contains("not both"), "{both}");
}

#[test]
fn redirect_uris_are_absolute_without_fragment() {
    assert!(build_err(&["--redirect-uri", "/cb"]).contains("absolute"));
    assert!(build_err(&["--redirect-uri", "https://app.example/cb#x"]).contains("fragment"));
    assert!(build_err(&[]).contains("--redirect-uri: the authorization_code grant needs"));
    assert!(
        build_err(&[
            "--post-logout-redirect-uri",
            "nope",
            "--redirect-uri",
            "https://a/cb"
        ])
        .contains("--post-logout")
    );
}

#[test]
fn grants_lifetimes_and_options_are_checked() {
    assert!(build_err(&["--grant-type", "implicit"]).contains("unknown"));
    assert!(
        build_err(&["--grant-type", "client_credentials", "--code-ttl", "0"])
            .contains("--code-ttl")
    );
    assert!(check_identifier("--client-id", "has space").is_err());
    assert!(check_identifier("--client-id", "").is_err());
    let (client, _) = build_ok(&[
        "--grant-type",
        "client_credentials",
        "--access-token-ttl",
        "60",
        "--no-consent",
        "--subject-type",
        "pairwise",
        "--id-token-alg",
        "ES256",
        "--scope",
        "api.read",
    ]);
    assert_eq!(client.grant_types, vec![GrantType::ClientCredentials]);
    assert_eq!(client.lifetimes.access_token, 60);
    assert!(!client.consent_required);
    assert_eq!(client.subject_type, SubjectType::Pairwise);
    assert_eq!(client.id_token_signing_alg.as_deref(), Some("ES256"));
    assert_eq!(client.scope.to_string(), "api.read");
}

#[test]
fn native_clients_are_public_unless_they_have_keys() {
    let (client, secret) = build_ok(&[
        "--application-type",
        "native",
        "--redirect-uri",
        "http://127.0.0.1/callback",
        "--redirect-uri",
        "com.example.desktop:/callback",
    ]);
    assert_eq!(client.application_type, ApplicationType::Native);
    assert_eq!(client.kind, ClientKind::Public);
    assert_eq!(client.auth_method, AuthMethod::None);
    assert_eq!(secret, SecretPlan::None);
    let (client, secret) = build_ok(&[
        "--application-type",
        "native",
        "--redirect-uri",
        "http://[::1]/callback",
        "--auth-method",
        "private_key_jwt",
        "--jwks",
        RSA_PUBLIC,
    ]);
    assert_eq!(client.kind, ClientKind::Confidential);
    assert_eq!(client.auth_method, AuthMethod::PrivateKeyJwt);
    assert_eq!(secret, SecretPlan::None);
}

#[test]
fn redirect_uris_follow_the_rules_of_the_application_type() {
    for bad in [
        "javascript:alert(1)",
        "http://app.example/cb",
        "https://*.app.example/cb",
        "com.example.app:/cb",
    ] {
        let message = build_err(&["--redirect-uri", bad]);
        assert!(message.contains("--redirect-uri"), "{bad}: {message}");
    }
    let message = build_err(&[
        "--application-type",
        "native",
        "--redirect-uri",
        "myapp:/cb",
    ]);
    assert!(message.contains("reversed domain"), "{message}");
    let message = build_err(&[
        "--redirect-uri",
        "https://app.example/cb",
        "--post-logout-redirect-uri",
        "javascript:alert(1)",
    ]);
    assert!(message.contains("--post-logout-redirect-uri"), "{message}");
    for flag in ["--backchannel-logout-uri", "--frontchannel-logout-uri"] {
        for bad in ["javascript:alert(1)", "http://rp.example/logout"] {
            let message = build_err(&["--redirect-uri", "https://app.example/cb", flag, bad]);
            assert!(message.contains(flag), "{flag} {bad}: {message}");
        }
    }
}

#[test]
fn allowed_origins_are_bare_origins() {
    let (client, _) = build_ok(&[
        "--redirect-uri",
        "https://app.example/cb",
        "--allowed-origin",
        "https://other.example",
        "--allowed-origin",
        "http://127.0.0.1:3000",
    ]);
    assert_eq!(
        client.allowed_origins,
        ["https://other.example", "http://127.0.0.1:3000"]
    );
    for bad in [
        "https://other.example/",
        "other.example",
        "null",
        "https://a.example/x",
    ] {
        let message = build_err(&[
            "--redirect-uri",
            "https://app.example/cb",
            "--allowed-origin",
            bad,
        ]);
        assert!(message.contains("--allowed-origin"), "{bad}: {message}");
    }
}
