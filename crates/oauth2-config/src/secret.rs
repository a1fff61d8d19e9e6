//! The client secret. It is kept byte for byte and never printed.

use std::fmt;

use crate::problem::Problems;
use crate::text::{find_char, is_vschar};
use crate::{Code, Field};

/// The text a form may show in place of a stored secret. It is never accepted as a secret.
pub const SECRET_MASK: &str = "••••••••";

/// Maximum length of a secret, in characters.
pub const MAX_SECRET_CHARS: usize = 4096;

/// A client secret, exactly as typed: not trimmed, `=` padding kept.
///
/// It has no `Display` and no `Serialize`, and `Debug` prints `[redacted]`, so it cannot end up in
/// a log line or a JSON body by accident. [`ClientSecret::expose`] is the one way to read it.
#[derive(Clone, PartialEq, Eq)]
pub struct ClientSecret(String);

impl ClientSecret {
    /// Returns the secret itself, for sending it to the authorization server or encrypting it.
    pub fn expose(&self) -> &str {
        &self.0
    }

    /// Parses a typed secret. An empty input means no secret was typed.
    pub(crate) fn parse(input: &str, problems: &mut Problems) -> Option<ClientSecret> {
        let field = Field::ClientSecret;
        if input.is_empty() {
            return None;
        }
        if input.chars().all(|c| matches!(c, '•' | '●' | '*')) {
            problems.error(
                field,
                Code::MaskedSecret,
                "Client Secret contains only mask characters (• or *), not a secret: type the real secret, or clear the field to keep the stored one.",
            );
            return None;
        }
        if input.trim().is_empty() {
            problems.error(
                field,
                Code::InvalidCharacter,
                "Client Secret contains only spaces; paste the secret the provider issued, or clear the field.",
            );
            return None;
        }
        if input.chars().count() > MAX_SECRET_CHARS {
            problems.error(field, Code::TooLong, format!("Client Secret is longer than {MAX_SECRET_CHARS} characters; check that only the secret was pasted."));
            return None;
        }
        // The message names the position but never the character: the secret must not leak.
        if let Some((position, _)) = find_char(input, |c| !is_vschar(c)) {
            problems.warn(
                field,
                Code::NonPrintableSecret,
                format!("Client Secret contains a character outside printable ASCII at position {position}; most servers reject such secrets, so check the copied value."),
            );
        }
        if input.starts_with(' ') || input.ends_with(' ') {
            problems.warn(
                field,
                Code::SecretWhitespace,
                "Client Secret starts or ends with a space, which is kept as typed; delete it unless the provider issued it.",
            );
        }
        Some(ClientSecret(input.to_owned()))
    }
}

impl fmt::Debug for ClientSecret {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str("ClientSecret([redacted])")
    }
}
