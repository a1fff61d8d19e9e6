//! Table-driven tests for every validation rule.
//!
//! Each case starts from a draft with no problems, changes one or a few fields, and lists every
//! problem it expects as `severity field code`, errors first. `check` also asserts the invariants
//! that hold for every result: a config is returned exactly when there is no error, and every
//! message starts with its field's label.

use oauth2_config::{validate, Config, Context, Draft, Field, GrantType, Validation};

const TOKEN_URL: &str = "https://auth.example.com/oauth/token";
const AUTH_URL: &str = "https://auth.example.com/oauth/authorize";
const DEVICE_CODE: &str = "urn:ietf:params:oauth:grant-type:device_code";
const JWT_BEARER: &str = "urn:ietf:params:oauth:grant-type:jwt-bearer";
const TOKEN_EXCHANGE: &str = "urn:ietf:params:oauth:grant-type:token-exchange";
const CUSTOM_GRANT: &str = "urn:example:grant-type:custom";
const URL_FIELDS: [Field; 3] = [Field::TokenUrl, Field::RefreshTokenUrl, Field::AuthUrl];

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

/// Returns the valid draft with the given fields replaced.
fn draft_with(changes: &[(Field, &str)]) -> Draft {
    let mut draft = valid_draft();
    for (field, value) in changes {
        draft.set(*field, (*value).to_owned());
    }
    draft
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

/// Validates `draft` and asserts that its problems are exactly `expected`.
fn check_draft(draft: &Draft, context: &Context, expected: &[&str]) -> Validation {
    let validation = validate(draft, context);
    assert_eq!(summarize(&validation), expected, "problems for {draft:?}");
    assert_eq!(
        validation.config.is_some(),
        validation.is_valid(),
        "a config must be returned exactly when there is no error: {draft:?}"
    );
    for problem in validation.errors.iter().chain(&validation.warnings) {
        let label = problem.field.label();
        assert!(
            problem.message.starts_with(label),
            "message for {} must start with {label:?}: {:?}",
            problem.field.key(),
            problem.message
        );
    }
    validation
}

/// Validates the valid draft with `changes` applied, with no other names and no stored secret.
fn check(changes: &[(Field, &str)], expected: &[&str]) -> Validation {
    check_draft(&draft_with(changes), &Context::default(), expected)
}

/// Returns the message of the one problem with `code`.
fn message<'a>(validation: &'a Validation, code: &str) -> &'a str {
    let mut matches = validation
        .errors
        .iter()
        .chain(&validation.warnings)
        .filter(|problem| problem.code.as_str() == code);
    let problem = matches.next().unwrap_or_else(|| panic!("no {code} problem"));
    assert!(matches.next().is_none(), "more than one {code} problem");
    &problem.message
}

fn valid_config(validation: &Validation) -> &Config {
    validation.config.as_ref().expect("draft should be valid")
}

fn url_text(url: Option<&oauth2_config::EndpointUrl>) -> &str {
    url.expect("URL should be set").as_str()
}

fn scope_tokens(config: &Config) -> Vec<&str> {
    config.scopes.iter().map(|scope| scope.as_str()).collect()
}

// Field keys and labels

#[test]
fn valid_draft_has_no_problems() {
    let validation = check(&[], &[]);
    let config = valid_config(&validation);

    assert_eq!(config.name.as_str(), "Example");
    assert_eq!(config.client_id.as_str(), "client-123");
    assert_eq!(url_text(config.token_url.as_ref()), TOKEN_URL);
    assert_eq!(config.refresh_token_url, None);
    assert_eq!(url_text(config.auth_url.as_ref()), AUTH_URL);
    assert_eq!(scope_tokens(config), ["openid", "profile"]);
    assert_eq!(config.grant_type, GrantType::AuthorizationCode);
    assert_eq!(
        validation.secret.as_ref().map(|secret| secret.expose()),
        Some("secret-value-1")
    );
}

#[test]
fn field_keys_match_json() {
    for field in Field::ALL {
        let json = serde_json::to_string(&field).unwrap();
        assert_eq!(json, format!("\"{}\"", field.key()));
        assert_eq!(Field::from_key(field.key()), Some(field));
    }
    assert_eq!(Field::from_key("secret"), None);
}

#[test]
fn problems_sorted_in_form_order() {
    let validation = check(
        &[
            (Field::GrantType, ""),
            (Field::Scopes, "a\"b"),
            (Field::TokenUrl, "http://auth.example.com/token"),
            (Field::Name, ""),
        ],
        &[
            "error name required",
            "error token_url insecure_scheme",
            "error scopes invalid_scope",
            "error grant_type required",
        ],
    );

    assert_eq!(validation.first_invalid_field(), Some(Field::Name));
    let token_codes: Vec<&str> = validation
        .for_field(Field::TokenUrl)
        .map(|problem| problem.code.as_str())
        .collect();
    assert_eq!(token_codes, ["insecure_scheme"]);
}

// Name

#[test]
fn name_required() {
    for input in ["", "   ", "\t\n"] {
        check(&[(Field::Name, input)], &["error name required"]);
    }
}

