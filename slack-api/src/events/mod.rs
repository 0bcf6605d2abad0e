//! Receiving from Slack: events, interactivity and slash commands, over HTTP or Socket Mode.
//!
//! - [`Verifier`] checks `X-Slack-Signature` on the raw bytes before anything is parsed.
//! - [`Event`] is a union over every event Slack documents (generated from `spec/events/`),
//!   with [`MessageEvent`] over the message subtypes; unknown types and fields are kept, so a
//!   new event never fails a payload, and everything serialises back to the JSON it came from.
//! - [`EventCallback`], [`UrlVerification`] and [`AppRateLimited`] are the Events API envelopes;
//!   [`Interaction`] the interactivity payloads ([`BlockActions`], [`ViewSubmission`], …);
//!   [`SlashCommand`] the form-encoded slash command.
//! - [`HttpHandler`] turns `(headers, raw body)` into a verified, typed [`Incoming`] plus the
//!   answer to send, deduplicating retried deliveries through a [`Dedupe`] store.
//! - [`Responder`] answers through a `response_url` (ephemeral, in channel, replace, delete)
//!   without any token.
//!
//! ```
//! use slack_api::events::{Event, EventCallback, MessageEvent};
//!
//! let body = r#"{"type":"event_callback","team_id":"T1","event_id":"Ev1","event_time":1,
//!   "event":{"type":"message","channel":"C1","user":"U1","text":"hi","ts":"1.000100","brand_new_field":1}}"#;
//! let cb: EventCallback = serde_json::from_str(body).unwrap();
//! match cb.event.as_ref().unwrap() {
//!     Event::Message(MessageEvent::Plain(m)) => {
//!         assert_eq!(m.text.as_deref(), Some("hi"));
//!         assert_eq!(m.extra["brand_new_field"], 1); // kept, not lost
//!     }
//!     other => panic!("unexpected {}", other.kind()),
//! }
//! ```

#[doc(inline)]
pub use slack_api_model::events::*;

pub(crate) mod dedupe;
mod http;
mod respond;
mod verify;
#[cfg(feature = "axum")]
pub mod axum;

pub use dedupe::{DEFAULT_DEDUPE_TTL, Dedupe, DedupeFuture, MemoryDedupe, StateDedupe};
pub use http::{Answer, HttpError, HttpHandler, Incoming, RETRY_NUM_HEADER, RETRY_REASON_HEADER, Received};
pub use respond::{MAX_RESPOND_ANSWER_BYTES, RESPOND_TIMEOUT, RespondError, Responder, ResponseMessage};
pub use verify::{
    Clock, DEFAULT_MAX_AGE, FixedClock, SIGNATURE_HEADER, SigningSecret, SystemClock, TIMESTAMP_HEADER, Verifier, VerifyError,
};
