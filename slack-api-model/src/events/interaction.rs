//! Interactivity payloads: what Slack sends when a user clicks a button, picks an option, submits
//! or closes a modal, or runs a shortcut. Each arrives as `payload=<JSON>` in a form-encoded POST
//! (over HTTP) or as an `interactive` envelope (over Socket Mode).
//!
//! Reference: <https://docs.slack.dev/reference/interaction-payloads>.

use std::collections::BTreeMap;

use serde::Deserializer;
use serde::de::Error as _;
use serde_json::Value;

use crate::lenient::{Got, Lenient};
use crate::objects::{File, Message, View};
use crate::{AppId, ChannelId, EnterpriseId, TeamId, Timestamp, UserId};

payload_struct! {
    /// The workspace of an interaction (`team`).
    pub struct TeamRef {
        "id" => id: TeamId,
        "domain" => domain: String,
        "enterprise_id" => enterprise_id: EnterpriseId,
        "enterprise_name" => enterprise_name: String,
    }
}

payload_struct! {
    /// The user who interacted (`user`).
    pub struct UserRef {
        "id" => id: UserId,
        "username" => username: String,
        "name" => name: String,
        "team_id" => team_id: TeamId,
    }
}

payload_struct! {
    /// The conversation an interaction happened in (`channel`).
    pub struct ChannelRef {
        "id" => id: ChannelId,
        "name" => name: String,
    }
}

payload_struct! {
    /// An option of a select menu, overflow menu, checkbox group or radio group.
    pub struct SelectedOption {
        /// The option's text object.
        "text" => text: Value,
        /// The option's value.
        "value" => value: String,
        "description" => description: Value,
        "url" => url: String,
    }
}

payload_struct! {
    /// A `button` was clicked.
    pub struct ButtonAction {
        "type" => kind: String, "action_id" => action_id: String, "block_id" => block_id: String, "action_ts" => action_ts: Timestamp,
        "text" => text: Value,
        /// The button's `value`.
        "value" => value: String,
        "style" => style: String,
        "url" => url: String,
        "confirm" => confirm: Value,
    }
}

payload_struct! {
    /// One option chosen: `static_select`, `external_select`, `overflow`, `radio_buttons`.
    pub struct SelectAction {
        "type" => kind: String, "action_id" => action_id: String, "block_id" => block_id: String, "action_ts" => action_ts: Timestamp,
        "selected_option" => selected_option: SelectedOption,
        "initial_option" => initial_option: SelectedOption,
        "placeholder" => placeholder: Value,
    }
}

payload_struct! {
    /// Several options chosen: `multi_static_select`, `multi_external_select`, `checkboxes`.
    pub struct MultiSelectAction {
        "type" => kind: String, "action_id" => action_id: String, "block_id" => block_id: String, "action_ts" => action_ts: Timestamp,
        "selected_options" => selected_options: Vec<SelectedOption>,
        "initial_options" => initial_options: Vec<SelectedOption>,
        "placeholder" => placeholder: Value,
    }
}

payload_struct! {
    /// `users_select`.
    pub struct UsersSelectAction {
        "type" => kind: String, "action_id" => action_id: String, "block_id" => block_id: String, "action_ts" => action_ts: Timestamp,
        "selected_user" => selected_user: UserId,
        "initial_user" => initial_user: UserId,
        "placeholder" => placeholder: Value,
    }
}

payload_struct! {
    /// `multi_users_select`.
    pub struct MultiUsersSelectAction {
        "type" => kind: String, "action_id" => action_id: String, "block_id" => block_id: String, "action_ts" => action_ts: Timestamp,
        "selected_users" => selected_users: Vec<UserId>,
        "initial_users" => initial_users: Vec<UserId>,
        "placeholder" => placeholder: Value,
    }
}

