//! The manager's actions (save, delete, resolve a conflict, autosave a draft) against either
//! browser storage or the admin server.

use std::cell::{Cell, RefCell};
use std::collections::HashMap;
use std::rc::Rc;

use oauth2_config::{ClientSecret, Draft, Problem};
use yew::platform::spawn_local;
use yew::prelude::*;

use super::ConfigEvent;
use crate::api::{ApiClient, ApiError, SecretChange};
use crate::components::{edit_button_id, input_id, Resolution, SaveRequest};
use crate::dom::{now_iso, tab_id};
use crate::state::list::{ConfigList, ListAction};
use crate::state::request::RequestState;
use crate::storage::SaveError;
use crate::storage::{decode, read_text, Decoded, LocalStore, SecretState, StoredConfig, STORAGE_KEY};
use crate::sync::drafts::{Drafts, SavedDraft, DRAFTS_KEY};
use crate::sync::outbox::{Change, EntryState, Outbox, SecretIntent, OUTBOX_KEY};
use crate::sync::store::{
    announce_server_change, load_drafts, load_outbox, load_server_cache, save_drafts, save_outbox, save_server_cache,
    CHANGED_KEY, SERVER_CACHE_KEY,
};

/// The storage behind the manager.
#[derive(Clone, Debug, PartialEq)]
pub enum Backend {
    Local(LocalStore),
    Server(ApiClient),
}

/// The screen the manager shows below its heading.
#[derive(Clone, Debug, PartialEq)]
pub enum View {
    Table,
    /// The form. `id` is chosen when the form opens, so a retried create reuses it. `revision` is
    /// the server revision the edit started from, and `offer` is an autosaved draft to restore.
    Form {
        id: String,
        existing: bool,
        revision: Option<u64>,
        offer: Option<Rc<SavedDraft>>,
    },
}

/// Whether the list has been loaded from the server.
#[derive(Clone, Debug, PartialEq)]
pub enum LoadState {
    Loading,
    Ready,
    /// The server is unreachable and the list shown is the one last loaded in this browser.
    Offline(String),
    Failed(String),
}

/// The host's callbacks.
#[derive(Clone)]
pub struct Events {
    pub on_saved: Callback<ConfigEvent>,
    pub on_deleted: Callback<ConfigEvent>,
    pub on_conflict: Callback<ConfigEvent>,
    pub on_error: Callback<ConfigEvent>,
}

impl Events {
    pub fn saved(&self, id: &str, name: &str) {
        self.on_saved.emit(ConfigEvent {
            id: id.to_owned(),
            name: name.to_owned(),
            message: String::new(),
        });
    }

    pub fn deleted(&self, id: &str, name: &str) {
        self.on_deleted.emit(ConfigEvent {
            id: id.to_owned(),
            name: name.to_owned(),
            message: String::new(),
        });
    }

    pub fn conflict(&self, id: &str, name: &str) {
        self.on_conflict.emit(ConfigEvent {
            id: id.to_owned(),
            name: name.to_owned(),
            message: String::new(),
        });
    }

    pub fn error(&self, id: &str, name: &str, message: &str) {
        self.on_error.emit(ConfigEvent {
            id: id.to_owned(),
            name: name.to_owned(),
            message: message.to_owned(),
        });
    }
}

/// Handles to the manager's state, shared by every action. Values that async work reads after an
/// `await` sit in `RefCell`s, because a state handle only contains the value of its render.
#[derive(Clone)]
pub struct Actions {
    pub backend: Backend,
    pub prefix: AttrValue,
    pub list: UseReducerHandle<ConfigList>,
    pub view: UseStateHandle<View>,
    pub load: UseStateHandle<LoadState>,
    pub request: UseStateHandle<RequestState>,
    pub server_problems: UseStateHandle<Rc<Vec<Problem>>>,
    pub conflict: UseStateHandle<Option<Rc<StoredConfig>>>,
    /// Whether `conflict` came from a queued change rather than a save made in this form.
    pub conflict_queued: UseStateHandle<bool>,
    pub status: UseStateHandle<String>,
    pub notices: UseStateHandle<Vec<String>>,
    pub auth_prompt: UseStateHandle<Option<Callback<()>>>,
    /// The element to focus after the next render, with a sequence number so that focusing the
    /// same element twice still runs the effect.
    pub focus_target: UseStateHandle<Option<(String, u64)>>,
    pub outbox: Rc<RefCell<Outbox>>,
    /// Secrets of queued changes, by configuration id. They are kept in memory only, so a reload loses them.
    pub secrets: Rc<RefCell<HashMap<String, ClientSecret>>>,
    pub drafts: Rc<RefCell<Drafts>>,
    pub replaying: Rc<Cell<bool>>,
    pub replay_timer: Rc<RefCell<Option<gloo::timers::callback::Timeout>>>,
    pub redraw: UseForceUpdateHandle,
    pub events: Events,
}

