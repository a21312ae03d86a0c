//! `/developer/apps`, `/developer/apps/new` and `/developer/apps/{client_id}`: the list,
//! creation by type, and the application page (settings, api-keys, product scopes,
//! co-owners, logo, usage). A mistake in one section shows the page again with the error
//! beside that section.

use super::{
    AppLine, AppView, AppsView, KeyLine, NewAppView, OwnerLine, ScopeOption, ScopeRequestLine,
    SettingsForm, TypeChoice, UsageLine, failure, path, problem_text, purpose, signed_in,
    signed_in_form, type_label, when,
};
use crate::answer::see_other;
use crate::pages::{PageContext, join};
use axum::extract::{Form, Path, Query};
use axum::http::StatusCode;
use axum::response::Response;
use propusk_core::developer::{AppSettings, AppType, Cabinet, CabinetError, NewApp};
use propusk_core::model::{Account, Client, ScopeRequestStatus, SubjectType};
use propusk_texts::key;
use propusk_types::routes::{self, with_id};
use serde::Deserialize;

/// Days of usage shown.
const USAGE_DAYS: i64 = 30;

#[derive(Deserialize, Default)]
pub struct NoticeQuery {
    notice: Option<String>,
}

#[derive(Deserialize)]
pub struct NewAppForm {
    csrf: Option<String>,
    #[serde(default)]
    name: String,
    #[serde(default)]
    app_type: String,
    #[serde(default)]
    client_uri: String,
    #[serde(default)]
    policy_uri: String,
    #[serde(default)]
    tos_uri: String,
}

#[derive(Deserialize)]
pub struct SettingsPost {
    csrf: Option<String>,
    #[serde(default)]
    name: String,
    #[serde(default)]
    client_uri: String,
    #[serde(default)]
    policy_uri: String,
    #[serde(default)]
    tos_uri: String,
    #[serde(default)]
    redirect_uris: String,
    #[serde(default)]
    post_logout_redirect_uris: String,
    #[serde(default)]
    backchannel_logout_uri: String,
    #[serde(default)]
    frontchannel_logout_uri: String,
    #[serde(default)]
    access_token_lifetime: String,
    #[serde(default)]
    id_token_lifetime: String,
    #[serde(default)]
    refresh_token_lifetime: String,
    #[serde(default)]
    subject_type: String,
    #[serde(default)]
    auth_method: String,
    #[serde(default)]
    jwks_uri: String,
    #[serde(default)]
    jwks: String,
}

#[derive(Deserialize)]
pub struct OneField {
    csrf: Option<String>,
    #[serde(default)]
    value: String,
}

/// GET `/developer/apps`.
pub async fn list(mut context: PageContext, Query(query): Query<NoticeQuery>) -> Response {
    let (_, account) = match signed_in(&mut context).await {
        Ok(found) => found,
        Err(response) => return response,
    };
    let apps = match Cabinet::new(&context.state.provider).apps(&account).await {
        Ok(apps) => apps,
        Err(error) => return failure(&context, error, routes::DEVELOPER_APPS),
    };
    let view = AppsView {
        apps: apps
            .iter()
            .map(|c| AppLine {
                name: c.name.clone(),
                client_id: c.id.clone(),
                type_label: type_label(&context, AppType::of(c)),
                href: path(&context, routes::DEVELOPER_APP, &c.id),
            })
            .collect(),
        new_href: join(routes::DEVELOPER_APP_NEW, &[context.lang_param()]),
        notice: (query.notice.as_deref() == Some("deleted"))
            .then(|| context.text(key!("developer-saved"))),
    };
    context.page(routes::DEVELOPER_APPS).render(&view)
}

/// GET `/developer/apps/new`.
pub async fn new_form(mut context: PageContext) -> Response {
    let (session, account) = match signed_in(&mut context).await {
        Ok(found) => found,
        Err(response) => return response,
    };
    match Cabinet::new(&context.state.provider)
        .is_integrator(&account)
        .await
    {
        Ok(true) => {}
        Ok(false) => return failure(&context, CabinetError::NotIntegrator, routes::DEVELOPER),
        Err(error) => return failure(&context, error, routes::DEVELOPER_APP_NEW),
    }
    new_page(&context, &purpose(&session), &NewApp::default(), None)
}

