//! The built page, served from `--dist`. `index.html` gets the API's address in a meta tag, so the
//! page stores configurations on this server instead of in the browser.

use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};

use axum::extract::State;
use axum::http::header::{CACHE_CONTROL, CONTENT_TYPE};
use axum::http::HeaderValue;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use tower_http::services::ServeDir;

use crate::error::ApiError;
use crate::state::PageSettings;

/// The meta tag as the page build leaves it: empty content means "no server, use localStorage".
const API_META_EMPTY: &str = r#"<meta name="oauth2-admin-api" content="">"#;

/// The meta tag that points the page at this server's API, relative to the page.
const API_META_SERVER: &str = r#"<meta name="oauth2-admin-api" content="api">"#;

/// Set once the missing-meta-tag warning was logged, so it is logged once per process.
static MISSING_META_WARNED: AtomicBool = AtomicBool::new(false);

/// Builds the routes for the page: `index.html` with the API address, the other built files as
/// they are, and 404 problems for everything else.
pub fn router<S: Clone + Send + Sync + 'static>(settings: &PageSettings) -> Router<S> {
    let Some(dist) = settings.dist.clone() else {
        return Router::new().fallback(not_found);
    };

    let files = ServeDir::new(&dist)
        .append_index_html_on_directories(true)
        .call_fallback_on_method_not_allowed(true)
        .fallback(axum::routing::get(not_found).fallback(method_not_allowed));
    Router::new()
        .route("/", get(index))
        .route("/index.html", get(index))
        .method_not_allowed_fallback(method_not_allowed)
        .with_state(dist)
        .fallback_service(files)
}

async fn index(State(dist): State<PathBuf>) -> Result<Response, ApiError> {
    let path = dist.join("index.html");
    let Ok(html) = tokio::fs::read_to_string(&path).await else {
        return Err(ApiError::RouteNotFound);
    };

    if !html.contains(API_META_EMPTY) && !MISSING_META_WARNED.swap(true, Ordering::Relaxed) {
        tracing::warn!(
            path = %path.display(),
            "index.html has no empty oauth2-admin-api meta tag, so the page will not use this server"
        );
    }
    let html = html.replacen(API_META_EMPTY, API_META_SERVER, 1);

    Ok((
        [
            (CONTENT_TYPE, HeaderValue::from_static("text/html; charset=utf-8")),
            (CACHE_CONTROL, HeaderValue::from_static("no-cache")),
        ],
        html,
    )
        .into_response())
}

async fn not_found() -> ApiError {
    ApiError::RouteNotFound
}

/// Rejects a method other than GET or HEAD on the page's files with 405.
async fn method_not_allowed() -> Response {
    let mut response = ApiError::MethodNotAllowed.into_response();
    response
        .headers_mut()
        .insert(axum::http::header::ALLOW, HeaderValue::from_static("GET,HEAD"));
    response
}
