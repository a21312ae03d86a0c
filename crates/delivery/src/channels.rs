//! Per-channel routing: e-mail to SMTP, SMS to the HTTP gateway, and whatever has no
//! adapter configured to the development outbox.

use crate::DevOutbox;
use async_trait::async_trait;
use propusk_core::accounts::{Channel, DeliveryError, OutboxMessage, Sender};
use std::sync::Arc;

pub struct Channels {
    pub email: Option<Arc<dyn Sender>>,
    pub sms: Option<Arc<dyn Sender>>,
    pub fallback: DevOutbox,
}

impl Channels {
    fn pick(&self, channel: Channel) -> Option<&Arc<dyn Sender>> {
        match channel {
            Channel::Email => self.email.as_ref(),
            Channel::Sms => self.sms.as_ref(),
        }
    }
}

#[async_trait]
impl Sender for Channels {
    async fn send(&self, message: &OutboxMessage) -> Result<(), DeliveryError> {
        match self.pick(message.channel) {
            Some(sender) => sender.send(message).await,
            None => self.fallback.send(message).await,
        }
    }

    /// Bodies are kept only on a channel that ends in the development outbox.
    fn keeps_body(&self, channel: Channel) -> bool {
        match self.pick(channel) {
            Some(sender) => sender.keeps_body(channel),
            None => true,
        }
    }
}
