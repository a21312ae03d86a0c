//! Every console template rendered in both languages with values that must be escaped,
//! each form with its CSRF token and no text key left untranslated.

use super::*;
use crate::pages::{Frame, Switch, View, render_view};
use crate::theme::{DEFAULT_TEMPLATES, Theme};
use propusk_texts::Locale;

const HOSTILE: &str = "<Bob & Co>";

fn render<V: View>(theme: &Theme, locale: Locale, view: &V) -> String {
    let frame = Frame {
        lang: locale.code(),
        operator: "Propusk",
        logo: "/static/logo.svg",
        languages: vec![Switch {
            href: "/admin?lang=en".into(),
            lang: "en",
            name: "English",
        }],
    };
    render_view(theme, locale, &frame, view).expect("renders")
}

fn nav() -> Nav {
    Nav {
        links: vec![NavLink {
            id: "users",
            label: "Users".into(),
            href: "/admin/users".into(),
            current: true,
        }],
        who: HOSTILE.into(),
        cabinet_href: "/account".into(),
    }
}

fn action(id: &'static str, confirm: bool) -> ActionForm {
    ActionForm {
        id,
        action: format!("/admin/users/u1/{id}"),
        label: id.into(),
        confirm: confirm.then(|| "Sure".into()),
        danger: confirm,
    }
}

fn client_line() -> ClientLine {
    ClientLine {
        id: "c1".into(),
        name: HOSTILE.into(),
        kind: "client_secret_basic".into(),
        suspended: false,
        product: String::new(),
        href: "/admin/clients/c1".into(),
    }
}

fn product_line() -> ProductLine {
    ProductLine {
        audience: "p1".into(),
        name: HOSTILE.into(),
        scopes: vec!["p1.read".into()],
        token_format: "jwt".into(),
        approval_required: true,
        href: "/admin/products/p1".into(),
    }
}

fn pages(theme: &Theme, locale: Locale) -> Vec<(&'static str, String)> {
    vec![
        (
            FactorView::TEMPLATE,
            render(
                theme,
                locale,
                &FactorView {
                    enrolled: true,
                    security_href: "/account/security".into(),
                    sign_out_action: "/account/sign-out".into(),
                    csrf: "tok".into(),
                },
            ),
        ),
        (
            DashboardView::TEMPLATE,
            render(
                theme,
                locale,
                &DashboardView {
                    nav: nav(),
                    day: "2026-12-07".into(),
                    tiles: vec![Tile {
                        id: "sign-ins",
                        label: "sign-ins".into(),
                        count: 3,
                        href: "/admin/audit?kind=sign_in".into(),
                    }],
                    kinds: vec![("sign_in".into(), 3, "/admin/audit?kind=sign_in".into())],
                    tokens: vec![(
                        "client_credentials".into(),
                        2,
                        "/admin/audit?kind=token_issued".into(),
                    )],
                },
            ),
        ),
        (
            UsersView::TEMPLATE,
            render(
                theme,
                locale,
                &UsersView {
                    nav: nav(),
                    action: "/admin/users".into(),
                    chosen_lang: Some("en"),
                    q: HOSTILE.into(),
                    users: vec![UserLine {
                        id: "u1".into(),
                        login: HOSTILE.into(),
                        name: HOSTILE.into(),
                        email: "bob@example.com".into(),
                        phone: String::new(),
                        blocked: true,
                        href: "/admin/users/u1".into(),
                    }],
                    next_href: Some("/admin/users?cursor=x".into()),
                },
            ),
        ),
        (
            UserView::TEMPLATE,
            render(
                theme,
                locale,
                &UserView {
                    nav: nav(),
                    id: "u1".into(),
                    login: HOSTILE.into(),
                    name: HOSTILE.into(),
                    email: "bob@example.com".into(),
                    email_verified: true,
                    phone: "+79001234567".into(),
                    phone_verified: false,
                    blocked: false,
                    operator: true,
                    second_factor: true,
                    created: "2026-12-07 01:01 UTC".into(),
                    notice: Some(HOSTILE.into()),
                    csrf: "tok".into(),
                    actions: vec![action("block", false), action("delete", true)],
                    audit_href: "/admin/audit?account_id=u1".into(),
                    back_href: "/admin/users".into(),
                },
            ),
        ),
        (
            AuditView::TEMPLATE,
            render(
                theme,
                locale,
                &AuditView {
                    nav: nav(),
                    action: "/admin/audit".into(),
                    chosen_lang: None,
                    account_id: HOSTILE.into(),
                    client_id: String::new(),
                    kind: "sign_in".into(),
                    kinds: vec!["sign_in", "lockout"],
                    since: "2026-12-07".into(),
                    until: String::new(),
                    error: None,
                    events: vec![EventLine {
                        at: "2026-12-07 01:01 UTC".into(),
                        kind: "sign_in".into(),
                        account: "u1".into(),
                        account_href: Some("/admin/users/u1".into()),
                        client: String::new(),
                        actor: "operator:u2".into(),
                        ip: "127.0.0.1".into(),
                        detail: HOSTILE.into(),
                    }],
                    next_href: None,
                },
            ),
        ),
        (
            KeysView::TEMPLATE,
            render(
                theme,
                locale,
                &KeysView {
                    nav: nav(),
                    keys: vec![KeyLine {
                        kid: "k1".into(),
                        alg: "RS256".into(),
                        state: "active",
                        state_label: "active".into(),
                        created: "2026-12-07 01:01 UTC".into(),
                        active_from: "2026-12-07 01:01 UTC".into(),
                        retired: String::new(),
                        unpublish: String::new(),
                    }],
                    notice: None,
                    rotate_action: "/admin/keys/rotate".into(),
                    csrf: "tok".into(),
                },
            ),
        ),
        (
            ClientsView::TEMPLATE,
            render(
                theme,
                locale,
                &ClientsView {
                    nav: nav(),
                    clients: vec![client_line()],
                    next_href: None,
                },
            ),
        ),
        (
            ClientView::TEMPLATE,
            render(
                theme,
                locale,
                &ClientView {
                    nav: nav(),
                    summary: client_line(),
                    grant_types: vec!["authorization_code".into()],
                    scope: "openid".into(),
                    redirect_uris: "https://rp.example/cb".into(),
                    uses_redirects: true,
                    created: "2026-12-07 01:01 UTC".into(),
                    notice: None,
                    csrf: "tok".into(),
                    suspend_action: "/admin/clients/c1/suspend".into(),
                    redirects_action: "/admin/clients/c1/redirect-uris".into(),
                    secret_action: "/admin/clients/c1/secrets".into(),
                    revoke_action: "/admin/clients/c1/secrets/revoke".into(),
                    secrets: Some(vec![SecretLine {
                        id: "k1".into(),
                        name: HOSTILE.into(),
                        created: String::new(),
                        expires: String::new(),
                        last_used: String::new(),
                        revoked: String::new(),
                        live: true,
                    }]),
                    audit_href: "/admin/audit?client_id=c1".into(),
                    back_href: "/admin/clients".into(),
                },
            ),
        ),
        (
            SecretIssuedView::TEMPLATE,
            render(
                theme,
                locale,
                &SecretIssuedView {
                    nav: nav(),
                    client_id: "c1".into(),
                    value: "s3cr3t".into(),
                    back_href: "/admin/clients/c1".into(),
                },
            ),
        ),
        (
            ProductsView::TEMPLATE,
            render(
                theme,
                locale,
                &ProductsView {
                    nav: nav(),
                    products: vec![product_line()],
                    next_href: None,
                    notice: None,
                    create_action: "/admin/products".into(),
                    csrf: "tok".into(),
                },
            ),
        ),
        (
            ProductView::TEMPLATE,
            render(
                theme,
                locale,
                &ProductView {
                    nav: nav(),
                    summary: product_line(),
                    signing_alg: String::new(),
                    subject_type: "pairwise".into(),
                    created: String::new(),
                    scope_lines: HOSTILE.into(),
                    notice: None,
                    scopes_action: "/admin/products/p1".into(),
                    client_href: "/admin/clients/p1".into(),
                    csrf: "tok".into(),
                    back_href: "/admin/products".into(),
                },
            ),
        ),
        (
            IssuersView::TEMPLATE,
            render(
                theme,
                locale,
                &IssuersView {
                    nav: nav(),
                    issuers: vec![IssuerLine {
                        issuer: HOSTILE.into(),
                        keys: 1,
                        client_ids: vec!["c1".into()],
                        subject: "login",
                        created: String::new(),
                    }],
                    notice: None,
                    save_action: "/admin/trusted-issuers".into(),
                    remove_action: "/admin/trusted-issuers/remove".into(),
                    csrf: "tok".into(),
                },
            ),
        ),
        (
            RequestsView::TEMPLATE,
            render(
                theme,
                locale,
                &RequestsView {
                    nav: nav(),
                    all: false,
                    toggle_href: "/admin/scope-requests?show=all".into(),
                    requests: vec![RequestLine {
                        id: "r1".into(),
                        client_id: "c1".into(),
                        client_href: "/admin/clients/c1".into(),
                        audience: "p1".into(),
                        scope: "p1.read".into(),
                        status: "pending",
                        pending: true,
                        created: String::new(),
                        action: "/admin/scope-requests/r1".into(),
                    }],
                    notice: None,
                    csrf: "tok".into(),
                },
            ),
        ),
    ]
}