#[test]
fn name_trimmed() {
    for input in ["  GitHub", "GitHub \t", "\u{A0}GitHub\u{A0}"] {
        let validation = check(&[(Field::Name, input)], &[]);
        assert_eq!(valid_config(&validation).name.as_str(), "GitHub", "input {input:?}");
    }
}

#[test]
fn name_max_length() {
    let cases = [
        ("n".repeat(100), &[][..]),
        ("n".repeat(101), &["error name too_long"][..]),
        // The limit counts characters, not bytes.
        ("é".repeat(100), &[][..]),
        ("é".repeat(101), &["error name too_long"][..]),
        (format!("  {}  ", "n".repeat(100)), &[][..]),
    ];
    for (input, expected) in cases {
        check(&[(Field::Name, &input)], expected);
    }
}

#[test]
fn name_unique_ignoring_case() {
    let context = Context {
        other_names: vec!["GitHub".to_owned(), " Google ".to_owned(), "Équipe".to_owned()],
        secret_on_file: false,
    };
    let cases = [
        ("GitHub", true),
        ("github", true),
        ("GITHUB", true),
        ("  github  ", true),
        ("google", true),
        ("équipe", true),
        ("GitLab", false),
        ("GitHub Enterprise", false),
    ];
    for (name, duplicate) in cases {
        let expected: &[&str] = if duplicate { &["error name duplicate_name"] } else { &[] };
        let validation = check_draft(&draft_with(&[(Field::Name, name)]), &context, expected);
        if duplicate {
            assert!(
                message(&validation, "duplicate_name").contains(name.trim()),
                "name {name:?}"
            );
        }
    }
}

#[test]
fn name_rejects_hidden_characters() {
    let cases = [
        ("Git\u{7}Hub", "a control character (U+0007)"),
        ("Git\u{1B}Hub", "a control character (U+001B)"),
        ("Git\u{200B}Hub", "a zero-width space (U+200B)"),
        ("Git\u{FEFF}Hub", "byte order mark"),
        ("Git\u{AD}Hub", "a soft hyphen"),
        ("Git\u{202E}Hub", "a text-direction control character (U+202E)"),
        ("Git\u{2066}Hub", "a text-direction control character (U+2066)"),
        ("Git\u{200F}Hub", "a text-direction control character (U+200F)"),
    ];
    for (input, description) in cases {
        let validation = check(&[(Field::Name, input)], &["error name invalid_character"]);
        let text = message(&validation, "invalid_character");
        assert!(text.contains(description), "message for {input:?}: {text}");
        assert!(text.contains("position 4"), "message for {input:?}: {text}");
    }
}

#[test]
fn name_allows_unicode_and_punctuation() {
    for input in [
        "Entra ID – Müller GmbH",
        "日本語の設定",
        "Okta (staging) #2",
        "🔐 Vault",
    ] {
        let validation = check(&[(Field::Name, input)], &[]);
        assert_eq!(valid_config(&validation).name.as_str(), input);
    }
}

// Client ID

#[test]
fn client_id_required() {
    for input in ["", "  ", "\t"] {
        check(&[(Field::ClientId, input)], &["error client_id required"]);
    }
}

#[test]
fn client_id_trimmed_with_warning() {
    for input in [" abc", "abc ", "\tabc\n"] {
        let validation = check(&[(Field::ClientId, input)], &["warning client_id trimmed"]);
        assert_eq!(valid_config(&validation).client_id.as_str(), "abc", "input {input:?}");
    }
}

#[test]
fn client_id_printable_ascii() {
    let accepted = [
        "https://client.example.com/",
        "urn:example:client:42",
        "0oa1b2c3d4E5f6G7h8i9",
        "~!@#$%^&*()_+{}|:\"<>?`-=[]\\;',./",
        // VSCHAR (%x20-7E) includes the space, so an inner space is legal.
        "my client",
    ];
    for input in accepted {
        let validation = check(&[(Field::ClientId, input)], &[]);
        assert_eq!(valid_config(&validation).client_id.as_str(), input);
    }

    let rejected = [
        ("clïent", "'ï' (U+00EF)"),
        ("abc\tdef", "a tab"),
        ("abc\u{1}def", "a control character (U+0001)"),
        ("abc\u{202E}def", "a text-direction control character"),
    ];
    for (input, description) in rejected {
        let validation = check(&[(Field::ClientId, input)], &["error client_id invalid_character"]);
        let text = message(&validation, "invalid_character");
        assert!(text.contains(description), "message for {input:?}: {text}");
    }
}

#[test]
fn client_id_rejects_invisible_spaces() {
    let cases = [
        ("abc\u{200B}123", "zero-width space", "position 4"),
        ("abc\u{A0}123", "no-break space", "position 4"),
        // A no-break space at the end is not trimmed, so it is named instead of hidden.
        ("abc123\u{A0}", "no-break space", "position 7"),
        ("\u{FEFF}abc", "byte order mark", "position 1"),
        ("abc\u{202F}", "narrow no-break space", "position 4"),
        ("a\u{2060}b", "word joiner", "position 2"),
    ];
    for (input, description, position) in cases {
        let validation = check(&[(Field::ClientId, input)], &["error client_id invisible_character"]);
        let text = message(&validation, "invisible_character");
        assert!(text.contains(description), "message for {input:?}: {text}");
        assert!(text.contains(position), "message for {input:?}: {text}");
    }
}

