//! The `certificate` grant: the client returns the value it decrypted from a challenge of
//! `/authentication/certificate` (`decrypted_key`, base64), or for a challenge to sign the
//! value (`challenge`, base64) with a detached CMS SignedData over it (`signature`, base64
//! DER), with the certificate's `thumbprint`, and gets tokens for the account the
//! certificate is bound to. The
//! challenge is marked used before anything else is checked, so it works once whatever
//! the outcome. A wrong value, a used or expired challenge, another client's challenge,
//! a thumbprint that does not match, or a binding removed since are `invalid_grant`
//! (RFC 6749 §5.2). `amr` is `swk` (RFC 8176 §2: proof of a software-held key; the
//! provider cannot tell a hardware token apart).

use crate::error::{Error, Result};
use crate::model::{Account, ChallengeMethod, ChallengeUse, Client};
use crate::provider::Provider;
use crate::request::{Params, required};
use crate::scope::{client_scope, optional_scope};
use crate::token::Issued;
use base64::Engine;
use propusk_types::scope::Scope;

/// `acr` of tokens from a certificate sign-in.
pub const ACR_CERTIFICATE: &str = "urn:propusk:acr:certificate";

/// The stored key of a challenge value: the keyed hash of its base64url form.
pub(crate) fn value_hash(provider: &Provider, value: &[u8]) -> String {
    provider.hasher.hash(&crate::crypto::b64url(value))
}

/// What answers a challenge.
#[derive(Clone, PartialEq, Eq)]
pub enum Answer {
    /// The value, decrypted.
    Decrypted(Vec<u8>),
    /// The value and a detached CMS SignedData over it.
    Signed { value: Vec<u8>, signature: Vec<u8> },
}

impl Answer {
    fn value(&self) -> &[u8] {
        match self {
            Self::Decrypted(value) | Self::Signed { value, .. } => value,
        }
    }

    fn method(&self) -> ChallengeMethod {
        match self {
            Self::Decrypted(_) => ChallengeMethod::Encrypted,
            Self::Signed { .. } => ChallengeMethod::Signed,
        }
    }
}

#[derive(Clone, PartialEq, Eq)]
pub struct CertificateRequest {
    /// Upper case hex, as [`propusk_certs::Certificate::thumbprint`] gives it.
    pub thumbprint: String,
    pub answer: Answer,
    pub scope: Option<Scope>,
}

fn base64_param(params: &Params, name: &'static str, reason: &'static str) -> Result<Vec<u8>> {
    let text: String = required(params, name)?
        .chars()
        .filter(|c| !c.is_ascii_whitespace())
        .collect();
    base64::engine::general_purpose::STANDARD
        .decode(&text)
        .or_else(|_| base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(&text))
        .map_err(|_| Error::InvalidParameter { name, reason })
}

impl std::fmt::Debug for CertificateRequest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CertificateRequest")
            .field("thumbprint", &self.thumbprint)
            .field("method", &self.answer.method())
            .field("scope", &self.scope)
            .finish_non_exhaustive()
    }
}

impl CertificateRequest {
    pub fn parse(params: &Params) -> Result<Self> {
        let thumbprint = propusk_certs::normalize_thumbprint(required(params, "thumbprint")?)
            .ok_or(Error::InvalidParameter {
                name: "thumbprint",
                reason: "the thumbprint is 40 hex digits (SHA-1 of the certificate)",
            })?;
        let answer = if params.get("signature").is_some() {
            Answer::Signed {
                value: base64_param(params, "challenge", "challenge is the value in base64")?,
                signature: base64_param(
                    params,
                    "signature",
                    "signature is a DER CMS SignedData in base64",
                )?,
            }
        } else {
            Answer::Decrypted(base64_param(
                params,
                "decrypted_key",
                "decrypted_key is the decrypted value in base64",
            )?)
        };
        Ok(Self {
            thumbprint,
            answer,
            scope: optional_scope(params)?,
        })
    }
}

impl Provider {
    pub(super) async fn certificate_grant(
        &self,
        client: &Client,
        request: CertificateRequest,
        jkt: Option<&str>,
    ) -> Result<Issued> {
        let scope = client_scope(client, request.scope)?;
        let now = self.now();
        let hash = value_hash(self, request.answer.value());
        let challenge = match self.store.use_certificate_challenge(&hash, now).await? {
            ChallengeUse::Fresh(challenge) => challenge,
            ChallengeUse::AlreadyUsed(_) => return Err(Error::CertificateChallengeReused),
            ChallengeUse::NotFound => return Err(Error::CertificateChallengeUnknown),
        };
        if challenge.client_id != client.id {
            return Err(Error::CertificateChallengeUnknown);
        }
        if challenge.expires_at <= now {
            return Err(Error::CertificateChallengeExpired);
        }
        if !crate::crypto::constant_time_eq(
            challenge.thumbprint.as_bytes(),
            request.thumbprint.as_bytes(),
        ) {
            return Err(Error::CertificateThumbprintMismatch);
        }
        if challenge.method != request.answer.method() {
            return Err(Error::CertificateAnswerMismatch);
        }
        let bound = self.store.find_certificate(&challenge.thumbprint).await?;
        let Some(binding) = bound.filter(|b| b.account_id == challenge.account_id) else {
            return Err(Error::CertificateNotBound);
        };
        if let Answer::Signed { value, signature } = &request.answer {
            let certificate = propusk_certs::Certificate::from_der(&binding.der)
                .map_err(Error::CertificateRefused)?;
            propusk_certs::verify_detached(&certificate, value, signature)
                .map_err(Error::CertificateRefused)?;
        }
        let account: Account = match self.store.get_account(&challenge.account_id).await? {
            Some(account) if !account.disabled => account,
            _ => return Err(Error::AccountUnavailable),
        };
        let context = super::SignIn {
            acr: Some(ACR_CERTIFICATE.to_owned()),
            amr: vec!["swk".to_owned()],
        };
        self.issue_direct_grant(client, &account, &scope, context, jkt)
            .await
    }
}
