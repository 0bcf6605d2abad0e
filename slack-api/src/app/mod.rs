//! Slack apps: listeners routed by kind and id, typed replies, ack discipline, middleware —
//! one [`App`] served over HTTP or Socket Mode (feature `app`).
//!
//! # Building an app
//!
//! An app is a [`Client`] (the bot token) and listeners. Each listener is an async function of
//! the typed payload and a [`Cx`], and returns [`Result`] — any error converts with `?`:
//!
//! ```no_run
//! use slack_api::app::{Ack, App, Cx, Result};
//! use slack_api::events::{AppMentionEvent, SlashCommand};
//!
//! # async fn run() -> std::result::Result<(), Box<dyn std::error::Error>> {
//! let mut app = App::new(slack_api::Client::new(std::env::var("SLACK_BOT_TOKEN")?)?);
//! app.event(|_: AppMentionEvent, cx: Cx| async move {
//!     cx.reply("Hello! :wave:").await?; // in the mention's thread
//!     Ok(())
//! });
//! app.command("/todo", |cmd: SlashCommand, cx: Cx| async move {
//!     cx.ack_with(Ack::ephemeral(format!("Added: {}", cmd.text)))?; // the answer leaves now
//!     // … slow work here: Slack already has its answer.
//!     Ok(())
//! });
//! app.serve_http("0.0.0.0:3000", std::env::var("SLACK_SIGNING_SECRET")?).await?;
//! // or, without a public URL: app.serve_socket_mode(std::env::var("SLACK_APP_TOKEN")?).await?;
//! # Ok(()) }
//! ```
//!
//! ## Listeners
//!
//! | method | payload | matched by |
//! |---|---|---|
//! | [`App::event`] | the event's struct (`AppMentionEvent`, `ReactionAddedEvent`, `MessageEvent`…) | its type |
//! | [`App::message`] | `MessageEvent` | text containing a keyword, or a [`Regex`] |
//! | [`App::command`] | `SlashCommand` | the command |
//! | [`App::action`] | `BlockActions` | `action_id` and/or `block_id` ([`Action`]) |
//! | [`App::options`] | `BlockSuggestion` | `action_id` and/or `block_id` |
//! | [`App::shortcut`], [`App::message_shortcut`] | `GlobalShortcut`, `MessageShortcut` | `callback_id` |
//! | [`App::view_submission`], [`App::view_closed`] | `ViewSubmission`, `ViewClosed` | the view's `callback_id` |
//! | [`App::function`] | `FunctionExecutedEvent` | the function's `callback_id` |
//! | [`App::assistant`] | `AssistantThreadStartedEvent`, `AssistantThreadContextChangedEvent`, `MessageEvent` | an [`Assistant`]'s thread events, and the user's messages in its threads |
//! | [`App::fallback`] | [`Payload`] | whatever no other listener took |
//!
//! Ids match exactly from a `&str`, or by a regular expression ([`Pattern::regex`], or a
//! [`Regex`]). The first listener that matches, in the order they were added, takes the
//! payload.
//!
//! ## Acknowledging
//!
//! Slack wants every payload acknowledged within 3 seconds, and shows the user an error
//! otherwise. The framework makes the right order the easy one:
//!
//! - Events, block actions, shortcuts and view closes take no reply: they are acknowledged
//!   *before* the listener runs, which may then take as long as it needs.
//! - Slash commands, view submissions and options requests may carry a reply ([`Ack`]): the
//!   acknowledgement leaves the moment the listener calls [`Cx::ack`] or [`Cx::ack_with`],
//!   and the listener goes on after it. A listener that returns without acking is
//!   acknowledged empty then; one that has neither acked nor returned by the deadline
//!   ([`App::ack_deadline`], 2 s by default) is acknowledged empty, with a warning in the
//!   logs.
//! - A listener that fails goes to the error handler ([`App::error`], by default a log line);
//!   one that panics is logged. Either way the payload is acknowledged and the app serves the
//!   next one.
//! - Each payload runs in a task of its own; at most [`App::concurrency`] (256 by default)
//!   run at once, and beyond that the app waits before it reads the next request or envelope
//!   (back-pressure) instead of piling up work.
//!
//! ## The context
//!
//! [`Cx`] is bound to the payload: [`Cx::say`] posts to its conversation (in its thread where
//! it is in one), [`Cx::reply`] in the thread of its message, [`Cx::respond`] through its
//! `response_url`, [`Cx::client`] calls any method; [`Cx::team_id`], [`Cx::user_id`],
//! [`Cx::channel_id`], [`Cx::trigger_id`], [`Cx::enterprise_id`], [`Cx::bot_user_id`],
//! [`Cx::is_enterprise_install`] work on every kind of payload. In a custom workflow step,
//! [`Cx::complete`] and [`Cx::fail`] end the step with the function's own token.
//!
//! ## Middleware
//!
//! [`App::middleware`] adds a step that runs before the listener, for every payload: it
//! receives a [`Request`] (the payload and its context) and [`Next`], and either calls
//! `next.run(req).await` (and may act on the result) or stops the payload there (it is still
//! acknowledged). Values stored with [`Cx::insert`] reach the listener ([`Cx::get`]). By
//! default the app does not hear its own messages ([`App::ignore_self`]), as in Bolt.
//!
//! ## Transports
//!
//! The same app serves over HTTP — [`App::serve_http`], [`App::router`] (axum, feature
//! `axum`) or [`App::http`] (a `tower::Service` for any server) — or over Socket Mode
//! ([`App::serve_socket_mode`], feature `socket-mode`): the listeners never know which. Over
//! HTTP, requests are verified before anything is parsed (401 for a forged or stale
//! signature), `url_verification` and `ssl_check` are answered, bodies over 1 MiB are refused
//! (413; [`HttpApp::max_body_bytes`]), and a retried delivery of an event already handled is
//! acknowledged and dropped — by `event_id`, the key Socket Mode uses too.

