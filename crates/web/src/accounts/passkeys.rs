//! Passkeys at sign-in: the options of a passwordless sign-in (JSON, discoverable
//! credentials) and its assertion, which continues like any first factor; and a passkey
//! at the second-factor step of a sign-in or reset. The pages' script
//! (`static/passkeys.js`) runs the ceremony and submits the credential as a form field,
//! so that the answer is the same 303 (with the session cookie) as other sign-ins.

use super::after_sign_in;
use super::code::{PageQuery, method_label};
use super::links::{challenge_csp, sign_in_path};
use crate::answer::see_other;
use crate::pages::{PageContext, PasskeyFactorView, PasskeyForm, csp_with_scripts, join};
use axum::Json;
use axum::extract::{Extension, Form, Path, Query};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use propusk_core::accounts::{Accounts, ChallengePurpose, SecondFactorMethod};
use propusk_core::error::Error;
use propusk_texts::key;
use propusk_types::routes::{self, with_id};
use serde::Deserialize;
use std::sync::Arc;

/// The CSRF purpose of the passkey sign-in form.
pub(crate) const SIGN_IN_PURPOSE: &str = "passkey-sign-in";

#[derive(Deserialize, Default)]
pub struct OptionsQuery {
    i: Option<String>,
}

#[derive(Deserialize)]
pub struct CredentialForm {
    csrf: Option<String>,
    #[serde(default)]
    credential: String,
    i: Option<String>,
}

/// The passkey form of a sign-in page (of the interaction `interaction`, if any).
pub fn sign_in_form(context: &PageContext, interaction: Option<&str>) -> PasskeyForm {
    let lang = context.lang_param();
    let i = interaction
        .map(|i| format!("i={}", escape(i)))
        .unwrap_or_default();
    PasskeyForm {
        options: join(routes::ACCOUNT_PASSKEY_OPTIONS, &[i]),
        action: join(routes::ACCOUNT_PASSKEY, &[lang]),
        csrf: context.csrf_token(SIGN_IN_PURPOSE),
        interaction: interaction.map(str::to_owned),
    }
}

fn escape(text: &str) -> String {
    url::form_urlencoded::byte_serialize(text.as_bytes()).collect()
}

/// A JSON error answer of an options request.
fn json_error(error: &Error) -> Response {
    let status = match error {
        Error::Throttled { .. } => StatusCode::TOO_MANY_REQUESTS,
        e if e.is_internal() => StatusCode::INTERNAL_SERVER_ERROR,
        _ => StatusCode::BAD_REQUEST,
    };
    let body = serde_json::json!({
        "error": error.code().as_str(),
        "error_description": error.description(),
    });
    (status, Json(body)).into_response()
}

/// The short key of a refused ceremony (the page's script shows its text); None for
/// errors that get the error page.
fn error_key(error: &Error) -> Option<&'static str> {
    match error {
        Error::PasskeyRefused(_) | Error::FactorUnavailable => Some("refused"),
        Error::ChallengeExpired => Some("expired"),
        Error::Throttled { .. } => Some("throttled"),
        _ => None,
    }
}

/// POST `/account/passkey/options[?i=<interaction>]`: the options of a passwordless
/// sign-in.
pub async fn sign_in_options(
    Extension(accounts): Extension<Arc<Accounts>>,
    Query(query): Query<OptionsQuery>,
) -> Response {
    match accounts.begin_passkey_sign_in(query.i.as_deref()).await {
        Ok(options) => Json(options).into_response(),
        Err(error) => json_error(&error),
    }
}

/// POST `/account/passkey`: the assertion of a passwordless sign-in.
pub async fn sign_in(
    context: PageContext,
    Extension(accounts): Extension<Arc<Accounts>>,
    Form(form): Form<CredentialForm>,
) -> Response {
    let back = |key: &str| {
        see_other(&join(
            sign_in_path(form.i.as_deref()),
            &[context.lang_param(), format!("passkey_error={key}")],
        ))
    };
    if !context.csrf_ok(SIGN_IN_PURPOSE, form.csrf.as_deref()) {
        return back("expired");
    }
    match accounts
        .finish_passkey_sign_in(&form.credential, &context.ip)
        .await
    {
        Ok(outcome) => after_sign_in(&context, &accounts, outcome).await,
        Err(error) => match error_key(&error) {
            Some(key) => back(key),
            None => context.error_page(&error, routes::ACCOUNT_LOGIN),
        },
    }
}