payload_struct! {
    /// `conversations_select`.
    pub struct ConversationsSelectAction {
        "type" => kind: String, "action_id" => action_id: String, "block_id" => block_id: String, "action_ts" => action_ts: Timestamp,
        "selected_conversation" => selected_conversation: ChannelId,
        "initial_conversation" => initial_conversation: ChannelId,
        "placeholder" => placeholder: Value,
    }
}

payload_struct! {
    /// `multi_conversations_select`.
    pub struct MultiConversationsSelectAction {
        "type" => kind: String, "action_id" => action_id: String, "block_id" => block_id: String, "action_ts" => action_ts: Timestamp,
        "selected_conversations" => selected_conversations: Vec<ChannelId>,
        "initial_conversations" => initial_conversations: Vec<ChannelId>,
        "placeholder" => placeholder: Value,
    }
}

payload_struct! {
    /// `channels_select`.
    pub struct ChannelsSelectAction {
        "type" => kind: String, "action_id" => action_id: String, "block_id" => block_id: String, "action_ts" => action_ts: Timestamp,
        "selected_channel" => selected_channel: ChannelId,
        "initial_channel" => initial_channel: ChannelId,
        "placeholder" => placeholder: Value,
    }
}

payload_struct! {
    /// `multi_channels_select`.
    pub struct MultiChannelsSelectAction {
        "type" => kind: String, "action_id" => action_id: String, "block_id" => block_id: String, "action_ts" => action_ts: Timestamp,
        "selected_channels" => selected_channels: Vec<ChannelId>,
        "initial_channels" => initial_channels: Vec<ChannelId>,
        "placeholder" => placeholder: Value,
    }
}

payload_struct! {
    /// `datepicker`: `selected_date` is `YYYY-MM-DD`.
    pub struct DatePickerAction {
        "type" => kind: String, "action_id" => action_id: String, "block_id" => block_id: String, "action_ts" => action_ts: Timestamp,
        "selected_date" => selected_date: String,
        "initial_date" => initial_date: String,
    }
}

payload_struct! {
    /// `timepicker`: `selected_time` is `HH:mm`.
    pub struct TimePickerAction {
        "type" => kind: String, "action_id" => action_id: String, "block_id" => block_id: String, "action_ts" => action_ts: Timestamp,
        "selected_time" => selected_time: String,
        "initial_time" => initial_time: String,
        "timezone" => timezone: String,
    }
}

payload_struct! {
    /// `datetimepicker`: `selected_date_time` is Unix seconds.
    pub struct DatetimePickerAction {
        "type" => kind: String, "action_id" => action_id: String, "block_id" => block_id: String, "action_ts" => action_ts: Timestamp,
        "selected_date_time" => selected_date_time: i64,
        "initial_date_time" => initial_date_time: i64,
    }
}

payload_struct! {
    /// A text value: `plain_text_input`, `email_text_input`, `url_text_input`, `number_input`
    /// (the number as typed).
    pub struct TextInputAction {
        "type" => kind: String, "action_id" => action_id: String, "block_id" => block_id: String, "action_ts" => action_ts: Timestamp,
        "value" => value: String,
    }
}

payload_struct! {
    /// `rich_text_input`: the value is a rich text block.
    pub struct RichTextInputAction {
        "type" => kind: String, "action_id" => action_id: String, "block_id" => block_id: String, "action_ts" => action_ts: Timestamp,
        "rich_text_value" => rich_text_value: Value,
    }
}

payload_struct! {
    /// `file_input`: the uploaded files.
    pub struct FileInputAction {
        "type" => kind: String, "action_id" => action_id: String, "block_id" => block_id: String, "action_ts" => action_ts: Timestamp,
        "files" => files: Vec<File>,
    }
}

payload_struct! {
    /// `workflow_button`.
    pub struct WorkflowButtonAction {
        "type" => kind: String, "action_id" => action_id: String, "block_id" => block_id: String, "action_ts" => action_ts: Timestamp,
        "text" => text: Value,
        "value" => value: String,
        "workflow" => workflow: Value,
    }
}

