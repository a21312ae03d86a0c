//! A client's DPoP key (RFC 9449): an ES256 key made with aws-lc-rs, its thumbprint
//! computed here from the RFC 7638 text (not by the provider's code), and proofs signed
//! by hand so that tests can break one header member or claim at a time.

use crate::b64url;
use aws_lc_rs::digest::{SHA256, digest};
use aws_lc_rs::rand::SystemRandom;
use aws_lc_rs::signature::{ECDSA_P256_SHA256_FIXED_SIGNING, EcdsaKeyPair, KeyPair as _};
use serde_json::{Value, json};

pub struct DpopKey {
    pair: EcdsaKeyPair,
}

impl Default for DpopKey {
    fn default() -> Self {
        Self::generate()
    }
}

impl DpopKey {
    pub fn generate() -> Self {
        let pair = EcdsaKeyPair::generate(&ECDSA_P256_SHA256_FIXED_SIGNING)
            .expect("generating a P-256 key");
        Self { pair }
    }

    fn coordinates(&self) -> (String, String) {
        let point = self.pair.public_key().as_ref();
        (b64url(&point[1..33]), b64url(&point[33..65]))
    }

    /// The public JWK of the `jwk` header.
    pub fn jwk(&self) -> Value {
        let (x, y) = self.coordinates();
        json!({ "kty": "EC", "crv": "P-256", "x": x, "y": y })
    }

    /// The RFC 7638 thumbprint: SHA-256 of the required members in order, base64url.
    pub fn thumbprint(&self) -> String {
        let (x, y) = self.coordinates();
        let text = format!(r#"{{"crv":"P-256","kty":"EC","x":"{x}","y":"{y}"}}"#);
        b64url(digest(&SHA256, text.as_bytes()).as_ref())
    }

    /// A good proof for `htm` and `htu`, made now.
    pub fn proof(&self, htm: &str, htu: &str) -> String {
        self.sign(&self.header(), &claims(htm, htu))
    }

    /// A good proof for a request to a resource with `access_token` (`ath`).
    pub fn proof_for_token(&self, htm: &str, htu: &str, access_token: &str) -> String {
        let mut claims = claims(htm, htu);
        claims["ath"] = Value::String(ath(access_token));
        self.sign(&self.header(), &claims)
    }

    /// The header of a good proof: `typ`, `alg` ES256 and the public `jwk`.
    pub fn header(&self) -> Value {
        json!({ "typ": "dpop+jwt", "alg": "ES256", "jwk": self.jwk() })
    }

    /// Signs any header and claims with this key (ES256, whatever `alg` says).
    pub fn sign(&self, header: &Value, claims: &Value) -> String {
        let input = format!(
            "{}.{}",
            b64url(header.to_string().as_bytes()),
            b64url(claims.to_string().as_bytes())
        );
        let signature = self
            .pair
            .sign(&SystemRandom::new(), input.as_bytes())
            .expect("signing");
        format!("{input}.{}", b64url(signature.as_ref()))
    }
}

/// The claims of a good proof made now: a fresh `jti`, `htm`, `htu`, `iat`.
pub fn claims(htm: &str, htu: &str) -> Value {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    json!({ "jti": crate::random(16), "htm": htm, "htu": htu, "iat": now })
}

/// `ath`: base64url SHA-256 of the access token (RFC 9449 §4.2).
pub fn ath(access_token: &str) -> String {
    b64url(digest(&SHA256, access_token.as_bytes()).as_ref())
}
