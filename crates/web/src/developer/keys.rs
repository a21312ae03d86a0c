//! Api-keys of an application: POST `/developer/apps/{client_id}/keys` creates one and
//! shows its value once, on the answer to that POST (never stored, never shown again);
//! POST `…/keys/{key}/revoke` revokes one at once.

use super::apps::{Shown, after_section, app_page};
use super::{KeyCreatedView, failure, path, problem_text, signed_in_form, when};
use axum::extract::{Form, Path};
use axum::response::Response;
use propusk_core::developer::{Cabinet, CabinetError, NewKey};
use propusk_types::routes::{self, with_id};
use serde::Deserialize;

#[derive(Deserialize)]
pub struct KeyForm {
    csrf: Option<String>,
    #[serde(default)]
    name: String,
    #[serde(default)]
    expires_in_days: String,
}

#[derive(Deserialize)]
pub struct RevokeForm {
    csrf: Option<String>,
}

/// POST `/developer/apps/{client_id}/keys`.
pub async fn create(
    mut context: crate::pages::PageContext,
    Path(client_id): Path<String>,
    Form(form): Form<KeyForm>,
) -> Response {
    let account = match signed_in_form(&mut context, form.csrf.as_deref()).await {
        Ok(account) => account,
        Err(response) => return response,
    };
    let cabinet = Cabinet::new(&context.state.provider);
    let new = NewKey {
        name: form.name,
        expires_in_days: form.expires_in_days,
    };
    let at = with_id(routes::DEVELOPER_APP, &client_id);
    match cabinet.create_key(&account, &client_id, &new).await {
        Ok((record, value)) => {
            let app_name = match cabinet.owned(&account, &client_id).await {
                Ok(client) => client.name,
                Err(error) => return failure(&context, error, &at),
            };
            let view = KeyCreatedView {
                app_name,
                client_id: client_id.clone(),
                key_name: record.name.unwrap_or_default(),
                value,
                expires: record.expires_at.map(when),
                back_href: path(&context, routes::DEVELOPER_APP, &client_id),
            };
            context.page(&at).render(&view)
        }
        Err(CabinetError::Invalid(problem)) => {
            let shown = Shown {
                keys_error: Some(problem_text(&context, &problem)),
                ..Shown::default()
            };
            app_page(&mut context, &client_id, shown).await
        }
        Err(error) => failure(&context, error, &at),
    }
}

/// POST `/developer/apps/{client_id}/keys/{key}/revoke`.
pub async fn revoke(
    mut context: crate::pages::PageContext,
    Path((client_id, key_id)): Path<(String, String)>,
    Form(form): Form<RevokeForm>,
) -> Response {
    let account = match signed_in_form(&mut context, form.csrf.as_deref()).await {
        Ok(account) => account,
        Err(response) => return response,
    };
    let done = Cabinet::new(&context.state.provider)
        .revoke_key(&account, &client_id, &key_id)
        .await
        .map(|_| "revoked");
    after_section(context, &client_id, done, |shown, text| {
        shown.keys_error = Some(text);
    })
    .await
}
