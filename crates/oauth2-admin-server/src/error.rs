//! The one error type of the API, sent as `application/problem+json` (RFC 9457).
//!
//! Every problem has `type`, `title`, `status` and `detail`. Validation and conflict problems add
//! `errors`, the domain crate's per-field problems. A failed precondition adds `current`, the
//! stored configuration. The type is always `about:blank` because each status has one meaning in
//! this API, so clients match on `status`.

use axum::http::header::{CONTENT_TYPE, WWW_AUTHENTICATE};
use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use oauth2_config::Problem;
use serde::Serialize;

use crate::store::{StoreError, StoredConfig};

const PROBLEM_JSON: &str = "application/problem+json";

/// Everything a request can fail with.
#[derive(Debug)]
pub enum ApiError {
    /// Malformed JSON, a path id that is not a UUID or an unreadable `If-Match`. The text names
    /// the place and never quotes a value from the body.
    BadRequest(String),
    /// No bearer token, or the wrong one.
    Unauthorized { token_sent: bool },
    /// No configuration with the requested id.
    ConfigNotFound,
    /// No route or page file for the path.
    RouteNotFound,
    /// The route exists but not for this method.
    MethodNotAllowed,
    /// The body is larger than [`crate::MAX_BODY_BYTES`].
    PayloadTooLarge,
    /// The body is not sent as `application/json`.
    UnsupportedMediaType,
    /// The draft breaks at least one validation rule.
    Invalid(Vec<Problem>),
    /// The name is already used by another configuration, ignoring case.
    DuplicateName(Vec<Problem>),
    /// `If-Match` names another revision, or the configuration does not exist.
    PreconditionFailed { current: Option<Box<StoredConfig>> },
    /// A change to an existing configuration came without `If-Match`.
    PreconditionRequired,
    /// A failure inside the server. It is logged once, when the response is built, and its text
    /// never reaches the client.
    Internal(StoreError),
}

impl From<StoreError> for ApiError {
    fn from(error: StoreError) -> ApiError {
        ApiError::Internal(error)
    }
}

/// The JSON body of a problem response.
#[derive(Serialize)]
struct ProblemBody<'a> {
    r#type: &'static str,
    title: &'static str,
    status: u16,
    detail: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    errors: Option<&'a [Problem]>,
    #[serde(skip_serializing_if = "Option::is_none")]
    current: Option<&'a StoredConfig>,
}

impl ApiError {
    fn status(&self) -> StatusCode {
        match self {
            ApiError::BadRequest(_) => StatusCode::BAD_REQUEST,
            ApiError::Unauthorized { .. } => StatusCode::UNAUTHORIZED,
            ApiError::ConfigNotFound | ApiError::RouteNotFound => StatusCode::NOT_FOUND,
            ApiError::MethodNotAllowed => StatusCode::METHOD_NOT_ALLOWED,
            ApiError::PayloadTooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            ApiError::UnsupportedMediaType => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            ApiError::Invalid(_) => StatusCode::UNPROCESSABLE_ENTITY,
            ApiError::DuplicateName(_) => StatusCode::CONFLICT,
            ApiError::PreconditionFailed { .. } => StatusCode::PRECONDITION_FAILED,
            ApiError::PreconditionRequired => StatusCode::PRECONDITION_REQUIRED,
            ApiError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn detail(&self) -> String {
        match self {
            ApiError::BadRequest(detail) => detail.clone(),
            ApiError::Unauthorized { token_sent: false } => {
                "This API needs the admin token: send it as `Authorization: Bearer <token>`.".to_owned()
            }
            ApiError::Unauthorized { token_sent: true } => {
                "The bearer token is not the admin token; check the token file or OAUTH2_ADMIN_TOKEN on the server.".to_owned()
            }
            ApiError::ConfigNotFound => "No OAuth2 configuration has this id.".to_owned(),
            ApiError::RouteNotFound => "Nothing is served at this path; /api/openapi.json lists the API routes.".to_owned(),
            ApiError::MethodNotAllowed => "This route does not support the method; the Allow header lists those it does.".to_owned(),
            ApiError::PayloadTooLarge => format!("The request body is larger than {} bytes.", crate::MAX_BODY_BYTES),
            ApiError::UnsupportedMediaType => "Send the request body as JSON with `Content-Type: application/json`.".to_owned(),
            ApiError::Invalid(errors) => format!(
                "The configuration has {} invalid field(s); `errors` names each field, rule and fix.",
                errors.len()
            ),
            ApiError::DuplicateName(_) => "Another configuration already uses this name (names ignore case); choose a different name.".to_owned(),
            ApiError::PreconditionFailed { current: Some(_) } => {
                "The configuration was changed since the revision in If-Match; `current` is the stored version, so merge and retry with its revision.".to_owned()
            }
            ApiError::PreconditionFailed { current: None } => {
                "If-Match names a revision, but no configuration has this id; send the request without If-Match to create it.".to_owned()
            }
            ApiError::PreconditionRequired => {
                "Changing an existing configuration needs `If-Match: \"<revision>\"` with the revision from its ETag.".to_owned()
            }
            ApiError::Internal(_) => "The server failed to handle the request; the error is in its log.".to_owned(),
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        if let ApiError::Internal(error) = &self {
            tracing::error!(%error, "request failed");
        }

        let status = self.status();
        let body = ProblemBody {
            r#type: "about:blank",
            title: status.canonical_reason().unwrap_or("Error"),
            status: status.as_u16(),
            detail: self.detail(),
            errors: match &self {
                ApiError::Invalid(errors) | ApiError::DuplicateName(errors) => Some(errors),
                _ => None,
            },
            current: match &self {
                ApiError::PreconditionFailed { current } => current.as_deref(),
                _ => None,
            },
        };

        let mut response = (status, axum::Json(body)).into_response();
        let headers = response.headers_mut();
        headers.insert(CONTENT_TYPE, HeaderValue::from_static(PROBLEM_JSON));
        if let ApiError::Unauthorized { token_sent } = self {
            let challenge = if token_sent {
                r#"Bearer realm="oauth2-admin", error="invalid_token""#
            } else {
                r#"Bearer realm="oauth2-admin""#
            };
            headers.insert(WWW_AUTHENTICATE, HeaderValue::from_static(challenge));
        }
        response
    }
}
