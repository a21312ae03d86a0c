//! The signed-in user's own sign-in security (`/account/security`): TOTP enrolment
//! ([RFC 6238](https://www.rfc-editor.org/rfc/rfc6238)) with a server-rendered SVG QR code
//! and the manual key, confirmed by a first code; SMS codes as a second factor; recovery
//! codes shown once; changing the password; and signing out, which ends the session and
//! clears the cookie. Turning a factor off, new recovery codes and a new password without
//! the current one need a fresh proof: without it the browser goes through
//! `/account/reauth` and back.

use super::code::{CodeForm, PageQuery, code_refused, error_text};
use super::links::back_with_error;
use crate::answer::{see_other, with_cookies};
use crate::cookies;
use crate::pages::{PageContext, RecoveryCodesView, SecurityView, TotpView, join};
use axum::extract::{Extension, Form, Path, Query};
use axum::response::Response;
use propusk_core::accounts::Accounts;
use propusk_core::model::{Account, Session};
use propusk_texts::key;
use propusk_types::routes::{self, with_id};
use serde::Deserialize;
use std::sync::Arc;

#[derive(Deserialize, Default)]
pub struct SecurityQuery {
    e: Option<String>,
    notice: Option<String>,
}

#[derive(Deserialize)]
pub struct PasswordForm {
    csrf: Option<String>,
    #[serde(default)]
    current: String,
    #[serde(default)]
    password: String,
    others: Option<String>,
}

#[derive(Deserialize)]
pub struct SwitchForm {
    csrf: Option<String>,
    on: Option<String>,
}

/// The signed-in user (the page language follows the account's), or the answer that
/// sends the browser to sign in.
pub(super) async fn signed_in(context: &mut PageContext) -> Result<(Session, Account), Response> {
    context.signed_in(routes::ACCOUNT_SECURITY).await
}

/// A POST of the security page: signed in, and the form's CSRF token is right (else
/// through re-authentication and back).
pub(super) async fn signed_in_form(
    context: &mut PageContext,
    csrf_token: Option<&str>,
) -> Result<(Session, Account), Response> {
    signed_in_form_of(context, csrf_token, routes::ACCOUNT_SECURITY).await
}

/// A POST of the cabinet page `page`: signed in, and the form's CSRF token is right. A
/// stale form goes through re-authentication (which says the form expired) and back to
/// the page.
pub(super) async fn signed_in_form_of(
    context: &mut PageContext,
    csrf_token: Option<&str>,
    page: &str,
) -> Result<(Session, Account), Response> {
    let (session, account) = signed_in(context).await?;
    if !context.csrf_ok(&purpose(&session), csrf_token) {
        let again = super::cabinet::reauth_href(context, page);
        return Err(see_other(&format!("{again}&e=expired")));
    }
    Ok((session, account))
}

/// The CSRF purpose of the forms bound to the signed-in session (the cabinet's, and the
/// sign-out form anywhere).
pub(crate) fn purpose(session: &Session) -> String {
    format!("security:{}", session.id)
}

fn back(context: &PageContext, extra: &str) -> Response {
    see_other(&join(
        routes::ACCOUNT_SECURITY,
        &[context.lang_param(), extra.to_owned()],
    ))
}

/// GET `/account/security`.
pub async fn show(
    mut context: PageContext,
    Extension(accounts): Extension<Arc<Accounts>>,
    Query(query): Query<SecurityQuery>,
) -> Response {
    let (session, account) = match signed_in(&mut context).await {
        Ok(found) => found,
        Err(response) => return response,
    };
    let notice = match query.notice.as_deref() {
        Some("saved") => Some(context.text(key!("saved"))),
        Some("password") => Some(context.text(key!("cabinet-password-changed"))),
        _ => None,
    };
    let error = error_text(&context, query.e.as_deref());
    let shown = Shown {
        notice,
        error,
        ..Shown::default()
    };
    render(&context, &accounts, &session, &account, shown).await
}

/// What the security page shows beyond the account's state: a notice, an error, and the
/// error of the password form.
#[derive(Default)]
struct Shown {
    notice: Option<String>,
    error: Option<String>,
    password_error: Option<String>,
}

