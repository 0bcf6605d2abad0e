//! An optional client-side limiter that paces calls to Slack's published limits, so that a
//! busy app is not throttled in the first place.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use tokio::time::Instant;

use crate::{MethodInfo, RateLimitTier};
use crate::state::{MemoryState, Outage, SharedState, SlotRequest};
use crate::wire::Args;

/// Paces calls per method by its rate-limit tier (Tier 1: 1 per minute, Tier 2: 20, Tier 3: 50,
/// Tier 4: 100, each with a burst of the same size), and `chat.postMessage` to one message per
/// second per channel. Methods of the special tier other than `chat.postMessage`, and untiered
/// ones, are not paced. After an HTTP 429, the method is paused for every client of the limiter
/// until Slack's `Retry-After` has passed.
///
/// Calls waiting for the same method (or channel) go in the order they asked: each takes the
/// next free slot when it arrives (the generic cell rate algorithm, with reservations), so a
/// queue of posts to one channel is delivered in order. State is kept per method and per
/// channel only while it matters: a key whose slots are all free again is forgotten, so a
/// limiter that has seen a million channels does not keep a million entries.
///
/// Slack counts per app *per workspace*: give clients that act on the same workspace one
/// limiter (it is cheap to clone and clones share their state), and clients of different
/// workspaces separate ones. Replicas of an app share a budget through a shared backend:
/// [`RateLimiter::shared`] with a [`RedisState`](crate::state::RedisState) (feature `redis`).
/// If the backend fails, each replica paces itself with its own state (and still handles
/// 429s) until it returns; a warning is logged once per outage.
///
/// Off unless set with [`ClientBuilder::rate_limiter`](crate::ClientBuilder::rate_limiter): the
/// client retries 429s anyway, and the limiter's pacing only helps where an app calls one method
/// faster than its tier.
#[derive(Clone)]
pub struct RateLimiter {
    inner: Arc<Inner>,
    /// The workspace this handle paces (see [`RateLimiter::for_workspace`]); `None`: one
    /// budget for every call through it.
    workspace: Option<Arc<str>>,
}

struct Inner {
    /// Tiers 1–4, then `chat.postMessage` per channel.
    rules: [Rule; 5],
    /// This process's state: the only one without a shared backend, the fallback with one.
    local: MemoryState,
    shared: Option<Shared>,
}

struct Shared {
    backend: Arc<dyn SharedState>,
    /// Prefixes every key: one budget per app and workspace.
    namespace: String,
    outage: Outage,
}

/// One limit: a slot every `interval`, up to `burst` at once.
#[derive(Clone, Copy)]
struct Rule {
    interval: Duration,
    /// `interval × (burst − 1)`: how far ahead of its theoretical time a call may go.
    tolerance: Duration,
}

impl Rule {
    fn per_minute(n: u32, burst: u32) -> Rule {
        let n = n.max(1);
        let interval = Duration::from_secs(60) / n;
        Rule { interval, tolerance: interval.saturating_mul(burst.max(1) - 1) }
    }
}

impl fmt::Debug for RateLimiter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RateLimiter")
            .field("backend", &self.inner.shared.as_ref().map_or("memory", |s| s.backend.name()))
            .field("tracked_keys", &self.tracked_keys())
            .finish_non_exhaustive()
    }
}

impl Default for RateLimiter {
    fn default() -> Self {
        Self::new()
    }
}

/// Methods limited to one message per second per channel.
const PER_CHANNEL: &[&str] = &["chat.postMessage"];

/// A call's keys: its slot and the method's pause.
struct Keys {
    rule: usize,
    slot: String,
    pause: String,
}

impl RateLimiter {
    /// Slack's published limits.
    pub fn new() -> Self {
        Self::with_rates([1, 20, 50, 100], 60)
    }

    /// Custom rates: calls per minute for tiers 1–4 (each with a burst of the same size), and
    /// `chat.postMessage` messages per minute per channel (Slack's rule is 60), without burst.
    pub fn with_rates(tiers_per_minute: [u32; 4], messages_per_channel_per_minute: u32) -> Self {
        let [t1, t2, t3, t4] = tiers_per_minute;
        let rules = [
            Rule::per_minute(t1, t1),
            Rule::per_minute(t2, t2),
            Rule::per_minute(t3, t3),
            Rule::per_minute(t4, t4),
            Rule::per_minute(messages_per_channel_per_minute, 1),
        ];
        RateLimiter { inner: Arc::new(Inner { rules, local: MemoryState::new(), shared: None }), workspace: None }
    }