fn factor_purpose(id: &str) -> String {
    format!("factor:{id}")
}

/// The second-factor page of step `id` with a passkey.
pub async fn factor_page(
    context: &PageContext,
    accounts: &Accounts,
    id: &str,
    methods: &[SecondFactorMethod],
    query: &PageQuery,
) -> Response {
    let path = with_id(routes::ACCOUNT_FACTOR, id);
    let lang = context.lang_param();
    let links = methods
        .iter()
        .filter(|m| **m != SecondFactorMethod::Passkey)
        .map(|m| {
            let params = [lang.clone(), format!("method={}", m.as_str())];
            (join(path.clone(), &params), context.text(method_label(*m)))
        })
        .collect();
    let error = match query.e.as_deref() {
        Some("refused") => Some(context.text(key!("passkey-error-refused"))),
        Some("expired") => Some(context.text(key!("passkey-error-expired"))),
        Some("throttled") => Some(context.text(key!("throttled"))),
        _ => None,
    };
    let view = PasskeyFactorView {
        form: PasskeyForm {
            options: with_id(routes::ACCOUNT_FACTOR_PASSKEY_OPTIONS, id),
            action: join(
                with_id(routes::ACCOUNT_FACTOR_PASSKEY, id),
                std::slice::from_ref(&lang),
            ),
            csrf: context.csrf_token(&factor_purpose(id)),
            interaction: None,
        },
        error,
        links,
    };
    let csp = challenge_csp(context, accounts, id, ChallengePurpose::SecondFactor).await;
    let shown = join(path, &["method=passkey".to_owned()]);
    context
        .page(&shown)
        .csp(csp_with_scripts(&csp))
        .render(&view)
}

#[derive(Deserialize)]
pub struct CsrfForm {
    csrf: Option<String>,
}

/// POST `/account/factor/{id}/passkey/options`: the options of the passkey at step `id`.
pub async fn factor_options(
    context: PageContext,
    Extension(accounts): Extension<Arc<Accounts>>,
    Path(id): Path<String>,
    Form(form): Form<CsrfForm>,
) -> Response {
    if !context.csrf_ok(&factor_purpose(&id), form.csrf.as_deref()) {
        return json_error(&Error::ChallengeExpired);
    }
    match accounts.begin_passkey_second_factor(&id).await {
        Ok(options) => Json(options).into_response(),
        Err(error) => json_error(&error),
    }
}

/// POST `/account/factor/{id}/passkey`: the assertion of the passkey at step `id`.
pub async fn factor(
    context: PageContext,
    Extension(accounts): Extension<Arc<Accounts>>,
    Path(id): Path<String>,
    Form(form): Form<CredentialForm>,
) -> Response {
    let path = with_id(routes::ACCOUNT_FACTOR, &id);
    let back = |key: &str| {
        see_other(&join(
            path.clone(),
            &[
                context.lang_param(),
                "method=passkey".into(),
                format!("e={key}"),
            ],
        ))
    };
    if !context.csrf_ok(&factor_purpose(&id), form.csrf.as_deref()) {
        return back("expired");
    }
    match accounts
        .finish_passkey_second_factor(&id, &form.credential, &context.ip)
        .await
    {
        Ok(Some(outcome)) => after_sign_in(&context, &accounts, outcome).await,
        Ok(None) => see_other(&join(
            with_id(routes::ACCOUNT_RESET_STEP, &id),
            &[context.lang_param()],
        )),
        Err(error) => match error_key(&error) {
            Some(key) => back(key),
            None => context.error_page(&error, &path),
        },
    }
}
