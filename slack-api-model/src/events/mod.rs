//! The payloads Slack sends to an app: events and the Events API envelopes (generated from
//! `spec/events/`), interactivity payloads (generated from `spec/interactions/`) and slash
//! commands.
//! `slack_api::events` re-exports all of it beside the parts that receive them (verification,
//! the HTTP handler, deduplication, answering through a `response_url`).

/// An event type a listener can ask for: each event's struct (and [`MessageEvent`] for
/// `message`) knows its wire `type` and how to take itself out of an [`Event`].
///
/// ```
/// use slack_api::events::{AppMentionEvent, Event, EventKind};
///
/// let event: Event = serde_json::from_str(r#"{"type":"app_mention","user":"U1","text":"<@U0> hi","channel":"C1","ts":"1.2"}"#).unwrap();
/// assert_eq!(AppMentionEvent::TYPE, "app_mention");
/// let mention = AppMentionEvent::from_event(event).unwrap();
/// assert_eq!(mention.text.as_deref(), Some("<@U0> hi"));
/// ```
pub trait EventKind: Sized {
    /// The event's `type`, as sent.
    const TYPE: &'static str;
    /// The event itself if it is of this type, else the event given back.
    fn from_event(event: Event) -> Result<Self, Event>;
}

mod command;
mod envelope;
mod function;
mod interaction;
mod values;
pub(crate) mod tagged;

pub use crate::generated::event_types::*;
pub use crate::generated::interaction_types::*;
pub use command::{CommandError, SlashCommand};
pub use envelope::EventsApiPayload;
pub use function::InputError;
