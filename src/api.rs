//! The admin server's REST API, called with `fetch`.
//!
//! Requests carry the admin token from `sessionStorage` when there is one. The only request that
//! carries a client secret is a PUT whose admin typed a new one, and then only in its JSON body.

use std::cell::RefCell;
use std::rc::Rc;

use gloo::net::http::{Request, RequestBuilder, Response};
use gloo::storage::{SessionStorage, Storage};
use oauth2_config::{ClientSecret, Config, Problem};
use serde::Deserialize;
use serde_json::Value;

use crate::storage::{SecretState, StoredConfig};

/// The `sessionStorage` key of the admin token. The token is never put in `localStorage`.
pub const TOKEN_KEY: &str = "oauth2-admin.token";

/// Returns the admin token of this tab, if the admin entered one.
pub fn stored_token() -> Option<String> {
    SessionStorage::get::<String>(TOKEN_KEY)
        .ok()
        .filter(|token| !token.is_empty())
}

/// The window event raised after a token was entered, so every manager on the page that is waiting
/// for one goes on with it.
pub const TOKEN_STORED_EVENT: &str = "oauth2-admin-token-stored";

/// Stores the admin token for this tab only and notifies the other managers on the page.
pub fn store_token(token: &str) {
    let _ = SessionStorage::set(TOKEN_KEY, token);
    if let Ok(event) = web_sys::Event::new(TOKEN_STORED_EVENT) {
        let _ = gloo::utils::window().dispatch_event(&event);
    }
}

/// The change a save makes to the stored secret.
#[derive(Clone, Debug, PartialEq)]
pub enum SecretChange {
    Keep,
    Set(ClientSecret),
    Clear,
}

/// The reason a request to the admin server failed.
#[derive(Clone, Debug, PartialEq)]
pub enum ApiError {
    /// 401: the token is missing or wrong.
    Unauthorized,
    /// 422 or 409: the server rejected fields, with the same keys and codes as the form.
    Rejected(Vec<Problem>),
    /// 412: the configuration changed on the server; this is its current version.
    Conflict(Box<StoredConfig>),
    /// 404: the configuration no longer exists.
    NotFound,
    /// The request did not reach the server or got no response.
    Unreachable(String),
    /// No response within [`REQUEST_TIMEOUT_MS`].
    TimedOut,
    /// Any other status, with the server's explanation and its `Retry-After` in seconds.
    Failed {
        status: u16,
        detail: String,
        retry_after: Option<u32>,
    },
}

/// How long a request may take before the page gives up on it, in milliseconds.
pub const REQUEST_TIMEOUT_MS: u32 = 10_000;

impl ApiError {
    /// Returns a message for the admin that states what failed and what to do next.
    pub fn message(&self) -> String {
        match self {
            ApiError::Unauthorized => {
                "The admin server rejected the admin token; enter a valid token to continue.".to_owned()
            }
            ApiError::Rejected(problems) => {
                let labels: Vec<&str> = problems.iter().map(|problem| problem.field.label()).collect();
                format!(
                    "The server rejected the configuration; fix {} and save again.",
                    labels.join(", ")
                )
            }
            ApiError::Conflict(current) => format!(
                "\u{201C}{}\u{201D} was changed on the server (revision {}) after you opened it.",
                current.config.name.as_str(),
                current.revision.unwrap_or_default()
            ),
            ApiError::NotFound => "The configuration no longer exists on the server; someone deleted it.".to_owned(),
            ApiError::Unreachable(reason) => {
                format!("The admin server could not be reached ({reason}); check the connection and retry.")
            }
            ApiError::TimedOut => format!(
                "The admin server did not respond within {} seconds; check that it is running, then retry.",
                REQUEST_TIMEOUT_MS / 1000
            ),
            ApiError::Failed { status, detail, .. } => {
                format!("The admin server failed with status {status}: {detail}")
            }
        }
    }

    /// Returns whether the same request may succeed later without the admin changing anything.
    pub fn is_transient(&self) -> bool {
        match self {
            ApiError::Unreachable(_) | ApiError::TimedOut => true,
            ApiError::Failed { status, .. } => *status >= 500 || *status == 408 || *status == 429,
            _ => false,
        }
    }

    /// Returns the server's `Retry-After`, in milliseconds.
    pub fn retry_after_ms(&self) -> Option<f64> {
        match self {
            ApiError::Failed {
                retry_after: Some(seconds),
                ..
            } => Some(f64::from(*seconds) * 1000.0),
            _ => None,
        }
    }
}

/// A configuration as the server returns it.
#[derive(Deserialize)]
struct ServerConfig {
    id: String,
    client_secret_set: bool,
    revision: u64,
    updated_at: String,
    #[serde(flatten)]
    config: Config,
}

