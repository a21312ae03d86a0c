//! Mutual-TLS client authentication and certificate-bound access tokens (RFC 8705) on
//! the certificate listener. `tls_client_auth` (§2.1): the certificate chains to the
//! operator's trust and carries the client's one registered name.
//! `self_signed_tls_client_auth` (§2.2): the certificate's public key is one of the
//! client's registered JWKs. A client with `tls_client_certificate_bound_access_tokens`
//! gets access tokens whose `cnf` names the certificate (§3.1, `x5t#S256`), and a
//! resource accepts such a token only over a connection that proves the same
//! certificate (§3).

use crate::error::{Error, Result};
use crate::model::{Client, TlsClientName};
use crate::provider::Provider;
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use propusk_certs::{Certificate, PublicKeyParts};
use propusk_types::jwk::Jwk;
use serde_json::{Map, Value};

/// The confirmation member of a bound access token (RFC 8705 §3.1).
const THUMBPRINT: &str = "x5t#S256";

/// The `x5t#S256` of a certificate given as DER.
pub fn thumbprint(der: &[u8]) -> Result<String> {
    Ok(read(der)?.x5t_s256())
}

fn read(der: &[u8]) -> Result<Certificate> {
    Certificate::from_der(der)
        .map_err(|_| Error::ClientAuthFailed("the client certificate is not readable"))
}

/// Adds `cnf.x5t#S256` to an access token's claims when the client binds its tokens
/// and the request came with a certificate.
pub(crate) fn bind_claims(claims: &mut Map<String, Value>, client: &Client) {
    let Some(thumbprint) = &client.bound_certificate else {
        return;
    };
    let cnf = claims
        .entry("cnf")
        .or_insert_with(|| Value::Object(Map::new()));
    if let Value::Object(cnf) = cnf {
        cnf.insert(THUMBPRINT.into(), Value::String(thumbprint.clone()));
    }
}

/// RFC 8705 §3: a token bound to a certificate is honoured only with that certificate.
pub fn check_binding(claims: &Map<String, Value>, presented: Option<&[u8]>) -> Result<()> {
    let Some(bound) = claims
        .get("cnf")
        .and_then(|cnf| cnf.get(THUMBPRINT))
        .and_then(Value::as_str)
    else {
        return Ok(());
    };
    let Some(der) = presented else {
        return Err(Error::InvalidToken(
            "the token is bound to a client certificate the request did not present",
        ));
    };
    let Ok(certificate) = Certificate::from_der(der) else {
        return Err(Error::InvalidToken(
            "the client certificate is not readable",
        ));
    };
    let presented = certificate.x5t_s256();
    if !crate::crypto::constant_time_eq(presented.as_bytes(), bound.as_bytes()) {
        return Err(Error::InvalidToken(
            "the token is bound to another client certificate",
        ));
    }
    Ok(())
}

impl Provider {
    /// RFC 8705 §2.1: chains to the operator's trust now, and carries the registered name.
    pub(crate) fn check_pki_certificate(&self, client: &Client, der: &[u8]) -> Result<()> {
        let certificate = read(der)?;
        self.certificates
            .current()
            .validate(&certificate, self.now())
            .map_err(|_| Error::ClientAuthFailed("the client certificate is not trusted"))?;
        let Some(name) = &client.tls_client_auth else {
            return Err(Error::ClientAuthFailed("no certificate name registered"));
        };
        if !name_matches(name, &certificate) {
            return Err(Error::ClientAuthFailed(
                "the client certificate does not carry the registered name",
            ));
        }
        Ok(())
    }

    /// RFC 8705 §2.2: the certificate's public key is one of the client's JWKs.
    pub(crate) async fn check_self_signed(&self, client: &Client, der: &[u8]) -> Result<()> {
        let certificate = read(der)?;
        let parts = certificate
            .public_key_parts()
            .ok_or(Error::ClientAuthFailed(
                "the client certificate's key type is not supported",
            ))?;
        let keys = self
            .client_keys(client, None)
            .await
            .map_err(|_| Error::ClientAuthFailed("the client's jwks_uri cannot be read"))?;
        if !keys.iter().any(|key| jwk_matches(key, &parts)) {
            return Err(Error::ClientAuthFailed(
                "the client certificate's key is not a registered key",
            ));
        }
        Ok(())
    }
}

