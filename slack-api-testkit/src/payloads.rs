//! Payloads Slack sends an app, typed, with defaults that fit together: one workspace
//! ([`TEAM_ID`]), one user ([`USER_ID`]) in one channel ([`CHANNEL_ID`]), the app's bot
//! ([`BOT_USER_ID`]), fresh event ids, trigger ids and timestamps, and `response_url`s that
//! point at the fake (see [`FakeSlack::responses`]).
//!
//! Each builder returns the payload's own type, so a test changes any field before sending:
//!
//! ```
//! # async fn run() {
//! use slack_api_testkit::FakeSlack;
//!
//! let slack = FakeSlack::start().await;
//! let mut cmd = slack.slash_command("/todo", "buy milk");
//! cmd.channel_id = Some("C0OTHER01".into());
//! # }
//! ```

use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::{Value, json};
use slack_api::events::{
    AppMentionEvent, BlockActions, BlockSuggestion, EventCallback, EventKind, FunctionExecutedEvent, GlobalShortcut, Interaction,
    MessageEvent, MessageShortcut, SlashCommand, ViewClosed, ViewSubmission,
};

use crate::FakeSlack;

/// The workspace every payload comes from.
pub const TEAM_ID: &str = "T0TEAM001";
/// The workspace's domain.
pub const TEAM_DOMAIN: &str = "fake-workspace";
/// The user who acts in every payload.
pub const USER_ID: &str = "U0USER001";
/// That user's name.
pub const USER_NAME: &str = "ada";
/// The channel payloads happen in.
pub const CHANNEL_ID: &str = "C0CHAN001";
/// That channel's name.
pub const CHANNEL_NAME: &str = "general";
/// The app.
pub const APP_ID: &str = "A0APP0001";
/// The app's bot user (what `auth.test` says for a bot token).
pub const BOT_USER_ID: &str = "U0BOT0001";
/// The app's bot.
pub const BOT_ID: &str = "B0BOT0001";

/// An event with its `event_callback` envelope: deref to the event to change its fields.
#[derive(Clone, Debug, PartialEq)]
pub struct EventPayload<E> {
    /// The event.
    pub event: E,
    /// The envelope (its `event` is left empty: the typed event above is sent in it).
    pub callback: EventCallback,
}

impl<E> std::ops::Deref for EventPayload<E> {
    type Target = E;
    fn deref(&self) -> &E {
        &self.event
    }
}

impl<E> std::ops::DerefMut for EventPayload<E> {
    fn deref_mut(&mut self) -> &mut E {
        &mut self.event
    }
}

impl<E: EventKind + Serialize> EventPayload<E> {
    /// The envelope with the event in it, as Slack posts it.
    pub fn to_json(&self) -> Value {
        let mut body = serde_json::to_value(&self.callback).unwrap_or_else(|_| json!({}));
        let mut event = serde_json::to_value(&self.event).unwrap_or_else(|_| json!({}));
        if let Some(e) = event.as_object_mut() {
            e.entry("type").or_insert_with(|| Value::String(E::TYPE.to_owned()));
        }
        if let Some(b) = body.as_object_mut() {
            b.insert("event".into(), event);
            b.insert("type".into(), Value::String("event_callback".into()));
        }
        body
    }
}

/// Decodes a builder's JSON into its payload type; the JSON is the builder's own, so a
/// failure is a defect of the builder, reported with the type's name.
fn typed<T: DeserializeOwned>(v: Value) -> T {
    match serde_json::from_value(v) {
        Ok(t) => t,
        Err(e) => panic!("slack-api-testkit built a {} that does not decode: {e}", std::any::type_name::<T>()),
    }
}

fn team() -> Value {
    json!({ "id": TEAM_ID, "domain": TEAM_DOMAIN })
}

fn user() -> Value {
    json!({ "id": USER_ID, "username": USER_NAME, "name": USER_NAME, "team_id": TEAM_ID })
}

