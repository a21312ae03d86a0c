//! Fixtures for handler tests: a real router on a real socket (127.0.0.1:0) over a real
//! `SqlStore` on a temporary SQLite file, a manual clock, and builder functions for
//! clients, accounts, products and authorization codes (inserted through the store, as
//! the authorization endpoint would).

// Each test binary uses its own subset of the fixtures.
#![allow(dead_code)]

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use propusk_core::clock::{Clock, ManualClock};
use propusk_core::crypto::{MasterKey, SystemRng, b64url, random_token, sha256};
use propusk_core::model::{
    Account, AuthCode, AuthMethod, Client, ClientBuilder, ClientKind, ClientSecret, Grant,
    GrantType, Product, ProductScope, Profile, TokenFormat,
};
use propusk_core::provider::{Provider, ProviderConfig};
use propusk_core::store::Store;
use propusk_types::scope::Scope;
use propusk_web::{AppState, WebConfig};
use std::path::PathBuf;
use std::sync::Arc;

pub const START: i64 = 1_700_000_000;
pub const REDIRECT_URI: &str = "https://app.example/cb";
pub const SECRET: &str = "s3cret:with+odd/chars";
pub const VERIFIER: &str = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";

pub struct Server {
    pub base: String,
    pub provider: Arc<Provider>,
    pub clock: Arc<ManualClock>,
    pub http: reqwest::Client,
    dir: PathBuf,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// A provider on a fresh database, served on a free port, issuer = its own base URL.
pub async fn server() -> Server {
    server_with(|_| {}).await
}

/// [`server`] with its configuration changed by `configure`.
pub async fn server_with(configure: impl FnOnce(&mut ProviderConfig)) -> Server {
    let rng = Arc::new(SystemRng);
    let dir = std::env::temp_dir().join(format!(
        "propusk-web-test-{}",
        random_token(rng.as_ref(), 12)
    ));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let url = format!("sqlite://{}?mode=rwc", dir.join("propusk.db").display());
    let store = propusk_store::connect(&url).await.expect("connect");
    store.migrate().await.expect("migrate");

    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let base = format!("http://{}", listener.local_addr().expect("address"));
    let clock = Arc::new(ManualClock::new(START));
    let master = MasterKey::generate(rng.as_ref());
    let mut config = ProviderConfig::new(&base);
    configure(&mut config);
    let provider = Provider::new(config, Arc::new(store), master, clock.clone(), rng);
    provider.init().await.expect("keys");
    let provider = Arc::new(provider);
    let router = propusk_web::router(AppState::new(provider.clone(), WebConfig::default()));
    tokio::spawn(async move { axum::serve(listener, router).await });
    let http = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("client");
    Server {
        base,
        provider,
        clock,
        http,
        dir,
    }
}

impl Server {
    pub fn url(&self, route: &str) -> String {
        format!("{}{route}", self.base)
    }

    pub fn store(&self) -> &dyn Store {
        self.provider.store.as_ref()
    }

    pub fn now(&self) -> i64 {
        self.clock.now()
    }

    /// Registers the client, with `secret` as its api-key when given.
    pub async fn add_client(&self, client: Client, secret: Option<&str>) -> Client {
        self.store().create_client(&client).await.expect("client");
        if let Some(secret) = secret {
            let record = ClientSecret {
                id: format!("{}-key", client.id),
                client_id: client.id.clone(),
                secret_hash: self.provider.hasher.hash(secret),
                created_at: START,
                expires_at: None,
                name: None,
                last_used_at: None,
                revoked_at: None,
            };
            self.store()
                .add_client_secret(&record)
                .await
                .expect("secret");
        }
        client
    }

    pub async fn add_account(&self, id: &str) -> Account {
        let account = account(id);
        self.store()
            .create_account(&account)
            .await
            .expect("account");
        account
    }

    pub async fn add_product(
        &self,
        audience: &str,
        scopes: &[&str],
        format: TokenFormat,
    ) -> Product {
        let product = Product {
            audience: audience.into(),
            name: audience.into(),
            scopes: scopes
                .iter()
                .map(|s| ProductScope {
                    name: (*s).into(),
                    description_ru: None,
                    description_en: None,
                })
                .collect(),
            token_format: format,
            signing_alg: None,
            approval_required: false,
            subject_type: propusk_core::model::SubjectType::Public,
            created_at: START,
        };
        self.store()
            .create_product(&product)
            .await
            .expect("product");
        product
    }

