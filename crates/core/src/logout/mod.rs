//! Logout: [RP-Initiated Logout 1.0](https://openid.net/specs/openid-connect-rpinitiated-1_0.html)
//! requests (`request`), ending a session everywhere (this file), the back-channel
//! logout token and its delivery queue
//! ([Back-Channel Logout 1.0](https://openid.net/specs/openid-connect-backchannel-1_0.html),
//! `token`, `delivery`), and the front-channel URIs the logged-out page loads
//! ([Front-Channel Logout 1.0 §2](https://openid.net/specs/openid-connect-frontchannel-1_0.html#RPLogout)).

mod delivery;
mod request;
mod token;

pub use delivery::{LogoutSender, MAX_ATTEMPTS, retry_delay};
pub use request::{EndSessionRequest, ValidatedEndSession};
pub use token::BACKCHANNEL_EVENT;

use crate::error::Result;
use crate::model::Session;
use crate::provider::Provider;
use propusk_types::scope::OFFLINE_ACCESS;

/// What the browser still has to do after a session ended.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct LoggedOut {
    /// Front-channel logout URIs with `iss` and `sid`, one iframe each.
    pub frontchannel: Vec<String>,
    /// How many back-channel deliveries were queued.
    pub backchannel: usize,
}

impl Provider {
    /// Ends the session; revokes the grants made in it (those with `offline_access` only
    /// when configured); queues a back-channel logout for every participating client
    /// that registered a URI, and lists their front-channel URIs.
    pub async fn end_session_everywhere(&self, session: &Session) -> Result<LoggedOut> {
        let now = self.now();
        self.store.end_session(&session.id, now).await?;
        for grant in self.store.session_grants(&session.id).await? {
            let offline = grant.scope.contains(OFFLINE_ACCESS);
            if grant.revoked_at.is_none() && (!offline || self.config.logout_revokes_offline) {
                self.store.revoke_grant(&grant.id, now).await?;
            }
        }
        let mut outcome = LoggedOut::default();
        for client_id in self.store.session_clients(&session.id).await? {
            let Some(client) = self.store.get_client(&client_id).await? else {
                continue;
            };
            if let Some(uri) = &client.backchannel_logout_uri {
                self.queue_backchannel(&client, uri, session, now).await?;
                outcome.backchannel += 1;
            }
            if let Some(uri) = &client.frontchannel_logout_uri {
                outcome
                    .frontchannel
                    .push(frontchannel_url(uri, &self.config.issuer, &session.id));
            }
        }
        Ok(outcome)
    }
}

/// Front-Channel Logout §2: `iss` and `sid` appended to the registered URI.
fn frontchannel_url(uri: &str, issuer: &str, sid: &str) -> String {
    let query = serde_urlencoded::to_string([("iss", issuer), ("sid", sid)]).unwrap_or_default();
    let separator = if uri.contains('?') { '&' } else { '?' };
    format!("{uri}{separator}{query}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn frontchannel_url_keeps_the_query() {
        assert_eq!(
            frontchannel_url("https://rp.example/fc", "https://id.example", "s1"),
            "https://rp.example/fc?iss=https%3A%2F%2Fid.example&sid=s1"
        );
        assert_eq!(
            frontchannel_url("https://rp.example/fc?x=1", "i", "s"),
            "https://rp.example/fc?x=1&iss=i&sid=s"
        );
    }
}
