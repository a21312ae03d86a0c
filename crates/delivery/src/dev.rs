//! The development outbox, the embedded default: a message counts as delivered where it
//! is, in the outbox table, body kept, for the development page. The text (with the
//! code) goes to the log only in development mode; production logs never carry codes.

use async_trait::async_trait;
use propusk_core::accounts::{Channel, DeliveryError, OutboxMessage, Sender};

#[derive(Debug, Clone, Copy)]
pub struct DevOutbox {
    /// Development mode: log the text too, clearly marked.
    pub log_bodies: bool,
}

#[async_trait]
impl Sender for DevOutbox {
    async fn send(&self, message: &OutboxMessage) -> Result<(), DeliveryError> {
        if self.log_bodies {
            tracing::info!(
                to = %message.to,
                channel = message.channel.as_str(),
                text = %message.body,
                "DEVELOPMENT OUTBOX (not sent)"
            );
        } else {
            tracing::info!(
                channel = message.channel.as_str(),
                "message kept in the development outbox (no SMTP or SMS gateway configured)"
            );
        }
        Ok(())
    }

    fn keeps_body(&self, _channel: Channel) -> bool {
        true
    }
}
