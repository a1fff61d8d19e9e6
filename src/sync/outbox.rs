//! The outbox: changes saved while the admin server was unreachable, replayed in order later.
//!
//! Each configuration has at most one entry, because a second change to the same configuration
//! replaces the first and keeps the revision the first started from. Replays are idempotent: the
//! configuration id is chosen by the page and every replacement carries `If-Match`. Secrets are
//! never part of an entry; an entry whose secret was lost with a reload requests it again.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use oauth2_config::{Config, Problem};

use crate::storage::StoredConfig;

/// The `localStorage` key of the outbox.
pub const OUTBOX_KEY: &str = "oauth2-admin.outbox.v1";

/// First retry delay, in milliseconds.
pub const BASE_DELAY_MS: f64 = 1_000.0;

/// Maximum delay between two retries, in milliseconds.
pub const MAX_DELAY_MS: f64 = 60_000.0;

/// The change a queued entry makes to the client secret.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SecretIntent {
    /// Leave the stored secret as it is.
    Keep,
    /// Set the secret the admin typed. The value is kept in memory only, never in storage.
    Set,
    /// Remove the stored secret.
    Clear,
}

/// One queued change.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Change {
    /// Create or replace. `base_revision` is `None` for a configuration the server has never had.
    Put {
        config: Config,
        base_revision: Option<u64>,
        secret: SecretIntent,
    },
    /// Delete. `base_revision` is `None` when a create was queued and may or may not have reached
    /// the server, so the replay reads the current revision first.
    Delete { name: String, base_revision: Option<u64> },
}

impl Change {
    pub fn name(&self) -> &str {
        match self {
            Change::Put { config, .. } => config.name.as_str(),
            Change::Delete { name, .. } => name,
        }
    }
}

/// The state of a queued change.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum EntryState {
    /// Waiting for its turn or for the next retry.
    Pending,
    /// A request is in flight.
    Sending,
    /// The last attempt failed and will be retried; `reason` contains the error.
    Failed { reason: String },
    /// The server's copy changed; the admin chooses what to keep.
    Conflict { current: Box<StoredConfig> },
    /// The server rejected fields; the admin must edit the change.
    Rejected { problems: Vec<Problem> },
    /// The change sets a secret that was lost when the page reloaded; the admin must type it again.
    SecretNeeded,
}

impl EntryState {
    /// Returns whether the replay may send this entry without the admin.
    pub fn is_sendable(&self) -> bool {
        matches!(
            self,
            EntryState::Pending | EntryState::Sending | EntryState::Failed { .. }
        )
    }

    /// Returns a short label for the table, with the reason of a failure.
    pub fn label(&self) -> String {
        match self {
            EntryState::Pending => "waiting to sync".to_owned(),
            EntryState::Sending => "sending".to_owned(),
            EntryState::Failed { reason } => format!("sync failed, will retry: {reason}"),
            EntryState::Conflict { .. } => "conflict: open it to choose a version".to_owned(),
            EntryState::Rejected { problems } => {
                let labels: Vec<&str> = problems.iter().map(|problem| problem.field.label()).collect();
                format!("rejected by the server: edit {}", labels.join(", "))
            }
            EntryState::SecretNeeded => "secret needed: open it and type the secret".to_owned(),
        }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Entry {
    pub config_id: String,
    pub change: Change,
    #[serde(flatten)]
    pub state: EntryState,
    /// Failed attempts so far, for the backoff.
    #[serde(default)]
    pub attempts: u32,
    /// Earliest time of the next attempt, in milliseconds since the Unix epoch.
    #[serde(default)]
    pub not_before_ms: f64,
}

/// The queue, oldest first.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Outbox {
    pub entries: Vec<Entry>,
}

#[derive(Serialize, Deserialize)]
struct Envelope<T> {
    version: u64,
    entries: T,
}

impl Outbox {
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    pub fn find(&self, config_id: &str) -> Option<&Entry> {
        self.entries.iter().find(|entry| entry.config_id == config_id)
    }

