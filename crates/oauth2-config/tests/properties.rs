//! Properties that hold for every draft: validation never panics, saving and reopening a valid
//! configuration changes nothing, and no message repeats the client secret.

use oauth2_config::{validate, Config, Context, Draft, Field, GrantType, Validation};
use proptest::prelude::*;
use proptest::sample::select;

/// Generates text made of the characters that URL parsing treats specially, plus hidden ones.
fn url_like_text() -> impl Strategy<Value = String> {
    let prefix = select(vec![
        "",
        "https://",
        "http://",
        "HTTPS://",
        "http://localhost",
        "http://127.0.0.1:8080",
        "https://[::1]",
        "https://auth.example.com",
        "https://user:pw@",
        "javascript:",
        "data:",
        "//",
    ]);
    let rest = "[a-zA-Z0-9:/?#@%.=&_~+,;'\"<>\\[\\]\\\\ \t\\x{200B}\\x{A0}é-]{0,40}";
    (prefix, rest).prop_map(|(prefix, rest)| format!("{prefix}{rest}"))
}

/// Generates text made of scope tokens, separators and characters that RFC 6749 forbids in a
/// scope.
fn scope_like_text() -> impl Strategy<Value = String> {
    "[a-zA-Z:.,+\"\\\\ \t\n\\x{1}\\x{7F}\\x{A0}\\x{200B}é-]{0,40}"
}

/// Generates any text for any field.
fn field_text() -> impl Strategy<Value = String> {
    prop_oneof![any::<String>(), url_like_text(), scope_like_text()]
}

fn grant_text() -> impl Strategy<Value = String> {
    let standard: Vec<String> = GrantType::STANDARD
        .iter()
        .map(|grant| grant.as_str().to_owned())
        .collect();
    prop_oneof![select(standard), any::<String>(), "[a-zA-Z:_ -]{0,30}",]
}

fn any_draft() -> impl Strategy<Value = Draft> {
    (
        field_text(),
        field_text(),
        field_text(),
        field_text(),
        field_text(),
        field_text(),
        field_text(),
        grant_text(),
    )
        .prop_map(
            |(name, client_id, client_secret, token_url, refresh_token_url, auth_url, scopes, grant_type)| Draft {
                name,
                client_id,
                client_secret,
                token_url,
                refresh_token_url,
                auth_url,
                scopes,
                grant_type,
            },
        )
}

fn any_context() -> impl Strategy<Value = Context> {
    (prop::collection::vec(any::<String>(), 0..3), any::<bool>()).prop_map(|(other_names, secret_on_file)| Context {
        other_names,
        secret_on_file,
    })
}

/// Generates an endpoint URL that is usually valid, with the parts that the URL parser
/// normalises: host case, default ports, IDN hosts, dot segments, and characters it
/// percent-encodes in the path.
fn endpoint_url() -> impl Strategy<Value = String> {
    let origin = select(vec![
        "https://auth.example.com",
        "https://AUTH.Example.com:443",
        "https://auth.example.com:8443",
        "https://bücher.example",
        "https://192.0.2.10",
        "https://[::1]",
        "http://localhost:8080",
        "http://127.0.0.1",
    ]);
    let segment = "[A-Za-z0-9._~%!$&'()*+,;=:@\"é-]{0,10}";
    let path = prop::collection::vec(segment, 0..4);
    let query = prop::option::of("[A-Za-z0-9._~%!$&()*+,;=:@/?-]{0,20}");
    (origin, path, query).prop_map(|(origin, path, query)| {
        let mut url = origin.to_owned();
        for segment in path {
            url.push('/');
            url.push_str(&segment);
        }
        if let Some(query) = query {
            url.push('?');
            url.push_str(&query);
        }
        url
    })
}

fn optional_endpoint_url() -> impl Strategy<Value = String> {
    prop_oneof![9 => endpoint_url(), 1 => Just(String::new())]
}

