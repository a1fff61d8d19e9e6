//! Middleware for every response: the request log line and the security headers.

use std::time::Instant;

use axum::extract::{MatchedPath, Request, State};
use axum::http::header::{CACHE_CONTROL, CONTENT_SECURITY_POLICY, REFERRER_POLICY, X_CONTENT_TYPE_OPTIONS};
use axum::http::HeaderValue;
use axum::middleware::Next;
use axum::response::Response;
use tracing::Instrument;

/// Logs one line per request with the method, the matched route pattern (such as
/// `/api/oauth2-configs/{id}`, never the concrete path), the status and the latency. Bodies,
/// header values and query strings are never logged. Errors logged while the request runs carry
/// the same method and route.
pub async fn log_request(request: Request, next: Next) -> Response {
    let method = request.method().clone();
    let route = request
        .extensions()
        .get::<MatchedPath>()
        .map(|path| path.as_str())
        // axum names the parameters of its internal fallback routes `__private__axum_*`.
        .filter(|path| !path.contains("__private__axum"))
        // No route matched: the page's files or a 404, both served by a fallback.
        .unwrap_or("(fallback)")
        .to_owned();
    let span = tracing::info_span!("request", %method, route);
    let started = Instant::now();

    let response = next.run(request).instrument(span.clone()).await;

    span.in_scope(|| {
        tracing::info!(
            status = response.status().as_u16(),
            latency = ?started.elapsed(),
            "request finished"
        );
    });
    response
}

/// Adds the page's Content-Security-Policy, `nosniff` and `no-referrer` to a response.
pub async fn add_security_headers(State(policy): State<HeaderValue>, mut response: Response) -> Response {
    let headers = response.headers_mut();
    headers.insert(CONTENT_SECURITY_POLICY, policy);
    headers.insert(X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    headers.insert(REFERRER_POLICY, HeaderValue::from_static("no-referrer"));
    response
}

/// Marks an API response as never to be stored by a cache.
pub async fn no_store(mut response: Response) -> Response {
    response
        .headers_mut()
        .insert(CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}
