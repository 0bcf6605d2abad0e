//! Verifying that a request comes from Slack: the `X-Slack-Signature` v0 scheme.
//!
//! Slack signs every HTTP request it sends to an app (events, interactivity, slash commands)
//! with the app's signing secret: `v0=` + hex(HMAC-SHA256(secret, `v0:{timestamp}:{raw body}`)),
//! the timestamp travelling in `X-Slack-Request-Timestamp`. The check runs on the raw bytes,
//! before anything is parsed; the comparison is constant-time; a timestamp too far from now is
//! refused so that a captured request cannot be replayed later.

use std::fmt;
use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use hmac::{Hmac, Mac};
use sha2::Sha256;

/// The header carrying the signature.
pub const SIGNATURE_HEADER: &str = "x-slack-signature";
/// The header carrying the request's Unix timestamp (seconds).
pub const TIMESTAMP_HEADER: &str = "x-slack-request-timestamp";
/// How far a request's timestamp may be from now by default: five minutes, as Slack advises.
pub const DEFAULT_MAX_AGE: Duration = Duration::from_secs(5 * 60);

/// An app's signing secret. Its `Debug` never shows it.
#[derive(Clone)]
pub struct SigningSecret(Arc<[u8]>);

impl SigningSecret {
    pub fn new(secret: impl AsRef<[u8]>) -> Self {
        Self(Arc::from(secret.as_ref()))
    }
}

impl fmt::Debug for SigningSecret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("SigningSecret(<redacted>)")
    }
}

impl From<&str> for SigningSecret {
    fn from(s: &str) -> Self {
        Self::new(s)
    }
}

impl From<String> for SigningSecret {
    fn from(s: String) -> Self {
        Self::new(s)
    }
}

/// Why a request was refused. None of them carries the secret or the expected signature.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum VerifyError {
    /// A required header is absent (its name).
    MissingHeader(&'static str),
    /// A header is present but not in the expected form (its name and what is wrong).
    MalformedHeader(&'static str, &'static str),
    /// The timestamp is further from now than allowed (both in Unix seconds).
    Stale { timestamp: i64, now: i64 },
    /// The signature does not match the body: forged, altered, or signed with another secret.
    BadSignature,
}

impl fmt::Display for VerifyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            VerifyError::MissingHeader(h) => write!(f, "the request has no `{h}` header"),
            VerifyError::MalformedHeader(h, why) => write!(f, "the `{h}` header is malformed: {why}"),
            VerifyError::Stale { timestamp, now } => write!(
                f,
                "the request's timestamp {timestamp} is {}s away from now ({now}): refused as a possible replay",
                (now - timestamp).unsigned_abs()
            ),
            VerifyError::BadSignature => f.write_str("the request's signature does not match its body"),
        }
    }
}

impl std::error::Error for VerifyError {}

/// A source of the current time, injectable for tests.
pub trait Clock: Send + Sync + 'static {
    /// Seconds since the Unix epoch.
    fn now_unix(&self) -> i64;
}

/// The system clock.
#[derive(Debug, Clone, Copy, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now_unix(&self) -> i64 {
        SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs() as i64)
    }
}

/// A clock that always says the same time.
#[derive(Debug, Clone, Copy)]
pub struct FixedClock(pub i64);

impl Clock for FixedClock {
    fn now_unix(&self) -> i64 {
        self.0
    }
}

/// Checks request signatures with one signing secret.
///
/// ```
/// use slack_api::events::Verifier;
///
/// let verifier = Verifier::new("my-signing-secret");
/// let body = b"token=x&command=/hi";
/// let (ts, sig) = verifier.sign_now(body);
/// assert!(verifier.verify(Some(&ts), Some(&sig), body).is_ok());
/// assert!(verifier.verify(Some(&ts), Some(&sig), b"token=x&command=/bye").is_err());
/// ```
#[derive(Clone)]
pub struct Verifier {
    /// HMAC-SHA256 keyed with the secret once (the key's two padded blocks hashed): each
    /// request starts from a copy instead of hashing the key again.
    keyed: Hmac<Sha256>,
    max_age: Duration,
    clock: Arc<dyn Clock>,
}

impl fmt::Debug for Verifier {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Verifier").field("secret", &format_args!("SigningSecret(<redacted>)")).field("max_age", &self.max_age).finish_non_exhaustive()
    }
}

