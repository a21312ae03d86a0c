//! Template contexts of the account pages; one per template.

use super::texts::AccountTexts;
use crate::i18n::{Locale, Texts};
use askama::Template;
use propusk_core::accounts::OutboxMessage;

#[derive(Template)]
#[template(path = "code.html")]
pub struct CodePage<'a> {
    pub locale: Locale,
    pub a: &'static AccountTexts,
    pub operator: &'a str,
    pub switch_href: String,
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
    pub locale: Locale,
    pub t: &'static Texts,
    pub a: &'static AccountTexts,
    pub operator: &'a str,
    pub switch_href: String,
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
    pub locale: Locale,
    pub a: &'static AccountTexts,
    pub operator: &'a str,
    pub switch_href: String,
    pub messages: Vec<OutboxMessage>,
}