impl FakeSlack {
    fn next(&self) -> u64 {
        self.shared.ids.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
    }

    /// A fresh message timestamp (`1700000000.000123`), later than every one before, the
    /// fake's `chat.postMessage` answers included.
    pub fn next_ts(&self) -> String {
        self.web.next_ts()
    }

    /// A fresh trigger id.
    pub fn next_trigger_id(&self) -> String {
        format!("1700000000.{}.fake{:08x}", self.next(), self.next())
    }

    /// A fresh `response_url` on the fake; what the app posts to it is in
    /// [`FakeSlack::responses`].
    pub fn next_response_url(&self) -> String {
        format!("http://{}/respond/{}", self.addr, self.next())
    }

    /// Any event, from its fields (its `type` is the event type's own): the envelope is
    /// filled in as for the other builders.
    ///
    /// # Panics
    ///
    /// When `fields` do not decode as `E`.
    pub fn event<E: EventKind + DeserializeOwned>(&self, fields: Value) -> EventPayload<E> {
        let mut fields = fields;
        if let Some(f) = fields.as_object_mut() {
            f.insert("type".into(), Value::String(E::TYPE.to_owned()));
        }
        let id = self.next();
        let callback = typed(json!({
            "token": "fake-verification-token", "team_id": TEAM_ID, "api_app_id": APP_ID, "type": "event_callback",
            "event_id": format!("Ev{id:08}"), "event_time": 1_700_000_000 + id,
            "authorizations": [{ "team_id": TEAM_ID, "user_id": BOT_USER_ID, "is_bot": true, "is_enterprise_install": false }],
            "is_ext_shared_channel": false,
        }));
        EventPayload { event: typed(fields), callback }
    }

    /// An `app_mention` of the bot by [`USER_ID`] in [`CHANNEL_ID`] (not in a thread; set
    /// `thread_ts` for one), with `text` after the mention.
    pub fn app_mention(&self, text: &str) -> EventPayload<AppMentionEvent> {
        let ts = self.next_ts();
        self.event(json!({
            "user": USER_ID, "text": format!("<@{BOT_USER_ID}> {text}"), "ts": ts, "channel": CHANNEL_ID, "event_ts": ts, "team": TEAM_ID,
        }))
    }

    /// A plain `message` from [`USER_ID`] in `channel`.
    pub fn message(&self, channel: &str, text: &str) -> EventPayload<MessageEvent> {
        let ts = self.next_ts();
        let kind = if channel.starts_with('D') { "im" } else { "channel" };
        self.event(json!({
            "user": USER_ID, "text": text, "ts": ts, "channel": channel, "channel_type": kind, "event_ts": ts, "team": TEAM_ID,
        }))
    }

    /// A `function_executed` event for the app's function `callback_id` with `inputs` (a JSON
    /// object), carrying a fresh workflow token (`xwfp-…`) that the fake accepts.
    pub fn function_executed(&self, callback_id: &str, inputs: Value) -> EventPayload<FunctionExecutedEvent> {
        let n = self.next();
        let ts = self.next_ts();
        self.event(json!({
            "function": { "id": format!("Fn{n:08}"), "callback_id": callback_id, "title": callback_id, "type": "app", "app_id": APP_ID },
            "inputs": inputs, "function_execution_id": format!("Fx{n:08}"), "workflow_execution_id": format!("Wx{n:08}"),
            "bot_access_token": format!("xwfp-fake-{n}"), "event_ts": ts,
        }))
    }

    /// A slash command run by [`USER_ID`] in [`CHANNEL_ID`], with a fresh trigger id and a
    /// `response_url` on the fake.
    pub fn slash_command(&self, command: &str, text: &str) -> SlashCommand {
        typed(json!({
            "token": "fake-verification-token", "team_id": TEAM_ID, "team_domain": TEAM_DOMAIN, "channel_id": CHANNEL_ID,
            "channel_name": CHANNEL_NAME, "user_id": USER_ID, "user_name": USER_NAME, "command": command, "text": text,
            "api_app_id": APP_ID, "is_enterprise_install": "false", "response_url": self.next_response_url(),
            "trigger_id": self.next_trigger_id(),
        }))
    }

