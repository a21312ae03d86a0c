//! A client's own signing key for `private_key_jwt` (RFC 7523 §2.2, OIDC Core §9): an ES256
//! key made with aws-lc-rs, its public JWK to register, and client assertions signed by
//! hand (the `openidconnect` crate does not make them).

use crate::b64url;
use aws_lc_rs::rand::SystemRandom;
use aws_lc_rs::signature::{ECDSA_P256_SHA256_FIXED_SIGNING, EcdsaKeyPair, KeyPair as _};
use propusk_types::jwk::{Jwk, JwkSet};
use serde_json::{Value, json};

/// `client_assertion_type` of a JWT client assertion.
pub const JWT_BEARER: &str = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

pub struct ClientKey {
    pair: EcdsaKeyPair,
    pub kid: String,
}

impl ClientKey {
    pub fn generate() -> Self {
        let pair = EcdsaKeyPair::generate(&ECDSA_P256_SHA256_FIXED_SIGNING)
            .expect("generating a P-256 key");
        Self {
            pair,
            kid: crate::random(8),
        }
    }

    /// The public key as a JWK (RFC 7518 §6.2.1): the uncompressed point split in x and y.
    pub fn jwk(&self) -> Jwk {
        let point = self.pair.public_key().as_ref();
        assert_eq!(point.len(), 65, "uncompressed P-256 point");
        Jwk {
            kty: "EC".into(),
            kid: Some(self.kid.clone()),
            use_: Some("sig".into()),
            alg: Some("ES256".into()),
            crv: Some("P-256".into()),
            x: Some(b64url(&point[1..33])),
            y: Some(b64url(&point[33..65])),
            ..Jwk::default()
        }
    }

    pub fn jwks(&self) -> JwkSet {
        JwkSet {
            keys: vec![self.jwk()],
        }
    }

    /// Signs any claims set with ES256.
    pub fn sign(&self, claims: &Value) -> String {
        self.sign_with_header(
            &json!({ "alg": "ES256", "typ": "JWT", "kid": self.kid }),
            claims,
        )
    }

    /// Signs `claims` with ES256 under whatever `header` says, true or not: tests use it to
    /// lie about the algorithm or to add headers a verifier must ignore.
    pub fn sign_with_header(&self, header: &Value, claims: &Value) -> String {
        jws_with(header, claims, |input| {
            self.pair
                .sign(&SystemRandom::new(), input)
                .expect("signing")
                .as_ref()
                .to_vec()
        })
    }

    /// A client assertion (RFC 7523 §3): `iss` = `sub` = client id, `aud` the token
    /// endpoint, a fresh `jti`, valid for a minute from `now`.
    pub fn assertion(&self, client_id: &str, audience: &str, now: i64) -> String {
        self.sign(&assertion_claims(client_id, audience, now))
    }
}

/// The claims of a good assertion; tests break one claim at a time.
pub fn assertion_claims(client_id: &str, audience: &str, now: i64) -> Value {
    json!({
        "iss": client_id,
        "sub": client_id,
        "aud": audience,
        "jti": crate::random(16),
        "iat": now,
        "exp": now + 60,
    })
}

/// A compact JWS with any `header` over `claims`, its signature whatever `sign` makes of
/// the signing input: empty for `alg: none`, an HMAC keyed with a public key, and so on.
pub fn jws_with(header: &Value, claims: &Value, sign: impl Fn(&[u8]) -> Vec<u8>) -> String {
    let input = format!(
        "{}.{}",
        b64url(header.to_string().as_bytes()),
        b64url(claims.to_string().as_bytes())
    );
    let signature = sign(input.as_bytes());
    format!("{input}.{}", b64url(&signature))
}
