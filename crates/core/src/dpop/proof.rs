//! The checks of a DPoP proof ([RFC 9449 §4.3](https://www.rfc-editor.org/rfc/rfc9449#section-4.3)):
//! one compact JWS with `typ: dpop+jwt`, an asymmetric `alg`, a public `jwk` header it
//! verifies under, `htm` and `htu` of this request, a fresh `iat`, a `jti` not seen before
//! by any node, `ath` over the access token at a resource (§7), and our `nonce` when the
//! provider demands one (§8). The result is the key's thumbprint.

use super::{PROOF_ALGS, PROOF_TYP, thumbprint};
use crate::crypto::{b64url, constant_time_eq, sha256};
use crate::error::{Error, Result};
use crate::jose::{self, Jwk};
use crate::provider::Provider;
use serde_json::{Map, Value};

/// Members of a private or symmetric JWK, which a proof's `jwk` must not carry (§4.3
/// item 6): RFC 7518 §6.2.2, §6.3.2, §6.4 and RFC 8037 §2.
const PRIVATE_MEMBERS: [&str; 8] = ["d", "p", "q", "dp", "dq", "qi", "oth", "k"];

/// The longest proof read, and the longest `jti` kept (§11.1 lets a server bound them).
const MAX_PROOF_LEN: usize = 8 * 1024;
const MAX_JTI_LEN: usize = 256;

/// A proof as it came with a request.
#[derive(Clone, Copy, Debug)]
pub struct Presented<'a> {
    /// The `DPoP` header's value.
    pub proof: &'a str,
    /// The request's method, upper case (`POST`).
    pub method: &'a str,
    /// The route of the endpoint; `htu` must name it under the public issuer.
    pub route: &'a str,
    /// The access token presented with it at a resource (then `ath` is required).
    pub access_token: Option<&'a str>,
}

impl Provider {
    /// Checks a proof and records its `jti`; the thumbprint of its key when it passes,
    /// `invalid_dpop_proof` (or `use_dpop_nonce`) when it does not.
    pub async fn check_dpop_proof(&self, presented: Presented<'_>) -> Result<String> {
        if presented.proof.len() > MAX_PROOF_LEN {
            return Err(Error::DpopProofInvalid("the proof is too long"));
        }
        let (jwk, claims) = verified(presented.proof)?;
        let jkt = thumbprint(&jwk).ok_or(Error::DpopProofInvalid("the jwk is not usable"))?;
        check_method(&claims, presented.method)?;
        check_uri(&claims, &self.config.url(presented.route))?;
        let now = self.now();
        let iat = claims
            .get("iat")
            .and_then(Value::as_i64)
            .ok_or(Error::DpopProofInvalid("iat is missing"))?;
        if (iat - now).abs() > self.config.dpop.iat_window {
            return Err(Error::DpopProofInvalid(
                "iat is outside the accepted window",
            ));
        }
        check_ath(&claims, presented.access_token)?;
        if self.config.dpop.require_nonce {
            let nonce = claims.get("nonce").and_then(Value::as_str);
            if !nonce.is_some_and(|n| self.dpop_nonces.accepts(n, now)) {
                return Err(Error::DpopNonceRequired);
            }
        }
        let jti = claims
            .get("jti")
            .and_then(Value::as_str)
            .filter(|j| !j.is_empty() && j.len() <= MAX_JTI_LEN)
            .ok_or(Error::DpopProofInvalid("jti is missing or too long"))?;
        // The key and jti together name the proof; its hash keeps the entry short.
        let key = format!(
            "dpop:{}",
            b64url(&sha256(format!("{jkt}:{jti}").as_bytes()))
        );
        let window = self.config.dpop.iat_window;
        let expires_at = iat.max(now) + window + 1;
        if !self.store.remember_once(&key, expires_at, now).await? {
            return Err(Error::DpopProofInvalid("the proof was used before"));
        }
        Ok(jkt)
    }

    /// The nonce clients put into their next proofs (`DPoP-Nonce`, §8.1), when the
    /// provider demands nonces.
    pub fn dpop_nonce(&self) -> Option<String> {
        self.config
            .dpop
            .require_nonce
            .then(|| self.dpop_nonces.current(self.now()))
    }
}

