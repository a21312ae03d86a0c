//! Pushed authorization requests ([RFC 9126](https://www.rfc-editor.org/rfc/rfc9126)):
//! an authenticated client posts the parameters of an authorization request (§2.1); they
//! pass the authorization endpoint's checks, answered as JSON (§2.3), and are kept under
//! the keyed hash of a random `request_uri` for [`LIFETIME`] seconds (§2.2). The
//! authorization endpoint takes them once, for the client that pushed them (§4). Only
//! `request_uri` values of our own form are looked up; none is ever fetched. A signed
//! `request` object may carry the parameters (§3); then only its parameters are kept.

use crate::client_auth::ClientCredentials;
use crate::error::{Error, Result};
use crate::model::PushedRequest;
use crate::provider::Provider;
use crate::request::Params;
use propusk_types::routes;
use serde::Serialize;

/// How long a `request_uri` may wait for its authorization request, seconds (§2.2: short).
pub const LIFETIME: i64 = 60;

/// §2.2: the URN form of every `request_uri` we issue.
pub const REQUEST_URI_PREFIX: &str = "urn:ietf:params:oauth:request_uri:";

/// Parameters that authenticate the client at PAR and are not part of the request.
const CREDENTIALS: [&str; 3] = ["client_secret", "client_assertion", "client_assertion_type"];

/// The response of §2.2.
#[derive(Clone, Debug, Serialize)]
pub struct PushedAuthorizationResponse {
    pub request_uri: String,
    pub expires_in: i64,
}

impl Provider {
    /// §2.1: authenticates the client as the token endpoint does, checks the parameters
    /// as the authorization endpoint would, and keeps them for one use.
    pub async fn push_authorization(
        &self,
        credentials: &ClientCredentials,
        params: &Params,
    ) -> Result<PushedAuthorizationResponse> {
        let client = self.authenticate_client(credentials, routes::PAR).await?;
        if params
            .single("client_id")?
            .is_some_and(|id| id != client.id)
        {
            return Err(Error::InvalidParameter {
                name: "client_id",
                reason: "differs from the authenticated client",
            });
        }
        // §2.1: the request itself cannot be a reference to another one.
        if params.has("request_uri") {
            return Err(Error::InvalidParameter {
                name: "request_uri",
                reason: "is not accepted at the pushed authorization request endpoint",
            });
        }
        let signed = params.single("request")?.is_some();
        let request = match params.single("request")? {
            Some(object) => self
                .request_object_params(object, &client)
                .await
                .map_err(super::request_object::ObjectRefusal::into_error)?,
            None => {
                let mut pairs: Vec<(String, String)> = params
                    .pairs()
                    .iter()
                    .filter(|(name, _)| {
                        name != "client_id" && !CREDENTIALS.contains(&name.as_str())
                    })
                    .cloned()
                    .collect();
                pairs.push(("client_id".to_owned(), client.id.clone()));
                Params::from_pairs(pairs)
            }
        };
        let origin = super::validate::Origin {
            pushed: true,
            signed,
        };
        self.check_request(&request, origin)
            .await
            .map_err(super::validate::Refusal::into_error)?;
        let reference = self.random(32);
        let now = self.now();
        let record = PushedRequest {
            request_uri_hash: self.request_uri_hash(&reference),
            client_id: client.id.clone(),
            params: request.pairs().to_vec(),
            created_at: now,
            expires_at: now + LIFETIME,
        };
        self.store.insert_pushed_request(&record).await?;
        Ok(PushedAuthorizationResponse {
            request_uri: format!("{REQUEST_URI_PREFIX}{reference}"),
            expires_in: LIFETIME,
        })
    }

    /// §4: the pushed parameters a `request_uri` stands for, taken once; `None` when
    /// the request has no `request_uri`. Other parameters of the request are ignored but
    /// `client_id`, which must name the client that pushed it.
    pub(super) async fn pushed_params(&self, params: &Params) -> Result<Option<Params>> {
        let Some(request_uri) = params.single("request_uri")? else {
            return Ok(None);
        };
        let client_id = params
            .single("client_id")?
            .ok_or(Error::MissingParameter("client_id"))?;
        let Some(reference) = request_uri.strip_prefix(REQUEST_URI_PREFIX) else {
            return Err(Error::RequestUriUnknown);
        };
        let taken = self
            .store
            .take_pushed_request(&self.request_uri_hash(reference), client_id, self.now())
            .await?
            .ok_or(Error::RequestUriUnknown)?;
        Ok(Some(Params::from_pairs(taken.params)))
    }

    fn request_uri_hash(&self, reference: &str) -> String {
        self.hasher.hash(&format!("request-uri:{reference}"))
    }
}