payload_union! {
    /// What an interactive element reports, by element `type`: an entry of `actions` in
    /// `block_actions`, or a value in a view's state.
    pub enum ElementAction by "type" {
        "button" => Button(ButtonAction),
        "static_select" => StaticSelect(SelectAction),
        "external_select" => ExternalSelect(SelectAction),
        "overflow" => Overflow(SelectAction),
        "radio_buttons" => RadioButtons(SelectAction),
        "multi_static_select" => MultiStaticSelect(MultiSelectAction),
        "multi_external_select" => MultiExternalSelect(MultiSelectAction),
        "checkboxes" => Checkboxes(MultiSelectAction),
        "users_select" => UsersSelect(UsersSelectAction),
        "multi_users_select" => MultiUsersSelect(MultiUsersSelectAction),
        "conversations_select" => ConversationsSelect(ConversationsSelectAction),
        "multi_conversations_select" => MultiConversationsSelect(MultiConversationsSelectAction),
        "channels_select" => ChannelsSelect(ChannelsSelectAction),
        "multi_channels_select" => MultiChannelsSelect(MultiChannelsSelectAction),
        "datepicker" => DatePicker(DatePickerAction),
        "timepicker" => TimePicker(TimePickerAction),
        "datetimepicker" => DatetimePicker(DatetimePickerAction),
        "plain_text_input" => PlainTextInput(TextInputAction),
        "email_text_input" => EmailTextInput(TextInputAction),
        "url_text_input" => UrlTextInput(TextInputAction),
        "number_input" => NumberInput(TextInputAction),
        "rich_text_input" => RichTextInput(RichTextInputAction),
        "file_input" => FileInput(FileInputAction),
        "workflow_button" => WorkflowButton(WorkflowButtonAction),
    }
}

impl ElementAction {
    /// The element's `action_id`.
    pub fn action_id(&self) -> Option<&str> {
        self.common("action_id")
    }

    /// The element's `block_id`.
    pub fn block_id(&self) -> Option<&str> {
        self.common("block_id")
    }

    fn common(&self, key: &str) -> Option<&str> {
        macro_rules! pick {
            ($($v:ident),*) => {
                match self {
                    $( Self::$v(a) => if key == "action_id" { a.action_id.as_deref() } else { a.block_id.as_deref() }, )*
                    Self::Unknown(v) => v.get(key).and_then(Value::as_str),
                }
            };
        }
        pick!(
            Button, StaticSelect, ExternalSelect, Overflow, RadioButtons, MultiStaticSelect, MultiExternalSelect, Checkboxes,
            UsersSelect, MultiUsersSelect, ConversationsSelect, MultiConversationsSelect, ChannelsSelect, MultiChannelsSelect,
            DatePicker, TimePicker, DatetimePicker, PlainTextInput, EmailTextInput, UrlTextInput, NumberInput, RichTextInput,
            FileInput, WorkflowButton
        )
    }
}

/// Objects keyed by string (`state.values`): typed when every value is.
impl<T: Lenient> Lenient for BTreeMap<String, T> {
    fn lenient<'de, D: Deserializer<'de>>(d: D) -> Result<Got<Self>, D::Error> {
        let value = <Value as serde::Deserialize>::deserialize(d)?;
        let Value::Object(map) = value else { return Ok(Got::Raw(value)) };
        let mut out = BTreeMap::new();
        for (k, v) in &map {
            match T::lenient(v.clone()).map_err(D::Error::custom)? {
                Got::Typed(t) => {
                    out.insert(k.clone(), t);
                }
                Got::Raw(_) => return Ok(Got::Raw(Value::Object(map))),
            }
        }
        Ok(Got::Typed(out))
    }
}

payload_struct! {
    /// A view's `state`: `values[block_id][action_id]` is what the input element holds.
    pub struct ViewState {
        "values" => values: BTreeMap<String, BTreeMap<String, ElementAction>>,
    }
}

