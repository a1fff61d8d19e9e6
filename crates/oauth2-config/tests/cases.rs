//! One test for each real-world input that admins paste into the form: joined scope lists,
//! issuer URLs in place of endpoints, secrets in URLs, invisible characters and similar.

use oauth2_config::{validate, Config, Context, Draft, Field, Problem, Validation};

const TOKEN_URL: &str = "https://auth.example.com/oauth/token";
const AUTH_URL: &str = "https://auth.example.com/oauth/authorize";

/// Returns a draft that passes every rule with no warning.
fn valid_draft() -> Draft {
    Draft {
        name: "Example".to_owned(),
        client_id: "client-123".to_owned(),
        client_secret: "secret-value-1".to_owned(),
        token_url: TOKEN_URL.to_owned(),
        refresh_token_url: String::new(),
        auth_url: AUTH_URL.to_owned(),
        scopes: "openid profile".to_owned(),
        grant_type: "authorization_code".to_owned(),
    }
}

/// Validates the valid draft with the given fields replaced, with no other names and no stored
/// secret.
fn validate_with(changes: &[(Field, &str)]) -> Validation {
    let mut draft = valid_draft();
    for (field, value) in changes {
        draft.set(*field, (*value).to_owned());
    }
    validate(&draft, &Context::default())
}

/// Renders each problem as `error token_url insecure_scheme`, errors first.
fn summarize(validation: &Validation) -> Vec<String> {
    let errors = validation.errors.iter().map(|problem| ("error", problem));
    let warnings = validation.warnings.iter().map(|problem| ("warning", problem));
    errors
        .chain(warnings)
        .map(|(severity, problem)| format!("{severity} {} {}", problem.field.key(), problem.code.as_str()))
        .collect()
}

/// Returns the one problem with `code`.
fn problem<'a>(validation: &'a Validation, code: &str) -> &'a Problem {
    let mut matches = validation
        .errors
        .iter()
        .chain(&validation.warnings)
        .filter(|problem| problem.code.as_str() == code);
    let found = matches.next().unwrap_or_else(|| panic!("no {code} problem"));
    assert!(matches.next().is_none(), "more than one {code} problem");
    found
}

fn valid_config(validation: &Validation) -> &Config {
    assert_eq!(validation.errors, [], "draft should be valid");
    validation.config.as_ref().expect("a valid draft returns a config")
}

fn scope_tokens(config: &Config) -> Vec<&str> {
    config.scopes.iter().map(|scope| scope.as_str()).collect()
}

/// Asserts that applying the scope-split fix gives `tokens` with no problem left.
fn assert_split_fix(validation: &Validation, value: &str, tokens: &[&str]) {
    let fix = problem(validation, "scope_separator")
        .fix
        .as_ref()
        .expect("the warning should offer a split");
    assert_eq!(fix.value, value);
    assert_eq!(fix.label, format!("Split into {} scopes", tokens.len()));

    let split = validate_with(&[(Field::Scopes, &fix.value)]);
    assert_eq!(summarize(&split), Vec::<String>::new());
    assert_eq!(scope_tokens(valid_config(&split)), tokens);
}

// Scopes

#[test]
fn comma_joined_scopes_warn_and_offer_split() {
    let validation = validate_with(&[(Field::Scopes, "openid,profile,email,offline_access")]);

    // The joined text is a legal scope token, so it is saved as one scope until split.
    assert_eq!(summarize(&validation), ["warning scopes scope_separator"]);
    assert_eq!(
        scope_tokens(valid_config(&validation)),
        ["openid,profile,email,offline_access"]
    );
    assert!(problem(&validation, "scope_separator")
        .message
        .contains("openid,profile,email,offline_access"));
    assert_split_fix(
        &validation,
        "openid profile email offline_access",
        &["openid", "profile", "email", "offline_access"],
    );
}

#[test]
fn comma_joined_mixed_case_scopes_split() {
    let validation = validate_with(&[(Field::Scopes, "UserName,Email")]);

    assert_eq!(summarize(&validation), ["warning scopes scope_separator"]);
    assert_split_fix(&validation, "UserName Email", &["UserName", "Email"]);
}

