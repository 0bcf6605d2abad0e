//! The project's tooling as a library, so that tests can drive it. `main.rs` parses arguments.

pub mod doc_links;
pub mod fetch;