#[test]
fn client_id_max_length() {
    check(&[(Field::ClientId, &"c".repeat(512))], &[]);
    check(&[(Field::ClientId, &"c".repeat(513))], &["error client_id too_long"]);
}

// Client Secret

#[test]
fn secret_kept_byte_for_byte() {
    let cases = [
        "c2VjcmV0LXZhbHVlLWZvci10ZXN0aW5nMQ==",
        "Ab+cd/ef%12?gh",
        "\"quoted\"\\back\\slash",
        "ends-with-equals=",
        "a",
    ];
    for input in cases {
        let validation = check(&[(Field::ClientSecret, input)], &[]);
        let secret = validation.secret.as_ref().expect("secret should be kept");
        assert_eq!(secret.expose(), input);
    }
}

#[test]
fn secret_outer_spaces_kept_with_warning() {
    for input in [" leading", "trailing ", " both "] {
        let validation = check(
            &[(Field::ClientSecret, input)],
            &["warning client_secret secret_whitespace"],
        );
        assert_eq!(validation.secret.as_ref().unwrap().expose(), input);
    }
}

#[test]
fn secret_non_printable_kept_with_warning() {
    let cases = [
        ("sécret-value", "position 2"),
        ("secret\tvalue", "position 7"),
        ("secret\u{200B}", "position 7"),
    ];
    for (input, position) in cases {
        let validation = check(
            &[(Field::ClientSecret, input)],
            &["warning client_secret non_printable_secret"],
        );
        assert_eq!(validation.secret.as_ref().unwrap().expose(), input);
        let text = message(&validation, "non_printable_secret");
        assert!(text.contains(position), "message for {input:?}: {text}");
        assert!(!text.contains(input), "message must not repeat the secret: {text}");
    }
}

#[test]
fn secret_mask_rejected() {
    let stored = Context {
        other_names: Vec::new(),
        secret_on_file: true,
    };
    for input in [oauth2_config::SECRET_MASK, "****", "●●●●●●", "•*•*"] {
        let draft = draft_with(&[(Field::ClientSecret, input)]);
        let validation = check_draft(&draft, &stored, &["error client_secret masked_secret"]);
        assert!(validation.secret.is_none());
    }

    // A rejected secret is not reported as empty as well, whatever the grant needs.
    check(
        &[(Field::ClientSecret, "********")],
        &["error client_secret masked_secret"],
    );
    check(
        &[
            (Field::ClientSecret, "********"),
            (Field::GrantType, "client_credentials"),
            (Field::AuthUrl, ""),
        ],
        &["error client_secret masked_secret"],
    );

    // A secret that merely contains a mask character is a real secret.
    let validation = check(&[(Field::ClientSecret, "ab**cd")], &[]);
    assert_eq!(validation.secret.as_ref().unwrap().expose(), "ab**cd");
}

#[test]
fn secret_max_length() {
    check(&[(Field::ClientSecret, &"s".repeat(4096))], &[]);
    check(
        &[(Field::ClientSecret, &"s".repeat(4097))],
        &["error client_secret too_long"],
    );
    check(
        &[
            (Field::ClientSecret, &"s".repeat(4097)),
            (Field::GrantType, "client_credentials"),
            (Field::AuthUrl, ""),
        ],
        &["error client_secret too_long"],
    );
}

#[test]
fn secret_required_by_confidential_grants() {
    let cases = [
        ("client_credentials", &["error client_secret secret_required"][..]),
        (JWT_BEARER, &["error client_secret secret_required"][..]),
        (
            "password",
            &["error client_secret secret_required", "warning grant_type legacy_grant"][..],
        ),
    ];
    for (grant, expected) in cases {
        let changes = [
            (Field::GrantType, grant),
            (Field::AuthUrl, ""),
            (Field::ClientSecret, ""),
        ];
        let validation = check(&changes, expected);
        assert!(message(&validation, "secret_required").contains(grant), "grant {grant}");

        // A stored secret meets the rule, and `secret` stays `None` so the stored one is kept.
        let stored = Context {
            other_names: Vec::new(),
            secret_on_file: true,
        };
        let expected_warnings: Vec<&str> = expected
            .iter()
            .copied()
            .filter(|line| line.starts_with("warning"))
            .collect();
        let validation = check_draft(&draft_with(&changes), &stored, &expected_warnings);
        assert!(validation.secret.is_none());
    }
}

#[test]
fn secret_blank_makes_public_client() {
    let validation = check(&[(Field::ClientSecret, "")], &["warning client_secret public_client"]);
    assert!(message(&validation, "public_client").contains("PKCE"));
    assert!(validation.secret.is_none());

    let stored = Context {
        other_names: Vec::new(),
        secret_on_file: true,
    };
    check_draft(&draft_with(&[(Field::ClientSecret, "")]), &stored, &[]);
}

