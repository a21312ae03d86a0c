//! The relying party's checks of a WebAuthn registration
//! ([§7.1](https://www.w3.org/TR/webauthn-3/#sctn-registering-a-new-credential)) and of
//! an authentication assertion
//! ([§7.2](https://www.w3.org/TR/webauthn-3/#sctn-verifying-assertion)), as pure
//! functions over the bytes the browser sent. Finding the challenge (single use), the
//! stored credential and the account is the caller's part; these functions check
//! everything that can be checked from the bytes, the expected challenge and the key.

use super::cbor::{self, Value};
use super::cose::{ALGORITHMS, CoseKey};
use crate::crypto::{b64url_decode, constant_time_eq, sha256};
use serde::Deserialize;

/// Flag bits of authenticator data (§6.1).
pub mod flags {
    pub const UP: u8 = 0x01;
    pub const UV: u8 = 0x04;
    pub const BE: u8 = 0x08;
    pub const BS: u8 = 0x10;
    pub const AT: u8 = 0x40;
    pub const ED: u8 = 0x80;
}

/// Credential ids longer than this are refused (§7.1 step "credentialId ≤ 1023 bytes").
pub const MAX_CREDENTIAL_ID: usize = 1023;

/// Who we are to authenticators: the RP id (our host) and the origin pages run on.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RelyingParty {
    pub id: String,
    pub origin: String,
}

/// Why a ceremony was refused; [`Refusal::reason`] is safe to show.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Refusal {
    ClientDataMalformed,
    WrongType,
    ChallengeMismatch,
    WrongOrigin,
    CrossOrigin,
    AttestationMalformed,
    AuthenticatorDataMalformed,
    WrongRpId,
    UserNotPresent,
    UserNotVerified,
    BackupStateInvalid,
    NoCredentialData,
    CredentialIdTooLong,
    KeyUnsupported,
    SignatureInvalid,
    SignCountRegressed,
}

impl Refusal {
    pub fn reason(self) -> &'static str {
        match self {
            Self::ClientDataMalformed => "clientDataJSON is not valid client data",
            Self::WrongType => "clientDataJSON has the wrong type for this ceremony",
            Self::ChallengeMismatch => "the challenge is not the one issued",
            Self::WrongOrigin => "the origin is not this provider's",
            Self::CrossOrigin => "cross-origin ceremonies are not accepted",
            Self::AttestationMalformed => "attestationObject is not a valid attestation object",
            Self::AuthenticatorDataMalformed => "authenticatorData is malformed",
            Self::WrongRpId => "the credential is for another relying party",
            Self::UserNotPresent => "the authenticator did not test user presence",
            Self::UserNotVerified => "the authenticator did not verify the user",
            Self::BackupStateInvalid => "the backup flags are inconsistent",
            Self::NoCredentialData => "the authenticator data carries no credential",
            Self::CredentialIdTooLong => "the credential id is too long",
            Self::KeyUnsupported => "the credential's key or algorithm is not supported",
            Self::SignatureInvalid => "the signature does not verify",
            Self::SignCountRegressed => {
                "the signature counter went back: the authenticator may be cloned"
            }
        }
    }
}

#[derive(Deserialize)]
struct ClientData {
    #[serde(rename = "type")]
    kind: String,
    challenge: String,
    origin: String,
    #[serde(default, rename = "crossOrigin")]
    cross_origin: Option<bool>,
}

/// The `challenge` member of clientDataJSON, so the caller can find (and use up) it.
pub fn client_data_challenge(client_data_json: &[u8]) -> Result<String, Refusal> {
    let data: ClientData =
        serde_json::from_slice(client_data_json).map_err(|_| Refusal::ClientDataMalformed)?;
    Ok(data.challenge)
}

/// §7.1 steps 5–10 and §7.2 steps 9–14: decode and parse clientDataJSON; its `type`,
/// `challenge` (compared in constant time) and `origin` are the expected ones, and it
/// was not made in a cross-origin frame.
fn check_client_data(
    rp: &RelyingParty,
    client_data_json: &[u8],
    kind: &str,
    challenge: &str,
) -> Result<(), Refusal> {
    let data: ClientData =
        serde_json::from_slice(client_data_json).map_err(|_| Refusal::ClientDataMalformed)?;
    if data.kind != kind {
        return Err(Refusal::WrongType);
    }
    let sent = b64url_decode(&data.challenge).map_err(|_| Refusal::ChallengeMismatch)?;
    let issued = b64url_decode(challenge).map_err(|_| Refusal::ChallengeMismatch)?;
    if !constant_time_eq(&sent, &issued) {
        return Err(Refusal::ChallengeMismatch);
    }
    if data.origin != rp.origin {
        return Err(Refusal::WrongOrigin);
    }
    if data.cross_origin == Some(true) {
        return Err(Refusal::CrossOrigin);
    }
    Ok(())
}

