//! COSE public keys of credentials ([RFC 9053](https://www.rfc-editor.org/rfc/rfc9053)
//! §2, §7; RFC 8230 for RSA) and the signatures WebAuthn authenticators make with them:
//! ES256 (-7, P-256, ASN.1 DER signature), EdDSA (-8, Ed25519) and RS256 (-257, RSASSA
//! PKCS#1 v1.5 with SHA-256).

use super::cbor::{self, Value};
use aws_lc_rs::signature::{self, RsaPublicKeyComponents, UnparsedPublicKey};

pub const ES256: i64 = -7;
pub const EDDSA: i64 = -8;
pub const RS256: i64 = -257;

/// The algorithms offered in `pubKeyCredParams`, preferred first.
pub const ALGORITHMS: [i64; 3] = [ES256, EDDSA, RS256];

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CoseKey {
    /// Uncompressed SEC1 point `04 || x || y`.
    Es256(Vec<u8>),
    Ed25519(Vec<u8>),
    Rs256 {
        n: Vec<u8>,
        e: Vec<u8>,
    },
}

/// Why a key is refused; the text is safe to show.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KeyError(pub &'static str);

const KTY: i64 = 1;
const ALG: i64 = 3;
const CRV: i64 = -1;
const X: i64 = -2;
const Y: i64 = -3;

impl CoseKey {
    pub fn from_cbor(bytes: &[u8]) -> Result<Self, KeyError> {
        let value = cbor::decode(bytes).map_err(|e| KeyError(e.0))?;
        Self::from_value(&value)
    }

    pub fn from_value(key: &Value) -> Result<Self, KeyError> {
        let int = |label| key.get_int_key(label).and_then(Value::as_int);
        let bytes = |label| key.get_int_key(label).and_then(Value::as_bytes);
        let kty = int(KTY).ok_or(KeyError("the key has no key type"))?;
        let alg = int(ALG).ok_or(KeyError("the key has no algorithm"))?;
        match (kty, alg) {
            (2, ES256) => {
                let (Some(1), Some(x), Some(y)) = (int(CRV), bytes(X), bytes(Y)) else {
                    return Err(KeyError("an ES256 key must be on P-256 with x and y"));
                };
                if x.len() != 32 || y.len() != 32 {
                    return Err(KeyError("an ES256 key must be on P-256 with x and y"));
                }
                Ok(Self::Es256([&[4u8][..], x, y].concat()))
            }
            (1, EDDSA) => match (int(CRV), bytes(X)) {
                (Some(6), Some(x)) if x.len() == 32 => Ok(Self::Ed25519(x.to_vec())),
                _ => Err(KeyError("an EdDSA key must be Ed25519 with x")),
            },
            (3, RS256) => match (bytes(-1), bytes(-2)) {
                (Some(n), Some(e)) if n.len() >= 256 && !e.is_empty() => Ok(Self::Rs256 {
                    n: n.to_vec(),
                    e: e.to_vec(),
                }),
                _ => Err(KeyError(
                    "an RS256 key must have a modulus of 2048 bits or more",
                )),
            },
            _ => Err(KeyError("the key's algorithm is not supported")),
        }
    }

    pub fn algorithm(&self) -> i64 {
        match self {
            Self::Es256(_) => ES256,
            Self::Ed25519(_) => EDDSA,
            Self::Rs256 { .. } => RS256,
        }
    }

    /// Whether `signature` is this key's signature over `message`.
    pub fn verify(&self, message: &[u8], signature: &[u8]) -> bool {
        match self {
            Self::Es256(point) => UnparsedPublicKey::new(&signature::ECDSA_P256_SHA256_ASN1, point)
                .verify(message, signature)
                .is_ok(),
            Self::Ed25519(x) => UnparsedPublicKey::new(&signature::ED25519, x)
                .verify(message, signature)
                .is_ok(),
            Self::Rs256 { n, e } => RsaPublicKeyComponents { n, e }
                .verify(&signature::RSA_PKCS1_2048_8192_SHA256, message, signature)
                .is_ok(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use aws_lc_rs::rand::SystemRandom;
    use aws_lc_rs::signature::{
        ECDSA_P256_SHA256_ASN1_SIGNING, EcdsaKeyPair, Ed25519KeyPair, KeyPair,
    };

    fn es256_key(point: &[u8]) -> Value {
        Value::Map(vec![
            (Value::Int(KTY), Value::Int(2)),
            (Value::Int(ALG), Value::Int(ES256)),
            (Value::Int(CRV), Value::Int(1)),
            (Value::Int(X), Value::Bytes(point[1..33].to_vec())),
            (Value::Int(Y), Value::Bytes(point[33..].to_vec())),
        ])
    }

    #[test]
    fn es256_signatures_verify_and_tampered_ones_do_not() {
        let rng = SystemRandom::new();
        let pkcs8 = EcdsaKeyPair::generate_pkcs8(&ECDSA_P256_SHA256_ASN1_SIGNING, &rng).unwrap();
        let pair =
            EcdsaKeyPair::from_pkcs8(&ECDSA_P256_SHA256_ASN1_SIGNING, pkcs8.as_ref()).unwrap();
        let key =
            CoseKey::from_cbor(&cbor::encode(&es256_key(pair.public_key().as_ref()))).unwrap();
        assert_eq!(key.algorithm(), ES256);
        let signature = pair.sign(&rng, b"message").unwrap();
        assert!(key.verify(b"message", signature.as_ref()));
        assert!(!key.verify(b"messagf", signature.as_ref()));
        let mut bad = signature.as_ref().to_vec();
        let last = bad.len() - 1;
        bad[last] ^= 1;
        assert!(!key.verify(b"message", &bad));
    }

    #[test]
    fn ed25519_signatures_verify() {
        let pkcs8 = Ed25519KeyPair::generate_pkcs8(&SystemRandom::new()).unwrap();
        let pair = Ed25519KeyPair::from_pkcs8(pkcs8.as_ref()).unwrap();
        let value = Value::Map(vec![
            (Value::Int(KTY), Value::Int(1)),
            (Value::Int(ALG), Value::Int(EDDSA)),
            (Value::Int(CRV), Value::Int(6)),
            (
                Value::Int(X),
                Value::Bytes(pair.public_key().as_ref().to_vec()),
            ),
        ]);
        let key = CoseKey::from_value(&value).unwrap();
        assert!(key.verify(b"m", pair.sign(b"m").as_ref()));
        assert!(!key.verify(b"n", pair.sign(b"m").as_ref()));
    }

    #[test]
    fn unsupported_and_malformed_keys_are_refused() {
        let point = [4u8; 65];
        let mut wrong_curve = es256_key(&point);
        if let Value::Map(pairs) = &mut wrong_curve {
            pairs[2].1 = Value::Int(2);
        }
        assert!(CoseKey::from_value(&wrong_curve).is_err());
        let mut wrong_alg = es256_key(&point);
        if let Value::Map(pairs) = &mut wrong_alg {
            pairs[1].1 = Value::Int(-35);
        }
        assert!(CoseKey::from_value(&wrong_alg).is_err());
        assert!(CoseKey::from_value(&Value::Map(vec![])).is_err());
        assert!(CoseKey::from_cbor(&[0xff]).is_err());
        let short_rsa = Value::Map(vec![
            (Value::Int(KTY), Value::Int(3)),
            (Value::Int(ALG), Value::Int(RS256)),
            (Value::Int(-1), Value::Bytes(vec![1; 128])),
            (Value::Int(-2), Value::Bytes(vec![1, 0, 1])),
        ]);
        assert!(CoseKey::from_value(&short_rsa).is_err());
    }
}
