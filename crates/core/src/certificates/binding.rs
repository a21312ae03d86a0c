//! Binding a certificate to an account, by the operator: the certificate must chain to
//! the trust in force now, and may sign in to one account only.

use crate::error::{Error, Result};
use crate::model::CertificateBinding;
use crate::provider::Provider;
use crate::store::StoreError;
use propusk_certs::{CertError, Certificate};

/// A certificate file as given: DER, PEM, or base64 of the DER.
pub fn read_certificate(bytes: &[u8]) -> Result<Certificate> {
    Certificate::from_der(bytes)
        .or_else(|_| {
            let text = std::str::from_utf8(bytes)
                .map_err(|_| CertError::Malformed("neither DER nor text".into()))?;
            Certificate::from_text(text)
        })
        .map_err(Error::CertificateRefused)
}

impl Provider {
    /// Binds the certificate to the account after checking it against the trust in force.
    pub async fn bind_certificate(
        &self,
        account_id: &str,
        certificate: &Certificate,
    ) -> Result<CertificateBinding> {
        let now = self.now();
        self.certificates
            .current()
            .validate(certificate, now)
            .map_err(Error::CertificateRefused)?;
        let binding = CertificateBinding {
            thumbprint: certificate.thumbprint(),
            account_id: account_id.to_owned(),
            der: certificate.der().to_vec(),
            subject: certificate.subject(),
            issuer: certificate.issuer(),
            identity: certificate.identity(),
            not_after: certificate.not_after(),
            created_at: now,
        };
        match self.store.bind_certificate(&binding).await {
            Ok(()) => Ok(binding),
            Err(StoreError::Conflict(_)) => Err(Error::InvalidParameter {
                name: "certificate",
                reason: "the certificate is bound to an account already",
            }),
            Err(other) => Err(other.into()),
        }
    }

    pub async fn account_certificates(&self, account_id: &str) -> Result<Vec<CertificateBinding>> {
        Ok(self.store.account_certificates(account_id).await?)
    }

    /// Removes a binding; its open challenges stop working with it. False when the
    /// account had no certificate with that thumbprint.
    pub async fn unbind_certificate(&self, account_id: &str, thumbprint: &str) -> Result<bool> {
        let Some(thumbprint) = propusk_certs::normalize_thumbprint(thumbprint) else {
            return Ok(false);
        };
        Ok(self
            .store
            .unbind_certificate(account_id, &thumbprint)
            .await?)
    }
}

impl crate::accounts::Accounts {
    /// The owner removes one of their certificates: it no longer signs them in, and the
    /// history says so. False when the account had no such certificate.
    pub async fn remove_certificate(
        &self,
        account: &crate::model::Account,
        thumbprint: &str,
        ip: &str,
    ) -> Result<bool> {
        let removed = self
            .provider
            .unbind_certificate(&account.id, thumbprint)
            .await?;
        if removed {
            self.audit(
                crate::accounts::AuditKind::CertificateRemoved,
                Some(&account.id),
                ip,
                Some("certificate"),
            )
            .await;
        }
        Ok(removed)
    }
}
