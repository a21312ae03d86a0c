//! `/api/v1/clients`: list, read, create, replace, delete, suspend and resume, and api-keys (add with an
//! expiry, list, revoke). Metadata is RFC 7591 §2 client metadata, checked by the same
//! validator as dynamic registration and the integrator cabinet.

use super::auth::{Reader, Writer};
use super::extract::{ApiResult, Body, Params, check_if_match, done, json, tagged};
use crate::error::problem::ApiProblem;
use axum::extract::Path;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use propusk_core::admin::{ClientSpec, IssuedSecret, SecretView, page_size};
use propusk_core::model::Client;
use propusk_core::model::client_metadata::ClientMetadata;
use propusk_types::routes;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

/// Client metadata (RFC 7591 §2, OpenID Connect Dynamic Client Registration 1.0 §2, the
/// logout URIs of OIDC Front- and Back-Channel Logout) and lifetimes in seconds.
#[derive(Clone, Debug, Default, Serialize, Deserialize, ToSchema)]
#[serde(default)]
pub struct Metadata {
    pub redirect_uris: Vec<String>,
    /// `client_secret_basic`, `client_secret_post`, `private_key_jwt`, `none`,
    /// `tls_client_auth` or `self_signed_tls_client_auth`.
    pub token_endpoint_auth_method: Option<String>,
    pub grant_types: Option<Vec<String>>,
    pub response_types: Option<Vec<String>>,
    /// `web` or `native`.
    pub application_type: Option<String>,
    pub client_name: Option<String>,
    pub client_uri: Option<String>,
    pub logo_uri: Option<String>,
    pub policy_uri: Option<String>,
    pub tos_uri: Option<String>,
    pub contacts: Vec<String>,
    /// Space-separated scopes the client may ask for.
    pub scope: Option<String>,
    pub jwks_uri: Option<String>,
    /// A JWK Set of public keys.
    #[schema(value_type = Option<Object>)]
    pub jwks: Option<serde_json::Value>,
    /// `public` or `pairwise`.
    pub subject_type: Option<String>,
    pub id_token_signed_response_alg: Option<String>,
    pub post_logout_redirect_uris: Vec<String>,
    pub backchannel_logout_uri: Option<String>,
    pub frontchannel_logout_uri: Option<String>,
    pub code_lifetime: Option<i64>,
    pub access_token_lifetime: Option<i64>,
    pub id_token_lifetime: Option<i64>,
    pub refresh_token_lifetime: Option<i64>,
    /// Authorization requests only through `/connect/par` (RFC 9126 §6).
    pub require_pushed_authorization_requests: Option<bool>,
    /// The JWS alg of the client's request objects (OIDC Registration §2).
    pub request_object_signing_alg: Option<String>,
    /// Authorization requests only as signed request objects (RFC 9101 §10.5).
    pub require_signed_request_object: Option<bool>,
    /// The weakest `acr` the client accepts (`urn:propusk:acr:1fa` or `urn:propusk:acr:mfa`).
    pub minimum_acr: Option<String>,
    /// Token requests only with a DPoP proof; access tokens DPoP-bound (RFC 9449 §5.2).
    pub dpop_bound_access_tokens: Option<bool>,
    /// A security profile: `fapi2` for the FAPI 2.0 Security Profile.
    pub profile: Option<String>,
    /// RFC 8705 §2.1.2: with `tls_client_auth`, exactly one of the five names below.
    pub tls_client_auth_subject_dn: Option<String>,
    pub tls_client_auth_san_dns: Option<String>,
    pub tls_client_auth_san_uri: Option<String>,
    pub tls_client_auth_san_ip: Option<String>,
    pub tls_client_auth_san_email: Option<String>,
    /// RFC 8705 §3: access tokens obtained over mTLS are bound to the certificate.
    pub tls_client_certificate_bound_access_tokens: Option<bool>,
}

