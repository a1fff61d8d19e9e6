//! Every status code of the API, each with the problem body or headers that go with it.

mod common;

use common::{config_body, config_path, with_secret, TestServer, SECRET};
use reqwest::header::{AUTHORIZATION, CONTENT_TYPE};
use reqwest::Method;
use serde_json::{json, Value};
use uuid::Uuid;

/// Asserts that `reply` is a problem with `status` and the RFC 9457 members.
fn assert_problem(reply: &common::Reply, status: u16) -> Value {
    assert_eq!(reply.status, status, "body: {}", reply.text);
    assert_eq!(reply.header("content-type"), Some("application/problem+json"));
    let problem = reply.json();
    assert_eq!(problem["status"], status);
    assert_eq!(problem["type"], "about:blank");
    assert!(problem["title"].is_string(), "problem has no title: {problem}");
    assert!(problem["detail"].is_string(), "problem has no detail: {problem}");
    problem
}

/// Returns `field code` for each entry of a problem's `errors`.
fn error_keys(problem: &Value) -> Vec<String> {
    problem["errors"]
        .as_array()
        .expect("problem has errors")
        .iter()
        .map(|error| {
            format!(
                "{} {}",
                error["field"].as_str().unwrap(),
                error["code"].as_str().unwrap()
            )
        })
        .collect()
}

