//! URLs of the account pages: query parameters joined in one place, the language carried
//! from page to page, and the CSP of a page whose form may end at the client (CSP 3
//! §6.4.1 applies `form-action` to every redirect after a submission).

use crate::i18n::Locale;
use crate::pages::{DEFAULT_CSP, csp_towards};
use crate::state::AppState;
use axum::http::HeaderMap;
use propusk_core::accounts::{Accounts, ChallengePurpose};
use propusk_types::routes;

/// `lang=<code>` for an explicit, supported language; empty otherwise.
pub fn lang_suffix(lang: Option<&str>) -> String {
    match lang.and_then(Locale::parse) {
        Some(l) => format!("lang={}", l.code()),
        None => String::new(),
    }
}

/// `path?a&b` with the empty parameters left out.
pub fn join(path: String, params: &[String]) -> String {
    let params: Vec<&str> = params
        .iter()
        .map(String::as_str)
        .filter(|p| !p.is_empty())
        .collect();
    if params.is_empty() {
        path
    } else {
        format!("{path}?{}", params.join("&"))
    }
}

/// A 303 back to a form page with `e=<key>` (and the page's own parameters), the answer
/// to a refused POST that the page explains from the key.
pub fn back_with_error(path: &str, params: &[String], key: &str) -> axum::response::Response {
    let mut all = params.to_vec();
    all.push(format!("e={key}"));
    crate::answer::see_other(&join(path.to_owned(), &all))
}

/// `i=<interaction id>` when the page belongs to an authorization request.
pub fn interaction_param(id: Option<&str>) -> String {
    id.map(|i| format!("i={}", url_escape(i)))
        .unwrap_or_default()
}

fn url_escape(text: &str) -> String {
    url::form_urlencoded::byte_serialize(text.as_bytes()).collect()
}

/// Where the user signs in again: the interaction they came from, or `/account/login`.
pub fn sign_in_path(interaction: Option<&str>) -> String {
    match interaction {
        Some(id) => routes::interaction(routes::INTERACTION, id),
        None => super::paths::LOGIN.to_owned(),
    }
}

/// The language of a page that may belong to the interaction `id`: its `ui_locales`
/// count, after an explicit `lang`.
pub async fn interaction_locale(
    state: &AppState,
    id: Option<&str>,
    lang: Option<&str>,
    headers: &HeaderMap,
) -> Locale {
    let ui_locales = match id {
        Some(id) => state
            .provider
            .load_interaction(id)
            .await
            .map(|l| l.1.ui_locales)
            .unwrap_or_default(),
        None => Vec::new(),
    };
    Locale::choose(&ui_locales, lang, headers)
}

/// The CSP of a page whose form continues the interaction `id` (if any).
pub async fn interaction_csp(state: &AppState, id: Option<&str>) -> String {
    let Some(id) = id else {
        return DEFAULT_CSP.to_owned();
    };
    match state.provider.load_interaction(id).await {
        Ok((_, request, _)) => csp_towards(&request.redirect_uri),
        Err(_) => DEFAULT_CSP.to_owned(),
    }
}

/// The CSP of a challenge page: towards the client of the challenge's interaction.
pub async fn challenge_csp(
    state: &AppState,
    accounts: &Accounts,
    id: &str,
    purpose: ChallengePurpose,
) -> String {
    match accounts.challenge(id, purpose).await {
        Ok(challenge) => interaction_csp(state, challenge.interaction_id.as_deref()).await,
        Err(_) => DEFAULT_CSP.to_owned(),
    }
}
