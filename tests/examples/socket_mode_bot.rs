//! A Socket Mode bot that replies in thread to every message mentioning "deploy", run against a
//! Socket Mode server simulated on 127.0.0.1 (and a mock of the Web API for `chat.postMessage`).
//! Halfway, the simulated Slack asks for a refresh; the bot moves to a new connection without
//! missing a message.
//!
//! cargo run -p slack-api-tests --example socket_mode_bot

use std::time::Duration;

use serde_json::json;
use slack_api::Client;
use slack_api::chat::ChatPostMessageRequest;
use slack_api::events::{Event, MessageEvent};
use slack_api::socket_mode::{Envelope, SocketMode, SocketPayload};
use slack_api_tests::socket_sim::SocketSim;
use slack_api_tests::{Recorded, Reply};

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut sim = SocketSim::start().await;
    let api_url = sim.api_url();
    let posts = std::sync::Arc::new(std::sync::Mutex::new(Vec::<String>::new()));
    let p2 = posts.clone();
    sim.other_methods(move |r: &Recorded| {
        r.path.ends_with("chat.postMessage").then(|| {
            p2.lock().unwrap().push(r.body_text());
            Reply::json(r#"{"ok":true,"channel":"C1","ts":"1700000001.000100"}"#)
        })
    });

    let bot = Client::builder("xoxb-example-bot-token").base_url(api_url.clone()).build()?;
    let socket = SocketMode::builder("xapp-1-A1-example").base_url(api_url).build()?;
    let (stop_tx, stop_rx) = tokio::sync::oneshot::channel::<()>();
    let run = tokio::spawn(socket.run(
        move |envelope: Envelope| {
            let bot = bot.clone();
            async move { on_envelope(&bot, envelope).await }
        },
        async move {
            let _ = stop_rx.await;
        },
    ));

    // Simulated Slack: hello, two messages, a refresh, two more on the new connection.
    let mut c1 = sim.accept(Duration::from_secs(10)).await;
    c1.hello().await;
    c1.send_json(message("e1", "Ev1", "can we deploy today?", "1700000000.000100")).await;
    c1.send_json(message("e2", "Ev2", "lunch?", "1700000000.000200")).await;
    c1.disconnect("refresh_requested").await;
    let mut c2 = sim.accept(Duration::from_secs(10)).await;
    c1.send_json(message("e3", "Ev3", "deploy is green", "1700000000.000300")).await;
    c2.hello().await;
    c2.send_json(message("e4", "Ev4", "deploy done", "1700000000.000400")).await;
    let mut acks = Vec::new();
    while acks.len() < 3 {
        acks.extend(c1.recv(Duration::from_secs(10)).await);
    }
    acks.extend(c2.recv(Duration::from_secs(10)).await);
    println!("acknowledged: {:?}", acks.iter().map(|a| a["envelope_id"].as_str().unwrap_or("?")).collect::<Vec<_>>());
    // Replies go out asynchronously; wait for the three.
    for _ in 0..100 {
        if posts.lock().unwrap().len() >= 3 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let _ = stop_tx.send(());
    run.await??;
    let posts = posts.lock().unwrap();
    for p in posts.iter() {
        println!("replied: {p}");
    }
    assert_eq!(posts.len(), 3, "one reply per message mentioning deploy");
    assert!(posts.iter().all(|p| p.contains("thread_ts=")));
    println!("ok: 3 replies in thread, across a connection refresh");
    Ok(())
}

async fn on_envelope(bot: &Client, envelope: Envelope) {
    let reply = match &envelope.payload {
        SocketPayload::Event(cb) => match cb.event.as_ref() {
            Some(Event::Message(MessageEvent::Plain(m))) if m.text.as_deref().is_some_and(|t| t.contains("deploy")) => {
                m.channel.clone().zip(m.ts.clone()).map(|(channel, ts)| (channel, m.thread_ts.clone().unwrap_or(ts)))
            }
            _ => None,
        },
        _ => None,
    };
    envelope.ack(); // acknowledge first: Slack waits 3 seconds at most
    if let Some((channel, thread_ts)) = reply {
        let req = ChatPostMessageRequest::new(channel).thread_ts(thread_ts.to_string()).text("On it :rocket:");
        if let Err(e) = bot.call(&req).await {
            eprintln!("reply failed: {e}");
        }
    }
}

fn message(envelope_id: &str, event_id: &str, text: &str, ts: &str) -> serde_json::Value {
    let mut v = slack_api_tests::socket_sim::event_envelope(envelope_id, event_id, text, 0);
    v["payload"]["event"]["ts"] = json!(ts);
    v
}

