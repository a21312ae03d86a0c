//! Every cabinet template rendered in both languages with values that must be escaped,
//! and the guard of `next` against open redirects.

use super::safe_next;
use super::views::*;
use crate::pages::{Frame, Switch, View, render_view};
use crate::theme::{DEFAULT_TEMPLATES, Theme};
use propusk_texts::Locale;

fn render<V: View>(theme: &Theme, locale: Locale, view: &V) -> String {
    let frame = Frame {
        lang: locale.code(),
        operator: "Propusk",
        logo: "/static/logo.svg",
        languages: vec![Switch {
            href: "/account?lang=en".into(),
            lang: "en",
            name: "English",
        }],
    };
    render_view(theme, locale, &frame, view).expect("renders")
}

fn pages(theme: &Theme, locale: Locale) -> Vec<(&'static str, String)> {
    let t = |key: &str| theme.texts.text(locale, key);
    vec![
        (
            AccountOverviewView::TEMPLATE,
            render(
                theme,
                locale,
                &AccountOverviewView {
                    who: "<Bob>".into(),
                    login: "bob".into(),
                    warnings: vec![t("cabinet-warn-no-factor")],
                    sections: vec![SectionLine {
                        id: "security",
                        title: t("cabinet-second-factor"),
                        state: t("state-off"),
                        href: Some("/account/security".into()),
                    }],
                    csrf: "tok".into(),
                    sign_out_action: "/account/sign-out".into(),
                },
            ),
        ),
        (
            AccountReauthView::TEMPLATE,
            render(
                theme,
                locale,
                &AccountReauthView {
                    who: "<Bob>".into(),
                    action: "/account/reauth".into(),
                    csrf: "tok".into(),
                    next: "/account/security".into(),
                    password: true,
                    totp: true,
                    error: Some(t("cabinet-current-wrong")),
                    field: "password",
                    back_href: "/account/security".into(),
                },
            ),
        ),
        (
            AccountAccessesView::TEMPLATE,
            render(
                theme,
                locale,
                &AccountAccessesView {
                    accesses: vec![AccessLine {
                        client_id: "app\"1".into(),
                        name: "<Bob> & Co".into(),
                        logo_src: Some("/developer/logos/app\"1".into()),
                        integrator: Some("<Eve> & Co".into()),
                        product: Some("Extern".into()),
                        scopes: vec![crate::pages::ScopeLine {
                            text: t("scope-email"),
                            product: None,
                        }],
                        granted: super::when(1_700_000_000),
                        last_used: Some(super::when(1_700_000_600)),
                    }],
                    csrf: "tok".into(),
                    revoke_action: "/account/accesses/revoke".into(),
                    notice: Some(t("cabinet-access-revoked")),
                    error: None,
                    back_href: "/account".into(),
                },
            ),
        ),
        (
            AccountSessionsView::TEMPLATE,
            render(
                theme,
                locale,
                &AccountSessionsView {
                    sessions: vec![
                        SessionLine {
                            id: "s1".into(),
                            device: "Firefox, Linux".into(),
                            ip: "192.0.2.1".into(),
                            started: super::when(1_700_000_000),
                            last_seen: super::when(1_700_000_600),
                            applications: vec!["<Bob> app".into()],
                            current: true,
                        },
                        SessionLine {
                            id: "s2".into(),
                            device: "<Bob>".into(),
                            ip: "192.0.2.2".into(),
                            started: super::when(1_700_000_000),
                            last_seen: super::when(1_700_000_600),
                            applications: vec![],
                            current: false,
                        },
                    ],
                    csrf: "tok".into(),
                    end_action: "/account/sessions/end".into(),
                    others_action: "/account/sessions/others".into(),
                    notice: Some(t("cabinet-session-ended")),
                    error: None,
                    frames: vec!["https://rp.example/fc?iss=x&sid=s2".into()],
                    back_href: "/account".into(),
                },
            ),
        ),
        (
            AccountProfileView::TEMPLATE,
            render(
                theme,
                locale,
                &AccountProfileView {
                    given_name: "<Bob>".into(),
                    family_name: "Smith".into(),
                    middle_name: String::new(),
                    nickname: "bob\"".into(),
                    languages: vec![LanguageChoice {
                        code: "en",
                        name: "English".into(),
                        selected: true,
                    }],
                    email: Some("bob@example.com".into()),
                    email_verified: false,
                    phone: None,
                    phone_verified: false,
                    csrf: "tok".into(),
                    action: "/account/profile".into(),
                    contact_action: "/account/profile/contact".into(),
                    field: Some("family_name"),
                    error: Some(t("cabinet-name-invalid")),
                    typed_contact: String::new(),
                    notice: None,
                    back_href: "/account".into(),
                },
            ),
        ),
        (
            AccountHistoryView::TEMPLATE,
            render(
                theme,
                locale,
                &AccountHistoryView {
                    events: vec![EventLine {
                        kind: "sign_in",
                        at: super::when(1_700_000_000),
                        text: t("cabinet-event-sign-in"),
                        detail: Some("<Bob>".into()),
                        ip: Some("192.0.2.1".into()),
                    }],
                    next_href: Some("/account/history?before_at=1&before_id=x".into()),
                    first_href: None,
                    back_href: "/account".into(),
                },
            ),
        ),
        (
            AccountDeleteView::TEMPLATE,
            render(
                theme,
                locale,
                &AccountDeleteView {
                    deleted: false,
                    who: "<Bob>".into(),
                    fresh: false,
                    csrf: "tok".into(),
                    action: "/account/delete".into(),
                    reauth_href: "/account/reauth?next=%2Faccount%2Fdelete".into(),
                    export_href: "/account/export".into(),
                    error: Some(t("cabinet-delete-confirm-missing")),
                    frames: vec![],
                    back_href: "/account".into(),
                },
            ),
        ),
        (
            AccountCertificatesView::TEMPLATE,
            render(
                theme,
                locale,
                &AccountCertificatesView {
                    certificates: vec![CertificateLine {
                        thumbprint: "AB12".into(),
                        owner: "<Bob>".into(),
                        organization: Some("ООО <Ромашка>".into()),
                        inn: Some("500100732259".into()),
                        inn_legal: None,
                        ogrn: None,
                        ogrnip: None,
                        snils: Some("11223344595".into()),
                        email: None,
                        issuer: "CN=<CA>".into(),
                        expires: "2027-01-01 00:00 UTC".into(),
                        expired: true,
                    }],
                    csrf: "tok".into(),
                    remove_action: "/account/certificates/remove".into(),
                    add_action: "/account/certificates/add".into(),
                    fresh: true,
                    reauth_href: "/account/reauth".into(),
                    add_error: Some(t("certbind-cannot-bind")),
                    notice: None,
                    error: None,
                    back_href: "/account".into(),
                },
            ),
        ),
        (
            AccountPasskeysView::TEMPLATE,
            render(
                theme,
                locale,
                &AccountPasskeysView {
                    passkeys: vec![PasskeyLine {
                        id: "cred-1".into(),
                        name: "<Bob>'s phone".into(),
                        created: "2026-01-01 00:00 UTC".into(),
                        last_used: None,
                        synced: true,
                    }],
                    passkey: crate::pages::PasskeyForm {
                        options: "/account/passkeys/options".into(),
                        action: "/account/passkeys/add".into(),
                        csrf: "tok".into(),
                        interaction: None,
                    },
                    csrf: "tok".into(),
                    rename_action: "/account/passkeys/rename".into(),
                    remove_action: "/account/passkeys/remove".into(),
                    notice: None,
                    error: None,
                    back_href: "/account".into(),
                },
            ),
        ),
        (
            AccountCertificateProofView::TEMPLATE,
            render(
                theme,
                locale,
                &AccountCertificateProofView {
                    certificate: CertificateLine {
                        thumbprint: "AB12".into(),
                        owner: "<Bob>".into(),
                        organization: None,
                        inn: Some("500100732259".into()),
                        inn_legal: None,
                        ogrn: None,
                        ogrnip: None,
                        snils: Some("11223344595".into()),
                        email: None,
                        issuer: "CN=<CA>".into(),
                        expires: "2027-01-01 00:00 UTC".into(),
                        expired: false,
                    },
                    csrf: "tok".into(),
                    action: "/account/certificates/prove".into(),
                    challenge: "id".into(),
                    certificate_b64: "MIIB".into(),
                    envelope: Some("MIIC".into()),
                    to_sign: "c2lnbg==".into(),
                    error: Some(t("certbind-wrong-value")),
                    error_field: Some("decrypted"),
                    back_href: "/account/certificates".into(),
                },
            ),
        ),
    ]
}

