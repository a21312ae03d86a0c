//! The product API: `GET /product/api/me` behind the SDK's layer (a valid access token for
//! the product holding `demo.read`, else an RFC 6750 answer), with the product's data for
//! the caller. The product knows the person by the subject of its tokens only.

use super::Product;
use crate::register::PRODUCT_SCOPE;
use axum::extract::State;
use axum::routing::get;
use axum::{Json, Router};
use propusk_product::Principal;
use serde_json::{Value, json};
use std::sync::Arc;

pub fn routes(product: Arc<Product>) -> Router {
    let guard = product.validator.require(&[PRODUCT_SCOPE]);
    Router::new()
        .route("/product/api/me", get(me).route_layer(guard))
        .with_state(product)
}

async fn me(State(product): State<Arc<Product>>, principal: Principal) -> Json<Value> {
    let account = product.accounts.find(&principal.subject);
    Json(json!({
        "product": "Demo product",
        "subject": principal.subject,
        "client_id": principal.client_id,
        "scopes": principal.scopes,
        "amr": principal.amr,
        "account": account,
        "data": {
            "plan": "free",
            "documents": ["Welcome letter", "Price list"],
        },
    }))
}
