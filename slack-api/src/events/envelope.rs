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

payload_union! {
    /// A JSON body the Events API posts to a Request URL, by `type`.
    pub enum EventsApiPayload by "type" {
        "event_callback" => EventCallback(EventCallback),
        "url_verification" => UrlVerification(UrlVerification),
        "app_rate_limited" => AppRateLimited(AppRateLimited),
    }
}
