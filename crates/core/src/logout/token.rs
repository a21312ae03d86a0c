//! The logout token ([Back-Channel Logout 1.0 §2.4](https://openid.net/specs/openid-connect-backchannel-1_0.html#LogoutToken)):
//! a JWT with `typ` `logout+jwt`, claims `iss aud iat exp jti events sid sub` and never a
//! `nonce`, signed like the client's ID tokens. A fresh one (new `jti`, `iat`) is signed
//! for every delivery attempt, so that a retry is never refused as expired.

use crate::clock::Timestamp;
use crate::error::{Error, Result};
use crate::model::Client;
use crate::provider::Provider;
use serde_json::{Map, Value, json};

pub const BACKCHANNEL_EVENT: &str = "http://schemas.openid.net/event/backchannel-logout";
/// Lifetime of a logout token (§2.4 recommends at most two minutes).
const LIFETIME: i64 = 120;

impl Provider {
    pub(crate) async fn logout_token(
        &self,
        client: &Client,
        sid: &str,
        sub: &str,
        now: Timestamp,
    ) -> Result<String> {
        let mut claims = Map::new();
        claims.insert("iss".into(), Value::String(self.config.issuer.clone()));
        claims.insert("aud".into(), Value::String(client.id.clone()));
        claims.insert("iat".into(), Value::from(now));
        claims.insert("exp".into(), Value::from(now + LIFETIME));
        claims.insert("jti".into(), Value::String(self.random(16)));
        claims.insert("events".into(), json!({ BACKCHANNEL_EVENT: {} }));
        claims.insert("sid".into(), Value::String(sid.to_owned()));
        claims.insert("sub".into(), Value::String(sub.to_owned()));
        let alg = match client.id_token_signing_alg.as_deref() {
            Some(text) => text
                .parse()
                .map_err(|_| Error::Internal(format!("configured signing alg {text}")))?,
            None => self.config.default_signing_alg,
        };
        let key = self.keys.signer(self.store.as_ref(), now, alg).await?;
        key.sign_jwt("logout+jwt", &claims)
            .map_err(|e| Error::Internal(format!("signing logout token: {e}")))
    }
}
