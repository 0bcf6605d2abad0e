//! The emit stage: IR → tokens, one file per kind. No I/O here: [`crate::write`] formats and
//! writes what these functions return.

pub mod blocks;
pub mod docs;
pub mod events;
pub mod interactions;
pub mod methods;

pub use methods::{common_errors_file, dispatch_file, features_toml, method, methods_mod_file, mod_file, objects_file};