#[test]
fn secret_optional_for_other_grants() {
    for grant in ["refresh_token", DEVICE_CODE, TOKEN_EXCHANGE, CUSTOM_GRANT] {
        check(
            &[
                (Field::GrantType, grant),
                (Field::AuthUrl, ""),
                (Field::ClientSecret, ""),
            ],
            &[],
        );
    }
}

// Token, Refresh Token and Auth URLs

#[test]
fn url_https_accepted_as_stored() {
    let cases = [
        (
            "https://auth.example.com/oauth/endpoint",
            "https://auth.example.com/oauth/endpoint",
        ),
        (
            "  https://auth.example.com/oauth/endpoint\n",
            "https://auth.example.com/oauth/endpoint",
        ),
        (
            "https://auth.example.com:8443/token",
            "https://auth.example.com:8443/token",
        ),
        // The URL parser lowercases the host and drops the default port.
        ("https://AUTH.Example.com:443/token", "https://auth.example.com/token"),
        ("https://192.0.2.10/token", "https://192.0.2.10/token"),
        ("https://localhost/token", "https://localhost/token"),
    ];
    for field in URL_FIELDS {
        for (input, stored) in cases {
            let validation = check(&[(field, input)], &[]);
            let config = valid_config(&validation);
            let url = match field {
                Field::TokenUrl => config.token_url.as_ref(),
                Field::RefreshTokenUrl => config.refresh_token_url.as_ref(),
                _ => config.auth_url.as_ref(),
            };
            assert_eq!(url_text(url), stored, "{} {input:?}", field.key());
        }
    }
}

#[test]
fn url_http_only_for_loopback() {
    let loopback = [
        "http://localhost/token",
        "http://localhost:8080/token",
        "http://LOCALHOST:8080/token",
        "http://127.0.0.1/token",
        "http://127.255.0.9:9000/token",
        "http://[::1]/token",
        "http://[::1]:9000/token",
    ];
    let remote = [
        "http://auth.example.com/token",
        "http://localhost.example.com/token",
        "http://128.0.0.1/token",
        "http://10.0.0.1/token",
        "http://[::2]/token",
    ];
    for field in URL_FIELDS {
        let warning = format!("warning {} loopback_http", field.key());
        for input in loopback {
            check(&[(field, input)], &[&warning]);
        }
        let error = format!("error {} insecure_scheme", field.key());
        for input in remote {
            let validation = check(&[(field, input)], &[&error]);
            assert!(message(&validation, "insecure_scheme").contains("https"), "{input}");
        }
    }
}

#[test]
fn url_other_schemes_rejected() {
    let cases = [
        "ftp://auth.example.com/token",
        "javascript:alert(1)",
        "data:text/html,x",
        "file:///etc/passwd",
        "wss://auth.example.com/token",
    ];
    for field in URL_FIELDS {
        let error = format!("error {} insecure_scheme", field.key());
        for input in cases {
            check(&[(field, input)], &[&error]);
        }
    }
}

#[test]
fn url_must_be_absolute() {
    let cases = [
        ("auth.example.com/token", "invalid_url"),
        ("/oauth/token", "invalid_url"),
        ("https://", "invalid_url"),
        ("https://[::1/token", "invalid_url"),
        ("https://auth.example.com:99999/token", "invalid_url"),
        ("https://exa mple.com/token", "invalid_character"),
    ];
    for field in URL_FIELDS {
        for (input, code) in cases {
            let error = format!("error {} {code}", field.key());
            check(&[(field, input)], &[&error]);
        }
    }
}

#[test]
fn url_rejects_hidden_characters() {
    let cases = [
        ("https://auth.example.com/to\u{200B}ken", "zero-width space"),
        ("https://auth.example.com/to\u{A0}ken", "no-break space"),
        ("\u{A0}https://auth.example.com/token", "no-break space"),
        ("https://auth.example.com/to\tken", "a tab"),
        ("https://auth.example.com/token\r\n?x=1", "a carriage return"),
    ];
    for (input, description) in cases {
        let validation = check(&[(Field::TokenUrl, input)], &["error token_url invalid_character"]);
        let text = message(&validation, "invalid_character");
        assert!(text.contains(description), "message for {input:?}: {text}");
    }
}

#[test]
fn url_rejects_user_info() {
    let cases = [
        "https://admin:hunter2-pw@auth.example.com/token",
        "https://admin@auth.example.com/token",
        "https://:hunter2-pw@auth.example.com/token",
    ];
    for field in URL_FIELDS {
        let error = format!("error {} user_info", field.key());
        for input in cases {
            let validation = check(&[(field, input)], &[&error]);
            let text = message(&validation, "user_info");
            assert!(
                !text.contains("hunter2"),
                "message must not repeat the password: {text}"
            );
            assert!(
                text.contains("Client Secret"),
                "message should point to Client Secret: {text}"
            );
        }
    }
}

