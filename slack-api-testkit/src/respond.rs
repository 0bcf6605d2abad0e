//! `response_url`s on the fake: what an app posts to them is recorded, and checked as Slack
//! checks it (a JSON object, Block Kit within its limits, at most five uses of one URL).

use std::collections::HashMap;
use std::sync::Mutex;

use axum::http::{HeaderMap, StatusCode};
use serde_json::{Value, json};
use slack_api::block_kit::{Block, Validate};
use slack_api::events::ResponseMessage;

use crate::FakeSlack;

/// How many times Slack lets an app use one `response_url`.
pub const RESPONSE_URL_USES: usize = 5;

/// One message an app posted to a `response_url`.
#[derive(Clone, Debug, PartialEq)]
pub struct Response {
    /// The URL's id: the last segment of the URL the builders made.
    pub id: String,
    /// The message, as posted.
    pub body: Value,
}

impl Response {
    /// The message, typed.
    pub fn message(&self) -> ResponseMessage {
        match &self.body {
            Value::Object(m) => message_of(m.clone()),
            _ => ResponseMessage::default(),
        }
    }

    /// The `text` field.
    pub fn text(&self) -> Option<&str> {
        self.body.get("text").and_then(Value::as_str)
    }

    /// `ephemeral` (also when left out, as Slack reads it) or `in_channel`.
    pub fn response_type(&self) -> &str {
        self.body.get("response_type").and_then(Value::as_str).unwrap_or("ephemeral")
    }
}

/// A message's JSON fields as the SDK's typed message (the fields kept as they are).
pub(crate) fn message_of(fields: serde_json::Map<String, Value>) -> ResponseMessage {
    fields.into_iter().fold(ResponseMessage::default(), |m, (k, v)| m.field(k, v))
}

#[derive(Default)]
pub(crate) struct Responses {
    got: Mutex<Vec<Response>>,
    uses: Mutex<HashMap<String, usize>>,
}

fn refuse(status: StatusCode, code: &str) -> (StatusCode, [(&'static str, &'static str); 1], String) {
    (status, [("content-type", "application/json")], json!({ "ok": false, "error": code }).to_string())
}

impl Responses {
    pub(crate) fn receive(&self, id: String, headers: &HeaderMap, body: &str) -> (StatusCode, [(&'static str, &'static str); 1], String) {
        let json_type = headers.get("content-type").and_then(|v| v.to_str().ok()).is_some_and(|c| c.starts_with("application/json"));
        if !json_type {
            return refuse(StatusCode::BAD_REQUEST, "invalid_payload");
        }
        let Ok(body @ Value::Object(_)) = serde_json::from_str::<Value>(body) else {
            return refuse(StatusCode::BAD_REQUEST, "invalid_payload");
        };
        if let Some(blocks) = body.get("blocks") {
            let valid = serde_json::from_value::<Vec<Block>>(blocks.clone()).ok().is_some_and(|b| b.validate().is_ok());
            if !valid {
                return refuse(StatusCode::BAD_REQUEST, "invalid_blocks");
            }
        } else if body.get("text").is_none() && body.get("delete_original").is_none() {
            return refuse(StatusCode::BAD_REQUEST, "no_text");
        }
        {
            let mut uses = self.uses.lock().unwrap_or_else(|p| p.into_inner());
            let n = uses.entry(id.clone()).or_default();
            if *n >= RESPONSE_URL_USES {
                return refuse(StatusCode::NOT_FOUND, "used_url");
            }
            *n += 1;
        }
        self.got.lock().unwrap_or_else(|p| p.into_inner()).push(Response { id, body });
        (StatusCode::OK, [("content-type", "application/json")], json!({ "ok": true }).to_string())
    }
}

impl FakeSlack {
    /// Every message posted to a `response_url` of the fake so far, in order.
    pub fn responses(&self) -> Vec<Response> {
        self.shared.responses.got.lock().unwrap_or_else(|p| p.into_inner()).clone()
    }

}

pub(crate) fn router(shared: std::sync::Arc<crate::Shared>) -> axum::Router {
    {
        axum::Router::new().route(
            "/respond/{id}",
            axum::routing::post(move |axum::extract::Path(id): axum::extract::Path<String>, headers: HeaderMap, body: String| {
                let shared = shared.clone();
                async move { shared.responses.receive(id, &headers, &body) }
            }),
        )
    }
}
