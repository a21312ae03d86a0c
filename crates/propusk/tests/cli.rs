//! The command line as operators script it: `config check`, the `admin` commands and
//! their `--json` shapes, exit codes, and `serve` printing its address.

mod common;

use common::TestDir;
use serde_json::Value;
use std::os::unix::fs::PermissionsExt;

#[test]
fn config_check_accepts_a_valid_file() {
    let dir = TestDir::new("config-ok");
    let file = dir.write(
        "propusk.toml",
        "issuer = \"https://id.example\"\nlisten = \"0.0.0.0:8080\"\n[keys]\nprepublish_seconds = 60\n",
    );
    let out = dir.ok(&["config", "check", file.to_str().expect("path")]);
    assert_eq!(out.trim(), "ok");
}

#[test]
fn config_check_names_an_unknown_key() {
    let dir = TestDir::new("config-unknown");
    let file = dir.write("propusk.toml", "[session]\nlifetime = 60\n");
    let err = dir.fails(&["config", "check", file.to_str().expect("path")]);
    assert!(
        err.contains("`lifetime`") && err.contains("session.lifetime"),
        "{err}"
    );
}

#[test]
fn config_check_refuses_plain_http_for_a_public_issuer() {
    let dir = TestDir::new("config-http");
    let file = dir.write("propusk.toml", "issuer = \"http://id.example\"\n");
    let err = dir.fails(&["config", "check", file.to_str().expect("path")]);
    assert!(err.contains("https"), "{err}");
}

#[test]
fn unknown_environment_variables_are_named_in_a_warning_and_do_not_stop_the_start() {
    let dir = TestDir::new("env-unknown");
    let out = dir
        .command(&["admin", "user", "list", "--json"])
        .env("PROPUSK_PORT", "tcp://10.96.0.12:8080")
        .env("PROPUSK_SERVICE_HOST", "10.96.0.12")
        .output()
        .expect("run");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{err}");
    assert!(
        err.contains("PROPUSK_PORT") && err.contains("PROPUSK_SERVICE_HOST"),
        "{err}"
    );
    let server = dir.serve(&[("PROPUSK_PORT", "tcp://10.96.0.12:8080")]);
    assert_eq!(server.get("/healthz").0, 200);
    assert!(server.log_text().contains("PROPUSK_PORT"));
}

#[test]
fn an_unknown_key_in_the_file_is_still_an_error() {
    let dir = TestDir::new("file-unknown");
    let file = dir.write("propusk.toml", "listen_port = 1\n");
    let out = dir
        .command(&[
            "--config",
            file.to_str().expect("path"),
            "admin",
            "user",
            "list",
        ])
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("listen_port"));
}

#[test]
fn plain_sqlite_urls_create_the_database() {
    let dir = TestDir::new("sqlite-plain");
    let absolute = dir.path.join("db").join("abs.db");
    let url = format!("sqlite://{}", absolute.display());
    let out = dir
        .command(&["--database-url", &url, "migrate"])
        .output()
        .expect("run");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(absolute.is_file());

    let out = dir
        .command(&[
            "--database-url",
            "sqlite:relative.db",
            "admin",
            "user",
            "list",
        ])
        .output()
        .expect("run");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(dir.path.join("relative.db").is_file());
}