impl ViewState {
    /// The value of the element `action_id` in block `block_id`.
    pub fn get(&self, block_id: &str, action_id: &str) -> Option<&ElementAction> {
        self.values.as_ref()?.get(block_id)?.get(action_id)
    }

    /// The typed state of a view (from its `state` field).
    pub fn of(view: &View) -> Option<ViewState> {
        serde_json::from_value(serde_json::to_value(view.state.as_ref()?).ok()?).ok()
    }
}

payload_struct! {
    /// `type: block_actions`: the user used interactive elements of a message, modal or Home tab.
    pub struct BlockActions {
        "type" => kind: String,
        "token" => token: String,
        "team" => team: TeamRef,
        "user" => user: UserRef,
        "api_app_id" => api_app_id: AppId,
        "enterprise" => enterprise: Value,
        "is_enterprise_install" => is_enterprise_install: bool,
        /// Where the elements are (`message`, `view`, …).
        "container" => container: Value,
        /// Valid for 3 seconds, to open a modal (`views.open`).
        "trigger_id" => trigger_id: String,
        "channel" => channel: ChannelRef,
        "message" => message: Message,
        "view" => view: View,
        "state" => state: ViewState,
        /// Answer through it with [`Responder`](struct.Responder.html).
        "response_url" => response_url: String,
        /// The elements used (usually one).
        "actions" => actions: Vec<ElementAction>,
        "hash" => hash: String,
        "app_unfurl" => app_unfurl: Value,
    }
}

payload_struct! {
    /// `type: block_suggestion`: an `external_select` asks for options; answer with
    /// [`Answer::options`](struct.Answer.html#method.options).
    pub struct BlockSuggestion {
        "type" => kind: String,
        "token" => token: String,
        "team" => team: TeamRef,
        "user" => user: UserRef,
        "api_app_id" => api_app_id: AppId,
        "enterprise" => enterprise: Value,
        "is_enterprise_install" => is_enterprise_install: bool,
        "container" => container: Value,
        "channel" => channel: ChannelRef,
        "message" => message: Message,
        "view" => view: View,
        "block_id" => block_id: String,
        "action_id" => action_id: String,
        /// What the user typed.
        "value" => value: String,
        "action_ts" => action_ts: Timestamp,
    }
}

payload_struct! {
    /// `type: view_submission`: a modal was submitted. Input values are in [`Self::state`].
    pub struct ViewSubmission {
        "type" => kind: String,
        "token" => token: String,
        "team" => team: TeamRef,
        "user" => user: UserRef,
        "api_app_id" => api_app_id: AppId,
        "enterprise" => enterprise: Value,
        "is_enterprise_install" => is_enterprise_install: bool,
        "trigger_id" => trigger_id: String,
        "view" => view: View,
        /// For modals with `response_url_enabled` inputs.
        "response_urls" => response_urls: Vec<Value>,
    }
}

impl ViewSubmission {
    /// The submitted values, typed per element.
    pub fn state(&self) -> Option<ViewState> {
        ViewState::of(self.view.as_ref()?)
    }
}

payload_struct! {
    /// `type: view_closed`: a modal with `notify_on_close` was closed.
    pub struct ViewClosed {
        "type" => kind: String,
        "token" => token: String,
        "team" => team: TeamRef,
        "user" => user: UserRef,
        "api_app_id" => api_app_id: AppId,
        "enterprise" => enterprise: Value,
        "is_enterprise_install" => is_enterprise_install: bool,
        "view" => view: View,
        /// Whether the whole modal stack was closed.
        "is_cleared" => is_cleared: bool,
    }
}

