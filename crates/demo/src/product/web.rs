//! The product's own web page. "Open in the product" from an app lands on
//! `/product/enter`, which always starts a fresh authorization: the person's Propusk
//! session signs them in without a password (single sign-on) and, the product's page
//! being first party, without a consent. The product then checks its own access token
//! with the SDK, as its API does, and finds the account by the token's subject, or
//! creates it on the first entry.

use super::accounts::Entry;
use super::{Product, Visit};
use crate::apps::redirect_with;
use crate::pages::{self, esc, json_block};
use crate::register::PRODUCT_SCOPE;
use crate::rp::Callback;
use axum::Router;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use serde::Deserialize;
use std::sync::Arc;
use std::time::{SystemTime, UNIX_EPOCH};

const SITE: &str = "product";
const TITLE: &str = "Demo product";

pub fn routes(product: Arc<Product>) -> Router {
    Router::new()
        .route("/product", get(home))
        .route("/product/enter", get(enter))
        .route("/product/callback", get(callback))
        .with_state(product)
}

impl Product {
    fn app_name(&self, client_id: &str) -> String {
        self.apps
            .iter()
            .find(|(id, _, _)| id == client_id)
            .map(|(_, name, _)| (*name).to_owned())
            .unwrap_or_else(|| "the product's own page".to_owned())
    }

    fn failure(&self, status: StatusCode, what: &str) -> Response {
        pages::error(status, SITE, what, "/product")
    }
}

async fn home(State(product): State<Arc<Product>>, headers: HeaderMap) -> Response {
    let subtitle = "The product's own web page: it signs people in with Propusk";
    let (signed_in, visit) = product.sessions.current(&headers);
    let (
        Some(signed_in),
        Some(Visit {
            entry: Some(entry),
            from,
            product_subject,
        }),
    ) = (signed_in, visit)
    else {
        let body = format!(
            "<p>You are not signed in to the product.</p>\
             <p><a class=\"button\" id=\"sign-in\" href=\"/product/enter?from={}\">\
             Sign in with Propusk</a></p>",
            esc(&product.client_id)
        );
        return pages::page(SITE, TITLE, subtitle, &body);
    };
    let account = entry.account();
    let (greeting, class) = match &entry {
        Entry::Created(_) => ("Your product account was created now.", "created"),
        Entry::Returning(_) => ("Welcome back: the product found your account.", "returning"),
    };
    let via: Vec<String> = account
        .arrived_via
        .iter()
        .map(|id| product.app_name(id))
        .collect();
    let back: String = product
        .apps
        .iter()
        .map(|(_, name, url)| format!("<a href=\"{}\">{}</a>", esc(url), esc(name)))
        .collect::<Vec<_>>()
        .join(" · ");
    let body = format!(
        "<p class=\"ok\" id=\"entry\" data-entry=\"{class}\">{greeting}</p>\
         <dl><dt>Product account</dt><dd id=\"account-id\">{id}</dd>\
         <dt>You came from</dt><dd id=\"came-from\">{came_from}</dd>\
         <dt>Entries so far</dt><dd id=\"entries\">{entries}</dd>\
         <dt>Arrived through</dt><dd id=\"arrived-via\">{via}</dd>\
         <dt>Your subject at the product (<code>sub</code> of its access tokens, the \
         account's key)</dt><dd id=\"product-subject\">{product_subject}</dd>\
         <dt>Your subject at the product's page (<code>sub</code> of its ID token)</dt>\
         <dd id=\"page-subject\">{page_subject}</dd></dl>\
         <p>The product finds one account per person: the subject in its access tokens is \
         the same whichever application obtained them.</p>\
         <h2>The account as stored</h2>{stored}<p>Back to: {back}</p>",
        id = esc(&account.id),
        came_from = esc(&product.app_name(&from)),
        entries = account.entries,
        via = esc(&via.join(", ")),
        product_subject = esc(&product_subject),
        page_subject = esc(signed_in.subject()),
        stored = json_block(
            "account",
            &serde_json::to_value(account).unwrap_or_default()
        ),
    );
    pages::page(SITE, TITLE, subtitle, &body)
}

#[derive(Deserialize)]
struct Enter {
    from: Option<String>,
}

/// Starts the product's own sign-in, remembering which app the person came from.
async fn enter(
    State(product): State<Arc<Product>>,
    headers: HeaderMap,
    Query(enter): Query<Enter>,
) -> Response {
    let from = enter
        .from
        .filter(|id| product.apps.iter().any(|(known, _, _)| known == id))
        .unwrap_or_else(|| product.client_id.clone());
    let (url, pending) = product.rp.start(&[PRODUCT_SCOPE]);
    let ((), cookie) = product.sessions.with(&headers, |s| {
        s.pending = Some(pending);
        s.extra.get_or_insert_with(Visit::default).from = from;
    });
    redirect_with(&url, cookie)
}

async fn callback(
    State(product): State<Arc<Product>>,
    headers: HeaderMap,
    Query(answer): Query<Callback>,
) -> Response {
    let taken = product.sessions.update(&headers, |s| {
        let from = s.extra.as_ref().map(|v| v.from.clone());
        (s.pending.take(), from)
    });
    let Some((Some(pending), Some(from))) = taken else {
        return product.failure(
            StatusCode::BAD_REQUEST,
            "No sign-in was started in this browser, or it was finished already.",
        );
    };
    let signed_in = match product.rp.finish(pending, answer).await {
        Ok(signed_in) => signed_in,
        Err(error) => {
            tracing::warn!(%error, "product sign-in failed");
            return product.failure(StatusCode::BAD_REQUEST, &error);
        }
    };
    // The product's access token, checked as the API checks any caller's: its subject is
    // the person as the product sees them.
    let authorization = format!("Bearer {}", signed_in.access_token);
    let principal = match product
        .validator
        .check(Some(&authorization), &[PRODUCT_SCOPE.to_owned()])
        .await
    {
        Ok(principal) => principal,
        Err(refusal) => {
            return product.failure(StatusCode::BAD_GATEWAY, &refusal.description());
        }
    };
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or_default();
    let entry = match product.accounts.enter(&principal.subject, &from, now) {
        Ok(entry) => entry,
        Err(error) => {
            tracing::error!(%error, "the product store failed");
            return product.failure(
                StatusCode::INTERNAL_SERVER_ERROR,
                "The product store failed.",
            );
        }
    };
    tracing::info!(account = %entry.account().id, from = %from, "product entry");
    product.sessions.update(&headers, |s| {
        s.signed_in = Some(signed_in);
        s.extra = Some(Visit {
            from,
            entry: Some(entry),
            product_subject: principal.subject,
        });
    });
    Redirect::to("/product").into_response()
}
