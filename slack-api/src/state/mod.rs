//! State that several replicas of an app share: the rate budget, 429 pauses, the rotating
//! token and the events already handed to the app.
//!
//! Slack's limits are per app and workspace, not per process: four replicas that each pace
//! themselves send four times the budget. A [`SharedState`] backend holds that state where every
//! replica sees it. [`MemoryState`] keeps it in the process (the default, and the behaviour of a
//! single replica); [`RedisState`] (cargo feature `redis`) keeps it in Redis, with each operation
//! one atomic server-side step and time taken from the Redis server, so replica clocks do not
//! matter.
//!
//! The interface is small: reserve a rate-limit slot (honouring a pause), record a pause, claim
//! a key once (set-if-absent with a time to live), take and release a lease, and get and set a
//! value. When the backend fails (Redis is down), each user of it falls back to its own
//! process-local state — calls keep working, paced locally and still handling 429s; see
//! [`RateLimiter`](crate::RateLimiter) and [`TokenRotation`](crate::TokenRotation) for what
//! degrades — and a warning is logged once per outage.

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

mod memory;
#[cfg(feature = "redis")]
mod redis;

pub use memory::MemoryState;
#[cfg(feature = "redis")]
pub use redis::RedisState;

/// What a backend operation returns.
pub type StateFuture<'a, T> = Pin<Box<dyn Future<Output = Result<T, StateError>> + Send + 'a>>;

/// A rate-limit slot to reserve: the next call under `key`, at most one per `interval` with
/// `tolerance` of burst (the generic cell rate algorithm), not before `pause_key`'s pause ends.
#[derive(Debug, Clone, Copy)]
pub struct SlotRequest<'a> {
    pub key: &'a str,
    pub pause_key: &'a str,
    pub interval: Duration,
    pub tolerance: Duration,
    /// Take the slot only if it comes within this wait; `None`: whenever it comes.
    pub max_wait: Option<Duration>,
}

/// A lease taken with [`SharedState::lease`]: whoever holds it may act (refresh a token); it
/// ends on [`release`](SharedState::release) or when its time to live runs out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Lease {
    pub key: String,
    /// Identifies this holder, so that only it can release the lease.
    pub holder: String,
}

/// Where state shared by clients (and by replicas, with a shared backend) lives.
pub trait SharedState: Send + Sync + 'static {
    /// Reserves the slot: the wait before the call may go (zero: now), or `None` if it would
    /// come after `max_wait` (nothing is taken then).
    fn reserve<'a>(&'a self, slot: SlotRequest<'a>) -> StateFuture<'a, Option<Duration>>;
    /// Holds back every slot under `pause_key` for `duration` from now (a later pause wins).
    fn pause<'a>(&'a self, pause_key: &'a str, duration: Duration) -> StateFuture<'a, ()>;
    /// Sets `key` if it is not set, for `ttl`: `true` for the first claim, `false` after.
    fn claim<'a>(&'a self, key: &'a str, ttl: Duration) -> StateFuture<'a, bool>;
    /// Takes the lease `key` for `ttl` if nobody holds it.
    fn lease<'a>(&'a self, key: &'a str, ttl: Duration) -> StateFuture<'a, Option<Lease>>;
    /// Ends a lease this holder took (a lease that expired and was taken by another stays).
    fn release(&self, lease: Lease) -> StateFuture<'_, ()>;
    /// The value of `key`.
    fn get<'a>(&'a self, key: &'a str) -> StateFuture<'a, Option<String>>;
    /// Sets `key` to `value`.
    fn set<'a>(&'a self, key: &'a str, value: &'a str) -> StateFuture<'a, ()>;
    /// A name for logs (`memory`, `redis`).
    fn name(&self) -> &'static str;
}

/// A backend operation that failed (Redis unreachable, a timeout, an unexpected answer). The
/// message never holds a stored value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StateError(pub String);

impl fmt::Display for StateError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for StateError {}

/// Logs a backend outage once, and its end once.
#[derive(Debug, Default)]
pub(crate) struct Outage {
    down: AtomicBool,
}

impl Outage {
    /// Passes `result` through, logging the first failure of an outage and the first success
    /// after one.
    pub(crate) fn watch<T>(&self, backend: &str, what: &str, result: Result<T, StateError>) -> Result<T, StateError> {
        match &result {
            Ok(_) => {
                if self.down.swap(false, Ordering::Relaxed) {
                    tracing::info!(backend, "shared state reachable again; using it");
                }
            }
            Err(e) => {
                if !self.down.swap(true, Ordering::Relaxed) {
                    tracing::warn!(backend, error = %e, operation = what, "shared state unavailable; falling back to this process's own state until it returns");
                }
            }
        }
        result
    }
}
