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

/// A struct of optional fields decoded leniently (a field of an unexpected shape is kept in
/// `extra`, never an error) and serialised back exactly, for the hand-written payload types.
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

/// A union of payload structs told apart by a tag field; an unknown tag keeps the object whole.
macro_rules! payload_union {
    (
        $(#[$m:meta])*
        pub enum $name:ident by $tag:literal {
            $( $(#[$vm:meta])* $wire:literal => $variant:ident($ty:ty), )*
        }
    ) => {
        $(#[$m])*
        #[derive(Clone, Debug, PartialEq)]
        #[non_exhaustive]
        pub enum $name {
            $( $(#[$vm])* $variant(::std::boxed::Box<$ty>), )*
            /// A kind this version does not know, kept whole.
            Unknown(::serde_json::Value),
        }

        impl $name {
            /// The tag's value.
            pub fn kind(&self) -> &str {
                match self {
                    $( Self::$variant(_) => $wire, )*
                    Self::Unknown(v) => v.get($tag).and_then(::serde_json::Value::as_str).unwrap_or(""),
                }
            }
        }

        impl crate::events::tagged::TaggedUnion for $name {
            fn not_an_object(value: ::serde_json::Value) -> Result<Self, ::serde_json::Value> {
                Ok(Self::Unknown(value))
            }
            fn from_map<'de, A: ::serde::de::MapAccess<'de>>(mut buf: crate::events::tagged::Buffered, map: &mut A) -> Result<Self, A::Error> {
                let tag = crate::events::tagged::find_tag(map, $tag, &mut buf)?;
                Ok(match tag.as_deref() {
                    $( Some($wire) => Self::$variant(::std::boxed::Box::new(crate::events::tagged::fill(buf, map)?)), )*
                    _ => Self::Unknown(::serde_json::Value::Object(crate::events::tagged::rest(buf, map)?)),
                })
            }
        }

        impl<'de> ::serde::Deserialize<'de> for $name {
            fn deserialize<D: ::serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                crate::events::tagged::decode(d)
            }
        }

        impl ::serde::Serialize for $name {
            fn serialize<S: ::serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                match self {
                    $( Self::$variant(v) => ::serde::Serialize::serialize(v, s), )*
                    Self::Unknown(v) => ::serde::Serialize::serialize(v, s),
                }
            }
        }

        impl crate::lenient::Lenient for $name {
            fn lenient<'de, D: ::serde::Deserializer<'de>>(d: D) -> Result<crate::lenient::Got<Self>, D::Error> {
                crate::events::tagged::lenient(d)
            }
        }
    };
}

mod command;
mod dedupe;
mod envelope;
mod http;
mod interaction;
mod respond;
#[doc(hidden)]
pub mod tagged;
mod verify;
#[cfg(feature = "axum")]
pub mod axum;

pub use crate::generated::event_types::*;
pub use command::{CommandError, SlashCommand};
pub use dedupe::{DEFAULT_DEDUPE_TTL, Dedupe, DedupeFuture, MemoryDedupe, StateDedupe};
pub use envelope::{AppRateLimited, Authorization, EventCallback, EventsApiPayload, UrlVerification};
pub use http::{Answer, HttpError, HttpHandler, Incoming, RETRY_NUM_HEADER, RETRY_REASON_HEADER, Received};
pub use interaction::*;
pub use respond::{Responder, ResponseMessage, RespondError};
pub use verify::{
    Clock, DEFAULT_MAX_AGE, FixedClock, SIGNATURE_HEADER, SigningSecret, SystemClock, TIMESTAMP_HEADER, Verifier, VerifyError,
};
