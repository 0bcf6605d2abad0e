//! The context a listener gets: typed acknowledgements, `say`, `respond`, the client, the ids.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

use serde_json::{Value, json};
use tokio::sync::oneshot;

use super::error::AckError;
use super::payload::Payload;
use crate::block_kit::{OptionGroup, OptionObject, Validate, View};
use crate::chat::{ChatPostMessageError, ChatPostMessageRequest, ChatPostMessageResponse};
use crate::events::{RespondError, Responder, ResponseMessage};
use crate::{ChannelId, Client, EnterpriseId, Error, TeamId, Timestamp, UserId};

/// A reply that travels with the acknowledgement (the HTTP answer's body, or a Socket Mode
/// ack's `payload`). Which payload takes which reply:
///
/// | payload | replies |
/// |---|---|
/// | slash command | [`Ack::ephemeral`], [`Ack::in_channel`], [`Ack::message`] |
/// | `view_submission` | [`Ack::errors`], [`Ack::update`], [`Ack::push`], [`Ack::clear`] |
/// | `block_suggestion` (options of an external select) | [`Ack::options`], [`Ack::option_groups`] |
///
/// Every payload takes the empty acknowledgement ([`Cx::ack`]).
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub enum Ack {
    /// A message answering a slash command.
    Message(ResponseMessage),
    /// A view submission refused: the error text shown under each input block, by `block_id`.
    Errors(BTreeMap<String, String>),
    /// A view submission answered by replacing the modal.
    Update(Box<View>),
    /// A view submission answered by pushing a view onto the modal stack.
    Push(Box<View>),
    /// A view submission answered by closing every modal of the stack.
    Clear,
    /// The options of an external select.
    Options(Vec<OptionObject>),
    /// The options of an external select, in groups.
    OptionGroups(Vec<OptionGroup>),
}

impl Ack {
    /// A reply to a slash command seen only by the user who ran it.
    pub fn ephemeral(text: impl Into<String>) -> Self {
        Ack::Message(ResponseMessage::ephemeral(text))
    }

    /// A reply to a slash command posted in the conversation for everyone.
    pub fn in_channel(text: impl Into<String>) -> Self {
        Ack::Message(ResponseMessage::in_channel(text))
    }

    /// A reply to a slash command, with blocks or other fields.
    pub fn message(message: ResponseMessage) -> Self {
        Ack::Message(message)
    }

    /// Field errors of a view submission, by input `block_id`.
    ///
    /// ```
    /// use slack_api::app::Ack;
    /// let ack = Ack::errors([("title", "A title is needed")]);
    /// assert_eq!(ack.to_json()["errors"]["title"], "A title is needed");
    /// ```
    pub fn errors<K: Into<String>, V: Into<String>>(errors: impl IntoIterator<Item = (K, V)>) -> Self {
        Ack::Errors(errors.into_iter().map(|(k, v)| (k.into(), v.into())).collect())
    }

    /// Replace the submitted modal with `view`.
    pub fn update(view: impl Into<View>) -> Self {
        Ack::Update(Box::new(view.into()))
    }

    /// Push `view` onto the modal stack.
    pub fn push(view: impl Into<View>) -> Self {
        Ack::Push(Box::new(view.into()))
    }

    /// Close every modal of the stack.
    pub fn clear() -> Self {
        Ack::Clear
    }

    /// The options of an external select (`OptionObject::new("Label", "value")`).
    pub fn options(options: impl IntoIterator<Item = impl Into<OptionObject>>) -> Self {
        Ack::Options(options.into_iter().map(Into::into).collect())
    }

    /// The options of an external select, in groups.
    pub fn option_groups(groups: impl IntoIterator<Item = OptionGroup>) -> Self {
        Ack::OptionGroups(groups.into_iter().collect())
    }

    /// The JSON Slack expects.
    pub fn to_json(&self) -> Value {
        use crate::block_kit::to_json_value as value;
        match self {
            Ack::Message(m) => m.to_json(),
            Ack::Errors(e) => json!({ "response_action": "errors", "errors": e }),
            Ack::Update(v) => json!({ "response_action": "update", "view": value(&**v) }),
            Ack::Push(v) => json!({ "response_action": "push", "view": value(&**v) }),
            Ack::Clear => json!({ "response_action": "clear" }),
            Ack::Options(o) => json!({ "options": value(o) }),
            Ack::OptionGroups(g) => json!({ "option_groups": value(g) }),
        }
    }