    fn interaction(&self, kind: &str, fields: Value) -> Value {
        let mut v = json!({
            "type": kind, "token": "fake-verification-token", "team": team(), "user": user(), "api_app_id": APP_ID,
            "is_enterprise_install": false, "enterprise": null,
        });
        if let (Some(base), Value::Object(extra)) = (v.as_object_mut(), fields) {
            base.extend(extra);
        }
        v
    }

    /// A global shortcut `callback_id`, with a fresh trigger id.
    pub fn global_shortcut(&self, callback_id: &str) -> GlobalShortcut {
        typed(self.interaction("shortcut", json!({ "callback_id": callback_id, "trigger_id": self.next_trigger_id(), "action_ts": self.next_ts() })))
    }

    /// A message shortcut `callback_id` on the message `message_ts` of `channel`.
    pub fn message_shortcut(&self, callback_id: &str, channel: &str, message_ts: &str) -> MessageShortcut {
        typed(self.interaction("message_action", json!({
            "callback_id": callback_id, "trigger_id": self.next_trigger_id(), "action_ts": self.next_ts(),
            "message_ts": message_ts, "response_url": self.next_response_url(),
            "channel": { "id": channel, "name": CHANNEL_NAME },
            "message": { "type": "message", "user": USER_ID, "ts": message_ts, "text": "" },
        })))
    }

    /// A click on the button `action_id` (with `value`) of a new message in [`CHANNEL_ID`];
    /// [`FakeSlack::block_action_on`] names the message.
    pub fn block_action(&self, action_id: &str, value: &str) -> BlockActions {
        let ts = self.next_ts();
        self.block_action_on(CHANNEL_ID, &ts, action_id, value)
    }

    /// A click on the button `action_id` (with `value`) of the message `message_ts` in
    /// `channel`: the payload's `container`, `channel` and `message` name it.
    pub fn block_action_on(&self, channel: &str, message_ts: &str, action_id: &str, value: &str) -> BlockActions {
        typed(self.interaction("block_actions", json!({
            "trigger_id": self.next_trigger_id(), "response_url": self.next_response_url(),
            "container": { "type": "message", "message_ts": message_ts, "channel_id": channel, "is_ephemeral": false },
            "channel": { "id": channel, "name": CHANNEL_NAME },
            "message": { "type": "message", "user": BOT_USER_ID, "ts": message_ts, "text": "" },
            "actions": [{ "type": "button", "action_id": action_id, "block_id": "actions", "value": value,
                          "text": { "type": "plain_text", "text": value }, "action_ts": self.next_ts() }],
        })))
    }

    /// A submission of the modal `callback_id` whose inputs hold `values`, each
    /// `(block_id, action_id, value)` of a plain-text input.
    pub fn view_submission<'a>(&self, callback_id: &str, values: impl IntoIterator<Item = (&'a str, &'a str, &'a str)>) -> ViewSubmission {
        let mut state = serde_json::Map::new();
        for (block, action, value) in values {
            let entry = state.entry(block.to_owned()).or_insert_with(|| json!({}));
            entry[action] = json!({ "type": "plain_text_input", "value": value });
        }
        typed(self.interaction("view_submission", json!({
            "trigger_id": self.next_trigger_id(),
            "view": self.view_json(callback_id, Value::Object(state)),
            "response_urls": [],
        })))
    }

    /// The user closed the modal `callback_id` (sent only to views with `notify_on_close`).
    pub fn view_closed(&self, callback_id: &str) -> ViewClosed {
        typed(self.interaction("view_closed", json!({ "view": self.view_json(callback_id, json!({})), "is_cleared": false })))
    }

    fn view_json(&self, callback_id: &str, values: Value) -> Value {
        json!({
            "id": format!("V{:08}", self.next()), "team_id": TEAM_ID, "type": "modal", "callback_id": callback_id,
            "title": { "type": "plain_text", "text": "Modal" }, "blocks": [], "private_metadata": "",
            "state": { "values": values }, "hash": format!("{}.fake", self.next()), "app_id": APP_ID, "bot_id": BOT_ID,
        })
    }

    /// An options request of the external select `action_id`, the user having typed `value`.
    pub fn block_suggestion(&self, action_id: &str, value: &str) -> BlockSuggestion {
        typed(self.interaction("block_suggestion", json!({ "action_id": action_id, "block_id": "options", "value": value, "action_ts": self.next_ts() })))
    }
}