#[test]
fn url_rejects_fragment() {
    for field in URL_FIELDS {
        let error = format!("error {} fragment", field.key());
        for input in [
            "https://auth.example.com/token#",
            "https://auth.example.com/token#top",
            "https://auth.example.com/token?x=1#/callback",
        ] {
            check(&[(field, input)], &[&error]);
        }
    }
}

#[test]
fn url_query_kept_exactly() {
    let queries = [
        "realm=/customers",
        "a=%2F%20&b=c+d",
        "redirect_uri=https%3A%2F%2Fapp.example.com%2Fcb",
        "lower=%7e&upper=%7E",
        "bad-escape=%zz",
        "a=1&a=2",
        "flag",
        "",
        "tenant=x?y",
    ];
    for field in URL_FIELDS {
        for query in queries {
            let input = format!("https://auth.example.com/oauth/endpoint?{query}");
            let validation = check(&[(field, &input)], &[]);
            let config = valid_config(&validation);
            let url = [&config.token_url, &config.refresh_token_url, &config.auth_url]
                .into_iter()
                .flatten()
                .find(|url| url.as_str() == input);
            assert!(url.is_some(), "{} {input:?} not stored exactly", field.key());
        }
    }
}

#[test]
fn url_query_needs_percent_encoding() {
    for query in ["name=\"x\"", "name=<x>", "q=é", "q='x'"] {
        let input = format!("https://auth.example.com/token?{query}");
        let validation = check(&[(Field::TokenUrl, &input)], &["error token_url invalid_character"]);
        assert!(message(&validation, "invalid_character").contains("percent-encoded"));
    }
}

#[test]
fn url_rejects_credentials_in_query() {
    let cases = [
        ("client_secret=x", "client_secret"),
        ("client_assertion=eyJhbGciOi", "client_assertion"),
        ("password=x", "password"),
        ("code=x", "code"),
        ("refresh_token=x", "refresh_token"),
        ("a=1&Client_Secret=x", "client_secret"),
        ("client%5Fsecret=x", "client_secret"),
        ("PASSWORD", "password"),
    ];
    for field in URL_FIELDS {
        let error = format!("error {} credential_in_query", field.key());
        for (query, param) in cases {
            let input = format!("https://auth.example.com/token?{query}");
            let validation = check(&[(field, &input)], &[&error]);
            let text = message(&validation, "credential_in_query");
            assert!(text.contains(&format!("\"{param}\"")), "message for {input:?}: {text}");
        }
    }

    let validation = check(
        &[(Field::TokenUrl, "https://auth.example.com/token?client_secret=x")],
        &["error token_url credential_in_query"],
    );
    assert!(message(&validation, "credential_in_query").contains("Client Secret field"));
}

#[test]
fn url_allows_other_query_params() {
    for query in [
        "code_challenge=x",
        "response_type=code",
        "passwords=x",
        "x=client_secret",
        "audience=api",
    ] {
        let input = format!("https://auth.example.com/token?{query}");
        check(&[(Field::TokenUrl, &input)], &[]);
    }
}

#[test]
fn url_path_warnings() {
    let cases = [
        ("https://auth.example.com", &["base_url"][..]),
        ("https://auth.example.com/", &["base_url"][..]),
        ("https://auth.example.com/?tenant=x", &["base_url"][..]),
        ("https://sso.example.com/realms/demo/", &["base_url"][..]),
        ("https://auth.example.com/o/token/", &["base_url"][..]),
        ("https://auth.example.com//token", &["double_slash"][..]),
        ("https://auth.example.com/oauth//token", &["double_slash"][..]),
        ("https://auth.example.com//", &["base_url", "double_slash"][..]),
        (
            "https://auth.example.com/.well-known/openid-configuration",
            &["discovery_document"][..],
        ),
        (
            "https://auth.example.com/realms/demo/.well-known/oauth-authorization-server",
            &["discovery_document"][..],
        ),
        ("https://auth.example.com/oauth/endpoint", &[][..]),
        ("https://auth.example.com/well-known/token", &[][..]),
    ];
    for field in URL_FIELDS {
        for (input, codes) in cases {
            let expected: Vec<String> = codes
                .iter()
                .map(|code| format!("warning {} {code}", field.key()))
                .collect();
            let expected: Vec<&str> = expected.iter().map(String::as_str).collect();
            check(&[(field, input)], &expected);
        }
    }
}

#[test]
fn url_trailing_slash_message() {
    let validation = check(
        &[(Field::AuthUrl, "https://auth.example.com/")],
        &["warning auth_url base_url"],
    );
    assert!(message(&validation, "base_url").contains("no path"));

    let validation = check(
        &[(Field::AuthUrl, "https://sso.example.com/realms/demo/")],
        &["warning auth_url base_url"],
    );
    let text = message(&validation, "base_url");
    assert!(!text.contains("no path"), "the URL has a path: {text}");
    assert!(text.contains("\"/\""), "message should name the trailing slash: {text}");
}

