//! Wire vocabulary of Propusk: request and response shapes, route paths, OAuth 2.0 /
//! OpenID Connect error codes and the newtypes that reject bad values when parsed.
//! Only serde lives here; no protocol decisions.

pub mod certificate;
pub mod discovery;
pub mod error;
pub mod jwk;
pub mod routes;
pub mod scope;
pub mod token;
