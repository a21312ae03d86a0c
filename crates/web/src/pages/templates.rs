//! Template contexts. Each page has exactly the fields its template reads.

use super::Frame;
use crate::i18n::{Locale, Texts};
use askama::Template;

#[derive(Template)]
#[template(path = "login.html")]
pub struct LoginPage<'a> {
    pub frame: Frame<'a>,
    pub t: &'static Texts,
    pub client_name: &'a str,
    pub action: String,
    pub csrf: String,
    pub login: &'a str,
    pub error: Option<&'static str>,
    pub notice: Option<&'static str>,
    /// The method switcher: this method's name, and a link to the other.
    pub alt_current: &'static str,
    pub alt: Option<(String, &'static str)>,
    pub a: &'static crate::accounts::AccountTexts,
    pub reset_href: String,
    pub register_href: Option<String>,
}

pub struct ScopeLine {
    pub text: String,
    pub product: Option<String>,
}

#[derive(Template)]
#[template(path = "consent.html")]
pub struct ConsentPage<'a> {
    pub frame: Frame<'a>,
    pub t: &'static Texts,
    pub client_name: &'a str,
    pub scopes: Vec<ScopeLine>,
    pub action: String,
    pub csrf: String,
}

#[derive(Template)]
#[template(path = "error.html")]
pub struct ErrorPage<'a> {
    pub frame: Frame<'a>,
    pub t: &'static Texts,
    pub message: &'static str,
    pub code: Option<&'static str>,
}

#[derive(Template)]
#[template(path = "form_post.html")]
pub struct FormPostPage {
    pub locale: Locale,
    pub t: &'static Texts,
    pub action: String,
    pub params: Vec<(String, String)>,
    pub nonce: String,
}
