//! The product side of Propusk: what an API that accepts Propusk's access tokens needs.
//!
//! - JWT access tokens ([RFC 9068](https://www.rfc-editor.org/rfc/rfc9068)): signature by
//!   a key of the issuer's JWKS (found through discovery, cached, fetched again on an
//!   unknown `kid` at most once a minute), `typ` `at+jwt`, `iss`, `aud` naming this
//!   product, `exp` and `nbf`, only the allowed algorithms (never `none`).
//! - Reference tokens through introspection
//!   ([RFC 7662](https://www.rfc-editor.org/rfc/rfc7662)) with the product's own
//!   credentials; an active answer is cached no longer than the token lives (and no
//!   longer than [`ProductConfig::introspection_cache`]), an inactive one briefly.
//! - Required scopes per route, and answers as
//!   [RFC 6750 §3](https://www.rfc-editor.org/rfc/rfc6750#section-3) says: `401` with a
//!   `WWW-Authenticate` challenge, `403 insufficient_scope` naming the scopes.
//! - A [`Principal`] for the handler: subject, client, scopes, `amr`, all claims.
//!
//! ```no_run
//! use axum::{Json, Router, routing::get};
//! use propusk_product::{Principal, ProductConfig, Validator};
//!
//! async fn orders(principal: Principal) -> Json<Vec<String>> {
//!     Json(vec![format!("orders of {}", principal.subject)])
//! }
//!
//! # async fn run() {
//! let validator = Validator::new(ProductConfig::new("https://id.example", "https://api.example"));
//! let app: Router = Router::new()
//!     .route("/orders", get(orders).route_layer(validator.require(&["orders.read"])));
//! # }
//! ```
//!
//! Tokens bound to a key with DPoP ([RFC 9449](https://www.rfc-editor.org/rfc/rfc9449),
//! `cnf.jkt`) are recognised and refused until proof checking is wired in: a bound token
//! is never accepted as a bearer token.

mod config;
mod introspection;
mod keys;
mod layer;
mod principal;
mod refusal;
mod validator;

pub use config::{Credentials, ProductConfig};
pub use layer::{RequireToken, RequireTokenService};
pub use principal::{Principal, TokenKind};
pub use refusal::Refusal;
pub use validator::Validator;
