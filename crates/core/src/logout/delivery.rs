//! Back-channel logout delivery ([Back-Channel Logout 1.0 §2.5, §2.7](https://openid.net/specs/openid-connect-backchannel-1_0.html#BCRequest)):
//! every logout is queued in the store and POSTed outside the browser's request by a
//! worker, which retries with growing delays and records each outcome. The HTTP part is
//! a [`LogoutSender`] that the web layer provides; the engine does no I/O itself.

use crate::clock::Timestamp;
use crate::error::Result;
use crate::model::{Client, LogoutDelivery, Session};
use crate::provider::Provider;
use async_trait::async_trait;

/// Attempts before a delivery is given up.
pub const MAX_ATTEMPTS: i64 = 6;
/// How long a claimed delivery stays with its worker before another may take it.
const LEASE: i64 = 60;
const BATCH: i64 = 20;

/// POSTs `logout_token` to a client's back-channel logout URI (§2.5); `Err` with a short
/// reason when the client did not answer 200/204.
#[async_trait]
pub trait LogoutSender: Send + Sync {
    async fn send(&self, uri: &str, logout_token: &str) -> Result<(), String>;
}

/// Delay before attempt `attempts + 1`: 5 s, 30 s, 2 min, 10 min, 1 h.
pub fn retry_delay(attempts: i64) -> i64 {
    match attempts {
        ..=1 => 5,
        2 => 30,
        3 => 120,
        4 => 600,
        _ => 3600,
    }
}

impl Provider {
    pub(super) async fn queue_backchannel(
        &self,
        client: &Client,
        uri: &str,
        session: &Session,
        now: Timestamp,
    ) -> Result<()> {
        let delivery = LogoutDelivery {
            id: self.random(16),
            client_id: client.id.clone(),
            uri: uri.to_owned(),
            sid: session.id.clone(),
            sub: self.subject_for(client, &session.account_id),
            attempts: 0,
            next_attempt_at: now,
            created_at: now,
            delivered_at: None,
            abandoned_at: None,
            last_error: None,
        };
        self.store.insert_logout_delivery(&delivery).await?;
        Ok(())
    }

    /// Sends every due delivery once; returns how many were delivered now.
    pub async fn deliver_logouts(&self, sender: &dyn LogoutSender) -> Result<usize> {
        let now = self.now();
        let due = self
            .store
            .claim_logout_deliveries(now, now + LEASE, BATCH)
            .await?;
        let mut delivered = 0;
        for mut delivery in due {
            let outcome = match self.store.get_client(&delivery.client_id).await? {
                Some(client) => {
                    let token = self
                        .logout_token(&client, &delivery.sid, &delivery.sub, self.now())
                        .await?;
                    sender.send(&delivery.uri, &token).await
                }
                None => Err("client deleted".to_owned()),
            };
            let now = self.now();
            delivery.attempts += 1;
            match outcome {
                Ok(()) => {
                    delivery.delivered_at = Some(now);
                    delivery.last_error = None;
                    delivered += 1;
                }
                Err(reason) => {
                    tracing::info!(client = %delivery.client_id, %reason, attempt = delivery.attempts, "back-channel logout failed");
                    delivery.last_error = Some(reason.chars().take(200).collect());
                    if delivery.attempts >= MAX_ATTEMPTS {
                        delivery.abandoned_at = Some(now);
                    } else {
                        delivery.next_attempt_at = now + retry_delay(delivery.attempts);
                    }
                }
            }
            self.store.update_logout_delivery(&delivery).await?;
        }
        Ok(delivered)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn delays_grow() {
        let delays: Vec<i64> = (1..=MAX_ATTEMPTS).map(retry_delay).collect();
        assert!(delays.windows(2).all(|w| w[0] <= w[1]), "{delays:?}");
        assert_eq!(delays[0], 5);
    }
}
