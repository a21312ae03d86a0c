//! SMS through the operator's HTTP gateway: a configurable URL, method, headers and body
//! template. Placeholders `{to}` and `{text}` are filled raw, `{to_json}`/`{text_json}`
//! as JSON strings (quotes included) and `{to_url}`/`{text_url}` percent-encoded, in the
//! URL and the body alike. A 2xx answer is delivered, 4xx permanent, anything else is
//! retried.

use async_trait::async_trait;
use propusk_core::accounts::{DeliveryError, OutboxMessage, Sender};
use std::time::Duration;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HttpSmsConfig {
    pub url: String,
    pub method: String,
    pub headers: Vec<(String, String)>,
    pub body: String,
}

pub struct HttpSms {
    config: HttpSmsConfig,
    method: reqwest::Method,
    client: reqwest::Client,
}

impl HttpSms {
    pub fn new(config: HttpSmsConfig) -> Result<Self, String> {
        crate::init_tls();
        let method = reqwest::Method::from_bytes(config.method.to_ascii_uppercase().as_bytes())
            .map_err(|_| format!("sms method `{}`", config.method))?;
        let client = reqwest::Client::builder()
            .timeout(Duration::from_secs(15))
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .map_err(|e| e.to_string())?;
        Ok(Self {
            config,
            method,
            client,
        })
    }
}

/// Fills the placeholders of a template.
pub fn fill(template: &str, to: &str, text: &str) -> String {
    let json = |s: &str| serde_json::Value::String(s.to_owned()).to_string();
    let url = |s: &str| url::form_urlencoded::byte_serialize(s.as_bytes()).collect::<String>();
    template
        .replace("{to_json}", &json(to))
        .replace("{text_json}", &json(text))
        .replace("{to_url}", &url(to))
        .replace("{text_url}", &url(text))
        .replace("{to}", to)
        .replace("{text}", text)
}

#[async_trait]
impl Sender for HttpSms {
    async fn send(&self, message: &OutboxMessage) -> Result<(), DeliveryError> {
        let url = fill(&self.config.url, &message.to, &message.body);
        let mut request = self.client.request(self.method.clone(), url);
        for (name, value) in &self.config.headers {
            request = request.header(name, fill(value, &message.to, &message.body));
        }
        if !self.config.body.is_empty() {
            request = request.body(fill(&self.config.body, &message.to, &message.body));
        }
        let response = request
            .send()
            .await
            .map_err(|e| DeliveryError::Temporary(format!("gateway unreachable: {e}")))?;
        let status = response.status();
        if status.is_success() {
            Ok(())
        } else if status.is_client_error() && status.as_u16() != 429 {
            Err(DeliveryError::Permanent(format!(
                "gateway answered {status}"
            )))
        } else {
            Err(DeliveryError::Temporary(format!(
                "gateway answered {status}"
            )))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders() {
        assert_eq!(
            fill(
                r#"{"phone":{to_json},"msg":{text_json}}"#,
                "+7900",
                "a \"b\""
            ),
            r#"{"phone":"+7900","msg":"a \"b\""}"#
        );
        assert_eq!(
            fill("https://g/?to={to_url}&t={text_url}", "+7", "a b"),
            "https://g/?to=%2B7&t=a+b"
        );
    }
}
