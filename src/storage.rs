//! Configurations kept in the browser's `localStorage`.
//!
//! Everything lives under one key, [`STORAGE_KEY`], as `{"version": 1, "items": [...]}`. Client
//! secrets are never written: a record only records whether one was typed. Data that cannot be read
//! is copied to a backup key before anything overwrites it, and a notice names the backup key.

use oauth2_config::Config;
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// The `localStorage` key of the configuration list.
pub const STORAGE_KEY: &str = "oauth2-admin.configs.v1";

/// The envelope version this build reads and writes.
pub const STORAGE_VERSION: u64 = 1;

/// The state of a configuration's secret as this browser records it. The secret itself is never
/// stored.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SecretState {
    /// No secret was given: a public client.
    None,
    /// A secret was typed when saving, and deliberately not stored in this browser.
    NotStored,
    /// The admin server stores a secret for this configuration.
    Configured,
}

/// One configuration as this browser stores it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct StoredConfig {
    pub id: String,
    pub config: Config,
    pub secret: SecretState,
    /// The server's revision, for `If-Match`; `None` for a configuration never saved to a server.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub revision: Option<u64>,
    /// ISO 8601 time of the last save.
    pub updated_at: String,
}

#[derive(Serialize)]
struct EnvelopeOut<'a> {
    version: u64,
    items: &'a [StoredConfig],
}

/// The result of reading stored text.
#[derive(Debug, PartialEq)]
pub enum Decoded {
    /// Readable data. `rejected` contains each item that failed to parse, with the reason.
    Items {
        items: Vec<StoredConfig>,
        rejected: Vec<(Value, String)>,
    },
    /// Text this build cannot read at all. Nothing in it may be overwritten before a backup.
    Unreadable(String),
}

/// Parses stored text. Each item is read on its own, so one bad item does not hide the rest.
pub fn decode(raw: &str) -> Decoded {
    let envelope: Value = match serde_json::from_str(raw) {
        Ok(value) => value,
        Err(error) => return Decoded::Unreadable(format!("it is not valid JSON ({error})")),
    };
    match envelope.get("version").and_then(Value::as_u64) {
        Some(STORAGE_VERSION) => {}
        Some(other) => {
            return Decoded::Unreadable(format!(
                "it was written by a newer version of this page (storage version {other}, this page reads {STORAGE_VERSION})"
            ))
        }
        None => return Decoded::Unreadable("it has no storage version".to_owned()),
    }
    let Some(list) = envelope.get("items").and_then(Value::as_array) else {
        return Decoded::Unreadable("it has no list of configurations".to_owned());
    };

    let mut items = Vec::with_capacity(list.len());
    let mut rejected = Vec::new();
    for value in list {
        match serde_json::from_value::<StoredConfig>(value.clone()) {
            Ok(item) if items.iter().any(|seen: &StoredConfig| seen.id == item.id) => {
                rejected.push((value.clone(), format!("its id {} appears twice", item.id)));
            }
            Ok(item) => items.push(item),
            Err(error) => rejected.push((value.clone(), error.to_string())),
        }
    }
    Decoded::Items { items, rejected }
}

/// Serialises the list in the envelope this build reads.
pub fn encode(items: &[StoredConfig]) -> String {
    serde_json::to_string(&EnvelopeOut {
        version: STORAGE_VERSION,
        items,
    })
    .expect("configurations always serialise")
}

/// The reason a save to the browser failed.
#[derive(Debug, Clone, PartialEq)]
pub enum SaveError {
    /// The browser's storage quota is used up.
    Full,
    /// Saving is off because stored data could not be backed up and must not be overwritten.
    Protected,
    /// `localStorage` is missing or refused the write.
    Unavailable(String),
}

