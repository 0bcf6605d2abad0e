//! The Web API side of the fake: every method of the spec on `/api/<method>`.
//!
//! # What a call goes through
//!
//! In Slack's order, each failure answered as Slack answers it:
//!
//! 1. **The method**: an unknown name is `unknown_method`. `GET` and `POST` are both accepted
//!    (Slack takes either for every method); with [`WebApi::strict_http_methods`] a `GET` of a
//!    method the spec documents as `POST` is refused with HTTP 405, as is any other verb always.
//! 2. **The body**: form (`application/x-www-form-urlencoded`), `multipart/form-data` and, for
//!    the methods whose spec lists it, `application/json`. A body without a content type is
//!    `missing_post_type`, another type (or JSON to a method that takes none) `invalid_post_type`,
//!    a charset other than UTF-8 or ISO-8859-1 `invalid_charset`, an unreadable form
//!    `invalid_form_data`, bad JSON `invalid_json`, JSON that is not an object `json_not_object`.
//! 3. **The token**: from `Authorization: Bearer` or a `token` argument (not in a JSON body).
//!    None is `not_authed`; one of no known prefix (`xoxb-`, `xoxp-`, `xapp-`, `xoxe.`) is
//!    `invalid_auth`, as is any token the test did not register once
//!    [`WebApi::strict_tokens`] is on (the default is lenient: any well-formed token is known); a
//!    revoked one is `token_revoked`. A type the method does not allow (the spec's token types) is
//!    `not_allowed_token_type`. **Scopes** are checked only for a token the test granted scopes
//!    to ([`FakeSlack::grant`](crate::FakeSlack::grant)): a method takes any one of its scopes,
//!    and a token with none of them gets `missing_scope` with `needed` and `provided`. A token
//!    never granted scopes has them all. The OAuth exchange methods (`client_auth`) take HTTP
//!    Basic or `client_id` / `client_secret` arguments instead (`invalid_client_id` without them;
//!    `bad_client_secret` when [`WebApi::app_credentials`] are set and the secret differs).
//! 4. **Rate limits**, when turned on ([`WebApi::rate_limits`]): per token and method, per
//!    minute, by tier (1, 20, 50 and 100 calls), and `chat.postMessage` one message per second per
//!    channel; over the limit, HTTP 429 with `Retry-After`.
//! 5. **The arguments**: the call is decoded into the method's typed request by a decoder
//!    generated from the spec (required arguments, types, enumerated values); a failure is
//!    `invalid_arguments` with `response_metadata.messages` such as
//!    `[ERROR] missing required field: channel`. Unknown argument names are ignored, as Slack
//!    ignores them; a malformed name (not letters, digits and `_`, or over 100 characters) is
//!    `invalid_arg_name`. Then the method's argument groups are checked by
//!    [`ArgGroup::check`](slack_api::ArgGroup::check) and Block Kit by the request's
//!    [`Method::validate`] — the same functions the client runs before sending: a violation of a
//!    group is `invalid_arguments`; of Block Kit, `invalid_blocks` / `invalid_attachments` where
//!    the method documents them, `invalid_arguments` otherwise, each with its path.
//! 6. **The answer**: the newest programmed rule for the method ([`WebApi::on`],
//!    [`WebApi::handle`]), else the default: the documentation's example answer (`{"ok":true}`
//!    for a method whose documentation has none), except that `chat.postMessage` answers a fresh
//!    `ts` and the `channel` (and `text`) it was sent, and `auth.test` the calling token's
//!    [`Identity`] (see [`WebApi::stateful`]).
//!
//! Every call is recorded, with the status answered, and readable as the typed request:
//! [`FakeSlack::calls`](crate::FakeSlack::calls).

#![warn(missing_docs)]

mod incoming;
mod program;
mod reader;
mod tokens;

use std::any::Any;
use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use slack_api::{Method, MethodError, MethodInfo, RateLimitTier};

pub use program::{Program, Reply};
pub use reader::{ArgError, Decode, Reader};
pub use tokens::{Identity, token_type};

