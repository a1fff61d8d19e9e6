//! Reads and writes the outbox, the drafts and the last list loaded from the server in
//! `localStorage`. Anything unreadable is copied to a backup key before it can be overwritten, and
//! a notice names the backup key.

use serde_json::Value;

use super::drafts::{Drafts, DRAFTS_KEY};
use super::outbox::{Outbox, OUTBOX_KEY};
use crate::storage::{back_up, decode, encode, read_text, write_text, Decoded, SaveError, StoredConfig};

/// The `localStorage` key of the list as last loaded from the server, for offline use. It contains
/// what the server returns, which never includes a secret.
pub const SERVER_CACHE_KEY: &str = "oauth2-admin.server-cache.v1";

/// The `localStorage` key that tabs write after each change they saved on the server, so other
/// tabs of the same browser reload the list. Its value is only a time and a random number.
pub const CHANGED_KEY: &str = "oauth2-admin.changed.v1";

/// Tells the other tabs that the server's list changed.
pub fn announce_server_change() {
    let _ = write_text(
        CHANGED_KEY,
        &format!("{}-{}", js_sys::Date::now(), js_sys::Math::random()),
    );
}

/// Backs up `text` and returns a notice naming where it went.
fn keep_aside(key: &str, text: &str, what: &str, reason: &str) -> String {
    match back_up(key, text) {
        Ok(backup) => format!(
            "{what} could not be read ({reason}); the original was kept under the localStorage key \"{backup}\"."
        ),
        Err(error) => format!("{what} could not be read ({reason}) or backed up: {}", error.message()),
    }
}

/// Loads the outbox. Unreadable entries are kept aside and the rest replays.
pub fn load_outbox(notices: &mut Vec<String>) -> Outbox {
    let Some(raw) = read_text(OUTBOX_KEY) else {
        return Outbox::default();
    };
    match Outbox::decode(&raw) {
        Ok((outbox, rejected)) if rejected.is_empty() => outbox,
        Ok((outbox, rejected)) => {
            let reasons: Vec<String> = rejected.iter().map(|(_, reason)| reason.clone()).collect();
            let values: Vec<Value> = rejected.into_iter().map(|(value, _)| value).collect();
            let what = format!("{} queued change(s)", values.len());
            notices.push(keep_aside(
                OUTBOX_KEY,
                &Value::Array(values).to_string(),
                &what,
                &reasons.join("; "),
            ));
            // Rewrite the outbox without the bad entries, which are safe in the backup.
            let _ = save_outbox(&outbox);
            outbox
        }
        Err(reason) => {
            notices.push(keep_aside(OUTBOX_KEY, &raw, "The queue of unsent changes", &reason));
            let _ = write_text(OUTBOX_KEY, &Outbox::default().encode());
            Outbox::default()
        }
    }
}

pub fn save_outbox(outbox: &Outbox) -> Result<(), SaveError> {
    write_text(OUTBOX_KEY, &outbox.encode())
}

/// Loads the drafts. Drafts of another format are kept aside, never dropped.
pub fn load_drafts(notices: &mut Vec<String>) -> Drafts {
    let Some(raw) = read_text(DRAFTS_KEY) else {
        return Drafts::default();
    };
    match Drafts::decode(&raw) {
        Ok((drafts, rejected)) if rejected.is_empty() => drafts,
        Ok((drafts, rejected)) => {
            let what = format!("{} saved draft(s)", rejected.len());
            notices.push(keep_aside(
                DRAFTS_KEY,
                &Value::Array(rejected).to_string(),
                &what,
                "unknown format",
            ));
            let _ = save_drafts(&drafts);
            drafts
        }
        Err(reason) => {
            notices.push(keep_aside(DRAFTS_KEY, &raw, "Saved drafts", &reason));
            let _ = write_text(DRAFTS_KEY, &Drafts::default().encode());
            Drafts::default()
        }
    }
}

pub fn save_drafts(drafts: &Drafts) -> Result<(), SaveError> {
    write_text(DRAFTS_KEY, &drafts.encode())
}

/// Returns the list as last loaded from the server, if this browser has one.
pub fn load_server_cache() -> Option<Vec<StoredConfig>> {
    match decode(&read_text(SERVER_CACHE_KEY)?) {
        Decoded::Items { items, .. } => Some(items),
        Decoded::Unreadable(_) => None,
    }
}

/// Keeps the server's list for offline use. A full quota only costs the offline copy.
pub fn save_server_cache(items: &[StoredConfig]) {
    let _ = write_text(SERVER_CACHE_KEY, &encode(items));
}