impl SaveError {
    /// Returns a message for the admin that states what happened and what to do.
    pub fn message(&self) -> String {
        match self {
            SaveError::Full => "Not saved: this browser's storage is full. Your changes are still in the form; delete unused configurations or free site storage, then save again.".to_owned(),
            SaveError::Protected => format!("Not saved: stored data under \"{STORAGE_KEY}\" could not be read or backed up, so it is left untouched. Copy it out with the browser's developer tools, remove it, then save again."),
            SaveError::Unavailable(reason) => format!("Not saved: this browser's storage is unavailable ({reason}). Your changes are still in the form; allow site storage for this page, then save again."),
        }
    }
}

/// The result of loading: the configurations, and notices for the admin about recovered data.
#[derive(Debug, Default)]
pub struct Loaded {
    pub items: Vec<StoredConfig>,
    pub notices: Vec<String>,
}

pub use browser::{back_up, read_text, write_text, LocalStore};

/// `localStorage` access. It needs a browser; everything above it also runs natively.
mod browser {
    use wasm_bindgen::JsCast;
    use web_sys::{DomException, Storage};

    use super::*;

    /// Reads and writes the configuration list in `localStorage`.
    #[derive(Clone, Debug, PartialEq)]
    pub struct LocalStore {
        /// False after stored data could not be backed up, so saving would destroy it.
        writable: bool,
    }

    fn storage() -> Result<Storage, String> {
        let window = web_sys::window().ok_or("no window")?;
        match window.local_storage() {
            Ok(Some(storage)) => Ok(storage),
            Ok(None) => Err("the browser provides no localStorage".to_owned()),
            Err(_) => Err("the browser denied access to localStorage".to_owned()),
        }
    }

    fn backup_key(key: &str) -> String {
        format!("{key}.backup-{}", js_sys::Date::now() as u64)
    }

    /// Returns the text stored under `key`, if any.
    pub fn read_text(key: &str) -> Option<String> {
        storage().ok()?.get_item(key).ok().flatten()
    }

    /// Stores `text` under `key`. On failure nothing stored changes.
    pub fn write_text(key: &str, text: &str) -> Result<(), SaveError> {
        let storage = storage().map_err(SaveError::Unavailable)?;
        storage
            .set_item(key, text)
            .map_err(|error| match error.dyn_ref::<DomException>() {
                Some(exception) if exception.name() == "QuotaExceededError" => SaveError::Full,
                Some(exception) => SaveError::Unavailable(exception.message()),
                None => SaveError::Unavailable("the browser rejected the write".to_owned()),
            })
    }

    /// Copies `text` to a new backup key next to `key` and returns that key.
    pub fn back_up(key: &str, text: &str) -> Result<String, SaveError> {
        let backup = backup_key(key);
        write_text(&backup, text).map(|()| backup)
    }

    impl LocalStore {
        /// Loads the stored list, backing up whatever cannot be read.
        pub fn load() -> (LocalStore, Loaded) {
            let mut loaded = Loaded::default();
            let storage = match storage() {
                Ok(storage) => storage,
                Err(reason) => {
                    loaded
                        .notices
                        .push(format!("Configurations cannot be kept in this browser: {reason}."));
                    return (LocalStore { writable: true }, loaded);
                }
            };
            let raw = match storage.get_item(STORAGE_KEY) {
                Ok(Some(raw)) => raw,
                _ => return (LocalStore { writable: true }, loaded),
            };

            let (backup, reason, repaired) = match decode(&raw) {
                Decoded::Items { items, rejected } if rejected.is_empty() => {
                    loaded.items = items;
                    return (LocalStore { writable: true }, loaded);
                }
                Decoded::Items { items, rejected } => {
                    let values: Vec<Value> = rejected.into_iter().map(|(value, _)| value).collect();
                    let count = values.len();
                    let noun = if count == 1 {
                        "configuration is not valid"
                    } else {
                        "configurations are not valid"
                    };
                    let reason = format!("{count} stored {noun}; the others loaded normally");
                    let repaired = encode(&items);
                    loaded.items = items;
                    (Value::Array(values).to_string(), reason, repaired)
                }
                Decoded::Unreadable(reason) => (
                    raw,
                    format!("the stored configurations could not be read because {reason}"),
                    encode(&[]),
                ),
            };

            // Once the original is safe in a backup, the main key is repaired, so the next load
            // neither backs it up again nor reports it again.
            let backed_up = back_up(STORAGE_KEY, &backup);
            let writable = backed_up.is_ok();
            if let Ok(key) = backed_up {
                let _ = write_text(STORAGE_KEY, &repaired);
                loaded.notices.push(format!(
                    "Recovered stored data: {reason}. The original was kept under the localStorage key \"{key}\"."
                ));
            } else {
                loaded.notices.push(format!(
                    "Stored data is damaged: {reason}. It could not be backed up, so it is left untouched under \"{STORAGE_KEY}\" and saving is turned off."
                ));
            }
            (LocalStore { writable }, loaded)
        }

