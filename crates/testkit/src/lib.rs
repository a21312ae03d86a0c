//! Integration-test kit of Propusk for full flows over a real socket: a real
//! provider served on `127.0.0.1:0` over a throwaway database ([`TestServer`]), fixtures
//! as builder functions ([`ClientBuilder`], [`AccountBuilder`], [`ProductBuilder`]), a
//! small browser emulator that signs in and consents through the HTML pages
//! ([`Browser`]), a client key for `private_key_jwt` ([`ClientKey`]) and raw helpers for
//! the token-side endpoints ([`endpoints`]). Relying parties in `tests/` are libraries we
//! did not write (the `openidconnect` crate).

mod browser;
pub mod dpop;
pub mod endpoints;
mod fixtures;
mod html;
mod jwt;
mod server;

pub use browser::{AuthorizationResult, Browser, Page};
pub use dpop::DpopKey;
pub use fixtures::{AccountBuilder, ClientBuilder, ProductBuilder, TestAccount, TestClient};
pub use html::{Form, unescape};
pub use jwt::{ClientKey, JWT_BEARER, assertion_claims, jws_with};
pub use server::TestServer;

/// Where every test client is sent back to: another origin than the provider's, so the
/// browser emulator stops there as a browser would leave the provider.
pub const REDIRECT_URI: &str = ClientBuilder::REDIRECT_URI;
/// A second registered redirect URI.
pub const OTHER_REDIRECT_URI: &str = "https://rp.example/other";
/// The `state` of [`TestClient::code_request`]; characters that need encoding on purpose.
pub const STATE: &str = "st-8f2&=/x";
/// The password of every test account unless a test sets another.
pub const PASSWORD: &str = "correct horse battery staple";

/// An HTTP client that never follows redirects, as `openidconnect` requires (and as an
/// assertion about a single response needs).
pub fn http_client() -> reqwest::Client {
    reqwest::ClientBuilder::new()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("building the HTTP client")
}

/// A PKCE pair (RFC 7636 §4.1, §4.2 S256): `(verifier, challenge)`.
pub fn pkce_pair() -> (String, String) {
    let verifier = random(32);
    let digest = aws_lc_rs::digest::digest(&aws_lc_rs::digest::SHA256, verifier.as_bytes());
    (verifier, b64url(digest.as_ref()))
}

/// A listener on 127.0.0.1 that accepts connections and counts them, answering nothing:
/// the target of a server-side request forgery test, which asserts that the count stays 0.
/// Returns its `http://` base URL and the counter.
pub async fn counting_listener() -> (String, std::sync::Arc<std::sync::atomic::AtomicUsize>) {
    use std::sync::atomic::{AtomicUsize, Ordering};
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let address = listener.local_addr().expect("address");
    let hits = std::sync::Arc::new(AtomicUsize::new(0));
    let counted = hits.clone();
    tokio::spawn(async move {
        while listener.accept().await.is_ok() {
            counted.fetch_add(1, Ordering::SeqCst);
        }
    });
    (format!("http://{address}"), hits)
}

/// `bytes` random bytes, base64url.
pub fn random(bytes: usize) -> String {
    propusk_core::crypto::random_token(&propusk_core::crypto::SystemRng, bytes)
}

/// Base64url without padding (RFC 7515 §2).
pub fn b64url(bytes: &[u8]) -> String {
    use base64::Engine as _;
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}
