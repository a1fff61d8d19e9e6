//! What portals that embed the page need: CORS for configured origins only, and the admin token
//! in a same-origin cookie when the request carries `X-Requested-With`.

mod common;

use common::TestServer;
use reqwest::header::{ACCESS_CONTROL_ALLOW_ORIGIN, COOKIE, ORIGIN};
use reqwest::Method;
use tempfile::TempDir;

const LIST: &str = "/api/oauth2-configs";

#[tokio::test]
async fn cookie_with_requested_with_is_accepted() {
    let server = TestServer::start().await;
    let request = server
        .anonymous(Method::GET, LIST)
        .header(COOKIE, format!("theme=dark; oauth2_admin_token={}", common::TOKEN))
        .header("X-Requested-With", "OAuth2Admin");

    assert_eq!(server.send(request).await.status, 200);
}

#[tokio::test]
async fn cookie_without_requested_with_is_rejected() {
    let server = TestServer::start().await;
    let request = server
        .anonymous(Method::GET, LIST)
        .header(COOKIE, format!("oauth2_admin_token={}", common::TOKEN));

    assert_eq!(
        server.send(request).await.status,
        401,
        "a plain cross-site request must not ride on the cookie"
    );
}

#[tokio::test]
async fn wrong_cookie_is_rejected() {
    let server = TestServer::start().await;
    let request = server
        .anonymous(Method::GET, LIST)
        .header(COOKIE, "oauth2_admin_token=not-the-token")
        .header("X-Requested-With", "OAuth2Admin");

    assert_eq!(server.send(request).await.status, 401);
}

#[tokio::test]
async fn cors_is_off_by_default() {
    let server = TestServer::start().await;
    let request = server
        .request(Method::GET, LIST)
        .header(ORIGIN, "https://portal.example.com");

    let reply = server.send(request).await;
    assert_eq!(reply.status, 200);
    assert_eq!(reply.header(ACCESS_CONTROL_ALLOW_ORIGIN.as_str()), None);
}

#[tokio::test]
async fn configured_origin_gets_preflight_and_headers() {
    let temp = TempDir::new().unwrap();
    let server = TestServer::start_in(temp.path(), &["--cors-origin", "https://portal.example.com"]).await;

    let preflight = server
        .anonymous(Method::OPTIONS, LIST)
        .header(ORIGIN, "https://portal.example.com")
        .header("Access-Control-Request-Method", "PUT")
        .header(
            "Access-Control-Request-Headers",
            "authorization, content-type, if-match, x-requested-with",
        );
    let reply = server.send(preflight).await;
    assert_eq!(reply.status, 200);
    assert_eq!(
        reply.header(ACCESS_CONTROL_ALLOW_ORIGIN.as_str()),
        Some("https://portal.example.com")
    );
    let allowed = reply
        .header("access-control-allow-headers")
        .unwrap_or_default()
        .to_ascii_lowercase();
    assert!(allowed.contains("if-match"), "allowed headers: {allowed}");

    let other = server
        .request(Method::GET, LIST)
        .header(ORIGIN, "https://evil.example.net");
    assert_eq!(
        server.send(other).await.header(ACCESS_CONTROL_ALLOW_ORIGIN.as_str()),
        None
    );
}

#[tokio::test]
async fn invalid_cors_origin_stops_start_up() {
    let temp = TempDir::new().unwrap();
    let error = common::open_state(temp.path(), &["--cors-origin", "https://portal.example.com/path"])
        .err()
        .expect("start-up fails");
    assert!(error.to_string().contains("--cors-origin"), "{error}");
}
