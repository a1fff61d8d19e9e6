//! `POST /api/oauth2-configs/validate` returns exactly what `oauth2_config::validate` returns for
//! the same draft: the same problems, field keys, codes, messages and normalized configuration.
//! The drafts are the real-world inputs of the domain crate's `tests/cases.rs`.

mod common;

use common::{config_body, with_secret, TestServer, SECRET};
use oauth2_config::{validate, Code, Context, Draft, Field, Problem};
use serde_json::{json, Value};
use uuid::Uuid;

/// Returns the valid draft of the domain crate's case tests.
fn valid_draft() -> Draft {
    Draft {
        name: "Example".to_owned(),
        client_id: "client-123".to_owned(),
        client_secret: "secret-value-1".to_owned(),
        token_url: "https://auth.example.com/oauth/token".to_owned(),
        refresh_token_url: String::new(),
        auth_url: "https://auth.example.com/oauth/authorize".to_owned(),
        scopes: "openid profile".to_owned(),
        grant_type: "authorization_code".to_owned(),
    }
}

/// Returns the drafts of the case tests: the valid draft with some fields replaced.
fn case_drafts() -> Vec<Draft> {
    let long_secret: String = ('!'..='~').cycle().take(200).collect();
    let cases: Vec<Vec<(Field, &str)>> = vec![
        vec![],
        vec![(Field::Scopes, "openid,profile,email,offline_access")],
        vec![(Field::Scopes, "UserName,Email")],
        vec![(Field::Scopes, "openid+profile+email")],
        vec![(Field::Scopes, "")],
        vec![(Field::Scopes, "items:info user:read")],
        vec![(Field::Scopes, "read  write ")],
        vec![(Field::Scopes, "read read")],
        vec![(Field::Scopes, "read \"write\"")],
        vec![(Field::Scopes, "read\\write")],
        vec![(Field::AuthUrl, "https://auth.example.com/foo?bar=qux")],
        vec![
            (
                Field::TokenUrl,
                "https://sso.example.com/oauth2/access_token?realm=/customers",
            ),
            (Field::RefreshTokenUrl, ""),
        ],
        vec![(
            Field::TokenUrl,
            "https://auth.example.com/oauth/token?client_id=abc&client_secret=s3cr3t",
        )],
        vec![(Field::AuthUrl, "https://auth.example.com/oauth/authorize#login")],
        vec![(Field::TokenUrl, "https://sso.example.com/realms/demo/")],
        vec![(
            Field::AuthUrl,
            "https://auth.example.com/.well-known/openid-configuration",
        )],
        vec![(Field::TokenUrl, "http://idp.example.com/token")],
        vec![(Field::AuthUrl, "javascript:alert(1)")],
        vec![(Field::AuthUrl, "data:text/html,x")],
        vec![(Field::TokenUrl, "https://user:pass@auth.example.com/token")],
        vec![(Field::TokenUrl, "https://user:Zq7-pw-value@auth.example.com/token")],
        vec![(Field::ClientId, "client-123 ")],
        vec![(Field::ClientId, "https://client.example.com/")],
        vec![(Field::ClientId, "abc\u{200B}123")],
        vec![(Field::ClientSecret, "c2VjcmV0LXZhbHVlLWZvci10ZXN0aW5nMQ==")],
        vec![(Field::ClientSecret, long_secret.as_str())],
        vec![(Field::ClientSecret, "Ab+cd/ef%12?gh")],
        vec![(Field::ClientSecret, "")],
        vec![
            (Field::GrantType, "client_credentials"),
            (Field::AuthUrl, ""),
            (Field::ClientSecret, ""),
        ],
        vec![(Field::AuthUrl, "")],
        vec![(Field::GrantType, "client_credentials"), (Field::AuthUrl, "")],
        vec![(Field::GrantType, "implicit")],
        vec![(Field::GrantType, "my_grant")],
        vec![(Field::Name, "<img src=x onerror=alert(1)>")],
    ];
    cases
        .into_iter()
        .map(|changes| {
            let mut draft = valid_draft();
            for (field, value) in changes {
                draft.set(field, value.to_owned());
            }
            draft
        })
        .collect()
}

/// Returns the request body for `draft`: every field, with the secret only when one was typed.
fn draft_body(draft: &Draft) -> Value {
    let mut body = serde_json::to_value(draft).unwrap();
    if !draft.client_secret.is_empty() {
        body["client_secret"] = json!(draft.client_secret);
    }
    body
}

fn problems(value: &Value) -> Vec<Problem> {
    serde_json::from_value(value.clone()).expect("problems deserialize")
}

