//! The built page served next to the API, and the security headers on every response.

mod common;

use std::fs;

use common::TestServer;
use reqwest::Method;
use tempfile::TempDir;

const INDEX: &str = r#"<!doctype html>
<html><head><meta name="oauth2-admin-api" content=""><script type="module" src="./boot.js"></script></head></html>
"#;

/// Starts a server whose page folder contains `index.html` and `boot.js`.
async fn start_with_page(data: &TempDir, extra: &[&str]) -> TestServer {
    let dist = data.path().join("dist");
    fs::create_dir_all(&dist).unwrap();
    fs::write(dist.join("index.html"), INDEX).unwrap();
    fs::write(dist.join("boot.js"), "export {};\n").unwrap();
    let mut args = vec!["--dist", dist.to_str().unwrap()];
    args.extend(extra);
    TestServer::start_in(data.path(), &args).await
}

#[tokio::test]
async fn index_points_page_at_api() {
    let data = TempDir::new().unwrap();
    let server = start_with_page(&data, &[]).await;

    for path in ["/", "/index.html"] {
        let reply = server.send(server.anonymous(Method::GET, path)).await;

        assert_eq!(reply.status, 200, "{path}");
        assert!(reply.header("content-type").unwrap().starts_with("text/html"));
        assert!(
            reply.text.contains(r#"<meta name="oauth2-admin-api" content="api">"#),
            "{path}: {}",
            reply.text
        );
        assert!(!reply.text.contains(r#"content="""#), "{path}");
    }
}

#[tokio::test]
async fn page_files_served_without_token() {
    let data = TempDir::new().unwrap();
    let server = start_with_page(&data, &[]).await;

    let reply = server.send(server.anonymous(Method::GET, "/boot.js")).await;

    assert_eq!(reply.status, 200);
    assert_eq!(reply.text, "export {};\n");
}

#[tokio::test]
async fn missing_page_file_returns_404_problem() {
    let data = TempDir::new().unwrap();
    let server = start_with_page(&data, &[]).await;

    let reply = server.send(server.anonymous(Method::GET, "/missing.js")).await;

    assert_eq!(reply.status, 404);
    assert_eq!(reply.header("content-type"), Some("application/problem+json"));
}

#[tokio::test]
async fn page_rejects_other_methods() {
    let data = TempDir::new().unwrap();
    let server = start_with_page(&data, &[]).await;

    for path in ["/", "/boot.js", "/missing.js"] {
        let reply = server.send(server.anonymous(Method::POST, path)).await;

        assert_eq!(reply.status, 405, "{path}");
        assert_eq!(reply.header("content-type"), Some("application/problem+json"), "{path}");
        assert!(reply.header("allow").unwrap_or_default().contains("GET"), "{path}");
    }
}

#[tokio::test]
async fn without_page_only_api_served() {
    let server = TestServer::start().await;

    let page = server.send(server.anonymous(Method::GET, "/")).await;
    let api = server.get("/api/oauth2-configs").await;

    assert_eq!(page.status, 404);
    assert_eq!(api.status, 200);
}

#[tokio::test]
async fn every_response_has_security_headers() {
    let data = TempDir::new().unwrap();
    let server = start_with_page(&data, &["--frame-ancestors", "https://admin.example.com"]).await;
    let policy = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; \
                  frame-ancestors https://admin.example.com";

    let replies = [
        server.send(server.anonymous(Method::GET, "/")).await,
        server.send(server.anonymous(Method::GET, "/boot.js")).await,
        server.send(server.anonymous(Method::GET, "/missing.js")).await,
        server.send(server.anonymous(Method::GET, "/api/oauth2-configs")).await,
        server.get("/api/oauth2-configs").await,
    ];

    for reply in replies {
        assert_eq!(reply.header("content-security-policy"), Some(policy));
        assert_eq!(reply.header("x-content-type-options"), Some("nosniff"));
        assert_eq!(reply.header("referrer-policy"), Some("no-referrer"));
    }
}

#[tokio::test]
async fn default_frame_ancestors_is_self() {
    let server = TestServer::start().await;

    let reply = server.get("/api/oauth2-configs").await;

    let policy = reply.header("content-security-policy").unwrap();
    assert!(policy.ends_with("frame-ancestors 'self'"), "{policy}");
    assert_eq!(reply.header("cache-control"), Some("no-store"));
}

#[tokio::test]
async fn frame_ancestors_with_semicolon_rejected() {
    let data = TempDir::new().unwrap();

    let result = common::open_state(data.path(), &["--frame-ancestors", "'self'; script-src *"]);

    assert!(
        result.is_err(),
        "a second directive must not be injected into the policy"
    );
}
