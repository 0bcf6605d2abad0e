//! From a payload to its listener: ignore-self, back-pressure, middleware, routing, and the
//! ack discipline (the ack leaves when the listener acks; the listener's work goes on).

use std::future::Future;
use std::panic::AssertUnwindSafe;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use futures_util::FutureExt;
use serde_json::Value;
use tokio::sync::{OwnedSemaphorePermit, Semaphore, oneshot};

use super::context::{AckSlot, CxInner, Ids, ReplyKind};
use super::error::{AppError, Result};
use super::payload::Payload;
use super::Cx;
use crate::events::{Interaction, Responder};
use crate::{BotId, Client, UserId};

pub(crate) type BoxFuture<T> = Pin<Box<dyn Future<Output = T> + Send + 'static>>;
/// A listener, type-erased: it takes the payload it matched.
pub(crate) type Run = Arc<dyn Fn(Payload, Cx) -> BoxFuture<Result> + Send + Sync>;
/// Whether a listener takes a payload; `Some(captures)` when it does.
pub(crate) type Matcher = Arc<dyn Fn(&Payload) -> Option<Vec<String>> + Send + Sync>;
pub(crate) type MiddlewareFn = Arc<dyn Fn(Request, Next) -> BoxFuture<Result> + Send + Sync>;
pub(crate) type ErrorFn = Arc<dyn Fn(AppError, Cx) -> BoxFuture<()> + Send + Sync>;

#[derive(Clone)]
pub(crate) struct Listener {
    /// What it listens to, for logs (`command /todo`).
    pub what: String,
    pub matches: Matcher,
    pub run: Run,
}

/// What middleware gets: the payload (which it may change) and its context.
#[derive(Debug)]
#[non_exhaustive]
pub struct Request {
    pub payload: Payload,
    pub cx: Cx,
}

/// The rest of the chain after a middleware: the next middleware, then the listener.
/// Not calling [`Next::run`] stops the payload there (it is still acknowledged).
pub struct Next {
    app: Arc<AppInner>,
    index: usize,
    route: Option<usize>,
}

impl std::fmt::Debug for Next {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Next").field("index", &self.index).finish_non_exhaustive()
    }
}

impl Next {
    /// Runs the rest of the chain; its result is the listener's (or a later middleware's).
    pub fn run(self, req: Request) -> impl Future<Output = Result> + Send + 'static {
        self.step(req)
    }

    fn step(self, req: Request) -> BoxFuture<Result> {
        if let Some(mw) = self.app.middleware.get(self.index).cloned() {
            let next = Next { app: self.app, index: self.index + 1, route: self.route };
            return mw(req, next);
        }
        match self.route.and_then(|i| self.app.listeners.get(i)) {
            Some(l) => (l.run)(req.payload, req.cx),
            None => match &self.app.fallback {
                Some(f) => f(req.payload, req.cx),
                None => {
                    tracing::debug!(kind = req.cx.kind(), "slack_api.app: no listener for this payload; acknowledged");
                    Box::pin(async { Ok(()) })
                }
            },
        }
    }
}

/// Everything an app is, once it serves.
pub(crate) struct AppInner {
    pub client: Client,
    pub responder: Responder,
    pub listeners: Vec<Listener>,
    pub fallback: Option<Run>,
    pub middleware: Vec<MiddlewareFn>,
    pub on_error: Option<ErrorFn>,
    pub ack_deadline: Duration,
    pub limit: Arc<Semaphore>,
    pub ignore_self: bool,
    pub bot_user_id: Option<UserId>,
    pub bot_id: Option<BotId>,
    #[cfg(feature = "install")]
    pub flow: Option<crate::install::InstallFlow>,
}

impl AppInner {
    /// Waits for room under the concurrency bound (back-pressure: a busy app reads more
    /// slowly instead of piling up tasks).
    pub(crate) async fn admit(self: &Arc<Self>) -> OwnedSemaphorePermit {
        // The semaphore is never closed, so acquiring cannot fail.
        match self.limit.clone().acquire_owned().await {
            Ok(p) => p,
            Err(_) => unreachable!("the app's semaphore is never closed"),
        }
    }

