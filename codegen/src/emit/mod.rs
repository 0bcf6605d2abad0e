//! The emit stage: IR → tokens, one file per kind. No I/O here: the writer (`write.rs`) formats and
//! writes what these functions return.

pub mod blocks;
pub mod common;
pub mod crates;
pub mod dispatch;
pub mod docs;
pub mod events;
pub mod interactions;
pub mod methods;
pub mod objects;
pub mod runtime;
pub mod testkit;

pub use runtime::Runtime;
pub use crates::{features_toml, methods_mod_file, mod_file};
pub use dispatch::dispatch_file;
pub use methods::{common_errors_file, method};
pub use objects::objects_file;
