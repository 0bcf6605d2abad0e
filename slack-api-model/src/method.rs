//! What every generated request type says about its method.

use serde::de::DeserializeOwned;

use crate::wire::Args;

/// A Slack Web API method, implemented by every generated request type.
///
/// [`Client::call`](struct.Client.html#method.call) needs nothing else: the request writes its arguments,
/// [`INFO`](Method::INFO) says where and how to send them, and the associated types say how to
/// read the answer.
pub trait Method {
    /// What a successful call returns.
    type Response: DeserializeOwned + Response + Send;
    /// What a call that Slack answers with `"ok": false` returns.
    type Error: MethodError;
    /// The method's facts from the spec.
    const INFO: &'static MethodInfo;
    /// Writes the request's arguments (never the token).
    fn write_args(&self, args: &mut Args);

    /// Checks the request's Block Kit arguments (blocks, attachments, view, metadata, unfurls)
    /// and JSON arguments into `v`. `Client::call` runs it before sending, unless turned off
    /// with `ClientBuilder::validate_block_kit`. (Not links: this text is shown on every
    /// request type's page, at another depth than the client's.)
    fn validate_block_kit<'a>(&'a self, v: &mut crate::block_kit::Validator<'a>) {
        let _ = v;
    }

    /// Every Block Kit violation in the request, each with its JSON path, limit and actual
    /// value.
    fn validate(&self) -> Result<(), crate::block_kit::Violations> {
        let mut v = crate::block_kit::Validator::new();
        self.validate_block_kit(&mut v);
        v.finish()
    }
}

/// What every response carries: Slack's envelope. Lets the client decode an answer in one pass
/// and look at `ok` afterwards.
pub trait Response {
    /// Whether the answer said `"ok": true`.
    fn is_ok(&self) -> bool;
    /// Warning codes, from `warning` and `response_metadata.warnings`.
    fn warnings(&self) -> Vec<&str>;
}

impl Response for crate::UntypedResponse {
    fn is_ok(&self) -> bool {
        self.ok
    }
    fn warnings(&self) -> Vec<&str> {
        crate::UntypedResponse::warnings(self)
    }
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
    /// Whether sending the call twice is harmless (a read). Only such calls are retried after a
    /// failure that leaves open whether the first attempt took effect, unless the retry policy
    /// says otherwise.
    pub idempotent: bool,
    /// Sets of arguments that go together; checked before a call is sent.
    pub arg_groups: &'static [ArgGroup],
    /// The method authenticates with the app's `client_id` and `client_secret` instead of a
    /// token (the OAuth exchange): the client sends them as HTTP Basic authentication, never
    /// a bearer token.
    pub client_auth: bool,
    /// The method's page in Slack's reference.
    pub docs_url: &'static str,
}

/// Arguments that go together: at least one of them (`required`), at most one (`exclusive`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ArgGroup {
    pub args: &'static [&'static str],
    pub required: bool,
    pub exclusive: bool,
}

impl ArgGroup {
    /// Checks the names of the arguments a call sets; the message says what is wrong. Allocates
    /// nothing unless something is.
    pub fn check(&self, set: &[&str]) -> Result<(), String> {
        let present = self.args.iter().filter(|a| set.contains(a)).count();
        if (self.required && present == 0) || (self.exclusive && present > 1) {
            let names = self.args.iter().map(|a| format!("`{a}`")).collect::<Vec<_>>().join(", ");
            if present == 0 {
                return Err(format!("one of {names} is required"));
            }
            let given: Vec<&str> = self.args.iter().copied().filter(|a| set.contains(a)).collect();
            return Err(format!("only one of {names} may be set, but {} are", given.join(" and ")));
        }
        Ok(())
    }
}

/// A method that pages with `cursor`; see [`Client::pages`](struct.Client.html#method.pages).
pub trait Paginated: Method + Clone {
    /// The response field that holds each page's items, where the spec knows it.
    const LIST_FIELD: Option<&'static str>;
    /// Sets the `cursor` argument for the next page.
    fn set_cursor(&mut self, cursor: String);
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

/// A response that carries a page of a cursor-paginated list.
pub trait Page {
    /// One item of the list: typed where the spec knows the list's type, JSON otherwise.
    type Item;
    /// `response_metadata.next_cursor`; `None` (or empty) on the last page.
    fn next_cursor(&self) -> Option<&str>;
    /// Moves the items out of the list field (`field` is the method's list field).
    fn take_items(&mut self, field: &str) -> Vec<Self::Item>;
}

impl Page for crate::UntypedResponse {
    type Item = serde_json::Value;

    fn next_cursor(&self) -> Option<&str> {
        crate::response::next_cursor(&self.response_metadata)
    }

    fn take_items(&mut self, field: &str) -> Vec<serde_json::Value> {
        crate::lenient::take_list(&mut self.fields, field)
    }
}