#[test]
fn moments_are_shown_in_utc() {
    assert_eq!(super::when(0), "1970-01-01 00:00 UTC");
    assert_eq!(super::when(1_700_000_000), "2023-11-14 22:13 UTC");
    assert_eq!(super::when(951_782_400), "2000-02-29 00:00 UTC");
}

#[test]
fn every_cabinet_template_renders_in_both_languages_and_escapes() {
    let theme = Theme::builtin();
    for locale in [Locale::RU, Locale::EN] {
        let pages = pages(&theme, locale);
        for (name, _) in DEFAULT_TEMPLATES {
            if name.starts_with("account_") {
                assert!(
                    pages.iter().any(|p| p.0 == *name),
                    "{name} has no rendering test"
                );
            }
        }
        for (name, html) in &pages {
            assert!(html.contains(&format!("lang=\"{}\"", locale.code())));
            assert!(!html.contains("<Bob>"), "{name}: {html}");
            assert!(!html.contains("{ $") && !html.contains("{{"), "{name}");
            let forms = html.matches("method=\"post\"").count();
            assert_eq!(forms, html.matches("name=\"csrf\"").count(), "{name}");
        }
        let sessions = &pages[3].1;
        assert_eq!(
            sessions.matches("class=\"secondary end-session\"").count(),
            1
        );
        assert!(sessions.contains("<iframe"), "{sessions}");
        let profile = &pages[4].1;
        assert!(profile.contains("id=\"family_name-error\""), "{profile}");
        assert!(profile.contains("value=\"&lt;Bob&gt;\""), "{profile}");
        assert!(
            profile.contains("<option value=\"en\" selected>"),
            "{profile}"
        );
        let reauth = &pages[1].1;
        assert!(reauth.contains("id=\"password-error\""), "{reauth}");
        assert!(reauth.contains("name=\"code\""), "{reauth}");
    }
}

#[test]
fn next_stays_inside_the_cabinet() {
    assert_eq!(safe_next("/account/security"), "/account/security");
    assert_eq!(safe_next("/account"), "/account");
    for bad in [
        "https://evil.example/account",
        "//evil.example",
        "/account//evil",
        "/account/../connect/authorize",
        "/accountx",
        "/account/security?x=1",
        "",
    ] {
        assert_eq!(safe_next(bad), "/account", "{bad}");
    }
}
