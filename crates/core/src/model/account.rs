//! User accounts: identifiers (login, e-mail, phone), the password hash (argon2id PHC
//! string) and the profile that feeds OIDC standard claims (OIDC Core §5.1).

use crate::clock::Timestamp;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Profile {
    pub name: Option<String>,
    pub given_name: Option<String>,
    pub family_name: Option<String>,
    pub middle_name: Option<String>,
    pub nickname: Option<String>,
    pub picture: Option<String>,
    pub website: Option<String>,
    pub gender: Option<String>,
    pub birthdate: Option<String>,
    pub zoneinfo: Option<String>,
    pub locale: Option<String>,
    pub email_verified: bool,
    pub phone_number_verified: bool,
    pub address: Option<serde_json::Value>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Account {
    pub id: String,
    pub login: String,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub password_hash: Option<String>,
    pub profile: Profile,
    pub disabled: bool,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
}
