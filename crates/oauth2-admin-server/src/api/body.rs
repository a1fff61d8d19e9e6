//! JSON bodies of the API: what write and validate requests send, and what they return.

use std::fmt;

use oauth2_config::{Config, Draft, Problem};
use serde::de::{self, SeqAccess, Visitor};
use serde::{Deserialize, Deserializer, Serialize};

use crate::store::{ConfigInput, SecretChange, StoredConfig};

/// The body of `PUT /api/oauth2-configs/{id}` and `POST /api/oauth2-configs/validate`.
///
/// Every draft field may be missing or `null`, which both mean empty, so a configuration read
/// from `GET` can be sent back as it is. Members this body does not name, such as `revision` or
/// `client_secret_set`, are ignored. `Debug` is not derived because the body may hold a secret.
#[derive(Deserialize)]
pub struct ConfigBody {
    name: Option<String>,
    client_id: Option<String>,
    token_url: Option<String>,
    refresh_token_url: Option<String>,
    auth_url: Option<String>,
    scopes: Option<ScopesText>,
    grant_type: Option<String>,
    /// Missing keeps the stored secret, `null` or `""` removes it, any other string replaces it.
    #[serde(default, deserialize_with = "present_or_null")]
    client_secret: Option<Option<String>>,
    /// For validate only: the configuration being edited, left out of the unique-name check.
    /// `PUT` ignores it because the id is in the path.
    pub id: Option<String>,
}

impl ConfigBody {
    pub fn into_input(self) -> ConfigInput {
        let (secret, client_secret) = match self.client_secret {
            None => (SecretChange::Keep, String::new()),
            Some(None) => (SecretChange::Clear, String::new()),
            Some(Some(text)) if text.is_empty() => (SecretChange::Clear, text),
            Some(Some(text)) => (SecretChange::Set, text),
        };
        let draft = Draft {
            name: self.name.unwrap_or_default(),
            client_id: self.client_id.unwrap_or_default(),
            client_secret,
            token_url: self.token_url.unwrap_or_default(),
            refresh_token_url: self.refresh_token_url.unwrap_or_default(),
            auth_url: self.auth_url.unwrap_or_default(),
            scopes: self.scopes.map(|scopes| scopes.0).unwrap_or_default(),
            grant_type: self.grant_type.unwrap_or_default(),
        };
        ConfigInput { draft, secret }
    }
}

/// Tells a `null` value (`Some(None)`) from a missing key (`None`, through `#[serde(default)]`).
fn present_or_null<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<Option<String>>, D::Error> {
    Option::<String>::deserialize(deserializer).map(Some)
}

/// Scopes as one space-separated string or as an array of tokens, joined with spaces.
struct ScopesText(String);

impl<'de> Deserialize<'de> for ScopesText {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<ScopesText, D::Error> {
        deserializer.deserialize_any(ScopesVisitor)
    }
}

struct ScopesVisitor;

impl<'de> Visitor<'de> for ScopesVisitor {
    type Value = ScopesText;

    fn expecting(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str("a string of space-separated scopes or an array of strings")
    }

    fn visit_str<E: de::Error>(self, text: &str) -> Result<ScopesText, E> {
        Ok(ScopesText(text.to_owned()))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut sequence: A) -> Result<ScopesText, A::Error> {
        let mut tokens: Vec<String> = Vec::new();
        while let Some(token) = sequence.next_element()? {
            tokens.push(token);
        }
        Ok(ScopesText(tokens.join(" ")))
    }
}

/// The body of a successful `PUT`: the stored configuration and the validation warnings.
#[derive(Serialize)]
pub struct WrittenBody {
    #[serde(flatten)]
    pub config: StoredConfig,
    pub warnings: Vec<Problem>,
}

/// The body of `GET /api/oauth2-configs`.
#[derive(Serialize)]
pub struct ListBody {
    pub items: Vec<StoredConfig>,
}

/// The body of `POST /api/oauth2-configs/validate`.
#[derive(Serialize)]
pub struct ValidationBody {
    pub errors: Vec<Problem>,
    pub warnings: Vec<Problem>,
    /// The configuration as it would be stored, or `null` when there is an error.
    pub normalized: Option<Config>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input(json: &str) -> ConfigInput {
        serde_json::from_str::<ConfigBody>(json).unwrap().into_input()
    }

    #[test]
    fn secret_key_missing_keeps() {
        assert_eq!(input(r#"{"name": "a"}"#).secret, SecretChange::Keep);
    }

    #[test]
    fn secret_null_or_empty_clears() {
        assert_eq!(input(r#"{"client_secret": null}"#).secret, SecretChange::Clear);
        assert_eq!(input(r#"{"client_secret": ""}"#).secret, SecretChange::Clear);
    }

    #[test]
    fn secret_text_sets() {
        let input = input(r#"{"client_secret": "s3cret"}"#);

        assert_eq!(input.secret, SecretChange::Set);
        assert_eq!(input.draft.client_secret, "s3cret");
    }

    #[test]
    fn scopes_text_or_array() {
        assert_eq!(input(r#"{"scopes": "a b"}"#).draft.scopes, "a b");
        assert_eq!(input(r#"{"scopes": ["a", "b"]}"#).draft.scopes, "a b");
        assert_eq!(input(r#"{"scopes": null}"#).draft.scopes, "");
    }

    #[test]
    fn null_urls_read_as_empty() {
        let input = input(r#"{"refresh_token_url": null, "auth_url": null}"#);

        assert_eq!(input.draft.refresh_token_url, "");
        assert_eq!(input.draft.auth_url, "");
    }
}
