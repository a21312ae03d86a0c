//! Subject identifiers (OIDC Core §8): the account id for public clients, or a pairwise
//! value derived from the client's sector and the account id so that integrators cannot
//! correlate users (§8.1).

use crate::model::{Client, SubjectType};
use crate::provider::Provider;

impl Provider {
    /// The `sub` this client sees for the account.
    pub fn subject_for(&self, client: &Client, account_id: &str) -> String {
        match client.subject_type {
            SubjectType::Public => account_id.to_owned(),
            SubjectType::Pairwise => {
                let sector = sector_of(client);
                self.pairwise.hash(&format!("{sector}\u{1f}{account_id}"))
            }
        }
    }
}

/// The sector identifier: the configured one, else the host of the first redirect URI
/// (all registered redirect URIs of a pairwise client share a host), else the client id.
fn sector_of(client: &Client) -> String {
    if let Some(sector) = &client.sector_identifier {
        return sector.clone();
    }
    client
        .redirect_uris
        .first()
        .and_then(|uri| url::Url::parse(uri).ok())
        .and_then(|url| url.host_str().map(str::to_owned))
        .unwrap_or_else(|| client.id.clone())
}
