//! Account identifiers in one canonical form, so that sign-in, registration and the admin
//! CLI agree: logins and e-mail addresses lower-cased, phone numbers in E.164 (ITU-T
//! E.164) with +7 assumed when no country code is given (`8 912 …` and `912 …` are
//! Russian numbers).

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum IdentifierError {
    #[error("the login must be non-empty and without spaces")]
    Login,
    #[error("not an e-mail address")]
    Email,
    #[error("not a phone number")]
    Phone,
}

pub fn normalize_login(text: &str) -> Result<String, IdentifierError> {
    let login = text.trim().to_lowercase();
    if login.is_empty() || login.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(IdentifierError::Login);
    }
    Ok(login)
}

pub fn normalize_email(text: &str) -> Result<String, IdentifierError> {
    let email = text.trim().to_lowercase();
    let valid = email.split_once('@').is_some_and(|(local, domain)| {
        !local.is_empty() && domain.contains('.') && !domain.contains('@')
    });
    if !valid || email.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(IdentifierError::Email);
    }
    Ok(email)
}

/// E.164: `+` and 8–15 digits. Separators (space, dash, dot, brackets) are dropped.
pub fn normalize_phone(text: &str) -> Result<String, IdentifierError> {
    let text = text.trim();
    let (international, rest) = match text.strip_prefix('+') {
        Some(rest) => (true, rest),
        None => (false, text),
    };
    let mut digits = String::new();
    for c in rest.chars() {
        match c {
            '0'..='9' => digits.push(c),
            ' ' | '-' | '.' | '(' | ')' => {}
            _ => return Err(IdentifierError::Phone),
        }
    }
    let digits = if international {
        digits
    } else if digits.len() == 11 && digits.starts_with('8') {
        format!("7{}", &digits[1..])
    } else if digits.len() == 10 {
        format!("7{digits}")
    } else {
        digits
    };
    if !(8..=15).contains(&digits.len()) || digits.starts_with('0') {
        return Err(IdentifierError::Phone);
    }
    Ok(format!("+{digits}"))
}

/// What a user typed into the sign-in form, in the form it is stored in: an e-mail if it
/// has `@`, a phone number if it is made of digits and separators, else a login.
pub fn normalize_identifier(text: &str) -> String {
    let trimmed = text.trim();
    if trimmed.contains('@') {
        return normalize_email(trimmed).unwrap_or_else(|_| trimmed.to_lowercase());
    }
    let phone_like = trimmed.chars().any(|c| c.is_ascii_digit())
        && trimmed
            .chars()
            .all(|c| c.is_ascii_digit() || " +-.()".contains(c));
    if phone_like && let Ok(phone) = normalize_phone(trimmed) {
        return phone;
    }
    trimmed.to_lowercase()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phones_become_e164_with_russia_by_default() {
        for input in [
            "+7 (912) 345-67-89",
            "8 912 345 67 89",
            "9123456789",
            "79123456789",
        ] {
            assert_eq!(
                normalize_phone(input).as_deref(),
                Ok("+79123456789"),
                "{input}"
            );
        }
        assert_eq!(
            normalize_phone("+44 20 7946 0018").as_deref(),
            Ok("+442079460018")
        );
        assert_eq!(normalize_phone("12ab"), Err(IdentifierError::Phone));
        assert_eq!(normalize_phone("123"), Err(IdentifierError::Phone));
    }

    #[test]
    fn identifiers_pick_their_kind() {
        assert_eq!(
            normalize_identifier(" Alice@Example.COM "),
            "alice@example.com"
        );
        assert_eq!(normalize_identifier("8 (912) 345-67-89"), "+79123456789");
        assert_eq!(normalize_identifier("Alice"), "alice");
        assert_eq!(normalize_identifier("alice2"), "alice2");
    }

    #[test]
    fn logins_and_emails() {
        assert_eq!(normalize_login(" Bob "), Ok("bob".into()));
        assert_eq!(normalize_login("a b"), Err(IdentifierError::Login));
        assert_eq!(normalize_email("x@y"), Err(IdentifierError::Email));
    }
}