impl Actions {
    /// Loads the list from the server; when it is unreachable, shows the copy last loaded here.
    pub fn load(&self) {
        let Backend::Server(client) = &self.backend else { return };
        let (actions, client) = (self.clone(), client.clone());
        spawn_local(async move {
            match client.list().await {
                Ok(items) => {
                    save_server_cache(&items);
                    actions
                        .list
                        .dispatch(ListAction::Load(actions.with_queued_changes(items)));
                    actions.load.set(LoadState::Ready);
                    actions.replay();
                }
                Err(ApiError::Unauthorized) => {
                    let retry = actions.clone();
                    actions.auth_prompt.set(Some(Callback::from(move |_| retry.load())));
                }
                Err(error) if error.is_transient() => {
                    let cached = load_server_cache().unwrap_or_default();
                    actions
                        .list
                        .dispatch(ListAction::Load(actions.with_queued_changes(cached)));
                    actions.load.set(LoadState::Offline(error.message()));
                    actions.schedule_replay();
                }
                Err(error) => actions.load.set(LoadState::Failed(error.message())),
            }
        });
    }

    /// Returns the server's list with every queued change applied, as the admin last saw it.
    pub fn with_queued_changes(&self, items: Vec<StoredConfig>) -> Vec<StoredConfig> {
        let mut list = ConfigList { items };
        for entry in &self.outbox.borrow().entries {
            if let Change::Put {
                config,
                base_revision,
                secret,
            } = &entry.change
            {
                let previous = list
                    .find(&entry.config_id)
                    .map(|item| item.secret)
                    .unwrap_or(SecretState::None);
                let secret = match secret {
                    SecretIntent::Set => SecretState::Configured,
                    SecretIntent::Clear => SecretState::None,
                    SecretIntent::Keep => previous,
                };
                let item = StoredConfig {
                    id: entry.config_id.clone(),
                    config: config.clone(),
                    secret,
                    revision: *base_revision,
                    updated_at: now_iso(),
                };
                list = list.apply(ListAction::Upsert(item));
            }
        }
        list.items
    }

    pub fn open_form(&self, id: Option<String>) {
        self.request.set(RequestState::Idle);
        self.server_problems.set(Rc::default());
        self.conflict.set(None);
        let drafts = self.drafts.borrow();
        let view = match id.as_deref().and_then(|id| self.list.find(id)) {
            Some(item) => {
                let offer = drafts.newest_for(&item.id).cloned().map(Rc::new);
                View::Form {
                    id: item.id.clone(),
                    existing: true,
                    revision: item.revision,
                    offer,
                }
            }
            None => match drafts.newest_new() {
                Some(saved) => View::Form {
                    id: saved.config_id.clone(),
                    existing: false,
                    revision: None,
                    offer: Some(Rc::new(saved.clone())),
                },
                None => View::Form {
                    id: crate::dom::random_id(),
                    existing: false,
                    revision: None,
                    offer: None,
                },
            },
        };
        drop(drafts);
        // A queued change that ran into a conflict opens with the comparison.
        self.conflict_queued.set(false);
        if let Some(EntryState::Conflict { current }) = id
            .as_deref()
            .and_then(|id| self.outbox.borrow().find(id).map(|entry| entry.state.clone()))
        {
            self.conflict.set(Some(Rc::new(*current)));
            self.conflict_queued.set(true);
        }
        self.view.set(view);
    }

    /// Closes the form. Focus moves to the row's Edit button when the row exists (after a save, or
    /// when an edit is cancelled) and to Add OAuth2 otherwise. Drafts of the form are dropped.
    pub fn close_form(&self, saved: bool) {
        let target = match &*self.view {
            View::Form { id, existing, .. } => {
                self.drafts.borrow_mut().remove_all(id);
                let _ = save_drafts(&self.drafts.borrow());
                if saved || *existing {
                    edit_button_id(&self.prefix, id)
                } else {
                    input_id(&self.prefix, "add")
                }
            }
            View::Table => input_id(&self.prefix, "add"),
        };
        self.focus(target);
        self.conflict.set(None);
        self.view.set(View::Table);
    }

