//! When a failed call is sent again: the policy, and the decision after each failed attempt
//! as a pure function of the policy, the failure and how far the call has got.

use std::time::Duration;

use crate::error::{AnyError, Error, TimeoutKind};

/// How the client retries. The default:
///
/// - **HTTP 429** (rate limited): wait for `Retry-After`, then retry — any method, since Slack
///   did not process the call. At most [`max_attempts`](Self::max_attempts) attempts and
///   [`max_total_wait`](Self::max_total_wait) of waiting; after that the call fails with
///   [`Error::RateLimited`](crate::Error::RateLimited) carrying the last `Retry-After`.
/// - **Connection failures before the request was sent** (refused, DNS, TLS): retry any method
///   with exponential backoff.
/// - **HTTP 503 and Slack's `service_unavailable`**: the service did not take the call; retry any
///   method with backoff.
/// - **Other 5xx, timeouts and connections lost mid-call**: the first attempt *may have taken
///   effect* (a message may have been posted). Retried only for [idempotent](crate::MethodInfo::idempotent)
///   methods (reads), unless [`retry_non_idempotent`](Self::retry_non_idempotent) is set — a
///   duplicated message is worse than a reported error.
///
/// Every call is bounded as a whole by [`call_timeout`](Self::call_timeout) (default 90 s):
/// attempts, the waits between them and the rate limiter's pacing all count, so no server can
/// hold a call longer. With the defaults (4 attempts of at most 30 s, at most 60 s of waits) a
/// call could otherwise run for 3 minutes; 90 s leaves room for one long `Retry-After` and a
/// retry while failing a hopeless call well before that. A wait that would end after the
/// deadline is not started: the call ends with the failure that asked for it.
///
/// [`RetryPolicy::none`] turns retrying off (the call timeout still applies).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct RetryPolicy {
    /// Attempts per call, the first included (1 = no retry). Default 4.
    pub max_attempts: u32,
    /// The most time spent waiting between attempts of one call, in all. Default 60 s. A
    /// `Retry-After` that would exceed it ends the call at once with `RateLimited`.
    pub max_total_wait: Duration,
    /// The first backoff; doubled for each further retry. Default 500 ms.
    pub initial_backoff: Duration,
    /// The longest single backoff. Default 8 s.
    pub max_backoff: Duration,
    /// Also retry non-idempotent calls after failures that may have taken effect. Default false.
    pub retry_non_idempotent: bool,
    /// The longest a call may take in all: attempts, waits and pacing. Default 90 s.
    pub call_timeout: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            max_attempts: 4,
            max_total_wait: Duration::from_secs(60),
            initial_backoff: Duration::from_millis(500),
            max_backoff: Duration::from_secs(8),
            retry_non_idempotent: false,
            call_timeout: Duration::from_secs(90),
        }
    }
}

impl RetryPolicy {
    /// Never retry.
    pub fn none() -> Self {
        RetryPolicy { max_attempts: 1, ..Self::default() }
    }

    #[must_use]
    pub fn max_attempts(mut self, n: u32) -> Self {
        self.max_attempts = n.max(1);
        self
    }

    #[must_use]
    pub fn max_total_wait(mut self, d: Duration) -> Self {
        self.max_total_wait = d;
        self
    }

    #[must_use]
    pub fn backoff(mut self, initial: Duration, max: Duration) -> Self {
        self.initial_backoff = initial;
        self.max_backoff = max;
        self
    }

    /// The longest a call may take in all, retries, waits and pacing included.
    #[must_use]
    pub fn call_timeout(mut self, d: Duration) -> Self {
        self.call_timeout = d;
        self
    }

    #[must_use]
    pub fn retry_non_idempotent(mut self, yes: bool) -> Self {
        self.retry_non_idempotent = yes;
        self
    }

    /// The backoff before retry number `retry` (1-based).
    pub(crate) fn backoff_for(&self, retry: u32) -> Duration {
        let factor = 2u32.saturating_pow(retry.saturating_sub(1));
        self.initial_backoff.saturating_mul(factor).min(self.max_backoff)
    }
}

/// How far a call has got when an attempt fails.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Progress {
    /// Attempts made, the failed one included.
    pub(crate) attempt: u32,
    /// Time since the call started.
    pub(crate) elapsed: Duration,
    /// Time spent waiting between attempts so far.
    pub(crate) waited: Duration,
}

/// What to do after a failed attempt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Decision {
    /// Wait this long, then send the call again.
    Retry(Duration),
    /// The failure is the call's answer.
    GiveUp,
}

/// What a failure says about sending the call again.
enum Verdict {
    /// Slack did not take the call: safe to send again (after this long, if Slack said).
    NotProcessed(Option<Duration>),
    /// The call may have taken effect: safe to send again only if the method is idempotent.
    MaybeProcessed,
    /// Sending it again will not help.
    Final,
}

fn verdict(failure: &AnyError) -> Verdict {
    match failure {
        // Slack did not process a rate-limited call; without a `Retry-After`, a second.
        Error::RateLimited { retry_after, .. } => Verdict::NotProcessed(Some(retry_after.unwrap_or(Duration::from_secs(1)))),
        Error::Api(e) if e.error.code == "service_unavailable" => Verdict::NotProcessed(None),
        Error::Api(e) if matches!(e.error.code.as_str(), "internal_error" | "fatal_error" | "request_timeout") => {
            Verdict::MaybeProcessed
        }
        Error::Http { status: 503, retry_after, .. } => Verdict::NotProcessed(*retry_after),
        Error::Http { status, .. } if *status >= 500 => Verdict::MaybeProcessed,
        Error::Transport(e) if e.is_connect() => Verdict::NotProcessed(None),
        Error::Transport(_) | Error::Timeout { kind: TimeoutKind::Attempt, .. } => Verdict::MaybeProcessed,
        _ => Verdict::Final,
    }
}

/// Whether to send a call of a method (`idempotent` or not) again after `failure`, and after
/// how long: a failure that Slack did not process is retried for every method, one that may
/// have taken effect only for idempotent methods (or with
/// [`retry_non_idempotent`](RetryPolicy::retry_non_idempotent)); the wait is Slack's
/// `Retry-After` where it gave one, else the backoff; and only while attempts are left and the
/// wait ends within both the policy's total wait and the call's timeout.
pub(crate) fn decide(policy: &RetryPolicy, failure: &AnyError, idempotent: bool, progress: Progress) -> Decision {
    let wait = match verdict(failure) {
        Verdict::NotProcessed(after) => after.unwrap_or_else(|| policy.backoff_for(progress.attempt)),
        Verdict::MaybeProcessed if idempotent || policy.retry_non_idempotent => policy.backoff_for(progress.attempt),
        Verdict::MaybeProcessed | Verdict::Final => return Decision::GiveUp,
    };
    let fits = progress.waited.saturating_add(wait) <= policy.max_total_wait
        && progress.elapsed.saturating_add(wait) < policy.call_timeout;
    if progress.attempt < policy.max_attempts && fits { Decision::Retry(wait) } else { Decision::GiveUp }
}
