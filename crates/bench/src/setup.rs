//! Data for the workloads: Propusk's clients, products and user through its admin CLI, and
//! the tokens each workload presents (a reference token, a user access token, one refresh
//! token per connection, an SSO session), obtained the way a client would.

use crate::http::{self, Conn, Req, Target, json_str};
use crate::load;
use hyper::header::{AUTHORIZATION, COOKIE};
use std::path::Path;
use std::process::Command;

pub const CSRF_COOKIE: &str = "propusk_csrf";
pub const SESSION_COOKIE: &str = "propusk_session";
pub const REDIRECT_URI: &str = "http://127.0.0.1:9/cb";
pub const LOGIN: &str = "bench";
/// The code-flow client whose ID tokens are ES256 (`bench-web`'s are RS256, the default).
pub const WEB_ES256: &str = "bench-web-es256";
/// Scope (= product audience) and signing algorithm of each JWT product.
pub const JWT_PRODUCTS: [(&str, &str); 3] = [
    ("api.rs256", "RS256"),
    ("api.es256", "ES256"),
    ("api.eddsa", "EdDSA"),
];
pub const REF_PRODUCT: &str = "ref.api";

/// Credentials shared by both servers, so that both get the same requests.
pub struct Secrets {
    /// Client `bench` (client_credentials).
    pub client: String,
    /// Client `bench-web` (code flow, refresh).
    pub web: String,
    pub password: String,
    /// Product `ref.api`'s introspection secret (Propusk generates it).
    pub product: String,
}