payload_struct! {
    /// `type: shortcut`: a global shortcut was run.
    pub struct GlobalShortcut {
        "type" => kind: String,
        "token" => token: String,
        "action_ts" => action_ts: Timestamp,
        "team" => team: TeamRef,
        "user" => user: UserRef,
        "api_app_id" => api_app_id: AppId,
        "enterprise" => enterprise: Value,
        "is_enterprise_install" => is_enterprise_install: bool,
        /// The shortcut's callback ID, as configured.
        "callback_id" => callback_id: String,
        "trigger_id" => trigger_id: String,
    }
}

payload_struct! {
    /// `type: message_action`: a message shortcut was run on a message.
    pub struct MessageShortcut {
        "type" => kind: String,
        "token" => token: String,
        "action_ts" => action_ts: Timestamp,
        "team" => team: TeamRef,
        "user" => user: UserRef,
        "api_app_id" => api_app_id: AppId,
        "enterprise" => enterprise: Value,
        "is_enterprise_install" => is_enterprise_install: bool,
        "callback_id" => callback_id: String,
        "trigger_id" => trigger_id: String,
        "response_url" => response_url: String,
        "message_ts" => message_ts: Timestamp,
        "channel" => channel: ChannelRef,
        "message" => message: Message,
    }
}

payload_union! {
    /// An interactivity payload, by `type`.
    pub enum Interaction by "type" {
        "block_actions" => BlockActions(BlockActions),
        "block_suggestion" => BlockSuggestion(BlockSuggestion),
        "view_submission" => ViewSubmission(ViewSubmission),
        "view_closed" => ViewClosed(ViewClosed),
        "shortcut" => Shortcut(GlobalShortcut),
        "message_action" => MessageAction(MessageShortcut),
    }
}

/// The interaction kinds typed here, in wire form.
pub const INTERACTION_TYPES: [&str; 6] =
    ["block_actions", "block_suggestion", "view_submission", "view_closed", "shortcut", "message_action"];

/// The element kinds whose actions and state values are typed here, in wire form.
pub const ELEMENT_TYPES: [&str; 24] = [
    "button", "static_select", "external_select", "overflow", "radio_buttons", "multi_static_select",
    "multi_external_select", "checkboxes", "users_select", "multi_users_select", "conversations_select",
    "multi_conversations_select", "channels_select", "multi_channels_select", "datepicker", "timepicker",
    "datetimepicker", "plain_text_input", "email_text_input", "url_text_input", "number_input", "rich_text_input",
    "file_input", "workflow_button",
];

impl Interaction {
    /// Decodes the `payload` field of a form-encoded interactivity request body.
    pub fn from_form(body: &[u8]) -> Result<Interaction, String> {
        let payload = form_urlencoded::parse(body)
            .find(|(k, _)| k == "payload")
            .map(|(_, v)| v.into_owned())
            .ok_or_else(|| "the form has no `payload` field".to_owned())?;
        serde_json::from_str(&payload).map_err(|e| format!("`payload` is not JSON: {e}"))
    }

    /// The `trigger_id`, for kinds that carry one (valid for 3 seconds, to open a modal).
    pub fn trigger_id(&self) -> Option<&str> {
        match self {
            Self::BlockActions(p) => p.trigger_id.as_deref(),
            Self::ViewSubmission(p) => p.trigger_id.as_deref(),
            Self::Shortcut(p) => p.trigger_id.as_deref(),
            Self::MessageAction(p) => p.trigger_id.as_deref(),
            _ => None,
        }
    }

    /// The `response_url`, for kinds that carry one.
    pub fn response_url(&self) -> Option<&str> {
        match self {
            Self::BlockActions(p) => p.response_url.as_deref(),
            Self::MessageAction(p) => p.response_url.as_deref(),
            _ => None,
        }
    }

    fn team(&self) -> Option<&TeamRef> {
        match self {
            Self::BlockActions(p) => p.team.as_ref(),
            Self::BlockSuggestion(p) => p.team.as_ref(),
            Self::ViewSubmission(p) => p.team.as_ref(),
            Self::ViewClosed(p) => p.team.as_ref(),
            Self::Shortcut(p) => p.team.as_ref(),
            Self::MessageAction(p) => p.team.as_ref(),
            Self::Unknown(_) => None,
        }
    }