use program::{Behaviour, Rule};
use tokens::{Refusal, Tokens};

/// One method of the spec, as the generated table describes it.
#[derive(Debug)]
pub(crate) struct Route {
    pub(crate) info: &'static MethodInfo,
    /// The method takes `application/json` bodies.
    pub(crate) json: bool,
    /// The documentation's example answer (compact JSON text).
    pub(crate) example: Option<&'static str>,
    /// Decodes and checks a call.
    pub(crate) serve: fn(&Incoming) -> Decoded,
}

use incoming::Incoming;

/// What decoding and checking a call gave.
pub(crate) struct Decoded {
    request: Option<Arc<dyn Any + Send + Sync>>,
    /// Slack's answer to a refused call.
    refusal: Option<serde_json::Value>,
}

/// Decodes a call as `M`'s request and runs the client's own checks on it.
pub(crate) fn serve<M>(inc: &Incoming) -> Decoded
where
    M: Method + Decode + Send + Sync + 'static,
{
    if let Some((name, _)) = inc.args.iter().find(|(k, _)| k.is_empty() || k.len() > 100 || !k.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_')) {
        let _ = name;
        return Decoded { request: None, refusal: Some(error("invalid_arg_name")) };
    }
    let request = match M::decode(&mut Reader::new(&inc.args, &inc.files)) {
        Ok(r) => r,
        Err(e) => return Decoded { request: None, refusal: Some(invalid_arguments(&[e.slack_message()])) },
    };
    let refusal = check::<M>(&request);
    Decoded { request: Some(Arc::new(request)), refusal }
}

/// The argument groups and Block Kit rules, by the same functions the client runs.
fn check<M: Method>(request: &M) -> Option<serde_json::Value> {
    let mut args = slack_api::wire::Args::new();
    request.write_args(&mut args);
    let names: Vec<&str> = args.pairs().iter().map(|(k, _)| *k).chain(args.files().iter().map(|(k, _)| *k)).collect();
    for group in M::INFO.arg_groups {
        if let Err(why) = group.check(&names) {
            return Some(invalid_arguments(&[format!("[ERROR] {why}")]));
        }
    }
    let violations = request.validate().err()?;
    let root = |path: &str| path.split(['.', '[']).next().unwrap_or_default().to_owned();
    let first = violations.0.first().map(|v| root(&v.path)).unwrap_or_default();
    let documented = |code: &str| M::Error::from_code(code).is_documented();
    let code = match first.as_str() {
        "blocks" | "user_auth_blocks" if documented("invalid_blocks") => "invalid_blocks",
        "attachments" if documented("invalid_attachments") => "invalid_attachments",
        _ => "invalid_arguments",
    };
    let messages: Vec<String> = violations.0.iter().map(|v| format!("[ERROR] {} [json-pointer:/{}]", v.kind, v.path.replace(['.', '['], "/").replace(']', ""))).collect();
    let mut body = invalid_arguments(&messages);
    body["error"] = code.into();
    if code != "invalid_arguments" {
        body["errors"] = violations.0.iter().map(ToString::to_string).collect::<Vec<_>>().into();
    }
    Some(body)
}

/// A JSON body with its content type.
fn json_body(v: &serde_json::Value) -> ([(axum::http::HeaderName, &'static str); 1], String) {
    ([(axum::http::header::CONTENT_TYPE, "application/json; charset=utf-8")], v.to_string())
}

fn error(code: &str) -> serde_json::Value {
    serde_json::json!({ "ok": false, "error": code })
}

fn invalid_arguments(messages: &[String]) -> serde_json::Value {
    serde_json::json!({ "ok": false, "error": "invalid_arguments", "response_metadata": { "messages": messages } })
}

/// One call as the fake received it.
#[derive(Clone)]
#[non_exhaustive]
pub struct Call {
    /// The method's wire name (`chat.postMessage`).
    pub method: String,
    /// The token it carried (bearer or `token` argument), if any.
    pub token: Option<String>,
    /// Its text arguments, in arrival order (the token and files not included).
    pub args: Vec<(String, String)>,
    request: Option<Arc<dyn Any + Send + Sync>>,
}

impl std::fmt::Debug for Call {
    /// Shows the method and the argument names, not the token or the values.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Call")
            .field("method", &self.method)
            .field("token", &self.token.as_ref().map(|_| "<redacted>"))
            .field("args", &self.args.iter().map(|(k, _)| k.as_str()).collect::<Vec<_>>())
            .finish()
    }
}

impl Call {
    /// The value of argument `name` (the last one sent).
    pub fn arg(&self, name: &str) -> Option<&str> {
        self.args.iter().rev().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
    }

    /// The call as `M`'s typed request, if it is a call of `M` that decoded.
    pub fn request<M: 'static>(&self) -> Option<&M> {
        self.request.as_ref()?.downcast_ref::<M>()
    }
}

