//! The Events API's outer payloads by `type`: `event_callback` (an event and who it is for),
//! `url_verification` (the handshake when a Request URL is set) and `app_rate_limited`. The
//! payload types themselves are generated from `spec/events/envelope/`; the union over them,
//! with its decoding for the common case, is here.

use super::{AppRateLimited, EventCallback, UrlVerification};

/// A JSON body the Events API posts to a Request URL, by `type`.
///
/// Almost every body is an `event_callback`, whose `type` Slack sends after `token`, `team_id`
/// and `api_app_id`; so the body is read straight into an [`EventCallback`] (no buffering) and
/// the rare other kinds are converted afterwards, losslessly.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub enum EventsApiPayload {
    EventCallback(Box<EventCallback>),
    UrlVerification(Box<UrlVerification>),
    AppRateLimited(Box<AppRateLimited>),
    /// A `type` this version does not know, kept whole.
    Unknown(serde_json::Value),
}

impl EventsApiPayload {
    /// The `type`.
    pub fn kind(&self) -> &str {
        match self {
            Self::EventCallback(_) => "event_callback",
            Self::UrlVerification(_) => "url_verification",
            Self::AppRateLimited(_) => "app_rate_limited",
            Self::Unknown(v) => v.get("type").and_then(serde_json::Value::as_str).unwrap_or(""),
        }
    }
}

/// The body read as an `event_callback`, read again as `T` (from its text, with the one
/// reader and serialiser every payload uses); the JSON as sent when it is not a `T`.
fn convert<T: serde::de::DeserializeOwned>(cb: &EventCallback) -> Result<T, serde_json::Value> {
    let text = serde_json::to_vec(cb).unwrap_or_default();
    serde_json::from_slice(&text).map_err(|_| serde_json::from_slice(&text).unwrap_or(serde_json::Value::Null))
}

impl super::tagged::TaggedUnion for EventsApiPayload {
    fn not_an_object(value: serde_json::Value) -> Result<Self, serde_json::Value> {
        Ok(Self::Unknown(value))
    }
    fn from_map<'de, A: serde::de::MapAccess<'de>>(buf: super::tagged::Buffered, map: &mut A) -> Result<Self, A::Error> {
        let cb: EventCallback = super::tagged::fill(buf, map)?;
        Ok(match cb.kind.as_deref() {
            Some("event_callback") => Self::EventCallback(Box::new(cb)),
            Some("url_verification") => convert(&cb).map_or_else(Self::Unknown, |v| Self::UrlVerification(Box::new(v))),
            Some("app_rate_limited") => convert(&cb).map_or_else(Self::Unknown, |v| Self::AppRateLimited(Box::new(v))),
            _ => Self::Unknown(crate::lenient::json_value(&cb).unwrap_or(serde_json::Value::Null)),
        })
    }
}

impl<'de> serde::Deserialize<'de> for EventsApiPayload {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        super::tagged::decode(d)
    }
}

impl serde::Serialize for EventsApiPayload {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Self::EventCallback(v) => v.serialize(s),
            Self::UrlVerification(v) => v.serialize(s),
            Self::AppRateLimited(v) => v.serialize(s),
            Self::Unknown(v) => v.serialize(s),
        }
    }
}
