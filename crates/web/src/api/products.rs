//! `/api/v1/products`: list, read, create, update, delete. A product owns scopes with
//! Russian and English descriptions, chooses its token format, signing alg and approval
//! policy, and has introspection credentials (a client with the audience as its id).

use super::auth::{Reader, Writer};
use super::clients::{NewSecret, PageQuery};
use super::extract::{ApiResult, Body, Params, check_if_match, done, json, tagged};
use axum::extract::Path;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use propusk_core::admin::{ProductChanges, ProductSpec, page_size};
use propusk_core::model::{Product, ProductScope, SubjectType, TokenFormat};
use propusk_types::routes;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

#[derive(Clone, Copy, Debug, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Format {
    /// JWT access tokens (RFC 9068) the product verifies itself.
    Jwt,
    /// Opaque tokens the product checks by introspection (RFC 7662).
    Reference,
}

impl From<Format> for TokenFormat {
    fn from(f: Format) -> Self {
        match f {
            Format::Jwt => Self::Jwt,
            Format::Reference => Self::Reference,
        }
    }
}

impl From<TokenFormat> for Format {
    fn from(f: TokenFormat) -> Self {
        match f {
            TokenFormat::Jwt => Self::Jwt,
            TokenFormat::Reference => Self::Reference,
        }
    }
}

/// The `sub` of the product's access tokens, one per person whichever application
/// obtained the token.
#[derive(Clone, Copy, Debug, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Subjects {
    /// Derived from the product's audience: products cannot correlate people.
    Pairwise,
    /// The account id.
    Public,
}

impl From<Subjects> for SubjectType {
    fn from(s: Subjects) -> Self {
        match s {
            Subjects::Pairwise => Self::Pairwise,
            Subjects::Public => Self::Public,
        }
    }
}

impl From<SubjectType> for Subjects {
    fn from(s: SubjectType) -> Self {
        match s {
            SubjectType::Pairwise => Self::Pairwise,
            SubjectType::Public => Self::Public,
        }
    }
}

#[derive(Clone, Debug, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ScopeDoc {
    pub name: String,
    /// Shown on the consent page in Russian.
    pub description_ru: Option<String>,
    /// Shown on the consent page in English.
    pub description_en: Option<String>,
}

impl From<ScopeDoc> for ProductScope {
    fn from(s: ScopeDoc) -> Self {
        Self {
            name: s.name,
            description_ru: s.description_ru,
            description_en: s.description_en,
        }
    }
}

#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct ProductView {
    /// The `aud` of its tokens; also its id and its introspection client id.
    pub audience: String,
    pub name: String,
    pub scopes: Vec<ScopeDoc>,
    pub token_format: Format,
    /// JWS alg of its JWT access tokens; null: the provider's default.
    pub signing_alg: Option<String>,
    /// Whether an application's request for its scopes waits for the operator.
    pub approval_required: bool,
    pub subject_type: Subjects,
    pub created_at: i64,
}

impl From<Product> for ProductView {
    fn from(p: Product) -> Self {
        Self {
            audience: p.audience,
            name: p.name,
            scopes: p
                .scopes
                .into_iter()
                .map(|s| ScopeDoc {
                    name: s.name,
                    description_ru: s.description_ru,
                    description_en: s.description_en,
                })
                .collect(),
            token_format: p.token_format.into(),
            signing_alg: p.signing_alg,
            approval_required: p.approval_required,
            subject_type: p.subject_type.into(),
            created_at: p.created_at,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct ProductPage {
    pub items: Vec<ProductView>,
    pub next_cursor: Option<String>,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewProductBody {
    pub audience: String,
    pub name: Option<String>,
    pub scopes: Vec<ScopeDoc>,
    /// `jwt` when absent.
    pub token_format: Option<Format>,
    /// `RS256`, `PS256`, `ES256` or `EdDSA`.
    pub signing_alg: Option<String>,
    #[serde(default)]
    pub approval_required: bool,
    /// `pairwise` when absent.
    pub subject_type: Option<Subjects>,
}

/// Fields to change; an absent field stays.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ProductPatch {
    pub name: Option<String>,
    /// The whole new list of scopes.
    pub scopes: Option<Vec<ScopeDoc>>,
    pub token_format: Option<Format>,
    /// An empty string goes back to the provider's default.
    pub signing_alg: Option<String>,
    pub approval_required: Option<bool>,
    pub subject_type: Option<Subjects>,
}

/// A created product and its introspection credentials, the key shown this once.
#[derive(Serialize, ToSchema)]
pub struct CreatedProduct {
    #[serde(flatten)]
    pub product: ProductView,
    pub client_id: String,
    pub client_secret: NewSecret,
}

#[utoipa::path(get, path = "/api/v1/products", tag = "products", params(PageQuery),
    responses((status = 200, description = "A page of products, ordered by audience", body = ProductPage)))]
pub async fn list(Reader(admin): Reader, Params(q): Params<PageQuery>) -> ApiResult {
    let page = admin
        .products(q.cursor.as_deref(), page_size(q.limit)?)
        .await?;
    let page = ProductPage {
        items: page.items.into_iter().map(ProductView::from).collect(),
        next_cursor: page.next_cursor,
    };
    Ok(json(StatusCode::OK, &page))
}

#[utoipa::path(post, path = "/api/v1/products", tag = "products", request_body = NewProductBody,
    responses((status = 201, description = "Created with its introspection credentials",
        body = CreatedProduct, headers(("Location" = String)))))]