/// Authenticator data (§6.1), with the attested credential (§6.5.1) when present.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AuthenticatorData {
    pub rp_id_hash: [u8; 32],
    pub flags: u8,
    pub sign_count: u32,
    pub credential: Option<AttestedCredential>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AttestedCredential {
    pub id: Vec<u8>,
    /// The COSE key exactly as the authenticator encoded it.
    pub public_key: Vec<u8>,
}

impl AuthenticatorData {
    pub fn parse(bytes: &[u8]) -> Result<Self, Refusal> {
        let bad = Refusal::AuthenticatorDataMalformed;
        if bytes.len() < 37 {
            return Err(bad);
        }
        let mut rp_id_hash = [0u8; 32];
        rp_id_hash.copy_from_slice(&bytes[..32]);
        let flags = bytes[32];
        let sign_count = u32::from_be_bytes([bytes[33], bytes[34], bytes[35], bytes[36]]);
        let mut rest = &bytes[37..];
        let credential = if flags & flags::AT != 0 {
            if rest.len() < 18 {
                return Err(bad);
            }
            let id_len = usize::from(u16::from_be_bytes([rest[16], rest[17]]));
            rest = &rest[18..];
            if rest.len() < id_len {
                return Err(bad);
            }
            let (id, after) = rest.split_at(id_len);
            let (_, key_len) = cbor::decode_prefix(after).map_err(|_| bad)?;
            let public_key = after[..key_len].to_vec();
            rest = &after[key_len..];
            Some(AttestedCredential {
                id: id.to_vec(),
                public_key,
            })
        } else {
            None
        };
        if flags & flags::ED != 0 {
            // Extension outputs: one CBOR map, not acted on.
            let (_, used) = cbor::decode_prefix(rest).map_err(|_| bad)?;
            rest = &rest[used..];
        }
        if !rest.is_empty() {
            return Err(bad);
        }
        Ok(Self {
            rp_id_hash,
            flags,
            sign_count,
            credential,
        })
    }

    pub fn has(&self, flag: u8) -> bool {
        self.flags & flag != 0
    }

    /// §7.1 steps 13–16, §7.2 steps 15–18: rpIdHash is SHA-256 of our RP id; UP is
    /// set; UV is set when required; BS is never set without BE.
    fn check(&self, rp: &RelyingParty, require_uv: bool) -> Result<(), Refusal> {
        if !constant_time_eq(&self.rp_id_hash, &sha256(rp.id.as_bytes())) {
            return Err(Refusal::WrongRpId);
        }
        if !self.has(flags::UP) {
            return Err(Refusal::UserNotPresent);
        }
        if require_uv && !self.has(flags::UV) {
            return Err(Refusal::UserNotVerified);
        }
        if self.has(flags::BS) && !self.has(flags::BE) {
            return Err(Refusal::BackupStateInvalid);
        }
        Ok(())
    }
}

/// A credential that passed registration, ready to store.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Registered {
    pub credential_id: Vec<u8>,
    pub public_key: Vec<u8>,
    pub algorithm: i64,
    pub sign_count: u32,
    pub user_verified: bool,
    pub backup_eligible: bool,
    pub backed_up: bool,
    /// The attestation statement format, stored but not verified (we ask for `none`).
    pub format: String,
}

