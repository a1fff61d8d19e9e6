//! A real server on 127.0.0.1 with a temporary data folder, and a client for it.

#![allow(dead_code)]

use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use clap::Parser;
use oauth2_admin_server::{app, serve, AppState, Options};
use reqwest::header::{HeaderMap, AUTHORIZATION, CONTENT_TYPE, IF_MATCH};
use reqwest::{Method, RequestBuilder};
use serde_json::{json, Value};
use tempfile::TempDir;
use tokio::net::TcpListener;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;
use uuid::Uuid;

/// The admin token every test server reads from its token file.
pub const TOKEN: &str = "test-admin-token-6f1c0b7e2a9d4c58";

/// A secret that appears nowhere else, so finding it in a file or body is a leak.
pub const SECRET: &str = "Zq8-distinct-client-secret-4Kw2";

/// A server task and its data folder.
pub struct TestServer {
    pub base: String,
    pub data: PathBuf,
    token: String,
    /// Owns the folder when the server made it; `None` when the test passed its own.
    _temp: Option<TempDir>,
    client: reqwest::Client,
    shutdown: Option<oneshot::Sender<()>>,
    task: Option<JoinHandle<std::io::Result<()>>>,
    /// Every response body, so a test can check that none contains a secret.
    bodies: Mutex<Vec<String>>,
}

/// A response with its body read.
pub struct Reply {
    pub status: u16,
    pub headers: HeaderMap,
    pub text: String,
}

impl Reply {
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.text).unwrap_or_else(|error| panic!("body is not JSON ({error}): {}", self.text))
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|value| value.to_str().ok())
    }

    /// Returns the `ETag` header, such as `"3"`.
    pub fn etag(&self) -> String {
        self.header("etag").expect("response has an ETag").to_owned()
    }
}

impl TestServer {
    /// Starts a server in a new temporary folder.
    pub async fn start() -> TestServer {
        let temp = TempDir::new().unwrap();
        let mut server = TestServer::start_in(temp.path(), &[]).await;
        server._temp = Some(temp);
        server
    }

    /// Starts a server on the files in `data`, creating them if missing. `extra` adds flags.
    pub async fn start_in(data: &Path, extra: &[&str]) -> TestServer {
        let state = open_state(data, extra).expect("server state opens");
        TestServer::start_with(state, data, TOKEN).await
    }

    /// Serves `state`, whose files are in `data` and whose admin token is `token`.
    pub async fn start_with(state: AppState, data: &Path, token: &str) -> TestServer {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());

        let (shutdown, shutdown_signal) = oneshot::channel::<()>();
        let task = tokio::spawn(serve(listener, app(state), async {
            shutdown_signal.await.ok();
        }));

        TestServer {
            base,
            data: data.to_owned(),
            token: token.to_owned(),
            _temp: None,
            client: reqwest::Client::builder().no_proxy().build().unwrap(),
            shutdown: Some(shutdown),
            task: Some(task),
            bodies: Mutex::new(Vec::new()),
        }
    }

    /// Stops the server and waits until it has closed the database.
    pub async fn stop(mut self) {
        self.shutdown.take().unwrap().send(()).ok();
        self.task.take().unwrap().await.unwrap().unwrap();
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// Starts a request with the admin token.
    pub fn request(&self, method: Method, path: &str) -> RequestBuilder {
        self.client
            .request(method, self.url(path))
            .header(AUTHORIZATION, format!("Bearer {}", self.token))
    }

    /// Starts a request without any token.
    pub fn anonymous(&self, method: Method, path: &str) -> RequestBuilder {
        self.client.request(method, self.url(path))
    }

    pub async fn send(&self, request: RequestBuilder) -> Reply {
        let response = request.send().await.expect("request reaches the server");
        let status = response.status().as_u16();
        let headers = response.headers().clone();
        let text = response.text().await.unwrap();
        self.bodies.lock().unwrap().push(text.clone());
        Reply { status, headers, text }
    }

    pub async fn get(&self, path: &str) -> Reply {
        self.send(self.request(Method::GET, path)).await
    }

    /// Sends `PUT /api/oauth2-configs/{id}` with `body` and, if given, `If-Match: <etag>`.
    pub async fn put(&self, id: Uuid, body: &Value, if_match: Option<&str>) -> Reply {
        let mut request = self
            .request(Method::PUT, &config_path(id))
            .header(CONTENT_TYPE, "application/json")
            .body(body.to_string());
        if let Some(tag) = if_match {
            request = request.header(IF_MATCH, tag);
        }
        self.send(request).await
    }

    pub async fn delete(&self, id: Uuid, if_match: Option<&str>) -> Reply {
        let mut request = self.request(Method::DELETE, &config_path(id));
        if let Some(tag) = if_match {
            request = request.header(IF_MATCH, tag);
        }
        self.send(request).await
    }

    pub async fn validate(&self, body: &Value) -> Reply {
        let request = self
            .request(Method::POST, "/api/oauth2-configs/validate")
            .header(CONTENT_TYPE, "application/json")
            .body(body.to_string());
        self.send(request).await
    }

    /// Creates a configuration and returns its ETag.
    pub async fn create(&self, id: Uuid, body: &Value) -> String {
        let reply = self.put(id, body, None).await;
        assert_eq!(reply.status, 201, "create failed: {}", reply.text);
        reply.etag()
    }

    /// Asserts that no response body so far contains `needle`.
    pub fn assert_no_body_contains(&self, needle: &str) {
        let bodies = self.bodies.lock().unwrap();
        assert!(!bodies.is_empty(), "no response was recorded");
        for body in bodies.iter() {
            assert!(!body.contains(needle), "a response body contains {needle:?}: {body}");
        }
    }
}

/// Builds the server state for the files in `data`, with the admin token in a token file.
pub fn open_state(data: &Path, extra: &[&str]) -> Result<AppState, oauth2_admin_server::StartupError> {
    let token_file = data.join("test-token");
    if !token_file.exists() {
        fs::create_dir_all(data).unwrap();
        fs::write(&token_file, format!("{TOKEN}\n")).unwrap();
        fs::set_permissions(&token_file, fs::Permissions::from_mode(0o600)).unwrap();
    }
    let mut args = vec!["--token-file", token_file.to_str().unwrap()];
    args.extend(extra);
    AppState::open(&options(&data.join("config.sqlite3"), &args), None)
}

/// Parses server options for `database` plus `extra`. Unless `extra` names one, the page folder
/// does not exist, so only the API is served.
pub fn options(database: &Path, extra: &[&str]) -> Options {
    let missing_dist = database.with_file_name("no-dist");
    let mut args = vec!["oauth2-admin-server", "--database", database.to_str().unwrap()];
    if !extra.contains(&"--dist") {
        args.extend(["--dist", missing_dist.to_str().unwrap()]);
    }
    args.extend(extra);
    Options::try_parse_from(args).expect("options parse")
}

pub fn config_path(id: Uuid) -> String {
    format!("/api/oauth2-configs/{id}")
}

/// Returns a valid authorization-code configuration named `name`, without a secret key.
pub fn config_body(name: &str) -> Value {
    json!({
        "name": name,
        "client_id": "client-123",
        "token_url": "https://auth.example.com/oauth/token",
        "auth_url": "https://auth.example.com/oauth/authorize",
        "scopes": ["openid", "profile"],
        "grant_type": "authorization_code"
    })
}

/// Returns `body` with `client_secret` set to `secret`.
pub fn with_secret(mut body: Value, secret: Value) -> Value {
    body["client_secret"] = secret;
    body
}
