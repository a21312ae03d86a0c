//! Throttling of client authentication at the token-side endpoints (token, introspection,
//! revocation, device authorization), as RFC 6749 §10.10 asks against online guessing of
//! client secrets. The same counters and delays as for passwords ([`super::throttle`]):
//! per client id and per IP address, failures past `free` make the next try wait 1 s,
//! 2 s, 4 s … and `lock_after` of them lock the key for `lockout`. A refused try does not
//! count; a success forgets the client's failures (the IP's stay).

use super::Accounts;
use super::throttle::ThrottleRule;
use crate::error::{Error, Result};

impl Accounts {
    fn client_throttle_keys(
        &self,
        client_id: Option<&str>,
        ip: &str,
    ) -> Vec<(String, ThrottleRule)> {
        let t = &self.policy.throttle;
        let mut keys = vec![(
            self.provider.hasher.hash(&format!("cip\u{1f}{ip}")),
            t.client_ip,
        )];
        if let Some(id) = client_id {
            keys.push((
                self.provider.hasher.hash(&format!("client\u{1f}{id}")),
                t.client,
            ));
        }
        keys
    }

    /// Refuses with `ClientThrottled` while the client or the IP must wait. True when the
    /// client has failures on record, which a success then clears (one read for both keys;
    /// no write at all on the common path).
    pub async fn client_auth_check(&self, client_id: Option<&str>, ip: &str) -> Result<bool> {
        let now = self.provider.now();
        let keys = self.client_throttle_keys(client_id, ip);
        let names: Vec<&str> = keys.iter().map(|(key, _)| key.as_str()).collect();
        let counters = self.provider.store.get_counters(&names).await?;
        let mut wait_until = now;
        let mut client_seen = false;
        for c in counters {
            let Some((_, rule)) = keys.iter().find(|(key, _)| *key == c.key) else {
                continue;
            };
            client_seen |= keys.get(1).is_some_and(|(key, _)| *key == c.key);
            if c.window_start > now - rule.window {
                wait_until = wait_until.max(rule.next_try_at(c.count, c.last_at));
            }
        }
        if wait_until > now {
            return Err(Error::ClientThrottled {
                retry_after: wait_until - now,
            });
        }
        Ok(client_seen)
    }

    pub async fn client_auth_failed(&self, client_id: Option<&str>, ip: &str) -> Result<()> {
        let now = self.provider.now();
        for (key, rule) in self.client_throttle_keys(client_id, ip) {
            self.provider
                .store
                .hit_counter(&key, now, rule.window)
                .await?;
        }
        Ok(())
    }

    /// A successful client authentication forgets the client's failures.
    pub async fn client_auth_passed(&self, client_id: &str) -> Result<()> {
        let key = self
            .provider
            .hasher
            .hash(&format!("client\u{1f}{client_id}"));
        self.provider.store.clear_counter(&key).await?;
        Ok(())
    }
}
