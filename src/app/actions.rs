//! What the manager does when the admin saves, deletes or resolves a conflict, against either
//! browser storage or the admin server.

use std::cell::RefCell;
use std::rc::Rc;

use oauth2_config::Problem;
use yew::platform::spawn_local;
use yew::prelude::*;

use crate::api::{ApiClient, ApiError, SecretChange};
use crate::components::{edit_button_id, input_id, Resolution, SaveRequest};
use crate::dom::now_iso;
use crate::state::list::{ConfigList, ListAction};
use crate::state::request::RequestState;
use crate::storage::{LocalStore, SecretState, StoredConfig};

/// Where configurations are kept.
#[derive(Clone, Debug, PartialEq)]
pub enum Backend {
    Local(LocalStore),
    Server(ApiClient),
}

/// The screen the manager shows below its heading.
#[derive(Clone, Debug, PartialEq)]
pub enum View {
    Table,
    /// The form. `id` is chosen when the form opens, so a retried create reuses it; `revision`
    /// is the server revision the edit started from.
    Form { id: String, existing: bool, revision: Option<u64> },
}

/// Whether the list has been loaded from the server.
#[derive(Clone, Debug, PartialEq)]
pub enum LoadState {
    Loading,
    Ready,
    Failed(String),
}

/// Handles to the manager's state, shared by every action.
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
    pub last_request: Rc<RefCell<Option<SaveRequest>>>,
    pub status: UseStateHandle<String>,
    pub notices: UseStateHandle<Vec<String>>,
    pub auth_prompt: UseStateHandle<Option<Callback<()>>>,
    pub focus_target: UseStateHandle<Option<String>>,
}

impl Actions {
    /// Loads the list from the server. Browser storage was read when the manager mounted.
    pub fn load(&self) {
        let Backend::Server(client) = &self.backend else { return };
        let (actions, client) = (self.clone(), client.clone());
        self.load.set(LoadState::Loading);
        spawn_local(async move {
            match client.list().await {
                Ok(items) => {
                    actions.list.dispatch(ListAction::Load(items));
                    actions.load.set(LoadState::Ready);
                }
                Err(ApiError::Unauthorized) => {
                    let retry = actions.clone();
                    actions.auth_prompt.set(Some(Callback::from(move |_| retry.load())));
                }
                Err(error) => actions.load.set(LoadState::Failed(error.message())),
            }
        });
    }

    pub fn open_form(&self, id: Option<String>) {
        self.request.set(RequestState::Idle);
        self.server_problems.set(Rc::default());
        self.conflict.set(None);
        let view = match id.as_deref().and_then(|id| self.list.find(id)) {
            Some(item) => View::Form { id: item.id.clone(), existing: true, revision: item.revision },
            None => View::Form { id: crate::dom::random_id(), existing: false, revision: None },
        };
        self.view.set(view);
    }

    /// Closes the form. Focus moves to the row's Edit button when the row exists (after a save, or
    /// when an edit is cancelled) and to Add OAuth2 otherwise.
    pub fn close_form(&self, saved: bool) {
        let target = match &*self.view {
            View::Form { id, existing, .. } if saved || *existing => edit_button_id(&self.prefix, id),
            _ => input_id(&self.prefix, "add"),
        };
        self.focus_target.set(Some(target));
        self.conflict.set(None);
        self.view.set(View::Table);
    }

    pub fn save(&self, request: SaveRequest) {
        let View::Form { id, revision, .. } = (*self.view).clone() else { return };
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
        let item = StoredConfig { id, config: request.config, secret, revision: None, updated_at: now_iso() };
        let next = self.list.apply(ListAction::Upsert(item.clone()));
        match store.save(&next.items) {
            Ok(()) => {
                self.list.dispatch(ListAction::Upsert(item));
                self.status.set(format!("Saved \u{201C}{name}\u{201D} in this browser only."));
                self.close_form(true);
            }
            Err(error) => self.request.set(RequestState::Failed { message: error.message(), retryable: false }),
        }
    }

