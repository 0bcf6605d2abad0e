//! The data of [slack-api](https://github.com/slack-api-rs/slack-api): the shared objects,
//! Block Kit, events and interactivity payloads, the common errors, and the lenient decoding,
//! exact re-serialisation, wire encoding and validation that they and the methods' types
//! (`slack-api-methods`) rely on — everything that needs no HTTP stack.
//!
//! Depend on `slack-api`, not on this crate: `slack-api` re-exports all of it under the same
//! paths (`slack_api::block_kit::SectionBlock`, `slack_api::events::Event`, …) beside the
//! client, and its documentation is the one to read (links to the client from these pages
//! resolve there). The split exists for build time: this crate and the methods' compile side
//! by side with the HTTP and TLS stack instead of after it.

#![warn(missing_debug_implementations)]

pub mod block_kit;
pub mod events;
mod generated;
mod ids;
#[doc(hidden)]
pub mod lenient;
mod method;
pub mod mrkdwn;
mod object_checks;
pub mod redact;
#[doc(hidden)]
pub mod response;
mod types;
mod untyped;
pub mod wire;

pub use block_kit::{IntoJson, Json, JsonArg};
pub use generated::*;
pub use ids::{AppId, BotId, ChannelId, EnterpriseId, FileId, FunctionId, TeamId, UserId, UsergroupId};
pub use lenient::{Empty, Keyed, Thin};
pub use method::{
    ArgGroup, HttpMethod, Method, MethodError, MethodInfo, Page, Paginated, RateLimitTier, Response, TokenScopes,
    TokenType,
};
pub use response::{ResponseMetadata, UntypedResponse};
pub use types::{FileUpload, LaxInt, Scalar, Timestamp};
