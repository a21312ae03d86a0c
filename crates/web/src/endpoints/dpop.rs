//! The HTTP side of DPoP (RFC 9449): the `DPoP` request header (§4.1), the `DPoP`
//! authorization scheme (§7.1), and the `DPoP-Nonce` response header (§8.1) sent with
//! every answer of the token endpoint and userinfo while the provider demands nonces.

use axum::http::{HeaderMap, HeaderName, HeaderValue, header};
use axum::response::Response;
use propusk_core::error::Error;
use propusk_core::provider::Provider;

pub(crate) const DPOP: HeaderName = HeaderName::from_static("dpop");
pub(crate) const DPOP_NONCE: HeaderName = HeaderName::from_static("dpop-nonce");

/// The proof of the `DPoP` header, if one was sent; more than one, or one that is not
/// text, is `invalid_dpop_proof` (§4.3 item 1).
pub(crate) fn proof(headers: &HeaderMap) -> Result<Option<String>, Error> {
    let mut values = headers.get_all(DPOP).iter();
    let Some(first) = values.next() else {
        return Ok(None);
    };
    if values.next().is_some() {
        return Err(Error::DpopProofInvalid("more than one DPoP header"));
    }
    let text = first
        .to_str()
        .map_err(|_| Error::DpopProofInvalid("the DPoP header is not text"))?;
    Ok(Some(text.trim().to_owned()))
}

/// Adds the current server nonce when the provider demands nonces.
pub(crate) fn with_nonce(provider: &Provider, mut response: Response) -> Response {
    if let Some(nonce) = provider.dpop_nonce()
        && let Ok(value) = HeaderValue::from_str(&nonce)
    {
        response.headers_mut().insert(DPOP_NONCE, value);
    }
    response
}

/// At a resource, an error for a request under the `DPoP` scheme (or about a proof)
/// challenges with `DPoP` and the accepted algorithms instead of `Bearer` (§7.1).
pub(crate) fn dpop_challenge(mut response: Response) -> Response {
    let headers = response.headers_mut();
    let Some(challenge) = headers
        .get(header::WWW_AUTHENTICATE)
        .and_then(|v| v.to_str().ok())
    else {
        return response;
    };
    let params = challenge
        .strip_prefix("Bearer")
        .unwrap_or(challenge)
        .trim_start_matches(',')
        .trim();
    let algs = propusk_core::dpop::PROOF_ALGS
        .iter()
        .map(|a| a.as_str())
        .collect::<Vec<_>>()
        .join(" ");
    let rewritten = if params.is_empty() {
        format!("DPoP algs=\"{algs}\"")
    } else {
        format!("DPoP {params}, algs=\"{algs}\"")
    };
    if let Ok(value) = HeaderValue::from_str(&rewritten) {
        headers.insert(header::WWW_AUTHENTICATE, value);
    }
    response
}
