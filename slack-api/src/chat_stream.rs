//! A streamed message (`chat.startStream` → `chat.appendStream` … → `chat.stopStream`) with
//! its text buffered: [`ChatStream`].

use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Weak};
use std::time::Duration;

use tokio::sync::{Mutex, Notify};
use tokio::time::Instant;

use crate::block_kit::{Block, Chunk, MarkdownTextChunk, MessageMetadata};
use crate::chat::{ChatAppendStreamRequest, ChatStartStreamRequest, ChatStopStreamRequest, ChatStopStreamResponse};
use crate::{AnyError, Client, Error, Timestamp};

/// How much markdown a stream holds before it sends it, in characters, by default.
pub const DEFAULT_BUFFER_CHARS: usize = 256;

/// How long a stream holds markdown before it sends it, however little, by default.
pub const DEFAULT_MAX_DELAY: Duration = Duration::from_secs(1);

/// The most markdown one call carries (`markdown_text`: "Limit this field to 12,000
/// characters"); longer text goes in several calls.
pub const MARKDOWN_TEXT_MAX_CHARS: usize = 12_000;

/// Why a stream could not do what it was asked.
#[derive(Debug)]
#[non_exhaustive]
pub enum ChatStreamError {
    /// A call to Slack failed (`method`: `chat.startStream`, `chat.appendStream` or
    /// `chat.stopStream`), or was refused before sending (`Error::InvalidRequest`). The stream
    /// is closed; `unsent` holds what had not reached Slack, in order, markdown as
    /// [`MarkdownTextChunk`]s.
    Call { method: &'static str, error: AnyError, unsent: Vec<Chunk> },
    /// Chunks that break Slack's limits, refused before they were buffered (nothing was
    /// sent; the stream goes on).
    Invalid(String),
    /// The stream was stopped, or failed before (its error was returned then).
    Closed,
}

impl std::fmt::Display for ChatStreamError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ChatStreamError::Call { method, error, unsent } => {
                write!(f, "{method} failed: {error}")?;
                if !unsent.is_empty() {
                    write!(f, " ({} chunk(s) not sent)", unsent.len())?;
                }
                Ok(())
            }
            ChatStreamError::Invalid(why) => write!(f, "chunks refused before sending: {why}"),
            ChatStreamError::Closed => f.write_str("the stream is stopped or has failed"),
        }
    }
}

impl std::error::Error for ChatStreamError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            ChatStreamError::Call { error, .. } => Some(error),
            _ => None,
        }
    }
}

/// What [`ChatStream::stop_with`] adds as the stream ends: last markdown or chunks, blocks
/// shown at the bottom of the finished message, message metadata.
#[derive(Clone, Debug, Default, PartialEq)]
#[must_use]
pub struct StreamEnd {
    chunks: Vec<Chunk>,
    blocks: Option<Vec<Block>>,
    metadata: Option<MessageMetadata>,
}

impl StreamEnd {
    pub fn new() -> Self {
        Self::default()
    }

    /// Markdown appended last.
    pub fn markdown(mut self, text: impl Into<String>) -> Self {
        push_text(&mut self.chunks, &text.into());
        self
    }

    /// Chunks appended last, after any markdown given before.
    pub fn chunks(mut self, chunks: impl IntoIterator<Item = impl Into<Chunk>>) -> Self {
        self.chunks.extend(chunks.into_iter().map(Into::into));
        self
    }

    /// Blocks rendered at the bottom of the finished message (feedback buttons, say).
    pub fn blocks(mut self, blocks: impl IntoIterator<Item = impl Into<Block>>) -> Self {
        self.blocks = Some(blocks.into_iter().map(Into::into).collect());
        self
    }

    /// Message metadata of the finished message.
    pub fn metadata(mut self, metadata: MessageMetadata) -> Self {
        self.metadata = Some(metadata);
        self
    }
}

