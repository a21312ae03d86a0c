//! Domain records as the engine and the stores see them. Secrets never appear here as
//! values: codes, tokens, api-keys and session ids are carried as keyed hashes.

mod account;
mod client;
mod grant;
mod interaction;
mod key;
mod product;
mod session;

pub use account::*;
pub use client::*;
pub use grant::*;
pub use interaction::*;
pub use key::*;
pub use product::*;
pub use session::*;
