//! Fixtures as builder functions: accounts, clients (with their api-key) and products,
//! written straight into the server's store as an operator's CLI would.

use crate::server::TestServer;
use crate::{PASSWORD, STATE};
pub use propusk_core::model::ClientBuilder;
use propusk_core::model::{
    Account, AuthMethod, Client, ClientSecret, Product, ProductScope, Profile, TokenFormat,
};

/// An account as a test knows it.
#[derive(Clone, Debug)]
pub struct TestAccount {
    pub id: String,
    pub login: String,
    pub password: String,
}

/// A client as a test knows it: its id and, for secret-based methods, the api-key value.
#[derive(Clone, Debug)]
pub struct TestClient {
    pub id: String,
    pub secret: Option<String>,
    pub redirect_uri: String,
    pub record: Client,
}

impl TestClient {
    pub fn secret(&self) -> &str {
        self.secret.as_deref().expect("the client has no secret")
    }

    /// `client_secret_basic` credentials of this client.
    pub fn basic(&self) -> crate::endpoints::Auth<'_> {
        crate::endpoints::Auth::Basic(&self.id, self.secret())
    }

    /// A valid code request (scope `openid profile`, `state` [`STATE`]) with `set`
    /// replacing or adding parameters and the names in `drop` removed.
    pub fn code_request<'a>(
        &'a self,
        set: &[(&'a str, &'a str)],
        drop: &[&str],
    ) -> Vec<(&'a str, &'a str)> {
        let mut params = vec![
            ("response_type", "code"),
            ("client_id", self.id.as_str()),
            ("redirect_uri", self.redirect_uri.as_str()),
            ("scope", "openid profile"),
            ("state", STATE),
        ];
        for (name, value) in set {
            match params.iter_mut().find(|(n, _)| n == name) {
                Some(slot) => slot.1 = value,
                None => params.push((name, value)),
            }
        }
        params.retain(|(n, _)| !drop.contains(n));
        params
    }
}

pub struct AccountBuilder {
    login: String,
    password: String,
    email: Option<String>,
    name: Option<String>,
}

impl AccountBuilder {
    pub fn new(login: &str) -> Self {
        Self {
            login: login.to_owned(),
            password: PASSWORD.to_owned(),
            email: None,
            name: None,
        }
    }

    pub fn password(mut self, password: &str) -> Self {
        self.password = password.to_owned();
        self
    }

    pub fn email(mut self, email: &str) -> Self {
        self.email = Some(email.to_owned());
        self
    }

    pub fn name(mut self, name: &str) -> Self {
        self.name = Some(name.to_owned());
        self
    }
}

pub struct ProductBuilder {
    product: Product,
}

impl ProductBuilder {
    /// A product whose audience is also its one scope, with JWT access tokens.
    pub fn new(audience: &str) -> Self {
        Self {
            product: Product {
                audience: audience.to_owned(),
                name: format!("Product {audience}"),
                scopes: vec![scope_of(audience)],
                token_format: TokenFormat::Jwt,
                signing_alg: None,
                approval_required: false,
                subject_type: propusk_core::model::SubjectType::Public,
                created_at: 0,
            },
        }
    }

    pub fn scopes(mut self, scopes: &[&str]) -> Self {
        self.product.scopes = scopes.iter().map(|s| scope_of(s)).collect();
        self
    }

    /// Access tokens carry a `sub` derived from the product's audience.
    pub fn pairwise_subjects(mut self) -> Self {
        self.product.subject_type = propusk_core::model::SubjectType::Pairwise;
        self
    }

    pub fn reference_tokens(mut self) -> Self {
        self.product.token_format = TokenFormat::Reference;
        self
    }
}

fn scope_of(name: &str) -> ProductScope {
    ProductScope {
        name: name.to_owned(),
        description_ru: None,
        description_en: None,
    }
}

