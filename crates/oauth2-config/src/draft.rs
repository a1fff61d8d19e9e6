//! The draft: form text as the admin typed it, before validation.

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize};

use crate::Field;

/// The text of every form field, exactly as typed. Nothing in a draft has been checked.
///
/// `scopes` is one space-separated string. When a draft is read from JSON it may also be an array
/// of strings, which is joined with spaces.
#[derive(Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Draft {
    pub name: String,
    pub client_id: String,
    /// The typed secret. Empty means "none typed": either no secret or keep the stored one,
    /// depending on [`crate::Context::secret_on_file`].
    #[serde(skip_serializing)]
    pub client_secret: String,
    pub token_url: String,
    pub refresh_token_url: String,
    pub auth_url: String,
    #[serde(deserialize_with = "scopes_from_text_or_list")]
    pub scopes: String,
    pub grant_type: String,
}

impl Draft {
    /// Returns the text of one field.
    pub fn get(&self, field: Field) -> &str {
        match field {
            Field::Name => &self.name,
            Field::ClientId => &self.client_id,
            Field::ClientSecret => &self.client_secret,
            Field::TokenUrl => &self.token_url,
            Field::RefreshTokenUrl => &self.refresh_token_url,
            Field::AuthUrl => &self.auth_url,
            Field::Scopes => &self.scopes,
            Field::GrantType => &self.grant_type,
        }
    }

    /// Replaces the text of one field.
    pub fn set(&mut self, field: Field, value: String) {
        let slot = match field {
            Field::Name => &mut self.name,
            Field::ClientId => &mut self.client_id,
            Field::ClientSecret => &mut self.client_secret,
            Field::TokenUrl => &mut self.token_url,
            Field::RefreshTokenUrl => &mut self.refresh_token_url,
            Field::AuthUrl => &mut self.auth_url,
            Field::Scopes => &mut self.scopes,
            Field::GrantType => &mut self.grant_type,
        };
        *slot = value;
    }
}

/// Prints every field but the secret, which shows only whether one was typed.
impl fmt::Debug for Draft {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        let secret = if self.client_secret.is_empty() {
            ""
        } else {
            "[redacted]"
        };
        formatter
            .debug_struct("Draft")
            .field("name", &self.name)
            .field("client_id", &self.client_id)
            .field("client_secret", &secret)
            .field("token_url", &self.token_url)
            .field("refresh_token_url", &self.refresh_token_url)
            .field("auth_url", &self.auth_url)
            .field("scopes", &self.scopes)
            .field("grant_type", &self.grant_type)
            .finish()
    }
}

#[derive(Deserialize)]
#[serde(untagged)]
enum TextOrList {
    Text(String),
    List(Vec<String>),
}

fn scopes_from_text_or_list<'de, D: Deserializer<'de>>(deserializer: D) -> Result<String, D::Error> {
    Ok(match TextOrList::deserialize(deserializer)? {
        TextOrList::Text(text) => text,
        TextOrList::List(list) => list.join(" "),
    })
}
