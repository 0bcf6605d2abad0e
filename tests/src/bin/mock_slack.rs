//! A loopback stand-in for Slack's Web API, for running the crate's examples without a
//! workspace: `cargo run -p slack-api-tests --bin mock_slack` prints its base URL
//! (`http://127.0.0.1:PORT/api/`) and answers until its stdin closes. The examples read it from
//! `SLACK_API_URL`.
//!
//! It is the test kit's fake Slack (every method checked as Slack checks it, answered with its
//! documentation example), with the state a first hour needs on top: `chat.postMessage` fails
//! with `channel_not_found` for any channel starting `CNOTFOUND` and with `thread_not_found` for
//! a reply to a message it did not post; `users.list` pages through 2,500 users; the OAuth
//! exchange takes the app `1234.5678` / `example-secret` and the code `example-code`.

use std::sync::{Arc, Mutex};

use serde_json::json;
use slack_api_testkit::FakeSlack;

fn error(code: &str) -> Option<serde_json::Value> {
    Some(json!({ "ok": false, "error": code }))
}

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let slack = FakeSlack::start().await;
    slack.oauth_client("1234.5678", "example-secret");
    let web = slack.web();

    let posted: Arc<Mutex<Vec<String>>> = Arc::default();
    web.handle("chat.postMessage", move |call| {
        let channel = call.arg("channel").unwrap_or_default();
        if channel.starts_with("CNOTFOUND") {
            return error("channel_not_found");
        }
        let mut posted = posted.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(parent) = call.arg("thread_ts") {
            if !posted.iter().any(|ts| ts == parent) {
                return error("thread_not_found");
            }
        }
        let n = 1_700_000_000_000_100 + posted.len() as u64;
        let ts = format!("{}.{:06}", n / 1_000_000, n % 1_000_000);
        posted.push(ts.clone());
        let mut message = json!({ "type": "message", "user": "U0BOT", "text": call.arg("text").unwrap_or_default(), "ts": ts });
        if let Some(parent) = call.arg("thread_ts") {
            message["thread_ts"] = parent.into();
        }
        Some(json!({ "ok": true, "channel": channel, "ts": ts, "message": message }))
    });

    web.handle("users.list", |call| {
        let total = 2_500usize;
        let start: usize = call.arg("cursor").and_then(|c| c.parse().ok()).unwrap_or(0);
        let limit: usize = call.arg("limit").and_then(|l| l.parse().ok()).unwrap_or(100).clamp(1, 1000);
        let end = (start + limit).min(total);
        let members: Vec<_> = (start..end)
            .map(|i| json!({ "id": format!("U{i:08}"), "name": format!("user{i}"), "is_bot": i % 10 == 0, "profile": { "email": format!("user{i}@example.com") } }))
            .collect();
        let next = if end < total { end.to_string() } else { String::new() };
        Some(json!({ "ok": true, "members": members, "response_metadata": { "next_cursor": next } }))
    });

    // The examples exchange a code of their own (the credentials are checked before this runs).
    web.handle("oauth.v2.access", |call| {
        if call.arg("code") != Some("example-code") {
            return None; // codes the fake's authorize page issued, or `invalid_code`
        }
        Some(json!({
            "ok": true, "access_token": "xoxb-17653672481-19874698323-example", "token_type": "bot",
            "scope": "chat:write,users:read", "bot_user_id": "U0BOT", "app_id": "A0001",
            "team": { "name": "Example", "id": "T0001" }, "enterprise": null,
            "authed_user": { "id": "U0001", "scope": "chat:write", "access_token": "xoxp-1234-example", "token_type": "user" },
        }))
    });

    println!("{}", slack.base_url());
    // Serve until killed (or until whoever started us closes our stdin).
    let mut line = String::new();
    let _ = tokio::task::spawn_blocking(move || std::io::stdin().read_line(&mut line)).await;
}
