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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::{AnyMethodError, ApiError};

    const MS: fn(u64) -> Duration = Duration::from_millis;

    fn api(code: &str) -> AnyError {
        Error::Api(Box::new(ApiError::from_fields(AnyMethodError::new("chat.postMessage", code.into()), 200, Default::default())))
    }

    fn http(status: u16, retry_after: Option<Duration>) -> AnyError {
        Error::Http { status, body: String::new(), retry_after }
    }

    /// A real transport error: connecting to a loopback port nobody listens on (`connect`), or
    /// a server that accepts the connection and closes it without answering.
    async fn transport(connect: bool) -> AnyError {
        crate::install_crypto_provider();
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let url = format!("http://{}/api/chat.postMessage", listener.local_addr().unwrap());
        if connect {
            drop(listener);
        } else {
            std::thread::spawn(move || drop(listener.accept()));
        }
        let e = reqwest::Client::new().post(url).send().await.expect_err("no answer can come");
        assert_eq!(e.is_connect(), connect, "{e:?}");
        Error::Transport(e)
    }

    /// Every variant of `Error` has a name here, and a new one fails to compile until the table
    /// below covers it.
    fn kind(e: &AnyError) -> &'static str {
        match e {
            Error::Api(_) => "Api",
            Error::Http { .. } => "Http",
            Error::Decode { .. } => "Decode",
            Error::RateLimited { .. } => "RateLimited",
            Error::Timeout { .. } => "Timeout",
            Error::Transport(_) => "Transport",
            Error::Redirect { .. } => "Redirect",
            Error::ResponseTooLarge { .. } => "ResponseTooLarge",
            Error::CursorRepeated { .. } => "CursorRepeated",
            Error::TokenRefresh(_) => "TokenRefresh",
            Error::InvalidRequest(_) => "InvalidRequest",
        }
    }
    const KINDS: [&str; 11] = [
        "Api", "Http", "Decode", "RateLimited", "Timeout", "Transport", "Redirect", "ResponseTooLarge", "CursorRepeated",
        "TokenRefresh", "InvalidRequest",
    ];

    /// Every kind of failure × idempotent or not × attempts left or not, under the default
    /// policy: `Some(wait)` is a retry after `wait`, `None` giving up.
    #[tokio::test]
    async fn the_decision_for_every_failure_kind() {
        let backoff = MS(500); // the default policy's first backoff
        #[rustfmt::skip]
        let table: Vec<(&str, AnyError, Option<Duration>, Option<Duration>)> = vec![
            // (what,                          failure,                                    idempotent,        not idempotent)
            ("service_unavailable",            api("service_unavailable"),                 Some(backoff),     Some(backoff)),
            ("internal_error",                 api("internal_error"),                      Some(backoff),     None),
            ("fatal_error",                    api("fatal_error"),                         Some(backoff),     None),
            ("request_timeout",                api("request_timeout"),                     Some(backoff),     None),
            ("ratelimited code in a 200",      api("ratelimited"),                         None,              None),
            ("channel_not_found",              api("channel_not_found"),                   None,              None),
            ("HTTP 503 with Retry-After",      http(503, Some(MS(2_500))),                 Some(MS(2_500)),   Some(MS(2_500))),
            ("HTTP 503",                       http(503, None),                            Some(backoff),     Some(backoff)),
            ("HTTP 502",                       http(502, None),                            Some(backoff),     None),
            ("HTTP 500 with Retry-After",      http(500, Some(MS(2_500))),                 Some(backoff),     None),
            ("HTTP 404",                       http(404, None),                            None,              None),
            ("decode",                         Error::Decode { status: 200, message: "x".into(), body: String::new() }, None, None),
            ("429 with Retry-After",           Error::RateLimited { retry_after: Some(MS(3_000)), attempts: 1 }, Some(MS(3_000)), Some(MS(3_000))),
            ("429 without Retry-After",        Error::RateLimited { retry_after: None, attempts: 1 }, Some(MS(1_000)), Some(MS(1_000))),
            ("attempt timeout",                Error::Timeout { kind: TimeoutKind::Attempt, limit: MS(30_000), attempts: 1 }, Some(backoff), None),
            ("call timeout",                   Error::Timeout { kind: TimeoutKind::Call, limit: MS(90_000), attempts: 1 }, None, None),
            ("connection refused",             transport(true).await,                      Some(backoff),     Some(backoff)),
            ("connection closed mid-call",     transport(false).await,                     Some(backoff),     None),
            ("redirect",                       Error::Redirect { status: 302, location: None }, None,        None),
            ("answer too large",               Error::ResponseTooLarge { limit: 10 },      None,              None),
            ("cursor repeated",                Error::CursorRepeated { cursor: "c".into(), pages: 2 }, None, None),
            ("token refresh failed",           Error::TokenRefresh("no".into()),           None,              None),
            ("invalid request",                Error::InvalidRequest("no".into()),         None,              None),
        ];
        let policy = RetryPolicy::default();
        let first = Progress { attempt: 1, elapsed: Duration::ZERO, waited: Duration::ZERO };
        let last = Progress { attempt: policy.max_attempts, ..first };
        let retry = |w: Option<Duration>| w.map_or(Decision::GiveUp, Decision::Retry);
        for (what, failure, idempotent, not_idempotent) in &table {
            assert_eq!(decide(&policy, failure, true, first), retry(*idempotent), "{what}, idempotent, attempts left");
            assert_eq!(decide(&policy, failure, false, first), retry(*not_idempotent), "{what}, not idempotent, attempts left");
            for idem in [true, false] {
                assert_eq!(decide(&policy, failure, idem, last), Decision::GiveUp, "{what}, idempotent: {idem}, no attempt left");
            }
            // With `retry_non_idempotent`, a method that is not idempotent is treated as one.
            let anyway = RetryPolicy::default().retry_non_idempotent(true);
            assert_eq!(decide(&anyway, failure, false, first), retry(*idempotent), "{what}, retry_non_idempotent");
        }
        let covered: Vec<&str> = table.iter().map(|(_, e, ..)| kind(e)).collect();
        for k in KINDS {
            assert!(covered.contains(&k), "the table has no row of Error::{k}");
        }
    }

    /// The wait grows with each retry up to the cap, and a wait that would end past the total
    /// wait or the call timeout is not started.
    #[test]
    fn waits_and_budgets() {
        let policy = RetryPolicy::default().max_attempts(10);
        let at = |attempt, elapsed, waited| Progress { attempt, elapsed: MS(elapsed), waited: MS(waited) };
        let unavailable = api("service_unavailable");
        let waits: Vec<Decision> = (1..=6).map(|n| decide(&policy, &unavailable, false, at(n, 0, 0))).collect();
        let expected = [500, 1_000, 2_000, 4_000, 8_000, 8_000].map(|ms| Decision::Retry(MS(ms)));
        assert_eq!(waits, expected);
        // The total wait: 60 s by default, the limit included.
        assert_eq!(decide(&policy, &unavailable, false, at(1, 0, 59_500)), Decision::Retry(MS(500)));
        assert_eq!(decide(&policy, &unavailable, false, at(1, 0, 59_501)), Decision::GiveUp);
        // The call timeout: 90 s by default; the wait must end before it.
        assert_eq!(decide(&policy, &unavailable, false, at(1, 89_499, 0)), Decision::Retry(MS(500)));
        assert_eq!(decide(&policy, &unavailable, false, at(1, 89_500, 0)), Decision::GiveUp);
        // A Retry-After longer than the total wait ends the call at once.
        let long = Error::RateLimited { retry_after: Some(MS(61_000)), attempts: 1 };
        assert_eq!(decide(&policy, &long, true, at(1, 0, 0)), Decision::GiveUp);
        // No retry at all.
        assert_eq!(decide(&RetryPolicy::none(), &unavailable, true, at(1, 0, 0)), Decision::GiveUp);
    }
}