    fn save_to_server(&self, client: ApiClient, id: String, revision: Option<u64>, request: SaveRequest) {
        let actions = self.clone();
        self.request.set(RequestState::Saving);
        self.server_problems.set(Rc::default());
        *self.last_request.borrow_mut() = Some(request.clone());
        spawn_local(async move {
            match client.put(&id, &request.config, &request.secret, revision).await {
                Ok((item, warnings)) => {
                    let name = item.config.name.as_str().to_owned();
                    actions.list.dispatch(ListAction::Upsert(item));
                    actions.request.set(RequestState::Idle);
                    let noted = if warnings.is_empty() { String::new() } else { format!(" with {} warning(s)", warnings.len()) };
                    actions.status.set(format!("Saved \u{201C}{name}\u{201D} to the server{noted}."));
                    actions.close_form(true);
                }
                Err(ApiError::Rejected(problems)) => {
                    let message = ApiError::Rejected(problems.clone()).message();
                    actions.server_problems.set(Rc::new(problems));
                    actions.request.set(RequestState::Failed { message, retryable: false });
                }
                Err(ApiError::Conflict(current)) => {
                    actions.request.set(RequestState::Idle);
                    actions.conflict.set(Some(Rc::new(*current)));
                }
                Err(ApiError::Unauthorized) => {
                    actions.request.set(RequestState::Failed { message: ApiError::Unauthorized.message(), retryable: true });
                    let retry = actions.clone();
                    actions.auth_prompt.set(Some(Callback::from(move |_| retry.save(request.clone()))));
                }
                Err(error) => actions.request.set(RequestState::Failed {
                    message: format!("Not saved to the server: {} Your changes are still in the form.", error.message()),
                    retryable: true,
                }),
            }
        });
    }

    /// Acts on the admin's choice after a 412 conflict.
    pub fn resolve(&self, resolution: Resolution) {
        let (Some(current), View::Form { id, existing, .. }) = ((*self.conflict).clone(), (*self.view).clone()) else { return };
        self.conflict.set(None);
        match resolution {
            Resolution::TakeTheirs => {
                self.list.dispatch(ListAction::Upsert((*current).clone()));
                self.close_form(true);
            }
            Resolution::KeepEditing | Resolution::KeepMine => {
                let rebased = View::Form { id, existing, revision: current.revision };
                self.view.set(rebased.clone());
                let request = self.last_request.borrow().clone();
                if let (Resolution::KeepMine, Some(request), Backend::Server(client)) = (resolution, request, &self.backend) {
                    let View::Form { id, revision, .. } = rebased else { return };
                    self.save_to_server(client.clone(), id, revision, request);
                }
            }
        }
    }

    pub fn delete(&self, id: String) {
        let Some(item) = self.list.find(&id).cloned() else { return };
        let name = item.config.name.as_str().to_owned();
        self.focus_target.set(Some(input_id(&self.prefix, "add")));
        match &self.backend {
            Backend::Local(store) => {
                let next = self.list.apply(ListAction::Remove(id.clone()));
                match store.save(&next.items) {
                    Ok(()) => {
                        self.list.dispatch(ListAction::Remove(id));
                        self.status.set(format!("Deleted \u{201C}{name}\u{201D}."));
                    }
                    Err(error) => self.notify(error.message()),
                }
            }
            Backend::Server(client) => {
                let (actions, client) = (self.clone(), client.clone());
                spawn_local(async move {
                    match client.delete(&id, item.revision.unwrap_or_default()).await {
                        Ok(()) | Err(ApiError::NotFound) => {
                            actions.list.dispatch(ListAction::Remove(id));
                            actions.status.set(format!("Deleted \u{201C}{name}\u{201D} from the server."));
                        }
                        Err(ApiError::Conflict(current)) => {
                            actions.list.dispatch(ListAction::Upsert(*current));
                            actions.notify(format!(
                                "Not deleted: \u{201C}{name}\u{201D} was changed on the server after this page loaded it. The table now shows the server's version; delete again if you still want to."
                            ));
                        }
                        Err(ApiError::Unauthorized) => {
                            let retry = actions.clone();
                            actions.auth_prompt.set(Some(Callback::from(move |_| retry.delete(id.clone()))));
                        }
                        Err(error) => actions.notify(format!("Not deleted: {}", error.message())),
                    }
                });
            }
        }
    }

    fn notify(&self, message: String) {
        let mut notices = (*self.notices).clone();
        notices.push(message);
        self.notices.set(notices);
    }
}