    /// The same limiter with its budget in a shared backend, so that every replica (and every
    /// client) given a limiter with the same backend and `namespace` draws on one budget.
    /// `namespace` should name the app and workspace (e.g. `A0123:T0456`): Slack's limits are
    /// per app and workspace. Configure before cloning.
    ///
    /// # Panics
    ///
    /// If called on a clone (configure a limiter before sharing it).
    #[must_use]
    pub fn shared(mut self, backend: Arc<dyn SharedState>, namespace: impl Into<String>) -> Self {
        Arc::get_mut(&mut self.inner).expect("RateLimiter::shared is called before the limiter is cloned").shared =
            Some(Shared { backend, namespace: namespace.into(), outage: Outage::default() });
        self
    }

    /// The same limiter (state, backend, rates) pacing `workspace`'s calls on a budget of
    /// their own: Slack's limits are per app and workspace, so the clients of an app installed
    /// in many workspaces share one limiter and each workspace draws on its own budget.
    /// [`Client::with_token_for`](crate::Client::with_token_for) uses it.
    #[must_use]
    pub fn for_workspace(&self, workspace: &str) -> RateLimiter {
        RateLimiter { inner: self.inner.clone(), workspace: Some(Arc::from(workspace)) }
    }

    /// Which rule and keys pace this call, if any.
    fn keys(&self, info: &MethodInfo, args: &Args) -> Option<Keys> {
        let ws = self.workspace.as_deref().map(|w| format!("w:{w}:")).unwrap_or_default();
        let pause = format!("{ws}pause:{}", info.name);
        if PER_CHANNEL.contains(&info.name) {
            let channel = args.get("channel")?;
            return Some(Keys { rule: 4, slot: format!("{ws}ch:{}:{channel}", info.name), pause });
        }
        let rule = match info.rate_limit {
            RateLimitTier::Tier1 => 0,
            RateLimitTier::Tier2 => 1,
            RateLimitTier::Tier3 => 2,
            RateLimitTier::Tier4 => 3,
            _ => return None,
        };
        Some(Keys { rule, slot: format!("{ws}m:{}", info.name), pause })
    }

    fn request<'a>(&self, keys: &'a Keys, max_wait: Option<Duration>) -> SlotRequest<'a> {
        let rule = self.inner.rules[keys.rule];
        SlotRequest { key: &keys.slot, pause_key: &keys.pause, interval: rule.interval, tolerance: rule.tolerance, max_wait }
    }

    /// Takes this call's slot in this process's state if it may go now (returns zero), or says
    /// how long it must wait (and takes nothing). With a shared backend, the client reserves
    /// slots there; this reads only the local fallback.
    pub fn try_acquire(&self, info: &MethodInfo, args: &Args) -> Duration {
        match self.keys(info, args) {
            None => Duration::ZERO,
            Some(keys) => self.inner.local.reserve_now(self.request(&keys, None), false).unwrap_or_default(),
        }
    }

    /// Takes the call's next slot, in the order calls ask, and waits for it. `false` (and no
    /// slot taken) when the slot comes after `deadline`.
    pub(crate) async fn until_ready(&self, info: &MethodInfo, args: &Args, deadline: Option<Instant>) -> bool {
        let Some(keys) = self.keys(info, args) else { return true };
        let max_wait = deadline.map(|d| d.saturating_duration_since(Instant::now()));
        let wait = match &self.inner.shared {
            Some(shared) => {
                let slot = self.request(&keys, max_wait);
                let (slot_key, pause_key) = (shared.key(&keys.slot), shared.key(&keys.pause));
                let remote = SlotRequest { key: &slot_key, pause_key: &pause_key, ..slot };
                let got = shared.backend.reserve(remote).await;
                match shared.outage.watch(shared.backend.name(), "reserve", got) {
                    Ok(wait) => wait,
                    Err(_) => self.inner.local.reserve_now(slot, true),
                }
            }
            None => self.inner.local.reserve_now(self.request(&keys, max_wait), true),
        };
        match wait {
            None => false,
            Some(wait) if wait.is_zero() => true,
            Some(wait) => {
                tracing::debug!(method = info.name, wait_ms = wait.as_millis() as u64, "pacing to the rate limit");
                tokio::time::sleep(wait).await;
                true
            }
        }
    }

    /// Slack answered 429 with `Retry-After`: holds back every slot of the method for every
    /// client of this limiter (every replica, with a shared backend).
    pub(crate) async fn pause(&self, info: &MethodInfo, args: &Args, duration: Duration) {
        let Some(keys) = self.keys(info, args) else { return };
        self.inner.local.pause_now(&keys.pause, duration);
        if let Some(shared) = &self.inner.shared {
            let key = shared.key(&keys.pause);
            let done = shared.backend.pause(&key, duration).await;
            let _ = shared.outage.watch(shared.backend.name(), "pause", done);
        }
    }

    /// How many methods and channels this process's state holds (idle ones are forgotten as
    /// calls go on; see [`evict_idle`](Self::evict_idle)).
    pub fn tracked_keys(&self) -> usize {
        self.inner.local.slot_keys()
    }

    /// Forgets every method and channel whose slots are all free again, now rather than at the
    /// next sweep (which comes when the number of keys has doubled).
    pub fn evict_idle(&self) {
        self.inner.local.sweep();
    }
}

