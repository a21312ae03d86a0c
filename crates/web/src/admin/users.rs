//! `/admin/users`: search by login, e-mail, phone or name in cursor pages; a user's page
//! (profile, blocked state, second factor, operator flag); and the actions — block,
//! unblock, reset of the second factor, sign-out everywhere and deletion (which asks to
//! tick a confirmation) — each the operator layer's own function.

use super::access::{Operator, operator, operator_form};
use super::views::{ActionForm, UserLine, UserView, UsersView};
use super::{after, encode, failure, here, item, nav, notice_text};
use crate::pages::{ErrorView, PageContext, join};
use axum::extract::{Extension, Form, Path, Query};
use axum::http::StatusCode;
use axum::response::Response;
use propusk_core::accounts::Accounts;
use propusk_core::admin::AdminResult;
use propusk_core::model::Account;
use propusk_texts::key;
use propusk_types::routes::{self, with_id};
use serde::Deserialize;
use std::sync::Arc;

/// Users on one page of the search.
const PAGE: i64 = 50;

#[derive(Deserialize, Default)]
pub struct SearchParams {
    #[serde(default)]
    q: String,
    cursor: Option<String>,
}

#[derive(Deserialize, Default)]
pub struct NoticeParams {
    notice: Option<String>,
}

#[derive(Deserialize)]
pub struct ActionBody {
    csrf: Option<String>,
    confirm: Option<String>,
}

fn line(context: &PageContext, a: Account) -> UserLine {
    UserLine {
        href: item(context, routes::ADMIN_USER, &a.id),
        name: a.profile.name.unwrap_or_default(),
        email: a.email.unwrap_or_default(),
        phone: a.phone.unwrap_or_default(),
        blocked: a.disabled,
        login: a.login,
        id: a.id,
    }
}

/// GET `/admin/users?q=…`.
pub async fn list(
    mut context: PageContext,
    Extension(accounts): Extension<Arc<Accounts>>,
    Query(params): Query<SearchParams>,
) -> Response {
    let operator = match operator(&mut context, &accounts, routes::ADMIN_USERS).await {
        Ok(operator) => operator,
        Err(response) => return response,
    };
    let cursor = params.cursor.as_deref().filter(|c| !c.is_empty());
    let page = match operator
        .admin
        .search_users(Some(&params.q), cursor, PAGE)
        .await
    {
        Ok(page) => page,
        Err(error) => return failure(&context, error, routes::ADMIN_USERS),
    };
    let next_href = page.next_cursor.as_deref().map(|cursor| {
        join(
            routes::ADMIN_USERS,
            &[
                context.lang_param(),
                format!("q={}", encode(params.q.trim())),
                format!("cursor={}", encode(cursor)),
            ],
        )
    });
    let view = UsersView {
        nav: nav(&context, &operator, "users"),
        action: routes::ADMIN_USERS.to_owned(),
        chosen_lang: context.chosen.map(|l| l.code()),
        users: page.items.into_iter().map(|a| line(&context, a)).collect(),
        q: params.q,
        next_href,
    };
    context.page(routes::ADMIN_USERS).render(&view)
}

/// The forms of the user page, those that apply to the user's state.
fn actions(context: &PageContext, account: &Account) -> Vec<ActionForm> {
    let form = |id, route, label: &str| ActionForm {
        id,
        action: item(context, route, &account.id),
        label: context.text(label),
        confirm: None,
        danger: false,
    };
    let mut forms = Vec::new();
    if account.disabled {
        forms.push(form(
            "unblock",
            routes::ADMIN_USER_UNBLOCK,
            key!("admin-user-unblock"),
        ));
    } else {
        forms.push(form(
            "block",
            routes::ADMIN_USER_BLOCK,
            key!("admin-user-block"),
        ));
    }
    forms.push(form(
        "reset-second-factor",
        routes::ADMIN_USER_RESET_SECOND_FACTOR,
        key!("admin-user-reset-factor"),
    ));
    forms.push(form(
        "sign-out",
        routes::ADMIN_USER_SIGN_OUT,
        key!("admin-user-sign-out"),
    ));
    forms.push(ActionForm {
        confirm: Some(context.text(key!("admin-user-delete-confirm"))),
        danger: true,
        ..form(
            "delete",
            routes::ADMIN_USER_DELETE,
            key!("admin-user-delete"),
        )
    });
    forms
}