/// Registration, §7.1:
/// 5–10. clientDataJSON: `type` is `webauthn.create`, `challenge` is the one issued,
///       `origin` is ours, not cross-origin ([`check_client_data`]);
/// 11. (the hash of clientDataJSON is only needed to verify an attestation signature,
///     which `none` attestation does not have);
/// 12. attestationObject decodes to `fmt`, `authData` and `attStmt`;
/// 13–16. rpIdHash, UP, UV when required, BE/BS ([`AuthenticatorData::check`]);
/// 17. the authenticator data carries an attested credential;
/// 19. the credential key is COSE ES256, EdDSA or RS256, as offered in pubKeyCredParams;
/// 20–22. extensions are not acted on; the attestation statement is not verified (we
///        ask for `attestation: "none"`), its format is kept;
/// 25. the credential id is at most 1023 bytes.
///
/// Steps 26–27 (the id is not registered yet; store the credential) are the caller's.
pub fn verify_registration(
    rp: &RelyingParty,
    challenge: &str,
    require_uv: bool,
    client_data_json: &[u8],
    attestation_object: &[u8],
) -> Result<Registered, Refusal> {
    check_client_data(rp, client_data_json, "webauthn.create", challenge)?;
    let object = cbor::decode(attestation_object).map_err(|_| Refusal::AttestationMalformed)?;
    let format = object
        .get_text_key("fmt")
        .and_then(Value::as_text)
        .ok_or(Refusal::AttestationMalformed)?;
    let auth_data = object
        .get_text_key("authData")
        .and_then(Value::as_bytes)
        .ok_or(Refusal::AttestationMalformed)?;
    if !matches!(object.get_text_key("attStmt"), Some(Value::Map(_))) {
        return Err(Refusal::AttestationMalformed);
    }
    let data = AuthenticatorData::parse(auth_data)?;
    data.check(rp, require_uv)?;
    let credential = data.credential.as_ref().ok_or(Refusal::NoCredentialData)?;
    let key = CoseKey::from_cbor(&credential.public_key).map_err(|_| Refusal::KeyUnsupported)?;
    if !ALGORITHMS.contains(&key.algorithm()) {
        return Err(Refusal::KeyUnsupported);
    }
    if credential.id.is_empty() || credential.id.len() > MAX_CREDENTIAL_ID {
        return Err(Refusal::CredentialIdTooLong);
    }
    Ok(Registered {
        credential_id: credential.id.clone(),
        public_key: credential.public_key.clone(),
        algorithm: key.algorithm(),
        sign_count: data.sign_count,
        user_verified: data.has(flags::UV),
        backup_eligible: data.has(flags::BE),
        backed_up: data.has(flags::BS),
        format: format.to_owned(),
    })
}

/// The parts of an assertion response (`AuthenticatorAssertionResponse`), decoded.
#[derive(Clone, Copy, Debug)]
pub struct AssertionBytes<'a> {
    pub client_data_json: &'a [u8],
    pub authenticator_data: &'a [u8],
    pub signature: &'a [u8],
}

/// What a verified assertion says about the authenticator and the user.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Asserted {
    pub sign_count: u32,
    pub user_verified: bool,
    pub backup_eligible: bool,
    pub backed_up: bool,
}

/// Authentication, §7.2:
/// 5–8. (the caller: the credential is one it allowed; it belongs to the account the
///      userHandle names; its stored key is `public_key`);
/// 9–14. clientDataJSON: `type` is `webauthn.get`, `challenge` is the one issued,
///       `origin` is ours, not cross-origin;
/// 15–18. authenticatorData: rpIdHash, UP, UV when required, BE/BS;
/// 19–21. the signature verifies over `authenticatorData || SHA-256(clientDataJSON)`;
/// 22. signCount: when either the stored or the new count is non-zero, the new one must
///     be greater, otherwise the authenticator may be cloned and the assertion is
///     refused (authenticators that always report 0 pass).
pub fn verify_assertion(
    rp: &RelyingParty,
    challenge: &str,
    require_uv: bool,
    public_key: &[u8],
    stored_sign_count: u32,
    response: &AssertionBytes<'_>,
) -> Result<Asserted, Refusal> {
    let AssertionBytes {
        client_data_json,
        authenticator_data,
        signature,
    } = *response;
    check_client_data(rp, client_data_json, "webauthn.get", challenge)?;
    let data = AuthenticatorData::parse(authenticator_data)?;
    data.check(rp, require_uv)?;
    let key = CoseKey::from_cbor(public_key).map_err(|_| Refusal::KeyUnsupported)?;
    let signed = [authenticator_data, &sha256(client_data_json)[..]].concat();
    if !key.verify(&signed, signature) {
        return Err(Refusal::SignatureInvalid);
    }
    if (data.sign_count != 0 || stored_sign_count != 0) && data.sign_count <= stored_sign_count {
        return Err(Refusal::SignCountRegressed);
    }
    Ok(Asserted {
        sign_count: data.sign_count,
        user_verified: data.has(flags::UV),
        backup_eligible: data.has(flags::BE),
        backed_up: data.has(flags::BS),
    })
}

#[cfg(test)]
#[path = "ceremony_tests.rs"]
mod tests;
