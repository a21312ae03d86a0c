//! DPoP, demonstrating proof of possession
//! ([RFC 9449](https://www.rfc-editor.org/rfc/rfc9449)): the checks of a proof
//! (§4.3, [`proof`]), the key thumbprint that binds tokens to it
//! ([RFC 7638](https://www.rfc-editor.org/rfc/rfc7638), [`thumbprint`]) and the server
//! nonces (§8, [`nonce`]). Issuance puts the thumbprint into `cnf.jkt` (§6); the token
//! endpoint and userinfo call [`crate::provider::Provider::check_dpop_proof`].

pub mod proof;
pub mod resource;
pub mod thumbprint;

pub use crate::dpop_nonce as nonce;
pub use crate::dpop_nonce::DpopPolicy;
pub use proof::Presented;
pub use resource::Scheme;
pub use thumbprint::thumbprint;

/// The JWS algorithms accepted in proofs: asymmetric only (§4.2), as discovery lists in
/// `dpop_signing_alg_values_supported`.
pub const PROOF_ALGS: [crate::jose::Alg; 4] = crate::jose::Alg::ALL;

/// The media type of a proof's `typ` header (§4.2).
pub const PROOF_TYP: &str = "dpop+jwt";
