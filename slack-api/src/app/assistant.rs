//! AI apps: assistant threads — a thread started, its context changed, a user's message in it —
//! with the thread's status, suggested prompts and title on the context, and where the thread's
//! context is kept ([`ThreadContextStore`]).

use std::collections::HashMap;
use std::future::Future;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};

use super::dispatch::{Matcher, Run};
use super::error::Result;
use super::payload::Payload;
use super::{App, Cx};
use crate::assistant::{
    AssistantThreadsSetStatusError, AssistantThreadsSetStatusRequest, AssistantThreadsSetSuggestedPromptsError,
    AssistantThreadsSetSuggestedPromptsRequest, AssistantThreadsSetTitleError, AssistantThreadsSetTitleRequest,
};
use crate::events::{AssistantThreadContextChangedEvent, AssistantThreadStartedEvent, Event, MessageEvent};
#[cfg(feature = "redis")]
use crate::state::StateError;
use crate::state::StateFuture;
use crate::{ChannelId, EnterpriseId, Error, TeamId, Timestamp, UserId};

/// At most this many suggested prompts (`assistant.threads.setSuggestedPrompts`: "up to four").
pub const MAX_SUGGESTED_PROMPTS: usize = 4;

/// Where the user was in Slack when they opened or moved the assistant thread: the channel
/// they were viewing, its workspace and organisation. Fields Slack adds are kept in `extra`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ThreadContext {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub channel_id: Option<ChannelId>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub team_id: Option<TeamId>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enterprise_id: Option<EnterpriseId>,
    #[serde(flatten)]
    pub extra: serde_json::Map<String, serde_json::Value>,
}

/// The `assistant_thread` of `assistant_thread_started` and `assistant_thread_context_changed`:
/// the user, the thread (its IM channel and `thread_ts`) and its context.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct AssistantThread {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_id: Option<UserId>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub channel_id: Option<ChannelId>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub thread_ts: Option<Timestamp>,
    #[serde(default)]
    pub context: ThreadContext,
    #[serde(flatten)]
    pub extra: serde_json::Map<String, serde_json::Value>,
}

impl AssistantThread {
    /// Reads an event's `assistant_thread`; `None` when it is missing or not an object.
    pub fn from_json(value: Option<&serde_json::Value>) -> Option<Self> {
        serde_json::from_value(value?.clone()).ok()
    }

    fn key(&self) -> Option<(ChannelId, Timestamp)> {
        Some((self.channel_id.clone()?, self.thread_ts.clone()?))
    }
}

/// A prompt offered when a thread opens: the button's `title` and the `message` it sends.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct SuggestedPrompt {
    pub title: String,
    pub message: String,
}

impl SuggestedPrompt {
    pub fn new(title: impl Into<String>, message: impl Into<String>) -> Self {
        SuggestedPrompt { title: title.into(), message: message.into() }
    }
}

/// A prompt whose title is its message.
impl From<&str> for SuggestedPrompt {
    fn from(s: &str) -> Self {
        SuggestedPrompt::new(s, s)
    }
}

impl From<(&str, &str)> for SuggestedPrompt {
    fn from((title, message): (&str, &str)) -> Self {
        SuggestedPrompt::new(title, message)
    }
}

/// Where assistant threads' contexts are kept between events: Slack sends the context with
/// `assistant_thread_started` and `assistant_thread_context_changed`, not with the user's
/// messages. [`MemoryThreadContexts`] keeps them in the process; [`RedisThreadContexts`]
/// (feature `redis`) in Redis, for replicas.
pub trait ThreadContextStore: Send + Sync + 'static {
    /// The context saved for the thread `thread_ts` of `channel`.
    fn get<'a>(&'a self, channel: &'a ChannelId, thread_ts: &'a Timestamp) -> StateFuture<'a, Option<ThreadContext>>;
    /// Saves the thread's context (replacing the one saved before).
    fn save<'a>(&'a self, channel: &'a ChannelId, thread_ts: &'a Timestamp, context: &'a ThreadContext)
    -> StateFuture<'a, ()>;
}