#[test]
fn admin_creates_users_clients_and_products() {
    let dir = TestDir::new("admin");
    let user = dir.json(&[
        "admin",
        "user",
        "create",
        "--login",
        "Alice",
        "--password",
        "correct horse",
        "--email",
        "alice@example.com",
        "--name",
        "Alice A.",
    ]);
    assert_eq!(user["login"], "alice");
    assert!(user["id"].as_str().is_some_and(|id| !id.is_empty()));
    let mode = std::fs::metadata(dir.data_dir().join("master.key"))
        .expect("master key")
        .permissions()
        .mode();
    assert_eq!(mode & 0o777, 0o600);

    let imported = dir.json(&[
        "admin",
        "user",
        "import",
        "--login",
        "bob",
        "--password-hash",
        "$2a$12$R9h/cIPz0gi.URNNX3kh2OPST9/PgBkqquzi.Ss7KIUgO2t0jWMUW",
    ]);
    assert_eq!(imported["login"], "bob");
    let refused = dir.fails(&[
        "admin",
        "user",
        "import",
        "--login",
        "carl",
        "--password-hash",
        "md5:5f4dcc3b5aa765d61d8327deb882cf99",
    ]);
    assert!(refused.contains("not a supported hash"), "{refused}");

    let client = dir.json(&[
        "admin",
        "client",
        "create",
        "--client-id",
        "demo-web",
        "--name",
        "Demo",
        "--redirect-uri",
        "https://app.example/cb",
    ]);
    assert_eq!(client["client_id"], "demo-web");
    let secret = client["client_secret"]
        .as_str()
        .expect("a generated secret");
    assert!(secret.len() >= 43, "{secret}");
    assert_eq!(client["auth_method"], "client_secret_basic");
    assert_eq!(
        client["grant_types"],
        serde_json::json!(["authorization_code", "refresh_token"])
    );

    let public = dir.json(&[
        "admin",
        "client",
        "create",
        "--client-id",
        "spa",
        "--name",
        "SPA",
        "--public",
        "--redirect-uri",
        "http://127.0.0.1:3000/cb",
    ]);
    assert_eq!(public["client_secret"], Value::Null);
    assert_eq!(public["kind"], "public");
    assert_eq!(public["auth_method"], "none");

    let product = dir.json(&[
        "admin",
        "product",
        "create",
        "--audience",
        "extern.api",
        "--scope",
        "extern.api",
    ]);
    assert_eq!(product["audience"], "extern.api");
    assert_eq!(product["client_id"], "extern.api");
    assert!(
        product["client_secret"]
            .as_str()
            .is_some_and(|s| s.len() >= 43)
    );

    let users = dir.json(&["admin", "user", "list"]);
    assert_eq!(users.as_array().map(Vec::len), Some(2));
    assert!(users.to_string().contains("alice@example.com"));
    assert!(
        !users.to_string().contains("argon2"),
        "password hashes are never listed"
    );

    let clients = dir.json(&["admin", "client", "list"]);
    let ids: Vec<&str> = clients
        .as_array()
        .expect("array")
        .iter()
        .filter_map(|c| c["client_id"].as_str())
        .collect();
    assert_eq!(ids, vec!["demo-web", "extern.api", "spa"]);
    assert!(
        !clients.to_string().contains(secret),
        "secrets are never listed"
    );

    let products = dir.json(&["admin", "product", "list"]);
    assert_eq!(products[0]["audience"], "extern.api");
    assert_eq!(products[0]["token_format"], "jwt");

    let shown = dir.json(&["admin", "client", "show", "demo-web"]);
    assert_eq!(shown["secrets"].as_array().map(Vec::len), Some(1));
    let added = dir.json(&[
        "admin",
        "client",
        "secret",
        "add",
        "demo-web",
        "--expires-in",
        "3600",
    ]);
    assert!(added["client_secret"].as_str().is_some_and(|s| s != secret));
    let shown = dir.json(&["admin", "client", "show", "demo-web"]);
    assert_eq!(shown["secrets"].as_array().map(Vec::len), Some(2));

    dir.ok(&["admin", "client", "delete", "spa"]);
    let err = dir.fails(&["admin", "client", "show", "spa"]);
    assert!(err.contains("no client `spa`"), "{err}");
}

