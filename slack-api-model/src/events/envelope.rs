//! The Events API's outer payloads: `event_callback` (an event and who it is for),
//! `url_verification` (the handshake when a Request URL is set) and `app_rate_limited`.

use super::Event;
use crate::{AppId, EnterpriseId, TeamId, UserId};

payload_struct! {
    /// An installation an event is visible to (`authorizations[]` of an event callback).
    pub struct Authorization {
        "enterprise_id" => enterprise_id: EnterpriseId,
        "team_id" => team_id: TeamId,
        "user_id" => user_id: UserId,
        "is_bot" => is_bot: bool,
        "is_enterprise_install" => is_enterprise_install: bool,
    }
}

payload_struct! {
    /// `type: event_callback`: one event, with the workspace, app and delivery facts.
    ///
    /// Reference: <https://docs.slack.dev/apis/events-api/#callback-field>.
    pub struct EventCallback {
        /// Always `event_callback`.
        "type" => kind: String,
        /// The deprecated verification token (check signatures instead).
        "token" => token: String,
        "team_id" => team_id: TeamId,
        "enterprise_id" => enterprise_id: EnterpriseId,
        "api_app_id" => api_app_id: AppId,
        /// The event itself.
        "event" => event: Event,
        /// Unique across deliveries of one event: retries carry the same ID.
        "event_id" => event_id: String,
        /// When the event happened (Unix seconds).
        "event_time" => event_time: i64,
        /// One installation the event is visible to (Slack lists one; `apps.event.authorizations.list` gives all).
        "authorizations" => authorizations: Vec<Authorization>,
        "is_ext_shared_channel" => is_ext_shared_channel: bool,
        /// An opaque identifier of the event's context, for `apps.event.authorizations.list`.
        "event_context" => event_context: String,
        "context_team_id" => context_team_id: TeamId,
        "context_enterprise_id" => context_enterprise_id: EnterpriseId,
        /// Deprecated: users the event is visible to.
        "authed_users" => authed_users: Vec<UserId>,
        /// Deprecated: workspaces the event is visible to.
        "authed_teams" => authed_teams: Vec<TeamId>,
    }
}

payload_struct! {
    /// `type: url_verification`: answer with `challenge` to prove the Request URL is yours.
    pub struct UrlVerification {
        "type" => kind: String,
        "token" => token: String,
        "challenge" => challenge: String,
    }
}

payload_struct! {
    /// `type: app_rate_limited`: Slack dropped events for this workspace during a minute.
    pub struct AppRateLimited {
        "type" => kind: String,
        "token" => token: String,
        "team_id" => team_id: TeamId,
        "minute_rate_limited" => minute_rate_limited: i64,
        "api_app_id" => api_app_id: AppId,
    }
}

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

fn convert<T: serde::de::DeserializeOwned>(cb: &EventCallback) -> Result<T, serde_json::Value> {
    let v = serde_json::to_value(cb).unwrap_or(serde_json::Value::Null);
    serde_json::from_value(v.clone()).map_err(|_| v)
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
            _ => Self::Unknown(serde_json::to_value(&cb).unwrap_or(serde_json::Value::Null)),
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