/// One streamed message: markdown and chunks appended as they come, sent to Slack in fewer,
/// larger calls.
///
/// - **Start.** The stream starts (`chat.startStream`, with the request given to
///   [`new`](Self::new): channel, thread, recipient…) with its first content, so Slack never
///   sees an empty start; [`start`](Self::start) starts it at once instead.
/// - **Append.** [`append`](Self::append) buffers markdown; it is sent
///   (`chat.appendStream`) once the buffer holds [`buffer_chars`](Self::buffer_chars)
///   characters (256 by default), or [`max_delay`](Self::max_delay) after its oldest text
///   arrived (1 s by default) — by a timer, even when nothing else is appended. Markdown over
///   12,000 characters goes in several calls. [`append_chunks`](Self::append_chunks) sends
///   task updates, plan titles and blocks at once, after the markdown buffered before them,
///   in order; chunks that break Slack's limits are refused before anything is buffered.
/// - **Stop.** [`stop`](Self::stop) / [`stop_with`](Self::stop_with) send what is buffered
///   with the last markdown, chunks, blocks and metadata (`chat.stopStream`).
/// - **Errors are never lost.** A failed call closes the stream and comes back — from the
///   call that made it, or, for a send the timer made, from the next call — with what had not
///   reached Slack. A stream dropped with text still buffered, or without being stopped, logs
///   a warning.
///
/// ```no_run
/// use slack_api::block_kit::{ButtonElement, ActionsBlock, TaskUpdateChunk, TaskUpdateChunkStatus};
/// use slack_api::chat::ChatStartStreamRequest;
/// use slack_api::chat_stream::{ChatStream, StreamEnd};
///
/// # async fn run(client: slack_api::Client) -> Result<(), Box<dyn std::error::Error>> {
/// let start = ChatStartStreamRequest::new("D0123456789").thread_ts("1721609600.123456");
/// let stream = ChatStream::new(client, start);
/// stream.append_chunks([TaskUpdateChunk::new("search", "Searching the docs", TaskUpdateChunkStatus::InProgress)]).await?;
/// for token in ["The answer", " is ", "**42**."] {
///     stream.append(token).await?; // buffered, sent by size or by time
/// }
/// stream.append_chunks([TaskUpdateChunk::new("search", "Searching the docs", TaskUpdateChunkStatus::Complete)]).await?;
/// stream
///     .stop_with(StreamEnd::new().blocks([ActionsBlock::new([ButtonElement::new("Helpful").action_id("good")])]))
///     .await?;
/// # Ok(()) }
/// ```
pub struct ChatStream {
    shared: Arc<Shared>,
    /// Wakes the timer task: new text buffered, or the stream is gone.
    wake: Arc<Notify>,
}

struct Shared {
    client: Client,
    /// Settings, changeable at any time (read under the state's lock).
    buffer_chars: AtomicUsize,
    max_delay_ms: AtomicU64,
    state: Mutex<State>,
}

impl Shared {
    fn buffer_chars(&self) -> usize {
        self.buffer_chars.load(Ordering::Relaxed)
    }

    fn max_delay(&self) -> Duration {
        Duration::from_millis(self.max_delay_ms.load(Ordering::Relaxed))
    }
}

struct State {
    /// The start request, until the stream has started.
    start: Option<ChatStartStreamRequest>,
    /// The channel and the streamed message's `ts`, once started.
    started: Option<(crate::ChannelId, Timestamp)>,
    /// What waits to be sent, in order; consecutive markdown is one chunk.
    buffer: Vec<Chunk>,
    /// Characters of markdown in `buffer`.
    buffered_chars: usize,
    /// When the oldest buffered markdown arrived.
    since: Option<Instant>,
    /// The error of a send the timer made, for the next call.
    failed: Option<ChatStreamError>,
    closed: bool,
    timer: bool,
}

impl std::fmt::Debug for ChatStream {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ChatStream")
            .field("buffer_chars", &self.shared.buffer_chars())
            .field("max_delay", &self.shared.max_delay())
            .finish_non_exhaustive()
    }
}

impl ChatStream {
    /// A stream that starts with `start` (its channel, `thread_ts`, `recipient_user_id` /
    /// `recipient_team_id`, `task_display_mode`…) when its first content is sent. Markdown or
    /// chunks already on `start` go first.
    pub fn new(client: Client, start: ChatStartStreamRequest) -> Self {
        let mut start = start;
        let mut buffer = Vec::new();
        if let Some(text) = start.markdown_text.take() {
            push_text(&mut buffer, &text);
        }
        let mut raw = None;
        match start.chunks.take() {
            Some(crate::JsonArg::Value(c)) => buffer.extend(c),
            // Prepared JSON text cannot be merged with the rest: it is sent as it is.
            Some(other) => raw = Some(other),
            None => {}
        }
        start.chunks = raw;
        let buffered_chars = text_chars(&buffer);
        let state = State {
            start: Some(start),
            started: None,
            since: (buffered_chars > 0).then(Instant::now),
            buffer,
            buffered_chars,
            failed: None,
            closed: false,
            timer: false,
        };
        ChatStream {
            shared: Arc::new(Shared {
                client,
                buffer_chars: AtomicUsize::new(DEFAULT_BUFFER_CHARS),
                max_delay_ms: AtomicU64::new(millis(DEFAULT_MAX_DELAY)),
                state: Mutex::new(state),
            }),
            wake: Arc::new(Notify::new()),
        }
    }

