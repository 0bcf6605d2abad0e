//! Interactivity payloads, the hand-written part: what is read across several fields or kinds.
//! The types themselves — [`Interaction`] and its kinds, [`ElementAction`], [`Container`],
//! [`ViewState`], the shared sub-objects — are generated from `spec/interactions/`, with the
//! accessors of a field that several kinds carry (`Interaction::trigger_id`, `response_url`,
//! `is_enterprise_install`, `team`, `user`, `container`, `function_data`, `bot_access_token`…;
//! `ElementAction::action_id`, `block_id`; `Container::channel_id`, `message_ts`, `thread_ts`).
//!
//! Reference: <https://docs.slack.dev/reference/interaction-payloads>.

use super::{ElementAction, Interaction, ViewState, ViewSubmission};
use crate::objects::View;
use crate::{ChannelId, EnterpriseId, TeamId, Timestamp, UserId};

impl ViewState {
    /// The value of the element `action_id` in block `block_id`.
    pub fn get(&self, block_id: &str, action_id: &str) -> Option<&ElementAction> {
        self.values.as_ref()?.get(block_id)?.get(action_id)
    }

    /// The typed state of a view (from its `state` field).
    pub fn of(view: &View) -> Option<ViewState> {
        // Through JSON text and the slice reader every payload is decoded with, so that no
        // second copy of the decoding (from a `serde_json::Value`) is compiled in.
        serde_json::from_slice(&serde_json::to_vec(view.state.as_ref()?).ok()?).ok()
    }
}

impl ViewSubmission {
    /// The submitted values, typed per element.
    pub fn state(&self) -> Option<ViewState> {
        ViewState::of(self.view.as_ref()?)
    }
}

impl Interaction {
    /// Decodes the `payload` field of a form-encoded interactivity request body.
    pub fn from_form(body: &[u8]) -> Result<Interaction, String> {
        let payload = form_urlencoded::parse(body)
            .find(|(k, _)| k == "payload")
            .map(|(_, v)| v.into_owned())
            .ok_or_else(|| "the form has no `payload` field".to_owned())?;
        serde_json::from_slice(payload.as_bytes()).map_err(|e| format!("`payload` is not JSON: {e}"))
    }

    /// The workspace it came from (`team.id`, else the user's `team_id`, else the view's).
    pub fn team_id(&self) -> Option<&TeamId> {
        self.team()
            .and_then(|t| t.id.as_ref())
            .or_else(|| self.user().and_then(|u| u.team_id.as_ref()))
            .or_else(|| self.view().and_then(|v| v.team_id.as_ref()))
    }

    /// The Enterprise Grid organisation it came from, if any (`team.enterprise_id`, else
    /// `enterprise.id`).
    pub fn enterprise_id(&self) -> Option<&EnterpriseId> {
        self.team().and_then(|t| t.enterprise_id.as_ref()).or_else(|| self.enterprise().and_then(|e| e.id.as_ref()))
    }

    /// The user who interacted.
    pub fn user_id(&self) -> Option<&UserId> {
        self.user().and_then(|u| u.id.as_ref())
    }

    /// The conversation it happened in, for kinds that happen in one (a message's elements, a
    /// message shortcut; not a modal or a global shortcut): `channel.id`, else the container's
    /// `channel_id` (which an ephemeral message's elements carry alone).
    pub fn channel_id(&self) -> Option<&ChannelId> {
        self.channel().and_then(|c| c.id.as_ref()).or_else(|| self.container().and_then(|c| c.channel_id()))
    }

    /// The `callback_id` listeners are matched by: a shortcut's own, or the view's for
    /// `view_submission`, `view_closed` and actions inside a modal.
    pub fn callback_id(&self) -> Option<&str> {
        match self {
            Self::Shortcut(p) => p.callback_id.as_deref(),
            Self::MessageAction(p) => p.callback_id.as_deref(),
            _ => self.view().and_then(|v| v.callback_id.as_deref()),
        }
    }

    /// The timestamp of the message it is about: the message whose elements were used (also
    /// an ephemeral one, or the one holding the attachment, from the container), the message a
    /// shortcut ran on.
    pub fn message_ts(&self) -> Option<&Timestamp> {
        let own = match self {
            Self::MessageAction(p) => p.message_ts.as_ref(),
            _ => None,
        };
        own.or_else(|| self.message().and_then(|m| m.ts.as_ref())).or_else(|| self.container().and_then(|c| c.message_ts()))
    }

    /// The thread of the message it is about, if that message is in one.
    pub fn thread_ts(&self) -> Option<&Timestamp> {
        self.message().and_then(|m| m.thread_ts.as_ref()).or_else(|| self.container().and_then(|c| c.thread_ts()))
    }
}
