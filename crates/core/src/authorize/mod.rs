//! The authorization endpoint (RFC 6749 §3.1, §4.1.1; OIDC Core §3.1.2) as an ordered list
//! of small checks over the raw [`Params`]: `checks` holds one function per rule, `validate` runs them in order and yields a [`ValidatedAuthorizationRequest`];
//! `decide` chooses between answering the client and asking the user; `response` builds
//! the answer (RFC 9207 `iss` included on every response); `pushed` keeps requests pushed
//! ahead (RFC 9126) for one use; `request_object` verifies signed request objects
//! (RFC 9101).

mod checks;
mod decide;
mod pushed;
mod request;
mod request_object;
mod response;
mod validate;

pub use crate::request::Params;
pub use decide::{AuthorizeOutcome, acr_satisfied, required_acr_rank};
pub use pushed::{
    LIFETIME as PUSHED_REQUEST_LIFETIME, PushedAuthorizationResponse, REQUEST_URI_PREFIX,
};
pub use request::{Prompt, ResponseMode, ValidatedAuthorizationRequest};
pub use response::AuthorizationResponse;
pub use validate::AuthorizeError;

pub use crate::model::{ACR_MFA, ACR_PASSWORD};