//!
//! ## Many workspaces
//!
//! An app that other workspaces install gives [`App::oauth`] an
//! [`InstallFlow`](crate::install::InstallFlow) (feature `install`): the app then serves the
//! install page and the OAuth redirect beside its Slack endpoint, keeps each installation in a
//! store (memory, SQLite or PostgreSQL), and hands every listener a [`Cx::client`] with the bot
//! token of the payload's own workspace (and [`Cx::installation`] with the rest). A payload from
//! a workspace without an installation is acknowledged, logged and given to no listener. See
//! [`crate::install`] for the flow, the stores, token rotation and scopes from the spec.
//!
//! ## AI apps: assistant threads and streamed answers
//!
//! An app with the assistant view gets a thread per conversation with the user. Register its
//! listeners with an [`Assistant`]:
//!
//! ```no_run
//! use slack_api::app::{App, Assistant, Cx, SuggestedPrompt};
//! use slack_api::block_kit::{TaskUpdateChunk, TaskUpdateChunkStatus};
//! use slack_api::events::{AssistantThreadStartedEvent, MessageEvent};
//!
//! # fn run(app: &mut App) {
//! app.assistant(
//!     Assistant::new()
//!         .thread_started(|_: AssistantThreadStartedEvent, cx: Cx| async move {
//!             cx.set_suggested_prompts([SuggestedPrompt::new("Summarise", "Summarise this channel")], None).await?;
//!             Ok(())
//!         })
//!         .user_message(|msg: MessageEvent, cx: Cx| async move {
//!             cx.set_status("is thinking…").await?;
//!             let stream = cx.say_stream()?; // in the thread, to the user who asked
//!             stream.append_chunks([TaskUpdateChunk::new("t1", "Reading", TaskUpdateChunkStatus::InProgress)]).await?;
//!             stream.append(format!("You said: {}", msg.text().unwrap_or_default())).await?;
//!             stream.stop().await?;
//!             Ok(())
//!         }),
//! );
//! # }
//! ```
//!
//! - **Which message is the user's.** Slack marks nothing on it: a user's message in an
//!   assistant thread is a `message` in the app's IM (`channel_type: im`) with a `thread_ts`,
//!   from a user (no `bot_id`), plain or with files ([`is_assistant_thread_message`]). The
//!   thread's root, which Slack posts itself, has the subtype `assistant_app_thread`, and its
//!   edits come as `message_changed`: neither reaches [`Assistant::user_message`].
//! - **The thread's context** — the channel the user was viewing — comes with
//!   `assistant_thread_started` and `assistant_thread_context_changed` only. Both are saved
//!   in a [`ThreadContextStore`] (in memory by default; [`RedisThreadContexts`] with feature
//!   `redis`, so that a message handled by another replica finds it), and
//!   [`Cx::thread_context`] reads it in any of the three listeners.
//! - **On the context**: [`Cx::set_status`] (cleared by Slack when the app answers, or after
//!   two minutes), [`Cx::set_suggested_prompts`] (one to four, refused before sending
//!   otherwise), [`Cx::set_title`], and [`Cx::say_stream`]: a
//!   [`ChatStream`](crate::chat_stream::ChatStream) in the thread, whose markdown is buffered
//!   and sent by size or by time, whose task updates, plan titles and blocks go at once, and
//!   whose errors come back from the next call rather than being lost.
//!
//! ## Custom workflow steps
//!
//! A function declared in the app's manifest runs as a step of a workflow; Slack sends
//! `function_executed` with the step's inputs and a token for the run (`bot_access_token`).
//! [`App::function`] takes it by the function's `callback_id`:
//!
//! ```no_run
//! use serde::Deserialize;
//! use slack_api::app::{App, Cx};
//! use slack_api::events::FunctionExecutedEvent;
//!
//! #[derive(Deserialize)]
//! struct Inputs { title: String, priority: Option<u8> }
//!
//! # fn run(app: &mut App) {
//! app.function("create_ticket", |step: FunctionExecutedEvent, cx: Cx| async move {
//!     match step.inputs_as::<Inputs>() {
//!         Ok(i) => cx.complete(serde_json::json!({ "ticket": format!("{} (P{})", i.title, i.priority.unwrap_or(3)) })).await?,
//!         Err(e) => cx.fail(format!("Cannot create the ticket: {e}")).await?,
//!     }
//!     Ok(())
//! });
//! # }
//! ```
//!
//! - **Inputs** are typed by the app: [`FunctionExecutedEvent::input`](crate::events::FunctionExecutedEvent::input)
//!   reads one (`Ok(None)` when the step was not given it), `inputs_as` all of them as a
//!   struct; a value of another type is an error naming the input.
//! - **Ending the step**: [`Cx::complete`] (`functions.completeSuccess` with the outputs) or
//!   [`Cx::fail`] (`functions.completeError`, the message shown to the user). Both — and every
//!   call through [`Cx::client`] — use the run's own `bot_access_token`, not the app's token,
//!   as Slack requires; so do the listeners of interactions inside the step (buttons of a
//!   message the step posted carry `function_data` and the same token).
//! - **Acknowledging**: `function_executed` is an event, acknowledged before the listener
//!   runs, within Slack's 3 seconds for events; the step itself stays open, however long the
//!   listener takes, until it completes or fails. A step that never ends shows as running in
//!   the workflow: end it on every path, errors included.
//!
//! ## Coming from Bolt
//!
//! | Bolt (Python / JS) | here |
//! |---|---|
//! | `app.event("app_mention")` | `app.event(\|ev: AppMentionEvent, cx\| …)` — the type names the event |
//! | `app.message("hello")`, `app.message(re.compile(…))` | [`App::message`] with a `&str` or a [`Regex`]; groups in [`Cx::matches`] |
//! | `app.command`, `app.action`, `app.shortcut`, `app.view`, `app.options`, `app.function` | [`App::command`], [`App::action`], [`App::shortcut`] / [`App::message_shortcut`], [`App::view_submission`] / [`App::view_closed`], [`App::options`], [`App::function`] |
//! | `ack()`, `ack(response_action="errors", …)`, `ack(options=…)` | [`Cx::ack`], [`Cx::ack_with`] with [`Ack`] (checked against the payload kind and Block Kit's limits) |
//! | `say`, `respond`, `client`, `context` | [`Cx::say`] / [`Cx::reply`], [`Cx::respond`], [`Cx::client`], [`Cx::insert`] / [`Cx::get`] |
//! | `complete`, `fail`, `inputs` | [`Cx::complete`], [`Cx::fail`], `FunctionExecutedEvent::input` / `inputs_as` |
//! | `Assistant`, `set_status`, `set_suggested_prompts`, `set_title`, `say_stream` | [`App::assistant`] with [`Assistant`], [`Cx::set_status`], [`Cx::set_suggested_prompts`], [`Cx::set_title`], [`Cx::say_stream`] |
//! | lazy listeners, `process_before_response` | not needed: the ack leaves when the listener acks, the rest runs after |
//! | `app.use`, `app.error` | [`App::middleware`], [`App::error`] |
//! | `ignoring_self_events_enabled` | [`App::ignore_self`] |
//! | `SocketModeHandler(app, token).start()` | [`App::serve_socket_mode`] |