    fn name(&self) -> &'static str {
        match self {
            Ack::Message(_) => "message",
            Ack::Errors(_) => "errors",
            Ack::Update(_) => "update",
            Ack::Push(_) => "push",
            Ack::Clear => "clear",
            Ack::Options(_) => "options",
            Ack::OptionGroups(_) => "option_groups",
        }
    }

    /// Whether a payload of `kind` takes this reply.
    fn fits(&self, kind: ReplyKind) -> bool {
        matches!(
            (self, kind),
            (Ack::Message(_), ReplyKind::Command)
                | (Ack::Errors(_) | Ack::Update(_) | Ack::Push(_) | Ack::Clear, ReplyKind::ViewSubmission)
                | (Ack::Options(_) | Ack::OptionGroups(_), ReplyKind::Options)
        )
    }

    fn validate(&self) -> Result<(), AckError> {
        let checked = match self {
            Ack::Update(v) | Ack::Push(v) => v.validate(),
            Ack::Options(o) => o.validate(),
            Ack::OptionGroups(g) => g.validate(),
            _ => Ok(()),
        };
        checked.map_err(|v| AckError::Invalid(v.to_string()))
    }
}

/// Which replies a payload takes, and whether the framework has acknowledged it already.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ReplyKind {
    Command,
    ViewSubmission,
    Options,
    /// Acknowledged by the framework before the listener runs (no reply possible).
    None,
}

/// A message for [`Cx::say`]: text, or a whole `chat.postMessage` request (start from
/// [`Cx::message`] to keep the channel and thread).
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub enum Say {
    Text(String),
    Request(Box<ChatPostMessageRequest>),
}

impl From<&str> for Say {
    fn from(s: &str) -> Self {
        Say::Text(s.to_owned())
    }
}

impl From<String> for Say {
    fn from(s: String) -> Self {
        Say::Text(s)
    }
}

impl From<ChatPostMessageRequest> for Say {
    fn from(r: ChatPostMessageRequest) -> Self {
        Say::Request(Box::new(r))
    }
}

/// The ids of the payload, read once.
#[derive(Clone, Debug, Default)]
pub(crate) struct Ids {
    pub kind: String,
    pub team_id: Option<TeamId>,
    pub enterprise_id: Option<EnterpriseId>,
    pub user_id: Option<UserId>,
    pub channel_id: Option<ChannelId>,
    pub trigger_id: Option<String>,
    pub response_url: Option<String>,
    pub ts: Option<Timestamp>,
    pub thread_ts: Option<Timestamp>,
    pub bot_user_id: Option<UserId>,
    pub is_enterprise_install: bool,
    pub event_id: Option<String>,
    pub function_execution_id: Option<String>,
}

impl Ids {
    pub(crate) fn of(p: &Payload) -> Self {
        let (ts, thread_ts) = p.message_ts();
        let (function_execution_id, _) = p.function_of();
        Ids {
            kind: p.kind().to_owned(),
            team_id: p.team_id().cloned(),
            enterprise_id: p.enterprise_id().cloned(),
            user_id: p.user_id().cloned(),
            channel_id: p.channel_id().cloned(),
            trigger_id: p.trigger_id().map(str::to_owned),
            response_url: p.response_url().map(str::to_owned),
            ts: ts.cloned(),
            thread_ts: thread_ts.cloned(),
            bot_user_id: p.bot_user_id().cloned(),
            is_enterprise_install: p.is_enterprise_install(),
            event_id: match p {
                Payload::Event(cb) => cb.event_id.clone(),
                _ => None,
            },
            function_execution_id: function_execution_id.map(str::to_owned),
        }
    }
}

/// The ack's sender, shared by the listener's context and the deadline.
pub(crate) type AckSlot = Arc<Mutex<Option<oneshot::Sender<Option<Value>>>>>;

