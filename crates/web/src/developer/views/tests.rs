//! Every cabinet template rendered in both languages with values that must be escaped,
//! each form with its CSRF token and no text key left untranslated.

use super::*;
use crate::pages::{Frame, Switch, render_view};
use crate::theme::{DEFAULT_TEMPLATES, Theme};
use propusk_texts::Locale;

fn render<V: View>(theme: &Theme, locale: Locale, view: &V) -> String {
    let frame = Frame {
        lang: locale.code(),
        operator: "Propusk",
        logo: "/static/logo.svg",
        languages: vec![Switch {
            href: "/x?lang=en".into(),
            lang: "en",
            name: "English",
        }],
    };
    render_view(theme, locale, &frame, view).expect("renders")
}

const HOSTILE: &str = "<App & Co>";

fn app_view() -> AppView {
    AppView {
        name: HOSTILE.into(),
        client_id: "app-1".into(),
        type_label: "Web".into(),
        scheme: "code".into(),
        public: false,
        uses_redirects: true,
        uses_keys: true,
        logo_src: Some("/developer/logos/app-1".into()),
        test_callback: "https://id.example/developer/callback".into(),
        csrf: "tok".into(),
        settings_action: "/developer/apps/app-1".into(),
        settings: SettingsForm {
            name: HOSTILE.into(),
            client_uri: String::new(),
            policy_uri: String::new(),
            tos_uri: String::new(),
            redirect_uris: "https://rp.example/cb".into(),
            post_logout_redirect_uris: String::new(),
            backchannel_logout_uri: String::new(),
            frontchannel_logout_uri: String::new(),
            access_token_lifetime: "3600".into(),
            id_token_lifetime: "3600".into(),
            refresh_token_lifetime: "2592000".into(),
            pairwise: false,
            private_key_jwt: true,
            jwks_uri: HOSTILE.into(),
            jwks: HOSTILE.into(),
        },
        settings_error: Some(HOSTILE.into()),
        lifetime_hint: "hint".into(),
        keys: vec![
            KeyLine {
                id: "k1".into(),
                name: HOSTILE.into(),
                created: "2026-12-07 01:00".into(),
                expires: None,
                last_used: Some("2026-12-07 02:00".into()),
                revoked: None,
                revoke_action: "/developer/apps/app-1/keys/k1/revoke".into(),
            },
            KeyLine {
                id: "k2".into(),
                name: "old".into(),
                created: "2026-12-07 01:00".into(),
                expires: Some("2027-01-01 00:00".into()),
                last_used: None,
                revoked: Some("2026-12-07 03:00".into()),
                revoke_action: "/developer/apps/app-1/keys/k2/revoke".into(),
            },
        ],
        keys_action: "/developer/apps/app-1/keys".into(),
        keys_error: None,
        allowed_scopes: vec!["openid".into()],
        requests: vec![ScopeRequestLine {
            scope: "orders.read".into(),
            product: "orders".into(),
            status: "pending",
            status_label: "pending".into(),
        }],
        scope_options: vec![ScopeOption {
            scope: "orders.write".into(),
            product: HOSTILE.into(),
            approval: true,
        }],
        scopes_action: "/developer/apps/app-1/scopes".into(),
        scopes_error: None,
        owners: vec![OwnerLine {
            who: HOSTILE.into(),
        }],
        team_action: "/developer/apps/app-1/team".into(),
        team_error: None,
        logo_action: "/developer/apps/app-1/logo".into(),
        logo_error: None,
        usage: vec![UsageLine {
            day: "2026-12-07".into(),
            sign_ins: 2,
            tokens: 5,
        }],
        quickstart_href: "/developer/apps/app-1/quickstart".into(),
        docs_href: "/docs?app=app-1".into(),
        test_href: Some("/developer/apps/app-1/test".into()),
        apps_href: "/developer/apps".into(),
        notice: None,
    }
}