#[test]
fn duplicates_fail_with_a_message_and_exit_1() {
    let dir = TestDir::new("duplicates");
    let create = [
        "admin",
        "client",
        "create",
        "--client-id",
        "svc",
        "--name",
        "Svc",
        "--grant-type",
        "client_credentials",
    ];
    dir.ok(&create);
    let err = dir.fails(&create);
    assert!(err.contains("client `svc` already exists"), "{err}");
    assert!(!err.contains("panicked"), "{err}");

    dir.ok(&[
        "admin",
        "user",
        "create",
        "--login",
        "carol",
        "--password",
        "pw",
    ]);
    let err = dir.fails(&[
        "admin",
        "user",
        "create",
        "--login",
        "CAROL",
        "--password",
        "pw",
    ]);
    assert!(err.contains("already exists"), "{err}");

    let err = dir.fails(&[
        "admin",
        "product",
        "create",
        "--audience",
        "svc",
        "--scope",
        "svc.read",
    ]);
    assert!(err.contains("already exists"), "{err}");
}

#[test]
fn invalid_client_arguments_are_explained() {
    let dir = TestDir::new("client-invalid");
    let err = dir.fails(&[
        "admin",
        "client",
        "create",
        "--client-id",
        "x",
        "--name",
        "X",
        "--redirect-uri",
        "/cb",
    ]);
    assert!(err.contains("absolute"), "{err}");
    let private = r#"{"keys":[{"kty":"EC","crv":"P-256","x":"a","y":"b","d":"c"}]}"#;
    let err = dir.fails(&[
        "admin",
        "client",
        "create",
        "--client-id",
        "x",
        "--name",
        "X",
        "--grant-type",
        "client_credentials",
        "--auth-method",
        "private_key_jwt",
        "--jwks",
        private,
    ]);
    assert!(err.contains("private member `d`"), "{err}");
}

#[test]
fn script_and_plain_http_uris_are_refused_for_a_web_client() {
    let dir = TestDir::new("client-script-uris");
    let create = |extra: &[&str]| {
        let mut argv = vec![
            "admin",
            "client",
            "create",
            "--client-id",
            "x",
            "--name",
            "X",
        ];
        argv.extend_from_slice(extra);
        dir.fails(&argv)
    };
    for bad in [
        "javascript:alert(1)",
        "data:text/html,hi",
        "http://app.example/cb",
    ] {
        let err = create(&["--redirect-uri", bad]);
        assert!(err.contains("--redirect-uri"), "{bad}: {err}");
        assert!(err.contains("invalid_redirect_uri"), "{bad}: {err}");
    }
    for flag in [
        "--post-logout-redirect-uri",
        "--backchannel-logout-uri",
        "--frontchannel-logout-uri",
    ] {
        let err = create(&[
            "--redirect-uri",
            "https://app.example/cb",
            flag,
            "javascript:alert(1)",
        ]);
        assert!(err.contains(flag), "{flag}: {err}");
    }
    let listed = dir.json(&["admin", "client", "list"]);
    assert_eq!(listed.as_array().map(Vec::len), Some(0), "{listed}");
}

#[test]
fn global_options_work_before_the_subcommand() {
    let dir = TestDir::new("global-before");
    let data = dir.path.join("elsewhere");
    let data_arg = data.to_str().expect("path");
    let out = dir
        .bare_command(&[
            "admin",
            "--data-dir",
            data_arg,
            "user",
            "create",
            "--login",
            "dan",
            "--password",
            "pw",
        ])
        .output()
        .expect("run");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(data.join("master.key").is_file() && data.join("propusk.db").is_file());
    let out = dir
        .bare_command(&["--data-dir", data_arg, "admin", "user", "list", "--json"])
        .output()
        .expect("run");
    assert!(String::from_utf8_lossy(&out.stdout).contains("\"dan\""));
}

