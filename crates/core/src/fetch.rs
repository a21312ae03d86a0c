//! What the engine needs from the one fetcher of client-given URLs: a client's key set
//! at its `jwks_uri` (RFC 7591 §2, used by `private_key_jwt`, RFC 7523 §2.2). The
//! fetcher itself (address checks after DNS resolution, no redirects, size and time
//! limits, caching) lives outside the engine, in `propusk-fetch`; [`NoFetcher`] stands
//! in where no network is wanted.

use async_trait::async_trait;
use propusk_types::jwk::JwkSet;

/// Why a URL given by a client could not be used; the text is safe to log.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum FetchError {
    #[error("{0}: only https URLs are fetched")]
    NotHttps(String),
    #[error("{0}: the address {1} is not a public one")]
    ForbiddenAddress(String, String),
    #[error("{0}: the host does not resolve")]
    Unresolvable(String),
    #[error("{0}: redirects are not followed (status {1})")]
    Redirect(String, u16),
    #[error("{0}: answered status {1}")]
    Status(String, u16),
    #[error("{0}: the answer is larger than {1} bytes")]
    TooLarge(String, usize),
    #[error("{0}: no complete answer within {1} ms")]
    Timeout(String, u128),
    #[error("{0}: {1}")]
    Invalid(String, String),
    #[error("{0}: the request failed: {1}")]
    Transport(String, String),
    #[error("no fetcher is configured")]
    Disabled,
}

/// Client key sets by URI.
#[async_trait]
pub trait JwksFetcher: Send + Sync {
    /// The key set at `uri`. `kid` names the key the caller needs: when a cached set
    /// lacks it, the set is fetched again, at most once a minute per URI.
    async fn jwks(&self, uri: &str, kid: Option<&str>) -> Result<JwkSet, FetchError>;
}

/// Fetches nothing: every call is [`FetchError::Disabled`].
pub struct NoFetcher;

#[async_trait]
impl JwksFetcher for NoFetcher {
    async fn jwks(&self, _uri: &str, _kid: Option<&str>) -> Result<JwkSet, FetchError> {
        Err(FetchError::Disabled)
    }
}