async fn render(
    context: &PageContext,
    accounts: &Accounts,
    session: &Session,
    account: &Account,
    shown: Shown,
) -> Response {
    let overview = match accounts.security_overview(account).await {
        Ok(o) => o,
        Err(error) => return context.error_page(&error, routes::ACCOUNT_SECURITY),
    };
    let fresh = match accounts.is_fresh(session).await {
        Ok(fresh) => fresh,
        Err(error) => return context.error_page(&error, routes::ACCOUNT_SECURITY),
    };
    let lang = context.lang_param();
    let action = |path: &str| join(path, std::slice::from_ref(&lang));
    let status = crate::error::form_status(shown.password_error.is_some());
    let view = SecurityView {
        who: super::cabinet::display_name(account),
        totp: overview.totp,
        sms: overview.sms,
        phone_verified: overview.phone_verified,
        recovery_left: overview.recovery_left,
        csrf: context.csrf_token(&purpose(session)),
        totp_action: action(routes::ACCOUNT_SECURITY_TOTP),
        sms_action: action(routes::ACCOUNT_SECURITY_SMS),
        recovery_action: action(routes::ACCOUNT_SECURITY_RECOVERY),
        sign_out_action: action(routes::ACCOUNT_SIGN_OUT),
        notice: shown.notice,
        error: shown.error,
        fresh,
        has_password: account.password_hash.is_some(),
        password_action: action(routes::ACCOUNT_SECURITY_PASSWORD),
        password_hint: super::password_hint(context),
        password_error: shown.password_error,
        reauth_href: super::cabinet::reauth_href(context, routes::ACCOUNT_SECURITY),
        overview_href: action(routes::ACCOUNT),
        phone_sign_in: overview.phone_sign_in,
        phone_action: action(routes::ACCOUNT_SECURITY_PHONE),
    };
    context
        .page(routes::ACCOUNT_SECURITY)
        .status(status)
        .render(&view)
}

/// A refused change of the security page: through re-authentication and back when the
/// proof is stale, back with `e=<key>` when the user can fix it, else the error page.
fn refused(context: &PageContext, error: &propusk_core::error::Error) -> Response {
    use propusk_core::error::Error;
    match error {
        Error::ReauthenticationRequired => see_other(&super::cabinet::reauth_href(
            context,
            routes::ACCOUNT_SECURITY,
        )),
        Error::FactorUnavailable => back(context, "e=phone"),
        Error::Throttled { .. } => back(context, "e=throttled"),
        other => context.error_page(other, routes::ACCOUNT_SECURITY),
    }
}

/// POST `/account/security/totp`: `on=yes` starts an enrolment, `on=no` turns TOTP off.
pub async fn totp_switch(
    mut context: PageContext,
    Extension(accounts): Extension<Arc<Accounts>>,
    Form(form): Form<SwitchForm>,
) -> Response {
    let (session, account) = match signed_in_form(&mut context, form.csrf.as_deref()).await {
        Ok(found) => found,
        Err(response) => return response,
    };
    let done = if form.on.as_deref() == Some("yes") {
        accounts.begin_totp(&account).await.map(|enrolment| {
            see_other(&join(
                with_id(routes::ACCOUNT_SECURITY_TOTP_STEP, &enrolment.challenge),
                &[context.lang_param()],
            ))
        })
    } else {
        let disabled = accounts.disable_totp(&session, &account, &context.ip).await;
        disabled.map(|()| back(&context, "notice=saved"))
    };
    done.unwrap_or_else(|error| refused(&context, &error))
}

/// GET `/account/security/totp/{id}`: the QR code, the manual key and the first code.
pub async fn totp_page(
    mut context: PageContext,
    Extension(accounts): Extension<Arc<Accounts>>,
    Path(id): Path<String>,
    Query(query): Query<PageQuery>,
) -> Response {
    let (session, account) = match signed_in(&mut context).await {
        Ok(found) => found,
        Err(response) => return response,
    };
    let path = with_id(routes::ACCOUNT_SECURITY_TOTP_STEP, &id);
    let enrolment = match accounts.totp_enrolment(&id, &account).await {
        Ok(e) => e,
        Err(error) => return context.error_page(&error, &path),
    };
    let lang = context.lang_param();
    let view = TotpView {
        qr_svg: crate::qr::svg(&enrolment.uri).unwrap_or_default(),
        manual_key: enrolment.manual_key,
        action: join(path.clone(), std::slice::from_ref(&lang)),
        csrf: context.csrf_token(&purpose(&session)),
        error: error_text(&context, query.e.as_deref()),
        back_href: join(routes::ACCOUNT_SECURITY, &[lang]),
    };
    context.page(&path).render(&view)
}

/// POST `/account/security/totp/{id}`: the first code turns TOTP on.
pub async fn totp_confirm(
    mut context: PageContext,
    Extension(accounts): Extension<Arc<Accounts>>,
    Path(id): Path<String>,
    Form(form): Form<CodeForm>,
) -> Response {
    let (session, account) = match signed_in(&mut context).await {
        Ok(found) => found,
        Err(response) => return response,
    };
    let path = with_id(routes::ACCOUNT_SECURITY_TOTP_STEP, &id);
    let again = |e: &str| back_with_error(&path, &[context.lang_param()], e);
    if !context.csrf_ok(&purpose(&session), form.csrf.as_deref()) {
        return again("expired");
    }
    match accounts
        .confirm_totp(&id, &account, &form.code, &context.ip)
        .await
    {
        Ok(codes) => show_codes(&context, &codes),
        Err(error) => code_refused(&context, &error, &path, again),
    }
}

fn show_codes(context: &PageContext, id: &str) -> Response {
    see_other(&join(
        with_id(routes::ACCOUNT_SECURITY_CODES, id),
        &[context.lang_param()],
    ))
}

