//! WebAuthn ([Level 3](https://www.w3.org/TR/webauthn-3/)) as a relying party: a CBOR
//! reader for the subset authenticators use, COSE keys and their signatures, and the
//! registration and authentication checks. Attestation is not verified (we ask for
//! `none`); the authenticator's own statements (UP, UV, backup flags) are taken as given.

pub mod cbor;
mod ceremony;
pub mod cose;
pub mod json;
#[cfg(any(test, feature = "test-support"))]
pub mod soft;

pub use ceremony::{
    Asserted, AssertionBytes, AttestedCredential, AuthenticatorData, MAX_CREDENTIAL_ID, Refusal,
    Registered, RelyingParty, client_data_challenge, flags, verify_assertion, verify_registration,
};
