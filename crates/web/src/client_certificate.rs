//! The client certificate of a request: the one the TLS handshake of the certificate
//! listener proved (its key signed the handshake), or, behind a proxy that terminates
//! TLS, the one the proxy forwards in `[certificates] client_cert_header` (URL-encoded
//! PEM, as nginx's `$ssl_client_escaped_cert`) — read only when the connection comes
//! from one of `[http] trusted_proxies`, and ignored otherwise. Certificate sign-in and
//! RFC 8705 (mTLS client authentication, certificate-bound tokens) both read it here.

use crate::state::AppState;
use axum::extract::ConnectInfo;
use axum::http::{Extensions, HeaderMap, HeaderName};
use propusk_certs::{CertError, Certificate};
use std::net::SocketAddr;

/// The DER of the client certificate the TLS handshake of the connection proved, put
/// into each request's extensions by the listener.
#[derive(Clone, Debug)]
pub struct ClientCertificate(pub Vec<u8>);

/// The client certificate of a request with these extensions and headers: the
/// handshake's, else the trusted proxy's header. `Err` when a trusted proxy sent one
/// that cannot be read.
pub fn presented(
    state: &AppState,
    extensions: &Extensions,
    headers: &HeaderMap,
) -> Result<Option<Vec<u8>>, CertError> {
    if let Some(ClientCertificate(der)) = extensions.get::<ClientCertificate>() {
        return Ok(Some(der.clone()));
    }
    let Some(name) = &state.web.client_cert_header else {
        return Ok(None);
    };
    let peer = extensions
        .get::<ConnectInfo<SocketAddr>>()
        .map(|c| c.0.ip());
    let trusted = peer.is_some_and(|ip| state.web.trusted_proxies.contains(ip));
    if !trusted {
        return Ok(None);
    }
    from_header(headers, name)
}

/// A URL-encoded PEM certificate in header `name`; an empty header is none (nginx sends
/// an empty value when the browser presented no certificate).
fn from_header(headers: &HeaderMap, name: &HeaderName) -> Result<Option<Vec<u8>>, CertError> {
    let Some(value) = headers.get(name) else {
        return Ok(None);
    };
    let malformed = || CertError::Malformed("the forwarded certificate is not readable".into());
    let text = value.to_str().map_err(|_| malformed())?.trim();
    if text.is_empty() || text == "(null)" {
        return Ok(None);
    }
    let pem = percent_decode(text).ok_or_else(malformed)?;
    Ok(Some(Certificate::from_text(&pem)?.der().to_vec()))
}

/// Decodes `%XX` escapes (a `+` stays a `+`: base64 uses it).
fn percent_decode(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = std::str::from_utf8(bytes.get(i + 1..i + 3)?).ok()?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percent_decoding_keeps_plus_and_refuses_broken_escapes() {
        assert_eq!(percent_decode("a%20b+c%0A").as_deref(), Some("a b+c\n"));
        assert_eq!(percent_decode("%2"), None);
        assert_eq!(percent_decode("%zz"), None);
    }
}
