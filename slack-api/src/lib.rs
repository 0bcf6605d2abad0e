//! A typed client for the whole Slack Web API.
//!
//! Every method has a request type (required arguments in `new`, optional ones as setters), an
//! error enum with one variant per documented code, and a response type; all are generated from
//! the reviewed spec in the repository's `spec/` directory. One generic [`Client::call`] sends
//! any of them.
//!
//! ```no_run
//! # async fn run() -> Result<(), Box<dyn std::error::Error>> {
//! use slack_api::block_kit::{ButtonElement, Mrkdwn, SectionBlock};
//! use slack_api::chat::{ChatPostMessageError, ChatPostMessageRequest};
//! use slack_api::{Client, Error};
//!
//! let client = Client::new("xoxb-your-bot-token")?;
//! let post = ChatPostMessageRequest::new("C0123456789")
//!     .text("Deploy finished") // the notification text
//!     .blocks([SectionBlock::new()
//!         .text(Mrkdwn::new("*Deploy finished* in 42 s"))
//!         .accessory(ButtonElement::new("Roll back").action_id("rollback"))]);
//! let posted = client.call(&post).await?;
//!
//! // Reply in the message's thread: its `ts` is a `Timestamp`, which `thread_ts` takes.
//! let reply = ChatPostMessageRequest::new("C0123456789").text("Logs are in #deploys");
//! match client.call(&reply.thread_ts(posted.ts.ok_or("no ts")?)).await {
//!     Ok(_) => println!("replied"),
//!     Err(Error::Api(e)) if e.error == ChatPostMessageError::ChannelNotFound => println!("no such channel"),
//!     Err(e) => return Err(e.into()),
//! }
//! # Ok(()) }
//! ```
//!
//! To depend on this crate, name its repository (the name `slack-api` on crates.io belongs to
//! another crate): `slack-api = { git = "https://github.com/slack-api-rs/slack-api" }`, with
//! `tokio = { version = "1", features = ["macros", "rt-multi-thread"] }` for the runtime.
//!
//! # In production
//!
//! ```no_run
//! # async fn run() -> Result<(), Box<dyn std::error::Error>> {
//! use std::time::Duration;
//! use slack_api::{Client, RateLimiter, RetryPolicy};
//! use slack_api::chat::ChatPostMessageRequest;
//! use slack_api::stream::TryStreamExt;
//! use slack_api::users::UsersListRequest;
//!
//! let client = Client::builder("xoxb-your-token")
//!     .retry_policy(RetryPolicy::default().max_attempts(5).max_total_wait(Duration::from_secs(120)))
//!     .rate_limiter(RateLimiter::new()) // share one per workspace
//!     .timeout(Duration::from_secs(20))
//!     .build()?;
//!
//! // Every member, page after page, one page in memory.
//! let mut members = std::pin::pin!(client.items(UsersListRequest::new().limit(200)));
//! while let Some(member) = members.try_next().await? {
//!     println!("{}", member.name.as_deref().unwrap_or_default());
//! }
//!
//! match client.call(&ChatPostMessageRequest::new("C0123456789").text("Deploy finished")).await {
//!     Ok(resp) => println!("posted at {:?}", resp.ts),
//!     Err(e) if e.is_retryable() => println!("try later ({:?}): {e}", e.retry_after()),
//!     Err(e) => return Err(e.into()),
//! }
//! # Ok(()) }
//! ```
//!
//! - Every call is bounded: 30 s per attempt ([`ClientBuilder::timeout`]) and 90 s for the
//!   call with its retries ([`RetryPolicy::call_timeout`]); answers larger than 64 MiB are
//!   refused as they stream in; redirects are reported, never followed.
//! - HTTP 429 waits for `Retry-After` (seconds, fractions or an HTTP date) and retries;
//!   connection failures, 503 and `service_unavailable` are retried for every method; other
//!   failures that may have taken effect are retried only for reads. See [`RetryPolicy`] for
//!   the defaults and why.
//! - [`RateLimiter`] (off by default) paces calls to each method's tier and `chat.postMessage`
//!   to one message per second per channel.
//! - [`Client::pages`] and [`Client::items`] stream cursor-paginated lists.
//! - [`Client::upload_file`] uploads a file in one call, streaming it.
//! - Each call runs in a `tracing` span `slack_api.call` (method, tier, attempt, outcome); the
//!   token and argument values are never logged, and credentials the spec marks secret show as
//!   `<redacted>` in every `Debug` and error ([`redact`]).
//! - [`Client::without_token`] serves the OAuth exchange (client credentials as HTTP Basic
//!   auth); [`TokenRotation`] renews a rotating token before it expires.
//!
//! # Method families
//!
//! Methods are grouped in modules by the first segment of their name (`admin`, `chat`, …), each
//! behind a cargo feature of the same name. The default feature `full` enables all of them; a
//! crate that calls a few families can set `default-features = false` and list those.
//!
//! # Answers
//!
//! A successful call returns the method's typed response. Every field is an `Option` (Slack may
//! leave any out, and a `null` reads as `None`); what this version does not type, or a value of
//! another shape than documented, stays in the type's `extra` map, so nothing is lost and
//! serialising an answer gives back the JSON it came from. A few types say how Slack sends
//! things: [`Timestamp`] keeps a `ts` exactly as written; shared objects ([`objects`]) are
//! [`Thin`] pointers that deref to their fields; objects keyed by data (emoji by name, settings
//! by user) are [`Keyed`] maps; [`LaxInt`] is an integer Slack sends as a number or as text;
//! [`Scalar`] is text, a number or a boolean where the kind follows something else in the
//! answer; a field that holds one of several kinds of JSON gets an enum of them (a workflow step
//! input's value is text, a form or rich text).
//!
//! # Errors
//!
//! [`Client::call`] returns [`Error`]: [`Error::Api`] when Slack answers `"ok": false` (the
//! method's typed error plus `needed`/`provided` scopes, warnings and metadata), and distinct
//! variants for HTTP errors without a Slack answer, bodies that do not decode, and transport
//! failures. Nothing panics on a malformed response.
//!
//! Descriptions in this documentation come from Slack's API reference
//! (<https://docs.slack.dev/reference/methods>).

