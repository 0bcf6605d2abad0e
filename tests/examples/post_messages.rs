//! Posts a burst of messages with the client-side rate limiter on, against a local mock of
//! Slack: messages to one channel go out one per second (Slack's rule for `chat.postMessage`),
//! while other channels are not held up. The mock answers 429 if two posts to a channel arrive
//! less than a second apart, so the run shows that the limiter avoids throttling.
//!
//! cargo run -p slack-api-tests --example post_messages

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use slack_api::RateLimiter;
use slack_api::chat::ChatPostMessageRequest;
use slack_api_tests::{MockServer, Recorded, Reply};

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let slack = mock_slack().await;
    let client = slack_api::Client::builder("xoxb-example-token")
        .base_url(slack.base_url())
        .rate_limiter(RateLimiter::new())
        .build()?;

    let start = Instant::now();
    for (i, channel) in ["C_GENERAL", "C_RANDOM", "C_GENERAL", "C_RANDOM", "C_GENERAL"].iter().enumerate() {
        let resp = client.call(&ChatPostMessageRequest::new(*channel).text(format!("update {i}"))).await?;
        println!("{:>5.2}s  {channel:<10} ts={}", start.elapsed().as_secs_f64(), resp.ts.as_ref().map_or("?", |t| t.as_str()));
    }
    let throttled = slack.take().len() - 5;
    println!("5 messages in {:.1}s, {throttled} throttled by Slack", start.elapsed().as_secs_f64());
    assert_eq!(throttled, 0);
    Ok(())
}

/// `chat.postMessage` that enforces one message per second per channel with 429s.
async fn mock_slack() -> MockServer {
    let server = MockServer::start().await;
    let last: Arc<Mutex<HashMap<String, Instant>>> = Arc::default();
    let n = Arc::new(Mutex::new(0u32));
    server.set_handler(move |r: &Recorded| {
        let body = r.body_text();
        let channel = body.split('&').find_map(|kv| kv.strip_prefix("channel="))?.to_owned();
        let now = Instant::now();
        let mut last = last.lock().unwrap();
        if last.get(&channel).is_some_and(|t| now.duration_since(*t) < Duration::from_millis(990)) {
            return Some(
                Reply::status(429, "application/json", r#"{"ok":false,"error":"ratelimited"}"#).with_header("Retry-After", "1"),
            );
        }
        last.insert(channel.clone(), now);
        let mut n = n.lock().unwrap();
        *n += 1;
        Some(Reply::json(&format!(r#"{{"ok":true,"channel":"{channel}","ts":"1700000000.{:06}"}}"#, *n)))
    });
    server
}
