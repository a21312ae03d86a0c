//! The development outbox page: the newest messages with their text, in development
//! mode only (404 otherwise), clearly marked as such.

use crate::pages::{OutboxView, PageContext};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use propusk_types::routes;

pub async fn show(context: PageContext) -> Response {
    if !context.state.web.dev_mode {
        return StatusCode::NOT_FOUND.into_response();
    }
    match context.state.provider.store.recent_messages(50).await {
        Ok(messages) => context
            .page(routes::DEV_OUTBOX)
            .render(&OutboxView { messages }),
        Err(error) => context.error_page(&error.into(), routes::DEV_OUTBOX),
    }
}
