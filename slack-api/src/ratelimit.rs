//! An optional client-side limiter that paces calls to Slack's published limits, so that a
//! busy app is not throttled in the first place.

use std::collections::HashMap;
use std::fmt;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use tokio::time::Instant;

use crate::method::{MethodInfo, RateLimitTier};
use crate::wire::Args;

/// Paces calls per method by its rate-limit tier (Tier 1: 1 per minute, Tier 2: 20, Tier 3: 50,
/// Tier 4: 100, each with a burst of the same size), and `chat.postMessage` to one message per
/// second per channel. Methods of the special tier other than `chat.postMessage`, and untiered
/// ones, are not paced.
///
/// Calls waiting for the same method (or channel) go in the order they asked: each takes the
/// next free slot when it arrives (the generic cell rate algorithm, with reservations), so a
/// queue of posts to one channel is delivered in order. State is kept per method and per
/// channel only while it matters: a key whose slots are all free again is forgotten, so a
/// limiter that has seen a million channels does not keep a million entries.
///
/// Slack counts per app *per workspace*: give clients that act on the same workspace one
/// limiter (it is cheap to clone and clones share their state), and clients of different
/// workspaces separate ones. Off unless set with
/// [`ClientBuilder::rate_limiter`](crate::ClientBuilder::rate_limiter): the client retries 429s
/// anyway, and the limiter's pacing only helps where an app calls one method faster than its tier.
#[derive(Clone)]
pub struct RateLimiter {
    inner: Arc<Inner>,
}

struct Inner {
    /// Tiers 1–4, then `chat.postMessage` per channel.
    rules: [Rule; 5],
    state: Mutex<State>,
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

#[derive(Default)]
struct State {
    /// Per rule and key: the theoretical arrival time of the next call.
    keys: [HashMap<String, Instant>; 5],
    /// Entries after the last sweep of idle keys; the next sweep comes at twice as many.
    swept_at: usize,
}

/// Sweeps never run below this many entries.
const MIN_SWEEP: usize = 1024;

impl fmt::Debug for RateLimiter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RateLimiter").field("tracked_keys", &self.tracked_keys()).finish_non_exhaustive()
    }
}

impl Default for RateLimiter {
    fn default() -> Self {
        Self::new()
    }
}

/// Methods limited to one message per second per channel.
const PER_CHANNEL: &[&str] = &["chat.postMessage"];