/// Generates scopes as an admin types them: legal tokens joined by runs of whitespace.
fn scope_list() -> impl Strategy<Value = String> {
    let token = "[!#-\\[\\]-~]{1,12}";
    let separator = select(vec![" ", "  ", "\t", " \n"]);
    prop::collection::vec((token, separator), 0..6).prop_map(|tokens| {
        tokens
            .into_iter()
            .map(|(token, separator)| format!("{token}{separator}"))
            .collect()
    })
}

/// Generates a draft that is valid more often than not, so that properties about valid drafts
/// get enough cases. Proptest fails the run if too many drafts are rejected.
fn mostly_valid_draft() -> impl Strategy<Value = Draft> {
    let mut grants: Vec<String> = GrantType::STANDARD
        .iter()
        .map(|grant| grant.as_str().to_owned())
        .collect();
    grants.push("urn:example:grant-type:custom".to_owned());
    (
        "[ \t]{0,2}[A-Za-z0-9éÜ<>&.()# -]{1,30}[ \t]{0,2}",
        "[ \t]{0,1}[!-~]{1,40}[ \t]{0,1}",
        prop_oneof![9 => "[!-~]{1,60}", 1 => Just(String::new())],
        optional_endpoint_url(),
        prop_oneof![1 => endpoint_url(), 2 => Just(String::new())],
        optional_endpoint_url(),
        scope_list(),
        select(grants),
    )
        .prop_map(
            |(name, client_id, client_secret, token_url, refresh_token_url, auth_url, scopes, grant_type)| Draft {
                name,
                client_id,
                client_secret,
                token_url,
                refresh_token_url,
                auth_url,
                scopes,
                grant_type,
            },
        )
}

/// Generates a secret of at least 8 characters: printable ASCII as most providers issue, or any characters.
fn long_secret() -> impl Strategy<Value = String> {
    prop_oneof![
        "[!-~]{8,64}",
        prop::collection::vec(any::<char>(), 8..40).prop_map(|chars| chars.into_iter().collect()),
    ]
}

fn all_problems(validation: &Validation) -> impl Iterator<Item = &oauth2_config::Problem> {
    validation.errors.iter().chain(&validation.warnings)
}

fn other_fields_contain(draft: &Draft, text: &str) -> bool {
    Field::ALL
        .into_iter()
        .filter(|field| *field != Field::ClientSecret)
        .any(|field| draft.get(field).contains(text))
}

/// Asserts what holds for every validation result.
fn assert_consistent(validation: &Validation) -> Result<(), TestCaseError> {
    prop_assert_eq!(validation.config.is_some(), validation.is_valid());
    for problem in all_problems(validation) {
        let label = problem.field.label();
        prop_assert!(
            problem.message.contains(label),
            "message for {} does not name {:?}: {:?}",
            problem.field.key(),
            label,
            problem.message
        );
    }
    let error_fields: Vec<Field> = validation.errors.iter().map(|problem| problem.field).collect();
    prop_assert!(
        error_fields.is_sorted(),
        "errors are not in form order: {:?}",
        error_fields
    );
    let warning_fields: Vec<Field> = validation.warnings.iter().map(|problem| problem.field).collect();
    prop_assert!(
        warning_fields.is_sorted(),
        "warnings are not in form order: {:?}",
        warning_fields
    );
    Ok(())
}

