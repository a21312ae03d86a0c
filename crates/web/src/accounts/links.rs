//! URLs of the account pages (query parameters joined in one place, the language carried
//! from page to page), the language of a page that continues an authorization request,
//! and the CSP of a page whose form may end at the client (CSP 3 §6.4.1 applies
//! `form-action` to every redirect after a submission).

use crate::pages::{DEFAULT_CSP, PageContext, csp_towards, join};
use propusk_core::accounts::{Accounts, ChallengePurpose};
use propusk_types::routes;

/// A 303 back to a form page with `e=<key>` (and the page's own parameters), the answer
/// to a refused POST that the page explains from the key.
pub fn back_with_error(path: &str, params: &[String], key: &str) -> axum::response::Response {
    let mut all = params.to_vec();
    all.push(format!("e={key}"));
    crate::answer::see_other(&join(path, &all))
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
        None => routes::ACCOUNT_LOGIN.to_owned(),
    }
}

/// A page that may belong to the interaction `id`: its request's `ui_locales` count.
pub async fn prefer_interaction(context: &mut PageContext, id: Option<&str>) {
    if let Some(id) = id
        && let Ok((_, request, _)) = context.state.provider.load_interaction(id).await
    {
        context.prefer(&request.ui_locales);
    }
}

/// The CSP of a page whose form continues the interaction `id` (if any).
pub async fn interaction_csp(context: &PageContext, id: Option<&str>) -> String {
    let Some(id) = id else {
        return DEFAULT_CSP.to_owned();
    };
    match context.state.provider.load_interaction(id).await {
        Ok((_, request, _)) => csp_towards(&request.redirect_uri),
        Err(_) => DEFAULT_CSP.to_owned(),
    }
}

/// The CSP of a challenge page: towards the client of the challenge's interaction.
pub async fn challenge_csp(
    context: &PageContext,
    accounts: &Accounts,
    id: &str,
    purpose: ChallengePurpose,
) -> String {
    match accounts.challenge(id, purpose).await {
        Ok(challenge) => interaction_csp(context, challenge.interaction_id.as_deref()).await,
        Err(_) => DEFAULT_CSP.to_owned(),
    }
}