/// Header checks and the signature: the embedded public key and the claims.
fn verified(proof: &str) -> Result<(Jwk, Map<String, Value>)> {
    let unverified = jose::decode_unverified(proof)
        .map_err(|_| Error::DpopProofInvalid("the proof is not a JWS"))?;
    let typ = unverified.header.typ.as_deref().unwrap_or_default();
    if !typ.eq_ignore_ascii_case(PROOF_TYP) {
        return Err(Error::DpopProofInvalid("typ must be dpop+jwt"));
    }
    let alg: jose::Alg = unverified
        .header
        .alg
        .parse()
        .map_err(|_| Error::DpopProofInvalid("alg must be an asymmetric algorithm"))?;
    let members = jose::header_members(proof)
        .map_err(|_| Error::DpopProofInvalid("the proof is not a JWS"))?;
    let Some(Value::Object(raw_jwk)) = members.get("jwk") else {
        return Err(Error::DpopProofInvalid("the jwk header is missing"));
    };
    if PRIVATE_MEMBERS.iter().any(|m| raw_jwk.contains_key(*m)) {
        return Err(Error::DpopProofInvalid(
            "the jwk carries private key members",
        ));
    }
    let mut jwk: Jwk = serde_json::from_value(Value::Object(raw_jwk.clone()))
        .map_err(|_| Error::DpopProofInvalid("the jwk is not a public key"))?;
    // The key is the proof's own: whatever `kid` the header names is this key.
    jwk.kid = unverified.header.kid.clone();
    let verified = jose::verify_jwt(proof, std::slice::from_ref(&jwk), &[alg])
        .map_err(|_| Error::DpopProofInvalid("the signature does not verify with the jwk"))?;
    debug_assert!(PROOF_ALGS.contains(&alg));
    Ok((jwk, verified.claims))
}

fn check_method(claims: &Map<String, Value>, method: &str) -> Result<()> {
    match claims.get("htm").and_then(Value::as_str) {
        Some(htm) if htm == method => Ok(()),
        _ => Err(Error::DpopProofInvalid(
            "htm does not match the request method",
        )),
    }
}

/// `htu` names the endpoint: compared as parsed URLs (scheme and host case, default
/// port and dot segments normalised), without query and fragment (§4.3 item 9).
fn check_uri(claims: &Map<String, Value>, expected: &str) -> Result<()> {
    let mismatch = || Error::DpopProofInvalid("htu does not match the endpoint");
    let htu = claims
        .get("htu")
        .and_then(Value::as_str)
        .ok_or_else(mismatch)?;
    let normalised = |text: &str| {
        url::Url::parse(text).ok().map(|mut url| {
            url.set_query(None);
            url.set_fragment(None);
            url
        })
    };
    match (normalised(htu), normalised(expected)) {
        (Some(given), Some(wanted)) if given == wanted => Ok(()),
        _ => Err(mismatch()),
    }
}

/// At a resource the proof names the token: `ath` is the base64url SHA-256 of it (§4.2).
fn check_ath(claims: &Map<String, Value>, access_token: Option<&str>) -> Result<()> {
    let Some(token) = access_token else {
        return Ok(());
    };
    let expected = b64url(&sha256(token.as_bytes()));
    match claims.get("ath").and_then(Value::as_str) {
        Some(ath) if constant_time_eq(ath.as_bytes(), expected.as_bytes()) => Ok(()),
        Some(_) => Err(Error::DpopProofInvalid(
            "ath does not match the access token",
        )),
        None => Err(Error::DpopProofInvalid("ath is missing")),
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use serde_json::json;

    fn claims(value: Value) -> Map<String, Value> {
        match value {
            Value::Object(map) => map,
            _ => Map::new(),
        }
    }

    #[test]
    fn htu_ignores_query_fragment_and_case_of_host() {
        let wanted = "https://id.example/connect/token";
        for htu in [
            "https://id.example/connect/token",
            "https://ID.example:443/connect/token?x=1#f",
        ] {
            assert!(
                check_uri(&claims(json!({"htu": htu})), wanted).is_ok(),
                "{htu}"
            );
        }
        for htu in [
            "https://id.example/connect/userinfo",
            "http://id.example/connect/token",
            "https://id.example:8443/connect/token",
            "not a url",
        ] {
            assert!(
                check_uri(&claims(json!({"htu": htu})), wanted).is_err(),
                "{htu}"
            );
        }
        assert!(check_uri(&Map::new(), wanted).is_err());
    }

    #[test]
    fn htm_is_exact() {
        assert!(check_method(&claims(json!({"htm": "POST"})), "POST").is_ok());
        assert!(check_method(&claims(json!({"htm": "post"})), "POST").is_err());
        assert!(check_method(&claims(json!({"htm": "GET"})), "POST").is_err());
    }

    #[test]
    fn ath_is_required_with_a_token() {
        let ath = b64url(&sha256(b"token"));
        assert!(check_ath(&claims(json!({"ath": ath})), Some("token")).is_ok());
        assert!(check_ath(&claims(json!({"ath": ath})), Some("other")).is_err());
        assert!(check_ath(&Map::new(), Some("token")).is_err());
        assert!(check_ath(&Map::new(), None).is_ok());
    }
}