proptest! {
    #[test]
    fn validate_never_panics(draft in any_draft(), context in any_context()) {
        let validation = validate(&draft, &context);
        assert_consistent(&validation)?;
    }

    #[test]
    fn validate_never_panics_on_mostly_valid(draft in mostly_valid_draft(), context in any_context()) {
        let validation = validate(&draft, &context);
        assert_consistent(&validation)?;
    }

    #[test]
    fn url_fields_never_panic(
        token_url in url_like_text(),
        refresh_token_url in url_like_text(),
        auth_url in url_like_text(),
    ) {
        let draft = Draft {
            name: "Example".to_owned(),
            client_id: "client-123".to_owned(),
            client_secret: "secret-value-1".to_owned(),
            token_url,
            refresh_token_url,
            auth_url,
            scopes: String::new(),
            grant_type: "authorization_code".to_owned(),
        };
        let validation = validate(&draft, &Context::default());
        assert_consistent(&validation)?;
    }

    #[test]
    fn reopening_valid_config_is_identity(draft in mostly_valid_draft()) {
        let context = Context::default();
        let validation = validate(&draft, &context);
        prop_assume!(validation.is_valid());
        let config = validation.config.unwrap();

        let reopened = Draft { client_secret: draft.client_secret.clone(), ..config.to_draft() };
        let again = validate(&reopened, &context);
        prop_assert!(again.errors.is_empty(), "reopened draft has errors: {:?}", again.errors);
        prop_assert_eq!(again.config.as_ref(), Some(&config));
        prop_assert!(again.secret == validation.secret, "secret changed on reopening");
        prop_assert!(
            again.for_field(Field::ClientId).all(|problem| problem.code.as_str() != "trimmed"),
            "a stored client ID is already trimmed"
        );
    }

    #[test]
    fn config_json_round_trip(draft in mostly_valid_draft()) {
        let validation = validate(&draft, &Context::default());
        prop_assume!(validation.is_valid());
        let config = validation.config.unwrap();

        let json = serde_json::to_string(&config).unwrap();
        let read_back: Config = serde_json::from_str(&json)
            .map_err(|error| TestCaseError::fail(format!("stored JSON {json} is rejected: {error}")))?;
        prop_assert_eq!(read_back, config);
    }

    #[test]
    fn messages_never_contain_secret(draft in any_draft(), secret in long_secret(), context in any_context()) {
        prop_assume!(!other_fields_contain(&draft, &secret));
        let draft = Draft { client_secret: secret.clone(), ..draft };

        let validation = validate(&draft, &context);
        for problem in all_problems(&validation) {
            prop_assert!(!problem.message.contains(&secret), "message repeats the secret: {:?}", problem.message);
            if let Some(fix) = &problem.fix {
                prop_assert!(!fix.value.contains(&secret) && !fix.label.contains(&secret));
            }
        }
    }

    #[test]
    fn messages_never_contain_secret_pasted_in_urls(draft in mostly_valid_draft(), secret in long_secret()) {
        prop_assume!(!other_fields_contain(&draft, &secret));
        // The secret is also pasted where admins put it by mistake: the Token URL's query and the
        // user info of the Auth URL.
        let draft = Draft {
            client_secret: secret.clone(),
            token_url: format!("https://auth.example.com/oauth/token?client_secret={secret}"),
            auth_url: format!("https://client:{secret}@auth.example.com/oauth/authorize"),
            ..draft
        };

        let validation = validate(&draft, &Context::default());
        prop_assert!(
            validation.errors.iter().any(|problem| problem.field == Field::TokenUrl),
            "a Token URL with client_secret in its query must be rejected"
        );
        for problem in all_problems(&validation) {
            prop_assert!(!problem.message.contains(&secret), "message repeats the secret: {:?}", problem.message);
        }
    }

    #[test]
    fn scope_split_fix_leaves_no_warning(scopes in "[a-z:.,+ \t-]{0,30}") {
        let draft = Draft {
            name: "Example".to_owned(),
            client_id: "client-123".to_owned(),
            client_secret: "secret-value-1".to_owned(),
            token_url: "https://auth.example.com/oauth/token".to_owned(),
            refresh_token_url: String::new(),
            auth_url: "https://auth.example.com/oauth/authorize".to_owned(),
            scopes,
            grant_type: "authorization_code".to_owned(),
        };
        let validation = validate(&draft, &Context::default());
        let fix = validation.warnings.iter().find_map(|problem| problem.fix.clone());
        prop_assume!(fix.is_some());
        let fix = fix.unwrap();

        let fixed = validate(&Draft { scopes: fix.value.clone(), ..draft }, &Context::default());
        prop_assert!(fixed.errors.is_empty(), "split scopes have errors: {:?}", fixed.errors);
        prop_assert!(fixed.warnings.is_empty(), "split scopes have warnings: {:?}", fixed.warnings);
        let count = fixed.config.unwrap().scopes.len();
        prop_assert_eq!(fix.label, format!("Split into {count} scopes"));
    }
}