impl From<ServerConfig> for StoredConfig {
    fn from(server: ServerConfig) -> StoredConfig {
        StoredConfig {
            id: server.id,
            config: server.config,
            secret: if server.client_secret_set {
                SecretState::Configured
            } else {
                SecretState::None
            },
            revision: Some(server.revision),
            updated_at: server.updated_at,
        }
    }
}

#[derive(Deserialize)]
struct List {
    items: Vec<ServerConfig>,
}

#[derive(Deserialize)]
struct Saved {
    #[serde(flatten)]
    config: ServerConfig,
    #[serde(default)]
    warnings: Vec<Problem>,
}

/// Client of one admin server.
///
/// Requests send the portal's same-origin cookies and an `X-Requested-With` header, which a
/// cross-site form cannot send and which makes a cross-origin request need a CORS preflight, so
/// cookie authentication is safe from CSRF. A bearer token goes with them when the host supplied
/// one or the admin entered one.
#[derive(Clone, Debug)]
pub struct ApiClient {
    /// The API's base URL, absolute or relative to the page, without a trailing slash.
    base: String,
    /// The token the host supplied; it replaces the one the admin entered.
    token: Rc<RefCell<Option<String>>>,
}

impl PartialEq for ApiClient {
    fn eq(&self, other: &ApiClient) -> bool {
        self.base == other.base
    }
}

/// The header that marks requests as coming from this page.
pub const REQUESTED_WITH: (&str, &str) = ("X-Requested-With", "OAuth2Admin");

impl ApiClient {
    pub fn new(base: &str) -> ApiClient {
        ApiClient {
            base: base.trim_end_matches('/').to_owned(),
            token: Rc::default(),
        }
    }

    /// Replaces the host-supplied token; `None` falls back to the one the admin entered.
    pub fn set_token(&self, token: Option<String>) {
        *self.token.borrow_mut() = token.filter(|token| !token.is_empty());
    }

    fn authorize(&self, builder: RequestBuilder) -> RequestBuilder {
        let builder = builder
            .credentials(web_sys::RequestCredentials::SameOrigin)
            .header(REQUESTED_WITH.0, REQUESTED_WITH.1);
        match self.token.borrow().clone().or_else(stored_token) {
            Some(token) => builder.header("Authorization", &format!("Bearer {token}")),
            None => builder,
        }
    }

    fn url(&self, id: Option<&str>) -> String {
        match id {
            Some(id) => format!("{}/oauth2-configs/{}", self.base, js_sys::encode_uri_component(id)),
            None => format!("{}/oauth2-configs", self.base),
        }
    }

    /// Loads every configuration.
    pub async fn list(&self) -> Result<Vec<StoredConfig>, ApiError> {
        let response = send(self.authorize(Request::get(&self.url(None)))).await?;
        let list: List = parse(&response, 200).await?;
        Ok(list.items.into_iter().map(StoredConfig::from).collect())
    }

    /// Loads one configuration.
    pub async fn get(&self, id: &str) -> Result<StoredConfig, ApiError> {
        let response = send(self.authorize(Request::get(&self.url(Some(id))))).await?;
        let config: ServerConfig = parse(&response, 200).await?;
        Ok(config.into())
    }

    /// Creates or replaces a configuration. `revision` is the one the admin started from, sent as
    /// `If-Match`; `None` creates.
    pub async fn put(
        &self,
        id: &str,
        config: &Config,
        secret: &SecretChange,
        revision: Option<u64>,
    ) -> Result<(StoredConfig, Vec<Problem>), ApiError> {
        let mut body = serde_json::to_value(config).expect("a configuration always serialises");
        match secret {
            SecretChange::Keep => {}
            SecretChange::Set(secret) => body["client_secret"] = Value::String(secret.expose().to_owned()),
            SecretChange::Clear => body["client_secret"] = Value::Null,
        }
        let mut builder = self
            .authorize(Request::put(&self.url(Some(id))))
            .header("Content-Type", "application/json");
        if let Some(revision) = revision {
            builder = builder.header("If-Match", &format!("\"{revision}\""));
        }
        let response = send_body(builder, body.to_string()).await?;
        let status = response.status();
        let saved: Saved = parse(&response, if status == 201 { 201 } else { 200 }).await?;
        Ok((saved.config.into(), saved.warnings))
    }

    /// Deletes a configuration if it is still at `revision`.
    pub async fn delete(&self, id: &str, revision: u64) -> Result<(), ApiError> {
        let builder = self
            .authorize(Request::delete(&self.url(Some(id))))
            .header("If-Match", &format!("\"{revision}\""));
        let response = send(builder).await?;
        match response.status() {
            204 => Ok(()),
            _ => Err(error_from(&response).await),
        }
    }
}

async fn send(builder: RequestBuilder) -> Result<Response, ApiError> {
    with_timeout(builder, None).await
}

async fn send_body(builder: RequestBuilder, body: String) -> Result<Response, ApiError> {
    with_timeout(builder, Some(body)).await
}

