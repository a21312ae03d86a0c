//! Application types of the cabinet and the scheme each one fixes: a web application with
//! a server part uses the code flow with an api-key (RFC 6749 §4.1, §2.3.1); a single-page
//! or a native application is a public client with the code flow and PKCE (RFC 7636,
//! RFC 8252); a device without a browser uses the device flow (RFC 8628); a service uses
//! client credentials (RFC 6749 §4.4).

use crate::model::{ApplicationType, AuthMethod, Client, ClientKind, GrantType};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AppType {
    Web,
    Spa,
    Native,
    Device,
    Service,
}

impl AppType {
    pub const ALL: [AppType; 5] = [
        Self::Web,
        Self::Spa,
        Self::Native,
        Self::Device,
        Self::Service,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Web => "web",
            Self::Spa => "spa",
            Self::Native => "native",
            Self::Device => "device",
            Self::Service => "service",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|t| t.as_str() == text)
    }

    pub fn kind(self) -> ClientKind {
        match self {
            Self::Web | Self::Service => ClientKind::Confidential,
            Self::Spa | Self::Native | Self::Device => ClientKind::Public,
        }
    }

    pub fn auth_method(self) -> AuthMethod {
        match self.kind() {
            ClientKind::Confidential => AuthMethod::ClientSecretBasic,
            ClientKind::Public => AuthMethod::None,
        }
    }

    /// Redirect URIs follow the `native` rules for native apps and devices.
    pub fn application_type(self) -> ApplicationType {
        match self {
            Self::Native | Self::Device => ApplicationType::Native,
            Self::Web | Self::Spa | Self::Service => ApplicationType::Web,
        }
    }

    pub fn grant_types(self) -> Vec<GrantType> {
        match self {
            Self::Web | Self::Spa | Self::Native => {
                vec![GrantType::AuthorizationCode, GrantType::RefreshToken]
            }
            Self::Device => vec![GrantType::DeviceCode, GrantType::RefreshToken],
            Self::Service => vec![GrantType::ClientCredentials],
        }
    }

    /// Whether the app signs users in through the authorization endpoint.
    pub fn uses_redirects(self) -> bool {
        matches!(self, Self::Web | Self::Spa | Self::Native)
    }

    /// Whether the app authenticates with api-keys.
    pub fn uses_keys(self) -> bool {
        self.kind() == ClientKind::Confidential
    }

    /// The type a registered client has, read from its grants and kind.
    pub fn of(client: &Client) -> Self {
        if client.allows_grant(GrantType::DeviceCode) {
            Self::Device
        } else if client.allows_grant(GrantType::ClientCredentials)
            && !client.allows_grant(GrantType::AuthorizationCode)
        {
            Self::Service
        } else if client.is_public() {
            match client.application_type {
                ApplicationType::Native => Self::Native,
                ApplicationType::Web => Self::Spa,
            }
        } else {
            Self::Web
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::ClientBuilder;

    #[test]
    fn every_type_is_read_back_from_the_client_it_makes() {
        for t in AppType::ALL {
            let client = ClientBuilder::confidential("c")
                .kind(t.kind())
                .auth_method(t.auth_method())
                .application_type(t.application_type())
                .grants(&t.grant_types())
                .build();
            assert_eq!(AppType::of(&client), t, "{}", t.as_str());
            assert_eq!(AppType::parse(t.as_str()), Some(t));
        }
        assert_eq!(AppType::parse("other"), None);
    }

    #[test]
    fn only_server_side_types_use_keys() {
        assert!(AppType::Web.uses_keys());
        assert!(AppType::Service.uses_keys());
        assert!(!AppType::Spa.uses_keys());
        assert!(!AppType::Device.uses_keys());
        assert!(!AppType::Service.uses_redirects());
    }
}
