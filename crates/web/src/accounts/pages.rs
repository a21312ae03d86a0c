//! Template contexts of the account pages; one per template.

use super::texts::AccountTexts;
use crate::i18n::Texts;
use crate::pages::Frame;
use askama::Template;
use propusk_core::accounts::OutboxMessage;

#[derive(Template)]
#[template(path = "code.html")]
pub struct CodePage<'a> {
    pub frame: Frame<'a>,
    pub a: &'static AccountTexts,
    pub title: &'static str,
    pub intro: &'static str,
    pub label: &'static str,
    pub inputmode: &'static str,
    pub action: String,
    pub csrf: String,
    pub hidden: Vec<(&'static str, String)>,
    pub error: Option<&'static str>,
    pub notice: Option<&'static str>,
    pub links: Vec<(String, &'static str)>,
    pub extra_forms: Vec<(String, &'static str)>,
}

#[derive(Template)]
#[template(path = "signin_code.html")]
pub struct SignInCodePage<'a> {
    pub frame: Frame<'a>,
    pub t: &'static Texts,
    pub a: &'static AccountTexts,
    pub client_name: &'a str,
    pub password_href: String,
    pub action: String,
    pub csrf: String,
    pub phone: &'a str,
    pub error: Option<&'static str>,
}

#[derive(Template)]
#[template(path = "outbox.html")]
pub struct OutboxPage<'a> {
    pub frame: Frame<'a>,
    pub a: &'static AccountTexts,
    pub messages: Vec<OutboxMessage>,
}

#[derive(Template)]
#[template(path = "register.html")]
pub struct RegisterPage<'a> {
    pub frame: Frame<'a>,
    pub t: &'static Texts,
    pub a: &'static AccountTexts,
    pub client_name: Option<&'a str>,
    pub action: String,
    pub csrf: String,
    pub contact: &'a str,
    pub name: &'a str,
    pub terms: bool,
    /// The field the error is about (`contact`, `name`, `password`, `terms`), or empty.
    pub field: &'static str,
    pub error: Option<String>,
    pub sign_in_href: String,
    /// The password hint with the configured minimum length.
    pub password_hint: String,
}

#[derive(Template)]
#[template(path = "reset_start.html")]
pub struct ResetStartPage<'a> {
    pub frame: Frame<'a>,
    pub a: &'static AccountTexts,
    pub action: String,
    pub csrf: String,
    pub contact: &'a str,
    pub error: Option<&'static str>,
    pub sign_in_href: String,
}

#[derive(Template)]
#[template(path = "new_password.html")]
pub struct NewPasswordPage<'a> {
    pub frame: Frame<'a>,
    pub a: &'static AccountTexts,
    pub action: String,
    pub csrf: String,
    pub error: Option<String>,
    /// The password hint with the configured minimum length.
    pub password_hint: String,
}

#[derive(Template)]
#[template(path = "security.html")]
pub struct SecurityPage<'a> {
    pub frame: Frame<'a>,
    pub a: &'static AccountTexts,
    pub who: String,
    pub totp: bool,
    pub sms: bool,
    pub phone_verified: bool,
    pub recovery_left: i64,
    pub csrf: String,
    pub totp_action: String,
    pub sms_action: String,
    pub recovery_action: String,
    pub sign_out_action: String,
    pub notice: Option<&'static str>,
    pub error: Option<&'static str>,
}

#[derive(Template)]
#[template(path = "totp.html")]
pub struct TotpPage<'a> {
    pub frame: Frame<'a>,
    pub a: &'static AccountTexts,
    /// A self-contained SVG made by [`crate::qr::svg`] (no user-controlled markup).
    pub qr_svg: String,
    pub manual_key: String,
    pub action: String,
    pub csrf: String,
    pub error: Option<&'static str>,
    pub back_href: String,
}

