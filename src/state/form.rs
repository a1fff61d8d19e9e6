//! The state of the configuration form: what was typed, which fields were edited, and whether
//! the admin already pressed Save.

use std::collections::BTreeSet;
use std::rc::Rc;

use oauth2_config::{Draft, Field, GrantType, Problem, Validation};
use yew::Reducible;

/// The form's state. Validation is derived from `draft` on every render, never stored.
#[derive(Clone, Debug, PartialEq)]
pub struct FormState {
    pub draft: Draft,
    /// The draft as it was when the form opened, to tell whether anything changed.
    pub initial: Draft,
    /// Fields the admin edited; their problems show as they type.
    pub touched: BTreeSet<Field>,
    /// Set by the first Save, after which every problem shows.
    pub submitted: bool,
    /// Whether the Grant Type list is on "Custom URI", so an empty custom text stays custom.
    pub custom_grant: bool,
    /// The plan for a secret already on file. Always `Replace` when there is none.
    pub secret_mode: SecretMode,
}

/// The form's plan for a secret that is already on file.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SecretMode {
    /// Leave the stored secret as it is; the secret input is hidden.
    Keep,
    /// Replace it with the typed secret.
    Replace,
    /// Remove it on save.
    Remove,
}

pub enum FormAction {
    Edit(Field, String),
    SetSecretMode(SecretMode),
    /// Replaces the whole draft, as when an autosaved draft or a merge is restored.
    Restore(Draft),
    /// Picks an entry of the Grant Type list: a standard grant, or `None` for a custom URI.
    ChooseGrant(Option<GrantType>),
    Submit,
}

impl FormState {
    /// Opens the form on `draft`. `secret_on_file` is whether a secret is already stored.
    pub fn new(draft: Draft, secret_on_file: bool) -> FormState {
        let custom_grant = !draft.grant_type.is_empty() && !is_standard_grant(&draft.grant_type);
        let secret_mode = if secret_on_file {
            SecretMode::Keep
        } else {
            SecretMode::Replace
        };
        FormState {
            initial: draft.clone(),
            draft,
            touched: BTreeSet::new(),
            submitted: false,
            custom_grant,
            secret_mode,
        }
    }

    /// Returns whether anything differs from what the form opened with.
    pub fn is_dirty(&self) -> bool {
        let secret_changed = self.secret_mode == SecretMode::Remove || !self.draft.client_secret.is_empty();
        self.draft != self.initial || secret_changed
    }

    /// Returns whether validation may count on a stored secret.
    pub fn keeps_stored_secret(&self) -> bool {
        self.secret_mode == SecretMode::Keep
    }

    /// Returns the problems of `field` that the admin should see now: none before the field is
    /// first edited, unless Save was pressed.
    pub fn visible_problems<'v>(&self, validation: &'v Validation, field: Field) -> Vec<&'v Problem> {
        if self.submitted || self.touched.contains(&field) {
            validation.for_field(field).collect()
        } else {
            Vec::new()
        }
    }
}

fn is_standard_grant(value: &str) -> bool {
    GrantType::STANDARD.iter().any(|grant| grant.as_str() == value)
}

impl Reducible for FormState {
    type Action = FormAction;

    fn reduce(self: Rc<Self>, action: FormAction) -> Rc<FormState> {
        let mut next = (*self).clone();
        match action {
            FormAction::Edit(field, value) => {
                next.draft.set(field, value);
                next.touched.insert(field);
            }
            FormAction::ChooseGrant(Some(grant)) => {
                next.draft.grant_type = grant.as_str().to_owned();
                next.custom_grant = false;
                next.touched.insert(Field::GrantType);
            }
            FormAction::ChooseGrant(None) => {
                if !next.custom_grant {
                    next.draft.grant_type.clear();
                }
                next.custom_grant = true;
            }
            FormAction::SetSecretMode(mode) => {
                next.secret_mode = mode;
                next.draft.client_secret.clear();
                next.touched.insert(Field::ClientSecret);
            }
            FormAction::Restore(draft) => {
                next.custom_grant = !draft.grant_type.is_empty() && !is_standard_grant(&draft.grant_type);
                next.touched.extend(
                    Field::ALL
                        .iter()
                        .filter(|field| draft.get(**field) != next.initial.get(**field)),
                );
                next.draft = draft;
            }
            FormAction::Submit => next.submitted = true,
        }
        Rc::new(next)
    }
}

#[cfg(test)]
mod tests {
    use oauth2_config::{validate, Context};

    use super::*;

    fn reduce(state: FormState, action: FormAction) -> FormState {
        (*Rc::new(state).reduce(action)).clone()
    }

