//! Certificate sign-in throttled like passwords (NIST SP 800-63B §5.2.2): failed answers
//! to challenges count per certificate and per IP address with the password rules of
//! [`crate::accounts::ThrottlePolicy`], and every outcome is audited for the account the
//! certificate is bound to.

use crate::accounts::{Accounts, AuditKind};
use crate::client_auth::ClientCredentials;
use crate::error::{Error, Result};
use crate::request::Params;
use crate::token::Issued;

impl Accounts {
    /// Answers a token request whose grant is `certificate`, throttled and audited.
    pub async fn certificate_token(
        &self,
        credentials: &ClientCredentials,
        params: &Params,
        dpop: Option<&str>,
        ip: &str,
    ) -> Result<Issued> {
        let thumbprint = params
            .get("thumbprint")
            .and_then(propusk_certs::normalize_thumbprint);
        let Some(thumbprint) = thumbprint else {
            return self.provider.token(credentials, params, dpop).await;
        };
        let key = format!("certificate\u{1f}{thumbprint}");
        self.throttle_check(&key, ip).await?;
        let answer = self.provider.token(credentials, params, dpop).await;
        let failed = match &answer {
            Ok(_) => false,
            Err(error) => counts_as_failure(error),
        };
        if answer.is_err() && !failed {
            return answer;
        }
        let account = self
            .provider
            .store
            .find_certificate(&thumbprint)
            .await?
            .map(|binding| binding.account_id);
        if failed {
            self.throttle_fail(&key, ip).await?;
            self.audit(
                AuditKind::SignInFailed,
                account.as_deref(),
                ip,
                Some("certificate"),
            )
            .await;
        } else {
            self.throttle_pass(&key).await?;
            self.audit(
                AuditKind::SignIn,
                account.as_deref(),
                ip,
                Some("certificate"),
            )
            .await;
        }
        answer
    }
}

fn counts_as_failure(error: &Error) -> bool {
    matches!(
        error,
        Error::CertificateChallengeUnknown
            | Error::CertificateChallengeReused
            | Error::CertificateChallengeExpired
            | Error::CertificateThumbprintMismatch
            | Error::CertificateAnswerMismatch
            | Error::CertificateRefused(propusk_certs::CertError::SignatureInvalid(_))
    )
}