/// Asserts that the server's validation of `draft` equals the domain crate's under `context`.
fn assert_same_as_domain(reply: &common::Reply, draft: &Draft, context: &Context) {
    assert_eq!(reply.status, 200, "{}", reply.text);
    let body = reply.json();
    let expected = validate(draft, context);

    assert_eq!(problems(&body["errors"]), expected.errors, "errors for {draft:?}");
    assert_eq!(problems(&body["warnings"]), expected.warnings, "warnings for {draft:?}");
    let normalized = expected
        .config
        .map(|config| serde_json::to_value(config).unwrap())
        .unwrap_or(Value::Null);
    assert_eq!(body["normalized"], normalized, "normalized for {draft:?}");
}

#[tokio::test]
async fn cases_match_domain_validation() {
    let server = TestServer::start().await;

    for draft in case_drafts() {
        let reply = server.validate(&draft_body(&draft)).await;

        assert_same_as_domain(&reply, &draft, &Context::default());
    }
}

#[tokio::test]
async fn put_errors_match_domain_validation() {
    let server = TestServer::start().await;

    for draft in case_drafts() {
        let expected = validate(&draft, &Context::default());
        let reply = server.put(Uuid::new_v4(), &draft_body(&draft), None).await;

        if expected.errors.is_empty() {
            assert_eq!(reply.status, 201, "{draft:?}: {}", reply.text);
            assert_eq!(problems(&reply.json()["warnings"]), expected.warnings, "{draft:?}");
            let id = reply.json()["id"].as_str().unwrap().parse().unwrap();
            let deleted = server.delete(id, Some("\"1\"")).await;
            assert_eq!(deleted.status, 204);
        } else {
            assert_eq!(reply.status, 422, "{draft:?}: {}", reply.text);
            assert_eq!(problems(&reply.json()["errors"]), expected.errors, "{draft:?}");
        }
    }
}

#[tokio::test]
async fn scopes_array_same_as_text() {
    let server = TestServer::start().await;
    let mut body = draft_body(&valid_draft());
    body["scopes"] = json!(["items:info", "user:read"]);

    let reply = server.validate(&body).await;

    let mut draft = valid_draft();
    draft.scopes = "items:info user:read".to_owned();
    assert_same_as_domain(&reply, &draft, &Context::default());
}

#[tokio::test]
async fn name_in_other_case_is_duplicate() {
    let server = TestServer::start().await;
    let id = Uuid::new_v4();
    server.create(id, &config_body("github")).await;
    let mut draft = valid_draft();
    draft.name = "GitHub".to_owned();

    let reply = server.validate(&draft_body(&draft)).await;

    let context = Context {
        other_names: vec!["github".to_owned()],
        secret_on_file: false,
    };
    assert_same_as_domain(&reply, &draft, &context);
    assert_eq!(problems(&reply.json()["errors"])[0].code, Code::DuplicateName);
}

#[tokio::test]
async fn own_id_excluded_from_name_check() {
    let server = TestServer::start().await;
    let id = Uuid::new_v4();
    server.create(id, &config_body("github")).await;
    let mut draft = valid_draft();
    draft.name = "GitHub".to_owned();
    let mut body = draft_body(&draft);
    body["id"] = json!(id.to_string());

    let reply = server.validate(&body).await;

    assert_same_as_domain(&reply, &draft, &Context::default());
}

#[tokio::test]
async fn own_id_counts_stored_secret() {
    let server = TestServer::start().await;
    let id = Uuid::new_v4();
    let service = json!({
        "name": "Billing",
        "client_id": "service-1",
        "token_url": "https://auth.example.com/oauth/token",
        "grant_type": "client_credentials"
    });
    server.create(id, &with_secret(service.clone(), json!(SECRET))).await;
    let mut draft = valid_draft();
    draft.grant_type = "client_credentials".to_owned();
    draft.auth_url = String::new();
    draft.client_secret = String::new();

    let mut body = draft_body(&draft);
    body["id"] = json!(id.to_string());
    let with_id = server.validate(&body).await;
    let without_id = server.validate(&draft_body(&draft)).await;

    let on_file = Context {
        other_names: Vec::new(),
        secret_on_file: true,
    };
    assert_same_as_domain(&with_id, &draft, &on_file);
    assert_same_as_domain(&without_id, &draft, &Context::default());
    assert_eq!(problems(&without_id.json()["errors"])[0].code, Code::SecretRequired);
}

#[tokio::test]
async fn validate_saves_nothing() {
    let server = TestServer::start().await;

    server.validate(&draft_body(&valid_draft())).await;

    assert_eq!(server.get("/api/oauth2-configs").await.json()["items"], json!([]));
}