/// Something Slack sends an app: an event, a slash command or an interaction. Every payload
/// type of the builders converts into one.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub enum Delivery {
    /// An `event_callback` body (JSON).
    Event(Value),
    /// A slash command.
    Command(Box<SlashCommand>),
    /// An interactivity payload (JSON), with its `type`.
    Interaction(Value),
}

impl<E: EventKind + Serialize> From<EventPayload<E>> for Delivery {
    fn from(p: EventPayload<E>) -> Self {
        Delivery::Event(p.to_json())
    }
}

impl From<EventCallback> for Delivery {
    fn from(cb: EventCallback) -> Self {
        Delivery::Event(serde_json::to_value(cb).unwrap_or_else(|_| json!({})))
    }
}

impl From<SlashCommand> for Delivery {
    fn from(c: SlashCommand) -> Self {
        Delivery::Command(Box::new(c))
    }
}

impl From<Interaction> for Delivery {
    fn from(i: Interaction) -> Self {
        Delivery::Interaction(serde_json::to_value(i).unwrap_or_else(|_| json!({})))
    }
}

macro_rules! interaction {
    ($($ty:ty => $kind:literal),* $(,)?) => {$(
        impl From<$ty> for Delivery {
            fn from(p: $ty) -> Self {
                let mut v = serde_json::to_value(p).unwrap_or_else(|_| json!({}));
                if let Some(o) = v.as_object_mut() {
                    o.entry("type").or_insert_with(|| Value::String($kind.into()));
                }
                Delivery::Interaction(v)
            }
        }
    )*};
}

interaction! {
    BlockActions => "block_actions",
    BlockSuggestion => "block_suggestion",
    ViewSubmission => "view_submission",
    ViewClosed => "view_closed",
    GlobalShortcut => "shortcut",
    MessageShortcut => "message_action",
}

impl Delivery {
    /// The Socket Mode envelope type that carries it.
    pub(crate) fn socket_type(&self) -> &'static str {
        match self {
            Delivery::Event(_) => "events_api",
            Delivery::Command(_) => "slash_commands",
            Delivery::Interaction(_) => "interactive",
        }
    }

    /// The payload as Socket Mode carries it (a command as a JSON object of strings).
    pub(crate) fn to_json(&self) -> Value {
        match self {
            Delivery::Event(v) | Delivery::Interaction(v) => v.clone(),
            Delivery::Command(c) => serde_json::to_value(&**c).unwrap_or_else(|_| json!({})),
        }
    }

    /// The HTTP body and its content type, as Slack posts it.
    pub(crate) fn to_http(&self) -> (&'static str, String) {
        match self {
            Delivery::Event(v) => ("application/json", v.to_string()),
            Delivery::Command(c) => ("application/x-www-form-urlencoded", c.to_form()),
            Delivery::Interaction(v) => (
                "application/x-www-form-urlencoded",
                form_urlencoded::Serializer::new(String::new()).append_pair("payload", &v.to_string()).finish(),
            ),
        }
    }
}
