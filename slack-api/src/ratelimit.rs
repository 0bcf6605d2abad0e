//! An optional client-side limiter that paces calls to Slack's published limits, so that a
//! busy app is not throttled in the first place.

use std::fmt;
use std::num::NonZeroU32;
use std::sync::Arc;
use std::time::Duration;

use governor::clock::{Clock, DefaultClock};
use governor::state::keyed::DefaultKeyedStateStore;
use governor::{Quota, RateLimiter as Gcra};

use crate::method::{MethodInfo, RateLimitTier};
use crate::wire::Args;

type Keyed = Gcra<String, DefaultKeyedStateStore<String>, DefaultClock>;

/// Paces calls per method by its rate-limit tier (Tier 1: 1 per minute, Tier 2: 20, Tier 3: 50,
/// Tier 4: 100, each with a burst of the same size), and `chat.postMessage` to one message per
/// second per channel. Methods of the special tier other than `chat.postMessage`, and untiered
/// ones, are not paced.
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
    tiers: [Keyed; 4],
    per_channel: Keyed,
    clock: DefaultClock,
}

impl fmt::Debug for RateLimiter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RateLimiter").finish_non_exhaustive()
    }
}

impl Default for RateLimiter {
    fn default() -> Self {
        Self::new()
    }
}

/// Methods limited to one message per second per channel.
const PER_CHANNEL: &[&str] = &["chat.postMessage"];

fn per_minute(n: u32) -> Keyed {
    Gcra::keyed(Quota::per_minute(NonZeroU32::new(n).unwrap_or(NonZeroU32::MIN)))
}

impl RateLimiter {
    /// Slack's published limits.
    pub fn new() -> Self {
        Self::with_rates([1, 20, 50, 100], 60)
    }

    /// Custom rates: calls per minute for tiers 1–4, and `chat.postMessage` messages per minute
    /// per channel (Slack's rule is 60).
    pub fn with_rates(tiers_per_minute: [u32; 4], messages_per_channel_per_minute: u32) -> Self {
        let [t1, t2, t3, t4] = tiers_per_minute;
        let per_channel = Gcra::keyed(
            Quota::per_minute(NonZeroU32::new(messages_per_channel_per_minute).unwrap_or(NonZeroU32::MIN))
                .allow_burst(NonZeroU32::MIN),
        );
        RateLimiter {
            inner: Arc::new(Inner {
                tiers: [per_minute(t1), per_minute(t2), per_minute(t3), per_minute(t4)],
                per_channel,
                clock: DefaultClock::default(),
            }),
        }
    }

    /// Which limiter and key pace this call, if any.
    fn slot(&self, info: &MethodInfo, args: &Args) -> Option<(&Keyed, String)> {
        if PER_CHANNEL.contains(&info.name) {
            let channel = args.pairs().iter().find(|(k, _)| *k == "channel").map(|(_, v)| v.as_str())?;
            return Some((&self.inner.per_channel, format!("{}\u{0}{channel}", info.name)));
        }
        let i = match info.rate_limit {
            RateLimitTier::Tier1 => 0,
            RateLimitTier::Tier2 => 1,
            RateLimitTier::Tier3 => 2,
            RateLimitTier::Tier4 => 3,
            _ => return None,
        };
        Some((&self.inner.tiers[i], info.name.to_owned()))
    }

    /// Takes this call's slot if it may go now (returns zero), or says how long it must wait
    /// (and takes nothing). The client calls it before each attempt.
    pub fn try_acquire(&self, info: &MethodInfo, args: &Args) -> Duration {
        match self.slot(info, args) {
            None => Duration::ZERO,
            Some((limiter, key)) => match limiter.check_key(&key) {
                Ok(()) => Duration::ZERO,
                Err(not_until) => not_until.wait_time_from(self.inner.clock.now()),
            },
        }
    }

    /// Waits until this call may go.
    pub(crate) async fn until_ready(&self, info: &MethodInfo, args: &Args) -> Duration {
        let mut waited = Duration::ZERO;
        loop {
            let wait = self.try_acquire(info, args);
            if wait.is_zero() {
                return waited;
            }
            tracing::debug!(method = info.name, wait_ms = wait.as_millis() as u64, "pacing to the rate limit");
            tokio::time::sleep(wait).await;
            waited += wait;
        }
    }
}
