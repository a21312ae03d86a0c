//! `/account/certificates`: the certificates that sign the account in (X.509, qualified
//! e-signature ones among them), with their owner, the Russian identifiers they carry
//! (INN, SNILS, OGRN), issuer and expiry, and **Remove** for each: a removed certificate
//! no longer signs anyone in. Below the list, the form that starts binding one more by
//! proof of possession (`super::certificate_binding`).

use super::super::security::{purpose, signed_in, signed_in_form_of};
use super::views::{AccountCertificatesView, CertificateLine};
use super::{reauth_href, when};
use crate::answer::see_other;
use crate::pages::{PageContext, join};
use axum::extract::{Extension, Form, Query};
use axum::response::Response;
use propusk_core::accounts::Accounts;
use propusk_core::model::{Account, CertificateBinding, Session};
use propusk_texts::key;
use propusk_types::routes;
use serde::Deserialize;
use std::sync::Arc;

#[derive(Deserialize, Default)]
pub struct CertificatesQuery {
    notice: Option<String>,
    e: Option<String>,
}

#[derive(Deserialize)]
pub struct RemoveForm {
    csrf: Option<String>,
    #[serde(default)]
    thumbprint: String,
}

pub(super) fn line(binding: &CertificateBinding, now: i64) -> CertificateLine {
    let id = &binding.identity;
    let person = match (&id.surname, &id.given_name) {
        (Some(surname), Some(given)) => Some(format!("{surname} {given}")),
        _ => None,
    };
    CertificateLine {
        thumbprint: binding.thumbprint.clone(),
        owner: person
            .or_else(|| id.common_name.clone())
            .unwrap_or_else(|| binding.subject.clone()),
        organization: id.organization.clone(),
        inn: id.inn.clone(),
        inn_legal: id.inn_legal.clone(),
        ogrn: id.ogrn.clone(),
        ogrnip: id.ogrnip.clone(),
        snils: id.snils.clone(),
        email: id.email.clone(),
        issuer: binding.issuer.clone(),
        expires: when(binding.not_after),
        expired: binding.not_after <= now,
    }
}

/// GET `/account/certificates`.
pub async fn show(
    mut context: PageContext,
    Extension(accounts): Extension<Arc<Accounts>>,
    Query(query): Query<CertificatesQuery>,
) -> Response {
    let (session, account) = match signed_in(&mut context).await {
        Ok(found) => found,
        Err(response) => return response,
    };
    let notice = match query.notice.as_deref() {
        Some("removed") => Some(context.text(key!("cabinet-certificate-removed"))),
        Some("none") => Some(context.text(key!("cabinet-certificate-gone"))),
        Some("bound") => Some(context.text(key!("certbind-bound"))),
        _ => None,
    };
    let error = (query.e.as_deref() == Some("expired")).then(|| context.text(key!("form-expired")));
    let shown = Shown {
        notice,
        error,
        add_error: None,
    };
    page(&context, &accounts, &session, &account, shown).await
}

/// What the page shows beyond the bound certificates.
pub(super) struct Shown {
    pub notice: Option<String>,
    pub error: Option<String>,
    /// Why the certificate handed in cannot be bound (the page answers 400 then).
    pub add_error: Option<String>,
}

/// The page of the account's certificates.
pub(super) async fn page(
    context: &PageContext,
    accounts: &Accounts,
    session: &Session,
    account: &Account,
    shown: Shown,
) -> Response {
    let found = match accounts.provider.account_certificates(&account.id).await {
        Ok(found) => found,
        Err(error) => return context.error_page(&error, routes::ACCOUNT_CERTIFICATES),
    };
    let fresh = match accounts.is_fresh(session).await {
        Ok(fresh) => fresh,
        Err(error) => return context.error_page(&error, routes::ACCOUNT_CERTIFICATES),
    };
    let now = accounts.provider.now();
    let lang = context.lang_param();
    let status = crate::error::form_status(shown.add_error.is_some());
    let view = AccountCertificatesView {
        certificates: found.iter().map(|b| line(b, now)).collect(),
        csrf: context.csrf_token(&purpose(session)),
        remove_action: join(
            routes::ACCOUNT_CERTIFICATES_REMOVE,
            std::slice::from_ref(&lang),
        ),
        add_action: join(
            routes::ACCOUNT_CERTIFICATES_ADD,
            std::slice::from_ref(&lang),
        ),
        fresh,
        reauth_href: reauth_href(context, routes::ACCOUNT_CERTIFICATES),
        add_error: shown.add_error,
        notice: shown.notice,
        error: shown.error,
        back_href: join(routes::ACCOUNT, &[lang]),
    };
    context
        .page(routes::ACCOUNT_CERTIFICATES)
        .status(status)
        .render(&view)
}

/// POST `/account/certificates/remove`: `thumbprint=<hex SHA-1>`.
pub async fn remove(
    mut context: PageContext,
    Extension(accounts): Extension<Arc<Accounts>>,
    Form(form): Form<RemoveForm>,
) -> Response {
    let back = |context: &PageContext, extra: &str| {
        see_other(&join(
            routes::ACCOUNT_CERTIFICATES,
            &[context.lang_param(), extra.to_owned()],
        ))
    };
    let page = routes::ACCOUNT_CERTIFICATES;
    let account = match signed_in_form_of(&mut context, form.csrf.as_deref(), page).await {
        Ok((_, account)) => account,
        Err(response) => return response,
    };
    match accounts
        .remove_certificate(&account, &form.thumbprint, &context.ip)
        .await
    {
        Ok(true) => back(&context, "notice=removed"),
        Ok(false) => back(&context, "notice=none"),
        Err(error) => context.error_page(&error, routes::ACCOUNT_CERTIFICATES),
    }
}
