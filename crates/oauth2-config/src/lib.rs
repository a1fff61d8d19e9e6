//! OAuth2 client configuration model and its validation.
//!
//! The page and the admin server both depend on this crate, so a draft is judged the same way in
//! the browser and on the server. [`validate`] turns a [`Draft`] of plain strings into a
//! [`Config`] built from parsed newtypes, or returns every problem at once, each tied to a
//! [`Field`] key and a stable [`Code`].
//!
//! The crate has no IO and no web or server dependency, and it builds for wasm32 and native.

mod client_id;
mod config;
mod draft;
mod endpoint;
mod field;
mod grant;
mod name;
mod problem;
mod scope;
mod secret;
mod text;

pub use client_id::ClientId;
pub use config::{validate, Config, Context, Validation};
pub use draft::Draft;
pub use endpoint::EndpointUrl;
pub use field::Field;
pub use grant::GrantType;
pub use name::Name;
pub use problem::{Code, Fix, Problem, Severity};
pub use scope::{Scope, Scopes};
pub use secret::{ClientSecret, SECRET_MASK};
