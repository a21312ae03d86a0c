//! The browser sessions of an account (`/account/sessions`): each live session with the
//! browser and system read from its User-Agent (RFC 9110 §10.1.5), the address it began
//! from and the applications used in it. Ending one, or all but the current one (which
//! needs a fresh proof), is a logout of each: its grants are revoked, back-channel logout
//! is queued and the front-channel URIs are returned for the page to load
//! ([Front-Channel Logout 1.0 §2](https://openid.net/specs/openid-connect-frontchannel-1_0.html#RPLogout)).
//! A sign-in from a browser the account never used is notified to its owner.

use super::{Accounts, AuditKind, MessageKind};
use crate::error::{Error, Result};
use crate::logout::LoggedOut;
use crate::model::{Session, SessionDevice};

/// One live session of the account, as the sessions page shows it.
#[derive(Clone, Debug)]
pub struct BrowserSession {
    pub session: Session,
    pub device: SessionDevice,
    pub browser: &'static str,
    pub system: &'static str,
    /// Names of the applications used in the session.
    pub applications: Vec<String>,
    pub current: bool,
}

/// The browser family and operating system named by a User-Agent string; `""` when not
/// recognised. Order matters: Edge, Opera and Yandex announce Chrome too, Chrome
/// announces Safari.
pub fn describe_user_agent(user_agent: &str) -> (&'static str, &'static str) {
    let browsers = [
        ("Edg/", "Edge"),
        ("OPR/", "Opera"),
        ("YaBrowser/", "Yandex Browser"),
        ("Firefox/", "Firefox"),
        ("Chromium/", "Chromium"),
        ("Chrome/", "Chrome"),
        ("Safari/", "Safari"),
    ];
    let systems = [
        ("Android", "Android"),
        ("iPhone", "iOS"),
        ("iPad", "iPadOS"),
        ("CrOS", "ChromeOS"),
        ("Windows", "Windows"),
        ("Mac OS X", "macOS"),
        ("Linux", "Linux"),
    ];
    let find = |table: &[(&str, &'static str)]| {
        table
            .iter()
            .find(|(mark, _)| user_agent.contains(mark))
            .map_or("", |(_, name)| *name)
    };
    (find(&browsers), find(&systems))
}

impl Accounts {
    /// Remembers the browser and address a new session began from. When the account
    /// signed in before, but never from a browser with this User-Agent, the owner is told
    /// of the sign-in from a new device.
    pub async fn remember_device(&self, session: &Session, device: &SessionDevice) -> Result<()> {
        let p = &self.provider;
        let earlier = p
            .store
            .earlier_devices(
                &session.account_id,
                &session.id,
                device.user_agent.as_deref(),
            )
            .await?;
        p.store.set_session_device(&session.id, device).await?;
        if earlier.signed_in_before
            && !earlier.same_browser
            && let Some(account) = p.store.get_account(&session.account_id).await?
        {
            self.notify(&account, MessageKind::NewDevice).await;
        }
        Ok(())
    }

    /// The live sessions of `current`'s account, the current one first, then newest first.
    pub async fn browser_sessions(&self, current: &Session) -> Result<Vec<BrowserSession>> {
        let p = &self.provider;
        let now = p.now();
        let mut found = Vec::new();
        for session in p.store.list_sessions(&current.account_id).await? {
            if !session.is_live(now) {
                continue;
            }
            let device = p.store.session_device(&session.id).await?;
            let (browser, system) = describe_user_agent(device.user_agent.as_deref().unwrap_or(""));
            let mut applications = Vec::new();
            for client_id in p.store.session_clients(&session.id).await? {
                if let Some(client) = p.store.get_client(&client_id).await? {
                    applications.push(client.name);
                }
            }
            found.push(BrowserSession {
                current: session.id == current.id,
                session,
                device,
                browser,
                system,
                applications,
            });
        }
        found.sort_by(|a, b| {
            (b.current, b.session.created_at).cmp(&(a.current, a.session.created_at))
        });
        Ok(found)
    }

    /// Ends the account's session `id` (not the current one: that is signing out).
    pub async fn end_browser_session(
        &self,
        current: &Session,
        id: &str,
        ip: &str,
    ) -> Result<LoggedOut> {
        let p = &self.provider;
        let target = p.store.get_session(id).await?;
        let Some(target) = target.filter(|s| {
            s.account_id == current.account_id && s.id != current.id && s.is_live(p.now())
        }) else {
            return Err(Error::InvalidParameter {
                name: "session",
                reason: "not a live session of this account",
            });
        };
        let out = p.end_session_everywhere(&target).await?;
        self.audit(
            AuditKind::SessionsEnded,
            Some(&current.account_id),
            ip,
            Some("1"),
        )
        .await;
        Ok(out)
    }

    /// Ends every live session of the account but the current one: a fresh proof is
    /// required.
    pub async fn end_other_browser_sessions(
        &self,
        current: &Session,
        ip: &str,
    ) -> Result<LoggedOut> {
        self.require_fresh(current).await?;
        let (ended, out) = self.end_other_sessions(current).await?;
        let detail = ended.to_string();
        self.audit(
            AuditKind::SessionsEnded,
            Some(&current.account_id),
            ip,
            Some(&detail),
        )
        .await;
        Ok(out)
    }

    /// Ends every live session of the account but `keep`, each as a logout would; returns
    /// how many ended and what their clients are to be told.
    pub(crate) async fn end_other_sessions(&self, keep: &Session) -> Result<(usize, LoggedOut)> {
        let p = &self.provider;
        let now = p.now();
        let mut ended = 0;
        let mut all = LoggedOut::default();
        for other in p.store.list_sessions(&keep.account_id).await? {
            if other.id != keep.id && other.is_live(now) {
                let out = p.end_session_everywhere(&other).await?;
                all.backchannel += out.backchannel;
                all.frontchannel.extend(out.frontchannel);
                ended += 1;
            }
        }
        Ok((ended, all))
    }
}

#[cfg(test)]
mod tests {
    use super::describe_user_agent;

    #[test]
    fn user_agents_name_browser_and_system() {
        let cases = [
            (
                "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36",
                ("Chrome", "Linux"),
            ),
            (
                "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0",
                ("Edge", "Windows"),
            ),
            (
                "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1",
                ("Safari", "iOS"),
            ),
            (
                "Mozilla/5.0 (Macintosh; Intel Mac OS X 14.5; rv:128.0) Gecko/20100101 Firefox/128.0",
                ("Firefox", "macOS"),
            ),
            (
                "Mozilla/5.0 (Linux; Android 14) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 YaBrowser/24.10 Mobile Safari/537.36",
                ("Yandex Browser", "Android"),
            ),
            ("curl/8.5.0", ("", "")),
        ];
        for (agent, expected) in cases {
            assert_eq!(describe_user_agent(agent), expected, "{agent}");
        }
    }
}