/// How long a thread's context is kept after it was last saved, by default (Slack does not say
/// how long a thread lives; a week covers a user coming back to it).
pub const DEFAULT_CONTEXT_TTL: Duration = Duration::from_secs(7 * 24 * 3600);

/// Thread contexts in the process, each kept [`DEFAULT_CONTEXT_TTL`] after it was saved, at most
/// 100,000 (the oldest go first).
#[derive(Debug)]
pub struct MemoryThreadContexts {
    map: Mutex<HashMap<(String, String), (ThreadContext, Instant)>>,
    ttl: Duration,
    capacity: usize,
}

impl Default for MemoryThreadContexts {
    fn default() -> Self {
        MemoryThreadContexts { map: Mutex::new(HashMap::new()), ttl: DEFAULT_CONTEXT_TTL, capacity: 100_000 }
    }
}

impl MemoryThreadContexts {
    pub fn new() -> Self {
        Self::default()
    }

    /// How long a context is kept after it was saved.
    #[must_use]
    pub fn ttl(mut self, ttl: Duration) -> Self {
        self.ttl = ttl;
        self
    }

    /// How many threads are kept at most (at least 1).
    #[must_use]
    pub fn capacity(mut self, n: usize) -> Self {
        self.capacity = n.max(1);
        self
    }

    fn key(channel: &ChannelId, ts: &Timestamp) -> (String, String) {
        (channel.as_str().to_owned(), ts.as_str().to_owned())
    }
}

impl ThreadContextStore for MemoryThreadContexts {
    fn get<'a>(&'a self, channel: &'a ChannelId, thread_ts: &'a Timestamp) -> StateFuture<'a, Option<ThreadContext>> {
        let mut map = self.map.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        let key = Self::key(channel, thread_ts);
        let found = match map.get(&key) {
            Some((c, saved)) if saved.elapsed() < self.ttl => Some(c.clone()),
            Some(_) => {
                map.remove(&key);
                None
            }
            None => None,
        };
        Box::pin(async move { Ok(found) })
    }

    fn save<'a>(&'a self, channel: &'a ChannelId, thread_ts: &'a Timestamp, context: &'a ThreadContext) -> StateFuture<'a, ()> {
        let mut map = self.map.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        let key = Self::key(channel, thread_ts);
        if !map.contains_key(&key) && map.len() >= self.capacity {
            map.retain(|_, (_, saved)| saved.elapsed() < self.ttl);
            if map.len() >= self.capacity {
                if let Some(oldest) = map.iter().min_by_key(|(_, (_, saved))| *saved).map(|(k, _)| k.clone()) {
                    map.remove(&oldest);
                }
            }
        }
        map.insert(key, (context.clone(), Instant::now()));
        Box::pin(async { Ok(()) })
    }
}

/// Thread contexts in Redis (feature `redis`), shared by every replica: one key per thread
/// (`<prefix>:<channel>:<thread_ts>`, JSON), set with a time to live on the server.
#[cfg(feature = "redis")]
#[derive(Debug, Clone)]
pub struct RedisThreadContexts {
    state: Arc<crate::state::RedisState>,
    prefix: String,
    ttl: Duration,
}

#[cfg(feature = "redis")]
impl RedisThreadContexts {
    /// Contexts under keys starting with `prefix` (the app's id, say), kept
    /// [`DEFAULT_CONTEXT_TTL`].
    pub fn new(state: Arc<crate::state::RedisState>, prefix: impl Into<String>) -> Self {
        RedisThreadContexts { state, prefix: prefix.into(), ttl: DEFAULT_CONTEXT_TTL }
    }

    /// How long a context is kept after it was saved.
    #[must_use]
    pub fn ttl(mut self, ttl: Duration) -> Self {
        self.ttl = ttl;
        self
    }

    fn key(&self, channel: &ChannelId, ts: &Timestamp) -> String {
        format!("{}:thread_context:{}:{}", self.prefix, channel.as_str(), ts.as_str())
    }
}

