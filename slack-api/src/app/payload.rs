//! One receiving shape: what Slack sends an app, the same over HTTP and Socket Mode.

use crate::events::{Authorization, Event, EventCallback, Interaction, SlashCommand};
use crate::{ChannelId, EnterpriseId, TeamId, Timestamp, UserId};

/// A payload for the app, whichever transport brought it.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub enum Payload {
    /// An Events API event (`event_callback`).
    Event(Box<EventCallback>),
    /// A slash command.
    Command(Box<SlashCommand>),
    /// An interactivity payload: block actions, options requests, view submissions and
    /// closes, shortcuts.
    Interaction(Box<Interaction>),
}

impl Payload {
    /// What kind it is, for logs: the event's `type`, `command`, or the interaction's `type`.
    pub fn kind(&self) -> &str {
        match self {
            Payload::Event(cb) => cb.event.as_ref().map_or("event_callback", Event::kind),
            Payload::Command(_) => "command",
            Payload::Interaction(i) => i.kind(),
        }
    }

    /// The workflow step a payload belongs to: `(function_execution_id, bot_access_token)`.
    pub(crate) fn function_of(&self) -> (Option<&str>, Option<&str>) {
        match self {
            Payload::Event(cb) => match cb.event.as_ref() {
                Some(Event::FunctionExecuted(e)) => (e.function_execution_id.as_deref(), e.bot_access_token.as_deref()),
                _ => (None, None),
            },
            Payload::Interaction(i) => {
                let id = i.function_data().and_then(|f| f.execution_id.as_deref());
                (id, id.and(i.bot_access_token()))
            }
            Payload::Command(_) => (None, None),
        }
    }

    /// The workspace it came from.
    pub fn team_id(&self) -> Option<&TeamId> {
        match self {
            Payload::Event(cb) => cb.team_id.as_ref().or_else(|| first_authorization(cb)?.team_id.as_ref()),
            Payload::Command(c) => c.team_id.as_ref(),
            Payload::Interaction(i) => i.team_id(),
        }
    }

    /// The Enterprise Grid organisation it came from, if any.
    pub fn enterprise_id(&self) -> Option<&EnterpriseId> {
        match self {
            Payload::Event(cb) => cb.enterprise_id.as_ref().or_else(|| first_authorization(cb)?.enterprise_id.as_ref()),
            Payload::Command(c) => c.enterprise_id.as_ref(),
            Payload::Interaction(i) => i.enterprise_id(),
        }
    }

    /// The user who acted (the event's `user` where it names one).
    pub fn user_id(&self) -> Option<&UserId> {
        match self {
            Payload::Event(cb) => cb.event.as_ref().and_then(Event::user_id),
            Payload::Command(c) => c.user_id.as_ref(),
            Payload::Interaction(i) => i.user_id(),
        }
    }

    /// The conversation it happened in, where there is one.
    pub fn channel_id(&self) -> Option<&ChannelId> {
        match self {
            Payload::Event(cb) => cb.event.as_ref().and_then(Event::channel_id),
            Payload::Command(c) => c.channel_id.as_ref(),
            Payload::Interaction(i) => i.channel_id(),
        }
    }

    /// The `trigger_id` (valid for 3 seconds, to open a modal), for kinds that carry one.
    pub fn trigger_id(&self) -> Option<&str> {
        match self {
            Payload::Event(_) => None,
            Payload::Command(c) => c.trigger_id.as_deref(),
            Payload::Interaction(i) => i.trigger_id(),
        }
    }

    /// The `response_url`, for kinds that carry one.
    pub fn response_url(&self) -> Option<&str> {
        match self {
            Payload::Event(_) => None,
            Payload::Command(c) => c.response_url.as_deref(),
            Payload::Interaction(i) => i.response_url(),
        }
    }

    /// Whether the app is installed org-wide on an Enterprise Grid organisation.
    pub fn is_enterprise_install(&self) -> bool {
        match self {
            Payload::Event(cb) => first_authorization(cb).and_then(|a| a.is_enterprise_install).unwrap_or(false),
            Payload::Command(c) => c.is_enterprise_install == Some(true),
            Payload::Interaction(i) => i.is_enterprise_install().unwrap_or(false),
        }
    }

    /// The app's bot user in this workspace, where the payload says (an event's
    /// `authorizations` entry for the bot).
    pub fn bot_user_id(&self) -> Option<&UserId> {
        match self {
            Payload::Event(cb) => cb
                .authorizations
                .as_ref()
                .and_then(|a| a.iter().find(|a| a.is_bot == Some(true)))
                .and_then(|a| a.user_id.as_ref()),
            _ => None,
        }
    }

    /// The message the payload is about, for a reply in its thread: `(ts, thread_ts)`.
    pub(crate) fn message_ts(&self) -> (Option<&Timestamp>, Option<&Timestamp>) {
        match self {
            Payload::Event(cb) => match cb.event.as_ref() {
                Some(e) => (e.ts(), e.thread_ts()),
                None => (None, None),
            },
            Payload::Command(_) => (None, None),
            Payload::Interaction(i) => (i.message_ts(), i.thread_ts()),
        }
    }
}

/// The installation an event names first in `authorizations` (Slack lists one).
fn first_authorization(cb: &EventCallback) -> Option<&Authorization> {
    cb.authorizations.as_ref()?.first()
}