fn new_page(
    context: &PageContext,
    purpose: &str,
    form: &NewApp,
    error: Option<String>,
) -> Response {
    let types = AppType::ALL
        .into_iter()
        .map(|t| TypeChoice {
            value: t.as_str(),
            label: type_label(context, t),
            about: context.text(match t {
                AppType::Web => key!("developer-type-web-about"),
                AppType::Spa => key!("developer-type-spa-about"),
                AppType::Native => key!("developer-type-native-about"),
                AppType::Device => key!("developer-type-device-about"),
                AppType::Service => key!("developer-type-service-about"),
            }),
            checked: form.app_type == t.as_str(),
        })
        .collect();
    let view = NewAppView {
        action: join(routes::DEVELOPER_APP_NEW, &[context.lang_param()]),
        csrf: context.csrf_token(purpose),
        name: form.name.clone(),
        types,
        client_uri: form.client_uri.clone(),
        policy_uri: form.policy_uri.clone(),
        tos_uri: form.tos_uri.clone(),
        error,
        back_href: join(routes::DEVELOPER_APPS, &[context.lang_param()]),
    };
    context
        .page(routes::DEVELOPER_APP_NEW)
        .status(crate::error::form_status(view.error.is_some()))
        .render(&view)
}

/// POST `/developer/apps/new`.
pub async fn create(mut context: PageContext, Form(form): Form<NewAppForm>) -> Response {
    let account = match signed_in_form(&mut context, form.csrf.as_deref()).await {
        Ok(account) => account,
        Err(response) => return response,
    };
    let new = NewApp {
        name: form.name,
        app_type: form.app_type,
        client_uri: form.client_uri,
        policy_uri: form.policy_uri,
        tos_uri: form.tos_uri,
    };
    match Cabinet::new(&context.state.provider)
        .create_app(&account, &new)
        .await
    {
        Ok(client) => see_other(&path(&context, routes::DEVELOPER_APP, &client.id)),
        Err(CabinetError::Invalid(problem)) => {
            let Some(session) = context.session().await else {
                return see_other(routes::ACCOUNT_LOGIN);
            };
            let error = problem_text(&context, &problem);
            new_page(&context, &purpose(&session), &new, Some(error))
        }
        Err(error) => failure(&context, error, routes::DEVELOPER_APP_NEW),
    }
}

/// What the application page shows besides the stored state: a form being corrected and
/// the error of one section.
#[derive(Default)]
pub(super) struct Shown {
    pub settings: Option<AppSettings>,
    pub settings_error: Option<String>,
    pub keys_error: Option<String>,
    pub scopes_error: Option<String>,
    pub team_error: Option<String>,
    pub logo_error: Option<String>,
    pub notice: Option<String>,
}

impl Shown {
    fn has_error(&self) -> bool {
        self.settings_error.is_some()
            || self.keys_error.is_some()
            || self.scopes_error.is_some()
            || self.team_error.is_some()
            || self.logo_error.is_some()
    }
}

/// GET `/developer/apps/{client_id}`.
pub async fn show(
    mut context: PageContext,
    Path(client_id): Path<String>,
    Query(query): Query<NoticeQuery>,
) -> Response {
    let notice = match query.notice.as_deref() {
        Some("saved") => Some(context.text(key!("developer-saved"))),
        Some("revoked") => Some(context.text(key!("developer-key-revoked"))),
        Some("requested") => Some(context.text(key!("developer-scope-requested"))),
        Some("added") => Some(context.text(key!("developer-owner-added"))),
        _ => None,
    };
    app_page(
        &mut context,
        &client_id,
        Shown {
            notice,
            ..Shown::default()
        },
    )
    .await
}

/// The application page for the signed-in owner.
pub(super) async fn app_page(context: &mut PageContext, client_id: &str, shown: Shown) -> Response {
    let at = with_id(routes::DEVELOPER_APP, client_id);
    let (session, account) = match signed_in(context).await {
        Ok(found) => found,
        Err(response) => return response,
    };
    let cabinet = Cabinet::new(&context.state.provider);
    let client = match cabinet.owned(&account, client_id).await {
        Ok(client) => client,
        Err(error) => return failure(context, error, &at),
    };
    match app_view(context, &cabinet, &client, &purpose(&session), shown).await {
        Ok((view, failed)) => context
            .page(&at)
            .status(if failed {
                StatusCode::BAD_REQUEST
            } else {
                StatusCode::OK
            })
            .render(&view),
        Err(error) => failure(context, error, &at),
    }
}

