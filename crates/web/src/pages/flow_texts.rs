//! Texts of the device verification and logout pages, Russian and English. Kept apart
//! from the sign-in texts so that each set of pages owns its strings.

use crate::i18n::Locale;

pub struct FlowTexts {
    pub device_title: &'static str,
    pub device_intro: &'static str,
    pub device_code_label: &'static str,
    pub device_continue: &'static str,
    pub device_sign_in_intro: &'static str,
    pub device_code_unknown: &'static str,
    pub device_throttled: &'static str,
    pub device_confirm_title: &'static str,
    pub device_confirm_intro: &'static str,
    pub device_confirm_warning: &'static str,
    pub device_allow: &'static str,
    pub device_deny: &'static str,
    pub device_approved_title: &'static str,
    pub device_approved_text: &'static str,
    pub device_denied_title: &'static str,
    pub device_denied_text: &'static str,
    pub logout_confirm_title: &'static str,
    pub logout_confirm_text: &'static str,
    pub logout_confirm_from: &'static str,
    pub logout_yes: &'static str,
    pub logout_no: &'static str,
    pub logged_out_title: &'static str,
    pub logged_out_text: &'static str,
    pub still_signed_in_text: &'static str,
    pub logout_continue: &'static str,
    pub logout_frame_title: &'static str,
    pub scope_openid: &'static str,
    pub scope_profile: &'static str,
    pub scope_email: &'static str,
    pub scope_phone: &'static str,
    pub scope_address: &'static str,
    pub scope_offline_access: &'static str,
}

impl FlowTexts {
    pub fn of(locale: Locale) -> &'static Self {
        match locale {
            Locale::Ru => &RU,
            Locale::En => &EN,
        }
    }

    /// The words for a standard scope, if it is one.
    pub fn standard_scope(&self, name: &str) -> Option<&'static str> {
        match name {
            "openid" => Some(self.scope_openid),
            "profile" => Some(self.scope_profile),
            "email" => Some(self.scope_email),
            "phone" => Some(self.scope_phone),
            "address" => Some(self.scope_address),
            "offline_access" => Some(self.scope_offline_access),
            _ => None,
        }
    }
}

pub static RU: FlowTexts = FlowTexts {
    device_title: "Подключение устройства",
    device_intro: "Введите код, который показывает устройство или программа.",
    device_code_label: "Код с устройства",
    device_continue: "Продолжить",
    device_sign_in_intro: "Войдите, чтобы подключить устройство.",
    device_code_unknown: "Код не найден или устарел. Проверьте его и введите снова.",
    device_throttled: "Слишком много попыток. Подождите несколько минут и попробуйте снова.",
    device_confirm_title: "Разрешить доступ устройству?",
    device_confirm_intro: "просит доступ к вашей учётной записи на устройстве с кодом",
    device_confirm_warning: "Разрешайте, только если этот код показан на вашем устройстве прямо сейчас.",
    device_allow: "Разрешить",
    device_deny: "Отказать",
    device_approved_title: "Устройство подключено",
    device_approved_text: "Можно вернуться к устройству: вход завершится сам.",
    device_denied_title: "Доступ не разрешён",
    device_denied_text: "Устройство не получит доступ к вашей учётной записи.",
    logout_confirm_title: "Выйти из учётной записи?",
    logout_confirm_text: "Вы выйдете во всех приложениях, где входили через эту учётную запись.",
    logout_confirm_from: "Запрос на выход пришёл от приложения",
    logout_yes: "Выйти",
    logout_no: "Остаться",
    logged_out_title: "Вы вышли",
    logged_out_text: "Сеанс завершён во всех приложениях.",
    still_signed_in_text: "Вы не вышли из учётной записи.",
    logout_continue: "Вернуться в приложение",
    logout_frame_title: "Выход из приложения",
    scope_openid: "Подтверждение вашей личности",
    scope_profile: "Имя и данные профиля",
    scope_email: "Адрес электронной почты",
    scope_phone: "Номер телефона",
    scope_address: "Почтовый адрес",
    scope_offline_access: "Доступ, пока вы не в сети",
};

pub static EN: FlowTexts = FlowTexts {
    device_title: "Connect a device",
    device_intro: "Enter the code shown by your device or program.",
    device_code_label: "Code from the device",
    device_continue: "Continue",
    device_sign_in_intro: "Sign in to connect the device.",
    device_code_unknown: "This code is unknown or has expired. Check it and enter it again.",
    device_throttled: "Too many attempts. Wait a few minutes and try again.",
    device_confirm_title: "Allow this device?",
    device_confirm_intro: "asks for access to your account on the device showing the code",
    device_confirm_warning: "Allow only if your device shows this code right now.",
    device_allow: "Allow",
    device_deny: "Deny",
    device_approved_title: "Device connected",
    device_approved_text: "You can return to your device: it will finish signing in by itself.",
    device_denied_title: "Access not allowed",
    device_denied_text: "The device will not get access to your account.",
    logout_confirm_title: "Sign out?",
    logout_confirm_text: "You will be signed out of every application you signed in to with this account.",
    logout_confirm_from: "The sign-out request came from",
    logout_yes: "Sign out",
    logout_no: "Stay signed in",
    logged_out_title: "You have signed out",
    logged_out_text: "The session has ended in every application.",
    still_signed_in_text: "You are still signed in.",
    logout_continue: "Back to the application",
    logout_frame_title: "Signing out of an application",
    scope_openid: "Confirm who you are",
    scope_profile: "Your name and profile",
    scope_email: "Your e-mail address",
    scope_phone: "Your phone number",
    scope_address: "Your postal address",
    scope_offline_access: "Access while you are away",
};
