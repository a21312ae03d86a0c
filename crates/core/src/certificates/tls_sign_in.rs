//! Sign-in with a TLS client certificate (RFC 8446 §4.4.2, RFC 5246 §7.4.6) in the
//! browser, on the certificate listener or behind a proxy that terminates TLS.
//!
//! The certificate listener is another origin than the provider's pages, so the session
//! cookie cannot be set there. The sign-in is therefore split in two:
//! 1. On the certificate listener, [`Accounts::tls_handoff`] validates the certificate
//!    the handshake proved (trust anchors, validity, revocation, key usage: the same
//!    checks and the same [`CertError`]s as the API flow; checked before the binding, so
//!    that an expired or untrusted certificate is named as such), finds the bound
//!    account, and
//!    stores a handoff: a random id (only its keyed hash is stored), single use, living
//!    [`HANDOFF_LIFETIME`] seconds, tied to the authorization request and to the browser
//!    that opened the sign-in link (a keyed hash of that browser's CSRF token for the
//!    request, carried by the link). The browser is sent back to the provider's origin
//!    with the id.
//! 2. On the provider's origin, [`Accounts::finish_tls_handoff`] uses the handoff up,
//!    checks that this browser is the one that opened the link (so a handoff taken from
//!    one browser cannot sign another one in: login CSRF) and continues the sign-in as the
//!    e-signature page does (`first_factor_done`, `amr` `swk`), which sets the session on
//!    the provider's origin.

use crate::accounts::{Accounts, SignInOutcome};
use crate::crypto::constant_time_eq;
use crate::error::{Error, Result};
use crate::model::ChallengePurpose;
use propusk_certs::{CertError, Certificate};

/// Seconds a handoff from the certificate listener to the provider's origin lives.
pub const HANDOFF_LIFETIME: i64 = 60;

impl Accounts {
    /// Validates the client certificate `der` for authorization request
    /// `interaction_id` and returns the id of a handoff for
    /// [`Accounts::finish_tls_handoff`]. `browser` is the token the sign-in link carried.
    pub async fn tls_handoff(
        &self,
        interaction_id: &str,
        der: &[u8],
        browser: &str,
        ip: &str,
    ) -> Result<String> {
        let p = &self.provider;
        let certificate = Certificate::from_der(der).map_err(Error::CertificateRefused)?;
        let key = format!("certificate\u{1f}{}", certificate.thumbprint());
        let had_failures = self.throttle_check(&key, ip).await?;
        let bound = p.store.find_certificate(&certificate.thumbprint()).await?;
        let account_id = bound.as_ref().map(|b| b.account_id.as_str());
        if let Err(error) = valid(self, &certificate) {
            self.failed(&key, account_id, ip, "certificate").await?;
            return Err(Error::CertificateRefused(error));
        }
        let Some(binding) = bound else {
            self.failed(&key, None, ip, "certificate").await?;
            return Err(Error::CertificateNotBound);
        };
        match p.store.get_account(&binding.account_id).await? {
            Some(account) if !account.disabled => {}
            _ => return Err(Error::AccountUnavailable),
        }
        if had_failures {
            self.throttle_pass(&key).await?;
        }
        let (id, mut handoff) = self.new_challenge(
            ChallengePurpose::CertificateHandoff,
            Some(interaction_id),
            Some(binding.account_id.clone()),
            "",
        );
        handoff.amr = vec!["swk".into()];
        handoff.expires_at = p.now() + HANDOFF_LIFETIME;
        handoff.data = serde_json::json!({ "browser": p.hasher.hash(browser) });
        p.store.create_challenge(&handoff).await?;
        Ok(id)
    }

    /// Uses up handoff `id` of authorization request `interaction_id` and signs the
    /// browser in, if it is the browser whose token `browser` opened the sign-in link.
    pub async fn finish_tls_handoff(
        &self,
        id: &str,
        interaction_id: &str,
        browser: &str,
        ip: &str,
    ) -> Result<SignInOutcome> {
        let p = &self.provider;
        let handoff = self
            .challenge(id, ChallengePurpose::CertificateHandoff)
            .await?;
        if handoff.interaction_id.as_deref() != Some(interaction_id)
            || !p.store.delete_challenge(&handoff.id_hash).await?
        {
            return Err(Error::ChallengeExpired);
        }
        let expected = handoff
            .data
            .get("browser")
            .and_then(|v| v.as_str())
            .unwrap_or_default();
        if !constant_time_eq(p.hasher.hash(browser).as_bytes(), expected.as_bytes()) {
            return Err(Error::ChallengeExpired);
        }
        let account_id = handoff.account_id.ok_or(Error::ChallengeExpired)?;
        let account = match p.store.get_account(&account_id).await? {
            Some(account) if !account.disabled => account,
            _ => return Err(Error::AccountUnavailable),
        };
        self.first_factor_done(account, handoff.amr, Some(interaction_id), ip)
            .await
    }
}

/// The certificate is valid under the trust in force and may sign a person in.
fn valid(accounts: &Accounts, certificate: &Certificate) -> std::result::Result<(), CertError> {
    let p = &accounts.provider;
    p.certificates.current().validate(certificate, p.now())
}
