//! `POST /authentication/certificate`: a client that may use the `certificate` grant
//! sends a certificate (form field `certificate`: PEM, or the DER in base64). It must
//! chain to the trust in force and be bound to an account; the answer is a random value
//! encrypted to the certificate's key (CMS EnvelopedData; an RSA key gets PKCS #1 v1.5
//! key transport, or RSAES-OAEP with `rsa_padding=oaep`), or with `method=signed` the
//! value itself, to be signed by a key that can only sign. A challenge is single use and
//! lives [`CHALLENGE_LIFETIME`] seconds; only the keyed hash of the value is stored.

use crate::client_auth::ClientCredentials;
use crate::error::{Error, Result};
use crate::model::{CertificateChallenge, ChallengeMethod, GrantType};
use crate::provider::Provider;
use crate::request::{Params, reject_repeated, required};
use crate::token::certificate::value_hash;
use base64::Engine;
use propusk_certs::Certificate;
use propusk_types::routes;

pub use propusk_types::certificate::CertificateChallengeResponse;

/// Seconds a challenge may be answered.
pub const CHALLENGE_LIFETIME: i64 = 600;
/// Bytes of the random value.
const CHALLENGE_BYTES: usize = 32;

impl Provider {
    pub async fn certificate_challenge(
        &self,
        credentials: &ClientCredentials,
        params: &Params,
    ) -> Result<CertificateChallengeResponse> {
        reject_repeated(params)?;
        let text = required(params, "certificate")?;
        let padding = match params.get("rsa_padding") {
            None | Some("pkcs1") => propusk_certs::RsaPadding::Pkcs1,
            Some("oaep") => propusk_certs::RsaPadding::Oaep,
            Some(_) => {
                return Err(Error::InvalidParameter {
                    name: "rsa_padding",
                    reason: "rsa_padding is pkcs1 (the default) or oaep",
                });
            }
        };
        let method = match params.get("method") {
            None => ChallengeMethod::Encrypted,
            Some(name) => ChallengeMethod::parse(name).ok_or(Error::InvalidParameter {
                name: "method",
                reason: "method is encrypted (the default) or signed",
            })?,
        };
        let client = self
            .authenticate_client(credentials, routes::CERTIFICATE)
            .await?;
        crate::token::allow_grant(&client, GrantType::Certificate)?;
        let certificate = Certificate::from_text(text).map_err(Error::CertificateRefused)?;
        let now = self.now();
        self.certificates
            .current()
            .validate(&certificate, now)
            .map_err(Error::CertificateRefused)?;
        let thumbprint = certificate.thumbprint();
        let binding = self
            .store
            .find_certificate(&thumbprint)
            .await?
            .ok_or(Error::CertificateNotBound)?;
        match self.store.get_account(&binding.account_id).await? {
            Some(account) if !account.disabled => {}
            _ => return Err(Error::AccountUnavailable),
        }
        let mut value = [0u8; CHALLENGE_BYTES];
        self.rng.fill(&mut value);
        let b64 = base64::engine::general_purpose::STANDARD;
        let (encrypted_key, challenge) = match method {
            ChallengeMethod::Encrypted => {
                let sealed = propusk_certs::envelope(&certificate, &value, padding)
                    .map_err(Error::CertificateRefused)?;
                (Some(b64.encode(sealed)), None)
            }
            ChallengeMethod::Signed => (None, Some(b64.encode(value))),
        };
        self.store
            .insert_certificate_challenge(&CertificateChallenge {
                value_hash: value_hash(self, &value),
                method,
                thumbprint: thumbprint.clone(),
                client_id: client.id.clone(),
                account_id: binding.account_id,
                created_at: now,
                expires_at: now + CHALLENGE_LIFETIME,
                used_at: None,
            })
            .await?;
        Ok(CertificateChallengeResponse {
            encrypted_key,
            challenge,
            thumbprint,
            expires_in: CHALLENGE_LIFETIME,
        })
    }
}