    pub fn find_mut(&mut self, config_id: &str) -> Option<&mut Entry> {
        self.entries.iter_mut().find(|entry| entry.config_id == config_id)
    }

    pub fn remove(&mut self, config_id: &str) {
        self.entries.retain(|entry| entry.config_id != config_id);
    }

    /// Queues `change`, merging it with a change already queued for the same configuration so that
    /// the queue keeps one entry per configuration and the revision the first change started from.
    pub fn enqueue(&mut self, config_id: &str, change: Change) {
        let Some(position) = self.entries.iter().position(|entry| entry.config_id == config_id) else {
            self.entries.push(Entry {
                config_id: config_id.to_owned(),
                change,
                state: EntryState::Pending,
                attempts: 0,
                not_before_ms: 0.0,
            });
            return;
        };
        let previous = self.entries.remove(position);
        let merged = match (previous.change, change) {
            (
                Change::Put {
                    base_revision,
                    secret: old_secret,
                    ..
                },
                Change::Put { config, secret, .. },
            ) => {
                let secret = if secret == SecretIntent::Keep {
                    old_secret
                } else {
                    secret
                };
                Some(Change::Put {
                    config,
                    base_revision,
                    secret,
                })
            }
            // A create that was never attempted is simply dropped with its deletion.
            (
                Change::Put {
                    base_revision: None, ..
                },
                Change::Delete { .. },
            ) if previous.attempts == 0 && previous.state == EntryState::Pending => None,
            (
                Change::Put {
                    base_revision, config, ..
                },
                Change::Delete { .. },
            ) => Some(Change::Delete {
                name: config.name.as_str().to_owned(),
                base_revision,
            }),
            (Change::Delete { base_revision, .. }, Change::Put { config, secret, .. }) => Some(Change::Put {
                config,
                base_revision,
                secret,
            }),
            (Change::Delete { .. }, delete @ Change::Delete { .. }) => Some(delete),
        };
        if let Some(change) = merged {
            let entry = Entry {
                config_id: config_id.to_owned(),
                change,
                state: EntryState::Pending,
                attempts: 0,
                not_before_ms: 0.0,
            };
            self.entries.insert(position, entry);
        }
    }

    /// Returns the id of the next entry to send at `now_ms`: the oldest sendable one. `None` when
    /// nothing is sendable or the oldest sendable entry is still waiting out its backoff, so
    /// replays stay in order.
    pub fn next_due(&self, now_ms: f64) -> Option<&str> {
        let entry = self.entries.iter().find(|entry| entry.state.is_sendable())?;
        (entry.not_before_ms <= now_ms).then_some(entry.config_id.as_str())
    }

    /// Records a failed attempt and schedules the next one with exponential backoff and full
    /// jitter. `random` is in `[0, 1)`; `retry_after_ms` from the server overrides the backoff
    /// when it is longer.
    pub fn record_failure(
        &mut self,
        config_id: &str,
        reason: String,
        now_ms: f64,
        random: f64,
        retry_after_ms: Option<f64>,
    ) {
        let Some(entry) = self.find_mut(config_id) else { return };
        entry.attempts = entry.attempts.saturating_add(1);
        let delay = backoff_ms(entry.attempts, random).max(retry_after_ms.unwrap_or(0.0));
        entry.not_before_ms = now_ms + delay;
        entry.state = EntryState::Failed { reason };
    }

    /// Makes every failed entry due now, for "Retry now".
    pub fn retry_now(&mut self) {
        for entry in &mut self.entries {
            entry.not_before_ms = 0.0;
        }
    }

    /// Returns the number of entries that still wait for the server.
    pub fn waiting(&self) -> usize {
        self.entries.len()
    }

    pub fn encode(&self) -> String {
        serde_json::to_string(&Envelope {
            version: 1,
            entries: &self.entries,
        })
        .expect("the outbox always serialises")
    }

