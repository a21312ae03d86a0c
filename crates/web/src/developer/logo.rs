//! Application logos: POST `/developer/apps/{client_id}/logo` takes a multipart upload
//! (checked as an image by `propusk_core::developer`), GET `/developer/logos/{client_id}`
//! serves it with the content type found when it was checked, `nosniff` and a sandboxing
//! policy, so that nothing uploaded can run as a page of the provider.

use super::apps::after_section;
use super::upload;
use crate::pages::PageContext;
use crate::state::AppState;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use propusk_core::developer::{Cabinet, CabinetError, MAX_LOGO_BYTES, Problem};

/// POST `/developer/apps/{client_id}/logo`: `csrf` and the file `logo`.
pub async fn upload(
    mut context: PageContext,
    Path(client_id): Path<String>,
    body: Bytes,
) -> Response {
    let parts = upload::boundary(&context.headers)
        .map(|b| upload::parts(&body, &b))
        .unwrap_or_default();
    let field = |name: &str| parts.iter().find(|p| p.name == name);
    let csrf = field("csrf").and_then(|p| std::str::from_utf8(&p.data).ok());
    let account = match super::signed_in_form(&mut context, csrf).await {
        Ok(account) => account,
        Err(response) => return response,
    };
    let done = match field("logo") {
        Some(file) if file.data.len() > MAX_LOGO_BYTES => {
            Err(CabinetError::Invalid(Problem::LogoTooLarge))
        }
        Some(file) => {
            Cabinet::new(&context.state.provider)
                .set_logo(&account, &client_id, file.data.clone())
                .await
        }
        None => Err(CabinetError::Invalid(Problem::LogoNotImage)),
    };
    after_section(
        context,
        &client_id,
        done.map(|()| "saved"),
        |shown, text| {
            shown.logo_error = Some(text);
        },
    )
    .await
}

/// GET `/developer/logos/{client_id}`.
pub async fn serve(State(state): State<AppState>, Path(client_id): Path<String>) -> Response {
    let logo = match Cabinet::new(&state.provider).logo(&client_id).await {
        Ok(Some(logo)) => logo,
        Ok(None) => return StatusCode::NOT_FOUND.into_response(),
        Err(error) => {
            tracing::error!(%error, "could not read a logo");
            return StatusCode::INTERNAL_SERVER_ERROR.into_response();
        }
    };
    let mut response = logo.data.into_response();
    let headers = response.headers_mut();
    if let Ok(value) = HeaderValue::from_str(&logo.content_type) {
        headers.insert(header::CONTENT_TYPE, value);
    }
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    headers.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static("default-src 'none'; sandbox"),
    );
    headers.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("public, max-age=300"),
    );
    response
}