async fn app_view(
    context: &PageContext,
    cabinet: &Cabinet<'_>,
    client: &Client,
    purpose: &str,
    shown: Shown,
) -> Result<(AppView, bool), CabinetError> {
    let app_type = AppType::of(client);
    let failed = shown.has_error();
    let keys = cabinet.keys(client).await?;
    let requests = cabinet.scope_requests(client).await?;
    let products = cabinet.products().await?;
    let team = cabinet.team(client).await?;
    let usage = cabinet.usage(client, USAGE_DAYS).await?;
    let has_logo = cabinet.logo(&client.id).await?.is_some();
    let id = client.id.as_str();
    let link = |route: &str| path(context, route, id);
    let limits = cabinet.limits;
    let settings = shown.settings.unwrap_or_else(|| AppSettings::of(client));
    let view = AppView {
        name: client.name.clone(),
        client_id: client.id.clone(),
        type_label: type_label(context, app_type),
        scheme: scheme_text(context, app_type),
        public: client.is_public(),
        uses_redirects: app_type.uses_redirects(),
        uses_keys: app_type.uses_keys(),
        logo_src: has_logo.then(|| with_id(routes::DEVELOPER_LOGO, id)),
        test_callback: cabinet.test_callback(),
        csrf: context.csrf_token(purpose),
        settings_action: link(routes::DEVELOPER_APP),
        settings: SettingsForm {
            pairwise: settings.subject_type == "pairwise",
            private_key_jwt: settings.auth_method == "private_key_jwt",
            jwks_uri: settings.jwks_uri,
            jwks: settings.jwks,
            name: settings.name,
            client_uri: settings.client_uri,
            policy_uri: settings.policy_uri,
            tos_uri: settings.tos_uri,
            redirect_uris: settings.redirect_uris,
            post_logout_redirect_uris: settings.post_logout_redirect_uris,
            backchannel_logout_uri: settings.backchannel_logout_uri,
            frontchannel_logout_uri: settings.frontchannel_logout_uri,
            access_token_lifetime: settings.access_token_lifetime,
            id_token_lifetime: settings.id_token_lifetime,
            refresh_token_lifetime: settings.refresh_token_lifetime,
        },
        settings_error: shown.settings_error,
        lifetime_hint: context.format(
            key!("developer-lifetime-hint"),
            &[
                ("access_max", limits.access_token.1.into()),
                ("refresh_max", (limits.refresh_token.1 / 86_400).into()),
            ],
        ),
        keys: keys
            .iter()
            .map(|k| KeyLine {
                id: k.id.clone(),
                name: k
                    .name
                    .clone()
                    .unwrap_or_else(|| context.text(key!("developer-key-unnamed"))),
                created: when(k.created_at),
                expires: k.expires_at.map(when),
                last_used: k.last_used_at.map(when),
                revoked: k.revoked_at.map(when),
                revoke_action: join(
                    with_id(routes::DEVELOPER_APP_KEY_REVOKE, id).replace("{key}", &k.id),
                    &[context.lang_param()],
                ),
            })
            .collect(),
        keys_action: link(routes::DEVELOPER_APP_KEYS),
        keys_error: shown.keys_error,
        allowed_scopes: client.scope.iter().map(str::to_owned).collect(),
        requests: requests
            .iter()
            .map(|r| ScopeRequestLine {
                scope: r.scope.clone(),
                product: r.audience.clone(),
                status: r.status.as_str(),
                status_label: context.text(match r.status {
                    ScopeRequestStatus::Pending => key!("developer-status-pending"),
                    ScopeRequestStatus::Approved => key!("developer-status-approved"),
                    ScopeRequestStatus::Refused => key!("developer-status-refused"),
                }),
            })
            .collect(),
        scope_options: products
            .iter()
            .flat_map(|p| {
                p.scopes.iter().map(|s| ScopeOption {
                    scope: s.name.clone(),
                    product: p.name.clone(),
                    approval: p.approval_required,
                })
            })
            .filter(|o| !client.scope.contains(&o.scope))
            .collect(),
        scopes_action: link(routes::DEVELOPER_APP_SCOPES),
        scopes_error: shown.scopes_error,
        owners: team
            .iter()
            .map(|(owner, account)| OwnerLine {
                who: account.as_ref().map_or_else(
                    || owner.account_id.clone(),
                    |a| a.email.clone().unwrap_or_else(|| a.login.clone()),
                ),
            })
            .collect(),
        team_action: link(routes::DEVELOPER_APP_TEAM),
        team_error: shown.team_error,
        logo_action: link(routes::DEVELOPER_APP_LOGO),
        logo_error: shown.logo_error,
        usage: usage
            .iter()
            .map(|u| UsageLine {
                day: super::day(u.day),
                sign_ins: u.sign_ins,
                tokens: u.tokens,
            })
            .collect(),
        quickstart_href: link(routes::DEVELOPER_APP_QUICKSTART),
        docs_href: join(
            routes::DOCS,
            &[context.lang_param(), crate::docs::app_param(&client.id)],
        ),
        test_href: Some(link(routes::DEVELOPER_APP_TEST)),
        apps_href: join(routes::DEVELOPER_APPS, &[context.lang_param()]),
        notice: shown.notice,
    };
    Ok((view, failed))
}

