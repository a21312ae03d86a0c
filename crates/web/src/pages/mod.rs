//! HTML pages: one typed context per template, rendered with the security headers every
//! page carries (CSP with `frame-ancestors 'none'`, no referrer, no caching).

mod device_logout;
mod flow_texts;
mod frame;
mod templates;

pub use device_logout::*;
pub use flow_texts::FlowTexts;
pub use frame::Frame;
pub use templates::*;

use crate::csrf::CsrfSeed;
use askama::Template;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

/// Renders a page with the default policy (no scripts, forms post to ourselves).
pub fn render(status: StatusCode, page: &impl Template) -> Response {
    render_with_csp(status, page, DEFAULT_CSP)
}

pub const DEFAULT_CSP: &str = "default-src 'none'; style-src 'self'; img-src 'self' data: https:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

/// The policy of a page whose form ends in a redirect to the client: browsers apply
/// `form-action` to every redirect after the submission (CSP 3 §6.4.1), so the client's
/// redirect URI origin must be allowed too.
pub fn csp_towards(redirect_uri: &str) -> String {
    match url::Url::parse(redirect_uri).map(|u| u.origin()) {
        Ok(origin) if origin.is_tuple() => DEFAULT_CSP.replace(
            "form-action 'self'",
            &format!("form-action 'self' {}", origin.ascii_serialization()),
        ),
        _ => DEFAULT_CSP.to_owned(),
    }
}

/// The status of a form page: 400 when it is shown again with an error, 200 otherwise.
pub fn form_status(shown_with_error: bool) -> StatusCode {
    if shown_with_error {
        StatusCode::BAD_REQUEST
    } else {
        StatusCode::OK
    }
}

/// Renders a page that carries a CSRF token, setting the CSRF cookie when it is new.
pub fn render_with_seed(
    status: StatusCode,
    page: &impl Template,
    csp: &str,
    seed: CsrfSeed,
) -> Response {
    crate::answer::with_cookies(render_with_csp(status, page, csp), seed.set_cookie)
}

pub fn render_with_csp(status: StatusCode, page: &impl Template, csp: &str) -> Response {
    match page.render() {
        Ok(html) => {
            let mut response = (status, axum::response::Html(html)).into_response();
            let headers = response.headers_mut();
            if let Ok(value) = HeaderValue::from_str(csp) {
                headers.insert(header::CONTENT_SECURITY_POLICY, value);
            }
            headers.insert(
                header::X_CONTENT_TYPE_OPTIONS,
                HeaderValue::from_static("nosniff"),
            );
            headers.insert(
                header::REFERRER_POLICY,
                HeaderValue::from_static("no-referrer"),
            );
            headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
            headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
            response
        }
        Err(error) => {
            tracing::error!(%error, "template failed");
            (StatusCode::INTERNAL_SERVER_ERROR, "internal error").into_response()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::Locale;

    fn all_pages(locale: Locale) -> Vec<String> {
        let t = locale.texts();
        let login = LoginPage {
            frame: Frame::sample(locale, "/x?lang=en"),
            t,
            client_name: "<App & Co>",
            action: "/interaction/i/login".into(),
            csrf: "tok".into(),
            login: "alice",
            error: Some(t.invalid_credentials),
            notice: None,
            alt_current: "Password",
            alt: Some(("/interaction/i?method=code".into(), "SMS")),
            a: crate::accounts::AccountTexts::of(locale),
            reset_href: "/account/reset?i=i".into(),
            register_href: Some("/interaction/i?method=register".into()),
        };
        let consent = ConsentPage {
            frame: Frame::sample(locale, "/x"),
            t,
            client_name: "App",
            scopes: vec![ScopeLine {
                text: t.scope_email.into(),
                product: Some("Extern".into()),
            }],
            action: "/interaction/i/consent".into(),
            csrf: "tok".into(),
        };
        let error = ErrorPage {
            frame: Frame::sample(locale, "/x"),
            t,
            message: t.unknown_client,
            code: Some("invalid_client"),
        };
        let form_post = FormPostPage {
            locale,
            t,
            action: "https://app.example/cb".into(),
            params: vec![("code".into(), "a\"b".into())],
            nonce: "n".into(),
        };
        [
            login.render(),
            consent.render(),
            error.render(),
            form_post.render(),
        ]
        .into_iter()
        .map(|r| r.expect("renders"))
        .collect()
    }

    #[test]
    fn every_template_renders_in_both_languages_and_escapes() {
        for locale in [Locale::Ru, Locale::En] {
            let pages = all_pages(locale);
            for html in &pages {
                assert!(
                    html.contains(&format!("lang=\"{}\"", locale.code())),
                    "{html}"
                );
            }
            assert!(pages[0].contains(locale.texts().sign_in_button));
            assert!(
                !pages[0].contains("<App & Co>"),
                "client name is escaped: {}",
                pages[0]
            );
            assert!(pages[1].contains(locale.texts().consent_allow));
            assert!(pages[2].contains(locale.texts().unknown_client));
            assert!(
                pages[3].contains("a&#34;b") || pages[3].contains("a&quot;b"),
                "{}",
                pages[3]
            );
        }
    }
}
