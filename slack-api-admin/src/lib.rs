//! The request, error and response types of Slack's `admin.*` methods (organisation and
//! workspace administration), generated from the spec in the repository's `spec/methods/`.
//!
//! Depend on [slack-api](https://github.com/slack-api-rs/slack-api) with its `admin` feature
//! (part of the default `full`), not on this crate: `slack-api` re-exports the family as
//! `slack_api::admin` beside the client that sends it, and its documentation is the one to
//! read. The family is a crate of its own for build time (see its manifest).

#![warn(missing_debug_implementations)]

mod generated;

pub use generated::*;
