//! `/admin/clients`: the list; a client's page with its metadata, its api-keys (listed
//! without values) and its redirect URIs; suspend and resume; a new api-key (its value
//! shown once) and a revocation; and the redirect URIs edited through the one metadata
//! validator that the API, dynamic registration and the integrator cabinet use.

use super::access::{operator, operator_form};
use super::views::{ClientLine, ClientView, ClientsView, SecretLine};
use super::{after, encode, failure, item, nav, notice_text};
use crate::pages::{PageContext, join};
use axum::extract::{Extension, Form, Path, Query};
use axum::response::Response;
use propusk_core::accounts::Accounts;
use propusk_core::admin::{ClientSpec, page_size};
use propusk_core::model::Client;
use propusk_core::model::client_metadata::ClientMetadata;
use propusk_types::routes::{self, with_id};
use serde::Deserialize;
use std::sync::Arc;

#[derive(Deserialize, Default)]
pub struct ListParams {
    cursor: Option<String>,
}

#[derive(Deserialize, Default)]
pub struct NoticeParams {
    notice: Option<String>,
}

#[derive(Deserialize)]
pub struct PlainBody {
    csrf: Option<String>,
}

#[derive(Deserialize)]
pub struct RedirectsBody {
    csrf: Option<String>,
    #[serde(default)]
    redirect_uris: String,
}

#[derive(Deserialize)]
pub struct SecretBody {
    csrf: Option<String>,
    #[serde(default)]
    name: String,
    /// Days until the key expires; none when empty.
    #[serde(default)]
    days: String,
}

#[derive(Deserialize)]
pub struct RevokeBody {
    csrf: Option<String>,
    #[serde(default)]
    secret: String,
}

fn line(context: &PageContext, c: &Client) -> ClientLine {
    ClientLine {
        id: c.id.clone(),
        name: c.name.clone(),
        kind: c.auth_method.as_str().to_owned(),
        suspended: c.suspended,
        product: c.product.clone().unwrap_or_default(),
        href: item(context, routes::ADMIN_CLIENT, &c.id),
    }
}

/// GET `/admin/clients`.
pub async fn list(
    mut context: PageContext,
    Extension(accounts): Extension<Arc<Accounts>>,
    Query(params): Query<ListParams>,
) -> Response {
    let at = routes::ADMIN_CLIENTS;
    let operator = match operator(&mut context, &accounts, at).await {
        Ok(operator) => operator,
        Err(response) => return response,
    };
    let cursor = params.cursor.as_deref().filter(|c| !c.is_empty());
    let limit = page_size(None).unwrap_or(50);
    let page = match operator.admin.clients(cursor, limit).await {
        Ok(page) => page,
        Err(error) => return failure(&context, error, at),
    };
    let view = ClientsView {
        nav: nav(&context, &operator, "clients"),
        clients: page.items.iter().map(|c| line(&context, c)).collect(),
        next_href: page
            .next_cursor
            .as_deref()
            .map(|c| join(at, &[context.lang_param(), format!("cursor={}", encode(c))])),
    };
    context.page(at).render(&view)
}

/// GET `/admin/clients/{id}`.
pub async fn show(
    mut context: PageContext,
    Extension(accounts): Extension<Arc<Accounts>>,
    Path(id): Path<String>,
    Query(params): Query<NoticeParams>,
) -> Response {
    let at = with_id(routes::ADMIN_CLIENT, &encode(&id));
    let operator = match operator(&mut context, &accounts, &at).await {
        Ok(operator) => operator,
        Err(response) => return response,
    };
    let client = match operator.admin.client(&id).await {
        Ok(client) => client,
        Err(error) => return failure(&context, error, &at),
    };
    let secrets = if propusk_core::admin::uses_secret(&client) {
        match operator.admin.client_secrets(&id).await {
            Ok(secrets) => Some(secrets),
            Err(error) => return failure(&context, error, &at),
        }
    } else {
        None
    };
    let notice = notice_text(&context, params.notice.as_deref());
    let action = |route: &str| item(&context, route, &id);
    let view = ClientView {
        nav: nav(&context, &operator, "clients"),
        summary: line(&context, &client),
        grant_types: client
            .grant_types
            .iter()
            .map(|g| g.as_str().to_owned())
            .collect(),
        scope: client.scope.to_string(),
        redirect_uris: client.redirect_uris.join("\n"),
        uses_redirects: !client.redirect_uris.is_empty() || client.product.is_none(),
        created: super::when(Some(client.created_at)),
        notice,
        csrf: operator.csrf(&context),
        suspend_action: action(if client.suspended {
            routes::ADMIN_CLIENT_RESUME
        } else {
            routes::ADMIN_CLIENT_SUSPEND
        }),
        redirects_action: action(routes::ADMIN_CLIENT_REDIRECTS),
        secret_action: action(routes::ADMIN_CLIENT_SECRETS),
        revoke_action: action(routes::ADMIN_CLIENT_SECRET_REVOKE),
        secrets: secrets.map(|list| {
            list.into_iter()
                .map(|s| SecretLine {
                    live: s.revoked_at.is_none(),
                    name: s.name.unwrap_or_default(),
                    created: super::when(Some(s.created_at)),
                    expires: super::when(s.expires_at),
                    last_used: super::when(s.last_used_at),
                    revoked: super::when(s.revoked_at),
                    id: s.id,
                })
                .collect()
        }),
        audit_href: join(
            routes::ADMIN_AUDIT,
            &[context.lang_param(), format!("client_id={}", encode(&id))],
        ),
        back_href: super::here(&context, routes::ADMIN_CLIENTS),
    };
    context.page(&at).render(&view)
}

