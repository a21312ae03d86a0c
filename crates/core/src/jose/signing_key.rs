//! The provider's own signing keys: generated or loaded from PKCS#8 once, published as
//! public JWKs ([RFC 7517 §4](https://www.rfc-editor.org/rfc/rfc7517#section-4)) and
//! used to produce compact JWS JWTs ([RFC 7515 §5.1](https://www.rfc-editor.org/rfc/rfc7515#section-5.1)).

use std::fmt;
use std::sync::Arc;

use aws_lc_rs::encoding::AsDer as _;
use aws_lc_rs::rand::SystemRandom;
use aws_lc_rs::rsa::KeySize;
use aws_lc_rs::signature::{
    ECDSA_P256_SHA256_FIXED_SIGNING, EcdsaKeyPair, Ed25519KeyPair, KeyPair as _, RSA_PKCS1_SHA256,
    RSA_PSS_SHA256, RsaKeyPair,
};

use super::{Alg, JoseError, Jwk, JwtHeader};
use crate::crypto::b64url;

const MIN_RSA_MODULUS_BYTES: usize = 256;

enum Pair {
    Rsa(RsaKeyPair),
    Ecdsa(EcdsaKeyPair),
    Ed25519(Ed25519KeyPair),
}

struct Inner {
    kid: String,
    alg: Alg,
    pair: Pair,
    pkcs8: Vec<u8>,
    jwk: Jwk,
}

/// A private signing key with its `kid` and `alg`. Cheap to clone.
#[derive(Clone)]
pub struct SigningKey(Arc<Inner>);

impl fmt::Debug for SigningKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SigningKey")
            .field("kid", &self.0.kid)
            .field("alg", &self.0.alg)
            .finish_non_exhaustive()
    }
}

impl SigningKey {
    /// A new key: RSA 2048 for RS256/PS256, P-256 for ES256, Ed25519 for EdDSA.
    pub fn generate(alg: Alg, kid: String) -> Result<Self, JoseError> {
        let der = match alg {
            Alg::RS256 | Alg::PS256 => RsaKeyPair::generate(KeySize::Rsa2048)
                .and_then(|pair| pair.as_der())
                .map(|der| der.as_ref().to_vec()),
            Alg::ES256 => EcdsaKeyPair::generate(&ECDSA_P256_SHA256_FIXED_SIGNING)
                .and_then(|pair| pair.to_pkcs8v1())
                .map(|doc| doc.as_ref().to_vec()),
            Alg::EdDSA => Ed25519KeyPair::generate()
                .and_then(|pair| pair.to_pkcs8v1())
                .map(|doc| doc.as_ref().to_vec()),
        }
        .map_err(|_| JoseError::KeyGeneration)?;
        Self::from_pkcs8(alg, kid, &der).map_err(|_| JoseError::KeyGeneration)
    }

    /// Loads an unencrypted PKCS#8 private key whose type matches `alg`.
    pub fn from_pkcs8(alg: Alg, kid: String, der: &[u8]) -> Result<Self, JoseError> {
        let pair = match alg {
            Alg::RS256 | Alg::PS256 => {
                let pair = RsaKeyPair::from_pkcs8(der).map_err(|_| JoseError::InvalidKey)?;
                if pair.public_modulus_len() < MIN_RSA_MODULUS_BYTES {
                    return Err(JoseError::InvalidKey);
                }
                Pair::Rsa(pair)
            }
            Alg::ES256 => EcdsaKeyPair::from_pkcs8(&ECDSA_P256_SHA256_FIXED_SIGNING, der)
                .map(Pair::Ecdsa)
                .map_err(|_| JoseError::InvalidKey)?,
            Alg::EdDSA => Ed25519KeyPair::from_pkcs8(der)
                .map(Pair::Ed25519)
                .map_err(|_| JoseError::InvalidKey)?,
        };
        let jwk = public_jwk(alg, &kid, &pair)?;
        Ok(Self(Arc::new(Inner {
            kid,
            alg,
            pair,
            pkcs8: der.to_vec(),
            jwk,
        })))
    }