/// A recorded call and what the fake answered.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct CallRecord {
    /// The call.
    pub call: Call,
    /// The HTTP status answered (0: the connection was dropped).
    pub status: u16,
    /// The `error` code answered, for `"ok": false`.
    pub error: Option<String>,
}

impl State {
    /// A fresh message timestamp (`1700000000.000123`), later than every one before: one
    /// sequence for the messages the fake posts and the payloads its builders make, so that
    /// no two messages share a `ts`.
    fn next_ts(&mut self) -> String {
        self.ts_counter += 1;
        format!("{}.{:06}", 1_700_000_000 + self.ts_counter / 1_000_000, self.ts_counter % 1_000_000)
    }
}

#[derive(Debug, Default)]
pub(crate) struct State {
    tokens: Tokens,
    rules: Vec<Rule>,
    calls: Vec<CallRecord>,
    rate_limits: bool,
    strict_http: bool,
    plain_examples: bool,
    app_credentials: Option<(String, String)>,
    windows: HashMap<(String, String), VecDeque<Instant>>,
    ts_counter: u64,
}

/// The fake Web API: every method of the spec. Cloning shares the state.
#[derive(Clone, Default)]
pub struct WebApi {
    state: Arc<Mutex<State>>,
}

impl std::fmt::Debug for WebApi {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("WebApi").field("calls", &self.lock().calls.len()).finish()
    }
}

impl WebApi {
    /// A Web API with the default answers.
    pub fn new() -> WebApi {
        WebApi::default()
    }

    /// A handle that does not keep the fake alive (for the fake's own answers, which live in
    /// its state: a strong one would make a cycle that is never freed).
    pub(crate) fn downgrade(&self) -> std::sync::Weak<Mutex<State>> {
        Arc::downgrade(&self.state)
    }

