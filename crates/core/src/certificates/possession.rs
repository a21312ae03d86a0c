//! Binding a certificate in the personal cabinet by proof of possession. The signed-in
//! owner, with a fresh proof of identity (see `crate::accounts::reauth`), hands in a
//! certificate; it must chain to the trust in force and be bound to nobody. Propusk then
//! makes two random values: one encrypted to the certificate's key (CMS EnvelopedData, as
//! `POST /authentication/certificate` answers, RFC 5652 §6) and one to sign (a detached
//! CMS SignedData, RFC 5652 §5, for keys that can only sign). Either answer binds the
//! certificate. A challenge is single use and lives [`CHALLENGE_LIFETIME`] seconds; the
//! encrypted value is stored only as its keyed hash. Wrong answers are throttled per
//! account and per address like passwords, and a binding is audited.

use super::CHALLENGE_LIFETIME;
use crate::accounts::{Accounts, AuditKind};
use crate::crypto::constant_time_eq;
use crate::error::{Error, Result};
use crate::model::{Account, CertificateBinding, ChallengePurpose, Session};
use base64::Engine;
use propusk_certs::{CertError, Certificate, RsaPadding};

/// Bytes of each random value.
const VALUE_BYTES: usize = 32;

/// What the owner must answer to bind a certificate.
#[derive(Clone, Debug)]
pub struct BindingChallenge {
    /// The id the form sends back (random; only its keyed hash is stored).
    pub id: String,
    /// The certificate to bind.
    pub certificate: Certificate,
    /// A value encrypted to the certificate's key (DER of a CMS EnvelopedData); none when
    /// the key cannot receive one (it can only sign, Ed25519 for one).
    pub envelope: Option<Vec<u8>>,
    /// The value to sign, base64.
    pub to_sign: String,
}

/// The owner's answer to a [`BindingChallenge`].
#[derive(Clone, Copy, Debug)]
pub enum PossessionProof<'a> {
    /// The decrypted value of the envelope, base64 (whitespace ignored).
    Decrypted(&'a str),
    /// A detached CMS SignedData over the value to sign: DER, PEM or base64.
    Signature(&'a [u8]),
}

fn b64() -> base64::engine::GeneralPurpose {
    base64::engine::general_purpose::STANDARD
}

/// The refusal for a certificate bound to an account already, whoever's it is: the
/// page says no more than that it cannot be bound.
fn cannot_be_bound() -> Error {
    Error::InvalidParameter {
        name: "certificate",
        reason: "the certificate cannot be bound",
    }
}

impl Accounts {
    fn binding_throttle_key(account: &Account) -> String {
        format!("certificate-binding\u{1f}{}", account.id)
    }

    /// Checks `certificate` (DER, PEM, or base64 of the DER) and makes the challenge that
    /// binds it to the owner of `session`.
    pub async fn begin_certificate_binding(
        &self,
        session: &Session,
        account: &Account,
        certificate: &[u8],
        locale: &str,
    ) -> Result<BindingChallenge> {
        if session.account_id != account.id {
            return Err(Error::LoginRequired);
        }
        self.require_fresh(session).await?;
        let p = &self.provider;
        let certificate = super::binding::read_certificate(certificate)?;
        p.certificates
            .current()
            .validate(&certificate, p.now())
            .map_err(Error::CertificateRefused)?;
        if p.store
            .find_certificate(&certificate.thumbprint())
            .await?
            .is_some()
        {
            return Err(cannot_be_bound());
        }
        let mut secret = [0u8; VALUE_BYTES];
        p.rng.fill(&mut secret);
        let mut to_sign = [0u8; VALUE_BYTES];
        p.rng.fill(&mut to_sign);
        let envelope = match propusk_certs::envelope(&certificate, &secret, RsaPadding::Pkcs1) {
            Ok(sealed) => Some(sealed),
            Err(CertError::UnsupportedKey(_)) => None,
            Err(other) => return Err(Error::CertificateRefused(other)),
        };
        let to_sign = b64().encode(to_sign);
        let (id, mut challenge) = self.new_challenge(
            ChallengePurpose::BindCertificate,
            None,
            Some(account.id.clone()),
            locale,
        );
        challenge.expires_at = p.now() + CHALLENGE_LIFETIME;
        challenge.data = serde_json::json!({
            "certificate": b64().encode(certificate.der()),
            "secret_hash": envelope.as_ref().map(|_| p.hasher.hash(&b64().encode(secret))),
            "to_sign": to_sign,
        });
        p.store.create_challenge(&challenge).await?;
        Ok(BindingChallenge {
            id,
            certificate,
            envelope,
            to_sign,
        })
    }

    /// Binds the certificate of challenge `id` to the owner of `session` when `proof`
    /// answers it. The challenge is used up whatever the outcome.
    pub async fn prove_certificate_binding(
        &self,
        session: &Session,
        account: &Account,
        id: &str,
        proof: PossessionProof<'_>,
        ip: &str,
    ) -> Result<CertificateBinding> {
        if session.account_id != account.id {
            return Err(Error::LoginRequired);
        }
        self.require_fresh(session).await?;
        let p = &self.provider;
        let key = Self::binding_throttle_key(account);
        let had_failures = self.throttle_check(&key, ip).await?;
        let challenge = self
            .challenge(id, ChallengePurpose::BindCertificate)
            .await?;
        if challenge.account_id.as_deref() != Some(account.id.as_str())
            || !p.store.delete_challenge(&challenge.id_hash).await?
        {
            return Err(Error::ChallengeExpired);
        }
        let field = |name: &str| challenge.data.get(name).and_then(|v| v.as_str());
        let certificate = field("certificate")
            .and_then(|der| b64().decode(der).ok())
            .and_then(|der| Certificate::from_der(&der).ok())
            .ok_or(Error::ChallengeExpired)?;
        let holds = match proof {
            PossessionProof::Decrypted(text) => {
                let cleaned: String = text.split_whitespace().collect();
                match (b64().decode(cleaned.as_bytes()), field("secret_hash")) {
                    (Ok(value), Some(stored)) => constant_time_eq(
                        p.hasher.hash(&b64().encode(value)).as_bytes(),
                        stored.as_bytes(),
                    ),
                    _ => false,
                }
                .then_some(())
                .ok_or(Error::CertificateChallengeUnknown)
            }
            PossessionProof::Signature(signature) => {
                let to_sign = field("to_sign")
                    .and_then(|v| b64().decode(v).ok())
                    .ok_or(Error::ChallengeExpired)?;
                propusk_certs::read_signature(signature)
                    .and_then(|der| propusk_certs::verify_detached(&certificate, &to_sign, &der))
                    .map_err(|error| match error {
                        CertError::Malformed(_) | CertError::SignatureInvalid(_) => {
                            Error::CertificateRefused(error)
                        }
                        _ => Error::CertificateRefused(CertError::SignatureInvalid(
                            "the signature does not verify",
                        )),
                    })
            }
        };
        if let Err(error) = holds {
            self.throttle_fail(&key, ip).await?;
            return Err(error);
        }
        if had_failures {
            self.throttle_pass(&key).await?;
        }
        let binding = match p.bind_certificate(&account.id, &certificate).await {
            Ok(binding) => binding,
            Err(Error::InvalidParameter {
                name: "certificate",
                ..
            }) => return Err(cannot_be_bound()),
            Err(other) => return Err(other),
        };
        self.audit(
            AuditKind::CertificateBound,
            Some(&account.id),
            ip,
            Some("certificate"),
        )
        .await;
        Ok(binding)
    }
}
