//! The operator console (`/admin`): the dashboard of today's events, users and their
//! actions, clients, products, signing keys, partner issuers, applications' scope
//! requests and the audit log, server-rendered over the operator layer
//! (`propusk_core::admin`) that the command line and the REST API call too. Every action
//! runs the same layer function with the signed-in operator as its [`Actor`], from a
//! CSRF-checked POST form answered with a 303 (post/redirect/get).
//!
//! Only an operator whose sign-in used a second factor gets in (OWASP ASVS 4.0 V2.2.3):
//! an operator signed in with a password alone is asked to sign in again with the
//! factor, or to enrol one in the cabinet first; anyone else signed in gets 403.

mod access;
mod audit;
mod clients;
mod dashboard;
mod keys;
mod products;
mod requests;
mod users;
mod views;

#[cfg(test)]
mod tests;

pub use views::*;

use crate::pages::{ErrorView, PageContext, join};
use crate::state::AppState;
use access::Operator;
use axum::Router;
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{get, post};
use propusk_core::admin::AdminError;
use propusk_texts::key;
use propusk_types::routes::{self, with_id};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route(routes::ADMIN, get(dashboard::show))
        .route(routes::ADMIN_USERS, get(users::list))
        .route(routes::ADMIN_USER, get(users::show))
        .route(routes::ADMIN_USER_BLOCK, post(users::block))
        .route(routes::ADMIN_USER_UNBLOCK, post(users::unblock))
        .route(
            routes::ADMIN_USER_RESET_SECOND_FACTOR,
            post(users::reset_second_factor),
        )
        .route(routes::ADMIN_USER_SIGN_OUT, post(users::sign_out))
        .route(routes::ADMIN_USER_DELETE, post(users::delete))
        .route(routes::ADMIN_KEYS, get(keys::show))
        .route(routes::ADMIN_KEYS_ROTATE, post(keys::rotate))
        .route(routes::ADMIN_CLIENTS, get(clients::list))
        .route(routes::ADMIN_CLIENT, get(clients::show))
        .route(routes::ADMIN_CLIENT_SUSPEND, post(clients::suspend))
        .route(routes::ADMIN_CLIENT_RESUME, post(clients::resume))
        .route(routes::ADMIN_CLIENT_REDIRECTS, post(clients::redirects))
        .route(routes::ADMIN_CLIENT_SECRETS, post(clients::add_secret))
        .route(
            routes::ADMIN_CLIENT_SECRET_REVOKE,
            post(clients::revoke_secret),
        )
        .route(
            routes::ADMIN_PRODUCTS,
            get(products::list).post(products::create),
        )
        .route(
            routes::ADMIN_PRODUCT,
            get(products::show).post(products::update),
        )
        .route(
            routes::ADMIN_TRUSTED_ISSUERS,
            get(requests::issuers).post(requests::save_issuer),
        )
        .route(
            routes::ADMIN_TRUSTED_ISSUER_REMOVE,
            post(requests::remove_issuer),
        )
        .route(routes::ADMIN_SCOPE_REQUESTS, get(requests::scope_requests))
        .route(routes::ADMIN_SCOPE_REQUEST, post(requests::decide))
        .route(routes::ADMIN_AUDIT, get(audit::show))
}

/// The sections of the console, in the order of its navigation.
const SECTIONS: [(&str, &str, &str); 8] = [
    ("dashboard", routes::ADMIN, key!("admin-dashboard")),
    ("users", routes::ADMIN_USERS, key!("admin-users")),
    ("clients", routes::ADMIN_CLIENTS, key!("admin-clients")),
    ("products", routes::ADMIN_PRODUCTS, key!("admin-products")),
    ("keys", routes::ADMIN_KEYS, key!("admin-keys")),
    (
        "issuers",
        routes::ADMIN_TRUSTED_ISSUERS,
        key!("admin-issuers"),
    ),
    (
        "requests",
        routes::ADMIN_SCOPE_REQUESTS,
        key!("admin-requests"),
    ),
    ("audit", routes::ADMIN_AUDIT, key!("admin-audit")),
];

/// The navigation with `current` marked.
fn nav(context: &PageContext, operator: &Operator, current: &str) -> Nav {
    Nav {
        links: SECTIONS
            .iter()
            .map(|(id, path, label)| NavLink {
                id,
                label: context.text(label),
                href: here(context, path),
                current: *id == current,
            })
            .collect(),
        who: crate::accounts::display_name(&operator.account),
        cabinet_href: here(context, routes::ACCOUNT),
    }
}

/// `path` with the chosen language.
fn here(context: &PageContext, path: &str) -> String {
    join(path, &[context.lang_param()])
}

/// A console path of one item (`{id}` filled, percent-encoded) with the chosen language.
fn item(context: &PageContext, route: &str, id: &str) -> String {
    here(context, &with_id(route, &encode(id)))
}

/// `text` percent-encoded for a path segment or a query value.
fn encode(text: &str) -> String {
    url::form_urlencoded::byte_serialize(text.as_bytes()).collect()
}

/// `path` with the chosen language and `notice=<code>`: where an action's 303 goes.
fn after(context: &PageContext, path: &str, notice: &str) -> Response {
    crate::answer::see_other(&join(
        path,
        &[context.lang_param(), format!("notice={notice}")],
    ))
}

/// The text of a `notice` code an action's redirect carries.
fn notice_text(context: &PageContext, notice: Option<&str>) -> Option<String> {
    let key = match notice? {
        "blocked" => key!("admin-notice-blocked"),
        "unblocked" => key!("admin-notice-unblocked"),
        "factor-reset" => key!("admin-notice-factor-reset"),
        "signed-out" => key!("admin-notice-signed-out"),
        "deleted" => key!("admin-notice-deleted"),
        "rotated" => key!("admin-notice-rotated"),
        "suspended" => key!("admin-notice-suspended"),
        "resumed" => key!("admin-notice-resumed"),
        "saved" => key!("admin-notice-saved"),
        "revoked" => key!("admin-notice-revoked"),
        "created" => key!("admin-notice-created"),
        "removed" => key!("admin-notice-removed"),
        "decided" => key!("admin-notice-decided"),
        _ => return None,
    };
    Some(context.text(key))
}

/// The answer to a refused action or a failed read, as a themed page: 404 for what does
/// not exist, 400 with the layer's reason for a refused value, the error page otherwise.
fn failure(context: &PageContext, error: AdminError, at: &str) -> Response {
    let (status, message) = match &error {
        AdminError::NotFound { .. } => {
            (StatusCode::NOT_FOUND, context.text(key!("admin-not-found")))
        }
        AdminError::Conflict(_) | AdminError::Invalid { .. } | AdminError::Metadata(_) => (
            StatusCode::BAD_REQUEST,
            context.format(
                key!("admin-refused"),
                &[("reason", error.to_string().as_str().into())],
            ),
        ),
        AdminError::Engine(inner) => return context.error_page(inner, at),
    };
    let view = ErrorView {
        message,
        code: None,
    };
    context.page(at).status(status).render(&view)
}

/// A moment for people: `YYYY-MM-DD HH:MM UTC`, empty for none.
fn when(at: Option<i64>) -> String {
    at.map(crate::accounts::when).unwrap_or_default()
}
