//! Products (resource servers): create, update, delete. A product owns scopes, described
//! in Russian and English for the consent page, and is the audience of tokens that carry
//! them (RFC 9068, RFC 8707); it chooses the token format, the signing alg and whether an
//! application's request for its scopes waits for the operator. Creating one also creates
//! its introspection credentials: a confidential client, id = audience, with no grants
//! (RFC 7662 §2.1), whose generated key is returned once.

use super::clients::IssuedSecret;
use super::{Actor, Admin, AdminError, AdminResult, Page, Subject, invalid, not_found};
use crate::jose::Alg;
use crate::model::{
    AuditKind, AuthMethod, Client, ClientKind, Lifetimes, Product, ProductScope, SubjectType,
    TokenFormat,
};
use crate::store::StoreError;
use propusk_types::scope::{STANDARD_SCOPES, Scope};

/// A product to create.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProductSpec {
    pub audience: String,
    pub name: Option<String>,
    pub scopes: Vec<ProductScope>,
    pub token_format: TokenFormat,
    pub signing_alg: Option<String>,
    pub approval_required: bool,
    /// The `sub` its tokens carry: pairwise from its audience, or the account id.
    pub subject_type: SubjectType,
}

/// Changes to a product; a field left `None` stays.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ProductChanges {
    pub name: Option<String>,
    pub scopes: Option<Vec<ProductScope>>,
    pub token_format: Option<TokenFormat>,
    /// `Some("")` goes back to the provider's default alg.
    pub signing_alg: Option<String>,
    pub approval_required: Option<bool>,
    pub subject_type: Option<SubjectType>,
}

fn description(text: Option<&str>) -> AdminResult<Option<String>> {
    let Some(text) = text.map(str::trim).filter(|t| !t.is_empty()) else {
        return Ok(None);
    };
    if text.chars().count() > 300 || text.chars().any(char::is_control) {
        return Err(invalid(
            "scopes",
            "a description has at most 300 characters and no control characters",
        ));
    }
    Ok(Some(text.to_owned()))
}

/// Scopes as given: each one valid scope token, not an OpenID Connect or management
/// scope, each once.
fn checked_scopes(scopes: &[ProductScope]) -> AdminResult<Vec<ProductScope>> {
    let mut out: Vec<ProductScope> = Vec::new();
    for scope in scopes {
        let parsed = Scope::parse(&scope.name)
            .ok()
            .filter(|s| s.iter().count() == 1);
        if parsed.is_none() {
            return Err(invalid("scopes", "each name must be one valid scope token"));
        }
        if STANDARD_SCOPES.contains(&scope.name.as_str()) || super::is_admin_scope(&scope.name) {
            return Err(invalid(
                "scopes",
                format!(
                    "`{}` is the provider's own scope, not a product scope",
                    scope.name
                ),
            ));
        }
        if out.iter().any(|s| s.name == scope.name) {
            return Err(invalid(
                "scopes",
                format!("`{}` is given twice", scope.name),
            ));
        }
        out.push(ProductScope {
            name: scope.name.clone(),
            description_ru: description(scope.description_ru.as_deref())?,
            description_en: description(scope.description_en.as_deref())?,
        });
    }
    if out.is_empty() {
        return Err(invalid("scopes", "a product needs at least one scope"));
    }
    Ok(out)
}

fn signing_alg(text: Option<&str>) -> AdminResult<Option<String>> {
    match text.filter(|t| !t.is_empty()) {
        None => Ok(None),
        Some(text) => text
            .parse::<Alg>()
            .map(|alg| Some(alg.as_str().to_owned()))
            .map_err(|_| invalid("signing_alg", "one of RS256, PS256, ES256, EdDSA")),
    }
}

fn name(text: Option<&str>, audience: &str) -> AdminResult<String> {
    let text = text
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .unwrap_or(audience);
    if text.chars().count() > 200 || text.chars().any(char::is_control) {
        return Err(invalid(
            "name",
            "at most 200 characters, no control characters",
        ));
    }
    Ok(text.to_owned())
}

/// The product's own credentials: confidential, Basic, no grants (it only introspects).
fn product_client(product: &Product) -> Client {
    Client {
        id: product.audience.clone(),
        name: format!("{} (product)", product.name),
        kind: ClientKind::Confidential,
        application_type: Default::default(),
        redirect_uris: Vec::new(),
        post_logout_redirect_uris: Vec::new(),
        allowed_origins: Vec::new(),
        grant_types: Vec::new(),
        scope: Scope::default(),
        auth_method: AuthMethod::ClientSecretBasic,
        jwks: None,
        jwks_uri: None,
        consent_required: false,
        subject_type: SubjectType::Public,
        sector_identifier: None,
        suspended: false,
        lifetimes: Lifetimes::default(),
        id_token_signing_alg: None,
        backchannel_logout_uri: None,
        frontchannel_logout_uri: None,
        product: Some(product.audience.clone()),
        links: Default::default(),
        require_pushed_authorization_requests: false,
        request_object_signing_alg: None,
        require_signed_request_object: false,
        minimum_acr: None,
        dpop_bound_access_tokens: false,
        profile: crate::model::ClientProfile::Default,
        tls_client_auth: None,
        tls_client_certificate_bound_access_tokens: false,
        bound_certificate: None,
        created_at: product.created_at,
    }
}

