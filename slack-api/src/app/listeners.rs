//! Registering listeners: one method per kind of payload, each typed by the payload's struct.

use std::future::Future;
use std::sync::Arc;

use super::dispatch::{Listener, Matcher, Run};
use super::error::Result;
use super::payload::Payload;
use super::pattern::Pattern;
use super::{App, Cx};
use crate::events::{
    BlockActions, BlockSuggestion, Event, EventKind, FunctionExecutedEvent, GlobalShortcut, Interaction, MessageEvent,
    MessageShortcut, SlashCommand, ViewClosed, ViewSubmission,
};

/// Which block actions (or options requests) a listener takes: by `action_id`, by
/// `block_id`, or both. A `&str`, `String`, [`Regex`](super::Regex) or [`Pattern`] converts
/// into a match on `action_id`.
///
/// ```
/// use slack_api::app::{Action, Pattern};
/// let by_id: Action = "approve".into();
/// let in_block = Action::id("approve").in_block(Pattern::regex("^request_").unwrap());
/// let any_in_block = Action::block("settings");
/// # let _ = (by_id, in_block, any_in_block);
/// ```
#[derive(Clone, Debug, Default)]
pub struct Action {
    action_id: Option<Pattern>,
    block_id: Option<Pattern>,
}

impl Action {
    /// Actions whose `action_id` matches.
    pub fn id(action_id: impl Into<Pattern>) -> Self {
        Action { action_id: Some(action_id.into()), block_id: None }
    }

    /// Any action in a block whose `block_id` matches.
    pub fn block(block_id: impl Into<Pattern>) -> Self {
        Action { action_id: None, block_id: Some(block_id.into()) }
    }

    /// Also requires the `block_id` to match.
    pub fn in_block(mut self, block_id: impl Into<Pattern>) -> Self {
        self.block_id = Some(block_id.into());
        self
    }

    fn is_match(&self, action_id: Option<&str>, block_id: Option<&str>) -> bool {
        let ok = |p: &Option<Pattern>, v: Option<&str>| p.as_ref().is_none_or(|p| v.is_some_and(|v| p.is_match(v)));
        ok(&self.action_id, action_id) && ok(&self.block_id, block_id)
    }
}

impl<T: Into<Pattern>> From<T> for Action {
    fn from(p: T) -> Self {
        Action::id(p)
    }
}

/// The message subtypes a message listener hears (as Bolt's): plain messages, and those
/// posted by bots, with files, in threads broadcast to the channel, and `/me` messages.
const MESSAGE_SUBTYPES: [Option<&str>; 5] =
    [None, Some("bot_message"), Some("file_share"), Some("thread_broadcast"), Some("me_message")];