    /// Sends buffered markdown once it holds `chars` characters (256 by default; 0 sends
    /// every append at once).
    pub fn buffer_chars(self, chars: usize) -> Self {
        self.shared.buffer_chars.store(chars, Ordering::Relaxed);
        self
    }

    /// Sends buffered markdown at the latest this long after its oldest text arrived (1 s by
    /// default; counted in milliseconds).
    pub fn max_delay(self, delay: Duration) -> Self {
        self.shared.max_delay_ms.store(millis(delay), Ordering::Relaxed);
        self.wake.notify_one();
        self
    }

    /// Starts the stream now (`chat.startStream`), with whatever is buffered (Slack may
    /// refuse an empty start with `no_text`).
    pub async fn start(&self) -> Result<(), ChatStreamError> {
        let mut st = self.open().await?;
        if st.started.is_none() {
            self.shared.send(&mut st).await?;
        }
        Ok(())
    }

    /// The streamed message's channel and `ts`, once started.
    pub async fn message(&self) -> Option<(crate::ChannelId, Timestamp)> {
        self.shared.state.lock().await.started.clone()
    }

    /// Appends markdown: buffered, sent by size or by time.
    pub async fn append(&self, markdown: impl AsRef<str>) -> Result<(), ChatStreamError> {
        let text = markdown.as_ref();
        if text.is_empty() {
            return Ok(());
        }
        let mut st = self.open().await?;
        push_text(&mut st.buffer, text);
        st.buffered_chars += text.chars().count();
        if st.since.is_none() {
            st.since = Some(Instant::now());
        }
        if st.buffered_chars >= self.shared.buffer_chars() {
            return self.shared.send(&mut st).await;
        }
        self.arm_timer(&mut st);
        Ok(())
    }

    /// Appends chunks (task updates, a plan title, blocks, markdown), after the markdown
    /// buffered before them, and sends them now. Chunks that break Slack's limits are refused
    /// before anything is buffered ([`ChatStreamError::Invalid`]).
    pub async fn append_chunks(&self, chunks: impl IntoIterator<Item = impl Into<Chunk>>) -> Result<(), ChatStreamError> {
        let chunks: Vec<Chunk> = chunks.into_iter().map(Into::into).collect();
        check(&chunks)?;
        let mut st = self.open().await?;
        for c in chunks {
            match c {
                Chunk::MarkdownText(m) => {
                    st.buffered_chars += m.text.chars().count();
                    push_text(&mut st.buffer, &m.text);
                }
                other => st.buffer.push(other),
            }
        }
        self.shared.send(&mut st).await
    }

    /// Sends what is buffered now.
    pub async fn flush(&self) -> Result<(), ChatStreamError> {
        let mut st = self.open().await?;
        if st.buffer.is_empty() {
            return Ok(());
        }
        self.shared.send(&mut st).await
    }

    /// Ends the stream (`chat.stopStream`) with what is buffered.
    pub async fn stop(&self) -> Result<ChatStopStreamResponse, ChatStreamError> {
        self.stop_with(StreamEnd::new()).await
    }

