//! The protocol engine and domain of Propusk: clients, accounts, products, grants and
//! their state machines, token issuance, keys, and the storage traits. No HTTP, no SQL.

pub mod clock;
pub mod crypto;
pub mod error;
pub mod jose;
pub mod model;
pub mod store;
pub mod keys;
pub mod provider;
pub mod cache;
pub mod subject;
pub mod authorize;
pub mod interaction;
pub mod session;
pub mod discovery;
pub mod access_token;
pub mod claims;
pub mod introspect;
pub mod issue;
pub mod revoke;
pub mod token;
pub mod userinfo;
pub mod identifier;
pub mod device;
pub mod logout;
pub mod accounts;
