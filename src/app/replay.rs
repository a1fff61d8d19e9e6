//! Replays the outbox to the admin server: in order, one request at a time, with exponential
//! backoff and jitter after failures, and again when the browser comes back online.

use std::rc::Rc;

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use yew::platform::spawn_local;
use yew::prelude::*;

use super::actions::{is_online, Actions, Backend, LoadState};
use crate::api::{ApiClient, ApiError, SecretChange};
use crate::state::list::ListAction;
use crate::sync::outbox::{Change, EntryState, SecretIntent};
use crate::sync::store::save_server_cache;

/// The result of replaying one entry.
enum Outcome {
    Done,
    /// Stop replaying for now: the server is unreachable.
    Stop,
    /// This entry needs the admin; go on with the next.
    Skip,
    /// The server rejected the admin token: stop until the token dialog retries.
    AwaitToken,
}

/// Runs `work` while this tab holds the Web Lock `oauth2-admin.outbox`, so two tabs never replay
/// at the same time. Browsers without Web Locks run it at once.
async fn locked(work: impl std::future::Future<Output = ()> + 'static) {
    let callback = Closure::once_into_js(move || {
        wasm_bindgen_futures::future_to_promise(async move {
            work.await;
            Ok(JsValue::UNDEFINED)
        })
    });
    let navigator = gloo::utils::window().navigator();
    let locks = js_sys::Reflect::get(&navigator, &"locks".into()).unwrap_or(JsValue::UNDEFINED);
    let request = js_sys::Reflect::get(&locks, &"request".into())
        .ok()
        .and_then(|request| request.dyn_into::<js_sys::Function>().ok());
    let promise = match request {
        Some(request) => request.call2(&locks, &"oauth2-admin.outbox".into(), &callback),
        None => callback.unchecked_ref::<js_sys::Function>().call0(&JsValue::NULL),
    };
    if let Ok(promise) = promise {
        let _ = wasm_bindgen_futures::JsFuture::from(js_sys::Promise::resolve(&promise)).await;
    }
}

impl Actions {
    /// Sends every due entry of the outbox, unless a replay is already running.
    pub fn replay(&self) {
        let Backend::Server(client) = &self.backend else { return };
        if self.replaying.get() || self.outbox.borrow().is_empty() {
            return;
        }
        self.replaying.set(true);
        let (actions, client) = (self.clone(), client.clone());
        spawn_local(async move {
            let worker = actions.clone();
            let awaiting_token = Rc::new(std::cell::Cell::new(false));
            let awaiting = awaiting_token.clone();
            locked(async move {
                loop {
                    // Another tab may have replayed or queued changes before this tab got the lock.
                    worker.refresh_outbox();
                    let Some(id) = worker.outbox.borrow().next_due(js_sys::Date::now()).map(str::to_owned) else {
                        break;
                    };
                    match worker.replay_one(&client, &id).await {
                        Outcome::Done | Outcome::Skip => continue,
                        Outcome::Stop => break,
                        Outcome::AwaitToken => {
                            awaiting.set(true);
                            break;
                        }
                    }
                }
            })
            .await;
            actions.replaying.set(false);
            save_server_cache(&actions.list.items);
            actions.redraw.force_update();
            // With a rejected token every request would fail the same way, so nothing is
            // scheduled; the token dialog, "Retry now" and the `online` event replay again.
            if awaiting_token.get() {
                actions.replay_timer.borrow_mut().take();
            } else {
                actions.schedule_replay();
            }
        });
    }

    /// Makes every queued change due now and replays, for "Retry now" and the `online` event.
    pub fn retry_now(&self) {
        let _ = self.update_outbox(|outbox| outbox.retry_now());
        self.replay();
        if matches!(*self.load, LoadState::Offline(_)) {
            self.load();
        }
    }

    /// Plans the next replay for when the earliest failed entry is due again.
    pub fn schedule_replay(&self) {
        let outbox = self.outbox.borrow();
        let next = outbox
            .entries
            .iter()
            .filter(|entry| entry.state.is_sendable())
            .map(|entry| entry.not_before_ms)
            .reduce(f64::min);
        drop(outbox);
        let Some(due) = next else {
            self.replay_timer.borrow_mut().take();
            return;
        };
        let delay = (due - js_sys::Date::now()).clamp(0.0, f64::from(u32::MAX)) as u32;
        let actions = self.clone();
        let timer = gloo::timers::callback::Timeout::new(delay, move || actions.replay());
        *self.replay_timer.borrow_mut() = Some(timer);
    }

