//! `/interaction/{id}/signature`: the signed-challenge page, sign-in with an e-signature
//! for keys no browser can use in TLS (GOST R 34.10-2012 above all). The page shows a
//! fresh value (base64, and as a file to download); the person signs it with their
//! signing tool and pastes the detached CMS signature (base64 or PEM) or chooses its
//! file. A valid signature by a bound certificate continues the authorization request
//! signed in; anything else shows the page again with a new value and the reason. Works
//! without JavaScript; the form is `multipart/form-data` (a URL-encoded form with the
//! signature pasted works too).

use super::after_sign_in;
use crate::developer::upload;
use crate::pages::{PageContext, SignatureSignInView, csp_towards, join};
use axum::body::Bytes;
use axum::extract::{Extension, Path};
use axum::http::header;
use axum::response::Response;
use propusk_certs::CertError;
use propusk_core::accounts::Accounts;
use propusk_core::error::Error;
use propusk_texts::key;
use propusk_types::routes;
use std::sync::Arc;

/// Largest signature accepted (a signature with its certificate chain is a few KiB).
const MAX_SIGNATURE: usize = 256 * 1024;

fn purpose(id: &str) -> String {
    format!("signature:{id}")
}

fn page_path(id: &str) -> String {
    routes::interaction(routes::INTERACTION_SIGNATURE, id)
}

/// The page with a fresh value, and `error` when the last attempt failed.
async fn page(
    context: &mut PageContext,
    accounts: &Accounts,
    id: &str,
    error: Option<&str>,
) -> Response {
    let (request, client) = match context.interaction(id).await {
        Ok(found) => found,
        Err(response) => return response,
    };
    let challenge = match accounts
        .signature_challenge(id, context.locale.code())
        .await
    {
        Ok(challenge) => challenge,
        Err(error) => return context.error_page(&error, &page_path(id)),
    };
    let lang = [context.lang_param()];
    let view = SignatureSignInView {
        client_name: client.name.clone(),
        download_href: format!("data:application/octet-stream;base64,{}", challenge.value),
        value: challenge.value,
        action: join(page_path(id), &lang),
        csrf: context.csrf_token(&purpose(id)),
        challenge: challenge.id,
        password_href: join(routes::interaction(routes::INTERACTION, id), &lang),
        error: error.map(|key| context.text(key)),
    };
    context
        .page(&page_path(id))
        .status(crate::error::form_status(view.error.is_some()))
        .csp(csp_towards(&request.redirect_uri))
        .render(&view)
}

/// GET `/interaction/{id}/signature`.
pub async fn show(
    mut context: PageContext,
    Extension(accounts): Extension<Arc<Accounts>>,
    Path(id): Path<String>,
) -> Response {
    page(&mut context, &accounts, &id, None).await
}

/// The fields of the form, from a multipart or a URL-encoded body.
#[derive(Default)]
struct Submitted {
    csrf: Option<String>,
    challenge: String,
    /// The pasted signature, else the chosen file.
    signature: Vec<u8>,
}

fn read_form(context: &PageContext, body: &[u8]) -> Submitted {
    let mut form = Submitted::default();
    let multipart = context
        .headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("multipart/"));
    let fields: Vec<(String, Vec<u8>)> = if multipart {
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
    let mut file = Vec::new();
    for (name, data) in fields {
        match name.as_str() {
            "csrf" => form.csrf = String::from_utf8(data).ok(),
            "challenge" => form.challenge = String::from_utf8(data).unwrap_or_default(),
            "signature" if !data.iter().all(u8::is_ascii_whitespace) => form.signature = data,
            "signature_file" => file = data,
            _ => {}
        }
    }
    if form.signature.is_empty() {
        form.signature = file;
    }
    form
}

/// The text for a refused signature.
pub(crate) fn refusal_key(error: &CertError) -> &'static str {
    match error {
        CertError::Malformed(_) => key!("esig-refused-malformed"),
        CertError::UntrustedRoot => key!("esig-refused-untrusted_root"),
        CertError::Expired => key!("esig-refused-expired"),
        CertError::NotYetValid => key!("esig-refused-not_yet_valid"),
        CertError::BadSignature => key!("esig-refused-bad_signature"),
        CertError::Revoked => key!("esig-refused-revoked"),
        CertError::WrongKeyUsage => key!("esig-refused-wrong_key_usage"),
        CertError::NameConstraint => key!("esig-refused-name_constraint"),
        CertError::Invalid(_) => key!("esig-refused-invalid_chain"),
        CertError::UnsupportedKey(_) => key!("esig-refused-unsupported_key"),
        CertError::SignatureInvalid(_) => key!("esig-refused-signature_invalid"),
    }
}

/// POST `/interaction/{id}/signature`: `csrf`, `challenge`, and `signature` (pasted) or
/// `signature_file`.
pub async fn submit(
    mut context: PageContext,
    Extension(accounts): Extension<Arc<Accounts>>,
    Path(id): Path<String>,
    body: Bytes,
) -> Response {
    if let Err(response) = context.interaction(&id).await {
        return response;
    }
    let form = read_form(&context, &body);
    if !context.csrf_ok(&purpose(&id), form.csrf.as_deref()) {
        return page(&mut context, &accounts, &id, Some(key!("form-expired"))).await;
    }
    if form.signature.is_empty() || form.signature.len() > MAX_SIGNATURE {
        return page(&mut context, &accounts, &id, Some(key!("esig-missing"))).await;
    }
    let outcome = accounts
        .sign_in_signature(&form.challenge, &id, &form.signature, &context.ip)
        .await;
    let refused = match outcome {
        Ok(outcome) => return after_sign_in(&context, &accounts, outcome).await,
        Err(Error::ChallengeExpired) => key!("esig-expired"),
        Err(Error::CertificateNotBound) => key!("esig-not-bound"),
        Err(Error::CertificateRefused(why)) => refusal_key(&why),
        Err(Error::Throttled { .. }) => key!("throttled"),
        Err(error) => return context.error_page(&error, &page_path(&id)),
    };
    page(&mut context, &accounts, &id, Some(refused)).await
}