mod assistant;
mod context;
mod dispatch;
mod error;
mod http;
mod listeners;
mod pattern;
mod payload;
#[cfg(feature = "socket-mode")]
mod socket;

use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use tokio::sync::Semaphore;

#[cfg(feature = "redis")]
pub use assistant::RedisThreadContexts;
pub use assistant::{
    Assistant, AssistantThread, DEFAULT_CONTEXT_TTL, MAX_SUGGESTED_PROMPTS, MemoryThreadContexts, SuggestedPrompt,
    ThreadContext, ThreadContextStore, is_assistant_thread_message,
};
pub use context::{Ack, Cx, Say};
pub use dispatch::{Next, Request};
pub use error::{AckError, AppError, Result};
pub use http::{DEFAULT_MAX_BODY_BYTES, HttpApp, HttpResponse};
pub use listeners::Action;
pub use pattern::{Pattern, Regex};
pub use payload::Payload;

use dispatch::{AppInner, ErrorFn, Listener, MiddlewareFn, Run};

use crate::events::Responder;
use crate::{BotId, Client, UserId};

/// How long a listener that may reply has to ack before the framework acks empty.
pub const DEFAULT_ACK_DEADLINE: Duration = Duration::from_secs(2);

/// How many payloads are handled at once by default.
pub const DEFAULT_CONCURRENCY: usize = 256;