impl Metadata {
    fn into_core(self) -> ClientMetadata {
        ClientMetadata {
            redirect_uris: self.redirect_uris,
            token_endpoint_auth_method: self.token_endpoint_auth_method,
            grant_types: self.grant_types,
            response_types: self.response_types,
            application_type: self.application_type,
            client_name: self.client_name,
            client_uri: self.client_uri,
            logo_uri: self.logo_uri,
            policy_uri: self.policy_uri,
            tos_uri: self.tos_uri,
            contacts: self.contacts,
            scope: self.scope,
            jwks_uri: self.jwks_uri,
            jwks: self.jwks,
            subject_type: self.subject_type,
            sector_identifier_uri: None,
            id_token_signed_response_alg: self.id_token_signed_response_alg,
            post_logout_redirect_uris: self.post_logout_redirect_uris,
            backchannel_logout_uri: self.backchannel_logout_uri,
            frontchannel_logout_uri: self.frontchannel_logout_uri,
            code_lifetime: self.code_lifetime,
            access_token_lifetime: self.access_token_lifetime,
            id_token_lifetime: self.id_token_lifetime,
            refresh_token_lifetime: self.refresh_token_lifetime,
            require_pushed_authorization_requests: self.require_pushed_authorization_requests,
            request_object_signing_alg: self.request_object_signing_alg,
            require_signed_request_object: self.require_signed_request_object,
            minimum_acr: self.minimum_acr,
            dpop_bound_access_tokens: self.dpop_bound_access_tokens,
            profile: self.profile,
            tls_client_auth_subject_dn: self.tls_client_auth_subject_dn,
            tls_client_auth_san_dns: self.tls_client_auth_san_dns,
            tls_client_auth_san_uri: self.tls_client_auth_san_uri,
            tls_client_auth_san_ip: self.tls_client_auth_san_ip,
            tls_client_auth_san_email: self.tls_client_auth_san_email,
            tls_client_certificate_bound_access_tokens: self
                .tls_client_certificate_bound_access_tokens,
        }
    }

    fn of(client: &Client) -> Self {
        let m = ClientMetadata::of_client(client);
        Self {
            redirect_uris: m.redirect_uris,
            token_endpoint_auth_method: m.token_endpoint_auth_method,
            grant_types: m.grant_types,
            response_types: m.response_types,
            application_type: m.application_type,
            client_name: m.client_name,
            client_uri: m.client_uri,
            logo_uri: m.logo_uri,
            policy_uri: m.policy_uri,
            tos_uri: m.tos_uri,
            contacts: m.contacts,
            scope: m.scope,
            jwks_uri: m.jwks_uri,
            jwks: m.jwks,
            subject_type: m.subject_type,
            id_token_signed_response_alg: m.id_token_signed_response_alg,
            post_logout_redirect_uris: m.post_logout_redirect_uris,
            backchannel_logout_uri: m.backchannel_logout_uri,
            frontchannel_logout_uri: m.frontchannel_logout_uri,
            code_lifetime: m.code_lifetime,
            access_token_lifetime: m.access_token_lifetime,
            id_token_lifetime: m.id_token_lifetime,
            refresh_token_lifetime: m.refresh_token_lifetime,
            require_pushed_authorization_requests: m.require_pushed_authorization_requests,
            request_object_signing_alg: m.request_object_signing_alg,
            require_signed_request_object: m.require_signed_request_object,
            minimum_acr: m.minimum_acr,
            dpop_bound_access_tokens: m.dpop_bound_access_tokens,
            profile: m.profile,
            tls_client_auth_subject_dn: m.tls_client_auth_subject_dn,
            tls_client_auth_san_dns: m.tls_client_auth_san_dns,
            tls_client_auth_san_uri: m.tls_client_auth_san_uri,
            tls_client_auth_san_ip: m.tls_client_auth_san_ip,
            tls_client_auth_san_email: m.tls_client_auth_san_email,
            tls_client_certificate_bound_access_tokens: m
                .tls_client_certificate_bound_access_tokens,
        }
    }
}

/// A client: its id, metadata and the operator's settings.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct ClientView {
    pub client_id: String,
    #[serde(flatten)]
    pub metadata: Metadata,
    /// Browser origins allowed besides those of the redirect URIs (CORS).
    pub allowed_origins: Vec<String>,
    pub consent_required: bool,
    /// The product whose introspection credentials this client is.
    pub product: Option<String>,
    /// Suspended: it cannot authenticate or start an authorization, its tokens are inactive.
    pub suspended: bool,
    pub created_at: i64,
}

impl From<&Client> for ClientView {
    fn from(c: &Client) -> Self {
        Self {
            client_id: c.id.clone(),
            metadata: Metadata::of(c),
            allowed_origins: c.allowed_origins.clone(),
            consent_required: c.consent_required,
            product: c.product.clone(),
            suspended: c.suspended,
            created_at: c.created_at,
        }
    }
}

