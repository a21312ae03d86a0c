//! Binding a certificate from the cabinet by proof of possession: `POST
//! /account/certificates/add` takes the certificate (pasted as PEM or base64, or its
//! file) and shows its challenge — a value encrypted to its key, offered as a file too,
//! and a value to sign; `POST /account/certificates/prove` takes the decrypted value or a
//! detached signature and binds the certificate. A wrong or late answer shows a new
//! challenge for the same certificate with the reason. Both need a fresh proof of
//! identity (else through `/account/reauth` and back) and the session's CSRF token; both
//! take `multipart/form-data` or URL-encoded forms, so the pages work without JavaScript.

use super::super::security::{purpose, signed_in_form_of};
use super::certificates::{Shown, line, page};
use super::reauth_href;
use super::views::AccountCertificateProofView;
use crate::answer::see_other;
use crate::developer::upload;
use crate::pages::{PageContext, join};
use axum::body::Bytes;
use axum::extract::Extension;
use axum::http::header;
use axum::response::Response;
use base64::Engine;
use propusk_certs::CertError;
use propusk_core::accounts::Accounts;
use propusk_core::certificates::{BindingChallenge, PossessionProof};
use propusk_core::error::Error;
use propusk_core::model::{Account, CertificateBinding, Session};
use propusk_texts::key;
use propusk_types::routes;
use std::sync::Arc;

/// Largest certificate or signature accepted (either is a few KiB with its chain).
const MAX_FIELD: usize = 256 * 1024;

/// The fields of a cabinet form, from a multipart or a URL-encoded body. A pasted text
/// wins over the file of the same field (`<name>_file`).
#[derive(Default)]
struct Fields(Vec<(String, Vec<u8>)>);

impl Fields {
    fn read(context: &PageContext, body: &[u8]) -> Self {
        let multipart = context
            .headers
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.starts_with("multipart/"));
        let fields = if multipart {
            upload::boundary(&context.headers)
                .map(|b| upload::parts(body, &b))
                .unwrap_or_default()
                .into_iter()
                .map(|part| (part.name, part.data))
                .collect()
        } else {
            serde_urlencoded::from_bytes::<Vec<(String, String)>>(body)
                .unwrap_or_default()
                .into_iter()
                .map(|(name, value)| (name, value.into_bytes()))
                .collect()
        };
        Self(fields)
    }

    /// The field, when it holds more than blanks.
    fn bytes(&self, name: &str) -> Option<&[u8]> {
        self.0
            .iter()
            .find(|(n, data)| n == name && !data.iter().all(u8::is_ascii_whitespace))
            .map(|(_, data)| data.as_slice())
    }

    /// The pasted field, else its file.
    fn pasted_or_file(&self, name: &str) -> Option<&[u8]> {
        self.bytes(name)
            .or_else(|| self.bytes(&format!("{name}_file")))
    }

    /// Whether the form has the field at all, blank or not.
    fn has(&self, name: &str) -> bool {
        self.0.iter().any(|(n, _)| n == name)
    }

    fn text(&self, name: &str) -> Option<&str> {
        self.bytes(name).and_then(|b| std::str::from_utf8(b).ok())
    }
}

/// The text for a certificate that cannot be bound.
fn refusal_key(error: &CertError) -> &'static str {
    match error {
        CertError::Malformed(_) => key!("certbind-malformed"),
        other => super::super::signature::refusal_key(other),
    }
}

/// The certificates page again with why the certificate handed in was refused, or the
/// answer that fits an error no form can show.
async fn refused(
    context: &PageContext,
    accounts: &Accounts,
    session: &Session,
    account: &Account,
    error: Error,
) -> Response {
    let text = match error {
        Error::ReauthenticationRequired => {
            return see_other(&reauth_href(context, routes::ACCOUNT_CERTIFICATES));
        }
        Error::CertificateRefused(why) => refusal_key(&why),
        Error::InvalidParameter {
            name: "certificate",
            ..
        } => key!("certbind-cannot-bind"),
        Error::Throttled { .. } => key!("throttled"),
        other => return context.error_page(&other, routes::ACCOUNT_CERTIFICATES),
    };
    let shown = Shown {
        notice: None,
        error: None,
        add_error: Some(context.text(text)),
    };
    page(context, accounts, session, account, shown).await
}

/// The challenge page of a fresh challenge for `certificate`, with `error` (a text key)
/// about the answer in `field` when the last one failed.
async fn challenge_page(
    context: &PageContext,
    accounts: &Accounts,
    (session, account): (&Session, &Account),
    certificate: &[u8],
    error: Option<(&'static str, &'static str)>,
) -> Response {
    let started = accounts
        .begin_certificate_binding(session, account, certificate, context.locale.code())
        .await;
    let challenge = match started {
        Ok(challenge) => challenge,
        Err(error) => return refused(context, accounts, session, account, error).await,
    };
    render_challenge(context, session, &challenge, accounts.provider.now(), error)
}

