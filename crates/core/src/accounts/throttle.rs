//! Throttling of credential checks and of code sending (NIST SP 800-63B §5.2.2, OWASP
//! ASVS V2.2.1). Counters live in the database, so every node sees the same ones. A
//! credential check first asks [`Accounts::throttle_check`]; a failure then counts with
//! [`Accounts::throttle_fail`]. After `free` failures each further try must wait a
//! growing delay (1 s, 2 s, 4 s … up to `max_delay`); at `lock_after` failures the key is
//! locked for `lockout`. Counters start over `window` seconds after their first event.
//! Keys are keyed hashes of what they count (an identifier, an IP, a phone), so unknown
//! accounts are throttled exactly like known ones and the table names nobody.

use super::Accounts;
use crate::clock::Timestamp;
use crate::error::{Error, Result};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ThrottleRule {
    /// Failures allowed without delay.
    pub free: i64,
    /// Failures after which the key is locked.
    pub lock_after: i64,
    /// Seconds a lock lasts, from the last failure.
    pub lockout: i64,
    /// Longest delay between tries before the lock, seconds.
    pub max_delay: i64,
    /// Seconds after the first failure that the counter starts over.
    pub window: i64,
}

#[derive(Clone, Debug)]
pub struct ThrottlePolicy {
    /// Per account (per identifier typed, known or not).
    pub account: ThrottleRule,
    /// Per client IP address.
    pub ip: ThrottleRule,
    /// Failed client authentications per client id (token-side endpoints).
    pub client: ThrottleRule,
    /// Failed client authentications per IP address.
    pub client_ip: ThrottleRule,
    /// Codes sent to one phone or e-mail address per hour.
    pub sends_per_destination: i64,
    /// Codes sent on behalf of one IP address per hour.
    pub sends_per_ip: i64,
}

impl Default for ThrottlePolicy {
    fn default() -> Self {
        Self {
            account: ThrottleRule {
                free: 3,
                lock_after: 10,
                lockout: 900,
                max_delay: 60,
                window: 3600,
            },
            ip: ThrottleRule {
                free: 20,
                lock_after: 100,
                lockout: 900,
                max_delay: 30,
                window: 3600,
            },
            client: ThrottleRule {
                free: 10,
                lock_after: 60,
                lockout: 300,
                max_delay: 30,
                window: 3600,
            },
            client_ip: ThrottleRule {
                free: 30,
                lock_after: 300,
                lockout: 300,
                max_delay: 30,
                window: 3600,
            },
            sends_per_destination: 5,
            sends_per_ip: 20,
        }
    }
}

impl ThrottleRule {
    /// When the next try is allowed after `count` failures, the last at `last_at`.
    pub fn next_try_at(&self, count: i64, last_at: Timestamp) -> Timestamp {
        if count >= self.lock_after {
            return last_at + self.lockout;
        }
        if count < self.free {
            return last_at;
        }
        let doublings = (count - self.free).min(20) as u32;
        last_at + (1i64 << doublings).min(self.max_delay)
    }
}

/// What a counter is about; part of its key.
#[derive(Clone, Copy, Debug)]
pub enum Subject<'a> {
    Account(&'a str),
    Ip(&'a str),
    SendTo(&'a str),
    SendFrom(&'a str),
}

impl Accounts {
    fn throttle_key(&self, subject: Subject<'_>) -> String {
        let text = match subject {
            Subject::Account(id) => format!("acct\u{1f}{id}"),
            Subject::Ip(ip) => format!("ip\u{1f}{ip}"),
            Subject::SendTo(to) => format!("to\u{1f}{to}"),
            Subject::SendFrom(ip) => format!("from\u{1f}{ip}"),
        };
        self.provider.hasher.hash(&text)
    }

    /// Refuses with `Throttled` while the account key or the IP key must wait. True when
    /// the account key has failures on record (a success then clears them).
    pub(crate) async fn throttle_check(&self, account_key: &str, ip: &str) -> Result<bool> {
        let now = self.provider.now();
        let account = self.throttle_key(Subject::Account(account_key));
        let address = self.throttle_key(Subject::Ip(ip));
        let t = &self.policy.throttle;
        let mut wait_until = now;
        let mut account_seen = false;
        for c in self
            .provider
            .store
            .get_counters(&[&account, &address])
            .await?
        {
            let is_account = c.key == account;
            account_seen |= is_account;
            let rule = if is_account { t.account } else { t.ip };
            if c.window_start > now - rule.window {
                wait_until = wait_until.max(rule.next_try_at(c.count, c.last_at));
            }
        }
        if wait_until > now {
            return Err(Error::Throttled {
                retry_after: wait_until - now,
            });
        }
        Ok(account_seen)
    }

    /// Counts a failed check; true when it locked the account key just now.
    pub(crate) async fn throttle_fail(&self, account_key: &str, ip: &str) -> Result<bool> {
        let now = self.provider.now();
        let t = &self.policy.throttle;
        let account = self
            .provider
            .store
            .hit_counter(
                &self.throttle_key(Subject::Account(account_key)),
                now,
                t.account.window,
            )
            .await?;
        self.provider
            .store
            .hit_counter(&self.throttle_key(Subject::Ip(ip)), now, t.ip.window)
            .await?;
        Ok(account.count == t.account.lock_after)
    }

    /// A success forgets the account's failures (the IP's stay).
    pub(crate) async fn throttle_pass(&self, account_key: &str) -> Result<()> {
        let key = self.throttle_key(Subject::Account(account_key));
        self.provider.store.clear_counter(&key).await?;
        Ok(())
    }

    /// Counts a code about to be sent; refuses with `SendCapReached` over the hourly caps.
    pub(crate) async fn send_allowed(&self, destination: &str, ip: &str) -> Result<()> {
        let now = self.provider.now();
        let t = &self.policy.throttle;
        let to = self
            .provider
            .store
            .hit_counter(&self.throttle_key(Subject::SendTo(destination)), now, 3600)
            .await?;
        let from = self
            .provider
            .store
            .hit_counter(&self.throttle_key(Subject::SendFrom(ip)), now, 3600)
            .await?;
        if to.count > t.sends_per_destination || from.count > t.sends_per_ip {
            let retry_after = (to.window_start.min(from.window_start) + 3600 - now).max(1);
            return Err(Error::SendCapReached { retry_after });
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn client_delays_grow_then_lock() {
        let rule = ThrottlePolicy::default().client;
        let wait = |n| rule.next_try_at(n, 1000) - 1000;
        assert_eq!((wait(9), wait(10), wait(11), wait(15)), (0, 1, 2, 30));
        assert_eq!(wait(60), 300);
    }

    #[test]
    fn delays_grow_then_lock() {
        let rule = ThrottlePolicy::default().account;
        let waits: Vec<i64> = (0..=10).map(|n| rule.next_try_at(n, 1000) - 1000).collect();
        assert_eq!(waits, vec![0, 0, 0, 1, 2, 4, 8, 16, 32, 60, 900]);
    }
}
