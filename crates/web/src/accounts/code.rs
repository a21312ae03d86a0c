//! Phone + SMS code sign-in, code entry, the second-factor challenge and sending a code
//! again (RFC 8176 `amr` values end up in the session). Errors come back to the GET page
//! as a short `e` parameter, so that every POST is answered with a 303.

use super::links::{back_with_error, challenge_csp};
use super::user_message;
use crate::answer::{see_other, with_cookies};
use crate::pages::{CodeView, PageContext, SignInCodeView, join};
use crate::session::session_cookie;
use axum::extract::{Extension, Form, Path, Query};
use axum::response::Response;
use propusk_core::accounts::{Accounts, ChallengePurpose, SecondFactorMethod, SignInOutcome};
use propusk_core::error::Error;
use propusk_core::model::{Session, SessionDevice};
use propusk_texts::key;
use propusk_types::routes::{self, with_id};
use serde::Deserialize;
use std::sync::Arc;

#[derive(Deserialize, Default)]
pub struct PageQuery {
    pub(super) e: Option<String>,
    pub(super) method: Option<String>,
    pub(super) sent: Option<String>,
}

#[derive(Deserialize)]
pub struct PhoneForm {
    csrf: Option<String>,
    #[serde(default)]
    phone: String,
}

#[derive(Deserialize)]
pub struct CodeForm {
    pub(super) csrf: Option<String>,
    #[serde(default)]
    pub(super) code: String,
    pub(super) method: Option<String>,
}

pub(super) fn error_key(error: &Error) -> Option<&'static str> {
    match error {
        Error::OneTimeCodeInvalid => Some("invalid"),
        Error::OneTimeCodeExpired => Some("expired"),
        Error::Throttled { .. } => Some("throttled"),
        Error::SendCapReached { .. } => Some("cap"),
        Error::ContactInvalid => Some("contact"),
        Error::AlreadyRegistered => Some("taken"),
        _ => None,
    }
}

/// The text of an `e=<key>` parameter.
pub(super) fn error_text(context: &PageContext, e: Option<&str>) -> Option<String> {
    let key = match e? {
        "invalid" => key!("code-invalid"),
        "expired" => key!("code-expired"),
        "throttled" => key!("throttled"),
        "cap" => key!("send-cap"),
        "contact" => key!("phone-invalid"),
        "taken" => key!("already-registered"),
        "codes" => key!("codes-gone"),
        "phone" => key!("sms-needs-phone"),
        _ => return None,
    };
    Some(context.text(key))
}

/// An error of a code step: back to its page with `e=<key>` when the user can fix it,
/// the error page otherwise.
pub(super) fn code_refused(
    context: &PageContext,
    error: &Error,
    path: &str,
    back: impl FnOnce(&str) -> Response,
) -> Response {
    match error_key(error) {
        Some(key) => back(key),
        None => context.error_page(error, path),
    }
}

/// Where a finished first or second step sends the browser, with the session cookie.
/// The new session remembers the browser's User-Agent and address (for the sessions page
/// of the cabinet).
pub async fn after_sign_in(
    context: &PageContext,
    accounts: &Accounts,
    outcome: SignInOutcome,
) -> Response {
    let lang = [context.lang_param()];
    match outcome {
        SignInOutcome::SignedIn(done) => {
            remember_device(context, accounts, &done.session).await;
            let (next, forget) = match &done.interaction_id {
                Some(id) => (routes::interaction(routes::INTERACTION, id), None),
                None => super::next::landing(context),
            };
            let session = session_cookie(&context.state.provider, &done.secret);
            with_cookies(
                see_other(&join(next, &lang)),
                std::iter::once(session).chain(forget),
            )
        }
        SignInOutcome::SecondFactor { challenge, .. } => {
            see_other(&join(with_id(routes::ACCOUNT_FACTOR, &challenge), &lang))
        }
    }
}

/// The longest User-Agent kept, in characters.
const USER_AGENT_MAX: usize = 512;

async fn remember_device(context: &PageContext, accounts: &Accounts, session: &Session) {
    let user_agent = context
        .headers
        .get(axum::http::header::USER_AGENT)
        .and_then(|v| v.to_str().ok())
        .map(|v| v.chars().take(USER_AGENT_MAX).collect());
    let device = SessionDevice {
        user_agent,
        ip: (!context.ip.is_empty()).then(|| context.ip.clone()),
    };
    if let Err(error) = accounts.remember_device(session, &device).await {
        tracing::warn!(%error, "session device not stored");
    }
}

fn phone_view(context: &PageContext, id: &str, client_name: &str) -> SignInCodeView {
    let lang = [context.lang_param()];
    SignInCodeView {
        client_name: client_name.to_owned(),
        password_href: join(routes::interaction(routes::INTERACTION, id), &lang),
        action: join(with_id(routes::INTERACTION_CODE, id), &lang),
        csrf: context.csrf_token(&format!("login:{id}")),
        phone: String::new(),
        error: None,
    }
}