/// A Slack app: listeners, middleware and settings. See the [module documentation](self).
/// Cheap to clone (listeners are shared); serving takes a snapshot, so listeners added
/// afterwards do not reach an app already serving.
#[derive(Clone)]
pub struct App {
    client: Client,
    responder: Responder,
    listeners: Vec<Listener>,
    fallback: Option<Run>,
    middleware: Vec<MiddlewareFn>,
    on_error: Option<ErrorFn>,
    ack_deadline: Duration,
    concurrency: usize,
    ignore_self: bool,
    bot_user_id: Option<UserId>,
    bot_id: Option<BotId>,
    #[cfg(feature = "install")]
    flow: Option<crate::install::InstallFlow>,
}

impl std::fmt::Debug for App {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("App")
            .field("listeners", &self.listeners.iter().map(|l| l.what.as_str()).collect::<Vec<_>>())
            .field("middleware", &self.middleware.len())
            .field("ack_deadline", &self.ack_deadline)
            .field("concurrency", &self.concurrency)
            .field("ignore_self", &self.ignore_self)
            .finish_non_exhaustive()
    }
}

impl App {
    /// An app whose listeners call Slack with `client` (the bot token's). Answers through
    /// `response_url`s share its connection pool (they never carry its token).
    pub fn new(client: Client) -> Self {
        App {
            responder: Responder::with_http(client.http().clone()),
            client,
            listeners: Vec::new(),
            fallback: None,
            middleware: Vec::new(),
            on_error: None,
            ack_deadline: DEFAULT_ACK_DEADLINE,
            concurrency: DEFAULT_CONCURRENCY,
            ignore_self: true,
            bot_user_id: None,
            bot_id: None,
            #[cfg(feature = "install")]
            flow: None,
        }
    }

    /// The client listeners get ([`Cx::client`]).
    pub fn client(&self) -> &Client {
        &self.client
    }