async fn user_view(
    context: &PageContext,
    accounts: &Accounts,
    operator: &Operator,
    account: Account,
    notice: Option<String>,
) -> AdminResult<UserView> {
    let is_operator = operator.admin.is_operator(&account.id).await?;
    let factors = accounts.security_overview(&account).await?;
    Ok(UserView {
        nav: nav(context, operator, "users"),
        actions: actions(context, &account),
        audit_href: join(
            routes::ADMIN_AUDIT,
            &[
                context.lang_param(),
                format!("account_id={}", encode(&account.id)),
            ],
        ),
        back_href: here(context, routes::ADMIN_USERS),
        csrf: operator.csrf(context),
        notice,
        operator: is_operator,
        second_factor: factors.totp || factors.sms,
        created: super::when(Some(account.created_at)),
        name: account.profile.name.unwrap_or_default(),
        email: account.email.unwrap_or_default(),
        email_verified: account.profile.email_verified,
        phone: account.phone.unwrap_or_default(),
        phone_verified: account.profile.phone_number_verified,
        blocked: account.disabled,
        login: account.login,
        id: account.id,
    })
}

/// GET `/admin/users/{id}`.
pub async fn show(
    mut context: PageContext,
    Extension(accounts): Extension<Arc<Accounts>>,
    Path(id): Path<String>,
    Query(params): Query<NoticeParams>,
) -> Response {
    let at = with_id(routes::ADMIN_USER, &encode(&id));
    let operator = match operator(&mut context, &accounts, &at).await {
        Ok(operator) => operator,
        Err(response) => return response,
    };
    let account = match operator.admin.user(&id).await {
        Ok(account) => account,
        Err(error) => return failure(&context, error, &at),
    };
    let notice = notice_text(&context, params.notice.as_deref());
    match user_view(&context, &accounts, &operator, account, notice).await {
        Ok(view) => context.page(&at).render(&view),
        Err(error) => failure(&context, error, &at),
    }
}

/// Which action a POST of the user page runs.
#[derive(Clone, Copy)]
enum Action {
    Block,
    Unblock,
    ResetSecondFactor,
    SignOut,
    Delete,
}

async fn act(
    mut context: PageContext,
    accounts: &Accounts,
    id: &str,
    body: ActionBody,
    action: Action,
) -> Response {
    let at = with_id(routes::ADMIN_USER, &encode(id));
    let operator = match operator_form(&mut context, accounts, body.csrf.as_deref(), &at).await {
        Ok(operator) => operator,
        Err(response) => return response,
    };
    let (admin, actor) = (&operator.admin, &operator.actor);
    let done = match action {
        Action::Block => admin.block_user(actor, id).await.map(|_| "blocked"),
        Action::Unblock => admin.unblock_user(actor, id).await.map(|_| "unblocked"),
        Action::ResetSecondFactor => admin
            .reset_second_factor(actor, id)
            .await
            .map(|()| "factor-reset"),
        Action::SignOut => admin.sign_out_user(actor, id).await.map(|_| "signed-out"),
        Action::Delete => {
            if body.confirm.as_deref() != Some("yes") {
                let view = ErrorView {
                    message: context.text(key!("admin-confirm-missing")),
                    code: None,
                };
                return context
                    .page(&at)
                    .status(StatusCode::BAD_REQUEST)
                    .render(&view);
            }
            match admin.delete_user(actor, id).await {
                Ok(()) => return after(&context, routes::ADMIN_USERS, "deleted"),
                Err(error) => Err(error),
            }
        }
    };
    match done {
        Ok(notice) => after(&context, &at, notice),
        Err(error) => failure(&context, error, &at),
    }
}

/// POST `/admin/users/{id}/block`.
pub async fn block(
    context: PageContext,
    Extension(accounts): Extension<Arc<Accounts>>,
    Path(id): Path<String>,
    Form(body): Form<ActionBody>,
) -> Response {
    act(context, &accounts, &id, body, Action::Block).await
}

/// POST `/admin/users/{id}/unblock`.
pub async fn unblock(
    context: PageContext,
    Extension(accounts): Extension<Arc<Accounts>>,
    Path(id): Path<String>,
    Form(body): Form<ActionBody>,
) -> Response {
    act(context, &accounts, &id, body, Action::Unblock).await
}

/// POST `/admin/users/{id}/reset-second-factor`.
pub async fn reset_second_factor(
    context: PageContext,
    Extension(accounts): Extension<Arc<Accounts>>,
    Path(id): Path<String>,
    Form(body): Form<ActionBody>,
) -> Response {
    act(context, &accounts, &id, body, Action::ResetSecondFactor).await
}

/// POST `/admin/users/{id}/sign-out`.
pub async fn sign_out(
    context: PageContext,
    Extension(accounts): Extension<Arc<Accounts>>,
    Path(id): Path<String>,
    Form(body): Form<ActionBody>,
) -> Response {
    act(context, &accounts, &id, body, Action::SignOut).await
}

/// POST `/admin/users/{id}/delete` with `confirm=yes`.
pub async fn delete(
    context: PageContext,
    Extension(accounts): Extension<Arc<Accounts>>,
    Path(id): Path<String>,
    Form(body): Form<ActionBody>,
) -> Response {
    act(context, &accounts, &id, body, Action::Delete).await
}