#[cfg(feature = "redis")]
impl ThreadContextStore for RedisThreadContexts {
    fn get<'a>(&'a self, channel: &'a ChannelId, thread_ts: &'a Timestamp) -> StateFuture<'a, Option<ThreadContext>> {
        Box::pin(async move {
            let key = self.key(channel, thread_ts);
            let Some(text) = crate::state::SharedState::get(&*self.state, &key).await? else { return Ok(None) };
            serde_json::from_str(&text)
                .map(Some)
                .map_err(|e| StateError(format!("redis: the thread context under `{key}` is not one: {e}")))
        })
    }

    fn save<'a>(&'a self, channel: &'a ChannelId, thread_ts: &'a Timestamp, context: &'a ThreadContext) -> StateFuture<'a, ()> {
        Box::pin(async move {
            let text = serde_json::to_string(context).map_err(|e| StateError(format!("thread context: {e}")))?;
            self.state.set_for(&self.key(channel, thread_ts), &text, self.ttl).await
        })
    }
}

/// What an assistant listener's context knows of its thread.
#[derive(Clone)]
struct Scope {
    channel_id: ChannelId,
    thread_ts: Timestamp,
    /// The context the event carried (thread started or context changed).
    context: Option<ThreadContext>,
    store: Arc<dyn ThreadContextStore>,
}

type Handler<T> = Arc<dyn Fn(T, Cx) -> super::dispatch::BoxFuture<Result> + Send + Sync>;

/// The listeners of an AI app's assistant threads, registered with [`App::assistant`]:
///
/// - [`thread_started`](Self::thread_started): `assistant_thread_started`, when the user opens
///   a thread — greet them, [`Cx::set_suggested_prompts`];
/// - [`context_changed`](Self::context_changed): `assistant_thread_context_changed`, when they
///   move to another channel with the thread open;
/// - [`user_message`](Self::user_message): the user's messages in the thread — a `message`
///   in the app's IM (`channel_type: im`) with a `thread_ts`, from a user (no `bot_id`), plain
///   or with files — [`Cx::set_status`], then answer ([`Cx::say_stream`]).
///
/// The context each event carries is saved in the [`ThreadContextStore`] (in memory unless
/// [`store`](Self::store) says otherwise) and read back with [`Cx::thread_context`].
pub struct Assistant {
    store: Arc<dyn ThreadContextStore>,
    started: Option<Handler<AssistantThreadStartedEvent>>,
    changed: Option<Handler<AssistantThreadContextChangedEvent>>,
    message: Option<Handler<MessageEvent>>,
}

impl std::fmt::Debug for Assistant {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Assistant")
            .field("thread_started", &self.started.is_some())
            .field("context_changed", &self.changed.is_some())
            .field("user_message", &self.message.is_some())
            .finish_non_exhaustive()
    }
}

impl Default for Assistant {
    fn default() -> Self {
        Self::new()
    }
}

impl Assistant {
    /// No listeners yet; contexts kept in memory.
    pub fn new() -> Self {
        Assistant { store: Arc::new(MemoryThreadContexts::new()), started: None, changed: None, message: None }
    }

    /// Keeps thread contexts in `store` (e.g. [`RedisThreadContexts`] for replicas).
    #[must_use]
    pub fn store(mut self, store: Arc<dyn ThreadContextStore>) -> Self {
        self.store = store;
        self
    }

    /// Listens to threads being started (`assistant_thread_started`).
    #[must_use]
    pub fn thread_started<F, Fut>(mut self, handler: F) -> Self
    where
        F: Fn(AssistantThreadStartedEvent, Cx) -> Fut + Send + Sync + 'static,
        Fut: Future<Output = Result> + Send + 'static,
    {
        self.started = Some(Arc::new(move |e, cx| Box::pin(handler(e, cx))));
        self
    }

    /// Listens to a thread's context changing (`assistant_thread_context_changed`); without
    /// it the new context is saved and nothing else happens.
    #[must_use]
    pub fn context_changed<F, Fut>(mut self, handler: F) -> Self
    where
        F: Fn(AssistantThreadContextChangedEvent, Cx) -> Fut + Send + Sync + 'static,
        Fut: Future<Output = Result> + Send + 'static,
    {
        self.changed = Some(Arc::new(move |e, cx| Box::pin(handler(e, cx))));
        self
    }