#![warn(missing_debug_implementations)]

#[cfg(feature = "app")]
pub mod app;
#[cfg(feature = "chat")]
pub mod chat_stream;
#[cfg(feature = "oauth")]
mod rotation;
mod client;
mod decode;
pub mod events;
#[cfg(feature = "install")]
pub mod install;
mod error;
mod net;
mod pagination;
mod ratelimit;
mod request;
mod retry;
#[cfg(feature = "socket-mode")]
pub mod socket_mode;
pub mod state;
mod token;
#[cfg(feature = "files")]
mod upload;

/// Stream traits for [`Client::pages`] and [`Client::items`] (from `futures-util`).
pub mod stream {
    pub use futures_util::stream::{Stream, StreamExt, TryStreamExt};
}

// The data types live in `slack-api-model` (objects, Block Kit, events, the decoding they
// share) and `slack-api-methods` (the methods' requests, errors and responses), which build
// beside the HTTP stack; they are re-exported here under the same paths, and documented as this
// crate's own.
#[doc(inline)]
#[allow(unused_imports)] // no family feature on: nothing to re-export
pub use slack_api_methods::*;
#[doc(inline)]
pub use slack_api_model::*;
#[cfg(feature = "admin")]
#[doc(inline)]
pub use slack_api_admin::admin;

#[cfg(feature = "oauth")]
pub use rotation::{DEFAULT_REFRESH_MARGIN, RefreshedToken, TokenRotation};
pub use client::{Client, ClientBuilder, DEFAULT_ATTEMPT_TIMEOUT, DEFAULT_BASE_URL, DEFAULT_MAX_RESPONSE_BYTES};
pub use decode::decode_response;
pub use request::{EncodedRequest, encode_request};
pub use token::Token;
pub use error::{AnyError, AnyMethodError, ApiError, ConfigError, Error, SNIPPET_LEN, TimeoutKind};
pub use ratelimit::RateLimiter;
pub use net::install_crypto_provider;
pub use retry::RetryPolicy;
#[cfg(feature = "files")]
pub use upload::{FileToUpload, UploadError, UploadedFile};

/// The README's examples, compiled as doctests so that they stay true.
#[cfg(doctest)]
#[doc = include_str!("../../README.md")]
struct ReadmeDoctests;
