//! Texts of the account pages (code entry, second factor, phone sign-in, development
//! outbox), Russian and English.

use crate::i18n::Locale;

pub struct AccountTexts {
    pub by_code: &'static str,
    pub by_password: &'static str,
    pub phone_label: &'static str,
    pub send_code: &'static str,
    pub code_title: &'static str,
    pub code_intro: &'static str,
    pub code_label: &'static str,
    pub confirm: &'static str,
    pub code_invalid: &'static str,
    pub code_expired: &'static str,
    pub throttled: &'static str,
    pub send_cap: &'static str,
    pub phone_invalid: &'static str,
    pub factor_title: &'static str,
    pub factor_intro: &'static str,
    pub factor_totp: &'static str,
    pub factor_sms: &'static str,
    pub factor_recovery: &'static str,
    pub factor_send_sms: &'static str,
    pub factor_sms_sent: &'static str,
    pub outbox_title: &'static str,
    pub outbox_warning: &'static str,
    pub outbox_empty: &'static str,
}

impl AccountTexts {
    pub fn of(locale: Locale) -> &'static Self {
        match locale {
            Locale::Ru => &RU,
            Locale::En => &EN,
        }
    }
}

static RU: AccountTexts = AccountTexts {
    by_code: "Войти по коду из SMS",
    by_password: "Войти с паролем",
    phone_label: "Номер телефона",
    send_code: "Получить код",
    code_title: "Введите код",
    code_intro: "Если номер зарегистрирован, мы отправили на него код из 6 цифр. Он действует 5 минут.",
    code_label: "Код из сообщения",
    confirm: "Подтвердить",
    code_invalid: "Неверный код.",
    code_expired: "Код устарел или попытки исчерпаны. Запросите новый.",
    throttled: "Слишком много попыток. Подождите немного и попробуйте снова.",
    send_cap: "Слишком много кодов за час. Попробуйте позже.",
    phone_invalid: "Укажите номер телефона, например +7 900 123-45-67.",
    factor_title: "Подтверждение входа",
    factor_intro: "Подтвердите вход вторым фактором.",
    factor_totp: "Код из приложения-аутентификатора",
    factor_sms: "Код из SMS",
    factor_recovery: "Резервный код",
    factor_send_sms: "Отправить код в SMS",
    factor_sms_sent: "Код отправлен на ваш телефон.",
    outbox_title: "Исходящие сообщения (режим разработки)",
    outbox_warning: "Только для разработки: сообщения не отправлялись. В рабочем режиме эта страница недоступна.",
    outbox_empty: "Сообщений нет.",
};

static EN: AccountTexts = AccountTexts {
    by_code: "Sign in with an SMS code",
    by_password: "Sign in with a password",
    phone_label: "Phone number",
    send_code: "Send me a code",
    code_title: "Enter the code",
    code_intro: "If the number is registered, we sent a 6-digit code to it. It is valid for 5 minutes.",
    code_label: "Code from the message",
    confirm: "Confirm",
    code_invalid: "Wrong code.",
    code_expired: "The code expired or has no attempts left. Ask for a new one.",
    throttled: "Too many attempts. Please wait a little and try again.",
    send_cap: "Too many codes this hour. Please try later.",
    phone_invalid: "Enter a phone number, e.g. +7 900 123-45-67.",
    factor_title: "Confirm it is you",
    factor_intro: "Confirm the sign-in with your second factor.",
    factor_totp: "Code from the authenticator app",
    factor_sms: "Code from an SMS",
    factor_recovery: "Recovery code",
    factor_send_sms: "Send a code by SMS",
    factor_sms_sent: "A code was sent to your phone.",
    outbox_title: "Outbox (development mode)",
    outbox_warning: "Development only: nothing was sent. This page does not exist in production.",
    outbox_empty: "No messages.",
};
