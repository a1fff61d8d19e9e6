//! The configuration's display name.

use serde::{Deserialize, Serialize};

use crate::problem::Problems;
use crate::text::{describe_char, find_char, is_bidi_control, is_blank_filler, is_invisible};
use crate::{Code, Field};

/// Maximum length of a name, in Unicode scalar values.
pub const MAX_NAME_CHARS: usize = 100;

/// A trimmed, non-empty name of at most [`MAX_NAME_CHARS`] characters with no control,
/// invisible or text-direction characters.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Name(String);

impl Name {
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Returns whether two names collide; names are unique ignoring case.
    pub fn same_as(&self, other: &str) -> bool {
        self.0.to_lowercase() == other.trim().to_lowercase()
    }

    pub(crate) fn parse(input: &str, problems: &mut Problems) -> Option<Name> {
        let field = Field::Name;
        let name = input.trim();
        if name.is_empty() {
            problems.error(
                field,
                Code::Required,
                "Name is required: enter a name that identifies this configuration, for example \"GitHub\".",
            );
            return None;
        }
        let length = name.chars().count();
        if length > MAX_NAME_CHARS {
            problems.error(
                field,
                Code::TooLong,
                format!("Name is {length} characters long; shorten it to at most {MAX_NAME_CHARS}."),
            );
            return None;
        }
        // The zero-width joiner is allowed because emoji sequences such as a family need it.
        let hidden = |c: char| {
            c.is_control() || (is_invisible(c) && c != '\u{200D}') || is_bidi_control(c) || is_blank_filler(c)
        };
        if let Some((position, c)) = find_char(name, hidden) {
            problems.error(
                field,
                Code::InvalidCharacter,
                format!(
                    "Name contains {} at position {position}; delete it and type the name again.",
                    describe_char(c)
                ),
            );
            return None;
        }
        Some(Name(name.to_owned()))
    }
}

impl TryFrom<String> for Name {
    type Error = String;

    fn try_from(value: String) -> Result<Name, String> {
        let mut problems = Problems::default();
        Name::parse(&value, &mut problems).ok_or_else(|| problems.into_first_error())
    }
}

impl From<Name> for String {
    fn from(name: Name) -> String {
        name.0
    }
}