impl Shared {
    fn key(&self, key: &str) -> String {
        format!("{}:{key}", self.namespace)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const INFO: MethodInfo = MethodInfo {
        name: "chat.postMessage",
        http_method: crate::HttpMethod::Post,
        rate_limit: RateLimitTier::Special,
        token_types: &[],
        deprecated: false,
        idempotent: false,
        arg_groups: &[],
        client_auth: false,
        docs_url: "",
    };

    fn channel(c: &str) -> Args {
        let mut a = Args::new();
        a.put("channel", c);
        a
    }

    #[test]
    fn slots_space_calls_to_one_channel_and_leave_others_alone() {
        let limiter = RateLimiter::new();
        assert_eq!(limiter.try_acquire(&INFO, &channel("C1")), Duration::ZERO);
        let wait = limiter.try_acquire(&INFO, &channel("C1"));
        assert!(wait > Duration::from_millis(900) && wait <= Duration::from_secs(1), "{wait:?}");
        assert_eq!(limiter.try_acquire(&INFO, &channel("C2")), Duration::ZERO);
    }

    #[tokio::test]
    async fn a_pause_holds_back_the_method() {
        let limiter = RateLimiter::with_rates([6000; 4], 60_000);
        limiter.pause(&INFO, &channel("C1"), Duration::from_millis(300)).await;
        let started = Instant::now();
        assert!(limiter.until_ready(&INFO, &channel("C9"), None).await);
        assert!(started.elapsed() >= Duration::from_millis(290));
        // A slot beyond the deadline is refused.
        limiter.pause(&INFO, &channel("C1"), Duration::from_secs(60)).await;
        assert!(!limiter.until_ready(&INFO, &channel("C9"), Some(Instant::now() + Duration::from_secs(1))).await);
    }

    #[test]
    fn each_workspace_has_its_own_budget_in_one_limiter() {
        let limiter = RateLimiter::new();
        let (t1, t2) = (limiter.for_workspace("T1"), limiter.for_workspace("T2"));
        assert_eq!(t1.try_acquire(&INFO, &channel("C1")), Duration::ZERO);
        assert!(t1.try_acquire(&INFO, &channel("C1")) > Duration::from_millis(900), "T1's channel is paced");
        assert_eq!(t2.try_acquire(&INFO, &channel("C1")), Duration::ZERO, "T2's channel C1 is another channel");
        // A pause after a 429 in one workspace holds back only that workspace.
        let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
        rt.block_on(t1.pause(&INFO, &channel("C5"), Duration::from_secs(60)));
        assert!(t1.try_acquire(&INFO, &channel("C6")) > Duration::from_secs(50));
        assert_eq!(t2.try_acquire(&INFO, &channel("C6")), Duration::ZERO);
        // One state for all: the slots taken in both workspaces (T1's C1, T2's C1 and C6; T1's
        // C6 was refused) are tracked by the one limiter.
        assert_eq!(limiter.tracked_keys(), 3);
    }

    #[test]
    fn idle_keys_are_forgotten() {
        let limiter = RateLimiter::with_rates([60_000; 4], 600_000);
        for i in 0..10_000 {
            limiter.try_acquire(&INFO, &channel(&format!("C{i}")));
        }
        std::thread::sleep(Duration::from_millis(5));
        limiter.evict_idle();
        assert_eq!(limiter.tracked_keys(), 0);
    }
}
