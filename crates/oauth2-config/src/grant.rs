//! Grant types: those of RFC 6749 and its extensions, plus custom absolute URIs (section 4.5).

use std::fmt;

use serde::{Deserialize, Serialize};
use url::Url;

use crate::problem::Problems;
use crate::text::{describe_char, find_char, is_vschar, trim_ascii};
use crate::{Code, Field};

/// Maximum length of a custom grant type URI, in characters.
pub const MAX_GRANT_CHARS: usize = 512;

/// The grant a client uses to obtain tokens.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub enum GrantType {
    /// RFC 6749 section 4.1.
    AuthorizationCode,
    /// RFC 6749 section 4.4.
    ClientCredentials,
    /// RFC 6749 section 6.
    RefreshToken,
    /// RFC 8628, `urn:ietf:params:oauth:grant-type:device_code`.
    DeviceCode,
    /// RFC 7523, `urn:ietf:params:oauth:grant-type:jwt-bearer`.
    JwtBearer,
    /// RFC 8693, `urn:ietf:params:oauth:grant-type:token-exchange`.
    TokenExchange,
    /// RFC 6749 section 4.2; removed in OAuth 2.1.
    Implicit,
    /// RFC 6749 section 4.3; removed in OAuth 2.1.
    Password,
    /// An extension grant named by an absolute URI (RFC 6749 section 4.5).
    Custom(String),
}

impl GrantType {
    /// The grants the form offers in its list, in order. A custom URI is typed separately.
    pub const STANDARD: [GrantType; 8] = [
        GrantType::AuthorizationCode,
        GrantType::ClientCredentials,
        GrantType::RefreshToken,
        GrantType::DeviceCode,
        GrantType::JwtBearer,
        GrantType::TokenExchange,
        GrantType::Implicit,
        GrantType::Password,
    ];

    /// Returns the `grant_type` value sent to the token endpoint (for implicit, the flow name).
    pub fn as_str(&self) -> &str {
        match self {
            GrantType::AuthorizationCode => "authorization_code",
            GrantType::ClientCredentials => "client_credentials",
            GrantType::RefreshToken => "refresh_token",
            GrantType::DeviceCode => "urn:ietf:params:oauth:grant-type:device_code",
            GrantType::JwtBearer => "urn:ietf:params:oauth:grant-type:jwt-bearer",
            GrantType::TokenExchange => "urn:ietf:params:oauth:grant-type:token-exchange",
            GrantType::Implicit => "implicit",
            GrantType::Password => "password",
            GrantType::Custom(uri) => uri,
        }
    }

    /// Returns a short name for lists, for example "Device code (RFC 8628)".
    pub fn title(&self) -> &str {
        match self {
            GrantType::AuthorizationCode => "Authorization code",
            GrantType::ClientCredentials => "Client credentials",
            GrantType::RefreshToken => "Refresh token",
            GrantType::DeviceCode => "Device code (RFC 8628)",
            GrantType::JwtBearer => "JWT bearer (RFC 7523)",
            GrantType::TokenExchange => "Token exchange (RFC 8693)",
            GrantType::Implicit => "Implicit (legacy, removed in OAuth 2.1)",
            GrantType::Password => "Password (legacy, removed in OAuth 2.1)",
            GrantType::Custom(_) => "Custom (absolute URI)",
        }
    }

    /// Returns whether OAuth 2.1 removes this grant.
    pub fn is_legacy(&self) -> bool {
        matches!(self, GrantType::Implicit | GrantType::Password)
    }

    /// Returns whether the grant sends the user to the Auth URL.
    pub fn uses_auth_url(&self) -> bool {
        matches!(self, GrantType::AuthorizationCode | GrantType::Implicit)
    }

    /// Returns whether the grant calls the Token URL. Only implicit gets its token from the Auth
    /// URL.
    pub fn uses_token_url(&self) -> bool {
        !matches!(self, GrantType::Implicit)
    }

    /// Returns whether the client must authenticate with a secret for this grant.
    pub fn requires_secret(&self) -> bool {
        matches!(
            self,
            GrantType::ClientCredentials | GrantType::Password | GrantType::JwtBearer
        )
    }

    pub(crate) fn parse(input: &str, problems: &mut Problems) -> Option<GrantType> {
        let field = Field::GrantType;
        let text = trim_ascii(input);
        if text.is_empty() {
            problems.error(
                field,
                Code::Required,
                "Grant Type is required: choose the grant the provider issued this client for.",
            );
            return None;
        }
        if let Some(standard) = GrantType::STANDARD.into_iter().find(|grant| grant.as_str() == text) {
            if standard.is_legacy() {
                problems.warn(
                    field,
                    Code::LegacyGrant,
                    format!("Grant Type \"{text}\" is removed in OAuth 2.1; switch to authorization_code with PKCE if the provider supports it."),
                );
            }
            return Some(standard);
        }
        if text.chars().count() > MAX_GRANT_CHARS {
            problems.error(
                field,
                Code::TooLong,
                format!("Grant Type is longer than {MAX_GRANT_CHARS} characters; enter the grant's URI only."),
            );
            return None;
        }
        if let Some((position, c)) = find_char(text, |c| !is_vschar(c) || c == ' ') {
            problems.error(
                field,
                Code::InvalidGrantType,
                format!("Grant Type contains {} at position {position}; a custom grant type must be an absolute URI made of printable ASCII without spaces.", describe_char(c)),
            );
            return None;
        }
        // An absolute URI needs a scheme and something after it, as in urn:example:grant.
        let is_absolute_uri = Url::parse(text).is_ok_and(|uri| {
            let executable = matches!(uri.scheme(), "javascript" | "data" | "vbscript" | "file" | "blob");
            !executable && !uri.as_str()[uri.scheme().len() + 1..].is_empty()
        });
        if !is_absolute_uri {
            problems.error(
                field,
                Code::InvalidGrantType,
                format!("Grant Type \"{text}\" is not a standard grant, and a custom grant must be an absolute URI such as urn:example:grant-type:custom (RFC 6749 section 4.5)."),
            );
            return None;
        }
        Some(GrantType::Custom(text.to_owned()))
    }
}

impl fmt::Display for GrantType {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str(self.as_str())
    }
}

impl TryFrom<String> for GrantType {
    type Error = String;

    fn try_from(value: String) -> Result<GrantType, String> {
        let mut problems = Problems::default();
        GrantType::parse(&value, &mut problems).ok_or_else(|| problems.into_first_error())
    }
}

impl From<GrantType> for String {
    fn from(grant: GrantType) -> String {
        grant.as_str().to_owned()
    }
}