#[test]
fn plus_joined_scopes_not_split_silently() {
    let validation = validate_with(&[(Field::Scopes, "openid+profile+email")]);

    assert_eq!(summarize(&validation), ["warning scopes scope_separator"]);
    assert_eq!(scope_tokens(valid_config(&validation)), ["openid+profile+email"]);
    assert_split_fix(&validation, "openid profile email", &["openid", "profile", "email"]);
}

#[test]
fn empty_scopes_omit_parameter() {
    let validation = validate_with(&[(Field::Scopes, "")]);

    assert_eq!(summarize(&validation), Vec::<String>::new());
    let config = valid_config(&validation);
    assert!(config.scopes.is_empty());
    assert_eq!(config.scopes.to_parameter(), None);
}

#[test]
fn json_scope_list_becomes_tokens() {
    let json = r#"{
        "name": "Example",
        "client_id": "client-123",
        "client_secret": "secret-value-1",
        "token_url": "https://auth.example.com/oauth/token",
        "auth_url": "https://auth.example.com/oauth/authorize",
        "scopes": ["scope-1", "scope-2"],
        "grant_type": "authorization_code"
    }"#;
    let draft: Draft = serde_json::from_str(json).unwrap();
    assert_eq!(draft.scopes, "scope-1 scope-2");

    let validation = validate(&draft, &Context::default());
    let config = valid_config(&validation);
    assert_eq!(scope_tokens(config), ["scope-1", "scope-2"]);
    assert_eq!(config.scopes.to_parameter().as_deref(), Some("scope-1 scope-2"));
}

#[test]
fn saved_scopes_reopen_unchanged() {
    let validation = validate_with(&[(Field::Scopes, "items:info user:read")]);
    let config = valid_config(&validation);

    let json = serde_json::to_string(config).unwrap();
    let stored: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(stored["scopes"], serde_json::json!(["items:info", "user:read"]));

    let reopened: Config = serde_json::from_str(&json).unwrap();
    assert_eq!(&reopened, config);
    let draft = reopened.to_draft();
    assert_eq!(draft.scopes, "items:info user:read");
    assert_eq!(draft.client_secret, "");
}

#[test]
fn extra_spaces_between_scopes_collapse() {
    let validation = validate_with(&[(Field::Scopes, "read  write ")]);

    assert_eq!(summarize(&validation), Vec::<String>::new());
    let config = valid_config(&validation);
    assert_eq!(scope_tokens(config), ["read", "write"]);
    assert_eq!(config.scopes.to_string(), "read write");
}

#[test]
fn repeated_scope_kept_once() {
    let validation = validate_with(&[(Field::Scopes, "read read")]);

    assert_eq!(summarize(&validation), ["warning scopes duplicate_scope"]);
    assert_eq!(scope_tokens(valid_config(&validation)), ["read"]);
    assert!(problem(&validation, "duplicate_scope").message.contains("read"));
}

#[test]
fn quote_or_backslash_in_scope_rejected() {
    let cases = [
        ("read \"write\"", "\"write\"", "'\"' (U+0022)"),
        ("read\\write", "read\\write", "'\\' (U+005C)"),
    ];
    for (input, token, character) in cases {
        let validation = validate_with(&[(Field::Scopes, input)]);

        assert_eq!(
            summarize(&validation),
            ["error scopes invalid_scope"],
            "input {input:?}"
        );
        let message = &problem(&validation, "invalid_scope").message;
        assert!(
            message.contains(&format!("\u{201C}{token}\u{201D}")),
            "message should name the token: {message}"
        );
        assert!(
            message.contains(character),
            "message should name the character: {message}"
        );
    }
}

// URLs

#[test]
fn auth_url_query_kept_exactly() {
    let url = "https://auth.example.com/foo?bar=qux";
    let validation = validate_with(&[(Field::AuthUrl, url)]);

    assert_eq!(summarize(&validation), Vec::<String>::new());
    let auth_url = valid_config(&validation).auth_url.as_ref().unwrap();
    assert_eq!(auth_url.as_str(), url);
    assert_eq!(auth_url.url().query(), Some("bar=qux"));
}

#[test]
fn token_url_with_query_also_refreshes() {
    let url = "https://sso.example.com/oauth2/access_token?realm=/customers";
    let validation = validate_with(&[(Field::TokenUrl, url), (Field::RefreshTokenUrl, "")]);

    assert_eq!(summarize(&validation), Vec::<String>::new());
    let config = valid_config(&validation);
    assert_eq!(config.token_url.as_ref().unwrap().as_str(), url);
    assert_eq!(config.refresh_token_url, None);
    assert_eq!(config.effective_refresh_url().unwrap().as_str(), url);
}

