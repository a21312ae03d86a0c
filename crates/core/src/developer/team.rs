//! Co-owners of an application: an owner adds another integrator by login or e-mail;
//! every owner manages the application alike.

use super::{Cabinet, CabinetResult, Problem, invalid};
use crate::model::{Account, Client, ClientOwner};

impl Cabinet<'_> {
    /// The owners of an application with their accounts (when they still exist).
    pub async fn team(
        &self,
        client: &Client,
    ) -> CabinetResult<Vec<(ClientOwner, Option<Account>)>> {
        let mut team = Vec::new();
        for owner in self.p.store.client_owners(&client.id).await? {
            let account = self.p.store.get_account(&owner.account_id).await?;
            team.push((owner, account));
        }
        Ok(team)
    }

    /// Adds the account found by `identifier` (login or e-mail) as a co-owner; it must be
    /// an integrator already.
    pub async fn add_owner(
        &self,
        account: &Account,
        client_id: &str,
        identifier: &str,
    ) -> CabinetResult<Account> {
        let client = self.owned(account, client_id).await?;
        let identifier = identifier.trim();
        let found = if identifier.is_empty() {
            None
        } else {
            self.p.store.find_account(identifier).await?
        };
        let Some(other) = found.filter(|a| !a.disabled) else {
            return invalid(Problem::AccountUnknown);
        };
        match self.p.store.get_integrator(&other.id).await? {
            Some(_) => {}
            None => return invalid(Problem::AccountUnknown),
        }
        let owner = ClientOwner {
            client_id: client.id.clone(),
            account_id: other.id.clone(),
            added_at: self.p.now(),
        };
        self.p.store.add_client_owner(&owner).await?;
        Ok(other)
    }
}
