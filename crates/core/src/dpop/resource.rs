//! A DPoP-bound access token at a protected resource
//! ([RFC 9449 §7](https://www.rfc-editor.org/rfc/rfc9449#section-7)): it comes with the
//! `DPoP` authorization scheme and a proof whose `ath` names it, signed by the key of
//! its `cnf.jkt`. Presented as `Bearer` it is refused (§7.2); an unbound token is not
//! accepted under the `DPoP` scheme.

use super::Presented;
use crate::crypto::constant_time_eq;
use crate::error::{Error, Result};
use crate::provider::Provider;
use serde_json::{Map, Value};

/// How an access token was presented.
#[derive(Clone, Copy, Debug)]
pub enum Scheme<'a> {
    /// `Authorization: Bearer` or the `access_token` form field (RFC 6750).
    Bearer,
    /// `Authorization: DPoP` with the `DPoP` header's proof, if any.
    Dpop {
        proof: Option<&'a str>,
        method: &'a str,
    },
}

/// The `cnf.jkt` of an access token's claims.
pub fn bound_key(claims: &Map<String, Value>) -> Option<&str> {
    claims.get("cnf")?.get("jkt")?.as_str()
}

impl Provider {
    /// Ok when the token's binding matches how it was presented at `route`.
    pub async fn check_presentation(
        &self,
        claims: &Map<String, Value>,
        token: &str,
        scheme: Scheme<'_>,
        route: &str,
    ) -> Result<()> {
        match (bound_key(claims), scheme) {
            (None, Scheme::Bearer) => Ok(()),
            (None, Scheme::Dpop { .. }) => {
                Err(Error::InvalidToken("the access token is not DPoP-bound"))
            }
            (Some(_), Scheme::Bearer) => Err(Error::InvalidToken(
                "a DPoP-bound access token needs the DPoP scheme and a proof",
            )),
            (Some(_), Scheme::Dpop { proof: None, .. }) => {
                Err(Error::DpopProofInvalid("the DPoP header is missing"))
            }
            (
                Some(jkt),
                Scheme::Dpop {
                    proof: Some(proof),
                    method,
                },
            ) => {
                let presented = Presented {
                    proof,
                    method,
                    route,
                    access_token: Some(token),
                };
                let signer = self.check_dpop_proof(presented).await?;
                if constant_time_eq(signer.as_bytes(), jkt.as_bytes()) {
                    Ok(())
                } else {
                    Err(Error::InvalidToken(
                        "the DPoP proof is signed by another key than the token is bound to",
                    ))
                }
            }
        }
    }
}
