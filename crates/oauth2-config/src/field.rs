//! The fields of a configuration form, with the stable keys that the page, the server's error
//! bodies and the tests share.

use serde::{Deserialize, Serialize};

/// One field of an OAuth2 client configuration.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Field {
    Name,
    ClientId,
    ClientSecret,
    TokenUrl,
    RefreshTokenUrl,
    AuthUrl,
    Scopes,
    GrantType,
}

impl Field {
    /// Every field in the order the table and the form show them.
    pub const ALL: [Field; 8] = [
        Field::Name,
        Field::ClientId,
        Field::ClientSecret,
        Field::TokenUrl,
        Field::RefreshTokenUrl,
        Field::AuthUrl,
        Field::Scopes,
        Field::GrantType,
    ];

    /// Returns the stable key used in form `name` attributes, JSON bodies and error lists.
    pub fn key(self) -> &'static str {
        match self {
            Field::Name => "name",
            Field::ClientId => "client_id",
            Field::ClientSecret => "client_secret",
            Field::TokenUrl => "token_url",
            Field::RefreshTokenUrl => "refresh_token_url",
            Field::AuthUrl => "auth_url",
            Field::Scopes => "scopes",
            Field::GrantType => "grant_type",
        }
    }

    /// Returns the label an admin reads in the table header, the form and every message.
    pub fn label(self) -> &'static str {
        match self {
            Field::Name => "Name",
            Field::ClientId => "Client ID",
            Field::ClientSecret => "Client Secret",
            Field::TokenUrl => "Token URL",
            Field::RefreshTokenUrl => "Refresh Token URL",
            Field::AuthUrl => "Auth URL",
            Field::Scopes => "Scopes",
            Field::GrantType => "Grant Type",
        }
    }

    /// Finds the field whose key is `key`.
    pub fn from_key(key: &str) -> Option<Field> {
        Field::ALL.into_iter().find(|field| field.key() == key)
    }
}