    fn github_draft() -> Draft {
        Draft {
            name: "GitHub".into(),
            client_id: "Iv1.abc".into(),
            token_url: "https://github.com/login/oauth/access_token".into(),
            auth_url: "https://github.com/login/oauth/authorize".into(),
            scopes: "repo read:user".into(),
            grant_type: "authorization_code".into(),
            ..Draft::default()
        }
    }

    #[test]
    fn no_problem_shows_before_first_edit() {
        let state = FormState::new(Draft::default(), false);
        let validation = validate(&state.draft, &Context::default());

        assert!(!validation.is_valid());
        assert!(state.visible_problems(&validation, Field::Name).is_empty());
    }

    #[test]
    fn edited_field_shows_its_problems() {
        let state = reduce(
            FormState::new(Draft::default(), false),
            FormAction::Edit(Field::TokenUrl, "http://x.example/t".into()),
        );
        let validation = validate(&state.draft, &Context::default());

        let codes: Vec<&str> = state
            .visible_problems(&validation, Field::TokenUrl)
            .iter()
            .map(|p| p.code.as_str())
            .collect();
        assert_eq!(codes, ["insecure_scheme"]);
        assert!(state.visible_problems(&validation, Field::Name).is_empty());
    }

    #[test]
    fn submit_shows_every_problem() {
        let state = reduce(FormState::new(Draft::default(), false), FormAction::Submit);
        let validation = validate(&state.draft, &Context::default());

        assert!(!state.visible_problems(&validation, Field::Name).is_empty());
        assert!(!state.visible_problems(&validation, Field::ClientId).is_empty());
    }

    #[test]
    fn dirty_only_after_a_change() {
        let state = FormState::new(github_draft(), false);
        assert!(!state.is_dirty());

        let edited = reduce(state, FormAction::Edit(Field::Name, "GitHub prod".into()));
        assert!(edited.is_dirty());

        let restored = reduce(edited, FormAction::Edit(Field::Name, "GitHub".into()));
        assert!(!restored.is_dirty());
    }

    #[test]
    fn custom_grant_keeps_typed_uri() {
        let state = reduce(FormState::new(github_draft(), false), FormAction::ChooseGrant(None));
        assert!(state.custom_grant);
        assert_eq!(state.draft.grant_type, "");

        let typed = reduce(state, FormAction::Edit(Field::GrantType, "urn:example:grant".into()));
        let again = reduce(typed, FormAction::ChooseGrant(None));
        assert_eq!(again.draft.grant_type, "urn:example:grant");

        let standard = reduce(again, FormAction::ChooseGrant(Some(GrantType::ClientCredentials)));
        assert!(!standard.custom_grant);
        assert_eq!(standard.draft.grant_type, "client_credentials");
    }

    #[test]
    fn secret_modes_change_dirty_state() {
        let state = FormState::new(github_draft(), true);
        assert_eq!(state.secret_mode, SecretMode::Keep);
        assert!(state.keeps_stored_secret());
        assert!(!state.is_dirty());

        let removing = reduce(state, FormAction::SetSecretMode(SecretMode::Remove));
        assert!(removing.is_dirty());
        assert!(!removing.keeps_stored_secret());

        let replacing = reduce(removing, FormAction::SetSecretMode(SecretMode::Replace));
        assert!(
            !replacing.is_dirty(),
            "choosing Replace without typing changes nothing yet"
        );
        let typed = reduce(replacing, FormAction::Edit(Field::ClientSecret, "new-secret".into()));
        assert!(typed.is_dirty());

        let kept = reduce(typed, FormAction::SetSecretMode(SecretMode::Keep));
        assert_eq!(
            kept.draft.client_secret, "",
            "going back to Keep forgets the typed secret"
        );
        assert!(!kept.is_dirty());
    }

    #[test]
    fn restore_replaces_draft_and_shows_changes() {
        let state = FormState::new(github_draft(), false);
        let restored = Draft {
            scopes: "repo".into(),
            grant_type: "urn:example:grant".into(),
            ..github_draft()
        };
        let next = reduce(state, FormAction::Restore(restored.clone()));

        assert_eq!(next.draft, restored);
        assert!(next.custom_grant);
        assert!(next.is_dirty());
        assert!(next.touched.contains(&Field::Scopes));
        assert!(!next.touched.contains(&Field::Name));
    }

    #[test]
    fn stored_custom_grant_opens_as_custom() {
        let draft = Draft {
            grant_type: "urn:example:grant".into(),
            ..github_draft()
        };
        assert!(FormState::new(draft, false).custom_grant);
        assert!(!FormState::new(github_draft(), false).custom_grant);
    }
}
