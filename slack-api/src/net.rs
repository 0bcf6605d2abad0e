//! The network policy every outgoing connection follows, in one place: which URLs may be
//! reached (`https`/`wss`, or plain `http`/`ws` to a loopback address only), and how the
//! reqwest client is built (ring as rustls' crypto provider, a user agent, a connect timeout,
//! redirects never followed). Used by [`Client`](crate::Client), the `response_url` answers,
//! file uploads and Socket Mode.

use std::time::Duration;

use url::Url;

/// How long connecting may take, for every connection the SDK opens.
pub(crate) const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

/// Installs ring as the process's default rustls crypto provider, unless one is installed
/// already (then that one stays).
///
/// slack-api builds reqwest with rustls and without a bundled provider (ring compiles much
/// faster than aws-lc-rs) and calls this itself before it builds an HTTP client. An app that
/// builds its own `reqwest::Client` (or another rustls user) *before* its first slack-api
/// client must call it first, or rustls panics with "no process-level CryptoProvider
/// available"; calling it more than once is harmless.
pub fn install_crypto_provider() {
    let _ = rustls::crypto::ring::default_provider().install_default();
}

/// Whether `url` names this machine: `localhost` (any case), `127.0.0.0/8` or `::1`.
pub(crate) fn is_loopback(url: &Url) -> bool {
    match url.host() {
        Some(url::Host::Domain(d)) => d.eq_ignore_ascii_case("localhost"),
        Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
        None => false,
    }
}

/// Why a URL may not be reached.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum UrlRefused {
    /// Plain `http`/`ws` to a host that is not loopback: credentials would travel in clear.
    Insecure(String),
    /// Neither the secure nor the plain scheme.
    Scheme(String),
}

impl std::fmt::Display for UrlRefused {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            UrlRefused::Insecure(s) => write!(f, "plain `{s}` is allowed to loopback addresses only"),
            UrlRefused::Scheme(s) => write!(f, "scheme `{s}` is not allowed"),
        }
    }
}

/// The rule for one kind of URL: `secure` (`https`, `wss`) always, `plain` (`http`, `ws`) to a
/// loopback address only.
pub(crate) fn check_url(url: &Url, secure: &str, plain: &str) -> Result<(), UrlRefused> {
    match url.scheme() {
        s if s == secure => Ok(()),
        s if s == plain && is_loopback(url) => Ok(()),
        s if s == plain => Err(UrlRefused::Insecure(s.to_owned())),
        s => Err(UrlRefused::Scheme(s.to_owned())),
    }
}

/// The reqwest client the SDK builds when the app does not bring one: no redirects (Slack's
/// API does not redirect, and a body — a client secret, message text, file bytes — must never
/// go elsewhere), a connect timeout, the SDK's user agent. Answers are read with a size cap by
/// [`read_capped`], and each use sets its own overall timeout.
pub(crate) fn http_client() -> Result<reqwest::Client, reqwest::Error> {
    install_crypto_provider();
    reqwest::Client::builder()
        .user_agent(concat!("slack-api-rs/", env!("CARGO_PKG_VERSION")))
        .connect_timeout(CONNECT_TIMEOUT)
        .redirect(reqwest::redirect::Policy::none())
        .build()
}

/// An answer larger than the cap.
#[derive(Debug)]
pub(crate) enum ReadError {
    TooLarge,
    Transport(reqwest::Error),
}

/// Reads a whole answer, at most `limit` bytes: a bigger one is refused without being buffered
/// (by its `Content-Length`, or as it streams in).
pub(crate) async fn read_capped(response: &mut reqwest::Response, limit: u64) -> Result<bytes::Bytes, ReadError> {
    if response.content_length().is_some_and(|n| n > limit) {
        return Err(ReadError::TooLarge);
    }
    let capacity = response.content_length().unwrap_or(0).min(limit).min(1 << 20) as usize;
    let mut body = bytes::BytesMut::with_capacity(capacity);
    while let Some(chunk) = response.chunk().await.map_err(|e| ReadError::Transport(e.without_url()))? {
        if body.len() as u64 + chunk.len() as u64 > limit {
            return Err(ReadError::TooLarge);
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body.freeze())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn loopback_and_schemes() {
        let ok = |u: &str| check_url(&Url::parse(u).unwrap(), "https", "http");
        assert_eq!(ok("https://slack.com/api/"), Ok(()));
        assert_eq!(ok("http://127.0.0.1:8080/"), Ok(()));
        assert_eq!(ok("http://LocalHost:1/"), Ok(()));
        assert_eq!(ok("http://[::1]:1/"), Ok(()));
        assert_eq!(ok("http://example.com/"), Err(UrlRefused::Insecure("http".into())));
        assert_eq!(ok("http://localhost.example.com/"), Err(UrlRefused::Insecure("http".into())));
        assert_eq!(ok("ftp://127.0.0.1/"), Err(UrlRefused::Scheme("ftp".into())));
        let ws = |u: &str| check_url(&Url::parse(u).unwrap(), "wss", "ws");
        assert_eq!(ws("ws://LOCALHOST:9/link"), Ok(()));
        assert_eq!(ws("ws://10.0.0.1/link"), Err(UrlRefused::Insecure("ws".into())));
    }
}
