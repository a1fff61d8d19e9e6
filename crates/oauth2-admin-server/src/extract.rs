//! Request extractors whose rejections are [`ApiError`] problems instead of axum's plain-text
//! ones.

use axum::body::Bytes;
use axum::extract::{FromRequest, FromRequestParts, Path, Request};
use axum::http::header::{CONTENT_TYPE, IF_MATCH};
use axum::http::request::Parts;
use axum::http::{HeaderMap, StatusCode};
use serde::de::DeserializeOwned;
use uuid::Uuid;

use crate::error::ApiError;

/// A JSON request body. Rejects a body not sent as `application/json` (415), a body over the limit
/// (413) and malformed JSON (400, saying where).
pub struct JsonBody<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for JsonBody<T> {
    type Rejection = ApiError;

    async fn from_request(request: Request, state: &S) -> Result<JsonBody<T>, ApiError> {
        if !is_json(request.headers()) {
            return Err(ApiError::UnsupportedMediaType);
        }
        let bytes = Bytes::from_request(request, state).await.map_err(|rejection| {
            if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE {
                ApiError::PayloadTooLarge
            } else {
                ApiError::BadRequest("The request body could not be read.".to_owned())
            }
        })?;

        let mut deserializer = serde_json::Deserializer::from_slice(&bytes);
        let value = serde_path_to_error::deserialize(&mut deserializer)
            .map_err(|error| ApiError::BadRequest(describe_json_error(&error)))?;
        deserializer.end().map_err(|error| {
            ApiError::BadRequest(format!("The request body is not valid JSON: {}.", reason(&error)))
        })?;
        Ok(JsonBody(value))
    }
}

/// Returns whether the media type is `application/json`, with or without parameters.
fn is_json(headers: &HeaderMap) -> bool {
    let Some(value) = headers.get(CONTENT_TYPE).and_then(|value| value.to_str().ok()) else {
        return false;
    };
    let essence = value.split(';').next().unwrap_or_default().trim();
    essence.eq_ignore_ascii_case("application/json")
}

/// Describes a JSON error with its place in the body and without quoting any value from it, so a
/// secret sent in the wrong field never comes back in the response.
fn describe_json_error(error: &serde_path_to_error::Error<serde_json::Error>) -> String {
    let inner = error.inner();
    match inner.classify() {
        serde_json::error::Category::Data => {
            format!(
                "The request body has an invalid value at `{}`: {}.",
                error.path(),
                reason(inner)
            )
        }
        _ => format!("The request body is not valid JSON: {}.", reason(inner)),
    }
}

/// Returns serde_json's reason for `error` with its position, minus any part that quotes input.
fn reason(error: &serde_json::Error) -> String {
    let text = error.to_string();
    let position = format!(" at line {} column {}", error.line(), error.column());
    let message = text.strip_suffix(&position).unwrap_or(&text);

    // serde words type errors as "invalid type: string \"...\", expected a string", so only the
    // expectation is kept. It is searched from the end because the quoted input may contain the
    // same words. Messages that name only keys are safe to keep whole.
    let safe = if message.starts_with("invalid type")
        || message.starts_with("invalid value")
        || message.starts_with("invalid length")
    {
        message
            .rfind(", expected ")
            .map(|start| &message[start + 2..])
            .unwrap_or("invalid value")
    } else if error.classify() != serde_json::error::Category::Data
        || message.starts_with("missing field")
        || message.starts_with("duplicate field")
    {
        message
    } else {
        "invalid value"
    };
    if error.line() == 0 {
        safe.to_owned()
    } else {
        format!("{safe} at line {}, column {}", error.line(), error.column())
    }
}

/// The configuration id in the path, which must be a UUID.
pub struct ConfigId(pub Uuid);