    /// The PKCS#8 private key, to be sealed with the master key before storage.
    pub fn to_pkcs8(&self) -> Vec<u8> {
        self.0.pkcs8.clone()
    }

    pub fn kid(&self) -> &str {
        &self.0.kid
    }

    pub fn alg(&self) -> Alg {
        self.0.alg
    }

    /// The public half as a JWK with `kid`, `alg` and `use: "sig"`.
    pub fn public_jwk(&self) -> Jwk {
        self.0.jwk.clone()
    }

    /// Signs `claims` (which must serialize to a JSON object) as a compact JWS with
    /// header `{alg, kid, typ}`.
    pub fn sign_jwt(&self, typ: &str, claims: &impl serde::Serialize) -> Result<String, JoseError> {
        let header = JwtHeader {
            alg: self.0.alg.as_str().to_owned(),
            kid: Some(self.0.kid.clone()),
            typ: Some(typ.to_owned()),
        };
        let claims = serde_json::to_value(claims).map_err(JoseError::ClaimsSerialization)?;
        if !claims.is_object() {
            return Err(JoseError::ClaimsNotObject);
        }
        let header = serde_json::to_vec(&header).map_err(JoseError::ClaimsSerialization)?;
        let claims = serde_json::to_vec(&claims).map_err(JoseError::ClaimsSerialization)?;
        let signing_input = format!("{}.{}", b64url(&header), b64url(&claims));
        let signature = self.sign(signing_input.as_bytes())?;
        Ok(format!("{signing_input}.{}", b64url(&signature)))
    }

    pub(super) fn sign(&self, message: &[u8]) -> Result<Vec<u8>, JoseError> {
        // AWS-LC ignores the RNG argument; the signing RNG is internal to it.
        let rng = SystemRandom::new();
        match &self.0.pair {
            Pair::Rsa(pair) => {
                let padding = match self.0.alg {
                    Alg::PS256 => &RSA_PSS_SHA256,
                    _ => &RSA_PKCS1_SHA256,
                };
                let mut signature = vec![0; pair.public_modulus_len()];
                pair.sign(padding, &rng, message, &mut signature)
                    .map_err(|_| JoseError::SigningFailed)?;
                Ok(signature)
            }
            Pair::Ecdsa(pair) => pair
                .sign(&rng, message)
                .map(|sig| sig.as_ref().to_vec())
                .map_err(|_| JoseError::SigningFailed),
            Pair::Ed25519(pair) => Ok(pair.sign(message).as_ref().to_vec()),
        }
    }
}