pub(crate) struct CxInner {
    pub client: Client,
    pub responder: Responder,
    pub ids: Ids,
    pub reply: ReplyKind,
    pub ack: AckSlot,
    pub matches: Vec<String>,
    pub extensions: Mutex<http::Extensions>,
    /// The payload's installation, with [`App::oauth`](super::App::oauth).
    #[cfg(feature = "install")]
    pub installation: Option<Arc<crate::install::Installation>>,
    /// The app's install flow (its store), for [`Cx::user_installation`].
    #[cfg(feature = "install")]
    pub flow: Option<crate::install::InstallFlow>,
}

/// The context of one payload, handed to its listener (and to middleware) with the typed
/// payload: acknowledge, answer, call Slack, read who and where. Cheap to clone; a clone
/// moved into a spawned task keeps working after the listener returns.
#[derive(Clone)]
pub struct Cx {
    pub(crate) inner: Arc<CxInner>,
}

impl std::fmt::Debug for Cx {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Cx").field("ids", &self.inner.ids).field("matches", &self.inner.matches).finish_non_exhaustive()
    }
}

impl Cx {
    /// Acknowledges the payload with an empty answer, at once (the HTTP answer or the Socket
    /// Mode ack leaves now, while the listener goes on). Slack wants it within 3 seconds.
    /// Payloads that take no reply (events, block actions, shortcuts, view closes) are
    /// acknowledged by the framework before the listener runs, and then this does nothing;
    /// so does a second call.
    pub fn ack(&self) {
        if let Some(tx) = self.take_ack() {
            let _ = tx.send(None);
        }
    }

    /// Acknowledges with a reply (see [`Ack`] for which payload takes which). A reply the
    /// payload does not take, or whose Block Kit breaks Slack's limits, is refused and nothing
    /// is sent (the framework then acknowledges empty when the listener ends).
    pub fn ack_with(&self, reply: Ack) -> Result<(), AckError> {
        if !reply.fits(self.inner.reply) {
            return Err(AckError::NotAccepted { reply: reply.name(), payload: self.inner.ids.kind.clone() });
        }
        reply.validate()?;
        let tx = self.take_ack().ok_or(AckError::AlreadyAcked)?;
        let _ = tx.send(Some(reply.to_json()));
        Ok(())
    }

    fn ack_slot(&self) -> std::sync::MutexGuard<'_, Option<oneshot::Sender<Option<Value>>>> {
        self.inner.ack.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// The acknowledgement's sender, once: whoever takes it acks (the listener, or the
    /// framework at the deadline).
    pub(crate) fn take_ack(&self) -> Option<oneshot::Sender<Option<Value>>> {
        self.ack_slot().take()
    }

    /// Whether the payload has been acknowledged (by the listener or the framework).
    pub fn is_acked(&self) -> bool {
        self.ack_slot().as_ref().is_none_or(|tx| tx.is_closed())
    }

    /// The client for this payload's workspace: the app's, or — for `function_executed` and
    /// interactions inside a workflow step — one sending the function's own
    /// `bot_access_token` over the same connection pool.
    pub fn client(&self) -> &Client {
        &self.inner.client
    }

    /// The installation the payload belongs to (its bot and user tokens, scopes, ids), when
    /// the app serves many workspaces ([`App::oauth`](super::App::oauth)); [`client`](Self::client)
    /// already carries its bot token. `None` for a single-workspace app.
    #[cfg(feature = "install")]
    pub fn installation(&self) -> Option<&crate::install::Installation> {
        self.inner.installation.as_deref()
    }

    /// The installation the payload's user made — their user token and scopes, when the app
    /// asks for user scopes — read from the store when called (the bot installation comes with
    /// every payload; this one only when a listener needs it). `Ok(None)` when the user never
    /// installed the app, or the app serves a single workspace.
    #[cfg(feature = "install")]
    pub async fn user_installation(&self) -> Result<Option<crate::install::Installation>, crate::install::StoreError> {
        let (Some(flow), Some(user), Some(installation)) = (&self.inner.flow, self.user_id(), &self.inner.installation) else {
            return Ok(None);
        };
        flow.store().find_installation(&installation.key(), Some(user)).await
    }