#[test]
fn secret_in_token_url_query_rejected() {
    let url = "https://auth.example.com/oauth/token?client_id=abc&client_secret=s3cr3t";
    let validation = validate_with(&[(Field::TokenUrl, url)]);

    assert_eq!(summarize(&validation), ["error token_url credential_in_query"]);
    let message = &problem(&validation, "credential_in_query").message;
    assert!(
        message.contains("Client Secret"),
        "message should point to Client Secret: {message}"
    );
    assert!(
        !message.contains("s3cr3t"),
        "message must not repeat the secret: {message}"
    );
    assert!(validation.config.is_none());
}

#[test]
fn url_fragment_rejected() {
    let validation = validate_with(&[(Field::AuthUrl, "https://auth.example.com/oauth/authorize#login")]);

    assert_eq!(summarize(&validation), ["error auth_url fragment"]);
}

#[test]
fn realm_issuer_url_warns_base_url() {
    let validation = validate_with(&[(Field::TokenUrl, "https://sso.example.com/realms/demo/")]);

    assert_eq!(summarize(&validation), ["warning token_url base_url"]);
    assert!(problem(&validation, "base_url").message.contains("base URL"));
}

#[test]
fn discovery_document_url_warns() {
    let url = "https://auth.example.com/.well-known/openid-configuration";
    let validation = validate_with(&[(Field::AuthUrl, url)]);

    assert_eq!(summarize(&validation), ["warning auth_url discovery_document"]);
}

#[test]
fn plain_http_token_url_rejected() {
    let validation = validate_with(&[(Field::TokenUrl, "http://idp.example.com/token")]);

    assert_eq!(summarize(&validation), ["error token_url insecure_scheme"]);
}

#[test]
fn script_and_data_urls_rejected() {
    for url in ["javascript:alert(1)", "data:text/html,x"] {
        let validation = validate_with(&[(Field::AuthUrl, url)]);

        assert_eq!(summarize(&validation), ["error auth_url insecure_scheme"], "URL {url}");
        assert!(validation.config.is_none());
    }
}

#[test]
fn user_info_in_url_rejected() {
    let validation = validate_with(&[(Field::TokenUrl, "https://user:pass@auth.example.com/token")]);

    assert_eq!(summarize(&validation), ["error token_url user_info"]);
    let message = &problem(&validation, "user_info").message;
    // The message contains the word "password", so check for the typed credentials, not "pass".
    assert!(
        !message.contains("user:pass"),
        "message must not repeat the credentials: {message}"
    );

    let validation = validate_with(&[(Field::TokenUrl, "https://user:Zq7-pw-value@auth.example.com/token")]);
    let message = &problem(&validation, "user_info").message;
    assert!(
        !message.contains("Zq7-pw-value"),
        "message must not repeat the password: {message}"
    );
}

// Client ID

#[test]
fn client_id_trailing_space_trimmed() {
    let validation = validate_with(&[(Field::ClientId, "client-123 ")]);

    assert_eq!(summarize(&validation), ["warning client_id trimmed"]);
    assert_eq!(valid_config(&validation).client_id.as_str(), "client-123");
    assert!(problem(&validation, "trimmed").message.contains("removed"));
}

#[test]
fn url_client_id_accepted() {
    let validation = validate_with(&[(Field::ClientId, "https://client.example.com/")]);

    assert_eq!(summarize(&validation), Vec::<String>::new());
    assert_eq!(
        valid_config(&validation).client_id.as_str(),
        "https://client.example.com/"
    );
}

#[test]
fn zero_width_space_in_client_id_rejected() {
    let validation = validate_with(&[(Field::ClientId, "abc\u{200B}123")]);

    assert_eq!(summarize(&validation), ["error client_id invisible_character"]);
    let message = &problem(&validation, "invisible_character").message;
    assert!(
        message.contains("zero-width space"),
        "message should name the character: {message}"
    );
}

// Client Secret