        /// Writes the whole list. On failure nothing stored changes.
        pub fn save(&self, items: &[StoredConfig]) -> Result<(), SaveError> {
            if !self.writable {
                return Err(SaveError::Protected);
            }
            write_text(STORAGE_KEY, &encode(items))
        }
    }
}

#[cfg(test)]
mod tests {
    use oauth2_config::{validate, Context, Draft};

    use super::*;

    fn stored(id: &str) -> StoredConfig {
        let draft = Draft {
            name: format!("Config {id}"),
            client_id: "client".into(),
            token_url: "https://auth.example.com/token".into(),
            scopes: "read write".into(),
            grant_type: "client_credentials".into(),
            client_secret: "top-secret-value".into(),
            ..Draft::default()
        };
        let config = validate(&draft, &Context::default()).config.expect("valid draft");
        StoredConfig {
            id: id.into(),
            config,
            secret: SecretState::NotStored,
            revision: None,
            updated_at: "2026-12-04T00:00:00Z".into(),
        }
    }

    #[test]
    fn round_trip_keeps_items() {
        let items = vec![stored("a"), stored("b")];
        assert_eq!(
            decode(&encode(&items)),
            Decoded::Items {
                items,
                rejected: Vec::new()
            }
        );
    }

    #[test]
    fn encoded_list_has_no_secret_field() {
        let text = encode(&[stored("a")]);
        assert!(!text.contains("top-secret-value"));
        assert!(!text.contains("client_secret"));
        assert!(text.contains("\"secret\":\"not_stored\""));
    }

    #[test]
    fn invalid_json_is_unreadable() {
        assert!(matches!(decode("{not json"), Decoded::Unreadable(reason) if reason.contains("not valid JSON")));
    }

    #[test]
    fn newer_version_is_unreadable() {
        assert!(
            matches!(decode(r#"{"version":2,"items":[]}"#), Decoded::Unreadable(reason) if reason.contains("version 2"))
        );
    }

    #[test]
    fn bad_item_is_rejected_and_rest_kept() {
        let good = serde_json::to_value(stored("a")).unwrap();
        let mut bad = serde_json::to_value(stored("b")).unwrap();
        bad["config"]["token_url"] = Value::String("http://evil.example/token".into());
        let raw = serde_json::json!({"version": 1, "items": [good, bad.clone()]}).to_string();

        let Decoded::Items { items, rejected } = decode(&raw) else {
            panic!("expected items")
        };
        assert_eq!(items.len(), 1);
        assert_eq!(items[0].id, "a");
        assert_eq!(rejected.len(), 1);
        assert_eq!(rejected[0].0, bad);
        assert!(rejected[0].1.contains("https"), "reason: {}", rejected[0].1);
    }

    #[test]
    fn repeated_id_is_rejected() {
        let raw = encode(&[stored("a"), stored("a")]);
        let Decoded::Items { items, rejected } = decode(&raw) else {
            panic!("expected items")
        };
        assert_eq!(items.len(), 1);
        assert_eq!(rejected.len(), 1);
    }
}