    /// A `chat.postMessage` request to the payload's conversation, in its thread where the
    /// payload is in one; add text, blocks… and pass it to [`say`](Self::say). `None` where
    /// the payload has no conversation (a global shortcut, a modal).
    pub fn message(&self) -> Option<ChatPostMessageRequest> {
        self.post_in(self.inner.ids.thread_ts.as_ref())
    }

    /// A `chat.postMessage` request answering in the thread of the payload's message: its
    /// thread if it is in one, else a new thread under it.
    pub fn thread_message(&self) -> Option<ChatPostMessageRequest> {
        let ids = &self.inner.ids;
        self.post_in(ids.thread_ts.as_ref().or(ids.ts.as_ref()))
    }

    /// A `chat.postMessage` request to the payload's conversation, in `thread` if given.
    fn post_in(&self, thread: Option<&Timestamp>) -> Option<ChatPostMessageRequest> {
        let req = ChatPostMessageRequest::new(self.inner.ids.channel_id.clone()?);
        Some(match thread {
            Some(t) => req.thread_ts(t.clone()),
            None => req,
        })
    }

    /// Posts to the payload's conversation (in its thread where it is in one): text, or a
    /// request from [`message`](Self::message). A payload without a conversation gives
    /// `Error::InvalidRequest`, nothing sent.
    pub async fn say(&self, message: impl Into<Say>) -> Result<ChatPostMessageResponse, Error<ChatPostMessageError>> {
        let req = match message.into() {
            Say::Request(r) => *r,
            Say::Text(t) => self.message().ok_or_else(|| no_channel(&self.inner.ids.kind))?.text(t),
        };
        self.inner.client.call(&req).await
    }

    /// Posts in the thread of the payload's message (its thread, or a new one under it): the
    /// reply to an `app_mention`, say.
    pub async fn reply(&self, text: impl Into<String>) -> Result<ChatPostMessageResponse, Error<ChatPostMessageError>> {
        let req = self.thread_message().ok_or_else(|| no_channel(&self.inner.ids.kind))?.text(text);
        self.inner.client.call(&req).await
    }

    /// A streamed answer ([`ChatStream`](crate::chat_stream::ChatStream)) in the thread of the
    /// payload's message — the assistant thread, or a new thread under a mention — addressed to
    /// the user who wrote it (`recipient_user_id`, `recipient_team_id`, which Slack requires
    /// outside IMs). Nothing is sent until the stream has content. A payload without a
    /// conversation gives `Error::InvalidRequest`.
    pub fn say_stream(&self) -> Result<crate::chat_stream::ChatStream, Error<crate::chat::ChatStartStreamError>> {
        let ids = &self.inner.ids;
        let (channel, thread) = match self.assistant_thread() {
            Some(t) => t,
            None => {
                let channel = ids.channel_id.clone().ok_or_else(|| no_channel(&ids.kind))?;
                let thread = ids.thread_ts.clone().or_else(|| ids.ts.clone()).ok_or_else(|| {
                    Error::InvalidRequest(format!("a `{}` payload has no message to answer in a thread", ids.kind))
                })?;
                (channel, thread)
            }
        };
        let mut start = crate::chat::ChatStartStreamRequest::new(channel).thread_ts(thread);
        if let Some(user) = &ids.user_id {
            start = start.recipient_user_id(user.clone());
        }
        if let Some(team) = &ids.team_id {
            start = start.recipient_team_id(team.as_str());
        }
        Ok(crate::chat_stream::ChatStream::new(self.inner.client.clone(), start))
    }

    /// Answers through the payload's `response_url` (slash commands, block actions, message
    /// shortcuts): `"text"` is an ephemeral message; see [`ResponseMessage`] for the others.
    pub async fn respond(&self, message: impl Into<ResponseMessage>) -> Result<(), RespondError> {
        let url = self
            .inner
            .ids
            .response_url
            .as_deref()
            .ok_or_else(|| RespondError::InvalidUrl(format!("a `{}` payload has no response_url", self.inner.ids.kind)))?;
        self.inner.responder.send(url, &message.into()).await
    }

    /// The payload's kind: the event's `type`, `command`, or the interaction's `type`.
    pub fn kind(&self) -> &str {
        &self.inner.ids.kind
    }

    /// The workspace the payload came from.
    pub fn team_id(&self) -> Option<&TeamId> {
        self.inner.ids.team_id.as_ref()
    }

