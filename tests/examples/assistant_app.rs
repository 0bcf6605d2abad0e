//! An AI app in an assistant thread: when the user opens a thread it offers suggested prompts;
//! when they write, it shows a status, then streams its answer — markdown, a task update, and
//! feedback buttons at the end.
//!
//! It runs against local simulators: a loopback Slack Web API that records every call, and a
//! "Slack" that signs and posts the events to the app's HTTP endpoint, as Slack would. The
//! calls the app makes are checked at the end.
//!
//! cargo run -p slack-api-tests --example assistant_app

use std::time::Duration;

use serde_json::{Value, json};
use slack_api::app::{App, Assistant, Cx, SuggestedPrompt};
use slack_api::block_kit::{ActionsBlock, ButtonElement, TaskUpdateChunk, TaskUpdateChunkStatus};
use slack_api::chat_stream::StreamEnd;
use slack_api::events::{AssistantThreadStartedEvent, MessageEvent, Verifier};
use slack_api::Client;
use slack_api_tests::{MockServer, Recorded, Reply};

const SIGNING_SECRET: &str = "example-signing-secret";

/// The app: what an AI app written with this crate looks like.
fn app(client: Client) -> App {
    let mut app = App::new(client);
    app.assistant(
        Assistant::new()
            .thread_started(|_: AssistantThreadStartedEvent, cx: Cx| async move {
                cx.set_suggested_prompts(
                    [
                        SuggestedPrompt::new("Summarise the channel", "Summarise what I missed in this channel"),
                        "What can you do?".into(),
                    ],
                    Some("Try asking"),
                )
                .await?;
                Ok(())
            })
            .user_message(|msg: MessageEvent, cx: Cx| async move {
                cx.set_status("is thinking…").await?;
                let context = cx.thread_context().await; // where the user was when they opened the thread
                let stream = cx.say_stream()?;
                let task = |status| TaskUpdateChunk::new("read", "Reading the channel", status);
                stream.append_chunks([task(TaskUpdateChunkStatus::InProgress)]).await?;
                let question = msg.text().unwrap_or_default();
                let place = context.and_then(|c| c.into_fields().channel_id).map_or("here".to_owned(), |c| format!("<#{c}>"));
                for piece in ["You asked: ", question, "\n\n", "Nothing new in ", place.as_str(), " since yesterday."] {
                    stream.append(piece).await?; // buffered: sent by size or after a second
                }
                stream.append_chunks([task(TaskUpdateChunkStatus::Complete)]).await?;
                let feedback = ActionsBlock::new([
                    ButtonElement::new("Helpful").action_id("feedback_good"),
                    ButtonElement::new("Not helpful").action_id("feedback_bad"),
                ]);
                stream.stop_with(StreamEnd::new().blocks([feedback])).await?;
                Ok(())
            }),
    );
    app
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    // The Web API stand-in: answers each method like Slack, records the calls.
    let web_api = MockServer::start().await;
    web_api.set_handler(|r: &Recorded| {
        Some(Reply::json(match r.path.rsplit('/').next() {
            Some("chat.startStream") => r#"{"ok":true,"channel":"D0ASSIST","ts":"1729999400.000100"}"#,
            Some("chat.stopStream") => r#"{"ok":true,"channel":"D0ASSIST","ts":"1729999400.000100"}"#,
            _ => r#"{"ok":true}"#,
        }))
    });
    let client = Client::builder("xoxb-example-bot-token").base_url(web_api.base_url()).build()?;

    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let endpoint = format!("http://{}/slack/events", listener.local_addr()?);
    let served = app(client);
    tokio::spawn(async move { served.serve_http_on(listener, SIGNING_SECRET).await });

    // "Slack": the user opens the assistant while viewing #general…
    let slack = Slack::new(endpoint);
    slack
        .event(json!({
            "type": "assistant_thread_started",
            "assistant_thread": {
                "user_id": "U0ADA", "channel_id": "D0ASSIST", "thread_ts": "1729999327.187299",
                "context": { "channel_id": "C0GENERAL", "team_id": "T0TEAM", "enterprise_id": null }
            },
            "event_ts": "1729999327.200000"
        }))
        .await?;
    let calls = wait_for(&web_api, 1).await;
    let prompts = &calls[0];
    println!("thread started → {} {}", prompts.0, prompts.1);
    assert_eq!(prompts.0, "assistant.threads.setSuggestedPrompts");
    assert_eq!(prompts.1["channel_id"], "D0ASSIST");
    assert_eq!(prompts.1["thread_ts"], "1729999327.187299");
    assert_eq!(prompts.1["title"], "Try asking");
    assert_eq!(
        prompts.1["prompts"],
        json!([
            { "title": "Summarise the channel", "message": "Summarise what I missed in this channel" },
            { "title": "What can you do?", "message": "What can you do?" }
        ])
    );

    // …and asks a question in the thread.
    slack
        .event(json!({
            "type": "message", "channel": "D0ASSIST", "channel_type": "im", "user": "U0ADA",
            "text": "Anything new?", "ts": "1729999390.000200", "thread_ts": "1729999327.187299",
            "event_ts": "1729999390.000200"
        }))
        .await?;
    let calls = wait_for(&web_api, 4).await;
    let names: Vec<&str> = calls.iter().map(|(m, _)| m.as_str()).collect();
    println!("user message → {names:?}");
    assert_eq!(
        names,
        ["assistant.threads.setStatus", "chat.startStream", "chat.appendStream", "chat.stopStream"],
        "status, then the streamed answer"
    );
    let (status, start, append, stop) = (&calls[0].1, &calls[1].1, &calls[2].1, &calls[3].1);
    assert_eq!((status["channel_id"].as_str(), status["status"].as_str()), (Some("D0ASSIST"), Some("is thinking…")));
    assert_eq!(start["thread_ts"], "1729999327.187299");
    assert_eq!(start["recipient_user_id"], "U0ADA");
    assert_eq!(start["recipient_team_id"], "T0TEAM");
    assert_eq!(start["chunks"][0]["type"], "task_update");
    assert_eq!(start["chunks"][0]["status"], "in_progress");
    assert_eq!(append["chunks"][0]["text"], "You asked: Anything new?\n\nNothing new in <#C0GENERAL> since yesterday.");
    assert_eq!(append["chunks"][1]["status"], "complete");
    assert_eq!(stop["ts"], "1729999400.000100");
    assert_eq!(stop["blocks"][0]["elements"][0]["action_id"], "feedback_good");
    println!("ok: thread started → suggested prompts; message → status → streamed answer");
    Ok(())
}