    /// Keeps this tab's autosaved draft of the open form; `None` removes it.
    pub fn autosave(&self, draft: Option<Draft>) {
        let View::Form {
            id, existing, revision, ..
        } = &*self.view
        else {
            return;
        };
        let mut drafts = self.drafts.borrow_mut();
        match draft {
            Some(draft) => drafts.upsert(SavedDraft {
                config_id: id.clone(),
                existing: *existing,
                tab_id: tab_id(),
                base_revision: *revision,
                draft,
                saved_at_ms: js_sys::Date::now(),
            }),
            None => drafts.remove_own(id, &tab_id()),
        }
        if let Err(error) = save_drafts(&drafts) {
            self.request.set(RequestState::Failed {
                message: format!("The draft could not be autosaved: {}", error.message()),
                retryable: false,
            });
        }
    }

    /// Restores an autosaved draft: the edit continues from the revision the draft started from.
    pub fn restore_draft(&self) {
        let View::Form {
            id,
            existing,
            revision,
            offer: Some(offer),
        } = (*self.view).clone()
        else {
            return;
        };
        let revision = if existing {
            offer.base_revision.or(revision)
        } else {
            None
        };
        self.view.set(View::Form {
            id,
            existing,
            revision,
            offer: None,
        });
    }

    /// Drops the autosaved drafts of the open form.
    pub fn discard_draft(&self) {
        let View::Form {
            id, existing, revision, ..
        } = (*self.view).clone()
        else {
            return;
        };
        self.drafts.borrow_mut().remove_all(&id);
        let _ = save_drafts(&self.drafts.borrow());
        self.view.set(View::Form {
            id,
            existing,
            revision,
            offer: None,
        });
    }

    pub fn save(&self, request: SaveRequest) {
        let View::Form { id, revision, .. } = (*self.view).clone() else {
            return;
        };
        let revision = request.base_revision.or(revision);
        if request.base_revision.is_some() {
            self.conflict.set(None);
            self.forget_conflict(&id);
        }
        match &self.backend {
            Backend::Local(store) => self.save_locally(store, id, request),
            Backend::Server(client) => self.save_to_server(client.clone(), id, revision, request),
        }
    }

    fn save_locally(&self, store: &LocalStore, id: String, request: SaveRequest) {
        let previous = self.list.find(&id).map(|item| item.secret).unwrap_or(SecretState::None);
        let secret = match request.secret {
            SecretChange::Set(_) => SecretState::NotStored,
            SecretChange::Clear => SecretState::None,
            SecretChange::Keep => previous,
        };
        let name = request.config.name.as_str().to_owned();
        let item = StoredConfig {
            id,
            config: request.config,
            secret,
            revision: None,
            updated_at: now_iso(),
        };
        let next = self.list.apply(ListAction::Upsert(item.clone()));
        match store.save(&next.items) {
            Ok(()) => {
                self.events.saved(&item.id, &name);
                self.list.dispatch(ListAction::Upsert(item));
                self.status
                    .set(format!("Saved \u{201C}{name}\u{201D} in this browser only."));
                self.close_form(true);
            }
            Err(error) => {
                self.events.error(&item.id, &name, &error.message());
                self.request.set(RequestState::Failed {
                    message: error.message(),
                    retryable: false,
                });
            }
        }
    }

    fn save_to_server(&self, client: ApiClient, id: String, revision: Option<u64>, request: SaveRequest) {
        // A configuration with a queued change goes through the queue, so changes stay in order.
        if !is_online() || self.outbox.borrow().find(&id).is_some() {
            self.queue_save(id, revision, request, None);
            return;
        }
        let actions = self.clone();
        self.request.set(RequestState::Saving);
        self.server_problems.set(Rc::default());
        spawn_local(async move {
            match client.put(&id, &request.config, &request.secret, revision).await {
                Ok((item, warnings)) => {
                    let name = item.config.name.as_str().to_owned();
                    actions.events.saved(&item.id, &name);
                    // The offline copy follows the server, so a reload without network shows it.
                    save_server_cache(&actions.list.apply(ListAction::Upsert(item.clone())).items);
                    actions.list.dispatch(ListAction::Upsert(item));
                    announce_server_change();
                    actions.request.set(RequestState::Idle);
                    let noted = if warnings.is_empty() {
                        String::new()
                    } else {
                        format!(" with {} warning(s)", warnings.len())
                    };
                    actions
                        .status
                        .set(format!("Saved \u{201C}{name}\u{201D} to the server{noted}."));
                    actions.close_form(true);
                }
                Err(ApiError::Rejected(problems)) => {
                    let message = ApiError::Rejected(problems.clone()).message();
                    actions.server_problems.set(Rc::new(problems));
                    actions.request.set(RequestState::Failed {
                        message,
                        retryable: false,
                    });
                }
                Err(ApiError::Conflict(current)) => {
                    actions.events.conflict(&id, current.config.name.as_str());
                    actions.request.set(RequestState::Idle);
                    actions.conflict.set(Some(Rc::new(*current)));
                }
                Err(ApiError::Unauthorized) => {
                    actions.request.set(RequestState::Failed {
                        message: ApiError::Unauthorized.message(),
                        retryable: true,
                    });
                    let retry = actions.clone();
                    actions
                        .auth_prompt
                        .set(Some(Callback::from(move |_| retry.save(request.clone()))));
                }
                Err(error) if error.is_transient() => actions.queue_save(id, revision, request, Some(error)),
                Err(error) => {
                    let message = format!("Not saved to the server: {}", error.message());
                    actions.events.error(&id, request.config.name.as_str(), &message);
                    actions.request.set(RequestState::Failed {
                        message,
                        retryable: true,
                    });
                }
            }
        });
    }