pub async fn create(Writer(admin, actor): Writer, Body(body): Body<NewProductBody>) -> ApiResult {
    let spec = ProductSpec {
        audience: body.audience,
        name: body.name,
        scopes: body.scopes.into_iter().map(ProductScope::from).collect(),
        token_format: body.token_format.unwrap_or(Format::Jwt).into(),
        signing_alg: body.signing_alg,
        approval_required: body.approval_required,
        subject_type: body.subject_type.unwrap_or(Subjects::Pairwise).into(),
    };
    let (product, secret) = admin.create_product(&actor, spec).await?;
    let location = routes::with_id(routes::API_PRODUCT, &product.audience);
    let created = CreatedProduct {
        client_id: product.audience.clone(),
        product: product.into(),
        client_secret: secret.into(),
    };
    let mut response = json(StatusCode::CREATED, &created);
    if let Ok(location) = HeaderValue::from_str(&location) {
        response.headers_mut().insert(header::LOCATION, location);
    }
    Ok(response)
}

#[utoipa::path(get, path = "/api/v1/products/{id}", tag = "products",
    params(("id" = String, Path, description = "Audience of the product")),
    responses((status = 200, description = "The product", body = ProductView, headers(("ETag" = String)))))]
pub async fn read(Reader(admin): Reader, Path(id): Path<String>) -> ApiResult {
    let product = ProductView::from(admin.product(&id).await?);
    Ok(tagged(StatusCode::OK, &product))
}

#[utoipa::path(patch, path = "/api/v1/products/{id}", tag = "products", request_body = ProductPatch,
    params(("id" = String, Path, description = "Audience of the product"),
        ("If-Match" = Option<String>, Header, description = "ETag of the version read")),
    responses((status = 200, description = "The updated product", body = ProductView,
        headers(("ETag" = String)))))]
pub async fn update(
    Writer(admin, actor): Writer,
    Path(id): Path<String>,
    headers: HeaderMap,
    Body(body): Body<ProductPatch>,
) -> ApiResult {
    check_if_match(&headers, &ProductView::from(admin.product(&id).await?))?;
    let changes = ProductChanges {
        name: body.name,
        scopes: body
            .scopes
            .map(|s| s.into_iter().map(ProductScope::from).collect()),
        token_format: body.token_format.map(TokenFormat::from),
        signing_alg: body.signing_alg,
        approval_required: body.approval_required,
        subject_type: body.subject_type.map(SubjectType::from),
    };
    let product = ProductView::from(admin.update_product(&actor, &id, changes).await?);
    Ok(tagged(StatusCode::OK, &product))
}

#[utoipa::path(delete, path = "/api/v1/products/{id}", tag = "products",
    params(("id" = String, Path, description = "Audience of the product")),
    responses((status = 204, description = "Deleted with its introspection credentials")))]
pub async fn remove(Writer(admin, actor): Writer, Path(id): Path<String>) -> ApiResult {
    admin.delete_product(&actor, &id).await?;
    Ok(done())
}
