//! The JSON API under `/api`. Its contract is `openapi.json` at the crate root, served at
//! `/api/openapi.json`. Every route needs the admin token.

mod body;

use axum::extract::{DefaultBodyLimit, State};
use axum::http::header::{CONTENT_TYPE, ETAG};
use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{middleware, Json, Router};
use uuid::Uuid;

use crate::error::ApiError;
use crate::extract::{ConfigId, JsonBody, Precondition};
use crate::middleware::no_store;
use crate::store::{Store, WriteError, Written};
use crate::token::require_token;
use crate::AppState;
use body::{ConfigBody, ListBody, ValidationBody, WrittenBody};

/// The OpenAPI 3.1 description of this API.
const OPENAPI: &str = include_str!("../../openapi.json");

/// Builds the API routes, relative to `/api`.
pub fn router(state: AppState) -> Router {
    Router::new()
        .route("/openapi.json", get(openapi))
        .route("/oauth2-configs", get(list))
        .route("/oauth2-configs/validate", post(validate))
        .route("/oauth2-configs/{id}", get(read).put(put).delete(delete))
        .fallback(|| async { ApiError::RouteNotFound })
        .method_not_allowed_fallback(|| async { ApiError::MethodNotAllowed })
        .layer(DefaultBodyLimit::max(crate::MAX_BODY_BYTES))
        .layer(middleware::from_fn_with_state(state.clone(), require_token))
        .layer(middleware::map_response(no_store))
        .with_state(state)
}

impl From<WriteError> for ApiError {
    fn from(error: WriteError) -> ApiError {
        match error {
            WriteError::Invalid(errors) => ApiError::Invalid(errors),
            WriteError::DuplicateName(errors) => ApiError::DuplicateName(errors),
            WriteError::Stale(current) => ApiError::PreconditionFailed { current },
            WriteError::PreconditionRequired => ApiError::PreconditionRequired,
            WriteError::NotFound => ApiError::ConfigNotFound,
            WriteError::Store(error) => ApiError::Internal(error),
        }
    }
}

async fn openapi() -> impl IntoResponse {
    ([(CONTENT_TYPE, HeaderValue::from_static("application/json"))], OPENAPI)
}

async fn list(State(state): State<AppState>) -> Result<Json<ListBody>, ApiError> {
    let items = state.store.read(|connection| Store::list(connection)).await?;
    Ok(Json(ListBody { items }))
}

async fn read(State(state): State<AppState>, ConfigId(id): ConfigId) -> Result<Response, ApiError> {
    let config = state
        .store
        .read(move |connection| Store::get(connection, id))
        .await?
        .ok_or(ApiError::ConfigNotFound)?;

    Ok(([(ETAG, etag(config.revision))], Json(config)).into_response())
}

async fn put(
    State(state): State<AppState>,
    ConfigId(id): ConfigId,
    precondition: Precondition,
    JsonBody(body): JsonBody<ConfigBody>,
) -> Result<Response, ApiError> {
    let input = body.into_input();

    let (written, config, warnings) = state
        .store
        .write(move |store, connection| store.put(connection, id, input, &precondition))
        .await??;

    let status = match written {
        Written::Created => StatusCode::CREATED,
        Written::Replaced | Written::Unchanged => StatusCode::OK,
    };
    if written != Written::Unchanged {
        tracing::info!(%id, revision = config.revision, ?written, "configuration saved");
    }
    let etag = etag(config.revision);
    Ok((status, [(ETAG, etag)], Json(WrittenBody { config, warnings })).into_response())
}

async fn delete(
    State(state): State<AppState>,
    ConfigId(id): ConfigId,
    precondition: Precondition,
) -> Result<StatusCode, ApiError> {
    state
        .store
        .write(move |_, connection| Store::delete(connection, id, &precondition))
        .await??;

    tracing::info!(%id, "configuration deleted");
    Ok(StatusCode::NO_CONTENT)
}

async fn validate(
    State(state): State<AppState>,
    JsonBody(body): JsonBody<ConfigBody>,
) -> Result<Json<ValidationBody>, ApiError> {
    let id = match body.id.as_deref() {
        Some(text) => Some(Uuid::try_parse(text).map_err(|_| {
            ApiError::BadRequest(
                "The request body has an invalid value at `id`: expected a configuration's UUID.".to_owned(),
            )
        })?),
        None => None,
    };
    let input = body.into_input();

    let validation = state
        .store
        .read(move |connection| Store::check(connection, id, &input))
        .await?;

    Ok(Json(ValidationBody {
        errors: validation.errors,
        warnings: validation.warnings,
        normalized: validation.config,
    }))
}

/// Returns the strong entity tag for a revision, such as `"3"`.
fn etag(revision: i64) -> HeaderValue {
    HeaderValue::from_str(&format!("\"{revision}\"")).expect("a quoted integer is a valid header value")
}
