//! Field-by-field merge of the admin's draft with the server's version after a conflict.

use std::collections::BTreeMap;

use oauth2_config::{validate, Context, Draft, Field};

/// The version of a field to keep.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Pick {
    Mine,
    Theirs,
}

/// Fields compared in a conflict. The secret is not: neither side can read the other's.
pub const MERGED_FIELDS: [Field; 7] = [
    Field::Name,
    Field::ClientId,
    Field::GrantType,
    Field::TokenUrl,
    Field::RefreshTokenUrl,
    Field::AuthUrl,
    Field::Scopes,
];

/// Returns the draft as the server would store it when it is valid, so that `read  write` and
/// `read write` compare equal; otherwise the text as typed.
pub fn normalized(draft: &Draft) -> Draft {
    let context = Context {
        other_names: Vec::new(),
        secret_on_file: true,
    };
    validate(draft, &context)
        .config
        .map(|config| config.to_draft())
        .unwrap_or_else(|| draft.clone())
}

/// Returns the fields whose values differ between the two versions.
pub fn differing_fields(mine: &Draft, theirs: &Draft) -> Vec<Field> {
    let (mine, theirs) = (normalized(mine), normalized(theirs));
    MERGED_FIELDS
        .into_iter()
        .filter(|field| mine.get(*field) != theirs.get(*field))
        .collect()
}

/// Returns the version to keep by default for `field`: the server's when only the server changed
/// it since `base`, the version the edit started from, and the admin's otherwise. Without a base,
/// the admin's.
pub fn default_pick(mine: &Draft, base: Option<&Draft>, field: Field) -> Pick {
    match base {
        Some(base) if normalized(mine).get(field) == normalized(base).get(field) => Pick::Theirs,
        _ => Pick::Mine,
    }
}

/// Builds the merged draft: each field from the version picked for it, `Mine` by default. The
/// typed secret always comes from `mine`.
pub fn merge(mine: &Draft, theirs: &Draft, picks: &BTreeMap<Field, Pick>) -> Draft {
    let mut merged = mine.clone();
    for field in MERGED_FIELDS {
        if picks.get(&field) == Some(&Pick::Theirs) {
            merged.set(field, theirs.get(field).to_owned());
        }
    }
    merged
}

#[cfg(test)]
mod tests {
    use super::*;

    fn draft(name: &str, scopes: &str, token_url: &str) -> Draft {
        Draft {
            name: name.into(),
            client_id: "client".into(),
            client_secret: "typed-secret".into(),
            token_url: token_url.into(),
            scopes: scopes.into(),
            grant_type: "client_credentials".into(),
            ..Draft::default()
        }
    }

    #[test]
    fn differing_fields_ignore_whitespace_only_changes() {
        let mine = draft("A", "read  write ", "https://a.example/token");
        let theirs = draft("A", "read write", "https://a.example/token");
        assert!(differing_fields(&mine, &theirs).is_empty());
    }

    #[test]
    fn differing_fields_lists_changes() {
        let mine = draft("A", "read", "https://a.example/token");
        let theirs = draft("B", "read", "https://b.example/token");
        assert_eq!(differing_fields(&mine, &theirs), [Field::Name, Field::TokenUrl]);
    }

    #[test]
    fn default_pick_keeps_changes_of_each_side() {
        let base = draft("A", "read", "https://old.example/token");
        let mine = draft("A", "read write", "https://old.example/token");

        assert_eq!(
            default_pick(&mine, Some(&base), Field::Scopes),
            Pick::Mine,
            "the admin changed scopes"
        );
        assert_eq!(
            default_pick(&mine, Some(&base), Field::TokenUrl),
            Pick::Theirs,
            "only the server changed the URL"
        );
        assert_eq!(
            default_pick(&mine, None, Field::TokenUrl),
            Pick::Mine,
            "without a base nothing is taken silently"
        );
    }

    #[test]
    fn merge_takes_each_pick() {
        let mine = draft("Mine", "mine-scope", "https://mine.example/token");
        let theirs = draft("Theirs", "their-scope", "https://theirs.example/token");
        let picks = BTreeMap::from([(Field::Scopes, Pick::Theirs), (Field::Name, Pick::Mine)]);

        let merged = merge(&mine, &theirs, &picks);
        assert_eq!(merged.name, "Mine");
        assert_eq!(merged.scopes, "their-scope");
        assert_eq!(
            merged.token_url, "https://mine.example/token",
            "unpicked fields stay mine"
        );
        assert_eq!(merged.client_secret, "typed-secret");
    }
}
