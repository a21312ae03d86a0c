//! The demo product: an API built on `propusk-product` (audience `demo-product`, scope
//! `demo.read`) and the product's own web page, which signs people in through Propusk and
//! keeps their product accounts.

pub mod accounts;
mod api;
mod web;

use crate::rp::RelyingParty;
use crate::sessions::Sessions;
use accounts::{Accounts, Entry};
use axum::Router;
use propusk_product::Validator;
use std::sync::Arc;

pub struct Product {
    /// `http://host:port` of the product's pages and API.
    pub origin: String,
    /// The product's web page as a client of Propusk.
    pub rp: RelyingParty,
    pub client_id: String,
    /// Checks access tokens for the product: the API's and the web page's own.
    pub validator: Validator,
    pub accounts: Accounts,
    pub sessions: Sessions<Visit>,
    /// The applications that link into the product: client id, name, home page.
    pub apps: Vec<(String, &'static str, String)>,
}

/// What a browser's product session holds besides the sign-in.
#[derive(Clone, Debug, Default)]
pub struct Visit {
    /// The application the entry under way came from.
    pub from: String,
    /// The account the last entry found or created.
    pub entry: Option<Entry>,
    /// `sub` of the product's access token: the account's key.
    pub product_subject: String,
}

pub fn routes(product: Arc<Product>) -> Router {
    Router::new()
        .merge(web::routes(product.clone()))
        .merge(api::routes(product))
}