    async fn replay_one(&self, client: &ApiClient, id: &str) -> Outcome {
        let Some(entry) = self.outbox.borrow().find(id).cloned() else {
            return Outcome::Skip;
        };
        self.set_state(id, EntryState::Sending);

        let result = match &entry.change {
            Change::Put {
                config,
                base_revision,
                secret,
            } => {
                let secret = match secret {
                    SecretIntent::Keep => SecretChange::Keep,
                    SecretIntent::Clear => SecretChange::Clear,
                    SecretIntent::Set => match self.secrets.borrow().get(id) {
                        Some(value) => SecretChange::Set(value.clone()),
                        None => {
                            self.set_state(id, EntryState::SecretNeeded);
                            return Outcome::Skip;
                        }
                    },
                };
                client
                    .put(id, config, &secret, *base_revision)
                    .await
                    .map(|(item, _)| Some(item))
            }
            Change::Delete { base_revision, .. } => {
                let revision = match base_revision {
                    Some(revision) => Ok(*revision),
                    None => client.get(id).await.map(|item| item.revision.unwrap_or_default()),
                };
                match revision {
                    Ok(revision) => client.delete(id, revision).await.map(|()| None),
                    Err(error) => Err(error),
                }
            }
        };

        match result {
            Ok(saved) => self.finish(id, &entry.change, saved),
            Err(ApiError::NotFound) if matches!(entry.change, Change::Delete { .. }) => {
                self.finish(id, &entry.change, None)
            }
            Err(ApiError::Conflict(current)) => {
                // Another tab or an earlier, lost response already stored this very change.
                let already_applied = matches!(&entry.change, Change::Put { config, secret, .. } if *config == current.config && *secret != SecretIntent::Set);
                if already_applied {
                    self.finish(id, &entry.change, Some(*current))
                } else {
                    self.events.conflict(id, entry.change.name());
                    self.set_state(id, EntryState::Conflict { current });
                    self.notify(format!("\u{201C}{}\u{201D} changed on the server while your change waited; open it to choose what to keep.", entry.change.name()));
                    Outcome::Skip
                }
            }
            Err(ApiError::Rejected(problems)) => {
                self.events
                    .error(id, entry.change.name(), &ApiError::Rejected(problems.clone()).message());
                self.set_state(id, EntryState::Rejected { problems });
                Outcome::Skip
            }
            Err(ApiError::Unauthorized) => {
                self.set_state(id, EntryState::Pending);
                let retry = self.clone();
                self.auth_prompt.set(Some(Callback::from(move |_| retry.retry_now())));
                Outcome::AwaitToken
            }
            Err(error) => {
                let random = js_sys::Math::random();
                let retry_after = error.retry_after_ms();
                let _ = self.update_outbox(|outbox| {
                    outbox.record_failure(id, error.message(), js_sys::Date::now(), random, retry_after)
                });
                if !is_online() || error.is_transient() {
                    Outcome::Stop
                } else {
                    Outcome::Skip
                }
            }
        }
    }

    /// Removes a replayed entry and shows the server's result.
    fn finish(&self, id: &str, change: &Change, saved: Option<crate::storage::StoredConfig>) -> Outcome {
        crate::sync::store::announce_server_change();
        let _ = self.update_outbox(|outbox| outbox.remove(id));
        self.secrets.borrow_mut().remove(id);
        match saved {
            Some(item) => self.list.dispatch(ListAction::Upsert(item)),
            None => self.list.dispatch(ListAction::Remove(id.to_owned())),
        }
        let verb = if matches!(change, Change::Delete { .. }) {
            self.events.deleted(id, change.name());
            "Deleted"
        } else {
            self.events.saved(id, change.name());
            "Saved"
        };
        self.status
            .set(format!("{verb} \u{201C}{}\u{201D} on the server.", change.name()));
        self.load.set(LoadState::Ready);
        self.redraw.force_update();
        Outcome::Done
    }

    fn set_state(&self, id: &str, state: EntryState) {
        let _ = self.update_outbox(|outbox| {
            if let Some(entry) = outbox.find_mut(id) {
                entry.state = state;
            }
        });
    }
}

/// Returns the rows' sync labels by configuration id, for the table.
pub fn sync_labels(actions: &Actions) -> Rc<Vec<(String, String, bool)>> {
    let outbox = actions.outbox.borrow();
    let labels = outbox
        .entries
        .iter()
        .map(|entry| {
            let deleting = matches!(entry.change, Change::Delete { .. });
            let label = if deleting {
                format!("deletion {}", entry.state.label())
            } else {
                entry.state.label()
            };
            (entry.config_id.clone(), label, deleting)
        })
        .collect();
    Rc::new(labels)
}
