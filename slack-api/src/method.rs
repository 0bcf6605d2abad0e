//! What every generated request type says about its method.

use serde::de::DeserializeOwned;

use crate::wire::Args;

/// A Slack Web API method, implemented by every generated request type.
///
/// [`Client::call`](crate::Client::call) needs nothing else: the request writes its arguments,
/// [`INFO`](Method::INFO) says where and how to send them, and the associated types say how to
/// read the answer.
pub trait Method {
    /// What a successful call returns.
    type Response: DeserializeOwned;
    /// What a call that Slack answers with `"ok": false` returns.
    type Error: MethodError;
    /// The method's facts from the spec.
    const INFO: &'static MethodInfo;
    /// Writes the request's arguments (never the token).
    fn write_args(&self, args: &mut Args);
}

/// Facts about a method, from the spec. Not `#[non_exhaustive]`, so that a crate can describe a
/// method this one lacks by implementing [`Method`] itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MethodInfo {
    /// The wire name, e.g. `chat.postMessage`.
    pub name: &'static str,
    pub http_method: HttpMethod,
    pub rate_limit: RateLimitTier,
    /// The token types that may call the method, each with the scopes it needs.
    pub token_types: &'static [TokenScopes],
    pub deprecated: bool,
    /// The method's page in Slack's reference.
    pub docs_url: &'static str,
}

/// The HTTP method Slack documents for a method.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum HttpMethod {
    /// Arguments travel in the query string.
    Get,
    /// Arguments travel in a form-encoded body.
    Post,
}

/// Slack's rate-limit tiers (per method, per workspace, per app).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum RateLimitTier {
    /// 1+ calls per minute.
    Tier1,
    /// 20+ calls per minute.
    Tier2,
    /// 50+ calls per minute.
    Tier3,
    /// 100+ calls per minute.
    Tier4,
    /// Limits described on the method's page (e.g. one message per second per channel).
    Special,
    /// No documented limit.
    Unlimited,
}

/// Kinds of Slack tokens.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum TokenType {
    /// `xoxb-`: a bot token.
    Bot,
    /// `xoxp-`: a user token.
    User,
    /// `xapp-`: an app-level token.
    App,
    /// `xoxe.xoxp-`: an app configuration token.
    Configuration,
    /// A seamless-user token (canvases).
    SeamlessUser,
}

/// A token type and the scopes it needs for a method.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TokenScopes {
    pub token_type: TokenType,
    pub scopes: &'static [&'static str],
}

/// The error enum of a method: one variant per documented code, plus the common errors and a
/// fallback for codes the documentation does not list.
pub trait MethodError: std::error::Error + Send + Sync + 'static {
    /// The method's wire name.
    const METHOD: &'static str;
    /// The variant for a wire code; never fails (unknown codes are kept as they are).
    fn from_code(code: &str) -> Self;
    /// The code as Slack sends it.
    fn code(&self) -> &str;
    /// `false` only for the fallback that keeps an undocumented code.
    fn is_documented(&self) -> bool;
}
