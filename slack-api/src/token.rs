//! A Slack token, and what a refresh of a rotating one asks for and gets: plain values that
//! the client, the token rotation and the installations share without importing each other.

use std::fmt;
#[cfg(feature = "oauth")]
use std::time::SystemTime;

use reqwest::header::HeaderValue;

use crate::error::ConfigError;

/// A Slack token (`xoxb-…`, `xoxp-…`, …). Its `Debug` shows the kind, never the secret.
#[derive(Clone, PartialEq, Eq)]
pub struct Token(String);

impl Token {
    pub fn new(token: impl Into<String>) -> Self {
        Self(token.into())
    }

    /// The token's kind prefix (`xoxb`, `xoxp`, …), if it has a recognisable one.
    pub fn kind(&self) -> Option<&str> {
        let prefix = self.0.split('-').next()?;
        (prefix.len() < self.0.len() && prefix.len() <= 10 && prefix.starts_with("xox")
            || prefix == "xapp")
            .then_some(prefix)
    }

    /// The secret itself, for a refresh.
    #[cfg(feature = "oauth")]
    pub(crate) fn secret(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Token {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.kind() {
            Some(kind) => write!(f, "Token({kind}-<redacted>)"),
            None => f.write_str("Token(<redacted>)"),
        }
    }
}

impl From<&str> for Token {
    fn from(s: &str) -> Self {
        Token::new(s)
    }
}

impl From<String> for Token {
    fn from(s: String) -> Self {
        Token::new(s)
    }
}

/// `Authorization: Bearer …`, marked sensitive; an empty or unsendable token is refused.
pub(crate) fn bearer(token: &Token) -> Result<HeaderValue, ConfigError> {
    if token.0.trim().is_empty() {
        return Err(ConfigError::EmptyToken);
    }
    let mut value = HeaderValue::from_str(&format!("Bearer {}", token.0)).map_err(|_| ConfigError::InvalidToken)?;
    value.set_sensitive(true);
    Ok(value)
}


/// What a refresh of a rotating token sends (`oauth.v2.access` with
/// `grant_type=refresh_token`): the app's credentials and the refresh token. The token
/// rotation and the installations hand it to [`Client::refresh_token`](crate::Client), which
/// makes the call.
#[cfg(feature = "oauth")]
pub(crate) struct RefreshRequest {
    pub(crate) client_id: String,
    pub(crate) client_secret: Token,
    pub(crate) refresh_token: Token,
}

/// What a refresh granted: a new access token, the refresh token that replaces the one spent
/// (when Slack sent one), the access token's expiry and the scopes (when Slack said).
#[cfg(feature = "oauth")]
pub(crate) struct Granted {
    pub(crate) access_token: Token,
    pub(crate) refresh_token: Option<Token>,
    pub(crate) expires_at: Option<SystemTime>,
    /// Read by the installations (feature `install`), which keep the bot's scopes current.
    #[cfg_attr(not(feature = "install"), allow(dead_code))]
    pub(crate) scope: Option<String>,
}