fn phone_path(id: &str) -> String {
    join(
        routes::interaction(routes::INTERACTION, id),
        &["method=code".into()],
    )
}

/// The phone sign-in form of an interaction (`/interaction/{id}?method=code`).
pub fn phone_form(context: &PageContext, id: &str, client_name: &str) -> Response {
    let view = phone_view(context, id, client_name);
    context.page(&phone_path(id)).render(&view)
}

/// POST `/interaction/{id}/code`: sends a code to the phone (or pretends to).
pub async fn start(
    mut context: PageContext,
    Extension(accounts): Extension<Arc<Accounts>>,
    Path(id): Path<String>,
    Form(form): Form<PhoneForm>,
) -> Response {
    let (_, client) = match context.interaction(&id).await {
        Ok(loaded) => loaded,
        Err(response) => return response,
    };
    let error = if !context.csrf_ok(&format!("login:{id}"), form.csrf.as_deref()) {
        key!("form-expired")
    } else {
        let started = accounts
            .start_code_sign_in(&form.phone, &context.ip, context.locale.code(), Some(&id))
            .await;
        match started {
            Ok(challenge) => {
                return see_other(&join(
                    with_id(routes::ACCOUNT_CODE, &challenge),
                    &[context.lang_always()],
                ));
            }
            Err(error) => match user_message(&error) {
                Some(key) => key,
                None => {
                    let path = routes::interaction(routes::INTERACTION, &id);
                    return context.error_page(&error, &path);
                }
            },
        }
    };
    let mut view = phone_view(&context, &id, &client.name);
    view.phone = form.phone;
    view.error = Some(context.text(error));
    context
        .page(&phone_path(&id))
        .status(crate::error::form_status(true))
        .render(&view)
}

/// GET `/account/code/{id}`: the code entry page of a phone sign-in.
pub async fn show(
    context: PageContext,
    Extension(accounts): Extension<Arc<Accounts>>,
    Path(id): Path<String>,
    Query(query): Query<PageQuery>,
) -> Response {
    let path = with_id(routes::ACCOUNT_CODE, &id);
    let view = CodeView {
        title: context.text(key!("code-title")),
        intro: context.text(key!("code-intro")),
        label: context.text(key!("code-label")),
        inputmode: "numeric",
        action: join(path.clone(), &[context.lang_param()]),
        csrf: context.csrf_token(&format!("code:{id}")),
        hidden: Vec::new(),
        error: error_text(&context, query.e.as_deref()),
        notice: None,
        links: Vec::new(),
        extra_forms: Vec::new(),
    };
    let csp = challenge_csp(&context, &accounts, &id, ChallengePurpose::SignInCode).await;
    context.page(&path).csp(csp).render(&view)
}

/// POST `/account/code/{id}`.
pub async fn submit(
    context: PageContext,
    Extension(accounts): Extension<Arc<Accounts>>,
    Path(id): Path<String>,
    Form(form): Form<CodeForm>,
) -> Response {
    let page = with_id(routes::ACCOUNT_CODE, &id);
    let back = |e: &str| back_with_error(&page, &[context.lang_param()], e);
    if !context.csrf_ok(&format!("code:{id}"), form.csrf.as_deref()) {
        return back("expired");
    }
    match accounts
        .finish_code_sign_in(&id, &form.code, &context.ip)
        .await
    {
        Ok(outcome) => after_sign_in(&context, &accounts, outcome).await,
        Err(error) => code_refused(&context, &error, &page, back),
    }
}

pub(super) fn method_label(method: SecondFactorMethod) -> &'static str {
    match method {
        SecondFactorMethod::Totp => key!("factor-totp"),
        SecondFactorMethod::Sms => key!("factor-sms"),
        SecondFactorMethod::Passkey => key!("factor-passkey"),
        SecondFactorMethod::Recovery => key!("factor-recovery"),
    }
}

