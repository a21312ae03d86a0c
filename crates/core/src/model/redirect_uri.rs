//! Redirect URIs of clients: the registration rules by application type and the two
//! comparisons that matching needs.
//!
//! - Every redirect URI is absolute, has no fragment (RFC 6749 §3.1.2) and no wildcard.
//! - A `web` client uses `https`, or `http` on a loopback host for development.
//! - A `native` client (RFC 8252 §7) uses a loopback IP literal over `http` (§7.3), whose
//!   port is free at request time; a private-use scheme named after a domain the
//!   developer controls in reverse order, such as `com.example.app:/cb` (§7.1); or a
//!   claimed `https` URI (§7.2). `localhost` is matched exactly, with its port: §8.3
//!   recommends the IP literals, which cannot be captured by another resolver.
//! - `javascript:`, `data:`, `file:` and similar schemes are refused for every client.

use super::ApplicationType;
use std::net::IpAddr;
use url::{Host, Url};

/// Why a redirect URI cannot be registered; the text is safe to show to its author.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("redirect URI `{uri}`: {reason}")]
pub struct InvalidRedirectUri {
    pub uri: String,
    pub reason: &'static str,
}

/// Schemes that can never be redirect targets: they run code or read local files.
const FORBIDDEN_SCHEMES: [&str; 7] = [
    "javascript",
    "data",
    "file",
    "vbscript",
    "about",
    "blob",
    "filesystem",
];

/// Checks one redirect URI against the rules of the application type.
pub fn validate(uri: &str, application_type: ApplicationType) -> Result<(), InvalidRedirectUri> {
    let fail = |reason| InvalidRedirectUri {
        uri: uri.chars().take(200).collect(),
        reason,
    };
    if uri.contains('#') {
        return Err(fail("must not contain a fragment"));
    }
    if uri.contains('*') {
        return Err(fail("must not contain a wildcard"));
    }
    let url = Url::parse(uri).map_err(|_| fail("is not an absolute URI"))?;
    let scheme = url.scheme();
    if FORBIDDEN_SCHEMES.contains(&scheme) {
        return Err(fail("uses a scheme that cannot be a redirect target"));
    }
    match (scheme, application_type) {
        ("https", _) if url.host().is_some() => Ok(()),
        ("http", _) if is_loopback(&url) => Ok(()),
        ("http", _) => Err(fail("http is allowed only on a loopback host; use https")),
        (_, ApplicationType::Web) => Err(fail("a web application uses https")),
        (scheme, ApplicationType::Native) if is_private_use_scheme(scheme) => Ok(()),
        (_, ApplicationType::Native) => Err(fail(
            "a native application uses a loopback http URI, https, or a private-use scheme \
             named after a reversed domain (com.example.app:/callback)",
        )),
    }
}

/// `com.example.app`: at least two dot-separated labels (RFC 8252 §7.1, §8.4).
fn is_private_use_scheme(scheme: &str) -> bool {
    let labels: Vec<&str> = scheme.split('.').collect();
    labels.len() >= 2 && labels.iter().all(|l| !l.is_empty())
}

fn is_loopback(url: &Url) -> bool {
    match url.host() {
        Some(Host::Ipv4(ip)) => ip.is_loopback(),
        Some(Host::Ipv6(ip)) => ip.is_loopback(),
        Some(Host::Domain(name)) => name.eq_ignore_ascii_case("localhost"),
        None => false,
    }
}

/// The URI with its port taken out, when it is `http` on a loopback IP literal
/// (RFC 8252 §7.3); `None` for anything else, `localhost` included (§8.3).
pub fn loopback_without_port(uri: &str) -> Option<String> {
    let mut url = Url::parse(uri).ok()?;
    if url.scheme() != "http" || url.fragment().is_some() {
        return None;
    }
    let ip: IpAddr = match url.host()? {
        Host::Ipv4(ip) => ip.into(),
        Host::Ipv6(ip) => ip.into(),
        Host::Domain(_) => return None,
    };
    if !ip.is_loopback() {
        return None;
    }
    url.set_port(None).ok()?;
    Some(url.into())
}

/// The web origin (`scheme://host[:port]`) of an `http` or `https` URI (RFC 6454 §6.1).
pub fn web_origin(uri: &str) -> Option<String> {
    let url = Url::parse(uri).ok()?;
    if !matches!(url.scheme(), "http" | "https") {
        return None;
    }
    let origin = url.origin();
    origin.is_tuple().then(|| origin.ascii_serialization())
}

/// A web origin as browsers send it in `Origin`: the serialization itself, nothing more.
pub fn is_web_origin(text: &str) -> bool {
    web_origin(text).is_some_and(|o| o == text)
}

#[cfg(test)]
mod tests {
    use super::*;
    use ApplicationType::{Native, Web};

    #[test]
    fn web_clients_use_https_or_loopback_http() {
        for ok in [
            "https://app.example/cb",
            "https://app.example:8443/cb?x=1",
            "http://127.0.0.1:9000/cb",
            "http://[::1]/cb",
            "http://localhost:3000/cb",
        ] {
            assert_eq!(validate(ok, Web), Ok(()), "{ok}");
        }
        for bad in [
            "http://app.example/cb",
            "https://app.example/cb#frag",
            "https://*.app.example/cb",
            "javascript:alert(1)",
            "data:text/html,hi",
            "com.example.app:/cb",
            "/relative/cb",
            "",
        ] {
            assert!(validate(bad, Web).is_err(), "{bad}");
        }
    }

    #[test]
    fn native_clients_may_use_private_use_schemes_and_loopback() {
        for ok in [
            "com.example.app:/oauth2redirect",
            "http://127.0.0.1/cb",
            "http://[::1]:0/cb",
            "https://app.example/claimed",
        ] {
            assert_eq!(validate(ok, Native), Ok(()), "{ok}");
        }
        for bad in [
            "myapp:/cb",
            "javascript:alert(1)",
            "file:///etc/passwd",
            "http://192.168.1.5/cb",
            "com.example.app:/cb#x",
        ] {
            assert!(validate(bad, Native).is_err(), "{bad}");
        }
    }

    #[test]
    fn loopback_ip_literals_lose_their_port() {
        assert_eq!(
            loopback_without_port("http://127.0.0.1:51004/cb?x=1").as_deref(),
            Some("http://127.0.0.1/cb?x=1")
        );
        assert_eq!(
            loopback_without_port("http://[::1]:7/cb").as_deref(),
            Some("http://[::1]/cb")
        );
        assert_eq!(loopback_without_port("http://localhost:7/cb"), None);
        assert_eq!(loopback_without_port("https://127.0.0.1:7/cb"), None);
        assert_eq!(loopback_without_port("http://10.0.0.1:7/cb"), None);
    }

    #[test]
    fn origins_of_uris() {
        assert_eq!(
            web_origin("https://app.example/cb?x").as_deref(),
            Some("https://app.example")
        );
        assert_eq!(
            web_origin("http://127.0.0.1:9000/cb").as_deref(),
            Some("http://127.0.0.1:9000")
        );
        assert_eq!(web_origin("com.example.app:/cb"), None);
        assert!(is_web_origin("http://127.0.0.1:9000"));
        assert!(!is_web_origin("http://127.0.0.1:9000/"));
        assert!(!is_web_origin("null"));
    }
}
