//! Who may use the console: a signed-in account that is an operator, in a session whose
//! sign-in used two distinct factors (`amr` with `mfa`, RFC 8176 §2: a password or an SMS
//! code, then the other factor; an SMS code alone is one factor). Not signed in:
//! to the sign-in page, which comes back here; signed in but not an operator: 403; an
//! operator without the factor in the session: a 403 page that asks to sign in again
//! with it, or to enrol one in the cabinet first. Console forms carry a CSRF token bound
//! to the session.

use super::views::FactorView;
use crate::pages::{ErrorView, PageContext, join};
use axum::http::StatusCode;
use axum::response::Response;
use propusk_core::accounts::Accounts;
use propusk_core::admin::{Actor, Admin};
use propusk_core::model::{Account, Session};
use propusk_texts::key;
use propusk_types::routes;

/// The `amr` value of a sign-in with more than one factor.
const MFA: &str = "mfa";

/// A signed-in operator, the layer and the actor its actions are recorded under.
pub struct Operator {
    pub session: Session,
    pub account: Account,
    pub admin: Admin,
    pub actor: Actor,
}

impl Operator {
    /// The CSRF token of the console's forms.
    pub fn csrf(&self, context: &PageContext) -> String {
        context.csrf_token(&purpose(&self.session))
    }
}

fn purpose(session: &Session) -> String {
    format!("admin:{}", session.id)
}

/// Whether the session's sign-in used a second factor.
pub fn with_second_factor(session: &Session) -> bool {
    session.amr.iter().any(|m| m == MFA)
}

/// The operator at console page `page`, or the answer that stops the request.
pub async fn operator(
    context: &mut PageContext,
    accounts: &Accounts,
    page: &str,
) -> Result<Operator, Response> {
    let (session, account) = match context.signed_in(page).await {
        Ok(found) => found,
        Err(response) => {
            return Err(crate::accounts::return_after_sign_in(
                context, response, page,
            ));
        }
    };
    let admin = Admin::new(context.state.provider.clone());
    match admin.is_operator(&account.id).await {
        Ok(true) => {}
        Ok(false) => return Err(forbidden(context, page)),
        Err(propusk_core::admin::AdminError::Engine(error)) => {
            return Err(context.error_page(&error, page));
        }
        Err(_) => return Err(forbidden(context, page)),
    }
    if !with_second_factor(&session) {
        let enrolled = match accounts.security_overview(&account).await {
            Ok(overview) => overview.totp || overview.sms,
            Err(error) => return Err(context.error_page(&error, page)),
        };
        return Err(factor_page(context, &session, enrolled, page));
    }
    Ok(Operator {
        actor: Actor::Operator(account.id.clone()),
        session,
        account,
        admin,
    })
}

/// The operator of a console form whose CSRF token is right; a stale form gets 400.
pub async fn operator_form(
    context: &mut PageContext,
    accounts: &Accounts,
    csrf: Option<&str>,
    page: &str,
) -> Result<Operator, Response> {
    let operator = operator(context, accounts, page).await?;
    if !context.csrf_ok(&purpose(&operator.session), csrf) {
        let view = ErrorView {
            message: context.text(key!("form-expired")),
            code: None,
        };
        return Err(context
            .page(page)
            .status(StatusCode::BAD_REQUEST)
            .render(&view));
    }
    Ok(operator)
}

fn forbidden(context: &PageContext, page: &str) -> Response {
    let view = ErrorView {
        message: context.text(key!("admin-forbidden")),
        code: None,
    };
    context
        .page(page)
        .status(StatusCode::FORBIDDEN)
        .render(&view)
}

fn factor_page(context: &PageContext, session: &Session, enrolled: bool, page: &str) -> Response {
    let lang = context.lang_param();
    let view = FactorView {
        enrolled,
        security_href: join(routes::ACCOUNT_SECURITY, std::slice::from_ref(&lang)),
        sign_out_action: join(routes::ACCOUNT_SIGN_OUT, &[lang]),
        csrf: context.csrf_token(&crate::accounts::session_purpose(session)),
    };
    context
        .page(page)
        .status(StatusCode::FORBIDDEN)
        .render(&view)
}