/// Whether the certificate carries the registered name (RFC 8705 §2.1.2).
fn name_matches(name: &TlsClientName, certificate: &Certificate) -> bool {
    let alt = || certificate.alt_names();
    match name {
        TlsClientName::SubjectDn(dn) => normalize_dn(dn) == normalize_dn(&certificate.subject()),
        TlsClientName::SanDns(dns) => alt().dns.iter().any(|d| d.eq_ignore_ascii_case(dns)),
        TlsClientName::SanUri(uri) => alt().uris.iter().any(|u| u == uri),
        TlsClientName::SanIp(ip) => {
            let Ok(wanted) = ip.parse::<std::net::IpAddr>() else {
                return false;
            };
            alt().ips.iter().any(|i| i.parse() == Ok(wanted))
        }
        TlsClientName::SanEmail(email) => {
            alt().emails.iter().any(|e| e.eq_ignore_ascii_case(email))
        }
    }
}

/// An RFC 4514 string compared without case and without the spaces around `,`, `+`
/// and `=` that writers differ in.
fn normalize_dn(dn: &str) -> String {
    let mut out = String::with_capacity(dn.len());
    let mut chars = dn.trim().chars().peekable();
    while let Some(c) = chars.next() {
        if matches!(c, ',' | '+' | '=') {
            while out.ends_with(' ') && !out.ends_with("\\ ") {
                out.pop();
            }
            out.push(c);
            while chars.peek() == Some(&' ') {
                chars.next();
            }
        } else {
            out.extend(c.to_lowercase());
        }
    }
    out
}

/// Whether a JWK holds the same public key.
fn jwk_matches(jwk: &Jwk, parts: &PublicKeyParts) -> bool {
    let member = |value: &Option<String>| {
        value
            .as_deref()
            .and_then(|v| URL_SAFE_NO_PAD.decode(v).ok())
    };
    let unsigned = |bytes: &[u8]| -> Vec<u8> {
        let start = bytes.iter().position(|b| *b != 0).unwrap_or(bytes.len());
        bytes[start..].to_vec()
    };
    match parts {
        PublicKeyParts::Rsa { n, e } => {
            jwk.kty == "RSA"
                && member(&jwk.n).is_some_and(|jn| unsigned(&jn) == unsigned(n))
                && member(&jwk.e).is_some_and(|je| unsigned(&je) == unsigned(e))
        }
        PublicKeyParts::Ec { crv, x, y } => {
            jwk.kty == "EC"
                && jwk.crv.as_deref() == Some(*crv)
                && member(&jwk.x).as_ref() == Some(x)
                && member(&jwk.y).as_ref() == Some(y)
        }
        PublicKeyParts::Ed25519 { x } => {
            jwk.kty == "OKP"
                && jwk.crv.as_deref() == Some("Ed25519")
                && member(&jwk.x).as_ref() == Some(x)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn distinguished_names_compare_without_case_and_spacing() {
        assert_eq!(
            normalize_dn("CN=Partner Bank, O=Bank,C=RU"),
            normalize_dn("cn=partner bank,o=bank , c=ru")
        );
        assert_ne!(normalize_dn("CN=Partner"), normalize_dn("CN=Partner2"));
    }

    #[test]
    fn binding_needs_the_same_certificate() {
        let mut claims = Map::new();
        assert!(check_binding(&claims, None).is_ok());
        claims.insert("cnf".into(), serde_json::json!({ THUMBPRINT: "abc" }));
        assert!(check_binding(&claims, None).is_err());
        assert!(check_binding(&claims, Some(b"not a certificate")).is_err());
    }
}
