//! GET `/account`: who is signed in, a short state of each section of the cabinet, and
//! warnings (no second factor, an unconfirmed e-mail); operators get a link to the console.

use super::super::security::{purpose, signed_in};
use super::views::{AccountOverviewView, SectionLine};
use crate::pages::{PageContext, join};
use axum::extract::Extension;
use axum::response::Response;
use propusk_core::accounts::Accounts;
use propusk_core::error::Result;
use propusk_core::model::Account;
use propusk_texts::key;
use propusk_types::routes;
use std::sync::Arc;

/// What the overview counts.
struct State {
    second_factor: bool,
    live_sessions: i64,
    accesses: i64,
    certificates: i64,
    passkeys: i64,
    operator: bool,
}

async fn state(accounts: &Accounts, account: &Account) -> Result<State> {
    let store = &accounts.provider.store;
    let now = accounts.provider.now();
    let security = accounts.security_overview(account).await?;
    let sessions = store.list_sessions(&account.id).await?;
    let consents = store.list_consents(&account.id).await?;
    let certificates = store.account_certificates(&account.id).await?;
    let passkeys = accounts.passkeys(&account.id).await?;
    Ok(State {
        second_factor: security.totp || security.sms || !passkeys.is_empty(),
        live_sessions: sessions.iter().filter(|s| s.is_live(now)).count() as i64,
        accesses: consents.len() as i64,
        certificates: certificates.len() as i64,
        passkeys: passkeys.len() as i64,
        operator: store.is_operator(&account.id).await?,
    })
}

pub async fn show(
    mut context: PageContext,
    Extension(accounts): Extension<Arc<Accounts>>,
) -> Response {
    let (session, account) = match signed_in(&mut context).await {
        Ok(found) => found,
        Err(response) => return response,
    };
    let state = match state(&accounts, &account).await {
        Ok(state) => state,
        Err(error) => return context.error_page(&error, routes::ACCOUNT),
    };
    let lang = context.lang_param();
    let link = |path: &str| Some(join(path, std::slice::from_ref(&lang)));
    let mut warnings = Vec::new();
    if !state.second_factor {
        warnings.push(context.text(key!("cabinet-warn-no-factor")));
    }
    if account.email.is_some() && !account.profile.email_verified {
        warnings.push(context.text(key!("cabinet-warn-email")));
    }
    let contact = |value: &Option<String>, verified: bool| match value {
        Some(v) if verified => format!("{v} ({})", context.text(key!("cabinet-verified"))),
        Some(v) => format!("{v} ({})", context.text(key!("cabinet-unverified"))),
        None => context.text(key!("cabinet-none")),
    };
    let on_off = |on: bool| {
        context.text(if on {
            key!("state-on")
        } else {
            key!("state-off")
        })
    };
    let mut sections = vec![
        SectionLine {
            id: "profile",
            title: context.text(key!("cabinet-profile")),
            state: super::display_name(&account),
            href: link(routes::ACCOUNT_PROFILE),
        },
        SectionLine {
            id: "email",
            title: context.text(key!("cabinet-email")),
            state: contact(&account.email, account.profile.email_verified),
            href: link(routes::ACCOUNT_PROFILE),
        },
        SectionLine {
            id: "phone",
            title: context.text(key!("cabinet-phone")),
            state: contact(&account.phone, account.profile.phone_number_verified),
            href: link(routes::ACCOUNT_PROFILE),
        },
        SectionLine {
            id: "security",
            title: context.text(key!("cabinet-second-factor")),
            state: on_off(state.second_factor),
            href: link(routes::ACCOUNT_SECURITY),
        },
        SectionLine {
            id: "sessions",
            title: context.text(key!("cabinet-sessions")),
            state: context.format(
                key!("cabinet-sessions-live"),
                &[("n", state.live_sessions.into())],
            ),
            href: link(routes::ACCOUNT_SESSIONS),
        },
        SectionLine {
            id: "accesses",
            title: context.text(key!("cabinet-accesses")),
            state: context.format(
                key!("cabinet-accesses-count"),
                &[("n", state.accesses.into())],
            ),
            href: link(routes::ACCOUNT_ACCESSES),
        },
        SectionLine {
            id: "passkeys",
            title: context.text(key!("passkeys-title")),
            state: context.format(key!("passkeys-count"), &[("n", state.passkeys.into())]),
            href: link(routes::ACCOUNT_PASSKEYS),
        },
        SectionLine {
            id: "certificates",
            title: context.text(key!("cabinet-certificates")),
            state: context.format(
                key!("cabinet-certificates-count"),
                &[("n", state.certificates.into())],
            ),
            href: link(routes::ACCOUNT_CERTIFICATES),
        },
        SectionLine {
            id: "history",
            title: context.text(key!("cabinet-history")),
            state: String::new(),
            href: link(routes::ACCOUNT_HISTORY),
        },
        SectionLine {
            id: "export",
            title: context.text(key!("cabinet-export")),
            state: String::new(),
            href: link(routes::ACCOUNT_EXPORT),
        },
        SectionLine {
            id: "delete",
            title: context.text(key!("cabinet-delete-title")),
            state: String::new(),
            href: link(routes::ACCOUNT_DELETE),
        },
    ];
    if state.operator {
        sections.push(SectionLine {
            id: "console",
            title: context.text(key!("admin-console-link")),
            state: String::new(),
            href: link(routes::ADMIN),
        });
    }
    let view = AccountOverviewView {
        who: super::display_name(&account),
        login: account.login.clone(),
        warnings,
        sections,
        csrf: context.csrf_token(&purpose(&session)),
        sign_out_action: join(routes::ACCOUNT_SIGN_OUT, &[lang]),
    };
    context.page(routes::ACCOUNT).render(&view)
}
