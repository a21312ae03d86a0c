//! Sign-in with a TLS client certificate in the browser.
//!
//! `GET /interaction/{id}/tls?b=TOKEN` is opened on the certificate listener, whose TLS
//! handshake asks for a client certificate and hands the one the browser proved to the
//! request as a [`ClientCertificate`]. Behind a proxy that terminates TLS, the proxy
//! forwards the certificate in `[certificates] client_cert_header` (URL-encoded PEM, as
//! nginx's `$ssl_client_escaped_cert`); the header is read only when the connection
//! comes from one of `[http] trusted_proxies`, and ignored otherwise. The certificate is
//! checked by `Accounts::tls_handoff`, which answers with a single-use handoff; the
//! browser then goes to `GET /interaction/{id}/tls/done?handoff=ID` on the provider's
//! own origin, where the handoff is used up and the session cookie is set (a cookie set
//! by the certificate listener would belong to its origin, not the provider's). `b` is
//! this browser's CSRF token for the request, put into the link by the sign-in page: the
//! handoff is honoured only in the browser that opened the link. Refusals (no
//! certificate, untrusted, expired, revoked, not bound…) are a page with their reason.

use super::after_sign_in;
use crate::pages::{PageContext, TlsRefusedView, join};
use axum::extract::{ConnectInfo, Extension, Path, Query};
use axum::response::Response;
use propusk_certs::CertError;
use propusk_core::accounts::Accounts;
use propusk_core::error::Error;
use propusk_texts::key;
use propusk_types::routes;
use serde::Deserialize;
use std::net::SocketAddr;
use std::sync::Arc;

use crate::client_certificate::ClientCertificate;

/// The purpose of the CSRF token that ties a handoff to the browser.
fn purpose(id: &str) -> String {
    format!("tls:{id}")
}

/// The link of the sign-in page to the certificate listener at `base`, for request `id`.
pub fn sign_in_link(context: &PageContext, base: &str, id: &str) -> String {
    let route = routes::interaction(routes::INTERACTION_TLS, id);
    join(
        format!("{}{route}", base.trim_end_matches('/')),
        &[
            format!("b={}", context.csrf_token(&purpose(id))),
            context.lang_always(),
        ],
    )
}

#[derive(Deserialize)]
pub struct StartQuery {
    #[serde(default)]
    b: String,
}

#[derive(Deserialize)]
pub struct DoneQuery {
    #[serde(default)]
    handoff: String,
}

/// The client certificate of this request: the handshake's, else the trusted proxy's
/// header. `Err` when a trusted proxy sent one that cannot be read.
fn presented(
    context: &PageContext,
    handshake: Option<ClientCertificate>,
    peer: Option<SocketAddr>,
) -> Result<Option<Vec<u8>>, CertError> {
    let mut extensions = axum::http::Extensions::new();
    if let Some(certificate) = handshake {
        extensions.insert(certificate);
    }
    if let Some(peer) = peer {
        extensions.insert(ConnectInfo(peer));
    }
    crate::client_certificate::presented(&context.state, &extensions, &context.headers)
}

/// The text for a refused certificate.
fn refusal_key(error: &CertError) -> &'static str {
    match error {
        CertError::Malformed(_) => key!("mtls-refused-malformed"),
        CertError::UntrustedRoot => key!("mtls-refused-untrusted_root"),
        CertError::Expired => key!("mtls-refused-expired"),
        CertError::NotYetValid => key!("mtls-refused-not_yet_valid"),
        CertError::BadSignature => key!("mtls-refused-bad_signature"),
        CertError::Revoked => key!("mtls-refused-revoked"),
        CertError::WrongKeyUsage => key!("mtls-refused-wrong_key_usage"),
        CertError::NameConstraint => key!("mtls-refused-name_constraint"),
        CertError::Invalid(_) | CertError::SignatureInvalid(_) => {
            key!("mtls-refused-invalid_chain")
        }
        CertError::UnsupportedKey(_) => key!("mtls-refused-unsupported_key"),
    }
}

/// The refusal page, with links back to the sign-in page on the provider's origin.
fn refused(context: &PageContext, id: &str, reason: &'static str) -> Response {
    let provider = &context.state.provider;
    let view = TlsRefusedView {
        message: context.text(reason),
        code: reason.trim_start_matches("mtls-"),
        back_href: join(
            provider
                .config
                .url(&routes::interaction(routes::INTERACTION, id)),
            &[context.lang_always()],
        ),
    };
    context
        .page(&routes::interaction(routes::INTERACTION_TLS, id))
        .status(crate::error::form_status(true))
        .render(&view)
}

/// GET `/interaction/{id}/tls?b=TOKEN`, on the certificate listener.
pub async fn start(
    mut context: PageContext,
    Extension(accounts): Extension<Arc<Accounts>>,
    Path(id): Path<String>,
    Query(query): Query<StartQuery>,
    handshake: Option<Extension<ClientCertificate>>,
    peer: Option<Extension<ConnectInfo<SocketAddr>>>,
) -> Response {
    if let Err(response) = context.interaction(&id).await {
        return response;
    }
    let der = match presented(&context, handshake.map(|e| e.0), peer.map(|p| (p.0).0)) {
        Ok(Some(der)) => der,
        Ok(None) => return refused(&context, &id, key!("mtls-no-certificate")),
        Err(why) => return refused(&context, &id, refusal_key(&why)),
    };
    match accounts.tls_handoff(&id, &der, &query.b, &context.ip).await {
        Ok(handoff) => {
            let done = context
                .state
                .provider
                .config
                .url(&routes::interaction(routes::INTERACTION_TLS_DONE, &id));
            crate::answer::see_other(&join(
                done,
                &[format!("handoff={handoff}"), context.lang_param()],
            ))
        }
        Err(Error::CertificateNotBound) => refused(&context, &id, key!("mtls-not-bound")),
        Err(Error::CertificateRefused(why)) => refused(&context, &id, refusal_key(&why)),
        Err(Error::Throttled { .. }) => refused(&context, &id, key!("throttled")),
        Err(Error::AccountUnavailable) => refused(&context, &id, key!("mtls-account-unavailable")),
        Err(error) => {
            context.error_page(&error, &routes::interaction(routes::INTERACTION_TLS, &id))
        }
    }
}

/// GET `/interaction/{id}/tls/done?handoff=ID`, on the provider's origin.
pub async fn done(
    mut context: PageContext,
    Extension(accounts): Extension<Arc<Accounts>>,
    Path(id): Path<String>,
    Query(query): Query<DoneQuery>,
) -> Response {
    if let Err(response) = context.interaction(&id).await {
        return response;
    }
    let browser = context.csrf_token(&purpose(&id));
    match accounts
        .finish_tls_handoff(&query.handoff, &id, &browser, &context.ip)
        .await
    {
        Ok(outcome) => after_sign_in(&context, &accounts, outcome).await,
        Err(Error::ChallengeExpired) => refused(&context, &id, key!("mtls-handoff-expired")),
        Err(Error::AccountUnavailable) => refused(&context, &id, key!("mtls-account-unavailable")),
        Err(error) => context.error_page(
            &error,
            &routes::interaction(routes::INTERACTION_TLS_DONE, &id),
        ),
    }
}