#[test]
fn url_max_length() {
    let prefix = "https://auth.example.com/";
    let longest = format!("{prefix}{}", "a".repeat(2048 - prefix.len()));
    check(&[(Field::TokenUrl, &longest)], &[]);

    let too_long = format!("{longest}a");
    check(&[(Field::TokenUrl, &too_long)], &["error token_url too_long"]);
}

#[test]
fn url_max_length_counts_encoded_form() {
    // 1,825 bytes as typed, but 5,425 once each "é" is stored as "%C3%A9". A stored URL over the
    // limit could not be read back from JSON, so it has to be rejected when typed.
    let input = format!("https://auth.example.com/{}", "é".repeat(900));
    assert!(input.len() < 2048);
    check(&[(Field::TokenUrl, &input)], &["error token_url too_long"]);
}

#[test]
fn url_path_percent_encoded_when_stored() {
    let validation = check(
        &[(Field::TokenUrl, "https://auth.example.com/tenant/é\"x\"/token")],
        &[],
    );
    assert_eq!(
        url_text(valid_config(&validation).token_url.as_ref()),
        "https://auth.example.com/tenant/%C3%A9%22x%22/token"
    );
}

#[test]
fn same_token_and_auth_url_warns() {
    check(
        &[(Field::AuthUrl, TOKEN_URL)],
        &["warning token_url same_token_and_auth_url"],
    );
    // URLs are compared after parsing, so case in the host does not hide the match.
    check(
        &[(Field::AuthUrl, "https://AUTH.example.com/oauth/token")],
        &["warning token_url same_token_and_auth_url"],
    );
    // The refresh endpoint is often the token endpoint, so that pair is not reported.
    check(&[(Field::RefreshTokenUrl, TOKEN_URL)], &[]);
}

// Rules that depend on the grant type

#[test]
fn token_url_required_except_implicit() {
    let cases = [
        ("authorization_code", AUTH_URL, &["error token_url required"][..]),
        ("client_credentials", "", &["error token_url required"][..]),
        ("refresh_token", "", &["error token_url required"][..]),
        (DEVICE_CODE, "", &["error token_url required"][..]),
        (JWT_BEARER, "", &["error token_url required"][..]),
        (TOKEN_EXCHANGE, "", &["error token_url required"][..]),
        (CUSTOM_GRANT, "", &["error token_url required"][..]),
        (
            "password",
            "",
            &["error token_url required", "warning grant_type legacy_grant"][..],
        ),
        ("implicit", AUTH_URL, &["warning grant_type legacy_grant"][..]),
    ];
    for (grant, auth_url, expected) in cases {
        for blank in ["", "   "] {
            let changes = [
                (Field::GrantType, grant),
                (Field::AuthUrl, auth_url),
                (Field::TokenUrl, blank),
            ];
            check(&changes, expected);
        }
    }

    let validation = check(&[(Field::TokenUrl, "")], &["error token_url required"]);
    assert!(message(&validation, "required").contains("authorization_code"));
}

#[test]
fn auth_url_required_for_browser_grants() {
    for blank in ["", " \t"] {
        check(&[(Field::AuthUrl, blank)], &["error auth_url required"]);
        check(
            &[(Field::GrantType, "implicit"), (Field::AuthUrl, blank)],
            &["error auth_url required", "warning grant_type legacy_grant"],
        );
    }

    // An Auth URL that was typed but is invalid gets its own error instead of `required`.
    check(
        &[(Field::AuthUrl, "http://auth.example.com/authorize")],
        &["error auth_url insecure_scheme"],
    );
}

#[test]
fn auth_url_not_used_warns() {
    let cases = [
        ("client_credentials", &[][..]),
        ("refresh_token", &[][..]),
        (DEVICE_CODE, &[][..]),
        (JWT_BEARER, &[][..]),
        (TOKEN_EXCHANGE, &[][..]),
        (CUSTOM_GRANT, &[][..]),
        ("password", &["warning grant_type legacy_grant"][..]),
    ];
    for (grant, other_warnings) in cases {
        let mut expected = vec!["warning auth_url not_used_by_grant"];
        expected.extend_from_slice(other_warnings);
        let validation = check(&[(Field::GrantType, grant)], &expected);
        assert!(message(&validation, "not_used_by_grant").contains(grant));

        // The URL is kept, so switching back to a browser grant does not lose it.
        assert_eq!(url_text(valid_config(&validation).auth_url.as_ref()), AUTH_URL);
    }
}

#[test]
fn refresh_url_blank_uses_token_url() {
    let validation = check(&[(Field::RefreshTokenUrl, "")], &[]);
    let config = valid_config(&validation);
    assert_eq!(config.refresh_token_url, None);
    assert_eq!(url_text(config.effective_refresh_url()), TOKEN_URL);

    let refresh = "https://auth.example.com/oauth/refresh";
    let validation = check(&[(Field::RefreshTokenUrl, refresh)], &[]);
    assert_eq!(url_text(valid_config(&validation).effective_refresh_url()), refresh);

    let validation = check(
        &[(Field::GrantType, "implicit"), (Field::TokenUrl, "")],
        &["warning grant_type legacy_grant"],
    );
    assert_eq!(valid_config(&validation).effective_refresh_url(), None);
}

