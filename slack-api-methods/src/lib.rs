//! The request, error and response types of every Slack Web API method, one module per method
//! family (each behind its cargo feature), generated from the spec in the repository's
//! `spec/methods/`.
//!
//! Depend on [slack-api](https://github.com/slack-api-rs/slack-api), not on this crate:
//! `slack-api` re-exports every family under the same path (`slack_api::chat::…`) beside the
//! client that sends them, and its documentation is the one to read (links to the client from
//! these pages resolve there). The methods are a crate of their own for build time: they
//! compile beside the HTTP and TLS stack, and beside the code generation of `slack-api-model`
//! (the objects, Block Kit and events they use).

#![warn(missing_debug_implementations)]

mod generated;

// Empty when no family feature is on.
#[allow(unused_imports)]
pub use generated::*;