    /// Listens to the user's messages in assistant threads.
    #[must_use]
    pub fn user_message<F, Fut>(mut self, handler: F) -> Self
    where
        F: Fn(MessageEvent, Cx) -> Fut + Send + Sync + 'static,
        Fut: Future<Output = Result> + Send + 'static,
    {
        self.message = Some(Arc::new(move |e, cx| Box::pin(handler(e, cx))));
        self
    }
}

/// Whether a message is a user's, in an assistant thread: in an IM, in a thread, not from a
/// bot, plain or with files (Slack marks nothing else: the thread's root is the
/// `assistant_app_thread` message Slack posts, and replies to it are ordinary IM messages).
pub fn is_assistant_thread_message(m: &MessageEvent) -> bool {
    let channel_type = match m {
        MessageEvent::Plain(p) => p.channel_type.as_deref(),
        MessageEvent::FileShare(f) => f.channel_type.as_deref(),
        _ => return false,
    };
    channel_type == Some("im") && m.thread_ts().is_some() && m.bot_id().is_none() && m.user_id().is_some()
}

impl App {
    /// Registers an AI app's assistant listeners (see [`Assistant`]). The events they take are
    /// taken before any listener added later.
    pub fn assistant(&mut self, assistant: Assistant) -> &mut Self {
        let store = assistant.store;
        // Both thread events: save the context, then the listener (if any).
        let started = assistant.started;
        let s = store.clone();
        self.add(
            "assistant thread_started".into(),
            event_matcher("assistant_thread_started"),
            Arc::new(move |p, cx| {
                let (store, handler) = (s.clone(), started.clone());
                Box::pin(async move {
                    let Some(Event::AssistantThreadStarted(e)) = event(p) else { return Ok(()) };
                    enter(&cx, AssistantThread::from_json(serde_json::to_value(&e.assistant_thread).ok().as_ref()), store).await;
                    match handler {
                        Some(h) => h(*e, cx).await,
                        None => Ok(()),
                    }
                })
            }),
        );
        let changed = assistant.changed;
        let s = store.clone();
        self.add(
            "assistant thread_context_changed".into(),
            event_matcher("assistant_thread_context_changed"),
            Arc::new(move |p, cx| {
                let (store, handler) = (s.clone(), changed.clone());
                Box::pin(async move {
                    let Some(Event::AssistantThreadContextChanged(e)) = event(p) else { return Ok(()) };
                    enter(&cx, AssistantThread::from_json(serde_json::to_value(&e.assistant_thread).ok().as_ref()), store).await;
                    match handler {
                        Some(h) => h(*e, cx).await,
                        None => Ok(()),
                    }
                })
            }),
        );
        if let Some(handler) = assistant.message {
            let matches: Matcher = Arc::new(|p| match p {
                Payload::Event(cb) => match cb.event.as_ref() {
                    Some(Event::Message(m)) if is_assistant_thread_message(m) => Some(Vec::new()),
                    _ => None,
                },
                _ => None,
            });
            let run: Run = Arc::new(move |p, cx| {
                let (store, handler) = (store.clone(), handler.clone());
                Box::pin(async move {
                    let Some(Event::Message(m)) = event(p) else { return Ok(()) };
                    if let (Some(channel_id), Some(thread_ts)) = (m.channel_id().cloned(), m.thread_ts().cloned()) {
                        cx.insert(Scope { channel_id, thread_ts, context: None, store });
                    }
                    handler(m, cx).await
                })
            });
            self.add("assistant user_message".into(), matches, run);
        }
        self
    }
}

fn event_matcher(kind: &'static str) -> Matcher {
    Arc::new(move |p| match p {
        Payload::Event(cb) if cb.event.as_ref().is_some_and(|e| e.kind() == kind) => Some(Vec::new()),
        _ => None,
    })
}

fn event(p: Payload) -> Option<Event> {
    match p {
        Payload::Event(cb) => cb.event,
        _ => None,
    }
}

