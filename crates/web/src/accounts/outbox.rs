//! The development outbox page: the newest messages with their text, in development
//! mode only (404 otherwise), clearly marked as such.

use super::pages::OutboxPage;
use super::texts::AccountTexts;
use crate::i18n::Locale;
use crate::pages::{Frame, render};
use crate::state::AppState;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;

#[derive(Deserialize)]
pub struct Lang {
    lang: Option<String>,
}

pub async fn show(
    State(state): State<AppState>,
    Query(q): Query<Lang>,
    headers: HeaderMap,
) -> Response {
    if !state.web.dev_mode {
        return StatusCode::NOT_FOUND.into_response();
    }
    let locale = Locale::choose(&[], q.lang.as_deref(), &headers);
    let messages = match state.provider.store.recent_messages(50).await {
        Ok(m) => m,
        Err(error) => {
            tracing::error!(%error, "outbox read failed");
            return StatusCode::INTERNAL_SERVER_ERROR.into_response();
        }
    };
    let page = OutboxPage {
        frame: Frame::new(&state, locale, super::paths::DEV_OUTBOX),
        a: AccountTexts::of(locale),
        messages,
    };
    render(StatusCode::OK, &page)
}
