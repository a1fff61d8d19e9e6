//! Endpoint URLs: the Token, Refresh Token and Auth URLs.

use std::fmt;

use serde::{Deserialize, Serialize};
use url::{Host, Url};

use crate::problem::Problems;
use crate::text::{describe_char, find_char, trim_ascii};
use crate::{Code, Field};

/// Maximum length of a URL, in bytes.
pub const MAX_URL_LEN: usize = 2048;

/// Query parameters that carry credentials and so must never sit in a stored URL.
const CREDENTIAL_PARAMS: [&str; 8] = [
    "client_secret",
    "client_assertion",
    "password",
    "code",
    "refresh_token",
    "access_token",
    "id_token",
    "code_verifier",
];

/// An absolute `https` URL, or `http` on a loopback host, with a host, no user info, no
/// fragment and no credential in its query (RFC 6749 sections 3.1 and 3.2).
///
/// The query is kept exactly as typed: percent-encoding is neither added nor removed.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct EndpointUrl(Url);

impl EndpointUrl {
    pub fn as_str(&self) -> &str {
        self.0.as_str()
    }

    pub fn url(&self) -> &Url {
        &self.0
    }

    /// Parses one endpoint URL typed into `field`. An empty input returns `None` with no problem:
    /// whether the field is required depends on the grant type.
    pub(crate) fn parse(field: Field, input: &str, problems: &mut Problems) -> Option<EndpointUrl> {
        let label = field.label();
        let text = trim_ascii(input);
        if text.is_empty() {
            return None;
        }
        if text.len() > MAX_URL_LEN {
            problems.error(
                field,
                Code::TooLong,
                format!("{label} is longer than {MAX_URL_LEN} characters; check that only one URL was pasted."),
            );
            return None;
        }
        // The URL parser silently drops tabs and line breaks and encodes spaces, so the admin
        // would save a URL other than the one on screen.
        if let Some((position, c)) = find_char(text, |c| {
            c.is_whitespace() || c.is_control() || crate::text::is_invisible(c)
        }) {
            problems.error(
                field,
                Code::InvalidCharacter,
                format!(
                    "{label} contains {} at position {position}; remove it, or write a space as %20.",
                    describe_char(c)
                ),
            );
            return None;
        }

        let url = match Url::parse(text) {
            Ok(url) => url,
            Err(url::ParseError::RelativeUrlWithoutBase) => {
                problems.error(field, Code::InvalidUrl, format!("{label} must be an absolute URL that starts with https://, for example https://auth.example.com/oauth/token."));
                return None;
            }
            Err(error) => {
                problems.error(
                    field,
                    Code::InvalidUrl,
                    format!("{label} is not a valid URL ({error}); check it against the provider's documentation."),
                );
                return None;
            }
        };

        // Percent-encoding can make the stored URL longer than the typed one, and a stored URL
        // over the limit could not be read back.
        if url.as_str().len() > MAX_URL_LEN {
            problems.error(
                field,
                Code::TooLong,
                format!("{label} is longer than {MAX_URL_LEN} characters in its encoded form, where each non-ASCII character takes several; shorten it."),
            );
            return None;
        }

        let loopback = is_loopback(&url);
        match url.scheme() {
            "https" => {}
            "http" if loopback => problems.warn(
                field,
                Code::LoopbackHttp,
                format!("{label} uses plain http, which is accepted only because the host is this machine; use https anywhere else."),
            ),
            "http" => {
                problems.error(
                    field,
                    Code::InsecureScheme,
                    format!("{label} must use https: plain http is allowed only for localhost, 127.0.0.0/8 and [::1]. Change http:// to https://."),
                );
                return None;
            }
            scheme => {
                problems.error(
                    field,
                    Code::InsecureScheme,
                    format!("{label} must be an https URL, but it starts with \"{scheme}:\"; enter the provider's https endpoint."),
                );
                return None;
            }
        }
        if url.host().is_none() {
            problems.error(
                field,
                Code::InvalidUrl,
                format!("{label} has no host; write it as https://host/path."),
            );
            return None;
        }
        if !url.username().is_empty() || url.password().is_some() {
            problems.error(
                field,
                Code::UserInfo,
                format!("{label} must not contain a user name or password before the host; remove the part up to \"@\" and put the secret in Client Secret."),
            );
            return None;
        }
        if url.port() == Some(0) {
            problems.error(
                field,
                Code::InvalidUrl,
                format!("{label} uses port 0, which no server listens on; remove the port or use the provider's."),
            );
            return None;
        }
        if url.fragment().is_some() {
            problems.error(
                field,
                Code::Fragment,
                format!("{label} must not have a fragment (the part from \"#\"); remove it."),
            );
            return None;
        }

        let typed_query = text.split_once('?').map(|(_, query)| query);
        if typed_query != url.query() {
            problems.error(
                field,
                Code::InvalidCharacter,
                format!("{label} has characters in its query that must be percent-encoded (such as \" < > or non-ASCII letters); encode them, for example a quote as %22."),
            );
            return None;
        }
        if let Some(param) = url
            .query_pairs()
            .map(|(key, _)| key.to_ascii_lowercase())
            .find(|key| CREDENTIAL_PARAMS.contains(&key.as_str()))
        {
            let hint = if param == "client_secret" {
                "put the secret in the Client Secret field"
            } else {
                "the client sends it in the request body"
            };
            problems.error(
                field,
                Code::CredentialInQuery,
                format!("{label} must not carry credentials: remove \"{param}\" from the query; {hint}."),
            );
            return None;
        }

        // The parser turns international host names into punycode, "\\" into "/" and
        // "https:host" into "https://host". The admin should see such a rewrite, because a
        // look-alike host shows up in its punycode form.
        let stored = url.as_str();
        let punycode = stored.contains("xn--") && !text.to_ascii_lowercase().contains("xn--");
        let reshaped = text.contains('\\') || !text[url.scheme().len()..].starts_with("://");
        if punycode || reshaped {
            problems.warn(
                field,
                Code::Rewritten,
                format!("{label} will be stored as {stored}; check that this is the address you meant."),
            );
        }

        let path = url.path();
        if path.is_empty() || path == "/" {
            problems.warn(field, Code::BaseUrl, format!("{label} has no path, so it looks like a base URL; use the full endpoint, for example https://host/oauth/token."));
        } else if path.ends_with('/') {
            // An issuer such as https://sso.example.com/realms/demo/ is often pasted in place of
            // its endpoint. Some servers do end endpoints with "/" (Django OAuth Toolkit serves
            // /o/token/), so this only warns.
            problems.warn(
                field,
                Code::BaseUrl,
                format!("{label} ends with \"/\", so it looks like a base URL; use the full endpoint unless the provider documents it with the trailing \"/\"."),
            );
        }
        if path.contains("//") {
            problems.warn(
                field,
                Code::DoubleSlash,
                format!(
                    "{label} has \"//\" in its path, which usually comes from joining a base URL and a path; check it."
                ),
            );
        }
        if path.contains("/.well-known/") {
            problems.warn(
                field,
                Code::DiscoveryDocument,
                format!("{label} points at a /.well-known/ discovery document, not an endpoint; open that document and copy the endpoint URL from it."),
            );
        }
        Some(EndpointUrl(url))
    }
}

/// Returns whether the URL's host is localhost, in 127.0.0.0/8, or `[::1]`.
fn is_loopback(url: &Url) -> bool {
    match url.host() {
        Some(Host::Domain(domain)) => domain.eq_ignore_ascii_case("localhost"),
        Some(Host::Ipv4(address)) => address.is_loopback(),
        Some(Host::Ipv6(address)) => address.is_loopback(),
        None => false,
    }
}

impl fmt::Display for EndpointUrl {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str(self.as_str())
    }
}

impl TryFrom<String> for EndpointUrl {
    type Error = String;

    fn try_from(value: String) -> Result<EndpointUrl, String> {
        let mut problems = Problems::default();
        match EndpointUrl::parse(Field::TokenUrl, &value, &mut problems) {
            Some(url) => Ok(url),
            None if problems.errors.is_empty() => Err("URL is empty".to_owned()),
            None => Err(problems.into_first_error()),
        }
    }
}

impl From<EndpointUrl> for String {
    fn from(url: EndpointUrl) -> String {
        url.0.into()
    }
}