    /// Ends the stream with what is buffered, then `end`'s markdown and chunks, blocks and
    /// metadata. A stream that never started starts first, with the buffered content. Chunks
    /// that break Slack's limits are refused before anything is sent, and the stream stays
    /// open; after a stop, every call gives [`ChatStreamError::Closed`].
    pub async fn stop_with(&self, end: StreamEnd) -> Result<ChatStopStreamResponse, ChatStreamError> {
        check(&end.chunks)?;
        let mut st = self.open().await?;
        for c in end.chunks {
            match c {
                Chunk::MarkdownText(m) => push_text(&mut st.buffer, &m.text),
                other => st.buffer.push(other),
            }
        }
        // Markdown beyond one call's limit goes ahead (starting the stream if need be); the
        // rest ends it.
        while st.started.is_none() || (only_text(&st.buffer) && text_chars(&st.buffer) > MARKDOWN_TEXT_MAX_CHARS) {
            let piece = take_piece(&mut st.buffer);
            self.shared.send_piece(&mut st, piece).await?;
        }
        let (channel, ts) = st.started.clone().ok_or(ChatStreamError::Closed)?;
        let buffer = std::mem::take(&mut st.buffer);
        st.buffered_chars = 0;
        st.since = None;
        st.closed = true;
        let mut req = ChatStopStreamRequest::new(channel, ts);
        req = match content(&buffer) {
            Content::None => req,
            Content::Text(t) => req.markdown_text(t),
            Content::Chunks => req.chunks(buffer.iter().cloned()),
        };
        if let Some(blocks) = end.blocks {
            req = req.blocks(blocks);
        }
        if let Some(m) = end.metadata {
            req = req.metadata(m);
        }
        drop(st);
        self.wake.notify_one();
        self.shared
            .client
            .call(&req)
            .await
            .map_err(|e| ChatStreamError::Call { method: "chat.stopStream", error: e.into_untyped(), unsent: buffer })
    }

    /// The state, for a call that needs the stream open: the error of a send the timer made
    /// comes back here first.
    async fn open(&self) -> Result<tokio::sync::MutexGuard<'_, State>, ChatStreamError> {
        let mut st = self.shared.state.lock().await;
        if let Some(e) = st.failed.take() {
            return Err(e);
        }
        if st.closed {
            return Err(ChatStreamError::Closed);
        }
        Ok(st)
    }

    /// Starts the timer task (once) and tells it about new text.
    fn arm_timer(&self, st: &mut State) {
        if !st.timer {
            st.timer = true;
            tokio::spawn(timer(Arc::downgrade(&self.shared), self.wake.clone()));
        }
        self.wake.notify_one();
    }
}

impl Drop for ChatStream {
    fn drop(&mut self) {
        self.wake.notify_one();
        if let Ok(st) = self.shared.state.try_lock() {
            if !st.closed && (st.started.is_some() || !st.buffer.is_empty()) {
                tracing::warn!(
                    buffered_chunks = st.buffer.len(),
                    started = st.started.is_some(),
                    "slack_api: a ChatStream was dropped without stop(); its buffered content was not sent and the message stays streaming"
                );
            }
            if let Some(e) = &st.failed {
                tracing::warn!(error = %e, "slack_api: a ChatStream was dropped with an error nobody read");
            }
        }
    }
}

/// Sends buffered markdown when it is due, until the stream is dropped or closed. Holds the
/// stream only while it sends, so dropping the stream ends it.
async fn timer(shared: Weak<Shared>, wake: Arc<Notify>) {
    loop {
        // When the oldest buffered text is due: `None` with nothing buffered, or with a delay
        // too long to add to the clock (then it goes by size, or at the stop).
        let due = {
            let Some(s) = shared.upgrade() else { return };
            let st = s.state.lock().await;
            if st.closed || st.failed.is_some() {
                return;
            }
            st.since.and_then(|t| t.checked_add(s.max_delay()))
        };
        match due {
            None => wake.notified().await,
            Some(at) if at > Instant::now() => {
                let _ = tokio::time::timeout_at(at, wake.notified()).await;
            }
            Some(_) => {
                let Some(s) = shared.upgrade() else { return };
                let mut st = s.state.lock().await;
                if st.closed || st.failed.is_some() {
                    return;
                }
                // Still due (an append may have sent it meanwhile).
                if st.since.and_then(|t| t.checked_add(s.max_delay())).is_some_and(|at| at <= Instant::now()) {
                    if let Err(e) = s.send(&mut st).await {
                        st.failed = Some(e);
                        return;
                    }
                }
            }
        }
    }
}

impl Shared {
    /// Sends the whole buffer, in as many calls as it takes: the first starts the stream if
    /// it has not started (with no content when the buffer is empty). On failure the stream
    /// is closed and the error carries what was not sent.
    async fn send(&self, st: &mut State) -> Result<(), ChatStreamError> {
        loop {
            let piece = take_piece(&mut st.buffer);
            self.send_piece(st, piece).await?;
            if st.buffer.is_empty() {
                return Ok(());
            }
        }
    }

