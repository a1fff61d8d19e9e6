//! Problems found in a draft: errors block saving, warnings do not.

use serde::{Deserialize, Serialize};

use crate::Field;

/// Whether a problem blocks saving.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    /// The draft cannot be saved until this is fixed.
    Error,
    /// The draft can be saved, but the admin should look at this.
    Warning,
}

/// A stable, machine-readable name for one rule. Clients match on these, so a code is never
/// renamed or reused for another rule.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Code {
    /// A field that the grant type needs is empty.
    Required,
    /// A value is longer than its limit.
    TooLong,
    /// Another configuration already has this name, ignoring case.
    DuplicateName,
    /// Leading or trailing whitespace was removed.
    Trimmed,
    /// A character outside the field's allowed set.
    InvalidCharacter,
    /// A zero-width or no-break space, which looks like nothing or like a plain space.
    InvisibleCharacter,
    /// The client secret contains characters outside printable ASCII.
    NonPrintableSecret,
    /// The client secret starts or ends with whitespace.
    SecretWhitespace,
    /// The client secret equals the masked placeholder the page shows for a stored secret.
    MaskedSecret,
    /// The grant type needs a client secret and none is set.
    SecretRequired,
    /// No client secret, so the client is public and must use PKCE.
    PublicClient,
    /// A URL that is not absolute or does not parse.
    InvalidUrl,
    /// A URL whose scheme is not https (or http for a loopback host).
    InsecureScheme,
    /// A plain-http URL on a loopback host, accepted for local development.
    LoopbackHttp,
    /// A URL with `user:password@` before the host.
    UserInfo,
    /// A URL with a `#fragment`.
    Fragment,
    /// A URL whose query carries a credential such as `client_secret`.
    CredentialInQuery,
    /// A URL the parser stores in another form than typed, such as a punycode host.
    Rewritten,
    /// A URL whose path is empty or ends with `/`, so it is probably a base URL.
    BaseUrl,
    /// A URL whose path contains `//`.
    DoubleSlash,
    /// A URL that points at a `/.well-known/` discovery document instead of an endpoint.
    DiscoveryDocument,
    /// The Token URL and the Auth URL are the same.
    SameTokenAndAuthUrl,
    /// A value that the chosen grant type does not use.
    NotUsedByGrant,
    /// A scope token with a character outside RFC 6749 section 3.3.
    InvalidScope,
    /// A scope token that contains `,` or `+`, which usually means the scopes were joined wrongly.
    ScopeSeparator,
    /// A scope listed twice; the copy was removed.
    DuplicateScope,
    /// More scope tokens than the limit.
    TooManyScopes,
    /// A grant type that OAuth 2.1 removes.
    LegacyGrant,
    /// A custom grant type that is not an absolute URI.
    InvalidGrantType,
}

impl Code {
    /// Returns the code as it appears in JSON, for example `duplicate_name`.
    pub fn as_str(self) -> &'static str {
        match self {
            Code::Required => "required",
            Code::TooLong => "too_long",
            Code::DuplicateName => "duplicate_name",
            Code::Trimmed => "trimmed",
            Code::InvalidCharacter => "invalid_character",
            Code::InvisibleCharacter => "invisible_character",
            Code::NonPrintableSecret => "non_printable_secret",
            Code::SecretWhitespace => "secret_whitespace",
            Code::MaskedSecret => "masked_secret",
            Code::SecretRequired => "secret_required",
            Code::PublicClient => "public_client",
            Code::InvalidUrl => "invalid_url",
            Code::InsecureScheme => "insecure_scheme",
            Code::LoopbackHttp => "loopback_http",
            Code::UserInfo => "user_info",
            Code::Fragment => "fragment",
            Code::CredentialInQuery => "credential_in_query",
            Code::Rewritten => "rewritten",
            Code::BaseUrl => "base_url",
            Code::DoubleSlash => "double_slash",
            Code::DiscoveryDocument => "discovery_document",
            Code::SameTokenAndAuthUrl => "same_token_and_auth_url",
            Code::NotUsedByGrant => "not_used_by_grant",
            Code::InvalidScope => "invalid_scope",
            Code::ScopeSeparator => "scope_separator",
            Code::DuplicateScope => "duplicate_scope",
            Code::TooManyScopes => "too_many_scopes",
            Code::LegacyGrant => "legacy_grant",
            Code::InvalidGrantType => "invalid_grant_type",
        }
    }
}

/// A one-click repair: the value that replaces the field's text.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Fix {
    /// Button text, for example `Split into 4 scopes`.
    pub label: String,
    /// The whole new text of the field.
    pub value: String,
}

/// One problem with one field.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Problem {
    pub field: Field,
    pub code: Code,
    /// A sentence that names the field, the rule and the fix. It never contains a secret.
    pub message: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fix: Option<Fix>,
}

impl Problem {
    pub(crate) fn new(field: Field, code: Code, message: impl Into<String>) -> Problem {
        Problem {
            field,
            code,
            message: message.into(),
            fix: None,
        }
    }

    pub(crate) fn with_fix(mut self, label: impl Into<String>, value: impl Into<String>) -> Problem {
        self.fix = Some(Fix {
            label: label.into(),
            value: value.into(),
        });
        self
    }
}

/// Errors and warnings collected while one draft is parsed.
#[derive(Debug, Default)]
pub(crate) struct Problems {
    pub errors: Vec<Problem>,
    pub warnings: Vec<Problem>,
}

impl Problems {
    pub fn error(&mut self, field: Field, code: Code, message: impl Into<String>) {
        self.errors.push(Problem::new(field, code, message));
    }

    pub fn warn(&mut self, field: Field, code: Code, message: impl Into<String>) {
        self.warnings.push(Problem::new(field, code, message));
    }

    /// Returns the first error's message, for parsers used through serde.
    pub fn into_first_error(self) -> String {
        self.errors
            .into_iter()
            .next()
            .map(|problem| problem.message)
            .unwrap_or_default()
    }
}