impl<S: Send + Sync> FromRequestParts<S> for ConfigId {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<ConfigId, ApiError> {
        let not_uuid = || {
            ApiError::BadRequest(
                "The configuration id in the path is not a UUID; use the 8-4-4-4-12 hexadecimal form, for example 3b241101-e2bb-4255-8caf-4136c566a962.".to_owned(),
            )
        };
        let Path(text) = Path::<String>::from_request_parts(parts, state)
            .await
            .map_err(|_| not_uuid())?;
        Uuid::try_parse(&text).map(ConfigId).map_err(|_| not_uuid())
    }
}

/// The `If-Match` precondition of a write.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Precondition {
    /// No `If-Match` header.
    Absent,
    /// `If-Match: *`: the configuration must exist.
    Exists,
    /// `If-Match` with entity tags: the stored revision must be one of these. Weak tags and tags
    /// this server never sends are left out, because they never match.
    Revisions(Vec<i64>),
}

impl Precondition {
    /// Returns whether a configuration at `revision` (`None` when absent) meets the precondition.
    /// [`Precondition::Absent`] is always met.
    pub fn is_met_by(&self, revision: Option<i64>) -> bool {
        match (self, revision) {
            (Precondition::Absent, _) => true,
            (_, None) => false,
            (Precondition::Exists, Some(_)) => true,
            (Precondition::Revisions(revisions), Some(revision)) => revisions.contains(&revision),
        }
    }
}

impl<S: Send + Sync> FromRequestParts<S> for Precondition {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Precondition, ApiError> {
        let mut values = parts.headers.get_all(IF_MATCH).iter().peekable();
        if values.peek().is_none() {
            return Ok(Precondition::Absent);
        }

        let mut revisions = Vec::new();
        for value in values {
            let text = value.to_str().map_err(|_| unreadable_if_match())?;
            for tag in text.split(',').map(str::trim) {
                if tag == "*" {
                    return Ok(Precondition::Exists);
                }
                let opaque = tag.strip_prefix("W/").unwrap_or(tag);
                let quoted = opaque.len() >= 2 && opaque.starts_with('"') && opaque.ends_with('"');
                if !quoted {
                    return Err(unreadable_if_match());
                }
                let is_weak = opaque.len() != tag.len();
                let digits = &opaque[1..opaque.len() - 1];
                // Entity tags compare as strings, so only the form the server sends can match.
                let canonical = !digits.is_empty()
                    && digits.bytes().all(|byte| byte.is_ascii_digit())
                    && (digits == "0" || !digits.starts_with('0'));
                if let (false, true, Ok(revision)) = (is_weak, canonical, digits.parse::<i64>()) {
                    revisions.push(revision);
                }
            }
        }
        Ok(Precondition::Revisions(revisions))
    }
}

fn unreadable_if_match() -> ApiError {
    ApiError::BadRequest(
        "If-Match must be `*` or quoted entity tags such as `\"3\"`, as sent in the ETag header.".to_owned(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_json(text: &str) -> Result<serde_json::Value, String> {
        #[derive(serde::Deserialize, Debug)]
        #[allow(dead_code)]
        struct Body {
            name: Option<String>,
            id: Option<u32>,
        }
        let mut deserializer = serde_json::Deserializer::from_str(text);
        serde_path_to_error::deserialize::<_, Body>(&mut deserializer)
            .map(|_| serde_json::Value::Null)
            .map_err(|error| describe_json_error(&error))
    }

    #[test]
    fn type_error_omits_value() {
        let detail = parse_json(r#"{"id": "hunter2-secret"}"#).unwrap_err();

        assert!(!detail.contains("hunter2"), "{detail}");
        assert!(detail.contains("`id`"), "{detail}");
        assert!(detail.contains("expected u32"), "{detail}");
    }

    #[test]
    fn type_error_omits_value_that_looks_like_expectation() {
        let detail = parse_json(r#"{"id": "x, expected hunter2"}"#).unwrap_err();

        assert!(!detail.contains("hunter2"), "{detail}");
        assert!(detail.contains("expected u32"), "{detail}");
    }

    #[test]
    fn syntax_error_names_position() {
        let detail = parse_json("{\"name\": \"a\",\n}").unwrap_err();

        assert!(detail.contains("line 2, column 1"), "{detail}");
    }
}
