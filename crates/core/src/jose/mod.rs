//! JOSE for OpenID Connect: compact JWS signing and verification
//! ([RFC 7515](https://www.rfc-editor.org/rfc/rfc7515)), public JWKs
//! ([RFC 7517](https://www.rfc-editor.org/rfc/rfc7517)), the RS256/PS256/ES256 algorithms
//! ([RFC 7518 §3](https://www.rfc-editor.org/rfc/rfc7518#section-3)), EdDSA over Ed25519
//! ([RFC 8037](https://www.rfc-editor.org/rfc/rfc8037)) and the `at_hash`/`c_hash`
//! half-hashes (OIDC Core §3.1.3.6). Claim validation (exp, aud...) belongs to callers.

mod alg;
mod compact;
mod error;
mod hash;
mod public_key;
mod signing_key;
mod verify;

pub use alg::Alg;
pub use compact::{JwtHeader, VerifiedJwt, decode_unverified, header_members};
pub use error::JoseError;
pub use hash::left_half_hash;
pub use propusk_types::jwk::{Jwk, JwkSet};
pub use signing_key::SigningKey;
pub use verify::{VerifyingKeys, verify_jwt};