/// A random high-entropy secret (256 bits, base64url).
pub fn random_secret() -> String {
    use base64::Engine;
    let mut bytes = [0u8; 32];
    let _filled = aws_lc_rs::rand::fill(&mut bytes);
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

/// Creates the bench's clients, products and user in a fresh database.
pub fn provision(bin: &Path, database_url: &str, dir: &Path) -> Result<Secrets, String> {
    let (client, web, password) = (random_secret(), random_secret(), random_secret());
    // `--flag=VALUE`: a base64url secret may begin with `-`.
    let (client_arg, web_arg, password_arg) = (
        format!("--secret={client}"),
        format!("--secret={web}"),
        format!("--password={password}"),
    );
    let admin = |args: &[&str]| admin(bin, database_url, dir, args);
    let all_scopes = JWT_PRODUCTS
        .iter()
        .map(|(s, _)| *s)
        .chain([REF_PRODUCT])
        .collect::<Vec<_>>()
        .join(" ");
    admin(&[
        "client",
        "create",
        "--client-id",
        "bench",
        "--name",
        "Bench",
        "--grant-type",
        "client_credentials",
        &client_arg,
        "--scope",
        &all_scopes,
    ])?;
    for (scope, alg) in JWT_PRODUCTS {
        admin(&[
            "product",
            "create",
            "--audience",
            scope,
            "--scope",
            scope,
            "--signing-alg",
            alg,
        ])?;
    }
    let reference = admin(&[
        "product",
        "create",
        "--audience",
        REF_PRODUCT,
        "--scope",
        REF_PRODUCT,
        "--token-format",
        "reference",
    ])?;
    let product = reference["client_secret"]
        .as_str()
        .ok_or("product create printed no client_secret")?
        .to_owned();
    admin(&[
        "client",
        "create",
        "--client-id",
        "bench-web",
        "--name",
        "Bench Web",
        "--redirect-uri",
        REDIRECT_URI,
        "--scope",
        "openid profile email offline_access",
        "--grant-type",
        "authorization_code",
        "--grant-type",
        "refresh_token",
        &web_arg,
        "--no-consent",
    ])?;
    // The same application with ES256 ID tokens, for the code flow's ES256 row.
    admin(&[
        "client",
        "create",
        "--client-id",
        WEB_ES256,
        "--name",
        "Bench Web ES256",
        "--redirect-uri",
        REDIRECT_URI,
        "--scope",
        "openid profile email",
        "--grant-type",
        "authorization_code",
        "--id-token-alg",
        "ES256",
        &web_arg,
        "--no-consent",
    ])?;
    admin(&[
        "user",
        "create",
        "--login",
        LOGIN,
        &password_arg,
        "--name",
        "Bench User",
        "--email",
        "bench@example.test",
    ])?;
    Ok(Secrets {
        client,
        web,
        password,
        product,
    })
}

fn admin(
    bin: &Path,
    database_url: &str,
    dir: &Path,
    args: &[&str],
) -> Result<serde_json::Value, String> {
    let out = Command::new(bin)
        .args(["admin", "--database-url", database_url, "--data-dir"])
        .arg(dir)
        .args(args)
        .arg("--json")
        .output()
        .map_err(|e| format!("{}: {e}", bin.display()))?;
    if !out.status.success() {
        return Err(format!(
            "propusk admin {}: {}",
            args[..2].join(" "),
            String::from_utf8_lossy(&out.stderr).trim()
        ));
    }
    serde_json::from_slice(&out.stdout)
        .map_err(|e| format!("propusk admin {}: {e}", args[..2].join(" ")))
}

/// The `/connect/authorize` request of client `bench-web`, with an SSO cookie or without.
pub fn authorize(target: &Target, scope: &str, session: Option<&str>) -> Req {
    authorize_for(target, "bench-web", scope, session)
}

/// The `/connect/authorize` request of `client_id` (one of the bench's web clients).
pub fn authorize_for(target: &Target, client_id: &str, scope: &str, session: Option<&str>) -> Req {
    let query = http::form(&[
        ("response_type", "code"),
        ("client_id", client_id),
        ("redirect_uri", REDIRECT_URI),
        ("scope", scope),
        ("state", "bench-state"),
        ("nonce", "bench-nonce"),
    ]);
    let path = format!("/connect/authorize?{query}");
    match session {
        Some(value) => target.get(&path, &[(COOKIE, &format!("{SESSION_COOKIE}={value}"))]),
        None => target.get(&path, &[]),
    }
}

/// The tokens workloads present; an `Err` says why a workload cannot run.
pub struct Tokens {
    pub reference: Result<String, String>,
    pub session: Result<String, String>,
    pub access: Result<String, String>,
    pub refresh: Result<Vec<String>, String>,
}

impl Tokens {
    pub fn none() -> Self {
        fn none<T>() -> Result<T, String> {
            Err("not prepared".to_owned())
        }
        Self {
            reference: none(),
            session: none(),
            access: none(),
            refresh: none(),
        }
    }
}

/// A reference access token from client_credentials (both servers).
async fn reference_token(
    conn: &mut Conn,
    target: &Target,
    secrets: &Secrets,
) -> Result<String, String> {
    let body = http::form(&[("grant_type", "client_credentials"), ("scope", REF_PRODUCT)]);
    let auth = http::basic("bench", &secrets.client);
    let reply = conn
        .send(target.post("/connect/token", &[(AUTHORIZATION, &auth)], body))
        .await
        .map_err(|e| e.to_string())?;
    json_str(&reply.body, "access_token")
        .map(str::to_owned)
        .ok_or_else(|| format!("client_credentials: {}", reply.describe()))
}

/// Propusk: sign in once for an SSO session, then run `n` code flows with `offline_access`.
pub async fn propusk_tokens(
    target: &Target,
    secrets: &Secrets,
    n: usize,
) -> Result<Tokens, String> {
    let mut conn = Conn::open(target.addr).await.map_err(|e| e.to_string())?;
    let reference = reference_token(&mut conn, target, secrets).await;
    let session = load::sign_in(
        &mut conn,
        target,
        &authorize(target, "openid", None),
        LOGIN,
        &secrets.password,
    )
    .await
    .map_err(|e| format!("sign-in: {e}"));
    let (access, refresh) = match &session {
        Ok(cookie) => match user_tokens(&mut conn, target, secrets, cookie, n).await {
            Ok((access, refresh)) => (Ok(access), Ok(refresh)),
            Err(e) => (Err(e.clone()), Err(e)),
        },
        Err(e) => (Err(e.clone()), Err(e.clone())),
    };
    Ok(Tokens {
        reference,
        session,
        access,
        refresh,
    })
}

async fn user_tokens(
    conn: &mut Conn,
    target: &Target,
    secrets: &Secrets,
    session: &str,
    n: usize,
) -> Result<(String, Vec<String>), String> {
    let authorize = authorize(target, "openid profile email offline_access", Some(session));
    let auth = http::basic("bench-web", &secrets.web);
    let (mut access, mut refresh) = (String::new(), Vec::with_capacity(n));
    for _ in 0..n {
        let reply = conn
            .send(authorize.clone())
            .await
            .map_err(|e| e.to_string())?;
        let location = reply.location().unwrap_or_default();
        let code = http::query_param(location, "code")
            .ok_or_else(|| format!("authorize: {} {location}", reply.describe()))?;
        let body = http::form(&[
            ("grant_type", "authorization_code"),
            ("code", code),
            ("redirect_uri", REDIRECT_URI),
        ]);
        let reply = conn
            .send(target.post("/connect/token", &[(AUTHORIZATION, &auth)], body))
            .await
            .map_err(|e| e.to_string())?;
        let token = |key| {
            json_str(&reply.body, key)
                .map(str::to_owned)
                .ok_or_else(|| format!("code: {}", reply.describe()))
        };
        access = token("access_token")?;
        refresh.push(token("refresh_token")?);
    }
    Ok((access, refresh))
}

/// The peer: user tokens come from its `/bench/prepare` hook (see bench/peer/server.mjs).
pub async fn peer_tokens(target: &Target, secrets: &Secrets, n: usize) -> Result<Tokens, String> {
    let mut conn = Conn::open(target.addr).await.map_err(|e| e.to_string())?;
    let reference = reference_token(&mut conn, target, secrets).await;
    let reply = conn
        .send(target.get(&format!("/bench/prepare?n={n}"), &[]))
        .await
        .map_err(|e| e.to_string())?;
    let prepared: serde_json::Value =
        serde_json::from_slice(&reply.body).map_err(|e| format!("prepare: {e}"))?;
    let strings = |key: &str| -> Vec<String> {
        prepared[key]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|v| v.as_str().map(str::to_owned))
            .collect()
    };
    let access = strings("access_tokens")
        .into_iter()
        .next()
        .ok_or_else(|| "prepare: no access token".to_owned());
    let refresh = Some(strings("refresh_tokens"))
        .filter(|r| r.len() == n)
        .ok_or_else(|| "prepare: too few refresh tokens".to_owned());
    let session = Err("the peer's login pages are not scripted".to_owned());
    Ok(Tokens {
        reference,
        session,
        access,
        refresh,
    })
}
