//! Delivery adapters behind `propusk_core::accounts::Sender`: e-mail through SMTP
//! ([RFC 5321](https://www.rfc-editor.org/rfc/rfc5321), with STARTTLS or implicit TLS),
//! SMS through an operator's HTTP gateway (URL, method, headers and a body template),
//! and the development outbox that keeps messages in the database for the operator to
//! read. [`Channels`] picks the adapter per message. The engine never sees the network.

mod channels;
mod dev;
mod sms;
mod smtp;

pub use channels::Channels;
pub use dev::DevOutbox;
pub use sms::{HttpSms, HttpSmsConfig};
pub use smtp::{Smtp, SmtpConfig, SmtpSecurity};

/// Installs the TLS crypto provider (AWS-LC) once per process; later calls do nothing.
pub fn init_tls() {
    let _ = rustls::crypto::aws_lc_rs::default_provider().install_default();
}