    /// Sends one call's worth: starts the stream with it, or appends it.
    async fn send_piece(&self, st: &mut State, piece: Vec<Chunk>) -> Result<(), ChatStreamError> {
        st.buffered_chars = text_chars(&st.buffer);
        st.since = (st.buffered_chars > 0).then(Instant::now);
        let (method, result) = match st.started.clone() {
            None => {
                let start = st.start.take().ok_or(ChatStreamError::Closed)?;
                let req = with_content(start, &piece, ChatStartStreamRequest::markdown_text, |r, c| r.chunks(c));
                let result = self.client.call(&req).await.map_err(Error::into_untyped).and_then(|resp| {
                    let channel = resp.channel.clone().unwrap_or_else(|| req.channel.clone());
                    let ts = resp.ts.clone().ok_or_else(|| {
                        Error::InvalidRequest("chat.startStream answered without the message's `ts`".into())
                    })?;
                    st.started = Some((channel, ts));
                    Ok(())
                });
                ("chat.startStream", result)
            }
            Some(_) if piece.is_empty() => return Ok(()),
            Some((channel, ts)) => {
                let req = ChatAppendStreamRequest::new(channel, ts);
                let req = with_content(req, &piece, ChatAppendStreamRequest::markdown_text, |r, c| r.chunks(c));
                ("chat.appendStream", self.client.call(&req).await.map(drop).map_err(Error::into_untyped))
            }
        };
        result.map_err(|error| {
            let mut unsent = piece;
            unsent.append(&mut st.buffer);
            st.buffered_chars = 0;
            st.since = None;
            st.closed = true;
            ChatStreamError::Call { method, error, unsent }
        })
    }
}

/// Sets a request's content: markdown alone as `markdown_text`, anything else as `chunks`.
fn with_content<R>(req: R, piece: &[Chunk], text: fn(R, String) -> R, chunks: fn(R, Vec<Chunk>) -> R) -> R {
    match content(piece) {
        Content::None => req,
        Content::Text(t) => text(req, t),
        Content::Chunks => chunks(req, piece.to_vec()),
    }
}

enum Content {
    None,
    Text(String),
    Chunks,
}

fn content(piece: &[Chunk]) -> Content {
    match piece {
        [] => Content::None,
        [Chunk::MarkdownText(m)] => Content::Text(m.text.clone()),
        _ => Content::Chunks,
    }
}

/// What one call carries, taken from the front of the buffer: markdown alone is cut at
/// 12,000 characters (on a character boundary); chunks go whole.
fn take_piece(buffer: &mut Vec<Chunk>) -> Vec<Chunk> {
    if let [Chunk::MarkdownText(m)] = buffer.as_mut_slice() {
        if let Some((cut, _)) = m.text.char_indices().nth(MARKDOWN_TEXT_MAX_CHARS) {
            let rest = m.text.split_off(cut);
            let first = std::mem::replace(&mut m.text, rest);
            return vec![MarkdownTextChunk::new(first).into()];
        }
    }
    std::mem::take(buffer)
}

fn only_text(buffer: &[Chunk]) -> bool {
    matches!(buffer, [Chunk::MarkdownText(_)])
}

fn text_chars(buffer: &[Chunk]) -> usize {
    buffer
        .iter()
        .map(|c| match c {
            Chunk::MarkdownText(m) => m.text.chars().count(),
            _ => 0,
        })
        .sum()
}

/// Appends markdown to the buffer, to its last chunk where that is markdown.
fn push_text(buffer: &mut Vec<Chunk>, text: &str) {
    if let Some(Chunk::MarkdownText(m)) = buffer.last_mut() {
        m.text.push_str(text);
    } else {
        buffer.push(MarkdownTextChunk::new(text).into());
    }
}

/// Slack's limits on chunks, checked before they are buffered.
fn check(chunks: &[Chunk]) -> Result<(), ChatStreamError> {
    let mut v = crate::block_kit::Validator::new();
    v.value("chunks", chunks);
    v.finish().map_err(|e| ChatStreamError::Invalid(e.to_string()))
}

/// A delay in whole milliseconds (saturating).
fn millis(d: Duration) -> u64 {
    u64::try_from(d.as_millis()).unwrap_or(u64::MAX)
}