#[derive(Template)]
#[template(path = "recovery_codes.html")]
pub struct RecoveryCodesPage<'a> {
    pub frame: Frame<'a>,
    pub a: &'static AccountTexts,
    pub codes: Vec<String>,
    pub back_href: String,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::Locale;

    /// Every account page, rendered in `locale`, with values that must be escaped.
    fn all_pages(locale: Locale) -> Vec<String> {
        let a = AccountTexts::of(locale);
        let t = locale.texts();
        let code = CodePage {
            frame: Frame::sample(locale, "/x"),
            a,
            title: a.code_title,
            intro: a.register_code_intro,
            label: a.code_label,
            inputmode: "numeric",
            action: "/account/register/c".into(),
            csrf: "tok".into(),
            hidden: vec![("method", "totp".into())],
            error: Some(a.code_invalid),
            notice: Some(a.code_resent),
            links: vec![("/l".into(), a.factor_recovery)],
            extra_forms: vec![("/r".into(), a.resend_code)],
        };
        let register = RegisterPage {
            frame: Frame::sample(locale, "/x"),
            t,
            a,
            client_name: Some("<App>"),
            action: "/account/register?i=i".into(),
            csrf: "tok".into(),
            contact: "\"><script>",
            name: "Анна",
            terms: true,
            field: "password",
            error: Some(a.password_common.into()),
            sign_in_href: "/interaction/i?method=password".into(),
            password_hint: a.password_hint(12),
        };
        let reset = ResetStartPage {
            frame: Frame::sample(locale, "/x"),
            a,
            action: "/account/reset".into(),
            csrf: "tok".into(),
            contact: "+79001234567",
            error: Some(a.contact_invalid),
            sign_in_href: "/account/login".into(),
        };
        let new_password = NewPasswordPage {
            frame: Frame::sample(locale, "/x"),
            a,
            action: "/account/reset/c/password".into(),
            csrf: "tok".into(),
            error: Some(a.password_common.into()),
            password_hint: a.password_hint(12),
        };
        let security = SecurityPage {
            frame: Frame::sample(locale, "/x"),
            a,
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
            notice: Some(a.saved),
            error: None,
        };
        let totp = TotpPage {
            frame: Frame::sample(locale, "/x"),
            a,
            qr_svg: crate::qr::svg("otpauth://totp/P:b?secret=AAAA").unwrap_or_default(),
            manual_key: "AAAA BBBB".into(),
            action: "/account/security/totp/c".into(),
            csrf: "tok".into(),
            error: None,
            back_href: "/account/security".into(),
        };
        let codes = RecoveryCodesPage {
            frame: Frame::sample(locale, "/x"),
            a,
            codes: vec!["abcd-efgh".into(); 10],
            back_href: "/account/security".into(),
        };
        [
            code.render(),
            register.render(),
            reset.render(),
            new_password.render(),
            security.render(),
            totp.render(),
            codes.render(),
        ]
        .into_iter()
        .map(|r| r.expect("renders"))
        .collect()
    }

    #[test]
    fn every_account_page_renders_in_both_languages() {
        for locale in [Locale::Ru, Locale::En] {
            let a = AccountTexts::of(locale);
            let pages = all_pages(locale);
            for html in &pages {
                assert!(html.contains(&format!("lang=\"{}\"", locale.code())));
                assert!(html.contains("src=\"/static/logo.svg\""), "logo: {html}");
                assert!(
                    !html.contains("<script>") && !html.contains("<Bob>"),
                    "{html}"
                );
                let forms = html.matches("method=\"post\"").count();
                assert_eq!(
                    forms,
                    html.matches("name=\"csrf\"").count(),
                    "a CSRF token in every form"
                );
            }
            assert!(pages[1].contains(a.password_common) && pages[1].contains(a.terms_label));
            assert!(pages[1].contains("aria-invalid=\"true\""));
            assert!(
                pages[1].contains("12") && pages[3].contains("12"),
                "configured minimum"
            );
            assert!(!pages[1].contains("{min}") && !pages[3].contains("{min}"));
            assert!(pages[4].contains(a.sign_out) && pages[4].contains(a.state_on));
            assert!(pages[5].contains("<svg") && pages[5].contains("AAAA BBBB"));
            assert_eq!(pages[6].matches("<li>").count(), 10);
        }
    }
}
