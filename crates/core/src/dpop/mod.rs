//! DPoP, demonstrating proof of possession
//! ([RFC 9449](https://www.rfc-editor.org/rfc/rfc9449)): the checks of a proof
//! (§4.3, [`proof`]), the key thumbprint that binds tokens to it
//! ([RFC 7638](https://www.rfc-editor.org/rfc/rfc7638), [`thumbprint`]) and the server
//! nonces (§8, [`nonce`]). Issuance puts the thumbprint into `cnf.jkt` (§6); the token
//! endpoint and userinfo call [`crate::provider::Provider::check_dpop_proof`].

pub mod nonce;
pub mod proof;
pub mod resource;
pub mod thumbprint;

pub use proof::Presented;
pub use resource::Scheme;
pub use thumbprint::thumbprint;

/// How DPoP proofs are checked (`[dpop]` in the configuration).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DpopPolicy {
    /// Whether every proof must carry a nonce this provider issued (§8). Off by default:
    /// the `jti` replay store shared by all nodes and the `iat` window already bound a
    /// proof's life, and a nonce costs each client one more round trip.
    pub require_nonce: bool,
    /// How far `iat` may lie from the provider's clock, seconds, either way (§11.1).
    pub iat_window: i64,
}

impl Default for DpopPolicy {
    fn default() -> Self {
        Self {
            require_nonce: false,
            iat_window: 60,
        }
    }
}

/// The JWS algorithms accepted in proofs: asymmetric only (§4.2), as discovery lists in
/// `dpop_signing_alg_values_supported`.
pub const PROOF_ALGS: [crate::jose::Alg; 4] = crate::jose::Alg::ALL;

/// The media type of a proof's `typ` header (§4.2).
pub const PROOF_TYP: &str = "dpop+jwt";
