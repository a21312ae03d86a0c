//! The device code grant
//! ([RFC 8628 §3.4, §3.5](https://www.rfc-editor.org/rfc/rfc8628#section-3.4)): the
//! device polls with its `device_code` until the user decided. Answers, in order:
//! unknown or foreign code `invalid_grant`; expired `expired_token`; denied
//! `access_denied`; undecided `authorization_pending`, or `slow_down` (the interval grows
//! by five seconds) when it polled sooner than the interval allows; approved: tokens,
//! once. A `scope` on the request (sent by existing integrations) may only narrow.

use crate::device::SLOW_DOWN_STEP;
use crate::error::{Error, Result};
use crate::issue::UserIssue;
use crate::model::Client;
use crate::model::{DeviceAuthorization, DeviceStatus};
use crate::provider::Provider;
use crate::request::{Params, required};
use crate::scope::{narrowed, optional_scope};
use crate::token::Issued;
use propusk_types::scope::Scope;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DeviceCodeRequest {
    pub device_code: String,
    pub scope: Option<Scope>,
}

impl DeviceCodeRequest {
    pub fn parse(params: &Params) -> Result<Self> {
        let scope = optional_scope(params)?;
        Ok(Self {
            device_code: required(params, "device_code")?.to_owned(),
            scope,
        })
    }
}

impl Provider {
    pub(crate) async fn redeem_device_code(
        &self,
        client: &Client,
        request: DeviceCodeRequest,
        jkt: Option<&str>,
    ) -> Result<Issued> {
        let now = self.now();
        let hash = self.hasher.hash(&request.device_code);
        let authorization = self
            .store
            .get_device_authorization(&hash)
            .await?
            .ok_or(Error::DeviceCodeNotFound)?;
        if authorization.client_id != client.id {
            return Err(Error::DeviceCodeClientMismatch);
        }
        match authorization.status {
            DeviceStatus::Redeemed => return Err(Error::DeviceCodeRedeemed),
            _ if authorization.expires_at <= now => return Err(Error::DeviceCodeExpired),
            DeviceStatus::Denied => return Err(Error::DeviceAccessDenied),
            DeviceStatus::Pending => return Err(self.pending(&authorization, now).await?),
            DeviceStatus::Approved => {}
        }
        let scope = narrowed(&authorization.scope, request.scope)?;
        if !self.store.redeem_device(&hash, now).await? {
            return Err(Error::DeviceCodeRedeemed);
        }
        let grant_id = authorization
            .grant_id
            .as_deref()
            .ok_or(Error::DeviceCodeNotFound)?;
        let (grant, account) = self.live_grant_and_account(grant_id).await?;
        self.issue_user_tokens(UserIssue {
            client,
            grant: &grant,
            account: &account,
            scope: &scope,
            nonce: false,
            refresh_scope: Some(&scope),
            jkt,
        })
        .await
    }

    /// `authorization_pending`, or `slow_down` when the device came back too soon.
    async fn pending(&self, authorization: &DeviceAuthorization, now: i64) -> Result<Error> {
        let too_soon = authorization
            .last_polled_at
            .is_some_and(|last| now - last < authorization.interval);
        let interval = if too_soon {
            authorization.interval + SLOW_DOWN_STEP
        } else {
            authorization.interval
        };
        self.store
            .record_device_poll(&authorization.device_code_hash, now, interval)
            .await?;
        Ok(if too_soon {
            Error::DeviceSlowDown
        } else {
            Error::DeviceAuthorizationPending
        })
    }
}
