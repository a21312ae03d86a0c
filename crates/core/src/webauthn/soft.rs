//! A software authenticator for tests: a P-256 key, a credential id and a counter; it
//! answers registrations with `none` attestation and signs assertions as a platform
//! authenticator would (§6.1 authenticator data, §6.5.1 attested credential data).

use super::cbor::{self, Value};
use super::cose::ES256;
use super::flags;
use crate::crypto::{b64url, sha256};
use aws_lc_rs::rand::SystemRandom;
use aws_lc_rs::signature::{ECDSA_P256_SHA256_ASN1_SIGNING, EcdsaKeyPair, KeyPair};

pub struct SoftAuthenticator {
    pub credential_id: Vec<u8>,
    pub rp_id: String,
    pub origin: String,
    pub sign_count: u32,
    /// Flags set in every response besides AT/ED (UP, UV, BE, BS).
    pub flags: u8,
    key: EcdsaKeyPair,
    rng: SystemRandom,
}

/// The decoded parts of a response, base64url-encoded as browsers' `toJSON()` sends them.
#[derive(Clone, Debug)]
pub struct SoftResponse {
    pub id: String,
    pub client_data_json: Vec<u8>,
    /// attestationObject for a registration, authenticatorData for an assertion.
    pub data: Vec<u8>,
    pub signature: Vec<u8>,
    pub user_handle: Option<Vec<u8>>,
}

impl SoftAuthenticator {
    pub fn new(rp_id: &str, origin: &str) -> Self {
        let rng = SystemRandom::new();
        let pkcs8 = EcdsaKeyPair::generate_pkcs8(&ECDSA_P256_SHA256_ASN1_SIGNING, &rng)
            .expect("a P-256 key");
        let key = EcdsaKeyPair::from_pkcs8(&ECDSA_P256_SHA256_ASN1_SIGNING, pkcs8.as_ref())
            .expect("the key just made");
        let credential_id = sha256(pkcs8.as_ref())[..16].to_vec();
        Self {
            credential_id,
            rp_id: rp_id.into(),
            origin: origin.into(),
            sign_count: 0,
            flags: flags::UP | flags::UV,
            key,
            rng,
        }
    }

    /// The credential id as the browser's JSON has it (base64url).
    pub fn credential_id_text(&self) -> String {
        b64url(&self.credential_id)
    }

    pub fn cose_key(&self) -> Vec<u8> {
        let point = self.key.public_key().as_ref();
        cbor::encode(&Value::Map(vec![
            (Value::Int(1), Value::Int(2)),
            (Value::Int(3), Value::Int(ES256)),
            (Value::Int(-1), Value::Int(1)),
            (Value::Int(-2), Value::Bytes(point[1..33].to_vec())),
            (Value::Int(-3), Value::Bytes(point[33..].to_vec())),
        ]))
    }

    pub fn client_data(&self, kind: &str, challenge: &str) -> Vec<u8> {
        serde_json::json!({
            "type": kind,
            "challenge": challenge,
            "origin": self.origin,
            "crossOrigin": false,
        })
        .to_string()
        .into_bytes()
    }

    fn auth_data(&self, attested: bool) -> Vec<u8> {
        let mut out = sha256(self.rp_id.as_bytes()).to_vec();
        out.push(self.flags | if attested { flags::AT } else { 0 });
        out.extend(self.sign_count.to_be_bytes());
        if attested {
            out.extend([0u8; 16]);
            out.extend((self.credential_id.len() as u16).to_be_bytes());
            out.extend(&self.credential_id);
            out.extend(self.cose_key());
        }
        out
    }

    /// `navigator.credentials.create()` with `attestation: "none"`.
    pub fn register(&self, challenge: &str) -> SoftResponse {
        let object = Value::Map(vec![
            (Value::Text("fmt".into()), Value::Text("none".into())),
            (Value::Text("attStmt".into()), Value::Map(vec![])),
            (
                Value::Text("authData".into()),
                Value::Bytes(self.auth_data(true)),
            ),
        ]);
        SoftResponse {
            id: b64url(&self.credential_id),
            client_data_json: self.client_data("webauthn.create", challenge),
            data: cbor::encode(&object),
            signature: Vec::new(),
            user_handle: None,
        }
    }

    /// `navigator.credentials.get()`: the counter goes up by one first.
    pub fn assert(&mut self, challenge: &str, user_handle: Option<Vec<u8>>) -> SoftResponse {
        self.sign_count = self.sign_count.wrapping_add(1);
        let client_data_json = self.client_data("webauthn.get", challenge);
        let data = self.auth_data(false);
        let signature = self.sign(&data, &client_data_json);
        SoftResponse {
            id: b64url(&self.credential_id),
            client_data_json,
            data,
            signature,
            user_handle,
        }
    }

    /// An ES256 signature over `auth_data || SHA-256(client_data_json)`.
    pub fn sign(&self, auth_data: &[u8], client_data_json: &[u8]) -> Vec<u8> {
        let message = [auth_data, &sha256(client_data_json)[..]].concat();
        self.key
            .sign(&self.rng, &message)
            .expect("signing with a P-256 key")
            .as_ref()
            .to_vec()
    }
}
