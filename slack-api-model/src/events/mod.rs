//! The payloads Slack sends to an app: events (generated from `spec/events/`), the Events API
//! envelopes, interactivity payloads (generated from `spec/interactions/`) and slash commands.
//! `slack_api::events` re-exports all of it beside the parts that receive them (verification,
//! the HTTP handler, deduplication, answering through a `response_url`).

/// A struct of optional fields decoded leniently (a field of an unexpected shape is kept in
/// `extra`, never an error) and serialised back exactly, for the hand-written Events API
/// envelopes (`envelope.rs`).
macro_rules! payload_struct {
    (
        $(#[$m:meta])*
        pub struct $name:ident {
            $( $(#[$fm:meta])* $wire:literal => $field:ident : $ty:ty, )*
        }
    ) => {
        $(#[$m])*
        #[derive(Clone, Debug, Default, PartialEq)]
        #[non_exhaustive]
        pub struct $name {
            $( $(#[$fm])* pub $field: Option<$ty>, )*
            /// Every other field, as sent.
            pub extra: ::serde_json::Map<String, ::serde_json::Value>,
        }

        impl crate::lenient::Fields for $name {
            fn read_field<'de, A: ::serde::de::MapAccess<'de>>(&mut self, key: &str, map: &mut A) -> Result<(), A::Error> {
                match key {
                    $( $wire => crate::lenient::read::<$ty, A>(map, &mut self.$field, &mut self.extra, key)?, )*
                    _ => {
                        let value: ::serde_json::Value = map.next_value()?;
                        self.extra.insert(key.to_owned(), value);
                    }
                }
                Ok(())
            }
        }

        impl crate::lenient::Lenient for $name {
            fn lenient<'de, D: ::serde::Deserializer<'de>>(d: D) -> Result<crate::lenient::Got<Self>, D::Error> {
                crate::lenient::lenient_struct(d)
            }
        }

        impl<'de> ::serde::Deserialize<'de> for $name {
            fn deserialize<D: ::serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                crate::lenient::strict_struct(d)
            }
        }

        impl ::serde::Serialize for $name {
            fn serialize<S: ::serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                let mut out = crate::lenient::Writer::new(s)?;
                $( out.field($wire, &self.$field)?; )*
                out.finish(&self.extra)
            }
        }
    };
}

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
pub use envelope::{AppRateLimited, Authorization, EventCallback, EventsApiPayload, UrlVerification};
pub use function::InputError;
