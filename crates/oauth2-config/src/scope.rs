//! Scopes: space-separated tokens (RFC 6749 section 3.3).

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::problem::{Problem, Problems};
use crate::text::{describe_char, quote_visible};
use crate::{Code, Field};

/// Maximum number of scope tokens in one configuration.
pub const MAX_SCOPES: usize = 128;

/// Invalid scopes listed one by one; the rest are counted in one message.
const MAX_LISTED_INVALID: usize = 5;

/// Maximum length of one scope token, in characters.
pub const MAX_SCOPE_CHARS: usize = 256;

/// One scope token: `1*( %x21 / %x23-5B / %x5D-7E )`, so printable ASCII except space, `"`
/// and `\`.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Scope(String);

impl Scope {
    pub fn as_str(&self) -> &str {
        &self.0
    }

    fn parse(token: &str) -> Result<Scope, String> {
        if token.is_empty() {
            return Err("Scopes contains an empty scope; remove it.".to_owned());
        }
        if token.chars().count() > MAX_SCOPE_CHARS {
            return Err(format!(
                "Scopes contains a scope longer than {MAX_SCOPE_CHARS} characters; check that it is one scope."
            ));
        }
        if let Some(c) = token.chars().find(|&c| !is_scope_char(c)) {
            return Err(format!(
                "Scopes: \u{201C}{}\u{201D} contains {}, which a scope may not contain (RFC 6749 section 3.3 allows printable ASCII except space, \" and \\); remove it.",
                quote_visible(token),
                describe_char(c)
            ));
        }
        Ok(Scope(token.to_owned()))
    }
}

fn is_scope_char(c: char) -> bool {
    matches!(c, '\u{21}' | '\u{23}'..='\u{5B}' | '\u{5D}'..='\u{7E}')
}

/// An ordered list of distinct scope tokens. Empty means the `scope` parameter is omitted.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "Vec<String>", into = "Vec<String>")]
pub struct Scopes(Vec<Scope>);

impl Scopes {
    pub fn iter(&self) -> impl Iterator<Item = &Scope> {
        self.0.iter()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Returns the value of the `scope` request parameter, or `None` when there are no scopes and
    /// the parameter must be left out.
    pub fn to_parameter(&self) -> Option<String> {
        (!self.0.is_empty()).then(|| self.to_string())
    }

    /// Parses the Scopes field: tokens separated by any whitespace.
    pub(crate) fn parse(input: &str, problems: &mut Problems) -> Option<Scopes> {
        let field = Field::Scopes;
        let tokens: Vec<&str> = input.split_whitespace().collect();
        let mut scopes: Vec<Scope> = Vec::with_capacity(tokens.len());
        let mut failed = false;
        let mut duplicates: Vec<&str> = Vec::new();
        let mut invalid = 0usize;

        for token in &tokens {
            match Scope::parse(token) {
                Ok(scope) if scopes.contains(&scope) => {
                    if !duplicates.contains(token) {
                        duplicates.push(token);
                    }
                }
                Ok(scope) => scopes.push(scope),
                Err(message) => {
                    invalid += 1;
                    if invalid <= MAX_LISTED_INVALID {
                        problems.error(field, Code::InvalidScope, message);
                    }
                    failed = true;
                }
            }
        }
        if invalid > MAX_LISTED_INVALID {
            problems.error(
                field,
                Code::InvalidScope,
                format!(
                    "Scopes: {} more scopes are invalid for the same reasons; fix the ones above first.",
                    invalid - MAX_LISTED_INVALID
                ),
            );
        }
        if !duplicates.is_empty() {
            problems.warn(
                field,
                Code::DuplicateScope,
                format!(
                    "Scopes listed more than once were kept once: {}.",
                    duplicates.join(", ")
                ),
            );
        }
        if scopes.len() > MAX_SCOPES {
            problems.error(
                field,
                Code::TooManyScopes,
                format!(
                    "Scopes lists {} scopes; remove some to keep at most {MAX_SCOPES}.",
                    scopes.len()
                ),
            );
            failed = true;
        }
        if !failed {
            warn_joined_scopes(&tokens, problems);
        }
        (!failed).then_some(Scopes(scopes))
    }
}

/// Warns about tokens such as `openid,profile` or `openid+profile`. They are legal scopes, but
/// usually a list joined with the wrong separator, so the warning offers a split.
fn warn_joined_scopes(tokens: &[&str], problems: &mut Problems) {
    let joined: Vec<&str> = tokens
        .iter()
        .copied()
        .filter(|token| token.contains([',', '+']))
        .collect();
    if joined.is_empty() {
        return;
    }
    let mut split: Vec<&str> = Vec::new();
    for token in tokens {
        for part in token.split([',', '+']).filter(|part| !part.is_empty()) {
            if !split.contains(&part) {
                split.push(part);
            }
        }
    }
    if split.is_empty() {
        return;
    }
    let value = split.join(" ");
    let quoted: Vec<String> = joined.iter().map(|token| format!("\u{201C}{token}\u{201D}")).collect();
    let message = format!(
        "Scopes: {} contains \",\" or \"+\"; the server reads that as one scope, because scopes are separated by spaces. Split it unless the provider documents it as one scope.",
        quoted.join(", ")
    );
    let label = format!("Split into {} scopes", split.len());
    problems
        .warnings
        .push(Problem::new(Field::Scopes, Code::ScopeSeparator, message).with_fix(label, value));
}

impl fmt::Display for Scopes {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (index, scope) in self.0.iter().enumerate() {
            if index > 0 {
                formatter.write_str(" ")?;
            }
            formatter.write_str(scope.as_str())?;
        }
        Ok(())
    }
}

impl TryFrom<String> for Scope {
    type Error = String;

    fn try_from(value: String) -> Result<Scope, String> {
        Scope::parse(&value)
    }
}

impl From<Scope> for String {
    fn from(scope: Scope) -> String {
        scope.0
    }
}

impl TryFrom<Vec<String>> for Scopes {
    type Error = String;

    fn try_from(list: Vec<String>) -> Result<Scopes, String> {
        let mut problems = Problems::default();
        match Scopes::parse(&list.join(" "), &mut problems) {
            Some(scopes) if scopes.len() == list.len() => Ok(scopes),
            Some(_) => Err("scopes must be distinct tokens with no whitespace".to_owned()),
            None => Err(problems.into_first_error()),
        }
    }
}

impl From<Scopes> for Vec<String> {
    fn from(scopes: Scopes) -> Vec<String> {
        scopes.0.into_iter().map(String::from).collect()
    }
}