#[test]
fn every_console_template_renders_in_both_languages_and_escapes() {
    let theme = Theme::builtin();
    for locale in [Locale::RU, Locale::EN] {
        let pages = pages(&theme, locale);
        let names: Vec<&str> = pages.iter().map(|p| p.0).collect();
        for (name, _) in DEFAULT_TEMPLATES {
            assert!(
                !name.starts_with("admin_") || *name == "admin_base.html" || names.contains(name),
                "{name} has no rendering test"
            );
        }
        for (name, html) in &pages {
            assert!(
                html.contains(&format!("lang=\"{}\"", locale.code())),
                "{name}"
            );
            assert!(!html.contains("<script"), "{name}");
            assert!(!html.contains("<Bob"), "{name}: {html}");
            assert_eq!(
                html.matches("method=\"post\"").count(),
                html.matches("name=\"csrf\"").count(),
                "{name}: a CSRF token in every form"
            );
            assert!(
                !html.contains("{ $") && !html.contains("{{"),
                "{name}: {html}"
            );
            assert!(!html.contains("admin-"), "{name}: a key left untranslated");
        }
    }
}

#[test]
fn only_a_sign_in_with_a_second_factor_opens_the_console() {
    use propusk_core::model::Session;
    let session = |amr: &[&str]| Session {
        id: "s".into(),
        secret_hash: String::new(),
        account_id: "a".into(),
        auth_time: 0,
        acr: None,
        amr: amr.iter().map(|m| (*m).to_owned()).collect(),
        created_at: 0,
        last_active_at: 0,
        expires_at: 1,
        ended_at: None,
    };
    assert!(access::with_second_factor(&session(&["pwd", "otp", "mfa"])));
    assert!(access::with_second_factor(&session(&["pwd", "sms", "mfa"])));
    assert!(!access::with_second_factor(&session(&["pwd"])));
    assert!(
        !access::with_second_factor(&session(&["sms"])),
        "an SMS code alone is one factor"
    );
}
