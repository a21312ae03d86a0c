//! `/admin/products`: the list and the creation form (its introspection api-key shown
//! once); a product's page with its settings, and its scopes with their ru/en
//! descriptions edited as lines `name | описание | description`.

use super::access::{operator, operator_form};
use super::views::{ProductLine, ProductView, ProductsView, SecretIssuedView};
use super::{after, encode, failure, item, nav, notice_text};
use crate::pages::{PageContext, join};
use axum::extract::{Extension, Form, Path, Query};
use axum::response::Response;
use propusk_core::accounts::Accounts;
use propusk_core::admin::{ProductChanges, ProductSpec, page_size};
use propusk_core::model::{Product, ProductScope, SubjectType, TokenFormat};
use propusk_types::routes::{self, with_id};
use serde::Deserialize;
use std::sync::Arc;

#[derive(Deserialize, Default)]
pub struct ListParams {
    cursor: Option<String>,
    notice: Option<String>,
}

#[derive(Deserialize)]
pub struct NewBody {
    csrf: Option<String>,
    #[serde(default)]
    audience: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    scopes: String,
    #[serde(default)]
    token_format: String,
    approval: Option<String>,
}

#[derive(Deserialize)]
pub struct ScopesBody {
    csrf: Option<String>,
    #[serde(default)]
    scopes: String,
}

/// Scopes from lines `name | ru | en` (descriptions optional).
fn parse_scopes(text: &str) -> Vec<ProductScope> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(|l| {
            let mut parts = l.splitn(3, '|').map(str::trim);
            let name = parts.next().unwrap_or_default().to_owned();
            let description = |p: Option<&str>| p.filter(|d| !d.is_empty()).map(str::to_owned);
            ProductScope {
                name,
                description_ru: description(parts.next()),
                description_en: description(parts.next()),
            }
        })
        .collect()
}

/// Scopes as lines `name | ru | en`.
fn scope_lines(scopes: &[ProductScope]) -> String {
    scopes
        .iter()
        .map(|s| {
            format!(
                "{} | {} | {}",
                s.name,
                s.description_ru.as_deref().unwrap_or_default(),
                s.description_en.as_deref().unwrap_or_default()
            )
        })
        .collect::<Vec<_>>()
        .join("\n")
}

fn line(context: &PageContext, p: &Product) -> ProductLine {
    ProductLine {
        audience: p.audience.clone(),
        name: p.name.clone(),
        scopes: p.scopes.iter().map(|s| s.name.clone()).collect(),
        token_format: p.token_format.as_str().to_owned(),
        approval_required: p.approval_required,
        href: item(context, routes::ADMIN_PRODUCT, &p.audience),
    }
}

/// GET `/admin/products`.
pub async fn list(
    mut context: PageContext,
    Extension(accounts): Extension<Arc<Accounts>>,
    Query(params): Query<ListParams>,
) -> Response {
    let at = routes::ADMIN_PRODUCTS;
    let operator = match operator(&mut context, &accounts, at).await {
        Ok(operator) => operator,
        Err(response) => return response,
    };
    let cursor = params.cursor.as_deref().filter(|c| !c.is_empty());
    let limit = page_size(None).unwrap_or(50);
    let page = match operator.admin.products(cursor, limit).await {
        Ok(page) => page,
        Err(error) => return failure(&context, error, at),
    };
    let view = ProductsView {
        nav: nav(&context, &operator, "products"),
        products: page.items.iter().map(|p| line(&context, p)).collect(),
        next_href: page
            .next_cursor
            .as_deref()
            .map(|c| join(at, &[context.lang_param(), format!("cursor={}", encode(c))])),
        notice: notice_text(&context, params.notice.as_deref()),
        create_action: super::here(&context, at),
        csrf: operator.csrf(&context),
    };
    context.page(at).render(&view)
}