impl Admin {
    pub async fn products(&self, cursor: Option<&str>, limit: i64) -> AdminResult<Page<Product>> {
        let all = self.provider.store.list_products().await?;
        super::page_by_key(all, |p| p.audience.as_str(), cursor, limit)
    }

    pub async fn product(&self, audience: &str) -> AdminResult<Product> {
        self.provider
            .store
            .get_product(audience)
            .await?
            .ok_or_else(|| not_found("product", audience))
    }

    /// Refuses scopes another product owns.
    async fn scopes_free(&self, audience: &str, scopes: &[ProductScope]) -> AdminResult<()> {
        for other in self.provider.store.list_products().await? {
            if other.audience == audience {
                continue;
            }
            if let Some(taken) = scopes.iter().find(|s| other.owns_scope(&s.name)) {
                return Err(AdminError::Conflict(format!(
                    "scope `{}` already belongs to product `{}`",
                    taken.name, other.audience
                )));
            }
        }
        Ok(())
    }

    /// Creates the product and its introspection client; returns the client's key once.
    pub async fn create_product(
        &self,
        actor: &Actor,
        spec: ProductSpec,
    ) -> AdminResult<(Product, IssuedSecret)> {
        let p = &self.provider;
        super::clients::check_client_id("audience", &spec.audience)?;
        let scopes = checked_scopes(&spec.scopes)?;
        if p.store.get_product(&spec.audience).await?.is_some() {
            return Err(AdminError::Conflict(format!(
                "product `{}` already exists",
                spec.audience
            )));
        }
        if p.store.get_client(&spec.audience).await?.is_some() {
            return Err(AdminError::Conflict(format!(
                "client `{}` already exists; a product's audience is also its client id",
                spec.audience
            )));
        }
        self.scopes_free(&spec.audience, &scopes).await?;
        let product = Product {
            name: name(spec.name.as_deref(), &spec.audience)?,
            audience: spec.audience,
            scopes,
            token_format: spec.token_format,
            signing_alg: signing_alg(spec.signing_alg.as_deref())?,
            approval_required: spec.approval_required,
            subject_type: spec.subject_type,
            created_at: p.now(),
        };
        let conflict = |e: StoreError| match e {
            StoreError::Conflict(_) => {
                AdminError::Conflict(format!("product `{}` already exists", product.audience))
            }
            other => other.into(),
        };
        p.store
            .create_client(&product_client(&product))
            .await
            .map_err(conflict)?;
        p.store.create_product(&product).await.map_err(conflict)?;
        let subject = Subject {
            client_id: Some(&product.audience),
            detail: Some(&product.audience),
            ..Subject::default()
        };
        self.record(actor, AuditKind::ProductCreated, subject)
            .await?;
        let secret = self
            .add_client_secret(actor, &product.audience, None, None)
            .await?;
        Ok((product, secret))
    }

    pub async fn update_product(
        &self,
        actor: &Actor,
        audience: &str,
        changes: ProductChanges,
    ) -> AdminResult<Product> {
        let mut product = self.product(audience).await?;
        if let Some(text) = &changes.name {
            product.name = name(Some(text), audience)?;
        }
        if let Some(scopes) = &changes.scopes {
            let scopes = checked_scopes(scopes)?;
            self.scopes_free(audience, &scopes).await?;
            product.scopes = scopes;
        }
        if let Some(format) = changes.token_format {
            product.token_format = format;
        }
        if let Some(text) = &changes.signing_alg {
            product.signing_alg = signing_alg(Some(text))?;
        }
        if let Some(subject_type) = changes.subject_type {
            product.subject_type = subject_type;
        }
        if let Some(required) = changes.approval_required {
            product.approval_required = required;
        }
        self.provider.store.update_product(&product).await?;
        let subject = Subject {
            client_id: Some(audience),
            detail: Some(audience),
            ..Subject::default()
        };
        self.record(actor, AuditKind::ProductUpdated, subject)
            .await?;
        Ok(product)
    }

    /// Deletes the product and its introspection client.
    pub async fn delete_product(&self, actor: &Actor, audience: &str) -> AdminResult<()> {
        let p = &self.provider;
        if !p.store.delete_product(audience).await? {
            return Err(not_found("product", audience));
        }
        let own = p.store.get_client(audience).await?;
        if own.is_some_and(|c| c.product.as_deref() == Some(audience)) {
            p.store.delete_client(audience).await?;
        }
        let subject = Subject {
            client_id: Some(audience),
            detail: Some(audience),
            ..Subject::default()
        };
        self.record(actor, AuditKind::ProductDeleted, subject).await
    }
}