    /// Records a grant and its code as the authorization endpoint would; returns the code.
    pub async fn code(&self, setup: CodeSetup) -> String {
        let now = self.now();
        let grant = Grant {
            id: random_token(self.provider.rng.as_ref(), 12),
            client_id: setup.client_id.clone(),
            account_id: Some(setup.account_id.clone()),
            session_id: Some("session-1".into()),
            scope: Scope::parse(&setup.scope).expect("scope"),
            auth_time: Some(now - 10),
            acr: Some("urn:propusk:acr:1fa".into()),
            amr: vec!["pwd".into()],
            nonce: setup.nonce.clone(),
            claims: setup.claims.clone(),
            created_at: now,
            revoked_at: None,
        };
        self.store().insert_grant(&grant).await.expect("grant");
        let code = random_token(self.provider.rng.as_ref(), 32);
        let record = AuthCode {
            code_hash: self.provider.hasher.hash(&code),
            grant_id: grant.id,
            client_id: setup.client_id,
            redirect_uri: setup.redirect_uri,
            code_challenge: setup.challenge,
            created_at: now,
            expires_at: now + 300,
            used_at: None,
        };
        self.store().insert_code(&record).await.expect("code");
        code
    }

    /// POSTs a form to a route of the provider.
    pub async fn post(&self, route: &str, form: &[(&str, &str)]) -> reqwest::Response {
        self.http
            .post(self.url(route))
            .form(form)
            .send()
            .await
            .expect("request")
    }

    /// POSTs a form with `Authorization: Basic` built per RFC 6749 §2.3.1.
    pub async fn post_basic(
        &self,
        route: &str,
        id: &str,
        secret: &str,
        form: &[(&str, &str)],
    ) -> reqwest::Response {
        self.http
            .post(self.url(route))
            .header("authorization", basic(id, secret))
            .form(form)
            .send()
            .await
            .expect("request")
    }
}

/// `Basic base64(urlencode(id) ":" urlencode(secret))` (RFC 6749 §2.3.1).
pub fn basic(id: &str, secret: &str) -> String {
    let encode = |s: &str| serde_urlencoded::to_string([("", s)]).expect("encode")[1..].to_owned();
    format!(
        "Basic {}",
        STANDARD.encode(format!("{}:{}", encode(id), encode(secret)))
    )
}

pub fn pkce_challenge(verifier: &str) -> String {
    b64url(&sha256(verifier.as_bytes()))
}

pub struct CodeSetup {
    pub client_id: String,
    pub account_id: String,
    pub scope: String,
    pub redirect_uri: String,
    pub challenge: Option<String>,
    pub nonce: Option<String>,
    pub claims: Option<serde_json::Value>,
}

impl CodeSetup {
    pub fn new(client_id: &str, account_id: &str) -> Self {
        Self {
            client_id: client_id.into(),
            account_id: account_id.into(),
            scope: "openid profile email offline_access extern.api".into(),
            redirect_uri: REDIRECT_URI.into(),
            challenge: None,
            nonce: Some("n-0S6".into()),
            claims: None,
        }
    }

    pub fn scope(mut self, scope: &str) -> Self {
        self.scope = scope.into();
        self
    }

    pub fn pkce(mut self, verifier: &str) -> Self {
        self.challenge = Some(pkce_challenge(verifier));
        self
    }
}

/// A confidential web client with an api-key used by `method`.
pub fn confidential(id: &str, method: AuthMethod) -> Client {
    ClientBuilder::confidential(id)
        .redirect_uris(&[REDIRECT_URI])
        .grants(&[
            GrantType::AuthorizationCode,
            GrantType::RefreshToken,
            GrantType::ClientCredentials,
        ])
        .scope("openid profile email offline_access extern.api")
        .auth_method(method)
        .consent_required(false)
        .created_at(START)
        .build()
}

/// A public client (SPA, mobile): no secret, PKCE.
pub fn public(id: &str) -> Client {
    Client {
        kind: ClientKind::Public,
        grant_types: vec![GrantType::AuthorizationCode, GrantType::RefreshToken],
        ..confidential(id, AuthMethod::None)
    }
}

/// The credentials of a product (resource server): it may introspect, nothing else.
pub fn product_client(id: &str, audience: &str) -> Client {
    Client {
        grant_types: vec![],
        product: Some(audience.into()),
        ..confidential(id, AuthMethod::ClientSecretBasic)
    }
}

pub fn account(id: &str) -> Account {
    Account {
        id: id.into(),
        login: format!("{id}-login"),
        email: Some(format!("{id}@example.com")),
        phone: Some("+79990000000".into()),
        password_hash: None,
        profile: Profile {
            name: Some("Alice Example".into()),
            email_verified: true,
            ..Profile::default()
        },
        disabled: false,
        created_at: START,
        updated_at: START,
    }
}

/// Makes `pems` (roots, intermediates, CRLs, as PEM text) the provider's whole trust store.
pub fn trust(provider: &Provider, pems: &[&str]) {
    let mut store = propusk_certs::TrustStore::default();
    for pem in pems {
        store.add(propusk_certs::TrustedFile::parse(pem.as_bytes()).expect("trust file"));
    }
    provider.certificates.replace(store);
}
