//! Template contexts of the device verification pages (RFC 8628 §3.3) and the logout
//! pages (RP-Initiated Logout 1.0 §2, Front-Channel Logout 1.0 §2). One typed context
//! per template; texts come from [`FlowTexts`] and, for the sign-in form, from the
//! sign-in page's own texts.

use super::{FlowTexts, Frame};
use crate::i18n::Texts;
use askama::Template;

#[derive(Template)]
#[template(path = "device_code.html")]
pub struct DeviceCodePage<'a> {
    pub frame: Frame<'a>,
    pub f: &'static FlowTexts,
    pub action: String,
    pub user_code: String,
    pub error: Option<&'static str>,
}

#[derive(Template)]
#[template(path = "device_login.html")]
pub struct DeviceLoginPage<'a> {
    pub frame: Frame<'a>,
    pub f: &'static FlowTexts,
    pub t: &'static Texts,
    pub action: String,
    pub csrf: String,
    pub user_code: String,
    pub login: String,
    pub error: Option<&'static str>,
}

pub struct DeviceScope {
    pub text: String,
    pub product: Option<String>,
}

#[derive(Template)]
#[template(path = "device_confirm.html")]
pub struct DeviceConfirmPage<'a> {
    pub frame: Frame<'a>,
    pub f: &'static FlowTexts,
    pub client_name: String,
    /// `BDWP-HQPK`.
    pub shown_code: String,
    pub user_code: String,
    pub scopes: Vec<DeviceScope>,
    pub action: String,
    pub csrf: String,
}

#[derive(Template)]
#[template(path = "device_done.html")]
pub struct DeviceDonePage<'a> {
    pub frame: Frame<'a>,
    pub f: &'static FlowTexts,
    pub approved: bool,
    pub client_name: String,
}

#[derive(Template)]
#[template(path = "logout_confirm.html")]
pub struct LogoutConfirmPage<'a> {
    pub frame: Frame<'a>,
    pub f: &'static FlowTexts,
    pub client_name: Option<String>,
    pub action: String,
    pub csrf: String,
    pub client_id: String,
    pub post_logout_redirect_uri: String,
    pub state: String,
    pub ui_locales: String,
}

#[derive(Template)]
#[template(path = "logout_done.html")]
pub struct LoggedOutPage<'a> {
    pub frame: Frame<'a>,
    pub f: &'static FlowTexts,
    /// False when the user chose to stay signed in.
    pub signed_out: bool,
    /// Front-channel logout URIs, one iframe each.
    pub frames: Vec<String>,
    /// Where to continue (a registered post-logout redirect URI with `state`).
    pub continue_to: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::Locale;

    fn render_all(locale: Locale) -> Vec<String> {
        let f = FlowTexts::of(locale);
        let t = locale.texts();
        let code = DeviceCodePage {
            frame: Frame::sample(locale, "/device?lang=en"),
            f,
            action: "/device".into(),
            user_code: "BDWP-HQPK".into(),
            error: Some(f.device_code_unknown),
        };
        let login = DeviceLoginPage {
            frame: Frame::sample(locale, "/device"),
            f,
            t,
            action: "/device/login".into(),
            csrf: "tok".into(),
            user_code: "BDWPHQPK".into(),
            login: "alice".into(),
            error: None,
        };
        let confirm = DeviceConfirmPage {
            frame: Frame::sample(locale, "/device"),
            f,
            client_name: "<TV & Co>".into(),
            shown_code: "BDWP-HQPK".into(),
            user_code: "BDWPHQPK".into(),
            scopes: vec![DeviceScope {
                text: f.scope_profile.into(),
                product: Some("Extern".into()),
            }],
            action: "/device/decision".into(),
            csrf: "tok".into(),
        };
        let done = DeviceDonePage {
            frame: Frame::sample(locale, "/device"),
            f,
            approved: true,
            client_name: "TV".into(),
        };
        let confirm_logout = LogoutConfirmPage {
            frame: Frame::sample(locale, "/connect/endsession"),
            f,
            client_name: Some("App".into()),
            action: "/connect/endsession/confirm".into(),
            csrf: "tok".into(),
            client_id: "app".into(),
            post_logout_redirect_uri: "https://rp.example/bye".into(),
            state: "s\"1".into(),
            ui_locales: String::new(),
        };
        let logged_out = LoggedOutPage {
            frame: Frame::sample(locale, "/connect/endsession"),
            f,
            signed_out: true,
            frames: vec!["https://rp.example/fc?iss=x&sid=y".into()],
            continue_to: Some("https://rp.example/bye?state=1".into()),
        };
        [
            code.render(),
            login.render(),
            confirm.render(),
            done.render(),
            confirm_logout.render(),
            logged_out.render(),
        ]
        .into_iter()
        .map(|r| r.expect("renders"))
        .collect()
    }

    #[test]
    fn every_flow_page_renders_in_both_languages_and_escapes() {
        for locale in [Locale::Ru, Locale::En] {
            let f = FlowTexts::of(locale);
            let pages = render_all(locale);
            for html in &pages {
                assert!(
                    html.contains(&format!("lang=\"{}\"", locale.code())),
                    "{html}"
                );
            }
            assert!(pages[0].contains(f.device_code_unknown));
            assert!(pages[1].contains("name=\"password\""));
            assert!(pages[2].contains(f.device_allow) && !pages[2].contains("<TV & Co>"));
            assert!(pages[2].contains("BDWP-HQPK"));
            assert!(pages[3].contains(f.device_approved_title));
            assert!(pages[4].contains(f.logout_yes) && !pages[4].contains("s\"1"));
            assert!(pages[5].contains("<iframe") && pages[5].contains(f.logged_out_title));
        }
    }
}
