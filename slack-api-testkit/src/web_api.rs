//! The Web API side of the fake (interim: answers `{"ok":true}` or a handler's answer).

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

type Handler = Arc<dyn Fn(&Call) -> Option<serde_json::Value> + Send + Sync>;

/// One call the fake received.
#[derive(Clone, Debug)]
pub struct Call {
    /// The method's wire name.
    pub method: String,
    /// The bearer token, if any.
    pub token: Option<String>,
    /// The arguments, in order.
    pub args: Vec<(String, String)>,
    /// The app's `client_id` (HTTP Basic authentication or the form).
    pub client_id: Option<String>,
    /// The app's `client_secret` (HTTP Basic authentication or the form).
    pub client_secret: Option<String>,
}

impl Call {
    /// The first value of an argument.
    pub fn arg(&self, name: &str) -> Option<&str> {
        self.args.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
    }
}

/// The fake Web API: every method of the spec.
#[derive(Clone, Default)]
pub struct WebApi {
    handlers: Arc<Mutex<HashMap<String, Handler>>>,
    calls: Arc<Mutex<Vec<Call>>>,
}

impl WebApi {
    /// A Web API with the default answers.
    pub fn new() -> WebApi {
        WebApi::default()
    }

    /// Answers `method` with `f` where it returns an answer.
    pub fn handle(&self, method: &str, f: impl Fn(&Call) -> Option<serde_json::Value> + Send + Sync + 'static) {
        self.handlers.lock().unwrap().insert(method.to_owned(), Arc::new(f));
    }

    /// Every call so far.
    pub fn raw_calls(&self) -> Vec<Call> {
        self.calls.lock().unwrap().clone()
    }

    /// The routes, to be nested under `/api`.
    pub fn router(&self) -> axum::Router {
        let this = self.clone();
        axum::Router::new().route(
            "/{method}",
            axum::routing::any(
                move |axum::extract::Path(method): axum::extract::Path<String>,
                      headers: axum::http::HeaderMap,
                      query: axum::extract::RawQuery,
                      body: String| {
                    let this = this.clone();
                    async move {
                        let token = headers
                            .get("authorization")
                            .and_then(|v| v.to_str().ok())
                            .and_then(|v| v.strip_prefix("Bearer "))
                            .map(str::to_owned);
                        let text = query.0.unwrap_or(body);
                        let args = form_urlencoded::parse(text.as_bytes()).into_owned().collect();
                        let basic = headers
                            .get("authorization")
                            .and_then(|v| v.to_str().ok())
                            .and_then(|v| v.strip_prefix("Basic "))
                            .and_then(|b| base64::Engine::decode(&base64::engine::general_purpose::STANDARD, b).ok())
                            .and_then(|b| String::from_utf8(b).ok());
                        let (client_id, client_secret) = match basic.as_deref().and_then(|b| b.split_once(':')) {
                            Some((id, secret)) => (Some(id.to_owned()), Some(secret.to_owned())),
                            None => (None, None),
                        };
                        let call = Call { method, token, args, client_id, client_secret };
                        this.calls.lock().unwrap().push(call.clone());
                        let handler = this.handlers.lock().unwrap().get(&call.method).cloned();
                        let answer = handler.and_then(|h| h(&call)).unwrap_or_else(|| serde_json::json!({"ok": true}));
                        ([("content-type", "application/json")], answer.to_string())
                    }
                },
            ),
        )
    }
}

impl WebApi {
    /// Grants `token` these scopes.
    pub fn grant(&self, token: &str, scopes: &[&str]) {
        let _ = (token, scopes);
    }
}

impl crate::FakeSlack {
    /// Waits until the app has made `n` calls of `method` (listeners work after their ack),
    /// and returns every call of it so far.
    ///
    /// # Panics
    ///
    /// After 5 seconds without them, listing the calls made.
    pub async fn wait_for_calls(&self, method: &str, n: usize) -> Vec<Call> {
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(5);
        loop {
            let calls: Vec<Call> = self.web.raw_calls().into_iter().filter(|c| c.method == method).collect();
            if calls.len() >= n {
                return calls;
            }
            if std::time::Instant::now() > deadline {
                let made: Vec<String> = self.web.raw_calls().into_iter().map(|c| c.method).collect();
                panic!("expected {n} call(s) of {method} within 5 s; the calls made: {made:?}");
            }
            tokio::time::sleep(std::time::Duration::from_millis(5)).await;
        }
    }

    /// Grants `token` these scopes.
    pub fn grant(&self, token: &str, scopes: &[&str]) {
        self.web.grant(token, scopes);
    }
}