/// What to create or replace: metadata plus the operator's settings.
#[derive(Deserialize, ToSchema)]
pub struct ClientBody {
    /// Generated when absent (create only; a replace keeps the id of the path).
    pub client_id: Option<String>,
    #[serde(flatten)]
    pub metadata: Metadata,
    #[serde(default)]
    pub allowed_origins: Vec<String>,
    /// Users are asked to consent unless false.
    pub consent_required: Option<bool>,
}

impl ClientBody {
    fn spec(self) -> (Option<String>, ClientSpec) {
        let spec = ClientSpec {
            metadata: self.metadata.into_core(),
            allowed_origins: self.allowed_origins,
            consent_required: self.consent_required.unwrap_or(true),
        };
        (self.client_id, spec)
    }
}

#[derive(Serialize, ToSchema)]
pub struct ClientPage {
    pub items: Vec<ClientView>,
    pub next_cursor: Option<String>,
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PageQuery {
    pub cursor: Option<String>,
    #[param(minimum = 1, maximum = 200)]
    pub limit: Option<i64>,
}

/// An api-key as listed: never its value.
#[derive(Serialize, ToSchema)]
pub struct Secret {
    pub id: String,
    pub name: Option<String>,
    pub created_at: i64,
    pub expires_at: Option<i64>,
    pub last_used_at: Option<i64>,
    pub revoked_at: Option<i64>,
}

impl From<SecretView> for Secret {
    fn from(s: SecretView) -> Self {
        Self {
            id: s.id,
            name: s.name,
            created_at: s.created_at,
            expires_at: s.expires_at,
            last_used_at: s.last_used_at,
            revoked_at: s.revoked_at,
        }
    }
}

/// A new api-key, its value shown this once.
#[derive(Serialize, ToSchema)]
pub struct NewSecret {
    pub id: String,
    pub client_secret: String,
    pub expires_at: Option<i64>,
}

impl From<IssuedSecret> for NewSecret {
    fn from(s: IssuedSecret) -> Self {
        Self {
            id: s.secret.id,
            client_secret: s.value,
            expires_at: s.secret.expires_at,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct SecretList {
    pub items: Vec<Secret>,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SecretBody {
    pub name: Option<String>,
    /// Seconds until the key stops working; none: it does not expire.
    pub expires_in: Option<i64>,
}

/// A created client, with its first api-key when it authenticates with one.
#[derive(Serialize, ToSchema)]
pub struct CreatedClient {
    #[serde(flatten)]
    pub client: ClientView,
    pub client_secret: Option<NewSecret>,
}

#[utoipa::path(get, path = "/api/v1/clients", tag = "clients", params(PageQuery),
    responses((status = 200, description = "A page of clients, ordered by id", body = ClientPage)))]
pub async fn list(Reader(admin): Reader, Params(q): Params<PageQuery>) -> ApiResult {
    let page = admin
        .clients(q.cursor.as_deref(), page_size(q.limit)?)
        .await?;
    let page = ClientPage {
        items: page.items.iter().map(ClientView::from).collect(),
        next_cursor: page.next_cursor,
    };
    Ok(json(StatusCode::OK, &page))
}

#[utoipa::path(post, path = "/api/v1/clients", tag = "clients", request_body = ClientBody,
    responses((status = 201, description = "Created; the api-key is shown this once",
        body = CreatedClient, headers(("Location" = String)))))]
pub async fn create(Writer(admin, actor): Writer, Body(body): Body<ClientBody>) -> ApiResult {
    let (id, spec) = body.spec();
    let (client, secret) = admin
        .create_client(&actor, id.as_deref(), &spec, None)
        .await?;
    let created = CreatedClient {
        client: ClientView::from(&client),
        client_secret: secret.map(NewSecret::from),
    };
    let mut response = json(StatusCode::CREATED, &created);
    if let Ok(location) = HeaderValue::from_str(&routes::with_id(routes::API_CLIENT, &client.id)) {
        response.headers_mut().insert(header::LOCATION, location);
    }
    Ok(response)
}

#[utoipa::path(get, path = "/api/v1/clients/{id}", tag = "clients",
    params(("id" = String, Path, description = "Client id")),
    responses((status = 200, description = "The client", body = ClientView, headers(("ETag" = String)))))]