async fn suspend_or_resume(
    mut context: PageContext,
    accounts: &Accounts,
    id: &str,
    body: PlainBody,
    suspend: bool,
) -> Response {
    let at = with_id(routes::ADMIN_CLIENT, &encode(id));
    let operator = match operator_form(&mut context, accounts, body.csrf.as_deref(), &at).await {
        Ok(operator) => operator,
        Err(response) => return response,
    };
    match operator
        .admin
        .suspend_client(&operator.actor, id, suspend)
        .await
    {
        Ok(_) => after(&context, &at, if suspend { "suspended" } else { "resumed" }),
        Err(error) => failure(&context, error, &at),
    }
}

/// POST `/admin/clients/{id}/suspend`.
pub async fn suspend(
    context: PageContext,
    Extension(accounts): Extension<Arc<Accounts>>,
    Path(id): Path<String>,
    Form(body): Form<PlainBody>,
) -> Response {
    suspend_or_resume(context, &accounts, &id, body, true).await
}

/// POST `/admin/clients/{id}/resume`.
pub async fn resume(
    context: PageContext,
    Extension(accounts): Extension<Arc<Accounts>>,
    Path(id): Path<String>,
    Form(body): Form<PlainBody>,
) -> Response {
    suspend_or_resume(context, &accounts, &id, body, false).await
}

/// POST `/admin/clients/{id}/redirect-uris`: one URI a line; the rest of the metadata
/// stays as it is, and all of it goes through the shared validator again.
pub async fn redirects(
    mut context: PageContext,
    Extension(accounts): Extension<Arc<Accounts>>,
    Path(id): Path<String>,
    Form(body): Form<RedirectsBody>,
) -> Response {
    let at = with_id(routes::ADMIN_CLIENT, &encode(&id));
    let operator = match operator_form(&mut context, &accounts, body.csrf.as_deref(), &at).await {
        Ok(operator) => operator,
        Err(response) => return response,
    };
    let client = match operator.admin.client(&id).await {
        Ok(client) => client,
        Err(error) => return failure(&context, error, &at),
    };
    let metadata = ClientMetadata {
        redirect_uris: body
            .redirect_uris
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .map(str::to_owned)
            .collect(),
        ..ClientMetadata::of_client(&client)
    };
    let spec = ClientSpec {
        metadata,
        allowed_origins: client.allowed_origins.clone(),
        consent_required: client.consent_required,
    };
    match operator
        .admin
        .update_client(&operator.actor, &id, &spec)
        .await
    {
        Ok(_) => after(&context, &at, "saved"),
        Err(error) => failure(&context, error, &at),
    }
}

/// POST `/admin/clients/{id}/secrets`: the new value is shown on a page of its own, once.
pub async fn add_secret(
    mut context: PageContext,
    Extension(accounts): Extension<Arc<Accounts>>,
    Path(id): Path<String>,
    Form(body): Form<SecretBody>,
) -> Response {
    let at = with_id(routes::ADMIN_CLIENT, &encode(&id));
    let operator = match operator_form(&mut context, &accounts, body.csrf.as_deref(), &at).await {
        Ok(operator) => operator,
        Err(response) => return response,
    };
    let days = body.days.trim();
    let expires_in = match days {
        "" => None,
        text => match text.parse::<i64>() {
            Ok(days) if (1..=3650).contains(&days) => Some(days * 86_400),
            _ => {
                let error = propusk_core::admin::AdminError::Invalid {
                    field: "days",
                    description: "from 1 to 3650".into(),
                };
                return failure(&context, error, &at);
            }
        },
    };
    let name = Some(body.name.trim()).filter(|n| !n.is_empty());
    match operator
        .admin
        .add_client_secret(&operator.actor, &id, name, expires_in)
        .await
    {
        Ok(issued) => {
            let view = super::views::SecretIssuedView {
                nav: nav(&context, &operator, "clients"),
                client_id: id.clone(),
                value: issued.value,
                back_href: item(&context, routes::ADMIN_CLIENT, &id),
            };
            context.page(&at).render(&view)
        }
        Err(error) => failure(&context, error, &at),
    }
}

/// POST `/admin/clients/{id}/secrets/revoke` with the key's id.
pub async fn revoke_secret(
    mut context: PageContext,
    Extension(accounts): Extension<Arc<Accounts>>,
    Path(id): Path<String>,
    Form(body): Form<RevokeBody>,
) -> Response {
    let at = with_id(routes::ADMIN_CLIENT, &encode(&id));
    let operator = match operator_form(&mut context, &accounts, body.csrf.as_deref(), &at).await {
        Ok(operator) => operator,
        Err(response) => return response,
    };
    match operator
        .admin
        .revoke_client_secret(&operator.actor, &id, &body.secret)
        .await
    {
        Ok(()) => after(&context, &at, "revoked"),
        Err(error) => failure(&context, error, &at),
    }
}
