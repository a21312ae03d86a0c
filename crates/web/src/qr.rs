//! A QR code as a self-contained SVG (RFC 8628 §3.3.1 suggests showing
//! `verification_uri_complete` as one): one path of dark modules on a white square
//! with the four-module quiet zone the QR standard asks for.

use qrcodegen::{QrCode, QrCodeEcc};

const QUIET: i32 = 4;

pub fn svg(text: &str) -> Option<String> {
    let code = QrCode::encode_text(text, QrCodeEcc::Medium).ok()?;
    let size = code.size();
    let mut path = String::new();
    for y in 0..size {
        for x in 0..size {
            if code.get_module(x, y) {
                path.push_str(&format!("M{},{}h1v1h-1z", x + QUIET, y + QUIET));
            }
        }
    }
    let full = size + 2 * QUIET;
    Some(format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\" viewBox=\"0 0 {full} {full}\" \
         shape-rendering=\"crispEdges\"><rect width=\"100%\" height=\"100%\" fill=\"#fff\"/>\
         <path d=\"{path}\" fill=\"#000\"/></svg>"
    ))
}

#[cfg(test)]
mod tests {
    #[test]
    fn encodes_a_url() {
        let svg = super::svg("https://id.example/device?user-code=BDWPHQPK").expect("svg");
        assert!(svg.starts_with("<svg") && svg.contains("<path d=\"M"));
    }
}