    /// The fake behind a [`downgrade`](Self::downgrade)d handle, while it is alive.
    pub(crate) fn upgrade(weak: &std::sync::Weak<Mutex<State>>) -> Option<WebApi> {
        weak.upgrade().map(|state| WebApi { state })
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        // A test that panicked while holding the lock leaves consistent data behind.
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// The routes, to be nested under `/api`.
    pub fn router(&self) -> axum::Router {
        let web = self.clone();
        axum::Router::new().route(
            "/{method}",
            axum::routing::any(
                move |axum::extract::Path(method): axum::extract::Path<String>,
                      http_method: axum::http::Method,
                      uri: axum::http::Uri,
                      headers: HeaderMap,
                      body: axum::body::Bytes| {
                    let web = web.clone();
                    async move { web.answer(&method, &http_method, uri.query(), &headers, &body).await }
                },
            ),
        )
    }

    /// Grants `token` these scopes (and registers it): its calls are then checked against the
    /// scopes each method needs. Calling it again replaces the scopes.
    pub fn grant(&self, token: &str, scopes: &[&str]) {
        let mut s = self.lock();
        let entry = s.tokens.by_token.entry(token.to_owned()).or_default();
        entry.scopes = Some(scopes.iter().map(|s| (*s).to_owned()).collect());
        entry.revoked = false;
    }

    /// Registers `token` without scopes (it passes every scope check). Needed only with
    /// [`strict_tokens`](Self::strict_tokens).
    pub fn add_token(&self, token: &str) {
        self.lock().tokens.by_token.entry(token.to_owned()).or_default().revoked = false;
    }

    /// Revokes `token`: its calls are answered `token_revoked`.
    pub fn revoke(&self, token: &str) {
        self.lock().tokens.by_token.entry(token.to_owned()).or_default().revoked = true;
    }

    /// Who `token` belongs to, for `auth.test`.
    pub fn identity(&self, token: &str, identity: Identity) {
        self.lock().tokens.by_token.entry(token.to_owned()).or_default().identity = Some(identity);
    }

    /// With `true`, only tokens registered with [`grant`](Self::grant) or
    /// [`add_token`](Self::add_token) are known; others get `invalid_auth`. Default `false`.
    pub fn strict_tokens(&self, on: bool) {
        self.lock().tokens.strict = on;
    }

    /// With `true`, a `GET` of a method the spec documents as `POST` is refused (HTTP 405).
    /// Default `false`: Slack takes either verb for every method.
    pub fn strict_http_methods(&self, on: bool) {
        self.lock().strict_http = on;
    }

    /// Turns Slack's rate limits on or off (default off).
    pub fn rate_limits(&self, on: bool) {
        let mut s = self.lock();
        s.rate_limits = on;
        s.windows.clear();
    }

    /// With `false`, every method answers its documentation example as it is (no fresh `ts`
    /// for `chat.postMessage`, no per-token `auth.test`, no `apps.connections.open` URL of the
    /// fake's Socket Mode server, no `oauth.v2.access` tokens for the authorize page's codes).
    /// Default `true`.
    pub fn stateful(&self, on: bool) {
        self.lock().plain_examples = !on;
    }

    /// The app's client ID and secret: the OAuth exchange then refuses other credentials.
    pub fn app_credentials(&self, client_id: &str, client_secret: &str) {
        self.lock().app_credentials = Some((client_id.to_owned(), client_secret.to_owned()));
    }

    /// The app's client ID given to [`app_credentials`](Self::app_credentials), if any.
    pub(crate) fn client_id(&self) -> Option<String> {
        self.lock().app_credentials.as_ref().map(|(id, _)| id.clone())
    }

    /// Programs the answers of method `M`.
    pub fn on<M>(&self) -> Program<'_, M>
    where
        M: Method + Send + Sync + 'static,
        M::Response: serde::Serialize,
    {
        Program::new(self)
    }

    /// A dynamic JSON answer for `method` (by wire name), for every call that passes the
    /// checks: `f` gets the call and returns the answer, or `None` to fall through to older
    /// rules and the default answer.
    pub fn handle(&self, method: &str, f: impl Fn(&Call) -> Option<serde_json::Value> + Send + Sync + 'static) {
        self.push_dynamic(method, f, false);
    }

    /// [`handle`](Self::handle) for the fake's own stateful answers, which
    /// [`stateful(false)`](Self::stateful) turns off.
    pub(crate) fn handle_stateful(&self, method: &str, f: impl Fn(&Call) -> Option<serde_json::Value> + Send + Sync + 'static) {
        self.push_dynamic(method, f, true);
    }

    fn push_dynamic(&self, method: &str, f: impl Fn(&Call) -> Option<serde_json::Value> + Send + Sync + 'static, stateful: bool) {
        let dynamic = move |call: &Call| f(call).map(|v| Behaviour::Json(200, v));
        self.push_rule(Rule { method: method.to_owned(), behaviour: Behaviour::Dynamic(Arc::new(dynamic)), delay: None, remaining: None, stateful });
    }

    pub(crate) fn push_rule(&self, rule: Rule) {
        self.lock().rules.push(rule);
    }

    /// A fresh message timestamp, from the sequence `chat.postMessage` answers with.
    pub(crate) fn next_ts(&self) -> String {
        self.lock().next_ts()
    }

    /// Every call so far, in order, with what was answered.
    pub fn raw_calls(&self) -> Vec<CallRecord> {
        self.lock().calls.clone()
    }

    /// The calls of method `M` that decoded, in order, as typed requests (refused ones
    /// included: a call that decoded but broke a group or Block Kit rule is here too).
    pub fn calls<M: Method + Clone + 'static>(&self) -> Vec<M> {
        self.lock().calls.iter().filter_map(|c| c.call.request::<M>().cloned()).collect()
    }