/// The scheme an application type fixes, in words.
pub(super) fn scheme_text(context: &PageContext, app_type: AppType) -> String {
    context.text(match app_type {
        AppType::Web => key!("developer-scheme-web"),
        AppType::Spa | AppType::Native => key!("developer-scheme-pkce"),
        AppType::Device => key!("developer-scheme-device"),
        AppType::Service => key!("developer-scheme-service"),
    })
}

/// POST `/developer/apps/{client_id}`: the settings.
pub async fn update(
    mut context: PageContext,
    Path(client_id): Path<String>,
    Form(form): Form<SettingsPost>,
) -> Response {
    let account = match signed_in_form(&mut context, form.csrf.as_deref()).await {
        Ok(account) => account,
        Err(response) => return response,
    };
    let settings = AppSettings {
        name: form.name,
        client_uri: form.client_uri,
        policy_uri: form.policy_uri,
        tos_uri: form.tos_uri,
        redirect_uris: form.redirect_uris,
        post_logout_redirect_uris: form.post_logout_redirect_uris,
        backchannel_logout_uri: form.backchannel_logout_uri,
        frontchannel_logout_uri: form.frontchannel_logout_uri,
        access_token_lifetime: form.access_token_lifetime,
        id_token_lifetime: form.id_token_lifetime,
        refresh_token_lifetime: form.refresh_token_lifetime,
        subject_type: if form.subject_type.is_empty() {
            SubjectType::Public.as_str().to_owned()
        } else {
            form.subject_type
        },
        auth_method: form.auth_method,
        jwks_uri: form.jwks_uri,
        jwks: form.jwks,
    };
    let done = Cabinet::new(&context.state.provider)
        .update_app(&account, &client_id, &settings)
        .await;
    match done {
        Ok(_) => see_other(&join(
            with_id(routes::DEVELOPER_APP, &client_id),
            &[context.lang_param(), "notice=saved".into()],
        )),
        Err(CabinetError::Invalid(problem)) => {
            let shown = Shown {
                settings_error: Some(problem_text(&context, &problem)),
                settings: Some(settings),
                ..Shown::default()
            };
            app_page(&mut context, &client_id, shown).await
        }
        Err(error) => failure(&context, error, &with_id(routes::DEVELOPER_APP, &client_id)),
    }
}

/// POST `/developer/apps/{client_id}/scopes`: `value` is the scope requested.
pub async fn request_scope(
    mut context: PageContext,
    Path(client_id): Path<String>,
    Form(form): Form<OneField>,
) -> Response {
    let account = match signed_in_form(&mut context, form.csrf.as_deref()).await {
        Ok(account) => account,
        Err(response) => return response,
    };
    let done = Cabinet::new(&context.state.provider)
        .request_scope(&account, &client_id, &form.value)
        .await;
    after_section(
        context,
        &client_id,
        done.map(|_| "requested"),
        |shown, text| {
            shown.scopes_error = Some(text);
        },
    )
    .await
}

/// POST `/developer/apps/{client_id}/team`: `value` is a login or an e-mail address.
pub async fn add_owner(
    mut context: PageContext,
    Path(client_id): Path<String>,
    Form(form): Form<OneField>,
) -> Response {
    let account = match signed_in_form(&mut context, form.csrf.as_deref()).await {
        Ok(account) => account,
        Err(response) => return response,
    };
    let done = Cabinet::new(&context.state.provider)
        .add_owner(&account, &client_id, &form.value)
        .await;
    after_section(context, &client_id, done.map(|_| "added"), |shown, text| {
        shown.team_error = Some(text);
    })
    .await
}

/// The answer to a section's POST: back to the page with a notice, or the page again
/// with the section's error.
pub(super) async fn after_section(
    mut context: PageContext,
    client_id: &str,
    done: Result<&'static str, CabinetError>,
    place: impl FnOnce(&mut Shown, String),
) -> Response {
    match done {
        Ok(notice) => see_other(&join(
            with_id(routes::DEVELOPER_APP, client_id),
            &[context.lang_param(), format!("notice={notice}")],
        )),
        Err(CabinetError::Invalid(problem)) => {
            let mut shown = Shown::default();
            place(&mut shown, problem_text(&context, &problem));
            app_page(&mut context, client_id, shown).await
        }
        Err(error) => failure(&context, error, &with_id(routes::DEVELOPER_APP, client_id)),
    }
}

/// The owner check of handlers outside this file.
pub(super) async fn owned_app(
    context: &mut PageContext,
    client_id: &str,
) -> Result<(Account, Client), Response> {
    let (_, account) = signed_in(context).await?;
    match Cabinet::new(&context.state.provider)
        .owned(&account, client_id)
        .await
    {
        Ok(client) => Ok((account, client)),
        Err(error) => Err(failure(
            context,
            error,
            &with_id(routes::DEVELOPER_APP, client_id),
        )),
    }
}