fn render_challenge(
    context: &PageContext,
    session: &Session,
    challenge: &BindingChallenge,
    now: i64,
    error: Option<(&'static str, &'static str)>,
) -> Response {
    let b64 = base64::engine::general_purpose::STANDARD;
    let certificate = &challenge.certificate;
    let summary = CertificateBinding {
        thumbprint: certificate.thumbprint(),
        account_id: session.account_id.clone(),
        der: Vec::new(),
        subject: certificate.subject(),
        issuer: certificate.issuer(),
        identity: certificate.identity(),
        not_after: certificate.not_after(),
        created_at: 0,
    };
    let lang = context.lang_param();
    let view = AccountCertificateProofView {
        certificate: line(&summary, now),
        csrf: context.csrf_token(&purpose(session)),
        action: join(
            routes::ACCOUNT_CERTIFICATES_PROVE,
            std::slice::from_ref(&lang),
        ),
        challenge: challenge.id.clone(),
        certificate_b64: b64.encode(certificate.der()),
        envelope: challenge.envelope.as_ref().map(|der| b64.encode(der)),
        to_sign: challenge.to_sign.clone(),
        error: error.map(|(text, _)| context.text(text)),
        error_field: error.map(|(_, field)| field),
        back_href: join(routes::ACCOUNT_CERTIFICATES, &[lang]),
    };
    context
        .page(routes::ACCOUNT_CERTIFICATES)
        .status(crate::error::form_status(view.error.is_some()))
        .render(&view)
}

/// POST `/account/certificates/add`: `csrf`, and `certificate` (pasted) or
/// `certificate_file`.
pub async fn add(
    mut context: PageContext,
    Extension(accounts): Extension<Arc<Accounts>>,
    body: Bytes,
) -> Response {
    let fields = Fields::read(&context, &body);
    let page_path = routes::ACCOUNT_CERTIFICATES;
    let (session, account) =
        match signed_in_form_of(&mut context, fields.text("csrf"), page_path).await {
            Ok(found) => found,
            Err(response) => return response,
        };
    let Some(certificate) = fields
        .pasted_or_file("certificate")
        .filter(|c| c.len() <= MAX_FIELD)
    else {
        let shown = Shown {
            notice: None,
            error: None,
            add_error: Some(context.text(key!("certbind-missing"))),
        };
        return page(&context, &accounts, &session, &account, shown).await;
    };
    challenge_page(&context, &accounts, (&session, &account), certificate, None).await
}

/// POST `/account/certificates/prove`: `csrf`, `challenge`, `certificate` (the one the
/// challenge is for, so that a failed answer gets a new challenge) and `decrypted` (the
/// decrypted value, base64) or `signature` / `signature_file` (a detached signature).
pub async fn prove(
    mut context: PageContext,
    Extension(accounts): Extension<Arc<Accounts>>,
    body: Bytes,
) -> Response {
    let fields = Fields::read(&context, &body);
    let page_path = routes::ACCOUNT_CERTIFICATES;
    let (session, account) =
        match signed_in_form_of(&mut context, fields.text("csrf"), page_path).await {
            Ok(found) => found,
            Err(response) => return response,
        };
    let certificate = fields.bytes("certificate").unwrap_or_default();
    let challenge = fields.text("challenge").unwrap_or_default();
    let (proof, field) = if let Some(decrypted) = fields.text("decrypted") {
        (PossessionProof::Decrypted(decrypted), "decrypted")
    } else if let Some(signature) = fields
        .pasted_or_file("signature")
        .filter(|s| s.len() <= MAX_FIELD)
    {
        (PossessionProof::Signature(signature), "signature")
    } else {
        let missing = if fields.has("signature") {
            (key!("esig-missing"), "signature")
        } else {
            (key!("certbind-decrypted-missing"), "decrypted")
        };
        return challenge_page(
            &context,
            &accounts,
            (&session, &account),
            certificate,
            Some(missing),
        )
        .await;
    };
    let proved = accounts
        .prove_certificate_binding(&session, &account, challenge, proof, &context.ip)
        .await;
    let text = match proved {
        Ok(_) => {
            return see_other(&join(
                routes::ACCOUNT_CERTIFICATES,
                &[context.lang_param(), "notice=bound".to_owned()],
            ));
        }
        Err(Error::ChallengeExpired) => key!("certbind-expired"),
        Err(Error::CertificateChallengeUnknown) => key!("certbind-wrong-value"),
        Err(Error::CertificateRefused(why @ CertError::SignatureInvalid(_)))
        | Err(Error::CertificateRefused(why @ CertError::Malformed(_))) => {
            super::super::signature::refusal_key(&why)
        }
        Err(Error::Throttled { .. }) => key!("throttled"),
        Err(other) => return refused(&context, &accounts, &session, &account, other).await,
    };
    challenge_page(
        &context,
        &accounts,
        (&session, &account),
        certificate,
        Some((text, field)),
    )
    .await
}