    /// Runs the payload's listener in a task of its own and returns the acknowledgement's
    /// body (`None` for an empty one) as soon as there is one: at once for payloads that take
    /// no reply, when the listener acks (or ends) for the others, at the deadline at the
    /// latest.
    pub(crate) async fn handle(self: Arc<Self>, payload: Payload, permit: OwnedSemaphorePermit) -> Option<Value> {
        if self.ignore_self && self.is_own(&payload) {
            tracing::debug!(kind = payload.kind(), "slack_api.app: ignored the app's own event");
            return None;
        }
        let reply = reply_kind(&payload);
        if reply == ReplyKind::None {
            tokio::spawn(self.run(payload, permit, reply, Arc::new(Mutex::new(None))));
            return None;
        }
        let (tx, rx) = oneshot::channel();
        let ack: AckSlot = Arc::new(Mutex::new(Some(tx)));
        let kind = payload.kind().to_owned();
        tokio::spawn(self.clone().run(payload, permit, reply, ack.clone()));
        match tokio::time::timeout(self.ack_deadline, rx).await {
            Ok(Ok(body)) => body,
            // The listener's context is gone without an ack (it cannot be: the task acks).
            Ok(Err(_)) => None,
            Err(_) => {
                // Take the sender, so that a late ack is refused rather than lost.
                drop(take(&ack));
                tracing::warn!(
                    kind = %kind,
                    deadline_ms = self.ack_deadline.as_millis() as u64,
                    "slack_api.app: the listener did not ack within the deadline; acknowledged empty (ack first, then do the slow work)"
                );
                None
            }
        }
    }

    /// The payload's task: its context, the middleware and the listener, then the ack if
    /// the listener gave none, and the report of a failure or a panic.
    ///
    /// A function of its own (not an `async` block inside [`handle`](Self::handle)), so that
    /// the future awaiting the ack does not carry this one's state: each is moved whole when
    /// it is boxed or spawned, once per payload.
    async fn run(self: Arc<Self>, payload: Payload, permit: OwnedSemaphorePermit, reply: ReplyKind, ack: AckSlot) {
        let _permit = permit;
        let mut ids = Ids::of(&payload);
        if ids.bot_user_id.is_none() {
            ids.bot_user_id.clone_from(&self.bot_user_id);
        }
        let (route, matches) = self
            .listeners
            .iter()
            .enumerate()
            .find_map(|(i, l)| (l.matches)(&payload).map(|m| (Some(i), m)))
            .unwrap_or_default();
        // The client (and installation) the listener acts with; with installations, the
        // payload's own — found here, in the task, so that a slow store delays no ack beyond
        // the deadline.
        let Some(grant) = self.grant(&payload).await else {
            take(&ack).map(|tx| tx.send(None));
            return;
        };
        let client = match payload.function_of().1 {
            Some(token) => grant.client.with_token(token).unwrap_or_else(|_| grant.client.clone()),
            None => grant.client,
        };
        let cx = Cx {
            inner: Arc::new(CxInner {
                client,
                responder: self.responder.clone(),
                ids,
                reply,
                ack,
                matches,
                extensions: Mutex::new(http::Extensions::new()),
                #[cfg(feature = "install")]
                installation: grant.installation,
                #[cfg(feature = "install")]
                flow: self.flow.clone(),
            }),
        };
        let next = Next { app: self.clone(), index: 0, route };
        let run = AssertUnwindSafe(next.step(Request { payload, cx: cx.clone() })).catch_unwind().await;
        // A listener that returns without acking is acknowledged empty now.
        cx.ack();
        match run {
            Ok(Ok(())) => {}
            Ok(Err(e)) => self.report(e, cx).await,
            Err(panic) => {
                let msg = panic
                    .downcast_ref::<&str>()
                    .map(|s| (*s).to_owned())
                    .or_else(|| panic.downcast_ref::<String>().cloned())
                    .unwrap_or_else(|| "(not a string)".into());
                let what = route.map_or("-", |i| self.listeners[i].what.as_str());
                tracing::error!(kind = cx.kind(), listener = what, panic = %msg, "slack_api.app: a listener panicked; the payload was acknowledged");
            }
        }
    }