    /// Forgets the recorded calls.
    pub fn clear_calls(&self) {
        self.lock().calls.clear();
    }

    /// The number of methods served (every method of the spec).
    pub fn method_count() -> usize {
        crate::generated::ROUTES.len()
    }

    /// The wire names of the methods served, sorted.
    pub fn methods() -> impl Iterator<Item = &'static str> {
        crate::generated::ROUTES.iter().map(|r| r.info.name)
    }

    /// The documentation example answer of `method`, if its documentation has one.
    pub fn example(method: &str) -> Option<&'static str> {
        route(method).and_then(|r| r.example)
    }

    async fn answer(&self, method: &str, http_method: &axum::http::Method, query: Option<&str>, headers: &HeaderMap, body: &[u8]) -> Response {
        let (call, outcome) = self.decide(method, http_method, query, headers, body);
        let (status, code, delay, behaviour) = outcome;
        if let Some(d) = delay {
            tokio::time::sleep(d).await;
        }
        let record = |status: u16, error: Option<String>| {
            self.lock().calls.push(CallRecord { call: call.clone(), status, error });
        };
        match behaviour {
            Answer::Json(v) => {
                record(status, code);
                (StatusCode::from_u16(status).unwrap_or(StatusCode::OK), json_body(&v)).into_response()
            }
            Answer::Status(s) => {
                record(s, None);
                StatusCode::from_u16(s).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR).into_response()
            }
            Answer::RateLimited(after) => {
                record(429, Some("ratelimited".into()));
                let secs = after.as_secs() + u64::from(after.subsec_nanos() > 0);
                (StatusCode::TOO_MANY_REQUESTS, [("retry-after", secs.max(1).to_string())], json_body(&error("ratelimited"))).into_response()
            }
            Answer::NotAllowed => {
                record(405, None);
                (StatusCode::METHOD_NOT_ALLOWED, [("allow", "GET, POST")], json_body(&error("method_not_allowed"))).into_response()
            }
            Answer::Drop => {
                record(0, None);
                let failing = futures_util::stream::once(async {
                    Err::<axum::body::Bytes, std::io::Error>(std::io::Error::new(std::io::ErrorKind::ConnectionAborted, "dropped by the fake"))
                });
                Response::new(axum::body::Body::from_stream(failing))
            }
        }
    }

    #[allow(clippy::type_complexity)]
    fn decide(
        &self,
        method: &str,
        http_method: &axum::http::Method,
        query: Option<&str>,
        headers: &HeaderMap,
        body: &[u8],
    ) -> (Call, (u16, Option<String>, Option<Duration>, Answer)) {
        let mut call = Call { method: method.to_owned(), token: None, args: Vec::new(), request: None };
        let refuse = |v: serde_json::Value| {
            let code = v.get("error").and_then(|e| e.as_str()).map(str::to_owned);
            (200, code, None, Answer::Json(v))
        };
        let Some(route) = route(method) else { return (call, refuse(error("unknown_method"))) };
        let strict_http = self.lock().strict_http;
        let verb_ok = *http_method == axum::http::Method::POST
            || (*http_method == axum::http::Method::GET && (!strict_http || route.info.http_method == slack_api::HttpMethod::Get));
        if !verb_ok {
            return (call, (405, None, None, Answer::NotAllowed));
        }
        let mut inc = match incoming::read(query, headers, body, route.json) {
            Ok(i) => i,
            Err(bad) => return (call, refuse(error(bad.0))),
        };
        call.token = inc.token.clone();
        call.args = inc.args.clone();
        if route.info.client_auth {
            if let Some((id, secret)) = inc.basic.take() {
                inc.args.push(("client_id".into(), id));
                inc.args.push(("client_secret".into(), secret));
            }
            let get = |n: &str| inc.args.iter().rev().find(|(k, _)| k == n).map(|(_, v)| v.clone());
            match (get("client_id"), get("client_secret"), self.lock().app_credentials.clone()) {
                (None, _, _) | (_, None, _) => return (call, refuse(error("invalid_client_id"))),
                (Some(id), _, Some((want, _))) if id != want => return (call, refuse(error("invalid_client_id"))),
                (_, Some(secret), Some((_, want))) if secret != want => return (call, refuse(error("bad_client_secret"))),
                _ => {}
            }
        } else {
            let Some(token) = inc.token.as_deref() else { return (call, refuse(error("not_authed"))) };
            let checked = self.lock().tokens.check(token, route.info.token_types);
            match checked {
                Ok(()) => {}
                Err(Refusal::Unknown) => return (call, refuse(error("invalid_auth"))),
                Err(Refusal::Revoked) => return (call, refuse(error("token_revoked"))),
                Err(Refusal::WrongType) => return (call, refuse(error("not_allowed_token_type"))),
                Err(Refusal::MissingScope { needed, provided }) => {
                    return (call, refuse(serde_json::json!({ "ok": false, "error": "missing_scope", "needed": needed, "provided": provided })));
                }
            }
        }
        if let Some(wait) = self.rate_limited(route.info, call.token.as_deref().unwrap_or_default(), &inc) {
            return (call, (429, Some("ratelimited".into()), None, Answer::RateLimited(wait)));
        }
        let decoded = (route.serve)(&inc);
        call.request = decoded.request;
        if let Some(refusal) = decoded.refusal {
            return (call, refuse(refusal));
        }
        let (behaviour, delay) = self.programmed(&call);
        let answer = match behaviour {
            Behaviour::Json(status, v) => {
                let code = v.get("error").and_then(|e| e.as_str()).map(str::to_owned);
                (status, code, delay, Answer::Json(v))
            }
            Behaviour::Default | Behaviour::Dynamic(_) => (200, None, delay, Answer::Json(self.default_answer(route, &call))),
            Behaviour::RateLimited(d) => (429, Some("ratelimited".into()), delay, Answer::RateLimited(d)),
            Behaviour::Status(s) => (s, None, delay, Answer::Status(s)),
            Behaviour::Drop => (0, None, delay, Answer::Drop),
        };
        (call, answer)
    }

    /// The newest applicable rule's behaviour (dynamic ones resolved), and its delay.
    fn programmed(&self, call: &Call) -> (Behaviour, Option<Duration>) {
        let candidates: Vec<(usize, Rule)> = {
            let s = self.lock();
            let plain = s.plain_examples;
            s.rules
                .iter()
                .enumerate()
                .rev()
                .filter(|(_, r)| r.method == call.method && r.remaining != Some(0) && !(plain && r.stateful))
                .map(|(i, r)| (i, r.clone()))
                .collect()
        };
        for (i, rule) in candidates {
            let behaviour = match &rule.behaviour {
                // Outside the lock: the handler may call back into the fake.
                Behaviour::Dynamic(f) => match f(call) {
                    Some(b) => b,
                    None => continue,
                },
                other => other.clone(),
            };
            if let Some(n) = self.lock().rules.get_mut(i).and_then(|r| r.remaining.as_mut()) {
                *n = n.saturating_sub(1);
            }
            return (behaviour, rule.delay);
        }
        (Behaviour::Default, None)
    }

    /// The example answer, with the stateful methods' own fields.
    fn default_answer(&self, route: &Route, call: &Call) -> serde_json::Value {
        let mut v: serde_json::Value = route.example.and_then(|e| serde_json::from_str(e).ok()).unwrap_or_else(|| serde_json::json!({ "ok": true }));
        let mut s = self.lock();
        if s.plain_examples {
            return v;
        }
        match route.info.name {
            "chat.postMessage" => {
                let ts = s.next_ts();
                if let Some(channel) = call.arg("channel") {
                    v["channel"] = channel.into();
                }
                v["ts"] = ts.clone().into();
                if v.get("message").is_some_and(serde_json::Value::is_object) {
                    v["message"]["ts"] = ts.into();
                    match call.arg("text") {
                        Some(text) => v["message"]["text"] = text.into(),
                        None => {
                            if let Some(m) = v["message"].as_object_mut() {
                                m.remove("text");
                            }
                        }
                    }
                    if let Some(m) = v["message"].as_object_mut() {
                        m.remove("attachments");
                        for key in ["blocks", "attachments"] {
                            if let Some(raw) = call.arg(key).and_then(|t| serde_json::from_str::<serde_json::Value>(t).ok()) {
                                m.insert(key.into(), raw);
                            }
                        }
                    }
                }
            }
            "auth.test" => {
                let identity = call
                    .token
                    .as_deref()
                    .and_then(|t| s.tokens.by_token.get(t).and_then(|state| state.identity.clone()).or_else(|| Identity::default_for(t)));
                if let Some(id) = identity {
                    for (key, value) in [
                        ("team_id", id.team_id),
                        ("team", id.team),
                        ("user_id", id.user_id),
                        ("user", id.user),
                        ("bot_id", id.bot_id),
                        ("enterprise_id", id.enterprise_id),
                    ] {
                        if let Some(value) = value {
                            v[key] = value.into();
                        }
                    }
                }
            }
            _ => {}
        }
        v
    }

    /// `Some(wait)` when the call is over its rate limit (and records it otherwise).
    fn rate_limited(&self, info: &MethodInfo, token: &str, inc: &Incoming) -> Option<Duration> {
        let mut s = self.lock();
        if !s.rate_limits {
            return None;
        }
        let (key, limit, window) = match info.rate_limit {
            RateLimitTier::Tier1 => ((token.to_owned(), info.name.to_owned()), 1, 60),
            RateLimitTier::Tier2 => ((token.to_owned(), info.name.to_owned()), 20, 60),
            RateLimitTier::Tier3 => ((token.to_owned(), info.name.to_owned()), 50, 60),
            RateLimitTier::Tier4 => ((token.to_owned(), info.name.to_owned()), 100, 60),
            RateLimitTier::Special if info.name == "chat.postMessage" => {
                let channel = inc.args.iter().rev().find(|(k, _)| k == "channel").map(|(_, v)| v.clone()).unwrap_or_default();
                (("channel".to_owned(), channel), 1, 1)
            }
            _ => return None,
        };
        let window = Duration::from_secs(window);
        let now = Instant::now();
        let calls = s.windows.entry(key).or_default();
        while calls.front().is_some_and(|t| now.duration_since(*t) >= window) {
            calls.pop_front();
        }
        if calls.len() >= limit {
            let oldest = *calls.front()?;
            return Some(window.saturating_sub(now.duration_since(oldest)));
        }
        calls.push_back(now);
        None
    }
}

/// How the HTTP answer is made.
enum Answer {
    Json(serde_json::Value),
    Status(u16),
    RateLimited(Duration),
    NotAllowed,
    Drop,
}

fn route(method: &str) -> Option<&'static Route> {
    let routes = &crate::generated::ROUTES;
    routes.binary_search_by(|r| r.info.name.cmp(method)).ok().map(|i| &routes[i])
}

impl crate::FakeSlack {
    /// Grants `token` these scopes; see [`WebApi::grant`].
    pub fn grant(&self, token: &str, scopes: &[&str]) {
        self.web().grant(token, scopes);
    }

    /// The calls of method `M` so far, as typed requests; see [`WebApi::calls`].
    pub fn calls<M: Method + Clone + 'static>(&self) -> Vec<M> {
        self.web().calls::<M>()
    }

    /// Programs the answers of method `M`; see [`WebApi::on`].
    pub fn on<M>(&self) -> Program<'_, M>
    where
        M: Method + Send + Sync + 'static,
        M::Response: serde::Serialize,
    {
        self.web().on::<M>()
    }
}
