//! Sequence diagrams of the schemes, drawn here as SVG (no third-party script): one
//! lifeline per party, one arrow per message, labels in the page's language for the
//! parties and as on the wire for the messages.

use propusk_texts::Locale;
use std::fmt::Write;

/// The parties a scheme involves, left to right.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Party {
    Person,
    Browser,
    Device,
    App,
    Provider,
    Product,
    Partner,
}

impl Party {
    /// The text key of the party's name.
    pub fn key(self) -> &'static str {
        match self {
            Self::Person => "docs-party-person",
            Self::Browser => "docs-party-browser",
            Self::Device => "docs-party-device",
            Self::App => "docs-party-app",
            Self::Provider => "docs-party-provider",
            Self::Product => "docs-party-product",
            Self::Partner => "docs-party-partner",
        }
    }
}

/// One message: from, to, what travels.
pub type Step = (Party, Party, &'static str);

/// A diagram: its parties and messages.
pub struct Diagram {
    pub parties: &'static [Party],
    pub steps: &'static [Step],
}

use Party::*;

/// The diagram of the scheme called `name` (`code`, `pkce`, …), if it has one.
pub fn diagram(name: &str) -> Option<Diagram> {
    let (parties, steps): (&'static [Party], &'static [Step]) = match name {
        "code" => (
            &[Browser, App, Provider, Product],
            &[
                (Browser, App, "GET / (sign in)"),
                (
                    App,
                    Browser,
                    "302 → /connect/authorize?response_type=code&state&nonce",
                ),
                (Browser, Provider, "GET /connect/authorize"),
                (Provider, Browser, "sign-in and consent pages"),
                (Provider, Browser, "302 → redirect_uri?code&state&iss"),
                (Browser, App, "GET redirect_uri?code&state"),
                (App, Provider, "POST /connect/token (code, api-key)"),
                (Provider, App, "access_token, id_token, refresh_token"),
                (
                    App,
                    Product,
                    "GET /api … Authorization: Bearer access_token",
                ),
                (Product, App, "200 data"),
            ],
        ),
        "pkce" => (
            &[Browser, App, Provider, Product],
            &[
                (App, App, "code_verifier → code_challenge = S256(verifier)"),
                (
                    App,
                    Browser,
                    "→ /connect/authorize?code_challenge&method=S256",
                ),
                (Browser, Provider, "GET /connect/authorize"),
                (Provider, Browser, "sign-in and consent pages"),
                (Provider, Browser, "302 → redirect_uri?code&state&iss"),
                (Browser, App, "redirect_uri?code&state"),
                (App, Provider, "POST /connect/token (code, code_verifier)"),
                (Provider, App, "access_token, id_token, refresh_token"),
                (App, Product, "Authorization: Bearer access_token"),
            ],
        ),
        "device" => (
            &[Device, Provider, Person],
            &[
                (Device, Provider, "POST /connect/deviceauthorization"),
                (Provider, Device, "device_code, user_code, verification_uri"),
                (Device, Person, "shows user_code or a QR code"),
                (Person, Provider, "GET /device?user_code (on a phone)"),
                (Provider, Person, "sign-in, then allow or deny"),
                (
                    Device,
                    Provider,
                    "POST /connect/token (device_code), every interval",
                ),
                (Provider, Device, "authorization_pending … then tokens"),
            ],
        ),
        "client-credentials" => (
            &[App, Provider, Product],
            &[
                (
                    App,
                    Provider,
                    "POST /connect/token grant_type=client_credentials",
                ),
                (Provider, App, "access_token (sub = client_id)"),
                (App, Product, "Authorization: Bearer access_token"),
                (Product, App, "200 data"),
            ],
        ),
        "password" => (
            &[Person, App, Provider],
            &[
                (Person, App, "login and password"),
                (App, Provider, "POST /connect/token grant_type=password"),
                (Provider, App, "access_token (refresh_token)"),
            ],
        ),
        "partner" => (
            &[Partner, Provider, Product],
            &[
                (Partner, Partner, "signs an assertion with its key"),
                (
                    Partner,
                    Provider,
                    "POST /connect/token grant_type=jwt-bearer",
                ),
                (Provider, Partner, "access_token"),
                (
                    Partner,
                    Provider,
                    "POST /connect/token grant_type=token-exchange",
                ),
                (Provider, Partner, "narrower access_token with act"),
                (Partner, Product, "Authorization: Bearer access_token"),
            ],
        ),
        "certificate" => (
            &[App, Provider],
            &[
                (
                    App,
                    Provider,
                    "POST /authentication/certificate (certificate)",
                ),
                (Provider, App, "encrypted_key, thumbprint, expires_in"),
                (App, App, "decrypts encrypted_key with the private key"),
                (App, Provider, "POST /connect/token grant_type=certificate"),
                (Provider, App, "access_token, id_token"),
            ],
        ),
        _ => return None,
    };
    Some(Diagram { parties, steps })
}

const COLUMN: usize = 190;
const MARGIN: usize = 20;
const HEAD: usize = 56;
const ROW: usize = 40;

impl Diagram {
    /// The SVG, with party names as `name_of` gives them; `title` names the diagram for
    /// assistive technology.
    pub fn svg(&self, locale: Locale, title: &str, name_of: impl Fn(&str) -> String) -> String {
        let width = MARGIN * 2 + COLUMN * self.parties.len();
        let height = HEAD + ROW * self.steps.len() + 30;
        let x = |party: Party| {
            let index = self.parties.iter().position(|p| *p == party).unwrap_or(0);
            MARGIN + COLUMN * index + COLUMN / 2
        };
        let mut svg = String::with_capacity(4096);
        let _ = write!(
            svg,
            "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {width} {height}\" width=\"{width}\" height=\"{height}\" role=\"img\" aria-labelledby=\"t\" lang=\"{}\" font-family=\"system-ui, sans-serif\" font-size=\"12\">\
             <title id=\"t\">{}</title>\
             <defs><marker id=\"a\" viewBox=\"0 0 10 10\" refX=\"10\" refY=\"5\" markerWidth=\"7\" markerHeight=\"7\" orient=\"auto-start-reverse\"><path d=\"M0 0L10 5L0 10z\" fill=\"#1f3a5f\"/></marker></defs>\
             <rect width=\"100%\" height=\"100%\" fill=\"#ffffff\"/>",
            locale.code(),
            escape(title)
        );
        for party in self.parties {
            let cx = x(*party);
            let _ = write!(
                svg,
                "<rect x=\"{}\" y=\"8\" width=\"{}\" height=\"30\" rx=\"6\" fill=\"#e8eef6\" stroke=\"#1f3a5f\"/>\
                 <text x=\"{cx}\" y=\"28\" text-anchor=\"middle\" font-weight=\"600\" fill=\"#102030\">{}</text>\
                 <line x1=\"{cx}\" y1=\"38\" x2=\"{cx}\" y2=\"{}\" stroke=\"#8796a8\" stroke-dasharray=\"4 4\"/>",
                cx - COLUMN / 2 + 8,
                COLUMN - 16,
                escape(&name_of(party.key())),
                height - 8
            );
        }
        for (row, (from, to, label)) in self.steps.iter().enumerate() {
            let y = HEAD + ROW * row + 22;
            let (x1, x2) = (x(*from), x(*to));
            if x1 == x2 {
                // A step inside one party: a small loop.
                let _ = write!(
                    svg,
                    "<path d=\"M{x1} {} h30 v14 h-30\" fill=\"none\" stroke=\"#1f3a5f\" marker-end=\"url(#a)\"/>\
                     <text x=\"{}\" y=\"{}\" fill=\"#102030\">{}</text>",
                    y - 6,
                    x1 + 36,
                    y + 4,
                    escape(label)
                );
                continue;
            }
            let (left, right) = (x1.min(x2), x1.max(x2));
            let _ = write!(
                svg,
                "<line x1=\"{x1}\" y1=\"{y}\" x2=\"{x2}\" y2=\"{y}\" stroke=\"#1f3a5f\" stroke-width=\"1.5\" marker-end=\"url(#a)\"/>\
                 <text x=\"{}\" y=\"{}\" text-anchor=\"middle\" fill=\"#102030\">{}</text>",
                (left + right) / 2,
                y - 6,
                escape(label)
            );
        }
        svg.push_str("</svg>\n");
        svg
    }
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_scheme_draws_a_well_formed_picture() {
        for name in [
            "code",
            "pkce",
            "device",
            "client-credentials",
            "password",
            "partner",
            "certificate",
        ] {
            let diagram = diagram(name).expect(name);
            for (from, to, _) in diagram.steps {
                assert!(diagram.parties.contains(from) && diagram.parties.contains(to));
            }
            let svg = diagram.svg(Locale::EN, "A & B", |key| format!("<{key}>"));
            assert!(svg.starts_with("<svg") && svg.trim_end().ends_with("</svg>"));
            assert!(svg.contains("A &amp; B") && svg.contains("&lt;docs-party"));
            assert_eq!(
                svg.matches("<text").count() - diagram.parties.len(),
                diagram.steps.len()
            );
        }
        assert!(diagram("nothing").is_none());
    }
}