    /// Puts a save in the outbox, shows it in the table and closes the form. If browser storage
    /// is full the form stays open with everything typed.
    fn queue_save(&self, id: String, revision: Option<u64>, request: SaveRequest, error: Option<ApiError>) {
        let secret = match &request.secret {
            SecretChange::Keep => SecretIntent::Keep,
            SecretChange::Set(_) => SecretIntent::Set,
            SecretChange::Clear => SecretIntent::Clear,
        };
        let change = Change::Put {
            config: request.config.clone(),
            base_revision: revision,
            secret,
        };
        // A save the server failed counts as the first attempt, so the replay waits out the
        // backoff and any Retry-After instead of sending the same request again at once.
        let stored = self.update_outbox(|outbox| {
            outbox.enqueue(&id, change);
            if let Some(error) = &error {
                outbox.record_failure(
                    &id,
                    error.message(),
                    js_sys::Date::now(),
                    js_sys::Math::random(),
                    error.retry_after_ms(),
                );
            }
        });
        if let Err(storage_error) = stored {
            let message = format!(
                "Not saved: the change could not be queued in this browser. {}",
                storage_error.message()
            );
            self.request.set(RequestState::Failed {
                message,
                retryable: true,
            });
            return;
        }
        if let SecretChange::Set(value) = request.secret {
            self.secrets.borrow_mut().insert(id.clone(), value);
        }

        let items = self.with_queued_changes(self.list.items.clone());
        self.list.dispatch(ListAction::Load(items));
        self.request.set(RequestState::Idle);
        let name = request.config.name.as_str();
        let reason = match error {
            Some(error) => error.message(),
            None if !is_online() => "This browser is offline.".to_owned(),
            None => "An earlier change to it is still waiting.".to_owned(),
        };
        self.status.set(format!(
            "\u{201C}{name}\u{201D} is saved in this browser and waiting to sync. {reason}"
        ));
        self.close_form(true);
        self.redraw.force_update();
        self.schedule_replay();
    }

    /// Acts on the admin's choice after a 412 conflict.
    pub fn resolve(&self, resolution: Resolution) {
        let (Some(current), View::Form { id, existing, .. }) = ((*self.conflict).clone(), (*self.view).clone()) else {
            return;
        };
        self.conflict.set(None);
        self.forget_conflict(&id);
        match resolution {
            Resolution::TakeTheirs => {
                let _ = self.update_outbox(|outbox| outbox.remove(&id));
                self.list.dispatch(ListAction::Upsert((*current).clone()));
                self.close_form(true);
            }
            Resolution::KeepEditing => {
                self.view.set(View::Form {
                    id,
                    existing,
                    revision: current.revision,
                    offer: None,
                });
            }
        }
    }

    /// Moves a queued change out of the conflict state, now that the admin is resolving it.
    fn forget_conflict(&self, id: &str) {
        let _ = self.update_outbox(|outbox| {
            let Some(entry) = outbox.find_mut(id) else { return };
            let EntryState::Conflict { current } = &entry.state else {
                return;
            };
            let revision = current.revision;
            if let Change::Put { base_revision, .. } = &mut entry.change {
                *base_revision = revision;
            }
            entry.state = EntryState::Pending;
        });
    }

