//! The client identifier issued by the authorization server.

use serde::{Deserialize, Serialize};

use crate::problem::Problems;
use crate::text::{describe_char, find_char, is_invisible, is_vschar, trim_ascii};
use crate::{Code, Field};

/// Maximum length of a client ID, in characters. RFC 6749 sets no limit, so this one only bounds
/// hostile input.
pub const MAX_CLIENT_ID_CHARS: usize = 512;

/// A trimmed, non-empty client identifier made of printable ASCII (`VSCHAR`, RFC 6749
/// Appendix A). `:` and `/` are allowed because some servers use URLs as client IDs.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct ClientId(String);

impl ClientId {
    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub(crate) fn parse(input: &str, problems: &mut Problems) -> Option<ClientId> {
        let field = Field::ClientId;
        let id = trim_ascii(input);
        if id.is_empty() {
            problems.error(
                field,
                Code::Required,
                "Client ID is required: copy it from the provider's application settings.",
            );
            return None;
        }
        if id.len() != input.len() {
            problems.warn(
                field,
                Code::Trimmed,
                "Client ID had spaces at the start or end; they were removed.",
            );
        }
        if id.chars().count() > MAX_CLIENT_ID_CHARS {
            problems.error(
                field,
                Code::TooLong,
                format!(
                    "Client ID is longer than {MAX_CLIENT_ID_CHARS} characters; check that only the ID was pasted."
                ),
            );
            return None;
        }
        if let Some((position, c)) = find_char(id, is_invisible) {
            problems.error(
                field,
                Code::InvisibleCharacter,
                format!(
                    "Client ID contains {} at position {position}; delete it, or type the ID instead of pasting it.",
                    describe_char(c)
                ),
            );
            return None;
        }
        if let Some((position, c)) = find_char(id, |c| !is_vschar(c)) {
            problems.error(
                field,
                Code::InvalidCharacter,
                format!("Client ID contains {} at position {position}; a client ID may only contain printable ASCII characters.", describe_char(c)),
            );
            return None;
        }
        Some(ClientId(id.to_owned()))
    }
}

impl TryFrom<String> for ClientId {
    type Error = String;

    fn try_from(value: String) -> Result<ClientId, String> {
        let mut problems = Problems::default();
        ClientId::parse(&value, &mut problems).ok_or_else(|| problems.into_first_error())
    }
}

impl From<ClientId> for String {
    fn from(id: ClientId) -> String {
        id.0
    }
}
