//! Codes leave the provider through a durable outbox: a request only writes the message;
//! a background worker ([`deliver_due`]) claims due messages, hands them to a [`Sender`]
//! (SMTP, an HTTP SMS gateway, or the development outbox, in `propusk-delivery`) and
//! retries failures with growing pauses. Once a production sender has delivered a message,
//! or it has failed for good, its body (the code) is erased from the table; only the
//! development outbox keeps bodies, for its page.

use crate::error::Result;
use crate::model::{Channel, OutboxMessage};
use crate::provider::Provider;
use async_trait::async_trait;
use propusk_texts::{Arg, Catalogue, key};
use serde::{Deserialize, Serialize};

/// Tries before a message is given up.
pub const MAX_ATTEMPTS: i64 = 8;
/// Seconds a claimed message is left to its worker before another may retry it.
const LEASE: i64 = 60;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MessageKind {
    SignInCode,
    RegisterCode,
    ResetCode,
    SecondFactorCode,
    /// Notices without a code: something changed on the account.
    PasswordChanged,
    FactorDisabled,
    /// The code that confirms a new e-mail or phone of a signed-in user.
    ContactCode,
    /// To the old e-mail or phone: it was replaced.
    ContactChanged,
    AccountDeleted,
    /// A sign-in from a browser the account never used.
    NewDevice,
}

/// A message about to be written to the outbox.
#[derive(Clone, Debug)]
pub struct Message<'a> {
    pub kind: MessageKind,
    pub to: &'a str,
    pub code: &'a str,
    pub locale: &'a str,
    pub operator: &'a str,
    /// How long the code is valid, minutes.
    pub minutes: i64,
}

#[derive(Debug, thiserror::Error)]
pub enum DeliveryError {
    /// Worth trying again later (network, 5xx, timeouts).
    #[error("temporary delivery failure: {0}")]
    Temporary(String),
    /// Will never work (bad address, 4xx).
    #[error("permanent delivery failure: {0}")]
    Permanent(String),
}

/// Where messages go. Implementations live outside the engine (`propusk-delivery`).
#[async_trait]
pub trait Sender: Send + Sync {
    async fn send(&self, message: &OutboxMessage) -> Result<(), DeliveryError>;
    /// Whether messages of `channel` keep their bodies once done: only the development
    /// outbox does, so the operator can read them.
    fn keeps_body(&self, _channel: Channel) -> bool {
        false
    }
}

impl Message<'_> {
    /// Subject and text in the user's language (Russian when the catalogue has not it).
    pub fn render(&self, texts: &Catalogue) -> (String, String) {
        let locale = texts.find(self.locale).unwrap_or(propusk_texts::Locale::RU);
        let (subject, body) = match self.kind {
            MessageKind::SignInCode => (
                key!("message-sign-in-code-subject"),
                key!("message-sign-in-code-body"),
            ),
            MessageKind::RegisterCode => (
                key!("message-register-code-subject"),
                key!("message-register-code-body"),
            ),
            MessageKind::ResetCode => (
                key!("message-reset-code-subject"),
                key!("message-reset-code-body"),
            ),
            MessageKind::SecondFactorCode => (
                key!("message-second-factor-code-subject"),
                key!("message-second-factor-code-body"),
            ),
            MessageKind::PasswordChanged => (
                key!("message-password-changed-subject"),
                key!("message-password-changed-body"),
            ),
            MessageKind::FactorDisabled => (
                key!("message-factor-disabled-subject"),
                key!("message-factor-disabled-body"),
            ),
            MessageKind::ContactCode => (
                key!("message-contact-code-subject"),
                key!("message-contact-code-body"),
            ),
            MessageKind::ContactChanged => (
                key!("message-contact-changed-subject"),
                key!("message-contact-changed-body"),
            ),
            MessageKind::AccountDeleted => (
                key!("message-account-deleted-subject"),
                key!("message-account-deleted-body"),
            ),
            MessageKind::NewDevice => (
                key!("message-new-device-subject"),
                key!("message-new-device-body"),
            ),
        };
        let args = [
            ("operator", Arg::Str(self.operator)),
            ("code", Arg::Str(self.code)),
            ("minutes", Arg::Num(self.minutes)),
        ];
        (
            texts.format(locale, subject, &args),
            texts.format(locale, body, &args),
        )
    }
}

