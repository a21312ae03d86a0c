//! `/admin/keys`: the signing keys with their state (next, active, retiring) and window,
//! never a private key; and the rotation of every algorithm's key with the configured
//! pre-publication window (OIDC Core §10.1.1).

use super::access::{operator, operator_form};
use super::views::{KeyLine, KeysView};
use super::{after, failure, here, nav, notice_text};
use crate::pages::PageContext;
use axum::extract::{Extension, Form, Query};
use axum::response::Response;
use propusk_core::accounts::Accounts;
use propusk_core::admin::{KeyState, KeyView};
use propusk_texts::key;
use propusk_types::routes;
use serde::Deserialize;
use std::sync::Arc;

#[derive(Deserialize, Default)]
pub struct NoticeParams {
    notice: Option<String>,
}

#[derive(Deserialize)]
pub struct RotateBody {
    csrf: Option<String>,
}

fn line(context: &PageContext, k: KeyView) -> KeyLine {
    KeyLine {
        state_label: context.text(match k.state {
            KeyState::Next => key!("admin-key-next"),
            KeyState::Active => key!("admin-key-active"),
            KeyState::Retiring => key!("admin-key-retiring"),
        }),
        state: k.state.as_str(),
        created: super::when(Some(k.created_at)),
        active_from: super::when(Some(k.active_from)),
        retired: super::when(k.retired_at),
        unpublish: super::when(k.unpublish_at),
        kid: k.kid,
        alg: k.alg,
    }
}

/// GET `/admin/keys`.
pub async fn show(
    mut context: PageContext,
    Extension(accounts): Extension<Arc<Accounts>>,
    Query(params): Query<NoticeParams>,
) -> Response {
    let operator = match operator(&mut context, &accounts, routes::ADMIN_KEYS).await {
        Ok(operator) => operator,
        Err(response) => return response,
    };
    let keys = match operator.admin.keys().await {
        Ok(keys) => keys,
        Err(error) => return failure(&context, error, routes::ADMIN_KEYS),
    };
    let view = KeysView {
        nav: nav(&context, &operator, "keys"),
        keys: keys.into_iter().map(|k| line(&context, k)).collect(),
        notice: notice_text(&context, params.notice.as_deref()),
        rotate_action: here(&context, routes::ADMIN_KEYS_ROTATE),
        csrf: operator.csrf(&context),
    };
    context.page(routes::ADMIN_KEYS).render(&view)
}

/// POST `/admin/keys/rotate`: every algorithm, the configured window.
pub async fn rotate(
    mut context: PageContext,
    Extension(accounts): Extension<Arc<Accounts>>,
    Form(body): Form<RotateBody>,
) -> Response {
    let at = routes::ADMIN_KEYS;
    let operator = match operator_form(&mut context, &accounts, body.csrf.as_deref(), at).await {
        Ok(operator) => operator,
        Err(response) => return response,
    };
    match operator.admin.rotate_keys(&operator.actor, &[], None).await {
        Ok(_) => after(&context, at, "rotated"),
        Err(error) => failure(&context, error, at),
    }
}