    /// Parses stored text. Entries that cannot be read are returned apart, with the reason, so the
    /// rest still replays and the bad ones can be kept aside.
    pub fn decode(raw: &str) -> Result<(Outbox, Vec<(Value, String)>), String> {
        let envelope: Envelope<Vec<Value>> =
            serde_json::from_str(raw).map_err(|error| format!("it is not a readable outbox ({error})"))?;
        if envelope.version != 1 {
            return Err(format!(
                "it was written by another version of this page (outbox version {})",
                envelope.version
            ));
        }
        let mut outbox = Outbox::default();
        let mut rejected = Vec::new();
        for value in envelope.entries {
            match serde_json::from_value::<Entry>(value.clone()) {
                Ok(mut entry) => {
                    // A request that was in flight when the page closed is sent again.
                    if entry.state == EntryState::Sending {
                        entry.state = EntryState::Pending;
                    }
                    outbox.entries.push(entry);
                }
                Err(error) => rejected.push((value, error.to_string())),
            }
        }
        Ok((outbox, rejected))
    }
}

/// Returns the delay before attempt `attempts + 1`: a random share of `BASE_DELAY_MS * 2^(attempts - 1)`,
/// capped at `MAX_DELAY_MS`, never below half of the uncapped step so retries do not bunch at zero.
pub fn backoff_ms(attempts: u32, random: f64) -> f64 {
    let exponent = attempts.saturating_sub(1).min(16) as i32;
    let step = (BASE_DELAY_MS * 2f64.powi(exponent)).min(MAX_DELAY_MS);
    step / 2.0 + step / 2.0 * random.clamp(0.0, 1.0)
}

#[cfg(test)]
mod tests {
    use oauth2_config::{validate, Context, Draft};

    use super::*;

    fn config(name: &str, scopes: &str) -> Config {
        let draft = Draft {
            name: name.into(),
            client_id: "client".into(),
            token_url: "https://auth.example.com/token".into(),
            scopes: scopes.into(),
            grant_type: "refresh_token".into(),
            ..Draft::default()
        };
        validate(&draft, &Context::default()).config.expect("valid draft")
    }

    fn put(name: &str, scopes: &str, base_revision: Option<u64>, secret: SecretIntent) -> Change {
        Change::Put {
            config: config(name, scopes),
            base_revision,
            secret,
        }
    }

    #[test]
    fn second_put_keeps_first_revision() {
        let mut outbox = Outbox::default();
        outbox.enqueue("a", put("A", "one", Some(4), SecretIntent::Set));
        outbox.enqueue("a", put("A", "two", Some(9), SecretIntent::Keep));

        assert_eq!(outbox.len(), 1);
        assert_eq!(outbox.entries[0].change, put("A", "two", Some(4), SecretIntent::Set));
    }

    #[test]
    fn put_then_delete_becomes_delete() {
        let mut outbox = Outbox::default();
        outbox.enqueue("a", put("A", "one", Some(4), SecretIntent::Keep));
        outbox.enqueue(
            "a",
            Change::Delete {
                name: "A".into(),
                base_revision: Some(4),
            },
        );

        assert_eq!(
            outbox.entries[0].change,
            Change::Delete {
                name: "A".into(),
                base_revision: Some(4)
            }
        );
    }

    #[test]
    fn unsent_create_then_delete_cancels() {
        let mut outbox = Outbox::default();
        outbox.enqueue("a", put("A", "one", None, SecretIntent::Keep));
        outbox.enqueue(
            "a",
            Change::Delete {
                name: "A".into(),
                base_revision: None,
            },
        );

        assert!(outbox.is_empty());
    }

    #[test]
    fn attempted_create_then_delete_keeps_delete() {
        let mut outbox = Outbox::default();
        outbox.enqueue("a", put("A", "one", None, SecretIntent::Keep));
        outbox.record_failure("a", "timed out".into(), 0.0, 0.5, None);
        outbox.enqueue(
            "a",
            Change::Delete {
                name: "A".into(),
                base_revision: None,
            },
        );

        assert_eq!(
            outbox.entries[0].change,
            Change::Delete {
                name: "A".into(),
                base_revision: None
            }
        );
    }