/// POST `/admin/products`: created with pairwise subjects and the default alg; its
/// introspection api-key is shown once.
pub async fn create(
    mut context: PageContext,
    Extension(accounts): Extension<Arc<Accounts>>,
    Form(body): Form<NewBody>,
) -> Response {
    let at = routes::ADMIN_PRODUCTS;
    let operator = match operator_form(&mut context, &accounts, body.csrf.as_deref(), at).await {
        Ok(operator) => operator,
        Err(response) => return response,
    };
    let spec = ProductSpec {
        audience: body.audience.trim().to_owned(),
        name: Some(body.name.trim().to_owned()).filter(|n| !n.is_empty()),
        scopes: parse_scopes(&body.scopes),
        token_format: TokenFormat::parse(body.token_format.trim()).unwrap_or(TokenFormat::Jwt),
        signing_alg: None,
        approval_required: body.approval.as_deref() == Some("yes"),
        subject_type: SubjectType::Pairwise,
    };
    match operator.admin.create_product(&operator.actor, spec).await {
        Ok((product, issued)) => {
            let view = SecretIssuedView {
                nav: nav(&context, &operator, "products"),
                back_href: item(&context, routes::ADMIN_PRODUCT, &product.audience),
                client_id: product.audience,
                value: issued.value,
            };
            context.page(at).render(&view)
        }
        Err(error) => failure(&context, error, at),
    }
}

/// GET `/admin/products/{id}`.
pub async fn show(
    mut context: PageContext,
    Extension(accounts): Extension<Arc<Accounts>>,
    Path(audience): Path<String>,
    Query(params): Query<ListParams>,
) -> Response {
    let at = with_id(routes::ADMIN_PRODUCT, &encode(&audience));
    let operator = match operator(&mut context, &accounts, &at).await {
        Ok(operator) => operator,
        Err(response) => return response,
    };
    let product = match operator.admin.product(&audience).await {
        Ok(product) => product,
        Err(error) => return failure(&context, error, &at),
    };
    let view = ProductView {
        nav: nav(&context, &operator, "products"),
        summary: line(&context, &product),
        signing_alg: product.signing_alg.clone().unwrap_or_default(),
        subject_type: product.subject_type.as_str().to_owned(),
        created: super::when(Some(product.created_at)),
        scope_lines: scope_lines(&product.scopes),
        notice: notice_text(&context, params.notice.as_deref()),
        scopes_action: super::here(&context, &at),
        client_href: item(&context, routes::ADMIN_CLIENT, &product.audience),
        csrf: operator.csrf(&context),
        back_href: super::here(&context, routes::ADMIN_PRODUCTS),
    };
    context.page(&at).render(&view)
}

/// POST `/admin/products/{id}`: the whole new list of scopes.
pub async fn update(
    mut context: PageContext,
    Extension(accounts): Extension<Arc<Accounts>>,
    Path(audience): Path<String>,
    Form(body): Form<ScopesBody>,
) -> Response {
    let at = with_id(routes::ADMIN_PRODUCT, &encode(&audience));
    let operator = match operator_form(&mut context, &accounts, body.csrf.as_deref(), &at).await {
        Ok(operator) => operator,
        Err(response) => return response,
    };
    let changes = ProductChanges {
        scopes: Some(parse_scopes(&body.scopes)),
        ..ProductChanges::default()
    };
    match operator
        .admin
        .update_product(&operator.actor, &audience, changes)
        .await
    {
        Ok(_) => after(&context, &at, "saved"),
        Err(error) => failure(&context, error, &at),
    }
}

#[cfg(test)]
mod tests {
    use super::{parse_scopes, scope_lines};

    #[test]
    fn scopes_round_trip_as_lines() {
        let scopes = parse_scopes("extern.read | Чтение | Read\n\n extern.write \n");
        assert_eq!(scopes.len(), 2);
        assert_eq!(scopes[0].description_en.as_deref(), Some("Read"));
        assert_eq!(scopes[1].name, "extern.write");
        assert_eq!(scopes[1].description_ru, None);
        assert_eq!(parse_scopes(&scope_lines(&scopes)), scopes);
    }
}