// Scopes

#[test]
fn scopes_split_on_whitespace() {
    let cases = [
        ("", &[][..]),
        ("   ", &[][..]),
        ("openid", &["openid"][..]),
        ("read  write ", &["read", "write"][..]),
        ("read\twrite\nadmin\r\n", &["read", "write", "admin"][..]),
        // Scopes are case-sensitive (RFC 6749 section 3.3), so these are two scopes.
        ("Read read", &["Read", "read"][..]),
        (
            "https://graph.example.com/.default api://app/x",
            &["https://graph.example.com/.default", "api://app/x"][..],
        ),
        ("!#$%&'()*+-./:;<=>?@[]^_`{|}~", &["!#$%&'()*+-./:;<=>?@[]^_`{|}~"][..]),
    ];
    for (input, tokens) in cases {
        let expected: &[&str] = if input.contains('+') {
            &["warning scopes scope_separator"]
        } else {
            &[]
        };
        let validation = check(&[(Field::Scopes, input)], expected);
        assert_eq!(scope_tokens(valid_config(&validation)), tokens, "input {input:?}");
    }
}

#[test]
fn scopes_empty_omits_parameter() {
    let validation = check(&[(Field::Scopes, "")], &[]);
    let scopes = &valid_config(&validation).scopes;
    assert!(scopes.is_empty());
    assert_eq!(scopes.to_parameter(), None);

    let validation = check(&[(Field::Scopes, "read\twrite")], &[]);
    assert_eq!(
        valid_config(&validation).scopes.to_parameter().as_deref(),
        Some("read write")
    );
}

#[test]
fn scopes_duplicates_removed() {
    let cases = [
        ("read read", &["read"][..], "read"),
        ("read write read", &["read", "write"][..], "read"),
        ("a b a b a", &["a", "b"][..], "a, b"),
    ];
    for (input, tokens, named) in cases {
        let validation = check(&[(Field::Scopes, input)], &["warning scopes duplicate_scope"]);
        assert_eq!(scope_tokens(valid_config(&validation)), tokens, "input {input:?}");
        let text = message(&validation, "duplicate_scope");
        assert!(text.contains(named), "message for {input:?}: {text}");
    }
}

#[test]
fn scopes_reject_characters_outside_rfc_6749() {
    let cases = [
        ("read \"write\"", "\"write\"", "U+0022"),
        ("read\\write", "read\\write", "U+005C"),
        ("café", "café", "U+00E9"),
        // Messages write hidden characters as escapes so the quoted token stays readable.
        ("read a\u{1}b", "a\\u{0001}b", "a control character (U+0001)"),
        ("read a\u{7F}b", "a\\u{007F}b", "a control character (U+007F)"),
        ("a\u{200B}b", "a\\u{200B}b", "a zero-width space"),
    ];
    for (input, token, description) in cases {
        let validation = check(&[(Field::Scopes, input)], &["error scopes invalid_scope"]);
        let text = message(&validation, "invalid_scope");
        assert!(
            text.contains(&format!("\u{201C}{token}\u{201D}")),
            "message for {input:?} should name the token: {text}"
        );
        assert!(
            text.contains(description),
            "message for {input:?} should name the character: {text}"
        );
    }

    // Each bad token gets its own error.
    check(
        &[(Field::Scopes, "\"a\" b\\ ok")],
        &["error scopes invalid_scope", "error scopes invalid_scope"],
    );
}

#[test]
fn scopes_joined_by_separator_offer_split() {
    let cases = [
        ("openid,profile", "openid profile", "Split into 2 scopes"),
        ("openid+profile+email", "openid profile email", "Split into 3 scopes"),
        ("a+b c,d", "a b c d", "Split into 4 scopes"),
        ("a,b a", "a b", "Split into 2 scopes"),
        ("read, write", "read write", "Split into 2 scopes"),
    ];
    for (input, value, label) in cases {
        let validation = check(&[(Field::Scopes, input)], &["warning scopes scope_separator"]);
        let problem = validation
            .warnings
            .iter()
            .find(|problem| problem.field == Field::Scopes)
            .unwrap();
        let fix = problem.fix.as_ref().expect("the warning should offer a split");
        assert_eq!(fix.value, value, "input {input:?}");
        assert_eq!(fix.label, label, "input {input:?}");

        // Applying the fix gives the split scopes with no warning left.
        let validation = check(&[(Field::Scopes, &fix.value)], &[]);
        assert_eq!(valid_config(&validation).scopes.to_string(), value);
    }
}

#[test]
fn scopes_max_count() {
    let tokens: Vec<String> = (0..129).map(|index| format!("scope{index}")).collect();
    let validation = check(&[(Field::Scopes, &tokens[..128].join(" "))], &[]);
    assert_eq!(valid_config(&validation).scopes.len(), 128);

    check(&[(Field::Scopes, &tokens.join(" "))], &["error scopes too_many_scopes"]);

    // The limit counts distinct scopes, after duplicates are removed.
    let repeated = format!("{} scope0", tokens[..128].join(" "));
    check(&[(Field::Scopes, &repeated)], &["warning scopes duplicate_scope"]);
}