impl TestServer {
    pub async fn account(&self, builder: AccountBuilder) -> TestAccount {
        let provider = &self.provider;
        let now = provider.now();
        let hash = provider
            .passwords
            .hash(provider.rng.as_ref(), &builder.password)
            .expect("hashing the password");
        let account = Account {
            id: crate::random(12),
            login: builder.login.clone(),
            email: builder.email,
            phone: None,
            password_hash: Some(hash),
            profile: Profile {
                name: builder.name,
                email_verified: true,
                ..Profile::default()
            },
            disabled: false,
            created_at: now,
            updated_at: now,
        };
        self.store()
            .create_account(&account)
            .await
            .expect("creating the account");
        TestAccount {
            id: account.id,
            login: builder.login,
            password: builder.password,
        }
    }

    /// A browser in which `account` signed in through a full authorization of `client`
    /// for `scope` (consenting when asked).
    pub async fn signed_in(
        &self,
        account: &TestAccount,
        client: &TestClient,
        scope: &str,
    ) -> crate::Browser {
        let browser = self.browser();
        let url = self.authorize_url(&client.code_request(&[("scope", scope)], &[]));
        let answer = browser
            .authorize(&url, &account.login, &account.password)
            .await;
        assert!(
            answer.param("code").is_some(),
            "sign-in flow failed: {}",
            answer.location
        );
        assert!(browser.has_session());
        browser
    }

    /// A code for `client`, from an authorization by `account` (signing in and consenting)
    /// for `openid email offline_access`, with `extra` parameters such as PKCE.
    pub async fn code_for(
        &self,
        account: &TestAccount,
        client: &TestClient,
        extra: &[(&str, &str)],
    ) -> String {
        let mut params = client.code_request(&[("scope", "openid email offline_access")], &[]);
        params.extend_from_slice(extra);
        let url = self.authorize_url(&params);
        let answer = self
            .browser()
            .authorize(&url, &account.login, &account.password)
            .await;
        answer.code().to_owned()
    }

    /// The token endpoint's answer for a code of `client` (authenticating with its
    /// api-key), from an authorization by `account` for `scope`.
    pub async fn code_exchange(
        &self,
        account: &TestAccount,
        client: &TestClient,
        scope: &str,
    ) -> crate::endpoints::Answer {
        let url = self.authorize_url(&client.code_request(&[("scope", scope)], &[]));
        let answer = self
            .browser()
            .authorize(&url, &account.login, &account.password)
            .await;
        self.token(
            &client.basic(),
            &[
                ("grant_type", "authorization_code"),
                ("code", answer.code()),
                ("redirect_uri", &client.redirect_uri),
            ],
        )
        .await
    }

    /// Alice, with an e-mail and a name, and the default password.
    pub async fn alice(&self) -> TestAccount {
        self.account(
            AccountBuilder::new("alice")
                .email("alice@example.com")
                .name("Alice Liddell"),
        )
        .await
    }

    /// Stores the client; secret-based clients get a fresh api-key, stored hashed.
    pub async fn client(&self, builder: ClientBuilder) -> TestClient {
        let provider = &self.provider;
        let mut client = builder.build();
        client.created_at = provider.now();
        self.store()
            .create_client(&client)
            .await
            .expect("creating the client");
        let secret = match client.auth_method {
            AuthMethod::ClientSecretBasic | AuthMethod::ClientSecretPost => {
                let value = crate::random(32);
                let record = ClientSecret {
                    id: crate::random(9),
                    client_id: client.id.clone(),
                    secret_hash: provider.hasher.hash(&value),
                    created_at: client.created_at,
                    expires_at: None,
                    name: None,
                    last_used_at: None,
                    revoked_at: None,
                };
                self.store()
                    .add_client_secret(&record)
                    .await
                    .expect("storing the client secret");
                Some(value)
            }
            AuthMethod::PrivateKeyJwt
            | AuthMethod::None
            | AuthMethod::TlsClientAuth
            | AuthMethod::SelfSignedTlsClientAuth => None,
        };
        let redirect_uri = client.redirect_uris.first().cloned().unwrap_or_default();
        TestClient {
            id: client.id.clone(),
            secret,
            redirect_uri,
            record: client,
        }
    }

    pub async fn product(&self, builder: ProductBuilder) -> Product {
        let mut product = builder.product;
        product.created_at = self.provider.now();
        self.store()
            .create_product(&product)
            .await
            .expect("creating the product");
        product
    }
}