    /// What the payload's listener acts with: the app's client, or — with installations —
    /// the client of the payload's installation. `None` when the payload must go no
    /// further (no installation, the store down): logged here, acknowledged by the caller.
    async fn grant(&self, payload: &Payload) -> Option<Grant> {
        #[cfg(feature = "install")]
        if let Some(flow) = &self.flow {
            // Boxed: the store's futures take kilobytes, which every payload's task would
            // otherwise carry (and copy) whether the app has installations or not.
            return Box::pin(self.installed_grant(flow, payload)).await;
        }
        let _ = payload;
        Some(Grant {
            client: self.client.clone(),
            #[cfg(feature = "install")]
            installation: None,
        })
    }

    /// [`grant`](Self::grant) with installations: the payload's installation, after
    /// forgetting revoked tokens.
    #[cfg(feature = "install")]
    async fn installed_grant(&self, flow: &crate::install::InstallFlow, payload: &Payload) -> Option<Grant> {
        let flow = &flow.inner;
        match flow.forget_revoked(payload).await {
            // The tokens are gone: the listeners (if any) run with the app's own client.
            Ok(true) => return Some(Grant { client: self.client.clone(), installation: None }),
            Ok(false) => {}
            Err(e) => {
                tracing::error!(kind = payload.kind(), error = %e, "slack_api.install: could not remove revoked installations; acknowledged");
                return None;
            }
        }
        match flow.authorize(&self.client, payload).await {
            Ok(a) => Some(Grant { client: a.client, installation: Some(a.installation) }),
            Err(e @ crate::install::AuthorizeError::Store(_)) => {
                tracing::error!(kind = payload.kind(), error = %e, "slack_api.install: could not authorize the payload; acknowledged, no listener ran");
                None
            }
            Err(e) => {
                tracing::warn!(kind = payload.kind(), error = %e, "slack_api.install: acknowledged a payload no installation covers; no listener ran");
                None
            }
        }
    }

    async fn report(&self, error: AppError, cx: Cx) {
        match &self.on_error {
            Some(f) => f(error, cx).await,
            None => tracing::error!(kind = cx.kind(), error = %error, "slack_api.app: a listener failed"),
        }
    }

    /// An event the app caused itself (its own messages), as Bolt ignores them; except a
    /// member joining or leaving, which tells the app where it is.
    fn is_own(&self, payload: &Payload) -> bool {
        let Payload::Event(cb) = payload else { return false };
        let Some(e) = cb.event.as_ref() else { return false };
        if matches!(e.kind(), "member_joined_channel" | "member_left_channel") {
            return false;
        }
        let bot_user = self.bot_user_id.as_ref().or_else(|| payload.bot_user_id());
        if e.user_id().is_some() && e.user_id() == bot_user {
            return true;
        }
        match e.bot_id() {
            Some(b) if self.bot_id.as_ref() == Some(b) => true,
            Some(_) => e.app_id().is_some() && e.app_id() == cb.api_app_id.as_ref(),
            None => false,
        }
    }
}

/// Takes the ack's sender out of its slot.
fn take(slot: &AckSlot) -> Option<oneshot::Sender<Option<Value>>> {
    slot.lock().unwrap_or_else(std::sync::PoisonError::into_inner).take()
}

/// What a listener acts with.
struct Grant {
    client: Client,
    #[cfg(feature = "install")]
    installation: Option<Arc<crate::install::Installation>>,
}

/// Which replies a payload takes.
fn reply_kind(p: &Payload) -> ReplyKind {
    match p {
        Payload::Command(_) => ReplyKind::Command,
        Payload::Interaction(i) => match **i {
            Interaction::ViewSubmission(_) => ReplyKind::ViewSubmission,
            Interaction::BlockSuggestion(_) => ReplyKind::Options,
            _ => ReplyKind::None,
        },
        Payload::Event(_) => ReplyKind::None,
    }
}