fn pages(theme: &Theme, locale: Locale) -> Vec<(&'static str, String)> {
    vec![
        (
            TermsView::TEMPLATE,
            render(
                theme,
                locale,
                &TermsView {
                    who: HOSTILE.into(),
                    action: "/developer".into(),
                    csrf: "tok".into(),
                    error: Some("err".into()),
                },
            ),
        ),
        (
            AppsView::TEMPLATE,
            render(
                theme,
                locale,
                &AppsView {
                    apps: vec![AppLine {
                        name: HOSTILE.into(),
                        client_id: "app-1".into(),
                        type_label: "Web".into(),
                        href: "/developer/apps/app-1".into(),
                    }],
                    new_href: "/developer/apps/new".into(),
                    notice: None,
                },
            ),
        ),
        (
            NewAppView::TEMPLATE,
            render(
                theme,
                locale,
                &NewAppView {
                    action: "/developer/apps/new".into(),
                    csrf: "tok".into(),
                    name: HOSTILE.into(),
                    types: vec![TypeChoice {
                        value: "web",
                        label: "Web".into(),
                        about: HOSTILE.into(),
                        checked: true,
                    }],
                    client_uri: String::new(),
                    policy_uri: String::new(),
                    tos_uri: String::new(),
                    error: Some("err".into()),
                    back_href: "/developer/apps".into(),
                },
            ),
        ),
        (AppView::TEMPLATE, render(theme, locale, &app_view())),
        (
            KeyCreatedView::TEMPLATE,
            render(
                theme,
                locale,
                &KeyCreatedView {
                    app_name: HOSTILE.into(),
                    client_id: "app-1".into(),
                    key_name: HOSTILE.into(),
                    value: "s3cr3t".into(),
                    expires: None,
                    back_href: "/developer/apps/app-1".into(),
                },
            ),
        ),
        (
            QuickstartView::TEMPLATE,
            render(
                theme,
                locale,
                &QuickstartView {
                    name: HOSTILE.into(),
                    client_id: "app-1".into(),
                    type_label: "Web".into(),
                    scheme: "code".into(),
                    redirect_uri: None,
                    urls: vec![UrlLine {
                        label: "Token".into(),
                        url: "https://id.example/connect/token".into(),
                    }],
                    snippets: vec![Snippet {
                        id: "curl",
                        title: "curl".into(),
                        code: "curl -d 'a=<b>' \"$X\"".into(),
                    }],
                    back_href: "/developer/apps/app-1".into(),
                },
            ),
        ),
        (
            TestView::TEMPLATE,
            render(
                theme,
                locale,
                &TestView {
                    name: HOSTILE.into(),
                    device: None,
                    error: None,
                    id_token: Some("{\"sub\": \"<Bob>\"}".into()),
                    access_token: "ref".into(),
                    access_token_claims: None,
                    userinfo: Some("{}".into()),
                    again_href: Some("/developer/apps/app-1/test".into()),
                    back_href: "/developer/apps/app-1".into(),
                },
            ),
        ),
        (
            TestView::TEMPLATE,
            render(
                theme,
                locale,
                &TestView {
                    name: HOSTILE.into(),
                    device: Some(DeviceStep {
                        user_code: "BDWP-HQPK".into(),
                        verify_href: "/device?user_code=BDWPHQPK".into(),
                        poll_href: "/developer/apps/app-1/test?poll=1".into(),
                        pending: true,
                    }),
                    error: None,
                    id_token: None,
                    access_token: String::new(),
                    access_token_claims: None,
                    userinfo: None,
                    again_href: None,
                    back_href: "/developer/apps/app-1".into(),
                },
            ),
        ),
    ]
}

#[test]
fn every_cabinet_template_renders_in_both_languages_and_escapes() {
    let theme = Theme::builtin();
    for locale in [Locale::RU, Locale::EN] {
        let pages = pages(&theme, locale);
        let names: Vec<&str> = pages.iter().map(|p| p.0).collect();
        for (name, _) in DEFAULT_TEMPLATES {
            assert!(
                !name.starts_with("developer_") || names.contains(name),
                "{name} has no rendering test"
            );
        }
        for (name, html) in &pages {
            assert!(
                html.contains(&format!("lang=\"{}\"", locale.code())),
                "{name}"
            );
            assert!(!html.contains("<script"), "{name}");
            assert!(
                !html.contains("<App") && !html.contains("<Bob>"),
                "{name}: {html}"
            );
            assert_eq!(
                html.matches("method=\"post\"").count(),
                html.matches("name=\"csrf\"").count(),
                "{name}: a CSRF token in every form"
            );
            assert!(
                !html.contains("{ $") && !html.contains("{{"),
                "{name}: {html}"
            );
            assert!(
                !html.contains("developer-"),
                "{name}: a key left untranslated"
            );
        }
        let app = &pages
            .iter()
            .find(|p| p.0 == AppView::TEMPLATE)
            .expect("app")
            .1;
        assert_eq!(
            app.matches("/revoke\"").count(),
            1,
            "only the live key can be revoked"
        );
        assert!(app.contains("enctype=\"multipart/form-data\""));
    }
}