/// POST `/account/security/sms`: SMS codes as a second factor on (`on=yes`) or off.
pub async fn sms_switch(
    mut context: PageContext,
    Extension(accounts): Extension<Arc<Accounts>>,
    Form(form): Form<SwitchForm>,
) -> Response {
    let (session, account) = match signed_in_form(&mut context, form.csrf.as_deref()).await {
        Ok(found) => found,
        Err(response) => return response,
    };
    let done = if form.on.as_deref() == Some("yes") {
        accounts.enable_sms_factor(&account, &context.ip).await
    } else {
        let disabled = accounts.disable_sms_factor(&session, &account, &context.ip);
        disabled.await.map(|()| None)
    };
    match done {
        Ok(Some(codes)) => show_codes(&context, &codes),
        Ok(None) => back(&context, "notice=saved"),
        Err(error) => refused(&context, &error),
    }
}

/// POST `/account/security/phone`: sign-in by phone + SMS code on (`on=yes`) or off.
pub async fn phone_switch(
    mut context: PageContext,
    Extension(accounts): Extension<Arc<Accounts>>,
    Form(form): Form<SwitchForm>,
) -> Response {
    let account = match signed_in_form(&mut context, form.csrf.as_deref()).await {
        Ok((_, account)) => account,
        Err(response) => return response,
    };
    let on = form.on.as_deref() == Some("yes");
    match accounts.set_phone_sign_in(&account, on, &context.ip).await {
        Ok(()) => back(&context, "notice=saved"),
        Err(error) => refused(&context, &error),
    }
}

/// POST `/account/security/recovery`: ten new recovery codes (the old ones stop working).
pub async fn new_recovery_codes(
    mut context: PageContext,
    Extension(accounts): Extension<Arc<Accounts>>,
    Form(form): Form<SwitchForm>,
) -> Response {
    let (session, account) = match signed_in_form(&mut context, form.csrf.as_deref()).await {
        Ok(found) => found,
        Err(response) => return response,
    };
    let made = accounts.regenerate_recovery_codes(&session, &account, &context.ip);
    match made.await {
        Ok(codes) => show_codes(&context, &codes),
        Err(error) => refused(&context, &error),
    }
}

/// POST `/account/security/password`: a new password, with the current one or a fresh
/// proof; `others=yes` ends the other sessions too. A refused password is shown next to
/// its field (NIST SP 800-63B §5.1.1.2 asks to say why).
pub async fn change_password(
    mut context: PageContext,
    Extension(accounts): Extension<Arc<Accounts>>,
    Form(form): Form<PasswordForm>,
) -> Response {
    use propusk_core::error::Error;
    let (session, account) = match signed_in_form(&mut context, form.csrf.as_deref()).await {
        Ok(found) => found,
        Err(response) => return response,
    };
    let others = form.others.as_deref() == Some("yes");
    let current = (!form.current.is_empty()).then_some(form.current.as_str());
    let changed = accounts
        .change_password(
            &session,
            &account,
            current,
            &form.password,
            others,
            &context.ip,
        )
        .await;
    let field_error = match changed {
        Ok(_) => return back(&context, "notice=password"),
        Err(Error::PasswordRejected(why)) => super::password_message(&context, &why),
        Err(Error::InvalidCredentials) => context.text(key!("cabinet-current-wrong")),
        Err(Error::ReauthenticationRequired) => context.text(key!("cabinet-current-needed")),
        Err(error) => return refused(&context, &error),
    };
    let shown = Shown {
        password_error: Some(field_error),
        ..Shown::default()
    };
    render(&context, &accounts, &session, &account, shown).await
}

/// GET `/account/security/codes/{id}`: the recovery codes, once.
pub async fn codes(
    mut context: PageContext,
    Extension(accounts): Extension<Arc<Accounts>>,
    Path(id): Path<String>,
) -> Response {
    let (_, account) = match signed_in(&mut context).await {
        Ok(found) => found,
        Err(response) => return response,
    };
    let codes = match accounts.take_recovery_codes(&id, &account).await {
        Ok(codes) => codes,
        Err(_) => return back(&context, "e=codes"),
    };
    let view = RecoveryCodesView {
        codes,
        back_href: join(routes::ACCOUNT_SECURITY, &[context.lang_param()]),
    };
    // The codes are gone once shown: the switcher leads to the security page.
    context.page(routes::ACCOUNT_SECURITY).render(&view)
}

/// POST `/account/sign-out`: ends the session (as RP-initiated logout would: its grants
/// are revoked and clients with back-channel logout are told) and clears the cookie.
pub async fn sign_out(context: PageContext, Form(form): Form<SwitchForm>) -> Response {
    let to_login = join(
        routes::ACCOUNT_LOGIN,
        &[context.lang_param(), "notice=out".into()],
    );
    let Some(session) = context.session().await else {
        return see_other(&to_login);
    };
    if !context.csrf_ok(&purpose(&session), form.csrf.as_deref()) {
        return back(&context, "e=expired");
    }
    if let Err(error) = context
        .state
        .provider
        .end_session_everywhere(&session)
        .await
    {
        return context.error_page(&error, routes::ACCOUNT_SECURITY);
    }
    let https = context.state.provider.config.is_https();
    let clear = cookies::set(cookies::SESSION, "", https, Some(0));
    with_cookies(see_other(&to_login), [clear])
}