/// A listener of `T`, type-erased: `extract` takes the `T` out of the payload the matcher let
/// through.
fn erased<T, F, Fut>(extract: impl Fn(Payload) -> Option<T> + Send + Sync + 'static, handler: F) -> Run
where
    T: Send + 'static,
    F: Fn(T, Cx) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = Result> + Send + 'static,
{
    Arc::new(move |p, cx| match extract(p) {
        Some(t) => Box::pin(handler(t, cx)),
        None => Box::pin(async { Ok(()) }),
    })
}

// Each kind's payload is taken out of the payload in these non-generic functions, so that what
// is not taken (the rest of the payload, another kind) is dropped here, once in the program,
// not in every listener's generic code: the drop of a whole `Event` or `Interaction` is tens of
// kilobytes of machine code, and each copy of it is another.

fn event_of(p: Payload) -> Option<Event> {
    match p {
        Payload::Event(cb) => cb.event,
        _ => None,
    }
}

/// Drops an event a listener does not take.
fn discard_event(e: Event) {
    drop(e);
}

fn message_of(p: Payload) -> Option<MessageEvent> {
    match event_of(p)? {
        Event::Message(m) => Some(m),
        _ => None,
    }
}

fn function_executed_of(p: Payload) -> Option<FunctionExecutedEvent> {
    match event_of(p)? {
        Event::FunctionExecuted(f) => Some(*f),
        _ => None,
    }
}

fn command_of(p: Payload) -> Option<SlashCommand> {
    match p {
        Payload::Command(c) => Some(*c),
        _ => None,
    }
}

fn interaction_of(p: Payload) -> Option<Interaction> {
    match p {
        Payload::Interaction(i) => Some(*i),
        _ => None,
    }
}

fn block_actions_of(p: Payload) -> Option<BlockActions> {
    match interaction_of(p)? {
        Interaction::BlockActions(b) => Some(*b),
        _ => None,
    }
}

fn block_suggestion_of(p: Payload) -> Option<BlockSuggestion> {
    match interaction_of(p)? {
        Interaction::BlockSuggestion(b) => Some(*b),
        _ => None,
    }
}

fn shortcut_of(i: Interaction) -> Option<GlobalShortcut> {
    match i {
        Interaction::Shortcut(s) => Some(*s),
        _ => None,
    }
}

fn message_action_of(i: Interaction) -> Option<MessageShortcut> {
    match i {
        Interaction::MessageAction(s) => Some(*s),
        _ => None,
    }
}

fn view_submission_of(i: Interaction) -> Option<ViewSubmission> {
    match i {
        Interaction::ViewSubmission(s) => Some(*s),
        _ => None,
    }
}

fn view_closed_of(i: Interaction) -> Option<ViewClosed> {
    match i {
        Interaction::ViewClosed(s) => Some(*s),
        _ => None,
    }
}

impl App {
    pub(super) fn add(&mut self, what: String, matches: Matcher, run: Run) -> &mut Self {
        self.listeners.push(Listener { what, matches, run });
        self
    }

    /// Listens to one event type, named by its struct: `|ev: AppMentionEvent, cx| …`
    /// (or `MessageEvent` for every message, whatever its subtype).
    ///
    /// Events take no reply: the framework acknowledges them before the listener runs.
    pub fn event<E, F, Fut>(&mut self, handler: F) -> &mut Self
    where
        E: EventKind + Send + 'static,
        F: Fn(E, Cx) -> Fut + Send + Sync + 'static,
        Fut: Future<Output = Result> + Send + 'static,
    {
        let matches: Matcher = Arc::new(|p| match p {
            Payload::Event(cb) if cb.event.as_ref().is_some_and(|e| e.kind() == E::TYPE) => Some(Vec::new()),
            _ => None,
        });
        let run = erased(
            |p| match E::from_event(event_of(p)?) {
                Ok(e) => Some(e),
                Err(other) => {
                    discard_event(other);
                    None
                }
            },
            handler,
        );
        self.add(format!("event {}", E::TYPE), matches, run)
    }

    /// Listens to messages whose text contains `pattern` (a `&str`), or matches it (a
    /// [`Regex`](super::Regex); its captures are in [`Cx::matches`]). Hears plain messages
    /// and the `bot_message`, `file_share`, `thread_broadcast` and `me_message` subtypes; for
    /// every message event use [`App::event`] with `MessageEvent`. The app's own messages
    /// are not heard unless [`App::ignore_self`] is turned off.
    pub fn message<F, Fut>(&mut self, pattern: impl Into<Pattern>, handler: F) -> &mut Self
    where
        F: Fn(MessageEvent, Cx) -> Fut + Send + Sync + 'static,
        Fut: Future<Output = Result> + Send + 'static,
    {
        let pattern = pattern.into();
        let what = format!("message {pattern:?}");
        let matches: Matcher = Arc::new(move |p| match p {
            Payload::Event(cb) => match cb.event.as_ref() {
                Some(Event::Message(m)) if MESSAGE_SUBTYPES.contains(&m.subtype()) => pattern.find_in(m.text()?),
                _ => None,
            },
            _ => None,
        });
        let run = erased(message_of, handler);
        self.add(what, matches, run)
    }

    /// Listens to a slash command (`"/todo"`, with its slash). Ack it with [`Cx::ack`] or
    /// [`Cx::ack_with`]`(Ack::ephemeral(…))` within the deadline, then do the slow work.
    pub fn command<F, Fut>(&mut self, command: impl Into<Pattern>, handler: F) -> &mut Self
    where
        F: Fn(SlashCommand, Cx) -> Fut + Send + Sync + 'static,
        Fut: Future<Output = Result> + Send + 'static,
    {
        let command = command.into();
        let what = format!("command {command:?}");
        let matches: Matcher = Arc::new(move |p| match p {
            Payload::Command(c) if command.is_match(&c.command) => Some(Vec::new()),
            _ => None,
        });
        let run = erased(command_of, handler);
        self.add(what, matches, run)
    }

    /// Listens to `block_actions` with an action that matches (by `action_id` and/or
    /// `block_id`: see [`Action`]). Acknowledged by the framework before the listener runs.
    pub fn action<F, Fut>(&mut self, action: impl Into<Action>, handler: F) -> &mut Self
    where
        F: Fn(BlockActions, Cx) -> Fut + Send + Sync + 'static,
        Fut: Future<Output = Result> + Send + 'static,
    {
        let action = action.into();
        let what = format!("action {action:?}");
        let matches: Matcher = Arc::new(move |p| match p {
            Payload::Interaction(i) => match &**i {
                Interaction::BlockActions(b) => b
                    .actions
                    .as_deref()
                    .unwrap_or_default()
                    .iter()
                    .find(|a| action.is_match(a.action_id(), a.block_id()))
                    .map(|a| vec![a.action_id().unwrap_or_default().to_owned()]),
                _ => None,
            },
            _ => None,
        });
        let run = erased(block_actions_of, handler);
        self.add(what, matches, run)
    }

    /// Listens to the options requests (`block_suggestion`) of external selects, by
    /// `action_id` and/or `block_id`. Answer with [`Cx::ack_with`]`(Ack::options(…))`.
    pub fn options<F, Fut>(&mut self, action: impl Into<Action>, handler: F) -> &mut Self
    where
        F: Fn(BlockSuggestion, Cx) -> Fut + Send + Sync + 'static,
        Fut: Future<Output = Result> + Send + 'static,
    {
        let action = action.into();
        let what = format!("options {action:?}");
        let matches: Matcher = Arc::new(move |p| match p {
            Payload::Interaction(i) => match &**i {
                Interaction::BlockSuggestion(s) if action.is_match(s.action_id.as_deref(), s.block_id.as_deref()) => {
                    Some(Vec::new())
                }
                _ => None,
            },
            _ => None,
        });
        let run = erased(block_suggestion_of, handler);
        self.add(what, matches, run)
    }

    /// Listens to a global shortcut by its `callback_id`. Acknowledged by the framework; the
    /// `trigger_id` ([`Cx::trigger_id`]) opens a modal within 3 seconds.
    pub fn shortcut<F, Fut>(&mut self, callback_id: impl Into<Pattern>, handler: F) -> &mut Self
    where
        F: Fn(GlobalShortcut, Cx) -> Fut + Send + Sync + 'static,
        Fut: Future<Output = Result> + Send + 'static,
    {
        self.by_callback_id("shortcut", callback_id.into(), shortcut_of, handler)
    }

    /// Listens to a message shortcut by its `callback_id`.
    pub fn message_shortcut<F, Fut>(&mut self, callback_id: impl Into<Pattern>, handler: F) -> &mut Self
    where
        F: Fn(MessageShortcut, Cx) -> Fut + Send + Sync + 'static,
        Fut: Future<Output = Result> + Send + 'static,
    {
        self.by_callback_id("message_action", callback_id.into(), message_action_of, handler)
    }

    /// Listens to the submissions of modals with this `callback_id`. Answer with
    /// [`Cx::ack`] (close), or [`Cx::ack_with`] and [`Ack::errors`](super::Ack::errors),
    /// [`Ack::update`](super::Ack::update), [`Ack::push`](super::Ack::push) or
    /// [`Ack::clear`](super::Ack::clear).
    pub fn view_submission<F, Fut>(&mut self, callback_id: impl Into<Pattern>, handler: F) -> &mut Self
    where
        F: Fn(ViewSubmission, Cx) -> Fut + Send + Sync + 'static,
        Fut: Future<Output = Result> + Send + 'static,
    {
        self.by_callback_id("view_submission", callback_id.into(), view_submission_of, handler)
    }

    /// Listens to modals with this `callback_id` being closed (`notify_on_close`).
    pub fn view_closed<F, Fut>(&mut self, callback_id: impl Into<Pattern>, handler: F) -> &mut Self
    where
        F: Fn(ViewClosed, Cx) -> Fut + Send + Sync + 'static,
        Fut: Future<Output = Result> + Send + 'static,
    {
        self.by_callback_id("view_closed", callback_id.into(), view_closed_of, handler)
    }

    /// A listener of the interactions of type `kind` (known, not `Unknown`) whose
    /// `callback_id` matches; `extract` takes the typed payload out.
    fn by_callback_id<T, F, Fut>(
        &mut self,
        kind: &'static str,
        callback_id: Pattern,
        extract: fn(Interaction) -> Option<T>,
        handler: F,
    ) -> &mut Self
    where
        T: Send + 'static,
        F: Fn(T, Cx) -> Fut + Send + Sync + 'static,
        Fut: Future<Output = Result> + Send + 'static,
    {
        let what = format!("{kind} {callback_id:?}");
        let matches: Matcher = Arc::new(move |p| match p {
            Payload::Interaction(i)
                if !matches!(**i, Interaction::Unknown(_))
                    && i.kind() == kind
                    && i.callback_id().is_some_and(|c| callback_id.is_match(c)) =>
            {
                Some(Vec::new())
            }
            _ => None,
        });
        let run = erased(move |p| extract(interaction_of(p)?), handler);
        self.add(what, matches, run)
    }

    /// Listens to a custom workflow step (`function_executed`) by the function's
    /// `callback_id`. End it with [`Cx::complete`] or [`Cx::fail`]; [`Cx::client`] sends
    /// the function's own token.
    pub fn function<F, Fut>(&mut self, callback_id: impl Into<Pattern>, handler: F) -> &mut Self
    where
        F: Fn(FunctionExecutedEvent, Cx) -> Fut + Send + Sync + 'static,
        Fut: Future<Output = Result> + Send + 'static,
    {
        let callback_id = callback_id.into();
        let what = format!("function {callback_id:?}");
        let matches: Matcher = Arc::new(move |p| match p {
            Payload::Event(cb) => match cb.event.as_ref() {
                Some(Event::FunctionExecuted(f)) if function_callback_id(f).is_some_and(|c| callback_id.is_match(c)) => {
                    Some(Vec::new())
                }
                _ => None,
            },
            _ => None,
        });
        let run = erased(function_executed_of, handler);
        self.add(what, matches, run)
    }

    /// Takes every payload no listener took (the default only logs it at debug level).
    pub fn fallback<F, Fut>(&mut self, handler: F) -> &mut Self
    where
        F: Fn(Payload, Cx) -> Fut + Send + Sync + 'static,
        Fut: Future<Output = Result> + Send + 'static,
    {
        self.fallback = Some(Arc::new(move |p, cx| Box::pin(handler(p, cx))));
        self
    }
}

/// The `callback_id` of the function a `function_executed` event runs.
pub(crate) fn function_callback_id(f: &FunctionExecutedEvent) -> Option<&str> {
    f.function.as_ref()?.callback_id.as_deref()
}
