//! Sign-in with an e-signature in the browser (the signed-challenge page): no browser
//! speaks GOST TLS, so the page shows a random value, the person signs it with their
//! signing tool (a detached CMS SignedData, RFC 5652 §5) and hands the signature back.
//! The signature must carry a certificate bound to an account, valid under the trust in
//! force, and verify over the value. A value is single use; wrong signatures are
//! throttled and audited like passwords, per certificate and per address. The session's
//! `amr` is `swk`, as for the API flow.

use crate::accounts::{Accounts, SignInOutcome};
use crate::error::{Error, Result};
use crate::model::ChallengePurpose;
use base64::Engine;
use propusk_certs::{CertError, Certificate};

/// Bytes of the value to sign.
const VALUE_BYTES: usize = 32;

/// A value to sign, shown on the page.
#[derive(Clone, Debug)]
pub struct SignatureChallenge {
    /// The id the form sends back (random; only its keyed hash is stored).
    pub id: String,
    /// The value, base64.
    pub value: String,
}

impl Accounts {
    /// A fresh value to sign for the authorization request `interaction_id`.
    pub async fn signature_challenge(
        &self,
        interaction_id: &str,
        locale: &str,
    ) -> Result<SignatureChallenge> {
        let mut raw = [0u8; VALUE_BYTES];
        self.provider.rng.fill(&mut raw);
        let value = base64::engine::general_purpose::STANDARD.encode(raw);
        let (id, mut challenge) = self.new_challenge(
            ChallengePurpose::SignInSignature,
            Some(interaction_id),
            None,
            locale,
        );
        challenge.data = serde_json::json!({ "value": value });
        self.provider.store.create_challenge(&challenge).await?;
        Ok(SignatureChallenge { id, value })
    }

    /// Signs in with `signature` (DER, PEM or base64 of a CMS SignedData) over the value
    /// of challenge `id`, which is used up whatever the outcome.
    pub async fn sign_in_signature(
        &self,
        id: &str,
        interaction_id: &str,
        signature: &[u8],
        ip: &str,
    ) -> Result<SignInOutcome> {
        let p = &self.provider;
        let challenge = self
            .challenge(id, ChallengePurpose::SignInSignature)
            .await?;
        if challenge.interaction_id.as_deref() != Some(interaction_id) {
            return Err(Error::ChallengeExpired);
        }
        if !p.store.delete_challenge(&challenge.id_hash).await? {
            return Err(Error::ChallengeExpired);
        }
        let value = challenge
            .data
            .get("value")
            .and_then(|v| v.as_str())
            .and_then(|v| base64::engine::general_purpose::STANDARD.decode(v).ok())
            .ok_or(Error::ChallengeExpired)?;
        let signature =
            propusk_certs::read_signature(signature).map_err(Error::CertificateRefused)?;
        let carried = propusk_certs::signed_data_certificates(&signature)
            .map_err(Error::CertificateRefused)?;
        if carried.is_empty() {
            return Err(Error::CertificateRefused(CertError::SignatureInvalid(
                "the signature does not carry the signer's certificate",
            )));
        }
        let first = carried[0].clone();
        let mut bound = None;
        for certificate in carried {
            if let Some(binding) = p.store.find_certificate(&certificate.thumbprint()).await? {
                bound = Some((certificate, binding));
                break;
            }
        }
        let Some((certificate, binding)) = bound else {
            let key = format!("certificate\u{1f}{}", first.thumbprint());
            self.throttle_check(&key, ip).await?;
            self.failed(&key, None, ip, "certificate").await?;
            return Err(Error::CertificateNotBound);
        };
        let key = format!("certificate\u{1f}{}", binding.thumbprint);
        let account_id = binding.account_id.clone();
        let had_failures = self.throttle_check(&key, ip).await?;
        let checked = check(self, &certificate, &value, &signature);
        if let Err(error) = checked {
            self.failed(&key, Some(&account_id), ip, "certificate")
                .await?;
            return Err(Error::CertificateRefused(error));
        }
        let account = match p.store.get_account(&account_id).await? {
            Some(account) if !account.disabled => account,
            _ => return Err(Error::AccountUnavailable),
        };
        if had_failures {
            self.throttle_pass(&key).await?;
        }
        self.first_factor_done(account, vec!["swk".into()], Some(interaction_id), ip)
            .await
    }
}

/// The certificate is valid under the trust in force and signed the value.
fn check(
    accounts: &Accounts,
    certificate: &Certificate,
    value: &[u8],
    signature: &[u8],
) -> std::result::Result<(), CertError> {
    let p = &accounts.provider;
    p.certificates.current().validate(certificate, p.now())?;
    propusk_certs::verify_detached(certificate, value, signature)
}
