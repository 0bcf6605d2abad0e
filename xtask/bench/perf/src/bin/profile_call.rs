//! A fixed number of `chat.postMessage` calls through slack-api, plain reqwest or slack-morphism, for an
//! instruction-count profile (`valgrind --tool=callgrind`):
//!
//! cargo build --release --bin profile_call
//! valgrind --tool=callgrind target/bench/release/profile_call slack-api 3000

use std::sync::Arc;

use slack_api::chat::ChatPostMessageRequest;
use slack_api_bench::{posted_message, serve};

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let which = std::env::args().nth(1).unwrap_or_else(|| "slack-api".into());
    let n: usize = std::env::args().nth(2).and_then(|a| a.parse().ok()).unwrap_or(3000);
    let base = serve(Arc::new(|_, _, _| posted_message())).await;
    let ours = if which == "slack-api-no-timer" {
        // No limit on attempts or on the call: what the default limits cost is the difference.
        slack_api::Client::builder("xoxb-profile")
            .base_url(&base)
            .no_attempt_timeout()
            .retry_policy(slack_api::RetryPolicy::default().call_timeout(std::time::Duration::MAX))
            .build()
            .unwrap()
    } else {
        slack_api::Client::builder("xoxb-profile").base_url(&base).build().unwrap()
    };
    let plain = reqwest::Client::new();
    let morphism = slack_morphism::prelude::SlackClient::new(
        slack_morphism::prelude::SlackClientHyperConnector::with_connector(
            hyper_util::client::legacy::connect::HttpConnector::new(),
        )
        .with_slack_api_url(&base),
    );
    let token = slack_morphism::prelude::SlackApiToken::new("xoxb-profile".into());
    for _ in 0..n {
        if which == "slack-morphism" {
            use slack_morphism::prelude::*;
            let session = morphism.open_session(&token);
            let request = SlackApiChatPostMessageRequest::new(
                "C0123456789".into(),
                SlackMessageContent::new().with_text("Deploy finished".into()),
            );
            session.chat_post_message(&request).await.unwrap();
        } else if which.starts_with("slack-api") {
            let r = ours.call(&ChatPostMessageRequest::new("C0123456789").text("Deploy finished")).await.unwrap();
            assert!(r.ok);
        } else {
            let body = plain
                .post(format!("{base}chat.postMessage"))
                .header("authorization", "Bearer xoxb-profile")
                .header("content-type", "application/x-www-form-urlencoded")
                .body("channel=C0123456789&text=Deploy+finished")
                .send()
                .await
                .unwrap()
                .bytes()
                .await
                .unwrap();
            let v: serde_json::Value = serde_json::from_slice(&body).unwrap();
            assert_eq!(v["ok"], true);
        }
    }
}