fn public_jwk(alg: Alg, kid: &str, pair: &Pair) -> Result<Jwk, JoseError> {
    let mut jwk = Jwk {
        kty: alg.kty().to_owned(),
        kid: Some(kid.to_owned()),
        use_: Some("sig".to_owned()),
        alg: Some(alg.as_str().to_owned()),
        crv: alg.crv().map(str::to_owned),
        ..Jwk::default()
    };
    match pair {
        Pair::Rsa(pair) => {
            let public = pair.public_key();
            jwk.n = Some(b64url(public.modulus().big_endian_without_leading_zero()));
            jwk.e = Some(b64url(public.exponent().big_endian_without_leading_zero()));
        }
        Pair::Ecdsa(pair) => {
            // Uncompressed SEC1 point: 0x04 || x || y.
            let point = pair.public_key().as_ref();
            if point.len() != 65 || point[0] != 0x04 {
                return Err(JoseError::InvalidKey);
            }
            jwk.x = Some(b64url(&point[1..33]));
            jwk.y = Some(b64url(&point[33..]));
        }
        Pair::Ed25519(pair) => jwk.x = Some(b64url(pair.public_key().as_ref())),
    }
    Ok(jwk)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::crypto::b64url_decode;
    use crate::jose::verify_jwt;
    use serde_json::json;

    fn decoded(member: &Option<String>) -> Vec<u8> {
        b64url_decode(member.as_deref().unwrap()).unwrap()
    }

    #[test]
    fn pkcs8_round_trip_keeps_the_key() {
        for alg in Alg::ALL {
            let key = SigningKey::generate(alg, format!("k-{alg}")).unwrap();
            let loaded =
                SigningKey::from_pkcs8(alg, key.kid().to_owned(), &key.to_pkcs8()).unwrap();
            assert_eq!(loaded.public_jwk(), key.public_jwk(), "{alg}");
            assert_eq!(loaded.alg(), alg);
            let token = loaded.sign_jwt("JWT", &json!({"sub": "s"})).unwrap();
            verify_jwt(&token, &[key.public_jwk()], &[alg]).unwrap();
        }
    }

    #[test]
    fn from_pkcs8_rejects_mismatched_or_garbage_keys() {
        let ec = SigningKey::generate(Alg::ES256, "ec".into())
            .unwrap()
            .to_pkcs8();
        let ed = SigningKey::generate(Alg::EdDSA, "ed".into())
            .unwrap()
            .to_pkcs8();
        for (alg, der) in [
            (Alg::RS256, &ec[..]),
            (Alg::PS256, &ed[..]),
            (Alg::ES256, &ed[..]),
            (Alg::EdDSA, &ec[..]),
            (Alg::ES256, &b"garbage"[..]),
            (Alg::EdDSA, &[][..]),
        ] {
            let result = SigningKey::from_pkcs8(alg, "k".into(), der);
            assert!(matches!(result, Err(JoseError::InvalidKey)), "{alg}");
        }
    }

    #[test]
    fn public_jwk_members() {
        let rsa = SigningKey::generate(Alg::PS256, "r".into())
            .unwrap()
            .public_jwk();
        assert_eq!(
            (rsa.kty.as_str(), rsa.alg.as_deref()),
            ("RSA", Some("PS256"))
        );
        assert_eq!(rsa.e.as_deref(), Some("AQAB"));
        let n = decoded(&rsa.n);
        assert_eq!(n.len(), 256);
        assert_ne!(n[0], 0);
        assert_eq!(rsa.use_.as_deref(), Some("sig"));
        assert_eq!(rsa.kid.as_deref(), Some("r"));

        let ec = SigningKey::generate(Alg::ES256, "e".into())
            .unwrap()
            .public_jwk();
        assert_eq!((ec.kty.as_str(), ec.crv.as_deref()), ("EC", Some("P-256")));
        assert_eq!((decoded(&ec.x).len(), decoded(&ec.y).len()), (32, 32));
        assert!(ec.n.is_none() && ec.e.is_none());

        let ed = SigningKey::generate(Alg::EdDSA, "o".into())
            .unwrap()
            .public_jwk();
        assert_eq!(
            (ed.kty.as_str(), ed.crv.as_deref()),
            ("OKP", Some("Ed25519"))
        );
        assert_eq!(decoded(&ed.x).len(), 32);
        assert!(ed.y.is_none());
    }

    #[test]
    fn signature_sizes_are_fixed() {
        for (alg, len) in [(Alg::ES256, 64), (Alg::EdDSA, 64), (Alg::RS256, 256)] {
            let key = SigningKey::generate(alg, "k".into()).unwrap();
            assert_eq!(key.sign(b"msg").unwrap().len(), len, "{alg}");
        }
    }

    #[test]
    fn header_is_alg_kid_typ() {
        let key = SigningKey::generate(Alg::EdDSA, "kid-1".into()).unwrap();
        let token = key.sign_jwt("logout+jwt", &json!({"a": 1})).unwrap();
        let header = token.split('.').next().unwrap();
        assert_eq!(
            b64url_decode(header).unwrap(),
            br#"{"alg":"EdDSA","kid":"kid-1","typ":"logout+jwt"}"#
        );
    }

    #[test]
    fn claims_must_be_an_object() {
        let key = SigningKey::generate(Alg::EdDSA, "k".into()).unwrap();
        assert!(matches!(
            key.sign_jwt("JWT", &[1, 2]),
            Err(JoseError::ClaimsNotObject)
        ));
    }

    #[test]
    fn debug_hides_private_key() {
        let key = SigningKey::generate(Alg::ES256, "visible".into()).unwrap();
        let text = format!("{key:?}");
        assert_eq!(text, r#"SigningKey { kid: "visible", alg: ES256, .. }"#);
    }
}
