//! Every template rendered in both languages with values that must be escaped.

use super::*;
use crate::pages::{Frame, Switch, render_view};
use crate::theme::Theme;
use propusk_texts::Locale;

struct Sample {
    theme: Theme,
    locale: Locale,
}

impl Sample {
    fn render<V: View>(&self, view: &V) -> String {
        let other = if self.locale == Locale::RU {
            Locale::EN
        } else {
            Locale::RU
        };
        let frame = Frame {
            lang: self.locale.code(),
            operator: "Propusk",
            logo: "/static/logo.svg",
            languages: vec![Switch {
                href: format!("/x?lang={}", other.code()),
                lang: other.code(),
                name: self.theme.texts.name(other),
            }],
        };
        render_view(&self.theme, self.locale, &frame, view).expect("renders")
    }

    fn t(&self, key: &str) -> String {
        self.theme.texts.text(self.locale, key)
    }
}

fn escaped(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

fn passkey_form() -> PasskeyForm {
    PasskeyForm {
        options: "/account/passkey/options?i=<i>".into(),
        action: "/account/passkey".into(),
        csrf: "tok".into(),
        interaction: Some("<i>".into()),
    }
}

fn pages(s: &Sample) -> Vec<(&'static str, String)> {
    let scope = || ScopeLine {
        text: s.t("scope-email"),
        product: Some("Extern".into()),
    };
    vec![
        (
            LoginView::TEMPLATE,
            s.render(&LoginView {
                client_name: "<App & Co>".into(),
                action: "/interaction/i/login".into(),
                csrf: "tok".into(),
                login: "alice".into(),
                error: Some(s.t("invalid-credentials")),
                notice: None,
                alt_href: Some("/interaction/i?method=code".into()),
                reset_href: "/account/reset?i=i".into(),
                register_href: Some("/interaction/i?method=register".into()),
                signature_href: Some("/interaction/i/signature".into()),
                tls_href: Some("https://tls.example/interaction/i/tls?b=tok".into()),
                passkey: Some(passkey_form()),
            }),
        ),
        (
            TlsRefusedView::TEMPLATE,
            s.render(&TlsRefusedView {
                message: s.t("mtls-refused-expired"),
                code: "refused-expired",
                back_href: "/interaction/i".into(),
            }),
        ),
        (
            PasskeyFactorView::TEMPLATE,
            s.render(&PasskeyFactorView {
                form: passkey_form(),
                error: Some(s.t("passkey-error-refused")),
                links: vec![("/account/factor/f?method=totp".into(), s.t("factor-totp"))],
            }),
        ),
        (
            // The passkey form included by the pages above.
            "passkey_form.html",
            s.render(&PasskeyFactorView {
                form: passkey_form(),
                error: None,
                links: Vec::new(),
            }),
        ),
        (
            SignatureSignInView::TEMPLATE,
            s.render(&SignatureSignInView {
                client_name: "<App & Co>".into(),
                value: "AAEC".into(),
                download_href: "data:application/octet-stream;base64,AAEC".into(),
                action: "/interaction/i/signature".into(),
                csrf: "tok".into(),
                challenge: "c".into(),
                password_href: "/interaction/i".into(),
                error: Some(s.t("esig-refused-signature_invalid")),
            }),
        ),
        (
            ConsentView::TEMPLATE,
            s.render(&ConsentView {
                client_name: "App".into(),
                scopes: vec![scope()],
                action: "/interaction/i/consent".into(),
                csrf: "tok".into(),
            }),
        ),
        (
            ErrorView::TEMPLATE,
            s.render(&ErrorView {
                message: s.t("unknown-client"),
                code: Some("invalid_client"),
            }),
        ),
        (
            FormPostView::TEMPLATE,
            s.render(&FormPostView {
                action: "https://app.example/cb".into(),
                params: vec![("code".into(), "a\"b".into())],
                nonce: "n".into(),
            }),
        ),
        (
            CodeView::TEMPLATE,
            s.render(&CodeView {
                title: s.t("code-title"),
                intro: s.t("register-code-intro"),
                label: s.t("code-label"),
                inputmode: "numeric",
                action: "/account/register/c".into(),
                csrf: "tok".into(),
                hidden: vec![("method", "totp".into())],
                error: Some(s.t("code-invalid")),
                notice: Some(s.t("code-resent")),
                links: vec![("/l".into(), s.t("factor-recovery"))],
                extra_forms: vec![("/r".into(), s.t("resend-code"))],
            }),
        ),
        (
            SignInCodeView::TEMPLATE,
            s.render(&SignInCodeView {
                client_name: "App".into(),
                password_href: "/interaction/i".into(),
                action: "/interaction/i/code".into(),
                csrf: "tok".into(),
                phone: "\"><script>".into(),
                error: Some(s.t("phone-invalid")),
            }),
        ),
        (
            OutboxView::TEMPLATE,
            s.render(&OutboxView {
                messages: Vec::new(),
            }),
        ),
        (
            RegisterView::TEMPLATE,
            s.render(&RegisterView {
                client_name: Some("<App>".into()),
                action: "/account/register?i=i".into(),
                csrf: "tok".into(),
                contact: "\"><script>".into(),
                name: "Анна".into(),
                terms: true,
                field: "password",
                error: Some(s.t("password-common")),
                sign_in_href: "/interaction/i?method=password".into(),
                password_hint: s.theme.texts.format(
                    s.locale,
                    "password-hint",
                    &[("min", 12.into())],
                ),
            }),
        ),
        (
            ResetStartView::TEMPLATE,
            s.render(&ResetStartView {
                action: "/account/reset".into(),
                csrf: "tok".into(),
                contact: "+79001234567".into(),
                error: Some(s.t("contact-invalid")),
                sign_in_href: "/account/login".into(),
            }),
        ),
        (
            NewPasswordView::TEMPLATE,
            s.render(&NewPasswordView {
                action: "/account/reset/c/password".into(),
                csrf: "tok".into(),
                error: Some(s.t("password-common")),
                password_hint: s.theme.texts.format(
                    s.locale,
                    "password-hint",
                    &[("min", 12.into())],
                ),
            }),
        ),
        (
            SecurityView::TEMPLATE,
            s.render(&SecurityView {
                who: "<Bob>".into(),
                totp: true,
                sms: false,
                phone_verified: true,
                recovery_left: 7,
                csrf: "tok".into(),
                totp_action: "/account/security/totp".into(),
                sms_action: "/account/security/sms".into(),
                recovery_action: "/account/security/recovery".into(),
                sign_out_action: "/account/sign-out".into(),
                notice: Some(s.t("saved")),
                error: None,
                fresh: false,
                has_password: true,
                password_action: "/account/security/password".into(),
                password_hint: "8+".into(),
                password_error: Some(s.t("password-common")),
                reauth_href: "/account/reauth?next=%2Faccount%2Fsecurity".into(),
                overview_href: "/account".into(),
                phone_sign_in: true,
                phone_action: "/account/security/phone".into(),
            }),
        ),
        (
            TotpView::TEMPLATE,
            s.render(&TotpView {
                qr_svg: crate::qr::svg("otpauth://totp/P:b?secret=AAAA").unwrap_or_default(),
                manual_key: "AAAA BBBB".into(),
                action: "/account/security/totp/c".into(),
                csrf: "tok".into(),
                error: None,
                back_href: "/account/security".into(),
            }),
        ),
        (
            RecoveryCodesView::TEMPLATE,
            s.render(&RecoveryCodesView {
                codes: vec!["abcd-efgh".into(); 10],
                back_href: "/account/security".into(),
            }),
        ),
        (
            DeviceCodeView::TEMPLATE,
            s.render(&DeviceCodeView {
                action: "/device".into(),
                user_code: "BDWP-HQPK".into(),
                error: Some(s.t("device-code-unknown")),
            }),
        ),
        (
            DeviceLoginView::TEMPLATE,
            s.render(&DeviceLoginView {
                action: "/device/login".into(),
                csrf: "tok".into(),
                user_code: "BDWPHQPK".into(),
                login: "alice".into(),
                error: None,
            }),
        ),
        (
            DeviceConfirmView::TEMPLATE,
            s.render(&DeviceConfirmView {
                client_name: "<TV & Co>".into(),
                shown_code: "BDWP-HQPK".into(),
                user_code: "BDWPHQPK".into(),
                scopes: vec![scope()],
                action: "/device/decision".into(),
                csrf: "tok".into(),
            }),
        ),
        (
            DeviceDoneView::TEMPLATE,
            s.render(&DeviceDoneView {
                approved: true,
                client_name: "TV".into(),
            }),
        ),
        (
            LogoutConfirmView::TEMPLATE,
            s.render(&LogoutConfirmView {
                client_name: Some("App".into()),
                action: "/connect/endsession/confirm".into(),
                csrf: "tok".into(),
                client_id: "app".into(),
                post_logout_redirect_uri: "https://rp.example/bye".into(),
                state: "s\"1".into(),
                ui_locales: String::new(),
            }),
        ),
        (
            LoggedOutView::TEMPLATE,
            s.render(&LoggedOutView {
                signed_out: true,
                frames: vec!["https://rp.example/fc?iss=x&sid=y".into()],
                continue_to: Some("https://rp.example/bye?state=1".into()),
            }),
        ),
    ]
}

#[test]
fn every_template_renders_in_both_languages_and_escapes() {
    for locale in [Locale::RU, Locale::EN] {
        let s = Sample {
            theme: Theme::builtin(),
            locale,
        };
        let pages = pages(&s);
        let templates: Vec<&str> = pages.iter().map(|p| p.0).collect();
        // The cabinets' `account_*` and `developer_*` templates, the console's `admin_*`
        // and the docs' `docs_*` are rendered by their own tests.
        for (name, _) in crate::theme::DEFAULT_TEMPLATES {
            assert!(
                *name == "base.html"
                    || name.starts_with("account_")
                    || name.starts_with("developer_")
                    || name.starts_with("admin_")
                    || name.starts_with("docs_")
                    || templates.contains(name),
                "{name} has no rendering test"
            );
        }
        for (name, html) in &pages {
            assert!(
                html.contains(&format!("lang=\"{}\"", locale.code())),
                "{name}: {html}"
            );
            assert!(
                !html.contains("<script>") || *name == FormPostView::TEMPLATE,
                "{name}"
            );
            assert!(
                !html.contains("<App") && !html.contains("<Bob>") && !html.contains("<TV"),
                "{name}: {html}"
            );
            let forms = html.matches("method=\"post\"").count();
            let tokens = html.matches("name=\"csrf\"").count();
            assert!(
                *name == FormPostView::TEMPLATE || forms == tokens,
                "{name}: a CSRF token in every form"
            );
            assert!(
                !html.contains("{ $") && !html.contains("{{"),
                "{name}: {html}"
            );
        }
        let page = |name: &str| &pages.iter().find(|p| p.0 == name).expect("page").1;
        assert!(page(LoginView::TEMPLATE).contains(&escaped(&s.t("sign-in-button"))));
        assert!(page(LoginView::TEMPLATE).contains("aria-describedby=\"form-error\""));
        assert!(page(LoginView::TEMPLATE).contains("src=\"/static/logo.svg\""));
        assert!(page(ConsentView::TEMPLATE).contains(&escaped(&s.t("consent-allow"))));
        assert!(page(ErrorView::TEMPLATE).contains(&escaped(&s.t("unknown-client"))));
        let form_post = page(FormPostView::TEMPLATE);
        assert!(
            form_post.contains("a&#34;b") || form_post.contains("a&quot;b"),
            "{form_post}"
        );
        let register = page(RegisterView::TEMPLATE);
        assert!(register.contains("aria-invalid=\"true\"") && register.contains("12"));
        assert!(register.contains("password-hint form-error"), "{register}");
        assert!(page(SecurityView::TEMPLATE).contains(&escaped(&s.t("sign-out"))));
        assert!(page(TotpView::TEMPLATE).contains("<svg"));
        assert_eq!(
            page(RecoveryCodesView::TEMPLATE).matches("<li>").count(),
            10
        );
        assert!(page(DeviceConfirmView::TEMPLATE).contains("BDWP-HQPK"));
        assert!(page(LoggedOutView::TEMPLATE).contains("<iframe"));
        assert!(!page(LogoutConfirmView::TEMPLATE).contains("s\"1"));
    }
}