    #[test]
    fn merged_entry_keeps_its_place() {
        let mut outbox = Outbox::default();
        outbox.enqueue("a", put("A", "one", Some(1), SecretIntent::Keep));
        outbox.enqueue("b", put("B", "one", Some(1), SecretIntent::Keep));
        outbox.enqueue("a", put("A", "two", Some(1), SecretIntent::Keep));

        let order: Vec<&str> = outbox.entries.iter().map(|entry| entry.config_id.as_str()).collect();
        assert_eq!(order, ["a", "b"]);
    }

    #[test]
    fn next_due_waits_for_backoff_in_order() {
        let mut outbox = Outbox::default();
        outbox.enqueue("a", put("A", "one", Some(1), SecretIntent::Keep));
        outbox.enqueue("b", put("B", "one", Some(1), SecretIntent::Keep));
        outbox.record_failure("a", "502".into(), 1_000.0, 0.0, None);

        assert_eq!(outbox.next_due(1_000.0), None, "b waits behind a");
        assert_eq!(outbox.next_due(1_000.0 + BASE_DELAY_MS), Some("a"));
        outbox.retry_now();
        assert_eq!(outbox.next_due(1_000.0), Some("a"));
    }

    #[test]
    fn entries_needing_admin_are_skipped() {
        let mut outbox = Outbox::default();
        outbox.enqueue("a", put("A", "one", Some(1), SecretIntent::Set));
        outbox.enqueue("b", put("B", "one", Some(1), SecretIntent::Keep));
        outbox.find_mut("a").unwrap().state = EntryState::SecretNeeded;

        assert_eq!(outbox.next_due(0.0), Some("b"));
    }

    #[test]
    fn backoff_grows_and_is_capped() {
        assert_eq!(backoff_ms(1, 0.0), BASE_DELAY_MS / 2.0);
        assert_eq!(backoff_ms(1, 1.0), BASE_DELAY_MS);
        assert_eq!(backoff_ms(3, 1.0), BASE_DELAY_MS * 4.0);
        assert_eq!(backoff_ms(40, 1.0), MAX_DELAY_MS);
        assert!(backoff_ms(2, 0.3) < backoff_ms(2, 0.7), "jitter spreads retries");
    }

    #[test]
    fn retry_after_overrides_short_backoff() {
        let mut outbox = Outbox::default();
        outbox.enqueue("a", put("A", "one", Some(1), SecretIntent::Keep));
        outbox.record_failure("a", "503".into(), 0.0, 0.0, Some(30_000.0));

        assert_eq!(outbox.entries[0].not_before_ms, 30_000.0);
    }

    #[test]
    fn decode_keeps_good_entries_apart_from_bad() {
        let mut outbox = Outbox::default();
        outbox.enqueue("a", put("A", "one", Some(1), SecretIntent::Keep));
        outbox.enqueue("b", put("B", "one", Some(1), SecretIntent::Keep));
        let mut value: Value = serde_json::from_str(&outbox.encode()).unwrap();
        value["entries"][0]["change"]["config"]["token_url"] = Value::String("javascript:alert(1)".into());

        let (decoded, rejected) = Outbox::decode(&value.to_string()).unwrap();
        assert_eq!(decoded.len(), 1);
        assert_eq!(decoded.entries[0].config_id, "b");
        assert_eq!(rejected.len(), 1);
    }

    #[test]
    fn decode_turns_sending_into_pending() {
        let mut outbox = Outbox::default();
        outbox.enqueue("a", put("A", "one", Some(1), SecretIntent::Keep));
        outbox.entries[0].state = EntryState::Sending;

        let (decoded, _) = Outbox::decode(&outbox.encode()).unwrap();
        assert_eq!(decoded.entries[0].state, EntryState::Pending);
    }

    #[test]
    fn encoded_outbox_has_no_secret_value() {
        let mut outbox = Outbox::default();
        outbox.enqueue("a", put("A", "one", None, SecretIntent::Set));
        let text = outbox.encode();

        assert!(text.contains("\"secret\":\"set\""));
        assert!(!text.contains("client_secret"));
    }

    #[test]
    fn unknown_version_is_an_error() {
        assert!(Outbox::decode(r#"{"version":2,"entries":[]}"#).is_err());
    }
}