    /// How long a listener that may reply (slash commands, view submissions, options) has to
    /// ack before the framework acks empty and logs a warning (2 s by default, leaving room
    /// within Slack's 3 s for the network).
    pub fn ack_deadline(&mut self, deadline: Duration) -> &mut Self {
        self.ack_deadline = deadline;
        self
    }

    /// How many payloads are handled at once (256 by default, at least 1); beyond it the app
    /// waits before reading more.
    pub fn concurrency(&mut self, n: usize) -> &mut Self {
        self.concurrency = n.max(1);
        self
    }

    /// Whether the app ignores events it caused — its own messages (by its bot user, bot id
    /// or app id) — except `member_joined_channel` / `member_left_channel` (on by default).
    pub fn ignore_self(&mut self, on: bool) -> &mut Self {
        self.ignore_self = on;
        self
    }

    /// The app's bot user (from `auth.test`), for ignoring its own events and for
    /// [`Cx::bot_user_id`] on payloads that do not say (events name it in `authorizations`).
    pub fn bot_user_id(&mut self, id: impl Into<UserId>) -> &mut Self {
        self.bot_user_id = Some(id.into());
        self
    }

    /// The app's bot id (`B…`, from `auth.test`), for ignoring its own messages.
    pub fn bot_id(&mut self, id: impl Into<BotId>) -> &mut Self {
        self.bot_id = Some(id.into());
        self
    }

    /// Serves many workspaces (feature `install`): the install page and OAuth redirect of
    /// `flow` are served beside the Slack endpoint over HTTP, and every payload's listener gets
    /// a client with its own installation's bot token ([`Cx::client`],
    /// [`Cx::installation`]). A payload from a workspace with no installation is acknowledged
    /// and logged, and no listener runs. See [`crate::install`].
    #[cfg(feature = "install")]
    pub fn oauth(&mut self, flow: crate::install::InstallFlow) -> &mut Self {
        self.flow = Some(flow);
        self
    }

    /// Answers `response_url`s with this [`Responder`].
    pub fn responder(&mut self, responder: Responder) -> &mut Self {
        self.responder = responder;
        self
    }

    /// Adds a step that runs before the listener for every payload, in the order added.
    ///
    /// ```
    /// use slack_api::app::{App, Next, Request};
    /// # fn app(app: &mut App) {
    /// // Only the workspace T0123 is served; everything else is acknowledged and dropped.
    /// app.middleware(|req: Request, next: Next| async move {
    ///     if req.cx.team_id().map(|t| t.as_str()) != Some("T0123") {
    ///         return Ok(());
    ///     }
    ///     let started = std::time::Instant::now();
    ///     let result = next.run(req).await;
    ///     tracing::info!(ms = started.elapsed().as_millis() as u64, "handled");
    ///     result
    /// });
    /// # }
    /// ```
    pub fn middleware<F, Fut>(&mut self, step: F) -> &mut Self
    where
        F: Fn(Request, Next) -> Fut + Send + Sync + 'static,
        Fut: Future<Output = Result> + Send + 'static,
    {
        self.middleware.push(Arc::new(move |req, next| Box::pin(step(req, next))));
        self
    }

    /// Handles what listeners and middleware fail with (the default logs it at error level).
    pub fn error<F, Fut>(&mut self, handler: F) -> &mut Self
    where
        F: Fn(AppError, Cx) -> Fut + Send + Sync + 'static,
        Fut: Future<Output = ()> + Send + 'static,
    {
        self.on_error = Some(Arc::new(move |e, cx| Box::pin(handler(e, cx))));
        self
    }

    /// The snapshot a transport serves.
    fn build(&self) -> Arc<AppInner> {
        Arc::new(AppInner {
            client: self.client.clone(),
            responder: self.responder.clone(),
            listeners: self.listeners.clone(),
            fallback: self.fallback.clone(),
            middleware: self.middleware.clone(),
            on_error: self.on_error.clone(),
            ack_deadline: self.ack_deadline,
            limit: Arc::new(Semaphore::new(self.concurrency)),
            ignore_self: self.ignore_self,
            bot_user_id: self.bot_user_id.clone(),
            bot_id: self.bot_id.clone(),
            #[cfg(feature = "install")]
            flow: self.flow.clone(),
        })
    }
}