/// Binds the context to the event's thread and saves the thread's context. A store that fails
/// is logged: the listener still runs, with the context the event carried.
async fn enter(cx: &Cx, thread: Option<AssistantThread>, store: Arc<dyn ThreadContextStore>) {
    let Some(thread) = thread else {
        tracing::warn!(kind = cx.kind(), "slack_api.app: an assistant thread event without `assistant_thread`");
        return;
    };
    let Some((channel_id, thread_ts)) = thread.key() else {
        tracing::warn!(kind = cx.kind(), "slack_api.app: an assistant thread without its channel_id or thread_ts");
        return;
    };
    if let Err(e) = store.save(&channel_id, &thread_ts, &thread.context).await {
        tracing::warn!(error = %e, "slack_api.app: could not save the assistant thread's context");
    }
    cx.insert(Scope { channel_id, thread_ts, context: Some(thread.context), store });
}

impl Cx {
    /// The assistant thread the payload is in: its IM channel and `thread_ts` (from the
    /// thread events' `assistant_thread`, or the message's channel and thread).
    pub fn assistant_thread(&self) -> Option<(ChannelId, Timestamp)> {
        match self.get::<Scope>() {
            Some(s) => Some((s.channel_id, s.thread_ts)),
            None => Some((self.channel_id()?.clone(), self.thread_ts()?.clone())),
        }
    }

    fn thread_or_error<E>(&self) -> std::result::Result<(ChannelId, Timestamp), Error<E>> {
        self.assistant_thread().ok_or_else(|| {
            Error::InvalidRequest(format!("a `{}` payload is not in an assistant thread (no channel and thread_ts)", self.kind()))
        })
    }

    /// The thread's context: the one the event carried (thread started, context changed),
    /// else the one saved for the thread. `None` outside assistant listeners, or when none
    /// was saved (or the store failed: logged).
    pub async fn thread_context(&self) -> Option<ThreadContext> {
        let scope = self.get::<Scope>()?;
        if let Some(c) = scope.context {
            return Some(c);
        }
        match scope.store.get(&scope.channel_id, &scope.thread_ts).await {
            Ok(c) => c,
            Err(e) => {
                tracing::warn!(error = %e, "slack_api.app: could not read the assistant thread's context");
                None
            }
        }
    }

    /// Shows a status under the thread while the app works (`is thinking…`;
    /// `assistant.threads.setStatus`). Slack clears it when the app replies, after two
    /// minutes, or when set to `""`.
    pub async fn set_status(&self, status: impl Into<String>) -> std::result::Result<(), Error<AssistantThreadsSetStatusError>> {
        let (channel, ts) = self.thread_or_error()?;
        self.client().call(&AssistantThreadsSetStatusRequest::new(channel, ts, status)).await.map(drop)
    }

    /// Offers up to four prompts in the thread (`assistant.threads.setSuggestedPrompts`), with
    /// an optional title above them. More than four are refused before sending. (Slack's
    /// reference: in the agent messaging experience a call with `thread_ts` fails silently;
    /// this sends the thread's, as assistant threads need.)
    pub async fn set_suggested_prompts(
        &self,
        prompts: impl IntoIterator<Item = impl Into<SuggestedPrompt>>,
        title: Option<&str>,
    ) -> std::result::Result<(), Error<AssistantThreadsSetSuggestedPromptsError>> {
        let (channel, ts) = self.thread_or_error()?;
        let prompts: Vec<SuggestedPrompt> = prompts.into_iter().map(Into::into).collect();
        if prompts.is_empty() || prompts.len() > MAX_SUGGESTED_PROMPTS {
            return Err(Error::InvalidRequest(format!(
                "assistant.threads.setSuggestedPrompts: {} prompts, 1 to {MAX_SUGGESTED_PROMPTS} allowed",
                prompts.len()
            )));
        }
        let mut req = AssistantThreadsSetSuggestedPromptsRequest::new(channel, prompts).thread_ts(ts);
        if let Some(t) = title {
            req = req.title(t);
        }
        self.client().call(&req).await.map(drop)
    }

    /// Sets the thread's title in the user's history (`assistant.threads.setTitle`).
    pub async fn set_title(&self, title: impl Into<String>) -> std::result::Result<(), Error<AssistantThreadsSetTitleError>> {
        let (channel, ts) = self.thread_or_error()?;
        self.client().call(&AssistantThreadsSetTitleRequest::new(channel, ts, title)).await.map(drop)
    }
}
