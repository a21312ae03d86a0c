//! The protocol engine and domain of Propusk: clients, accounts, products, grants and
//! their state machines, token issuance, keys, and the storage traits. No HTTP, no SQL.

pub mod access_token;
pub mod accounts;
pub mod admin;
pub mod audit_writer;
pub mod authorize;
pub mod cache;
pub mod certificate_trust;
pub mod certificates;
pub mod claims;
pub mod client_auth;
pub mod clock;
pub mod coordination;
pub mod crypto;
pub mod developer;
pub mod device;
pub mod discovery;
pub mod dpop;
pub mod dpop_nonce;
pub mod error;
pub mod fetch;
pub mod identifier;
pub mod interaction;
pub mod introspect;
pub mod issue;
pub mod jose;
pub mod keys;
pub mod logout;
pub mod model;
pub mod mtls;
pub mod origins;
#[cfg(test)]
mod properties;
pub mod provider;
pub mod registration;
pub mod request;
pub mod resource;
pub mod revoke;
pub mod scope;
pub mod session;
pub mod store;
pub mod subject;
pub mod token;
pub mod userinfo;
pub mod webauthn;
