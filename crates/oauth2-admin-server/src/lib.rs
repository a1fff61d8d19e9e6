//! The OAuth2 Admin server: a JSON API over SQLite that stores OAuth2 client configurations, and
//! the built page served next to it.
//!
//! Every configuration is checked by [`oauth2_config::validate`], the same function the page runs,
//! so the server accepts exactly what the form accepts. Client secrets are encrypted at rest and no
//! response, log line or error message contains one.
//!
//! [`AppState::open`] prepares the database, the encryption key and the admin token, [`app`] builds
//! the router from it, and [`serve`] runs the router until a shutdown future completes. Tests use
//! the same three calls as `main.rs`.

mod api;
mod error;
mod extract;
mod files;
mod middleware;
mod options;
mod page;
mod secrets;
mod state;
mod store;
mod token;

use std::future::{Future, IntoFuture};
use std::io;

use axum::Router;
use tokio::net::TcpListener;

pub use options::Options;
pub use state::{AppState, StartupError};
pub use token::TOKEN_ENV;

/// Maximum size of a request body. Larger bodies are rejected with 413.
pub const MAX_BODY_BYTES: usize = 64 * 1024;

/// Builds the router: the API under `/api`, the built page everywhere else.
pub fn app(state: AppState) -> Router {
    let mut api = api::router(state.clone());
    if !state.page.cors_origins.is_empty() {
        api = api.layer(cors_layer(state.page.cors_origins.clone()));
    }
    let page = page::router(&state.page);

    Router::new()
        .nest("/api", api)
        .merge(page)
        .layer(tower_http::timeout::TimeoutLayer::with_status_code(
            axum::http::StatusCode::REQUEST_TIMEOUT,
            REQUEST_TIMEOUT,
        ))
        .layer(axum::middleware::from_fn(middleware::log_request))
        .layer(axum::middleware::map_response_with_state(
            state.page.content_security_policy.clone(),
            middleware::add_security_headers,
        ))
}

/// Allows the configured portal origins to call the API. Preflights get their response before the token
/// check, because browsers send them without credentials.
fn cors_layer(origins: Vec<axum::http::HeaderValue>) -> tower_http::cors::CorsLayer {
    use axum::http::{header, Method};

    tower_http::cors::CorsLayer::new()
        .allow_origin(origins)
        .allow_methods([Method::GET, Method::PUT, Method::POST, Method::DELETE])
        .allow_headers([
            header::AUTHORIZATION,
            header::CONTENT_TYPE,
            header::IF_MATCH,
            header::HeaderName::from_static(token::REQUESTED_WITH),
        ])
        .expose_headers([header::ETAG])
        .max_age(std::time::Duration::from_secs(600))
}

/// Serves `router` on `listener` until `shutdown` completes, then lets requests in flight finish.
pub async fn serve(
    listener: TcpListener,
    router: Router,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> io::Result<()> {
    let address = listener.local_addr()?;
    tracing::info!(%address, "listening");

    // Graceful shutdown waits for open connections, and a client that stalls mid-request would
    // hold the process forever, so connections still open after the grace period are dropped.
    let (stopping, stop_requested) = tokio::sync::oneshot::channel::<()>();
    let signal = async move {
        shutdown.await;
        let _ = stopping.send(());
    };
    let server = axum::serve(listener, router)
        .with_graceful_shutdown(signal)
        .into_future();
    tokio::pin!(server);
    let deadline = async {
        if stop_requested.await.is_ok() {
            tokio::time::sleep(SHUTDOWN_GRACE).await;
        } else {
            std::future::pending::<()>().await;
        }
    };
    tokio::select! {
        result = &mut server => result?,
        () = deadline => tracing::warn!(%address, grace_seconds = SHUTDOWN_GRACE.as_secs(), "connections still open after the grace period were dropped"),
    }

    tracing::info!(%address, "stopped");
    Ok(())
}

/// How long shutdown waits for requests in flight.
pub const SHUTDOWN_GRACE: std::time::Duration = std::time::Duration::from_secs(10);

/// How long one request may take, body included, before the server responds 408.
pub const REQUEST_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(30);