#[test]
fn scopes_max_token_length() {
    check(&[(Field::Scopes, &"s".repeat(256))], &[]);
    check(&[(Field::Scopes, &"s".repeat(257))], &["error scopes invalid_scope"]);
}

// Grant Type

#[test]
fn grant_type_standard_values() {
    for grant in GrantType::STANDARD {
        // The valid draft has a secret and both URLs, so every standard grant is valid with it.
        let validation = validate(&draft_with(&[(Field::GrantType, grant.as_str())]), &Context::default());
        assert!(validation.is_valid(), "grant {grant}: {:?}", validation.errors);
        let grant_codes: Vec<&str> = validation
            .for_field(Field::GrantType)
            .map(|problem| problem.code.as_str())
            .collect();
        let expected: &[&str] = if grant.is_legacy() { &["legacy_grant"] } else { &[] };
        assert_eq!(grant_codes, expected, "grant {grant}");
        assert_eq!(valid_config(&validation).grant_type, grant);
    }
}

#[test]
fn grant_type_legacy_warns() {
    for grant in ["implicit", "password"] {
        let changes = [(Field::GrantType, grant), (Field::TokenUrl, ""), (Field::AuthUrl, "")];
        let validation = validate(&draft_with(&changes), &Context::default());
        let text = message(&validation, "legacy_grant");
        assert!(text.contains("OAuth 2.1"), "message for {grant}: {text}");
        assert!(text.contains(grant), "message for {grant}: {text}");
    }
}

#[test]
fn grant_type_trimmed() {
    let validation = check(&[(Field::GrantType, " authorization_code\t")], &[]);
    assert_eq!(valid_config(&validation).grant_type, GrantType::AuthorizationCode);
}

#[test]
fn grant_type_required() {
    for input in ["", "  "] {
        check(&[(Field::GrantType, input)], &["error grant_type required"]);
    }
}

#[test]
fn grant_type_custom_absolute_uri() {
    let accepted = [
        CUSTOM_GRANT,
        "https://grants.example.com/saml2-bearer",
        "urn:ietf:params:oauth:grant-type:saml2-bearer",
    ];
    for input in accepted {
        let changes = [(Field::GrantType, input), (Field::AuthUrl, "")];
        let validation = check(&changes, &[]);
        assert_eq!(
            valid_config(&validation).grant_type,
            GrantType::Custom(input.to_owned())
        );
        assert_eq!(valid_config(&validation).grant_type.as_str(), input);
    }

    let rejected = [
        "my_grant",
        "Authorization_Code",
        "client credentials",
        "urn:example: bad",
        "urn:x\u{1}y",
        "/grants/x",
    ];
    for input in rejected {
        let validation = check(&[(Field::GrantType, input)], &["error grant_type invalid_grant_type"]);
        let text = message(&validation, "invalid_grant_type");
        assert!(text.contains("absolute URI"), "message for {input:?}: {text}");
    }
}

#[test]
fn name_rejects_blank_fillers_but_allows_emoji() {
    for filler in ["\u{3164}", "ab\u{2800}", "\u{115F}x", "x\u{E0001}"] {
        check(&[(Field::Name, filler)], &["error name invalid_character"]);
    }
    check(
        &[(Field::Name, "Team \u{1F468}\u{200D}\u{1F469}\u{200D}\u{1F467}")],
        &[],
    );
}

#[test]
fn many_invalid_scopes_are_summarised() {
    let scopes: Vec<String> = (0..50).map(|index| format!("bad\"{index}")).collect();
    let validation = check(
        &[(Field::Scopes, scopes.join(" ").as_str())],
        &["error scopes invalid_scope"; 6],
    );
    assert!(
        validation.errors.last().unwrap().message.contains("45 more scopes"),
        "{}",
        validation.errors.last().unwrap().message
    );
}

#[test]
fn url_rejects_token_params_and_port_zero() {
    check(
        &[(Field::TokenUrl, "https://auth.example.com/token?access_token=abc")],
        &["error token_url credential_in_query"],
    );
    check(
        &[(Field::TokenUrl, "https://auth.example.com:0/token")],
        &["error token_url invalid_url"],
    );
}

#[test]
fn url_rewrite_is_announced() {
    check(
        &[(Field::TokenUrl, "https://ex\u{0430}mple.com/token")],
        &["warning token_url rewritten"],
    );
    check(
        &[(Field::TokenUrl, "https://auth.example.com\\token")],
        &["warning token_url rewritten"],
    );
    check(
        &[(Field::TokenUrl, "https:auth.example.com/token")],
        &["warning token_url rewritten"],
    );
}

#[test]
fn custom_grant_rejects_executable_schemes() {
    for grant in ["javascript:alert(1)", "data:,x", "file:///etc/passwd"] {
        check(&[(Field::GrantType, grant)], &["error grant_type invalid_grant_type"]);
    }
}
