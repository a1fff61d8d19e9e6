//! Autosaved form drafts, so that nothing typed is lost to a reload, a closed tab or a crash.
//!
//! Drafts are keyed by configuration id and by tab, so two tabs never overwrite each other's
//! drafts; reopening a form offers the newest one. A draft never contains the client secret,
//! because `Draft` does not serialise it.

use oauth2_config::Draft;
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// The `localStorage` key of the drafts.
pub const DRAFTS_KEY: &str = "oauth2-admin.drafts.v1";

/// One autosaved form.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SavedDraft {
    pub config_id: String,
    /// False for a configuration that was never saved.
    pub existing: bool,
    /// The tab that wrote it.
    pub tab_id: String,
    /// The server revision the edit started from, if any.
    #[serde(default)]
    pub base_revision: Option<u64>,
    pub draft: Draft,
    /// When it was written, in milliseconds since the Unix epoch.
    pub saved_at_ms: f64,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct Drafts {
    pub entries: Vec<SavedDraft>,
}

#[derive(Serialize, Deserialize)]
struct Envelope<T> {
    version: u64,
    drafts: T,
}

impl Drafts {
    /// Adds or replaces this tab's draft of one configuration.
    pub fn upsert(&mut self, saved: SavedDraft) {
        self.entries
            .retain(|entry| !(entry.config_id == saved.config_id && entry.tab_id == saved.tab_id));
        self.entries.push(saved);
    }

    /// Removes this tab's draft of one configuration.
    pub fn remove_own(&mut self, config_id: &str, tab_id: &str) {
        self.entries
            .retain(|entry| !(entry.config_id == config_id && entry.tab_id == tab_id));
    }

    /// Removes every tab's draft of one configuration, after it was saved or discarded.
    pub fn remove_all(&mut self, config_id: &str) {
        self.entries.retain(|entry| entry.config_id != config_id);
    }

    /// Returns the newest draft of one configuration, from any tab.
    pub fn newest_for(&self, config_id: &str) -> Option<&SavedDraft> {
        self.newest(|entry| entry.config_id == config_id)
    }

    /// Returns the newest draft of a configuration that was never saved.
    pub fn newest_new(&self) -> Option<&SavedDraft> {
        self.newest(|entry| !entry.existing)
    }

    fn newest(&self, keep: impl Fn(&SavedDraft) -> bool) -> Option<&SavedDraft> {
        self.entries
            .iter()
            .filter(|entry| keep(entry))
            .max_by(|a, b| a.saved_at_ms.total_cmp(&b.saved_at_ms))
    }

    pub fn encode(&self) -> String {
        serde_json::to_string(&Envelope {
            version: 1,
            drafts: &self.entries,
        })
        .expect("drafts always serialise")
    }

    /// Parses stored text; drafts that cannot be read are returned apart so they can be kept aside.
    pub fn decode(raw: &str) -> Result<(Drafts, Vec<Value>), String> {
        let envelope: Envelope<Vec<Value>> =
            serde_json::from_str(raw).map_err(|error| format!("they are not readable ({error})"))?;
        if envelope.version != 1 {
            return Err(format!(
                "they were written by another version of this page (drafts version {})",
                envelope.version
            ));
        }
        let mut drafts = Drafts::default();
        let mut rejected = Vec::new();
        for value in envelope.drafts {
            match serde_json::from_value::<SavedDraft>(value.clone()) {
                Ok(saved) => drafts.entries.push(saved),
                Err(_) => rejected.push(value),
            }
        }
        Ok((drafts, rejected))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn saved(config_id: &str, tab_id: &str, name: &str, at: f64) -> SavedDraft {
        let draft = Draft {
            name: name.into(),
            client_secret: "never-stored".into(),
            ..Draft::default()
        };
        SavedDraft {
            config_id: config_id.into(),
            existing: true,
            tab_id: tab_id.into(),
            base_revision: Some(2),
            draft,
            saved_at_ms: at,
        }
    }

    #[test]
    fn tabs_keep_separate_drafts() {
        let mut drafts = Drafts::default();
        drafts.upsert(saved("a", "tab1", "from tab 1", 1.0));
        drafts.upsert(saved("a", "tab2", "from tab 2", 2.0));
        drafts.upsert(saved("a", "tab1", "tab 1 again", 3.0));

        assert_eq!(drafts.entries.len(), 2);
        assert_eq!(drafts.newest_for("a").unwrap().draft.name, "tab 1 again");
    }

    #[test]
    fn encoded_drafts_have_no_secret() {
        let mut drafts = Drafts::default();
        drafts.upsert(saved("a", "tab1", "A", 1.0));
        assert!(!drafts.encode().contains("never-stored"));
    }

    #[test]
    fn round_trip_and_bad_entries_apart() {
        let mut drafts = Drafts::default();
        drafts.upsert(saved("a", "tab1", "A", 1.0));
        let mut value: Value = serde_json::from_str(&drafts.encode()).unwrap();
        value["drafts"]
            .as_array_mut()
            .unwrap()
            .push(serde_json::json!({"config_id": 7}));

        let (decoded, rejected) = Drafts::decode(&value.to_string()).unwrap();
        assert_eq!(decoded.entries[0].draft.name, "A");
        assert_eq!(decoded.entries[0].draft.client_secret, "");
        assert_eq!(rejected.len(), 1);
    }

    #[test]
    fn remove_all_clears_every_tab() {
        let mut drafts = Drafts::default();
        drafts.upsert(saved("a", "tab1", "A", 1.0));
        drafts.upsert(saved("a", "tab2", "A", 2.0));
        drafts.upsert(saved("b", "tab1", "B", 3.0));
        drafts.remove_all("a");

        assert!(drafts.newest_for("a").is_none());
        assert!(drafts.newest_for("b").is_some());
    }
}