/// Where a call stands with the limiter.
enum Slot {
    /// It may go now (its slot is taken).
    Now,
    /// Its slot comes after this wait (taken only when `reserve` was asked).
    After(Duration),
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
        RateLimiter { inner: Arc::new(Inner { rules, state: Mutex::new(State::default()) }) }
    }

    /// Which rule and key pace this call, if any.
    fn key(info: &MethodInfo, args: &Args) -> Option<(usize, String)> {
        if PER_CHANNEL.contains(&info.name) {
            let channel = args.get("channel")?;
            return Some((4, format!("{}\u{0}{channel}", info.name)));
        }
        let i = match info.rate_limit {
            RateLimitTier::Tier1 => 0,
            RateLimitTier::Tier2 => 1,
            RateLimitTier::Tier3 => 2,
            RateLimitTier::Tier4 => 3,
            _ => return None,
        };
        Some((i, info.name.to_owned()))
    }

    /// The call's slot: taken if it is free now; otherwise the wait for it, taken only if
    /// `reserve` and it comes before `deadline`.
    fn slot(&self, info: &MethodInfo, args: &Args, reserve: bool, deadline: Option<Instant>) -> Option<Slot> {
        let Some((rule_index, key)) = Self::key(info, args) else { return Some(Slot::Now) };
        let rule = self.inner.rules[rule_index];
        let now = Instant::now();
        let mut state = self.inner.state.lock().unwrap_or_else(PoisonError::into_inner);
        let tat = state.keys[rule_index].get(&key).copied().unwrap_or(now).max(now);
        let allowed_at = tat.checked_sub(rule.tolerance).unwrap_or(now).max(now);
        let wait = allowed_at - now;
        let slot = if wait.is_zero() {
            Slot::Now
        } else if reserve && deadline.is_none_or(|d| allowed_at < d) {
            Slot::After(wait)
        } else if reserve {
            return None;
        } else {
            return Some(Slot::After(wait));
        };
        let next = tat.checked_add(rule.interval).unwrap_or(tat);
        state.keys[rule_index].insert(key, next);
        state.sweep_if_due(now);
        Some(slot)
    }

    /// Takes this call's slot if it may go now (returns zero), or says how long it must wait
    /// (and takes nothing).
    pub fn try_acquire(&self, info: &MethodInfo, args: &Args) -> Duration {
        match self.slot(info, args, false, None) {
            Some(Slot::After(wait)) => wait,
            _ => Duration::ZERO,
        }
    }

    /// Takes the call's next slot, in the order calls ask, and waits for it. `false` (and no
    /// slot taken) when the slot comes after `deadline`.
    pub(crate) async fn until_ready(&self, info: &MethodInfo, args: &Args, deadline: Option<Instant>) -> bool {
        match self.slot(info, args, true, deadline) {
            None => false,
            Some(Slot::Now) => true,
            Some(Slot::After(wait)) => {
                tracing::debug!(method = info.name, wait_ms = wait.as_millis() as u64, "pacing to the rate limit");
                tokio::time::sleep(wait).await;
                true
            }
        }
    }

    /// How many methods and channels the limiter holds state for (idle ones are forgotten as
    /// calls go on; see [`evict_idle`](Self::evict_idle)).
    pub fn tracked_keys(&self) -> usize {
        let state = self.inner.state.lock().unwrap_or_else(PoisonError::into_inner);
        state.keys.iter().map(HashMap::len).sum()
    }

    /// Forgets every method and channel whose slots are all free again, now rather than at the
    /// next sweep (which comes when the number of keys has doubled).
    pub fn evict_idle(&self) {
        let mut state = self.inner.state.lock().unwrap_or_else(PoisonError::into_inner);
        state.sweep(Instant::now());
    }
}

impl State {
    fn len(&self) -> usize {
        self.keys.iter().map(HashMap::len).sum()
    }

    fn sweep_if_due(&mut self, now: Instant) {
        if self.len() >= (self.swept_at * 2).max(MIN_SWEEP) {
            self.sweep(now);
        }
    }

    /// A key whose theoretical arrival time has passed is in the same state as a key never
    /// seen: dropping it changes nothing.
    fn sweep(&mut self, now: Instant) {
        for map in &mut self.keys {
            map.retain(|_, tat| *tat > now);
            if map.capacity() > 4 * map.len().max(16) {
                map.shrink_to_fit();
            }
        }
        self.swept_at = self.len();
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
    fn reservations_space_calls_to_one_channel_and_leave_others_alone() {
        let limiter = RateLimiter::new();
        assert_eq!(limiter.try_acquire(&INFO, &channel("C1")), Duration::ZERO);
        let wait = limiter.try_acquire(&INFO, &channel("C1"));
        assert!(wait > Duration::from_millis(900) && wait <= Duration::from_secs(1), "{wait:?}");
        assert_eq!(limiter.try_acquire(&INFO, &channel("C2")), Duration::ZERO);
        // Reserving takes the slot: the next one is a second later still.
        match limiter.slot(&INFO, &channel("C1"), true, None) {
            Some(Slot::After(w)) => assert!(w > Duration::from_millis(900), "{w:?}"),
            _ => panic!("expected a reservation"),
        }
        match limiter.slot(&INFO, &channel("C1"), true, None) {
            Some(Slot::After(w)) => assert!(w > Duration::from_millis(1900), "{w:?}"),
            _ => panic!("expected a reservation"),
        }
        // A slot beyond the deadline is refused and not taken.
        assert!(limiter.slot(&INFO, &channel("C1"), true, Some(Instant::now() + Duration::from_secs(1))).is_none());
        match limiter.slot(&INFO, &channel("C1"), true, None) {
            Some(Slot::After(w)) => assert!(w > Duration::from_millis(2900) && w <= Duration::from_secs(3), "{w:?}"),
            _ => panic!("expected a reservation"),
        }
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
