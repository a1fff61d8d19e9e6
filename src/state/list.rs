//! The list of configurations the table shows.

use std::rc::Rc;

use yew::Reducible;

use crate::storage::StoredConfig;

#[derive(Clone, Debug, Default, PartialEq)]
pub struct ConfigList {
    pub items: Vec<StoredConfig>,
}

pub enum ListAction {
    /// Replaces the whole list, after loading from storage.
    Load(Vec<StoredConfig>),
    /// Adds a configuration, or replaces the one with the same id in place.
    Upsert(StoredConfig),
    Remove(String),
}

impl ConfigList {
    pub fn find(&self, id: &str) -> Option<&StoredConfig> {
        self.items.iter().find(|item| item.id == id)
    }

    /// Returns the names of every configuration except `id`, for the unique-name rule.
    pub fn other_names(&self, id: Option<&str>) -> Vec<String> {
        self.items
            .iter()
            .filter(|item| Some(item.id.as_str()) != id)
            .map(|item| item.config.name.as_str().to_owned())
            .collect()
    }

    /// Returns the list as it would be after `action`, without changing this one.
    pub fn apply(&self, action: ListAction) -> ConfigList {
        let mut items = self.items.clone();
        match action {
            ListAction::Load(loaded) => items = loaded,
            ListAction::Upsert(config) => match items.iter_mut().find(|item| item.id == config.id) {
                Some(slot) => *slot = config,
                None => items.push(config),
            },
            ListAction::Remove(id) => items.retain(|item| item.id != id),
        }
        ConfigList { items }
    }
}

impl Reducible for ConfigList {
    type Action = ListAction;

    fn reduce(self: Rc<Self>, action: ListAction) -> Rc<ConfigList> {
        Rc::new(self.apply(action))
    }
}

#[cfg(test)]
mod tests {
    use oauth2_config::{validate, Context, Draft};

    use super::*;
    use crate::storage::SecretState;

    fn stored(id: &str, name: &str) -> StoredConfig {
        let draft = Draft {
            name: name.into(),
            client_id: "client".into(),
            token_url: "https://auth.example.com/token".into(),
            grant_type: "refresh_token".into(),
            ..Draft::default()
        };
        let config = validate(&draft, &Context::default()).config.expect("valid draft");
        StoredConfig {
            id: id.into(),
            config,
            secret: SecretState::None,
            revision: None,
            updated_at: String::new(),
        }
    }

    #[test]
    fn upsert_replaces_in_place() {
        let list = ConfigList {
            items: vec![stored("a", "A"), stored("b", "B")],
        };
        let next = list.apply(ListAction::Upsert(stored("a", "A2")));

        let names: Vec<&str> = next.items.iter().map(|item| item.config.name.as_str()).collect();
        assert_eq!(names, ["A2", "B"]);
    }

    #[test]
    fn upsert_appends_new_id() {
        let list = ConfigList {
            items: vec![stored("a", "A")],
        };
        assert_eq!(list.apply(ListAction::Upsert(stored("b", "B"))).items.len(), 2);
    }

    #[test]
    fn remove_drops_only_that_id() {
        let list = ConfigList {
            items: vec![stored("a", "A"), stored("b", "B")],
        };
        let next = list.apply(ListAction::Remove("a".into()));

        assert!(next.find("a").is_none());
        assert!(next.find("b").is_some());
    }

    #[test]
    fn other_names_leave_out_edited_one() {
        let list = ConfigList {
            items: vec![stored("a", "A"), stored("b", "B")],
        };
        assert_eq!(list.other_names(Some("a")), ["B"]);
        assert_eq!(list.other_names(None), ["A", "B"]);
    }
}
