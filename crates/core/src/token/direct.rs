//! What the grants without a browser share (password, RFC 6749 §4.3; JWT bearer,
//! RFC 7523 §2.1): a scope within the client's registration, and a grant recorded for
//! the account with no session, from which `issue_user_tokens` issues.

use crate::error::Result;
use crate::issue::UserIssue;
use crate::model::{Account, Client, Grant};
use crate::provider::Provider;
use crate::token::Issued;
use propusk_types::scope::Scope;

/// How the user was authenticated, for `acr`/`amr` of the tokens.
pub(crate) struct SignIn {
    pub acr: Option<String>,
    pub amr: Vec<String>,
}

impl Provider {
    pub(crate) async fn issue_direct_grant(
        &self,
        client: &Client,
        account: &Account,
        scope: &Scope,
        sign_in: SignIn,
        jkt: Option<&str>,
    ) -> Result<Issued> {
        let now = self.now();
        let grant = Grant {
            id: self.sortable_id(16),
            client_id: client.id.clone(),
            account_id: Some(account.id.clone()),
            session_id: None,
            scope: scope.clone(),
            auth_time: Some(now),
            acr: sign_in.acr,
            amr: sign_in.amr,
            nonce: None,
            claims: None,
            created_at: now,
            revoked_at: None,
        };
        self.store.insert_grant(&grant).await?;
        self.issue_user_tokens(UserIssue {
            client,
            grant: &grant,
            account,
            scope,
            nonce: false,
            refresh_scope: None,
            jkt,
        })
        .await
    }
}
