//! A loopback stand-in for Slack's Web API, for running the crate's examples without a
//! workspace: `cargo run -p slack-api-tests --bin mock_slack` prints its base URL
//! (`http://127.0.0.1:PORT/api/`) and answers until it is killed. The examples read it from
//! `SLACK_API_URL`.
//!
//! It answers the methods a new app calls first, checking what a real Slack would check:
//! `chat.postMessage` (with `channel_not_found` for any channel starting `CNOTFOUND`; blocks must
//! be a JSON array; a thread reply must name an existing message), `views.open` (needs a
//! `trigger_id` and a `view` object), `users.list` (2,500 users in pages), `oauth.v2.access`
//! (client credentials only as HTTP Basic auth), `auth.test`.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use slack_api_tests::{MockServer, Recorded, Reply};

fn form(r: &Recorded) -> Vec<(String, String)> {
    let text = r.query.clone().unwrap_or_else(|| r.body_text());
    form_urlencoded::parse(text.as_bytes()).into_owned().collect()
}

fn error(code: &str) -> Option<Reply> {
    Some(Reply::json(&format!(r#"{{"ok":false,"error":"{code}"}}"#)))
}

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let server = MockServer::start().await;
    let next_ts = Arc::new(AtomicU64::new(1_700_000_000_000_100));
    let posted: Arc<Mutex<Vec<String>>> = Arc::default();
    server.set_handler(move |r: &Recorded| {
        let args = form(r);
        let arg = |name: &str| args.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str());
        let method = r.path.rsplit('/').next().unwrap_or_default();
        if method != "oauth.v2.access" && !r.header("authorization").is_some_and(|a| a.starts_with("Bearer xox")) {
            return error("not_authed");
        }
        match method {
            "auth.test" => Some(Reply::json(r#"{"ok":true,"url":"https://example.slack.com/","team":"Example","user":"bot","team_id":"T0001","user_id":"U0BOT","bot_id":"B0001"}"#)),
            "chat.postMessage" => {
                let Some(channel) = arg("channel") else { return error("channel_not_found") };
                if channel.starts_with("CNOTFOUND") {
                    return error("channel_not_found");
                }
                if let Some(blocks) = arg("blocks") {
                    if !serde_json::from_str::<serde_json::Value>(blocks).is_ok_and(|v| v.is_array()) {
                        return error("invalid_blocks_format");
                    }
                }
                if arg("text").is_none() && arg("blocks").is_none() {
                    return error("no_text");
                }
                let mut posted = posted.lock().unwrap();
                if let Some(parent) = arg("thread_ts") {
                    if !posted.iter().any(|ts| ts == parent) {
                        return error("thread_not_found");
                    }
                }
                let n = next_ts.fetch_add(1, Ordering::Relaxed);
                let ts = format!("{}.{:06}", n / 1_000_000, n % 1_000_000);
                posted.push(ts.clone());
                let thread = arg("thread_ts").map(|t| format!(r#","thread_ts":"{t}""#)).unwrap_or_default();
                let text = serde_json::Value::String(arg("text").unwrap_or_default().to_owned());
                Some(Reply::json(&format!(
                    r#"{{"ok":true,"channel":"{channel}","ts":"{ts}","message":{{"type":"message","user":"U0BOT","text":{text},"ts":"{ts}"{thread}}}}}"#
                )))
            }
            "views.open" => {
                if arg("trigger_id").is_none() {
                    return error("invalid_trigger_id");
                }
                match arg("view").map(serde_json::from_str::<serde_json::Value>) {
                    Some(Ok(view)) if view.is_object() => {
                        let mut view = view;
                        view["id"] = "V0001".into();
                        Some(Reply::json(&format!(r#"{{"ok":true,"view":{view}}}"#)))
                    }
                    _ => error("invalid_arguments"),
                }
            }
            "users.list" => {
                let total = 2_500usize;
                let start: usize = arg("cursor").and_then(|c| c.parse().ok()).unwrap_or(0);
                let limit: usize = arg("limit").and_then(|l| l.parse().ok()).unwrap_or(100).clamp(1, 1000);
                let end = (start + limit).min(total);
                let members: Vec<String> = (start..end)
                    .map(|i| format!(r#"{{"id":"U{i:08}","name":"user{i}","is_bot":{},"profile":{{"email":"user{i}@example.com"}}}}"#, i % 10 == 0))
                    .collect();
                let next = if end < total { end.to_string() } else { String::new() };
                Some(Reply::json(&format!(
                    r#"{{"ok":true,"members":[{}],"response_metadata":{{"next_cursor":"{next}"}}}}"#,
                    members.join(",")
                )))
            }
            "oauth.v2.access" => {
                // Slack recommends the client credentials as HTTP Basic auth; base64 of
                // "1234.5678:example-secret".
                if r.header("authorization") != Some("Basic MTIzNC41Njc4OmV4YW1wbGUtc2VjcmV0") {
                    return error("invalid_client_id");
                }
                if arg("client_secret").is_some() {
                    return error("invalid_arguments");
                }
                match arg("code") {
                    Some("example-code") => Some(Reply::json(
                        r#"{"ok":true,"access_token":"xoxb-17653672481-19874698323-example","token_type":"bot","scope":"chat:write,users:read","bot_user_id":"U0BOT","app_id":"A0001","team":{"name":"Example","id":"T0001"},"enterprise":null,"authed_user":{"id":"U0001","scope":"chat:write","access_token":"xoxp-1234-example","token_type":"user"}}"#,
                    )),
                    _ => error("invalid_code"),
                }
            }
            _ => error("unknown_method"),
        }
    });
    println!("{}", server.base_url());
    // Serve until killed (or until whoever started us closes our stdin).
    let mut line = String::new();
    let _ = tokio::task::spawn_blocking(move || std::io::stdin().read_line(&mut line)).await;
}
