//! Domain records as the engine and the stores see them. Secrets never appear here as
//! values: codes, tokens, api-keys and session ids are carried as keyed hashes.
//! [`redirect_uri`] holds the rules a client's redirect URIs follow, [`client_metadata`]
//! the one validator of a client's registration metadata.

mod account;
mod audit;
mod certificate;
mod challenge;
mod client;
#[cfg(any(test, feature = "test-support"))]
mod client_builder;
pub mod client_metadata;
pub mod client_policy;
mod counter;
mod developer;
mod device;
mod factors;
mod grant;
mod interaction;
mod key;
mod logout;
mod outbox;
mod passkey;
mod product;
mod pushed_request;
pub mod redirect_uri;
mod registration;
mod session;
mod trusted_issuer;

pub use account::*;
pub use audit::*;
pub use certificate::*;
pub use challenge::*;
pub use client::*;
#[cfg(any(test, feature = "test-support"))]
pub use client_builder::ClientBuilder;
pub use counter::*;
pub use developer::*;
pub use device::*;
pub use factors::*;
pub use grant::*;
pub use interaction::*;
pub use key::*;
pub use logout::*;
pub use outbox::*;
pub use passkey::*;
pub use product::*;
pub use pushed_request::*;
pub use registration::*;
pub use session::*;
pub use trusted_issuer::*;