impl Provider {
    /// Writes a message to the outbox; the worker sends it.
    pub async fn enqueue_message(&self, message: &Message<'_>, texts: &Catalogue) -> Result<()> {
        let now = self.now();
        let (subject, body) = message.render(texts);
        let record = OutboxMessage {
            id: self.sortable_id(12),
            channel: Channel::of(message.to),
            to: message.to.to_owned(),
            subject,
            body,
            attempts: 0,
            next_attempt_at: now,
            created_at: now,
            sent_at: None,
            last_error: None,
        };
        self.store.enqueue_message(&record).await?;
        Ok(())
    }
}

impl super::Accounts {
    /// Tells the owner of the account about a change: by e-mail when a confirmed address
    /// exists, else by SMS to a confirmed phone, else not at all. A failure to queue is
    /// logged; the change itself stands.
    pub(crate) async fn notify(&self, account: &crate::model::Account, kind: MessageKind) {
        let to = account
            .email
            .as_deref()
            .filter(|_| account.profile.email_verified)
            .or(account
                .phone
                .as_deref()
                .filter(|_| account.profile.phone_number_verified));
        let Some(to) = to else {
            return;
        };
        self.notify_to(account, to, kind).await;
    }

    /// Tells `to` (a contact of the account, current or former) about a change.
    pub(crate) async fn notify_to(
        &self,
        account: &crate::model::Account,
        to: &str,
        kind: MessageKind,
    ) {
        let message = Message {
            kind,
            to,
            code: "",
            locale: account.profile.locale.as_deref().unwrap_or("ru"),
            operator: &self.policy.operator,
            minutes: 0,
        };
        if let Err(error) = self
            .provider
            .enqueue_message(&message, &self.policy.texts)
            .await
        {
            tracing::error!(%error, "account notice not queued");
        }
    }
}

/// Seconds to wait after the `attempts`-th failure: 5 s, 10 s, 20 s … up to an hour.
pub fn retry_delay(attempts: i64) -> i64 {
    (5i64 << attempts.clamp(0, 10) as u32).min(3600)
}

/// One round of the worker: claims due messages and sends them. Returns how many went.
pub async fn deliver_due(provider: &Provider, sender: &dyn Sender, batch: i64) -> Result<usize> {
    let now = provider.now();
    let claimed = provider
        .store
        .claim_messages(now, now + LEASE, batch, MAX_ATTEMPTS)
        .await?;
    let mut sent = 0;
    for message in claimed {
        match sender.send(&message).await {
            Ok(()) => {
                provider
                    .store
                    .message_sent(
                        &message.id,
                        provider.now(),
                        !sender.keeps_body(message.channel),
                    )
                    .await?;
                sent += 1;
            }
            Err(error) => {
                let give_up = matches!(error, DeliveryError::Permanent(_))
                    || message.attempts >= MAX_ATTEMPTS;
                tracing::warn!(id = %message.id, channel = message.channel.as_str(), %error, give_up, "delivery failed");
                let next = if give_up {
                    i64::MAX / 2
                } else {
                    provider.now() + retry_delay(message.attempts)
                };
                provider
                    .store
                    .message_failed(
                        &message.id,
                        next,
                        &error.to_string(),
                        give_up && !sender.keeps_body(message.channel),
                    )
                    .await?;
            }
        }
    }
    Ok(sent)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn texts_carry_the_code_in_both_languages() {
        let texts = Catalogue::builtin();
        for (locale, expires) in [
            ("ru", "Код действует 5 минут."),
            ("en", "It expires in 5 minutes."),
        ] {
            let (subject, body) = Message {
                kind: MessageKind::SignInCode,
                to: "+79001234567",
                code: "123456",
                locale,
                operator: "Bank",
                minutes: 5,
            }
            .render(&texts);
            assert!(subject.starts_with("Bank"), "{subject}");
            assert!(body.contains("123456") && body.ends_with(expires), "{body}");
        }
    }

    #[test]
    fn retries_back_off() {
        assert_eq!(retry_delay(0), 5);
        assert_eq!(retry_delay(1), 10);
        assert_eq!(retry_delay(20), 3600);
    }
}