/// Every Web API call so far, once there are at least `n` (the app calls after its ack).
async fn wait_for(web_api: &MockServer, n: usize) -> Vec<(String, Value)> {
    let mut calls = Vec::new();
    for _ in 0..300 {
        calls.extend(web_api.take().iter().map(|r| (r.path.rsplit('/').next().unwrap_or_default().to_owned(), args(r))));
        if calls.len() >= n {
            // Nothing else should come.
            tokio::time::sleep(Duration::from_millis(50)).await;
            calls.extend(web_api.take().iter().map(|r| (r.path.rsplit('/').next().unwrap_or_default().to_owned(), args(r))));
            return calls;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    panic!("expected {n} Web API call(s), got {calls:?}");
}

/// A call's form fields, JSON-valued ones parsed.
fn args(r: &Recorded) -> Value {
    let mut m = serde_json::Map::new();
    for (k, v) in form_urlencoded::parse(&r.body) {
        let v = serde_json::from_str::<Value>(&v).ok().filter(|j| j.is_object() || j.is_array()).unwrap_or(Value::String(v.into_owned()));
        m.insert(k.into_owned(), v);
    }
    Value::Object(m)
}

/// "Slack": posts signed Events API callbacks to the app.
struct Slack {
    endpoint: String,
    verifier: Verifier,
    http: reqwest::Client,
    n: std::cell::Cell<u32>,
}

impl Slack {
    fn new(endpoint: String) -> Self {
        slack_api::install_crypto_provider();
        Slack { endpoint, verifier: Verifier::new(SIGNING_SECRET), http: reqwest::Client::new(), n: Default::default() }
    }

    async fn event(&self, event: Value) -> Result<(), Box<dyn std::error::Error>> {
        self.n.set(self.n.get() + 1);
        let body = json!({
            "type": "event_callback", "team_id": "T0TEAM", "api_app_id": "A0APP", "event": event,
            "event_id": format!("Ev{:04}", self.n.get()), "event_time": 1729999327,
            "authorizations": [{ "team_id": "T0TEAM", "user_id": "U0BOT", "is_bot": true, "is_enterprise_install": false }]
        })
        .to_string();
        let (ts, sig) = self.verifier.sign_now(body.as_bytes());
        let resp = self
            .http
            .post(&self.endpoint)
            .header("content-type", "application/json")
            .header("x-slack-request-timestamp", ts)
            .header("x-slack-signature", sig)
            .body(body)
            .send()
            .await?;
        assert_eq!(resp.status().as_u16(), 200, "the app acknowledges the event");
        Ok(())
    }
}
