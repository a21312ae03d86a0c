//! Certificates bound to accounts and certificate sign-in challenges (`CertificateRepo`).
//! A challenge is used by one conditional `UPDATE … RETURNING`, so it works once however
//! many requests race for it.

use crate::SqlStore;
use crate::error::{backend, conflict};
use async_trait::async_trait;
use propusk_core::clock::Timestamp;
use propusk_core::model::{
    CertificateBinding, CertificateChallenge, ChallengeMethod, ChallengeUse,
};
use propusk_core::store::{CertificateRepo, StoreError, StoreResult};
use sqlx::Row;
use sqlx::any::AnyRow;

const BINDING: &str =
    "thumbprint, account_id, der, subject, issuer, identity, not_after, created_at";
const CHALLENGE: &str =
    "value_hash, method, thumbprint, client_id, account_id, created_at, expires_at, used_at";

fn binding(row: &AnyRow) -> StoreResult<CertificateBinding> {
    let identity: String = row.try_get("identity").map_err(backend)?;
    Ok(CertificateBinding {
        thumbprint: row.try_get("thumbprint").map_err(backend)?,
        account_id: row.try_get("account_id").map_err(backend)?,
        der: row.try_get("der").map_err(backend)?,
        subject: row.try_get("subject").map_err(backend)?,
        issuer: row.try_get("issuer").map_err(backend)?,
        identity: serde_json::from_str(&identity).map_err(|e| {
            StoreError::Backend(format!("stored certificate identity is not valid: {e:?}"))
        })?,
        not_after: row.try_get("not_after").map_err(backend)?,
        created_at: row.try_get("created_at").map_err(backend)?,
    })
}

fn challenge(row: &AnyRow) -> StoreResult<CertificateChallenge> {
    let method: String = row.try_get("method").map_err(backend)?;
    Ok(CertificateChallenge {
        value_hash: row.try_get("value_hash").map_err(backend)?,
        method: ChallengeMethod::parse(&method).ok_or_else(|| {
            StoreError::Backend(format!("stored challenge method {method:?} is unknown"))
        })?,
        thumbprint: row.try_get("thumbprint").map_err(backend)?,
        client_id: row.try_get("client_id").map_err(backend)?,
        account_id: row.try_get("account_id").map_err(backend)?,
        created_at: row.try_get("created_at").map_err(backend)?,
        expires_at: row.try_get("expires_at").map_err(backend)?,
        used_at: row.try_get("used_at").map_err(backend)?,
    })
}

#[async_trait]
impl CertificateRepo for SqlStore {
    async fn bind_certificate(&self, b: &CertificateBinding) -> StoreResult<()> {
        let identity = serde_json::to_string(&b.identity)
            .map_err(|e| StoreError::Backend(format!("cannot serialize an identity: {e:?}")))?;
        sqlx::query(&format!(
            "INSERT INTO certificate_bindings ({BINDING}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)"
        ))
        .bind(&b.thumbprint)
        .bind(&b.account_id)
        .bind(&b.der)
        .bind(&b.subject)
        .bind(&b.issuer)
        .bind(identity)
        .bind(b.not_after)
        .bind(b.created_at)
        .execute(&self.writer)
        .await
        .map_err(|e| conflict(e, "certificate_bindings", &[], "thumbprint"))?;
        Ok(())
    }

    async fn find_certificate(&self, thumbprint: &str) -> StoreResult<Option<CertificateBinding>> {
        let row = sqlx::query(&format!(
            "SELECT {BINDING} FROM certificate_bindings WHERE thumbprint = $1"
        ))
        .bind(thumbprint)
        .fetch_optional(&self.pool)
        .await
        .map_err(backend)?;
        row.as_ref().map(binding).transpose()
    }

    async fn account_certificates(&self, account_id: &str) -> StoreResult<Vec<CertificateBinding>> {
        let rows = sqlx::query(&format!(
            "SELECT {BINDING} FROM certificate_bindings WHERE account_id = $1 \
             ORDER BY created_at, thumbprint"
        ))
        .bind(account_id)
        .fetch_all(&self.pool)
        .await
        .map_err(backend)?;
        rows.iter().map(binding).collect()
    }

    async fn unbind_certificate(&self, account_id: &str, thumbprint: &str) -> StoreResult<bool> {
        let mut tx = self.writer.begin().await.map_err(backend)?;
        let done = sqlx::query(
            "DELETE FROM certificate_bindings WHERE account_id = $1 AND thumbprint = $2",
        )
        .bind(account_id)
        .bind(thumbprint)
        .execute(&mut *tx)
        .await
        .map_err(backend)?;
        sqlx::query("DELETE FROM certificate_challenges WHERE account_id = $1 AND thumbprint = $2")
            .bind(account_id)
            .bind(thumbprint)
            .execute(&mut *tx)
            .await
            .map_err(backend)?;
        tx.commit().await.map_err(backend)?;
        Ok(done.rows_affected() == 1)
    }

    async fn insert_certificate_challenge(&self, c: &CertificateChallenge) -> StoreResult<()> {
        sqlx::query(&format!(
            "INSERT INTO certificate_challenges ({CHALLENGE}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)"
        ))
        .bind(&c.value_hash)
        .bind(c.method.as_str())
        .bind(&c.thumbprint)
        .bind(&c.client_id)
        .bind(&c.account_id)
        .bind(c.created_at)
        .bind(c.expires_at)
        .bind(c.used_at)
        .execute(&self.writer)
        .await
        .map_err(|e| conflict(e, "certificate_challenges", &[], "value_hash"))?;
        Ok(())
    }

    async fn use_certificate_challenge(
        &self,
        value_hash: &str,
        now: Timestamp,
    ) -> StoreResult<ChallengeUse> {
        let used = sqlx::query(&format!(
            "UPDATE certificate_challenges SET used_at = $2 \
             WHERE value_hash = $1 AND used_at IS NULL RETURNING {CHALLENGE}"
        ))
        .bind(value_hash)
        .bind(now)
        .fetch_optional(&self.writer)
        .await
        .map_err(backend)?;
        if let Some(row) = used {
            return Ok(ChallengeUse::Fresh(challenge(&row)?));
        }
        let before = sqlx::query(&format!(
            "SELECT {CHALLENGE} FROM certificate_challenges WHERE value_hash = $1"
        ))
        .bind(value_hash)
        .fetch_optional(&self.pool)
        .await
        .map_err(backend)?;
        Ok(match before.as_ref().map(challenge).transpose()? {
            Some(found) => ChallengeUse::AlreadyUsed(found),
            None => ChallengeUse::NotFound,
        })
    }

    async fn purge_certificate_challenges(&self, now: Timestamp) -> StoreResult<u64> {
        let done = sqlx::query("DELETE FROM certificate_challenges WHERE expires_at < $1")
            .bind(now)
            .execute(&self.writer)
            .await
            .map_err(backend)?;
        Ok(done.rows_affected())
    }
}