    pub fn delete(&self, id: String) {
        let Some(item) = self.list.find(&id).cloned() else {
            return;
        };
        let name = item.config.name.as_str().to_owned();
        self.focus(input_id(&self.prefix, "add"));
        match &self.backend {
            Backend::Local(store) => {
                let next = self.list.apply(ListAction::Remove(id.clone()));
                match store.save(&next.items) {
                    Ok(()) => {
                        self.events.deleted(&id, &name);
                        self.list.dispatch(ListAction::Remove(id));
                        self.status.set(format!("Deleted \u{201C}{name}\u{201D}."));
                    }
                    Err(error) => {
                        self.events.error(&id, &name, &error.message());
                        self.notify(error.message());
                    }
                }
            }
            Backend::Server(_) => {
                let delete = Change::Delete {
                    name: name.clone(),
                    base_revision: item.revision,
                };
                if let Err(error) = self.update_outbox(|outbox| outbox.enqueue(&id, delete)) {
                    self.notify(format!("Not deleted: {}", error.message()));
                    return;
                }
                self.secrets.borrow_mut().remove(&id);
                self.status.set(format!("Deleting \u{201C}{name}\u{201D}\u{2026}"));
                self.redraw.force_update();
                self.replay();
            }
        }
    }

    /// Takes in what another tab wrote to browser storage under `key`.
    pub fn reload_from_storage(&self, key: Option<&str>) {
        let mut notices = Vec::new();
        match (key, &self.backend) {
            (Some(OUTBOX_KEY), Backend::Server(_)) => {
                let mut outbox = load_outbox(&mut notices);
                self.release_held_secrets(&mut outbox);
                *self.outbox.borrow_mut() = outbox;
                let items = self.with_queued_changes(self.list.items.clone());
                self.list.dispatch(ListAction::Load(items));
                self.schedule_replay();
            }
            (Some(CHANGED_KEY), Backend::Server(_)) => {
                self.load();
                return;
            }
            (Some(SERVER_CACHE_KEY), Backend::Server(_)) => {
                if let Some(items) = load_server_cache() {
                    self.list.dispatch(ListAction::Load(self.with_queued_changes(items)));
                }
            }
            (Some(STORAGE_KEY), Backend::Local(_)) => {
                if let Some(Decoded::Items { items, .. }) = read_text(STORAGE_KEY).map(|raw| decode(&raw)) {
                    self.list.dispatch(ListAction::Load(items));
                }
            }
            (Some(DRAFTS_KEY), _) => *self.drafts.borrow_mut() = load_drafts(&mut notices),
            _ => return,
        }
        if !notices.is_empty() {
            let mut all = (*self.notices).clone();
            all.extend(notices);
            self.notices.set(all);
        }
        self.redraw.force_update();
    }

    /// Applies `change` to the outbox as stored now, not to this tab's copy, so that entries
    /// another tab wrote in the meantime are kept; the result becomes this tab's copy. On a failed
    /// write nothing changes.
    pub fn update_outbox(&self, change: impl FnOnce(&mut Outbox)) -> Result<(), SaveError> {
        let mut notices = Vec::new();
        let mut outbox = load_outbox(&mut notices);
        self.release_held_secrets(&mut outbox);
        change(&mut outbox);
        save_outbox(&outbox)?;
        *self.outbox.borrow_mut() = outbox;
        self.redraw.force_update();
        Ok(())
    }

    /// Moves focus to the element with `id` after the next render.
    pub fn focus(&self, id: String) {
        let sequence = self.focus_target.as_ref().map_or(0, |(_, sequence)| sequence + 1);
        self.focus_target.set(Some((id, sequence)));
    }

    /// Reloads this tab's copy of the outbox from storage, without writing it.
    pub fn refresh_outbox(&self) {
        let mut notices = Vec::new();
        let mut outbox = load_outbox(&mut notices);
        self.release_held_secrets(&mut outbox);
        *self.outbox.borrow_mut() = outbox;
    }

    /// Sets which queued secrets this tab can send. The secret of a queued change lives only in the
    /// memory of the tab that queued it, so another tab marks it "secret needed" and the tab that
    /// has it sets it back to pending.
    fn release_held_secrets(&self, outbox: &mut Outbox) {
        let secrets = self.secrets.borrow();
        for entry in &mut outbox.entries {
            let sets_secret = matches!(
                entry.change,
                Change::Put {
                    secret: SecretIntent::Set,
                    ..
                }
            );
            let held = secrets.contains_key(&entry.config_id);
            if entry.state == EntryState::SecretNeeded && held {
                entry.state = EntryState::Pending;
            } else if sets_secret && !held && entry.state.is_sendable() {
                entry.state = EntryState::SecretNeeded;
            }
        }
    }

    pub fn notify(&self, message: String) {
        let mut notices = (*self.notices).clone();
        notices.push(message);
        self.notices.set(notices);
    }
}

/// Returns whether the browser believes it is online.
pub fn is_online() -> bool {
    web_sys::window()
        .map(|window| window.navigator().on_line())
        .unwrap_or(true)
}
