//! The OpenAPI 3.1 document of the management API, generated from the handlers' and
//! types' annotations (utoipa), served at `/api/openapi.json`. Every operation is
//! documented with the problem-details answers it may give (RFC 9457) and the bearer
//! scheme with the scope it needs.

use super::{audit, clients, keys, products, scope_requests, trusted_issuers, users};
use crate::error::problem::Problem;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use std::sync::OnceLock;
use utoipa::openapi::path::Operation;
use utoipa::openapi::security::{Http, HttpAuthScheme, SecurityRequirement, SecurityScheme};
use utoipa::openapi::{ContentBuilder, Ref, RefOr, ResponseBuilder};
use utoipa::{Modify, OpenApi};

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Propusk management API",
        description = "Operators' actions over users, clients, products, signing keys and the \
            audit trail. Authorize with an access token of a client holding the scope \
            `propusk:admin` (read and write) or `propusk:admin.read` (read only), obtained \
            with the client_credentials grant."
    ),
    paths(
        users::list, users::create, users::read, users::update, users::remove,
        users::block, users::unblock, users::reset_second_factor, users::sign_out,
        clients::list, clients::create, clients::read, clients::replace, clients::remove,
        clients::suspend, clients::resume,
        clients::secrets, clients::add_secret, clients::revoke_secret,
        products::list, products::create, products::read, products::update, products::remove,
        scope_requests::list, scope_requests::approve, scope_requests::refuse,
        trusted_issuers::list, trusted_issuers::save, trusted_issuers::remove,
        keys::list, keys::rotate,
        audit::list, audit::export,
    ),
    components(schemas(Problem, audit::OutputFormat)),
    modifiers(&Refusals),
    tags(
        (name = "users"), (name = "clients"), (name = "products"), (name = "scope-requests"), (name = "trusted-issuers"),
        (name = "keys"),
        (name = "audit")
    )
)]
struct ApiDoc;

/// Adds the bearer scheme and the problem answers every operation may give.
struct Refusals;

fn problem(description: &str) -> RefOr<utoipa::openapi::Response> {
    let content = ContentBuilder::new()
        .schema(Some(Ref::from_schema_name("Problem")))
        .build();
    ResponseBuilder::new()
        .description(description)
        .content("application/problem+json", content)
        .build()
        .into()
}

fn add_refusals(operation: &mut Operation, method: &str, scope: &str, path: &str) {
    let mut answers: Vec<(&str, &str)> = vec![
        ("400", "The request is malformed or a value is refused"),
        ("401", "No access token, or one not valid here"),
        ("403", "The access token lacks the scope"),
        ("500", "The server failed; nothing is said why"),
    ];
    if path.contains('{') {
        answers.push(("404", "No such resource"));
    }
    if matches!(method, "post" | "put" | "patch") {
        answers.push(("409", "An identifier is taken"));
        answers.push(("415", "The body is not JSON"));
    }
    if matches!(method, "put" | "patch") {
        answers.push(("412", "If-Match names another version"));
    }
    let responses = &mut operation.responses.responses;
    for (status, description) in answers {
        responses
            .entry(status.to_owned())
            .or_insert_with(|| problem(description));
    }
    operation.security = Some(vec![SecurityRequirement::new("bearer", [scope])]);
}

impl Modify for Refusals {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(Http::new(HttpAuthScheme::Bearer)),
        );
        for (path, item) in openapi.paths.paths.iter_mut() {
            let read = propusk_core::admin::ADMIN_READ_SCOPE;
            let write = propusk_core::admin::ADMIN_SCOPE;
            for (method, operation, scope) in [
                ("get", item.get.as_mut(), read),
                ("post", item.post.as_mut(), write),
                ("put", item.put.as_mut(), write),
                ("patch", item.patch.as_mut(), write),
                ("delete", item.delete.as_mut(), write),
            ] {
                if let Some(operation) = operation {
                    add_refusals(operation, method, scope, path);
                }
            }
        }
    }
}

/// The document as JSON text, built once.
pub fn document() -> &'static str {
    static DOCUMENT: OnceLock<String> = OnceLock::new();
    DOCUMENT.get_or_init(|| ApiDoc::openapi().to_json().unwrap_or_default())
}

pub async fn serve() -> Response {
    let mut response = (StatusCode::OK, document()).into_response();
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    response
}