impl Verifier {
    /// A verifier with the system clock and a five-minute window ([`DEFAULT_MAX_AGE`]).
    pub fn new(secret: impl Into<SigningSecret>) -> Self {
        let secret: SigningSecret = secret.into();
        // HMAC accepts a key of any length, so this cannot fail.
        let keyed = <Hmac<Sha256> as Mac>::new_from_slice(&secret.0).unwrap_or_else(|_| unreachable!());
        Self { keyed, max_age: DEFAULT_MAX_AGE, clock: Arc::new(SystemClock) }
    }

    /// How far the timestamp may be from now (either way).
    #[must_use]
    pub fn max_age(mut self, max_age: Duration) -> Self {
        self.max_age = max_age;
        self
    }

    /// Another clock (tests).
    #[must_use]
    pub fn clock(mut self, clock: impl Clock) -> Self {
        self.clock = Arc::new(clock);
        self
    }

    fn mac(&self, timestamp: &str, body: &[u8]) -> Hmac<Sha256> {
        let mut mac = self.keyed.clone();
        mac.update(b"v0:");
        mac.update(timestamp.as_bytes());
        mac.update(b":");
        mac.update(body);
        mac
    }

    /// The `X-Slack-Signature` value for a body sent at `timestamp` (for tests and simulators).
    pub fn sign(&self, timestamp: i64, body: &[u8]) -> String {
        let tag = self.mac(&timestamp.to_string(), body).finalize().into_bytes();
        let mut out = String::with_capacity(3 + 64);
        out.push_str("v0=");
        for b in tag {
            out.push(char::from(HEX[usize::from(b >> 4)]));
            out.push(char::from(HEX[usize::from(b & 15)]));
        }
        out
    }

    /// `(timestamp header, signature header)` for a body sent now by this verifier's clock.
    pub fn sign_now(&self, body: &[u8]) -> (String, String) {
        let now = self.clock.now_unix();
        (now.to_string(), self.sign(now, body))
    }

    /// Checks the two header values against the raw body.
    pub fn verify(&self, timestamp: Option<&str>, signature: Option<&str>, body: &[u8]) -> Result<(), VerifyError> {
        let timestamp = timestamp.ok_or(VerifyError::MissingHeader(TIMESTAMP_HEADER))?.trim();
        let signature = signature.ok_or(VerifyError::MissingHeader(SIGNATURE_HEADER))?.trim();
        let ts: i64 = timestamp
            .parse()
            .map_err(|_| VerifyError::MalformedHeader(TIMESTAMP_HEADER, "not a Unix timestamp in seconds"))?;
        let hex = signature
            .strip_prefix("v0=")
            .ok_or(VerifyError::MalformedHeader(SIGNATURE_HEADER, "does not start with `v0=`"))?;
        let tag = decode_hex(hex)
            .ok_or(VerifyError::MalformedHeader(SIGNATURE_HEADER, "not 64 hexadecimal digits after `v0=`"))?;
        let now = self.clock.now_unix();
        if now.abs_diff(ts) > self.max_age.as_secs() {
            return Err(VerifyError::Stale { timestamp: ts, now });
        }
        // `verify_slice` compares in constant time.
        self.mac(timestamp, body).verify_slice(&tag).map_err(|_| VerifyError::BadSignature)
    }

    /// Checks a request given as header lookups (names lower-case).
    pub fn verify_headers<'a>(&self, header: impl Fn(&str) -> Option<&'a str>, body: &[u8]) -> Result<(), VerifyError> {
        self.verify(header(TIMESTAMP_HEADER), header(SIGNATURE_HEADER), body)
    }
}

const HEX: &[u8; 16] = b"0123456789abcdef";

fn decode_hex(s: &str) -> Option<[u8; 32]> {
    let bytes = s.as_bytes();
    if bytes.len() != 64 {
        return None;
    }
    let mut out = [0u8; 32];
    for (i, pair) in bytes.chunks_exact(2).enumerate() {
        let hi = (pair[0] as char).to_digit(16)?;
        let lo = (pair[1] as char).to_digit(16)?;
        out[i] = (hi * 16 + lo) as u8;
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hex_round_trip() {
        let v = Verifier::new("k").clock(FixedClock(100));
        let sig = v.sign(100, b"x");
        assert!(decode_hex(&sig[3..]).is_some());
        assert!(decode_hex("zz").is_none());
        assert!(decode_hex(&"g".repeat(64)).is_none());
    }

    #[test]
    fn debug_redacts() {
        let v = Verifier::new("super-secret-value");
        assert!(!format!("{v:?}").contains("super-secret-value"));
    }
}