    /// The Enterprise Grid organisation, if any.
    pub fn enterprise_id(&self) -> Option<&EnterpriseId> {
        self.inner.ids.enterprise_id.as_ref()
    }

    /// The user who acted.
    pub fn user_id(&self) -> Option<&UserId> {
        self.inner.ids.user_id.as_ref()
    }

    /// The conversation, where there is one.
    pub fn channel_id(&self) -> Option<&ChannelId> {
        self.inner.ids.channel_id.as_ref()
    }

    /// The `trigger_id` (to open a modal within 3 seconds), where there is one.
    pub fn trigger_id(&self) -> Option<&str> {
        self.inner.ids.trigger_id.as_deref()
    }

    /// The `response_url`, where there is one.
    pub fn response_url(&self) -> Option<&str> {
        self.inner.ids.response_url.as_deref()
    }

    /// The timestamp of the message the payload is about (the message itself for message
    /// events and mentions; the clicked message for block actions).
    pub fn message_ts(&self) -> Option<&Timestamp> {
        self.inner.ids.ts.as_ref()
    }

    /// The thread that message is in, if any.
    pub fn thread_ts(&self) -> Option<&Timestamp> {
        self.inner.ids.thread_ts.as_ref()
    }

    /// The app's bot user, where the payload says (events) or the app was told
    /// ([`App::bot_user_id`](super::App::bot_user_id)).
    pub fn bot_user_id(&self) -> Option<&UserId> {
        self.inner.ids.bot_user_id.as_ref()
    }

    /// Whether the app is installed org-wide on an Enterprise Grid organisation.
    pub fn is_enterprise_install(&self) -> bool {
        self.inner.ids.is_enterprise_install
    }

    /// The event's `event_id` (events only).
    pub fn event_id(&self) -> Option<&str> {
        self.inner.ids.event_id.as_deref()
    }

    /// The `function_execution_id` of a workflow step (`function_executed`, and interactions
    /// inside the step).
    pub fn function_execution_id(&self) -> Option<&str> {
        self.inner.ids.function_execution_id.as_deref()
    }

    /// What a message listener's pattern matched: the whole match, then each capture group.
    /// Empty for other listeners.
    pub fn matches(&self) -> &[String] {
        &self.inner.matches
    }

    /// Stores a value for later steps (middleware → listener), one per type.
    pub fn insert<T: Clone + Send + Sync + 'static>(&self, value: T) {
        self.inner.extensions.lock().unwrap_or_else(std::sync::PoisonError::into_inner).insert(value);
    }

    /// A value an earlier step stored.
    pub fn get<T: Clone + Send + Sync + 'static>(&self) -> Option<T> {
        self.inner.extensions.lock().unwrap_or_else(std::sync::PoisonError::into_inner).get::<T>().cloned()
    }

    /// Completes the workflow step successfully with `outputs` (`functions.completeSuccess`,
    /// with the function's token).
    pub async fn complete(&self, outputs: impl crate::IntoJson) -> Result<(), Error<crate::functions::FunctionsCompleteSuccessError>> {
        let id = self.function_execution_id().ok_or_else(|| no_function(&self.inner.ids.kind))?;
        let req = crate::functions::FunctionsCompleteSuccessRequest::new(id, outputs);
        self.inner.client.call(&req).await.map(drop)
    }

    /// Ends the workflow step with an error shown to the user (`functions.completeError`,
    /// with the function's token).
    pub async fn fail(&self, error: impl Into<String>) -> Result<(), Error<crate::functions::FunctionsCompleteErrorError>> {
        let id = self.function_execution_id().ok_or_else(|| no_function(&self.inner.ids.kind))?;
        let req = crate::functions::FunctionsCompleteErrorRequest::new(id, error);
        self.inner.client.call(&req).await.map(drop)
    }
}

fn no_channel<E>(kind: &str) -> Error<E> {
    Error::InvalidRequest(format!("a `{kind}` payload has no conversation to post in"))
}

fn no_function<E>(kind: &str) -> Error<E> {
    Error::InvalidRequest(format!("a `{kind}` payload is not part of a workflow step (no function_execution_id)"))
}
