//! Offline work: drafts that survive reloads and crashes, and the outbox of changes waiting for the
//! admin server. The queue and merge logic is pure and tested natively; `browser` reads and writes
//! it in `localStorage`.

pub mod drafts;
pub mod merge;
pub mod outbox;
pub mod store;
