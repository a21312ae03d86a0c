//! Subject identifiers (OIDC Core §8): the account id for public clients, or a pairwise
//! value derived from the client's sector and the account id so that integrators cannot
//! correlate users (§8.1).

use crate::error::{Error, Result};
use crate::model::{Client, Product, SubjectType};
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

impl Provider {
    /// The `sub` of a user's access token for `products`. A product sees one subject per
    /// person whichever application obtained the token (so a person arriving through two
    /// integrators' apps is one product account): the account id for a `public` product,
    /// a value derived from the product's audience for a `pairwise` one. A token for no
    /// product (the issuer's own userinfo) carries the client's subject, as the ID token.
    /// Products that would see different subjects cannot share one token.
    pub fn access_subject(
        &self,
        client: &Client,
        products: &[&Product],
        account_id: &str,
    ) -> Result<String> {
        let mut subjects = products.iter().map(|p| self.product_subject(p, account_id));
        let Some(first) = subjects.next() else {
            return Ok(self.subject_for(client, account_id));
        };
        if subjects.any(|other| other != first) {
            return Err(Error::ProductSubjectsDiffer);
        }
        Ok(first)
    }

    /// The `sub` a product sees for the account.
    pub fn product_subject(&self, product: &Product, account_id: &str) -> String {
        match product.subject_type {
            SubjectType::Public => account_id.to_owned(),
            SubjectType::Pairwise => self.pairwise.hash(&format!(
                "product\u{1f}{}\u{1f}{account_id}",
                product.audience
            )),
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