#[tokio::test]
async fn list_sorted_by_name() {
    let server = TestServer::start().await;
    for name in ["beta", "Alpha", "gamma"] {
        server.create(Uuid::new_v4(), &config_body(name)).await;
    }

    let reply = server.get("/api/oauth2-configs").await;

    assert_eq!(reply.status, 200);
    let names: Vec<String> = reply.json()["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|item| item["name"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(names, ["Alpha", "beta", "gamma"]);
}

#[tokio::test]
async fn create_returns_201_with_config() {
    let server = TestServer::start().await;
    let id = Uuid::new_v4();

    let reply = server
        .put(id, &with_secret(config_body("GitHub"), json!(SECRET)), None)
        .await;

    assert_eq!(reply.status, 201, "{}", reply.text);
    assert_eq!(reply.etag(), "\"1\"");
    let body = reply.json();
    assert_eq!(body["id"], id.to_string());
    assert_eq!(body["name"], "GitHub");
    assert_eq!(body["client_id"], "client-123");
    assert_eq!(body["client_secret_set"], true);
    assert_eq!(body["token_url"], "https://auth.example.com/oauth/token");
    assert_eq!(body["refresh_token_url"], Value::Null);
    assert_eq!(body["auth_url"], "https://auth.example.com/oauth/authorize");
    assert_eq!(body["scopes"], json!(["openid", "profile"]));
    assert_eq!(body["grant_type"], "authorization_code");
    assert_eq!(body["revision"], 1);
    assert_eq!(body["warnings"], json!([]));
    let created_at = body["created_at"].as_str().unwrap();
    assert!(
        created_at.ends_with('Z') && created_at.contains('T'),
        "not RFC 3339 UTC: {created_at}"
    );
    assert_eq!(body["updated_at"], body["created_at"]);
    assert!(body.get("client_secret").is_none());
    server.assert_no_body_contains(SECRET);
}

#[tokio::test]
async fn get_returns_200_with_etag() {
    let server = TestServer::start().await;
    let id = Uuid::new_v4();
    server.create(id, &config_body("GitHub")).await;

    let reply = server.get(&config_path(id)).await;

    assert_eq!(reply.status, 200);
    assert_eq!(reply.etag(), "\"1\"");
    assert_eq!(reply.json()["name"], "GitHub");
    assert_eq!(reply.header("cache-control"), Some("no-store"));
}

#[tokio::test]
async fn get_absent_returns_404() {
    let server = TestServer::start().await;

    let reply = server.get(&config_path(Uuid::new_v4())).await;

    assert_problem(&reply, 404);
}

#[tokio::test]
async fn unknown_api_route_returns_404() {
    let server = TestServer::start().await;

    let reply = server.get("/api/no-such-route").await;

    assert_problem(&reply, 404);
}

#[tokio::test]
async fn id_not_uuid_returns_400() {
    let server = TestServer::start().await;

    for path in ["/api/oauth2-configs/not-a-uuid", "/api/oauth2-configs/123"] {
        let reply = server.get(path).await;

        let problem = assert_problem(&reply, 400);
        assert!(problem["detail"].as_str().unwrap().contains("UUID"), "{problem}");
    }
}

#[tokio::test]
async fn missing_token_returns_401() {
    let server = TestServer::start().await;

    for path in ["/api/oauth2-configs", "/api/openapi.json", "/api/no-such-route"] {
        let reply = server.send(server.anonymous(Method::GET, path)).await;

        assert_problem(&reply, 401);
        let challenge = reply.header("www-authenticate").unwrap_or_default();
        assert!(challenge.starts_with("Bearer"), "WWW-Authenticate: {challenge}");
    }
}

#[tokio::test]
async fn wrong_token_returns_401() {
    let server = TestServer::start().await;
    let wrong = [
        format!("Bearer {}x", common::TOKEN),
        "Bearer wrong".to_owned(),
        format!("Basic {}", common::TOKEN),
    ];

    for authorization in wrong {
        let request = server
            .anonymous(Method::GET, "/api/oauth2-configs")
            .header(AUTHORIZATION, &authorization);
        let reply = server.send(request).await;

        assert_problem(&reply, 401);
        assert!(reply
            .header("www-authenticate")
            .unwrap_or_default()
            .starts_with("Bearer"));
    }
}

#[tokio::test]
async fn token_checked_before_body() {
    let server = TestServer::start().await;
    let request = server
        .anonymous(Method::PUT, &config_path(Uuid::new_v4()))
        .header(CONTENT_TYPE, "application/json")
        .body(config_body("GitHub").to_string());

    let reply = server.send(request).await;

    assert_problem(&reply, 401);
    assert_eq!(server.get("/api/oauth2-configs").await.json()["items"], json!([]));
}

#[tokio::test]
async fn wrong_method_returns_405() {
    let server = TestServer::start().await;

    let reply = server.send(server.request(Method::POST, "/api/oauth2-configs")).await;

    assert_problem(&reply, 405);
    assert!(reply.header("allow").unwrap_or_default().contains("GET"));
}

#[tokio::test]
async fn duplicate_name_returns_409() {
    let server = TestServer::start().await;
    server.create(Uuid::new_v4(), &config_body("GitHub")).await;

    let reply = server.put(Uuid::new_v4(), &config_body("github"), None).await;

    let problem = assert_problem(&reply, 409);
    assert_eq!(error_keys(&problem), ["name duplicate_name"]);
    assert!(problem["errors"][0]["message"].as_str().unwrap().contains("github"));
}

#[tokio::test]
async fn rename_to_taken_name_returns_409() {
    let server = TestServer::start().await;
    server.create(Uuid::new_v4(), &config_body("GitHub")).await;
    let id = Uuid::new_v4();
    let etag = server.create(id, &config_body("GitLab")).await;

    let reply = server.put(id, &config_body("GITHUB"), Some(&etag)).await;

    assert_eq!(error_keys(&assert_problem(&reply, 409)), ["name duplicate_name"]);
    assert_eq!(server.get(&config_path(id)).await.json()["name"], "GitLab");
}

#[tokio::test]
async fn stale_put_returns_412_with_current() {
    let server = TestServer::start().await;
    let id = Uuid::new_v4();
    let first = server.create(id, &config_body("GitHub")).await;
    let mut changed = config_body("GitHub");
    changed["client_id"] = json!("client-456");
    let second = server.put(id, &changed, Some(&first)).await;
    assert_eq!(second.status, 200, "{}", second.text);

    let mut stale = config_body("GitHub");
    stale["client_id"] = json!("client-789");
    let reply = server.put(id, &stale, Some(&first)).await;

    let problem = assert_problem(&reply, 412);
    assert_eq!(problem["current"]["revision"], 2);
    assert_eq!(problem["current"]["client_id"], "client-456");
    assert_eq!(problem["current"]["id"], id.to_string());
}

#[tokio::test]
async fn stale_delete_returns_412_with_current() {
    let server = TestServer::start().await;
    let id = Uuid::new_v4();
    server.create(id, &config_body("GitHub")).await;

    let reply = server.delete(id, Some("\"7\"")).await;

    let problem = assert_problem(&reply, 412);
    assert_eq!(problem["current"]["revision"], 1);
    assert_eq!(problem["current"]["name"], "GitHub");
    assert_eq!(server.get(&config_path(id)).await.status, 200);
}

#[tokio::test]
async fn if_match_on_absent_id_returns_412() {
    let server = TestServer::start().await;
    let id = Uuid::new_v4();

    let reply = server.put(id, &config_body("GitHub"), Some("\"1\"")).await;

    let problem = assert_problem(&reply, 412);
    assert!(problem.get("current").is_none(), "{problem}");
    assert_eq!(server.get(&config_path(id)).await.status, 404);
}

#[tokio::test]
async fn weak_or_star_if_match() {
    let server = TestServer::start().await;
    let id = Uuid::new_v4();
    server.create(id, &config_body("GitHub")).await;
    let mut changed = config_body("GitHub");
    changed["client_id"] = json!("client-456");

    let weak = server.put(id, &changed, Some("W/\"1\"")).await;
    assert_problem(&weak, 412);

    let star = server.put(id, &changed, Some("*")).await;
    assert_eq!(star.status, 200, "{}", star.text);
    assert_eq!(star.etag(), "\"2\"");

    let unreadable = server.put(id, &changed, Some("2")).await;
    assert_problem(&unreadable, 400);
}

#[tokio::test]
async fn body_over_64_kib_returns_413() {
    let server = TestServer::start().await;
    let mut body = config_body("GitHub");
    body["client_id"] = json!("x".repeat(70 * 1024));

    let reply = server.put(Uuid::new_v4(), &body, None).await;

    assert_problem(&reply, 413);
}

#[tokio::test]
async fn non_json_content_type_returns_415() {
    let server = TestServer::start().await;
    let body = config_body("GitHub").to_string();

    for content_type in [Some("text/plain"), Some("application/x-www-form-urlencoded"), None] {
        let mut request = server
            .request(Method::PUT, &config_path(Uuid::new_v4()))
            .body(body.clone());
        if let Some(content_type) = content_type {
            request = request.header(CONTENT_TYPE, content_type);
        }
        let reply = server.send(request).await;

        assert_problem(&reply, 415);
    }

    let with_charset = server
        .request(Method::PUT, &config_path(Uuid::new_v4()))
        .header(CONTENT_TYPE, "application/json; charset=utf-8")
        .body(body);
    assert_eq!(server.send(with_charset).await.status, 201);
}

#[tokio::test]
async fn malformed_json_returns_400_with_place() {
    let server = TestServer::start().await;
    let request = server
        .request(Method::PUT, &config_path(Uuid::new_v4()))
        .header(CONTENT_TYPE, "application/json")
        .body("{\"name\": \"GitHub\",\n \"client_id\": }");

    let reply = server.send(request).await;

    let problem = assert_problem(&reply, 400);
    let detail = problem["detail"].as_str().unwrap();
    assert!(detail.contains("line 2"), "detail should say where: {detail}");
}

#[tokio::test]
async fn wrong_type_400_never_echoes_secret() {
    let server = TestServer::start().await;
    let cases = [
        json!({ "name": "GitHub", "client_secret": 12 }),
        json!({ "name": "GitHub", "scopes": { "key": SECRET } }),
        json!({ "name": "GitHub", "grant_type": [SECRET] }),
        json!({ "name": "GitHub", "client_secret": [SECRET] }),
    ];

    for case in cases {
        let reply = server.put(Uuid::new_v4(), &case, None).await;

        let problem = assert_problem(&reply, 400);
        assert!(
            problem["detail"].as_str().unwrap().contains('`'),
            "detail should name the member: {problem}"
        );
    }
    let reply = server.validate(&json!({ "id": SECRET, "name": "GitHub" })).await;
    assert_problem(&reply, 400);
    server.assert_no_body_contains(SECRET);
}

#[tokio::test]
async fn invalid_draft_returns_422_per_field() {
    let server = TestServer::start().await;
    let mut body = config_body("GitHub");
    body["token_url"] = json!("http://idp.example.com/token");
    body["scopes"] = json!("read \"write\"");

    let reply = server.put(Uuid::new_v4(), &body, None).await;

    let problem = assert_problem(&reply, 422);
    assert_eq!(
        error_keys(&problem),
        ["token_url insecure_scheme", "scopes invalid_scope"]
    );
    for error in problem["errors"].as_array().unwrap() {
        assert!(error["message"].as_str().is_some_and(|message| !message.is_empty()));
    }
}

#[tokio::test]
async fn missing_fields_return_422_not_400() {
    let server = TestServer::start().await;

    let reply = server.put(Uuid::new_v4(), &json!({}), None).await;

    let problem = assert_problem(&reply, 422);
    let keys = error_keys(&problem);
    assert!(keys.contains(&"name required".to_owned()), "{keys:?}");
    assert!(keys.contains(&"grant_type required".to_owned()), "{keys:?}");
}

#[tokio::test]
async fn change_without_if_match_returns_428() {
    let server = TestServer::start().await;
    let id = Uuid::new_v4();
    server.create(id, &config_body("GitHub")).await;
    let mut changed = config_body("GitHub");
    changed["client_id"] = json!("client-456");

    let put = server.put(id, &changed, None).await;
    assert_problem(&put, 428);

    let delete = server.delete(id, None).await;
    assert_problem(&delete, 428);

    let stored = server.get(&config_path(id)).await.json();
    assert_eq!(stored["client_id"], "client-123");
    assert_eq!(stored["revision"], 1);
}

#[tokio::test]
async fn delete_returns_204_then_404() {
    let server = TestServer::start().await;
    let id = Uuid::new_v4();
    let etag = server.create(id, &config_body("GitHub")).await;

    let deleted = server.delete(id, Some(&etag)).await;
    assert_eq!(deleted.status, 204);
    assert_eq!(deleted.text, "");

    assert_problem(&server.get(&config_path(id)).await, 404);
    assert_problem(&server.delete(id, Some(&etag)).await, 404);
}

#[tokio::test]
async fn deleted_name_can_be_reused() {
    let server = TestServer::start().await;
    let id = Uuid::new_v4();
    let etag = server.create(id, &config_body("GitHub")).await;
    server.delete(id, Some(&etag)).await;

    let reply = server.put(Uuid::new_v4(), &config_body("GitHub"), None).await;

    assert_eq!(reply.status, 201, "{}", reply.text);
}

#[tokio::test]
async fn api_error_responses_not_cached() {
    let server = TestServer::start().await;

    let unauthorized = server.send(server.anonymous(Method::GET, "/api/oauth2-configs")).await;
    let not_found = server.get(&config_path(Uuid::new_v4())).await;

    assert_eq!(unauthorized.header("cache-control"), Some("no-store"));
    assert_eq!(not_found.header("cache-control"), Some("no-store"));
}
