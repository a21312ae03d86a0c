//! Which web origins may call the token-side endpoints from a browser (the Fetch
//! standard's CORS protocol): the origins of a client's redirect URIs and its
//! `allowed_origins`. A request that names its client is judged by that client alone; a
//! preflight, which carries no credentials, or a request whose client is unknown, by
//! whether any client allows the origin.

use crate::error::Result;
use crate::model::redirect_uri::is_web_origin;
use crate::provider::Provider;

impl Provider {
    pub async fn origin_allowed(&self, origin: &str, client_id: Option<&str>) -> Result<bool> {
        if !is_web_origin(origin) {
            return Ok(false);
        }
        if let Some(id) = client_id
            && let Some(client) = self.store.get_client(id).await?
        {
            return Ok(client.allows_origin(origin));
        }
        let clients = self.store.list_clients().await?;
        Ok(clients.iter().any(|c| c.allows_origin(origin)))
    }
}