/// GET `/account/factor/{id}?method=…`: the second-factor challenge.
pub async fn factor(
    context: PageContext,
    Extension(accounts): Extension<Arc<Accounts>>,
    Path(id): Path<String>,
    Query(query): Query<PageQuery>,
) -> Response {
    let path = with_id(routes::ACCOUNT_FACTOR, &id);
    let methods = match accounts.pending_second_factor(&id).await {
        Ok(m) if !m.is_empty() => m,
        Ok(_) => return context.error_page(&Error::ChallengeExpired, &path),
        Err(error) => return context.error_page(&error, &path),
    };
    let method = query
        .method
        .as_deref()
        .and_then(SecondFactorMethod::parse)
        .filter(|m| methods.contains(m))
        .unwrap_or(methods[0]);
    if method == SecondFactorMethod::Passkey {
        return super::passkeys::factor_page(&context, &accounts, &id, &methods, &query).await;
    }
    let lang = context.lang_param();
    let links = methods
        .iter()
        .filter(|m| **m != method)
        .map(|m| {
            let params = [lang.clone(), format!("method={}", m.as_str())];
            (join(path.clone(), &params), context.text(method_label(*m)))
        })
        .collect();
    let extra_forms = if method == SecondFactorMethod::Sms {
        vec![(
            join(
                with_id(routes::ACCOUNT_FACTOR_SMS, &id),
                std::slice::from_ref(&lang),
            ),
            context.text(key!("factor-send-sms")),
        )]
    } else {
        Vec::new()
    };
    let view = CodeView {
        title: context.text(key!("factor-title")),
        intro: context.text(key!("factor-intro")),
        label: context.text(method_label(method)),
        inputmode: if method == SecondFactorMethod::Recovery {
            "text"
        } else {
            "numeric"
        },
        action: join(path.clone(), std::slice::from_ref(&lang)),
        csrf: context.csrf_token(&format!("factor:{id}")),
        hidden: vec![("method", method.as_str().to_owned())],
        error: error_text(&context, query.e.as_deref()),
        notice: query
            .sent
            .is_some()
            .then(|| context.text(key!("factor-sms-sent"))),
        links,
        extra_forms,
    };
    let csp = challenge_csp(&context, &accounts, &id, ChallengePurpose::SecondFactor).await;
    let shown = join(path, &[format!("method={}", method.as_str())]);
    context.page(&shown).csp(csp).render(&view)
}

/// POST `/account/factor/{id}`.
pub async fn factor_submit(
    context: PageContext,
    Extension(accounts): Extension<Arc<Accounts>>,
    Path(id): Path<String>,
    Form(form): Form<CodeForm>,
) -> Response {
    let method = form
        .method
        .as_deref()
        .and_then(SecondFactorMethod::parse)
        .unwrap_or(SecondFactorMethod::Totp);
    let path = with_id(routes::ACCOUNT_FACTOR, &id);
    let params = [context.lang_param(), format!("method={}", method.as_str())];
    let back = |e: &str| back_with_error(&path, &params, e);
    if !context.csrf_ok(&format!("factor:{id}"), form.csrf.as_deref()) {
        return back("expired");
    }
    match accounts
        .finish_second_factor(&id, method, &form.code, &context.ip)
        .await
    {
        Ok(Some(outcome)) => after_sign_in(&context, &accounts, outcome).await,
        Ok(None) => see_other(&join(
            with_id(routes::ACCOUNT_RESET_STEP, &id),
            &[context.lang_param()],
        )),
        Err(error) => code_refused(&context, &error, &path, back),
    }
}

/// POST `/account/factor/{id}/sms`: sends the SMS code of the second step.
pub async fn factor_sms(
    context: PageContext,
    Extension(accounts): Extension<Arc<Accounts>>,
    Path(id): Path<String>,
    Form(form): Form<CodeForm>,
) -> Response {
    let path = with_id(routes::ACCOUNT_FACTOR, &id);
    let back = |extra: &str| {
        let params = [context.lang_param(), "method=sms".into(), extra.to_owned()];
        see_other(&join(path.clone(), &params))
    };
    if !context.csrf_ok(&format!("factor:{id}"), form.csrf.as_deref()) {
        return back("e=expired");
    }
    match accounts
        .send_second_factor_sms(&id, &context.ip, context.locale.code())
        .await
    {
        Ok(()) => back("sent=1"),
        Err(error) => code_refused(&context, &error, &path, |key| back(&format!("e={key}"))),
    }
}

/// A flow whose code can be sent again: its challenge, its code page and the CSRF
/// purpose of that page's forms.
pub trait Resendable {
    const PURPOSE: ChallengePurpose;
    const PAGE: &'static str;
    fn csrf_purpose(id: &str) -> String;
}

/// POST `/account/register/{id}/resend` and `/account/reset/{id}/resend`.
pub async fn resend<F: Resendable>(
    context: PageContext,
    Extension(accounts): Extension<Arc<Accounts>>,
    Path(id): Path<String>,
    Form(form): Form<CodeForm>,
) -> Response {
    let page = with_id(F::PAGE, &id);
    let back = |extra: &str| see_other(&join(page.clone(), &[context.lang_param(), extra.into()]));
    if !context.csrf_ok(&F::csrf_purpose(&id), form.csrf.as_deref()) {
        return back("e=expired");
    }
    match accounts.resend_code(&id, F::PURPOSE, &context.ip).await {
        Ok(()) => back("sent=1"),
        Err(error) => match error_key(&error) {
            Some(key) => back(&format!("e={key}")),
            None => back("e=expired"),
        },
    }
}
