//! Handing each event to the app once: Slack redelivers an event it thinks was not received
//! (HTTP retries with `X-Slack-Retry-Num`, Socket Mode envelopes after a reconnect). The store
//! is a small trait — set-if-absent with a time to live — so that a shared store (Redis) can
//! replace the in-memory one for apps on several replicas.

use std::future::Future;
use std::pin::Pin;
use std::time::Duration;

use crate::state::MemoryState;

/// How long an ID is remembered by default: one hour, longer than Slack's retry schedule (three
/// retries over about five minutes) and any reconnect redelivery.
pub const DEFAULT_DEDUPE_TTL: Duration = Duration::from_secs(60 * 60);

/// The key an event is deduplicated by, over HTTP and Socket Mode alike, so that a delivery
/// seen on either transport (or on another replica) counts once.
pub(crate) fn event_key(event_id: &str) -> String {
    format!("event:{event_id}")
}

/// The key of a Socket Mode envelope whose payload has no ID of its own (interactivity, slash
/// commands).
#[cfg(feature = "socket-mode")]
pub(crate) fn envelope_key(envelope_id: &str) -> String {
    format!("envelope:{envelope_id}")
}

/// A future returned by a [`Dedupe`] store.
pub type DedupeFuture<'a> = Pin<Box<dyn Future<Output = bool> + Send + 'a>>;

/// Remembers IDs for a while.
pub trait Dedupe: Send + Sync + 'static {
    /// Records `key` for `ttl` if it is not recorded yet; `true` when it was new (the caller
    /// handles it), `false` when it was seen within its TTL (the caller drops it). A store that
    /// cannot answer (e.g. unreachable) should answer `true`: a duplicate is better than a loss.
    fn first_time<'a>(&'a self, key: &'a str, ttl: Duration) -> DedupeFuture<'a>;
}

/// An in-process [`Dedupe`] store: the claims of a [`MemoryState`]. Expired keys are swept as
/// new ones arrive.
#[derive(Debug, Default)]
pub struct MemoryDedupe {
    state: MemoryState,
}

impl MemoryDedupe {
    pub fn new() -> Self {
        Self::default()
    }

    /// The synchronous operation behind [`Dedupe::first_time`].
    pub fn first_time_now(&self, key: &str, ttl: Duration) -> bool {
        self.state.claim_now(key, ttl)
    }

    /// How many keys are remembered (expired ones included until swept).
    pub fn len(&self) -> usize {
        self.state.claim_keys()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

impl Dedupe for MemoryDedupe {
    fn first_time<'a>(&'a self, key: &'a str, ttl: Duration) -> DedupeFuture<'a> {
        let fresh = self.first_time_now(key, ttl);
        Box::pin(std::future::ready(fresh))
    }
}

/// Deduplication through a [`SharedState`](crate::state::SharedState) backend — its `claim`
/// (set-if-absent with a TTL) — so that replicas sharing a [`RedisState`](crate::state) hand
/// each event to the app once between them.
///
/// When the backend fails (Redis down), each process falls back to its own in-memory store: an
/// event retried to another replica during the outage may then be handled twice, but none is
/// dropped. A warning is logged once per outage.
pub struct StateDedupe {
    state: std::sync::Arc<dyn crate::state::SharedState>,
    local: MemoryDedupe,
    outage: crate::state::Outage,
}

impl std::fmt::Debug for StateDedupe {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("StateDedupe").field("backend", &self.state.name()).finish_non_exhaustive()
    }
}

impl StateDedupe {
    pub fn new(state: std::sync::Arc<dyn crate::state::SharedState>) -> Self {
        Self { state, local: MemoryDedupe::new(), outage: crate::state::Outage::default() }
    }
}

impl Dedupe for StateDedupe {
    fn first_time<'a>(&'a self, key: &'a str, ttl: Duration) -> DedupeFuture<'a> {
        Box::pin(async move {
            let claimed = self.state.claim(key, ttl).await;
            match self.outage.watch(self.state.name(), "dedupe", claimed) {
                Ok(fresh) => fresh,
                Err(_) => self.local.first_time_now(key, ttl),
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn once_within_ttl_again_after() {
        let d = MemoryDedupe::new();
        assert!(d.first_time_now("Ev1", Duration::from_millis(30)));
        assert!(!d.first_time_now("Ev1", Duration::from_millis(30)));
        assert!(d.first_time_now("Ev2", Duration::from_millis(30)));
        std::thread::sleep(Duration::from_millis(40));
        assert!(d.first_time_now("Ev1", Duration::from_millis(30)));
    }
}