/// Sends the request and aborts it after [`REQUEST_TIMEOUT_MS`].
async fn with_timeout(builder: RequestBuilder, body: Option<String>) -> Result<Response, ApiError> {
    let controller = web_sys::AbortController::new()
        .map_err(|_| ApiError::Unreachable("the browser cannot abort requests".to_owned()))?;
    let builder = builder.abort_signal(Some(&controller.signal()));
    let request = match body {
        Some(body) => builder.body(body),
        None => builder.build(),
    }
    .map_err(|error| ApiError::Unreachable(error.to_string()))?;

    let timed_out = std::rc::Rc::new(std::cell::Cell::new(false));
    let timer = {
        let timed_out = timed_out.clone();
        gloo::timers::callback::Timeout::new(REQUEST_TIMEOUT_MS, move || {
            timed_out.set(true);
            controller.abort();
        })
    };
    let result = request.send().await;
    drop(timer);
    match result {
        Ok(response) => Ok(response),
        Err(_) if timed_out.get() => Err(ApiError::TimedOut),
        Err(_) => Err(ApiError::Unreachable("network error".to_owned())),
    }
}

async fn parse<T: for<'de> Deserialize<'de>>(response: &Response, expected: u16) -> Result<T, ApiError> {
    if response.status() != expected {
        return Err(error_from(response).await);
    }
    let text = response
        .text()
        .await
        .map_err(|error| ApiError::Unreachable(error.to_string()))?;
    serde_json::from_str(&text).map_err(|error| ApiError::Failed {
        status: response.status(),
        detail: format!("the response could not be read ({error})."),
        retry_after: None,
    })
}

/// An RFC 9457 problem body, with the members this API adds.
#[derive(Deserialize, Default)]
struct ProblemBody {
    #[serde(default)]
    detail: Option<String>,
    #[serde(default)]
    title: Option<String>,
    #[serde(default)]
    errors: Vec<Problem>,
    #[serde(default)]
    current: Option<ServerConfig>,
}

async fn error_from(response: &Response) -> ApiError {
    let status = response.status();
    let retry_after = response
        .headers()
        .get("Retry-After")
        .and_then(|value| value.trim().parse::<u32>().ok());
    let body: ProblemBody = match response.text().await {
        Ok(text) => serde_json::from_str(&text).unwrap_or_default(),
        Err(_) => ProblemBody::default(),
    };
    match (status, body.current) {
        (401, _) => ApiError::Unauthorized,
        (404, _) => ApiError::NotFound,
        (412, Some(current)) => ApiError::Conflict(Box::new(current.into())),
        (409 | 422, _) if !body.errors.is_empty() => ApiError::Rejected(body.errors),
        _ => ApiError::Failed {
            status,
            detail: body
                .detail
                .or(body.title)
                .unwrap_or_else(|| "no details were given.".to_owned()),
            retry_after,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn server_config_reads_into_row() {
        let json = r#"{"id":"3f1c","name":"GitHub","client_id":"Iv1.abc","client_secret_set":true,
            "token_url":"https://github.com/login/oauth/access_token","refresh_token_url":null,
            "auth_url":"https://github.com/login/oauth/authorize","scopes":["repo","read:user"],
            "grant_type":"authorization_code","revision":3,"created_at":"2026-12-01T00:00:00Z","updated_at":"2026-12-02T00:00:00Z",
            "warnings":[]}"#;

        let saved: Saved = serde_json::from_str(json).expect("valid response");
        let row = StoredConfig::from(saved.config);
        assert_eq!(row.id, "3f1c");
        assert_eq!(row.revision, Some(3));
        assert_eq!(row.secret, SecretState::Configured);
        assert_eq!(row.config.scopes.to_string(), "repo read:user");
    }

    #[test]
    fn server_config_with_invalid_url_is_rejected() {
        let json = r#"{"id":"a","name":"A","client_id":"c","client_secret_set":false,"token_url":"http://evil.example/t",
            "refresh_token_url":null,"auth_url":null,"scopes":[],"grant_type":"refresh_token","revision":1,
            "created_at":"x","updated_at":"x"}"#;

        assert!(serde_json::from_str::<ServerConfig>(json).is_err());
    }

    #[test]
    fn conflict_message_names_configuration() {
        let json = r#"{"id":"a","name":"Billing","client_id":"c","client_secret_set":false,"token_url":"https://a.example/t",
            "refresh_token_url":null,"auth_url":null,"scopes":[],"grant_type":"refresh_token","revision":7,
            "created_at":"x","updated_at":"x"}"#;
        let current: ServerConfig = serde_json::from_str(json).unwrap();

        let message = ApiError::Conflict(Box::new(current.into())).message();
        assert!(message.contains("Billing"), "{message}");
        assert!(message.contains("revision 7"), "{message}");
    }
}