#[test]
fn base64_and_long_secrets_kept_exactly() {
    let long: String = ('!'..='~').cycle().take(200).collect();
    for secret in ["c2VjcmV0LXZhbHVlLWZvci10ZXN0aW5nMQ==", long.as_str()] {
        let validation = validate_with(&[(Field::ClientSecret, secret)]);

        assert_eq!(summarize(&validation), Vec::<String>::new(), "secret {secret:?}");
        assert_eq!(validation.secret.as_ref().unwrap().expose(), secret);
    }
}

#[test]
fn secret_with_url_characters_accepted() {
    let validation = validate_with(&[(Field::ClientSecret, "Ab+cd/ef%12?gh")]);

    assert_eq!(summarize(&validation), Vec::<String>::new());
    assert_eq!(validation.secret.as_ref().unwrap().expose(), "Ab+cd/ef%12?gh");
}

#[test]
fn config_and_debug_never_show_secret() {
    let secret = "Kx9-unique-secret-Qw2";
    let mut draft = valid_draft();
    draft.client_secret = secret.to_owned();
    let validation = validate(&draft, &Context::default());
    let config = valid_config(&validation);

    let json = serde_json::to_string(config).unwrap();
    assert!(!json.contains(secret), "config JSON: {json}");
    assert!(!json.contains("client_secret"), "config JSON: {json}");

    let draft_json = serde_json::to_string(&draft).unwrap();
    assert!(!draft_json.contains(secret), "draft JSON: {draft_json}");

    let debug = format!("{validation:?}");
    assert!(!debug.contains(secret), "validation Debug: {debug}");
    assert!(
        debug.contains("[redacted]"),
        "validation Debug should show the secret was redacted: {debug}"
    );
}

#[test]
fn public_client_warns_about_pkce() {
    let validation = validate_with(&[(Field::ClientSecret, "")]);

    assert_eq!(summarize(&validation), ["warning client_secret public_client"]);
    assert!(validation.config.is_some());
    assert!(validation.secret.is_none());
    assert!(problem(&validation, "public_client").message.contains("PKCE"));
}

#[test]
fn client_credentials_without_secret_rejected() {
    let validation = validate_with(&[
        (Field::GrantType, "client_credentials"),
        (Field::AuthUrl, ""),
        (Field::ClientSecret, ""),
    ]);

    assert_eq!(summarize(&validation), ["error client_secret secret_required"]);
    assert!(validation.config.is_none());
}

// Grant Type

#[test]
fn authorization_code_needs_auth_url() {
    let validation = validate_with(&[(Field::AuthUrl, "")]);

    assert_eq!(summarize(&validation), ["error auth_url required"]);
    assert_eq!(validation.first_invalid_field(), Some(Field::AuthUrl));
}

#[test]
fn client_credentials_needs_no_auth_url() {
    let validation = validate_with(&[(Field::GrantType, "client_credentials"), (Field::AuthUrl, "")]);

    assert_eq!(summarize(&validation), Vec::<String>::new());
    assert_eq!(valid_config(&validation).auth_url, None);
}

#[test]
fn implicit_grant_warns_legacy() {
    let validation = validate_with(&[(Field::GrantType, "implicit")]);

    assert_eq!(summarize(&validation), ["warning grant_type legacy_grant"]);
    assert!(validation.config.is_some());
}

#[test]
fn unknown_grant_name_rejected() {
    let validation = validate_with(&[(Field::GrantType, "my_grant")]);

    assert_eq!(summarize(&validation), ["error grant_type invalid_grant_type"]);
    assert!(problem(&validation, "invalid_grant_type").message.contains("my_grant"));
}

// Name

#[test]
fn markup_in_name_kept_as_text() {
    let name = "<img src=x onerror=alert(1)>";
    let validation = validate_with(&[(Field::Name, name)]);

    assert_eq!(summarize(&validation), Vec::<String>::new());
    assert_eq!(valid_config(&validation).name.as_str(), name);
}

#[test]
fn name_differing_only_in_case_rejected() {
    let mut draft = valid_draft();
    draft.name = "GitHub".to_owned();
    let context = Context {
        other_names: vec!["github".to_owned()],
        secret_on_file: false,
    };
    let validation = validate(&draft, &context);

    assert_eq!(summarize(&validation), ["error name duplicate_name"]);
    assert!(problem(&validation, "duplicate_name").message.contains("GitHub"));
}
