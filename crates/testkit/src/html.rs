//! A tolerant reader of the forms on a page: `<form action method>`, its `<input name
//! value>` and `<button name value>`. Attribute values may be double-, single- or
//! unquoted; names are case-insensitive; HTML character references are decoded.

/// One form of a page, with the values it would submit.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Form {
    pub action: String,
    pub method: String,
    /// `(name, value)` of every named `<input>` in document order.
    pub fields: Vec<(String, String)>,
    /// `(name, value)` of every named submit `<button>`.
    pub buttons: Vec<(String, String)>,
}

impl Form {
    pub fn field(&self, name: &str) -> Option<&str> {
        self.fields
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    pub fn has_field(&self, name: &str) -> bool {
        self.fields.iter().any(|(n, _)| n == name)
    }

    pub fn has_button(&self, name: &str, value: &str) -> bool {
        self.buttons.iter().any(|(n, v)| n == name && v == value)
    }

    /// The fields with `overrides` replacing (or adding) values.
    pub fn values_with(&self, overrides: &[(&str, &str)]) -> Vec<(String, String)> {
        let mut values = self.fields.clone();
        for (name, value) in overrides {
            match values.iter_mut().find(|(n, _)| n == name) {
                Some(slot) => slot.1 = (*value).to_owned(),
                None => values.push(((*name).to_owned(), (*value).to_owned())),
            }
        }
        values
    }
}

/// Every form of a document.
pub fn forms(html: &str) -> Vec<Form> {
    let lower = html.to_ascii_lowercase();
    let mut found = Vec::new();
    let mut at = 0;
    while let Some(start) = lower[at..].find("<form").map(|i| i + at) {
        let Some(tag_end) = lower[start..].find('>').map(|i| i + start) else {
            break;
        };
        let end = lower[tag_end..]
            .find("</form")
            .map(|i| i + tag_end)
            .unwrap_or(html.len());
        let attrs = attributes(&html[start + 5..tag_end]);
        let mut form = Form {
            action: attr(&attrs, "action").unwrap_or_default(),
            method: attr(&attrs, "method")
                .unwrap_or_else(|| "get".into())
                .to_ascii_lowercase(),
            ..Form::default()
        };
        read_controls(&html[tag_end + 1..end], &mut form);
        found.push(form);
        at = end.max(tag_end + 1);
    }
    found
}

fn read_controls(body: &str, form: &mut Form) {
    let lower = body.to_ascii_lowercase();
    let mut at = 0;
    while let Some(open) = lower[at..].find('<').map(|i| i + at) {
        let Some(close) = lower[open..].find('>').map(|i| i + open) else {
            break;
        };
        let tag = &lower[open + 1..close];
        let name_len = tag
            .find(|c: char| c.is_ascii_whitespace() || c == '/')
            .unwrap_or(tag.len());
        let attrs = attributes(&body[open + 1 + name_len..close]);
        let name = attr(&attrs, "name");
        let value = attr(&attrs, "value").unwrap_or_default();
        match (&tag[..name_len], name) {
            ("input", Some(name)) => {
                let kind = attr(&attrs, "type")
                    .unwrap_or_default()
                    .to_ascii_lowercase();
                let checkable = kind == "checkbox" || kind == "radio";
                if kind == "submit" {
                    form.buttons.push((name, value));
                } else if !checkable || attrs.iter().any(|(n, _)| n == "checked") {
                    form.fields.push((name, value));
                }
            }
            ("button", Some(name)) => form.buttons.push((name, value)),
            _ => {}
        }
        at = close + 1;
    }
}

/// `name=value` pairs of a tag's attribute text; names lowercased, values decoded.
fn attributes(text: &str) -> Vec<(String, String)> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        while i < bytes.len() && (bytes[i].is_ascii_whitespace() || bytes[i] == b'/') {
            i += 1;
        }
        let start = i;
        while i < bytes.len()
            && !bytes[i].is_ascii_whitespace()
            && bytes[i] != b'='
            && bytes[i] != b'/'
        {
            i += 1;
        }
        if start == i {
            i += 1;
            continue;
        }
        let name = text[start..i].to_ascii_lowercase();
        while i < bytes.len() && bytes[i].is_ascii_whitespace() {
            i += 1;
        }
        if i >= bytes.len() || bytes[i] != b'=' {
            out.push((name, String::new()));
            continue;
        }
        i += 1;
        while i < bytes.len() && bytes[i].is_ascii_whitespace() {
            i += 1;
        }
        let value = match bytes.get(i) {
            Some(&quote @ (b'"' | b'\'')) => {
                let from = i + 1;
                let to = text[from..]
                    .find(quote as char)
                    .map(|j| j + from)
                    .unwrap_or(text.len());
                i = to + 1;
                &text[from..to]
            }
            _ => {
                let from = i;
                while i < bytes.len() && !bytes[i].is_ascii_whitespace() {
                    i += 1;
                }
                &text[from..i]
            }
        };
        out.push((name, unescape(value)));
    }
    out
}

fn attr(attrs: &[(String, String)], name: &str) -> Option<String> {
    attrs
        .iter()
        .find(|(n, _)| n == name)
        .map(|(_, v)| v.clone())
}

/// Decodes HTML character references: the common named ones and every numeric one.
pub fn unescape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        rest = &rest[amp..];
        let decoded = rest
            .find(';')
            .filter(|end| *end <= 10)
            .and_then(|end| Some((reference(&rest[1..end])?, end)));
        match decoded {
            Some((c, end)) => {
                out.push(c);
                rest = &rest[end + 1..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

fn reference(name: &str) -> Option<char> {
    let numeric = |digits: &str, radix| {
        u32::from_str_radix(digits, radix)
            .ok()
            .and_then(char::from_u32)
    };
    match name {
        "amp" => Some('&'),
        "lt" => Some('<'),
        "gt" => Some('>'),
        "quot" => Some('"'),
        "apos" => Some('\''),
        "nbsp" => Some('\u{a0}'),
        _ => match name.strip_prefix('#') {
            Some(hex) if hex.starts_with(['x', 'X']) => numeric(&hex[1..], 16),
            Some(dec) => numeric(dec, 10),
            None => None,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_escaped_forms() {
        let html = r#"<p>x</p><FORM method="post" action="&#x2f;interaction&#x2f;ab&#x2f;login?lang=en">
          <input type="hidden" name="csrf" value="a&amp;b">
          <input id=login name=login type=text value='bob'>
          <input name="password" type="password" required>
          <input type="checkbox" name="remember">
          <button type="submit" name="decision" value="allow">Allow</button>
        </form>"#;
        let found = forms(html);
        assert_eq!(found.len(), 1);
        let form = &found[0];
        assert_eq!(form.action, "/interaction/ab/login?lang=en");
        assert_eq!(form.method, "post");
        assert_eq!(form.field("csrf"), Some("a&b"));
        assert_eq!(form.field("login"), Some("bob"));
        assert_eq!(form.field("password"), Some(""));
        assert!(!form.has_field("remember"));
        assert!(form.has_button("decision", "allow"));
    }

    #[test]
    fn unescapes_references() {
        assert_eq!(
            unescape("a&#39;b&#x27;c&quot;&lt;&gt;&unknown;&"),
            "a'b'c\"<>&unknown;&"
        );
    }
}
