//! Sign-in by X.509 certificate. The operator's trusted roots, intermediates and CRLs live
//! in a folder that is read again when it changes ([`CertificateTrust`]); certificates
//! are bound to accounts by the operator ([`binding`]) or by their owner in the personal
//! cabinet after proving possession of the key (`possession`); a client asks for a challenge
//! encrypted to a bound certificate ([`challenge`]) and trades the decrypted value for
//! tokens with the `certificate` grant (`crate::token::certificate`), which failures
//! throttle like passwords ([`throttle`]). In the browser, a person signs a value shown
//! on the signed-challenge page with their e-signature (`signature_page`), or
//! presents a bound certificate in the TLS handshake (`tls_sign_in`).

pub mod binding;
pub mod challenge;
mod possession;
mod signature_page;
mod throttle;
mod tls_sign_in;

pub use crate::certificate_trust::CertificateTrust;
pub use challenge::{CHALLENGE_LIFETIME, CertificateChallengeResponse};
pub use possession::{BindingChallenge, PossessionProof};
pub use signature_page::SignatureChallenge;
pub use tls_sign_in::HANDOFF_LIFETIME;
