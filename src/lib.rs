//! OAuth2 Admin: a page, and a Yew component, that manage OAuth2 client configurations.
//!
//! [`ConfigManager`] is the root component. `main.rs` mounts it on the page; a Yew portal can
//! render it inside its own tree.

mod api;
mod app;
mod components;
mod dom;
mod embed;
pub mod state;
pub mod storage;
pub mod sync;

pub use app::{ConfigEvent, ConfigManager, ConfigManagerProps};
