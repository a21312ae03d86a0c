//! Page languages: Russian first, English second. The language comes from `ui_locales`
//! (OIDC Core §3.1.2.1), then an explicit `lang` choice, then `Accept-Language`.

use axum::http::HeaderMap;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Locale {
    Ru,
    En,
}

impl Locale {
    pub fn code(self) -> &'static str {
        match self {
            Self::Ru => "ru",
            Self::En => "en",
        }
    }

    pub fn parse(tag: &str) -> Option<Self> {
        let primary = tag.trim().split(['-', '_']).next()?.to_ascii_lowercase();
        match primary.as_str() {
            "ru" => Some(Self::Ru),
            "en" => Some(Self::En),
            _ => None,
        }
    }

    /// First supported tag of a space-separated `ui_locales` list.
    pub fn from_ui_locales(list: &[String]) -> Option<Self> {
        list.iter().find_map(|tag| Self::parse(tag))
    }

    /// Best supported language of an `Accept-Language` header (RFC 9110 §12.5.4).
    pub fn from_accept_language(headers: &HeaderMap) -> Option<Self> {
        let header = headers
            .get(axum::http::header::ACCEPT_LANGUAGE)?
            .to_str()
            .ok()?;
        let mut best: Option<(f32, Self)> = None;
        for item in header.split(',') {
            let mut parts = item.split(';');
            let Some(locale) = parts.next().and_then(Self::parse) else {
                continue;
            };
            let q = parts
                .find_map(|p| p.trim().strip_prefix("q="))
                .and_then(|q| q.parse::<f32>().ok())
                .unwrap_or(1.0);
            if q > 0.0 && best.is_none_or(|(bq, _)| q > bq) {
                best = Some((q, locale));
            }
        }
        best.map(|(_, l)| l)
    }

    /// Resolves the language of a page.
    pub fn choose(ui_locales: &[String], explicit: Option<&str>, headers: &HeaderMap) -> Self {
        explicit
            .and_then(Self::parse)
            .or_else(|| Self::from_ui_locales(ui_locales))
            .or_else(|| Self::from_accept_language(headers))
            .unwrap_or(Self::Ru)
    }

    pub fn texts(self) -> &'static Texts {
        match self {
            Self::Ru => &RU,
            Self::En => &EN,
        }
    }

    pub fn other(self) -> Self {
        match self {
            Self::Ru => Self::En,
            Self::En => Self::Ru,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Self::Ru => "Русский",
            Self::En => "English",
        }
    }
}

/// Every string a page shows, per language.
pub struct Texts {
    pub sign_in_title: &'static str,
    pub sign_in_to: &'static str,
    pub identifier_label: &'static str,
    pub password_label: &'static str,
    pub sign_in_button: &'static str,
    pub invalid_credentials: &'static str,
    pub form_expired: &'static str,
    pub consent_title: &'static str,
    pub consent_intro: &'static str,
    pub consent_allow: &'static str,
    pub consent_deny: &'static str,
    pub error_title: &'static str,
    pub error_back: &'static str,
    pub continue_button: &'static str,
    pub redirecting: &'static str,
    pub scope_openid: &'static str,
    pub scope_profile: &'static str,
    pub scope_email: &'static str,
    pub scope_phone: &'static str,
    pub scope_address: &'static str,
    pub scope_offline_access: &'static str,
    pub unknown_client: &'static str,
    pub redirect_uri_not_registered: &'static str,
    pub redirect_uri_missing: &'static str,
    pub interaction_expired: &'static str,
    pub bad_request: &'static str,
    pub server_error: &'static str,
}

pub static RU: Texts = Texts {
    sign_in_title: "Вход",
    sign_in_to: "для продолжения в",
    identifier_label: "Логин, e-mail или телефон",
    password_label: "Пароль",
    sign_in_button: "Войти",
    invalid_credentials: "Неверный логин или пароль.",
    form_expired: "Форма устарела. Попробуйте ещё раз.",
    consent_title: "Разрешить доступ",
    consent_intro: "запрашивает доступ к вашей учётной записи:",
    consent_allow: "Разрешить",
    consent_deny: "Отказать",
    error_title: "Запрос не может быть выполнен",
    error_back: "Вернитесь в приложение и попробуйте снова.",
    continue_button: "Продолжить",
    redirecting: "Возвращаем вас в приложение…",
    scope_openid: "Подтвердить, кто вы",
    scope_profile: "Имя и данные профиля",
    scope_email: "Адрес электронной почты",
    scope_phone: "Номер телефона",
    scope_address: "Почтовый адрес",
    scope_offline_access: "Доступ, когда вас нет в сети",
    unknown_client: "Приложение не зарегистрировано.",
    redirect_uri_not_registered: "Адрес возврата не зарегистрирован для этого приложения.",
    redirect_uri_missing: "Не указан адрес возврата (redirect_uri).",
    interaction_expired: "Время на вход истекло. Начните вход в приложении заново.",
    bad_request: "Некорректный запрос.",
    server_error: "Сервис временно недоступен. Попробуйте позже.",
};

pub static EN: Texts = Texts {
    sign_in_title: "Sign in",
    sign_in_to: "to continue to",
    identifier_label: "Login, e-mail or phone",
    password_label: "Password",
    sign_in_button: "Sign in",
    invalid_credentials: "Wrong login or password.",
    form_expired: "The form has expired. Please try again.",
    consent_title: "Allow access",
    consent_intro: "asks for access to your account:",
    consent_allow: "Allow",
    consent_deny: "Deny",
    error_title: "The request cannot be completed",
    error_back: "Go back to the application and try again.",
    continue_button: "Continue",
    redirecting: "Taking you back to the application…",
    scope_openid: "Confirm who you are",
    scope_profile: "Your name and profile details",
    scope_email: "Your e-mail address",
    scope_phone: "Your phone number",
    scope_address: "Your postal address",
    scope_offline_access: "Access while you are away",
    unknown_client: "The application is not registered.",
    redirect_uri_not_registered: "The return address is not registered for this application.",
    redirect_uri_missing: "The return address (redirect_uri) is missing.",
    interaction_expired: "The sign-in took too long. Start again from the application.",
    bad_request: "The request is malformed.",
    server_error: "The service is temporarily unavailable. Please try later.",
};

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    #[test]
    fn accept_language_quality_wins() {
        let mut h = HeaderMap::new();
        h.insert(
            axum::http::header::ACCEPT_LANGUAGE,
            HeaderValue::from_static("de;q=1, en-US;q=0.8, ru;q=0.5"),
        );
        assert_eq!(Locale::choose(&[], None, &h), Locale::En);
        assert_eq!(Locale::choose(&["ru-RU".into()], None, &h), Locale::Ru);
        assert_eq!(Locale::choose(&[], Some("ru"), &h), Locale::Ru);
        assert_eq!(Locale::choose(&[], None, &HeaderMap::new()), Locale::Ru);
    }
}