#[test]
fn serve_prints_its_address_and_accepts_connections() {
    let dir = TestDir::new("serve");
    let server = dir.serve(&[]);
    assert!(
        server.url.starts_with("http://127.0.0.1:"),
        "{}",
        server.url
    );
    let stream = std::net::TcpStream::connect(server.addr());
    assert!(
        stream.is_ok(),
        "cannot connect to {}: {}",
        server.url,
        server.log_text()
    );
    let (status, body) = server.get("/.well-known/openid-configuration");
    assert_eq!(status, 200, "discovery: {body}");
    let discovery: Value = serde_json::from_str(&body).expect("discovery JSON");
    assert_eq!(discovery["issuer"], "http://localhost:8080");
    let (status, body) = server.get("/.well-known/openid-configuration/jwks");
    assert_eq!(status, 200, "jwks: {body}");
    let keys = dir.json(&["keys", "list"]);
    let algs: Vec<&str> = keys
        .as_array()
        .expect("array")
        .iter()
        .filter_map(|k| k["alg"].as_str())
        .collect();
    for alg in ["RS256", "PS256", "ES256", "EdDSA"] {
        assert!(algs.contains(&alg), "{alg} key missing: {keys}");
    }
    assert!(
        !server.log_text().contains("master_key ="),
        "no secrets in logs"
    );
}

#[test]
fn trusted_issuers_and_logout_uris_are_managed_by_the_cli() {
    let dir = TestDir::new("trusted");
    let jwks = r#"{"keys":[{"kty":"EC","crv":"P-256","x":"f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU","y":"x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0","kid":"p1"}]}"#;
    dir.ok(&[
        "admin",
        "client",
        "create",
        "--client-id",
        "partner-app",
        "--name",
        "Partner",
        "--grant-type",
        "urn:ietf:params:oauth:grant-type:jwt-bearer",
        "--redirect-uri",
        "https://partner.example/cb",
        "--backchannel-logout-uri",
        "https://partner.example/logout",
        "--frontchannel-logout-uri",
        "https://partner.example/fc",
    ]);
    let shown = dir.json(&["admin", "client", "show", "partner-app"]);
    assert_eq!(
        shown["backchannel_logout_uri"],
        "https://partner.example/logout"
    );
    assert_eq!(
        shown["frontchannel_logout_uri"],
        "https://partner.example/fc"
    );

    let added = dir.json(&[
        "admin",
        "trusted-issuer",
        "add",
        "--issuer",
        "https://partner.example",
        "--jwks",
        jwks,
        "--client-id",
        "partner-app",
    ]);
    assert_eq!(added["issuer"], "https://partner.example", "{added}");
    let listed = dir.json(&["admin", "trusted-issuer", "list"]);
    assert!(listed.as_array().is_some_and(|l| l.len() == 1), "{listed}");
    // Private key members are refused: only public keys may be registered.
    let private = jwks.replace(r#""kid":"p1""#, r#""kid":"p1","d":"secret""#);
    let err = dir.fails(&[
        "admin",
        "trusted-issuer",
        "add",
        "--issuer",
        "https://other.example",
        "--jwks",
        &private,
        "--client-id",
        "partner-app",
    ]);
    assert!(!err.contains("panicked"), "{err}");
    dir.ok(&[
        "admin",
        "trusted-issuer",
        "delete",
        "--issuer",
        "https://partner.example",
    ]);
    let listed = dir.json(&["admin", "trusted-issuer", "list"]);
    assert!(listed.as_array().is_some_and(Vec::is_empty), "{listed}");
}

#[test]
fn scope_requests_are_listed_and_unknown_ones_cannot_be_decided() {
    let dir = TestDir::new("scope-requests");
    let product = dir.json(&[
        "admin",
        "product",
        "create",
        "--audience",
        "orders-api",
        "--scope",
        "orders.read",
        "--approval-required",
    ]);
    assert_eq!(product["audience"], "orders-api");
    assert_eq!(
        dir.json(&["admin", "scope-request", "list", "--all"]),
        serde_json::json!([])
    );
    for verb in ["approve", "refuse"] {
        let err = dir.fails(&["admin", "scope-request", verb, "no-such-request"]);
        assert!(err.contains("no-such-request"), "{err}");
    }
}
