//! The `scope` parameter ([RFC 6749 §3.3](https://www.rfc-editor.org/rfc/rfc6749#section-3.3)):
//! parsed when present, then held within what the client registered or, when a refresh
//! or a device poll repeats it, within what was approved before (§6: it may only narrow).

use crate::error::{Error, Result};
use crate::model::Client;
use crate::request::{Params, shorten};
use propusk_types::scope::Scope;

/// The scope that lets an API client read and change everything an operator may
/// (the management API of the operator layer).
pub const ADMIN_SCOPE: &str = "propusk:admin";
/// The scope that lets an API client read what an operator may read.
pub const ADMIN_READ_SCOPE: &str = "propusk:admin.read";

/// Whether `scope` is one of the management API's own scopes (no product owns them).
pub fn is_admin_scope(scope: &str) -> bool {
    scope == ADMIN_SCOPE || scope == ADMIN_READ_SCOPE
}

/// The `scope` parameter when present; a malformed one is `invalid_request`.
pub fn optional_scope(params: &Params) -> Result<Option<Scope>> {
    params
        .get("scope")
        .map(Scope::parse)
        .transpose()
        .map_err(|_| Error::InvalidParameter {
            name: "scope",
            reason: "not a valid scope string",
        })
}

/// The requested scope within the client's; absent means all of it.
pub fn client_scope(client: &Client, requested: Option<Scope>) -> Result<Scope> {
    let Some(scope) = requested else {
        return Ok(client.scope.clone());
    };
    if let Some(refused) = scope.iter().find(|s| !client.scope.contains(s)) {
        return Err(Error::ScopeNotAllowed(shorten(refused)));
    }
    Ok(scope)
}

/// The approved scope, or the narrower one the request repeats; a wider one is refused.
pub fn narrowed(approved: &Scope, requested: Option<Scope>) -> Result<Scope> {
    match requested {
        None => Ok(approved.clone()),
        Some(scope) if scope.is_subset(approved) => Ok(scope),
        Some(_) => Err(Error::ScopeWidened),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scope(text: &str) -> Scope {
        Scope::parse(text).expect("valid scope")
    }

    #[test]
    fn scope_parameter_is_optional_but_must_parse() {
        assert_eq!(optional_scope(&Params::of(&[])).expect("absent"), None);
        assert_eq!(
            optional_scope(&Params::of(&[("scope", "openid extern.api")])).expect("parses"),
            Some(scope("openid extern.api"))
        );
        assert!(matches!(
            optional_scope(&Params::of(&[("scope", "bad\"scope")])),
            Err(Error::InvalidParameter { name: "scope", .. })
        ));
    }

    #[test]
    fn repeated_scope_may_only_narrow() {
        let approved = scope("openid profile offline_access extern.api");
        assert_eq!(narrowed(&approved, None).expect("same"), approved);
        assert_eq!(
            narrowed(&approved, Some(approved.clone())).expect("same"),
            approved
        );
        assert_eq!(
            narrowed(&approved, Some(scope("openid extern.api"))).expect("narrower"),
            scope("openid extern.api")
        );
        assert!(matches!(
            narrowed(&approved, Some(scope("openid email"))),
            Err(Error::ScopeWidened)
        ));
    }
}