    fn user(&self) -> Option<&UserRef> {
        match self {
            Self::BlockActions(p) => p.user.as_ref(),
            Self::BlockSuggestion(p) => p.user.as_ref(),
            Self::ViewSubmission(p) => p.user.as_ref(),
            Self::ViewClosed(p) => p.user.as_ref(),
            Self::Shortcut(p) => p.user.as_ref(),
            Self::MessageAction(p) => p.user.as_ref(),
            Self::Unknown(_) => None,
        }
    }

    fn view(&self) -> Option<&View> {
        match self {
            Self::BlockActions(p) => p.view.as_ref(),
            Self::BlockSuggestion(p) => p.view.as_ref(),
            Self::ViewSubmission(p) => p.view.as_ref(),
            Self::ViewClosed(p) => p.view.as_ref(),
            _ => None,
        }
    }

    fn message(&self) -> Option<&Message> {
        match self {
            Self::BlockActions(p) => p.message.as_ref(),
            Self::BlockSuggestion(p) => p.message.as_ref(),
            Self::MessageAction(p) => p.message.as_ref(),
            _ => None,
        }
    }

    /// The workspace it came from (`team.id`, else the user's `team_id`, else the view's).
    pub fn team_id(&self) -> Option<&TeamId> {
        self.team()
            .and_then(|t| t.id.as_ref())
            .or_else(|| self.user().and_then(|u| u.team_id.as_ref()))
            .or_else(|| self.view().and_then(|v| v.team_id.as_ref()))
    }

    /// The Enterprise Grid organisation it came from, if any (`team.enterprise_id`).
    pub fn enterprise_id(&self) -> Option<&EnterpriseId> {
        self.team().and_then(|t| t.enterprise_id.as_ref())
    }

    /// The user who interacted.
    pub fn user_id(&self) -> Option<&UserId> {
        self.user().and_then(|u| u.id.as_ref())
    }

    /// The conversation it happened in, for kinds that happen in one (a message's buttons, a
    /// message shortcut; not a modal or a global shortcut).
    pub fn channel_id(&self) -> Option<&ChannelId> {
        match self {
            Self::BlockActions(p) => p.channel.as_ref().and_then(|c| c.id.as_ref()),
            Self::BlockSuggestion(p) => p.channel.as_ref().and_then(|c| c.id.as_ref()),
            Self::MessageAction(p) => p.channel.as_ref().and_then(|c| c.id.as_ref()),
            _ => None,
        }
    }

    /// Whether the app is installed org-wide on an Enterprise Grid organisation.
    pub fn is_enterprise_install(&self) -> Option<bool> {
        match self {
            Self::BlockActions(p) => p.is_enterprise_install,
            Self::BlockSuggestion(p) => p.is_enterprise_install,
            Self::ViewSubmission(p) => p.is_enterprise_install,
            Self::ViewClosed(p) => p.is_enterprise_install,
            Self::Shortcut(p) => p.is_enterprise_install,
            Self::MessageAction(p) => p.is_enterprise_install,
            Self::Unknown(_) => None,
        }
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

    /// The timestamp of the message it is about (the message whose button was clicked, the
    /// message a shortcut ran on).
    pub fn message_ts(&self) -> Option<&Timestamp> {
        match self {
            Self::MessageAction(p) => p.message_ts.as_ref().or_else(|| p.message.as_ref().and_then(|m| m.ts.as_ref())),
            _ => self.message().and_then(|m| m.ts.as_ref()),
        }
    }

    /// The thread of the message it is about, if that message is in one.
    pub fn thread_ts(&self) -> Option<&Timestamp> {
        self.message().and_then(|m| m.thread_ts.as_ref())
    }
}