pub async fn read(Reader(admin): Reader, Path(id): Path<String>) -> ApiResult {
    let client = admin.client(&id).await?;
    Ok(tagged(StatusCode::OK, &ClientView::from(&client)))
}

#[utoipa::path(put, path = "/api/v1/clients/{id}", tag = "clients", request_body = ClientBody,
    params(("id" = String, Path, description = "Client id"),
        ("If-Match" = Option<String>, Header, description = "ETag of the version read")),
    responses((status = 200, description = "The client with its new metadata", body = ClientView,
        headers(("ETag" = String)))))]
pub async fn replace(
    Writer(admin, actor): Writer,
    Path(id): Path<String>,
    headers: HeaderMap,
    Body(body): Body<ClientBody>,
) -> ApiResult {
    check_if_match(&headers, &ClientView::from(&admin.client(&id).await?))?;
    let (given, spec) = body.spec();
    if given.is_some_and(|given| given != id) {
        return Err(ApiProblem::bad(
            "client_id",
            "differs from the client of the path",
        ));
    }
    let client = admin.update_client(&actor, &id, &spec).await?;
    Ok(tagged(StatusCode::OK, &ClientView::from(&client)))
}

#[utoipa::path(delete, path = "/api/v1/clients/{id}", tag = "clients",
    params(("id" = String, Path, description = "Client id")),
    responses((status = 204, description = "Deleted with its api-keys")))]
pub async fn remove(Writer(admin, actor): Writer, Path(id): Path<String>) -> ApiResult {
    admin.delete_client(&actor, &id).await?;
    Ok(done())
}

#[utoipa::path(post, path = "/api/v1/clients/{id}/suspend", tag = "clients",
    params(("id" = String, Path, description = "Client id")),
    responses((status = 200, description = "Suspended: it cannot authenticate or start an \
        authorization, and its access tokens are inactive", body = ClientView)))]
pub async fn suspend(Writer(admin, actor): Writer, Path(id): Path<String>) -> ApiResult {
    let client = admin.suspend_client(&actor, &id, true).await?;
    Ok(tagged(StatusCode::OK, &ClientView::from(&client)))
}

#[utoipa::path(post, path = "/api/v1/clients/{id}/resume", tag = "clients",
    params(("id" = String, Path, description = "Client id")),
    responses((status = 200, description = "Working again", body = ClientView)))]
pub async fn resume(Writer(admin, actor): Writer, Path(id): Path<String>) -> ApiResult {
    let client = admin.suspend_client(&actor, &id, false).await?;
    Ok(tagged(StatusCode::OK, &ClientView::from(&client)))
}

#[utoipa::path(get, path = "/api/v1/clients/{id}/secrets", tag = "clients",
    params(("id" = String, Path, description = "Client id")),
    responses((status = 200, description = "The client's api-keys, live or not", body = SecretList)))]
pub async fn secrets(Reader(admin): Reader, Path(id): Path<String>) -> ApiResult {
    let items = admin.client_secrets(&id).await?;
    let list = SecretList {
        items: items.into_iter().map(Secret::from).collect(),
    };
    Ok(json(StatusCode::OK, &list))
}

#[utoipa::path(post, path = "/api/v1/clients/{id}/secrets", tag = "clients", request_body = SecretBody,
    params(("id" = String, Path, description = "Client id")),
    responses((status = 201, description = "The new api-key, shown this once", body = NewSecret)))]
pub async fn add_secret(
    Writer(admin, actor): Writer,
    Path(id): Path<String>,
    Body(body): Body<SecretBody>,
) -> ApiResult {
    let issued = admin
        .add_client_secret(&actor, &id, body.name.as_deref(), body.expires_in)
        .await?;
    Ok(json(StatusCode::CREATED, &NewSecret::from(issued)))
}

#[utoipa::path(delete, path = "/api/v1/clients/{id}/secrets/{secret}", tag = "clients",
    params(("id" = String, Path, description = "Client id"),
        ("secret" = String, Path, description = "Api-key id")),
    responses((status = 204, description = "Revoked: the key authenticates nothing from now on")))]
pub async fn revoke_secret(
    Writer(admin, actor): Writer,
    Path((id, secret)): Path<(String, String)>,
) -> ApiResult {
    admin.revoke_client_secret(&actor, &id, &secret).await?;
    Ok(done())
}
