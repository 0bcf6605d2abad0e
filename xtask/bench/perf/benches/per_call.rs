//! Per-call cost of the generated client against a hand-written plain reqwest request of the
//! same method, and against slack-morphism calling the same method, all against the same server
//! on 127.0.0.1 on the same runtime. `xtask/bench/run.sh` prints the ratios.

use std::sync::Arc;

use criterion::{Criterion, criterion_group, criterion_main};
use reqwest::header::{AUTHORIZATION, CONTENT_TYPE};
use slack_api::Method;
use slack_api::chat::ChatPostMessageRequest;
use slack_api::users::UsersListRequest;
use slack_api_bench::{posted_message, serve, users_page};
use slack_morphism::prelude::*;

const TOKEN: &str = "xoxb-0000000000-bench";

fn per_call(c: &mut Criterion) {
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    // Matched by suffix: slack-morphism joins the base URL and the method name its own way.
    let base = rt.block_on(serve(Arc::new(|path, _, _| {
        if path.ends_with("/users.list") {
            users_page(0, 50, "")
        } else if path.ends_with("/chat.postMessage") {
            posted_message()
        } else {
            format!(r#"{{"ok":false,"error":"unknown_method","path":"{path}"}}"#).into_bytes()
        }
    })));
    // Building our client installs the ring crypto provider that reqwest (built without a
    // bundled one) needs for any client.
    let ours = slack_api::Client::builder(TOKEN).base_url(&base).build().unwrap();
    let plain = reqwest::Client::new();
    // The same client without any timer (no limit on attempts or on the call), to show what
    // the default limits cost: one timer per attempt.
    let ours_no_timeout = slack_api::Client::builder(TOKEN)
        .base_url(&base)
        .no_attempt_timeout()
        .retry_policy(slack_api::RetryPolicy::default().call_timeout(std::time::Duration::MAX))
        .build()
        .unwrap();
    let morphism = SlackClient::new(
        SlackClientHyperConnector::with_connector(hyper_util::client::legacy::connect::HttpConnector::new())
            .with_slack_api_url(&base),
    );
    let token = SlackApiToken::new(TOKEN.into());

    // users.list: a page of 50 members.
    let list_get = UsersListRequest::INFO.http_method == slack_api::HttpMethod::Get;
    let mut g = c.benchmark_group("users.list");
    g.bench_function("slack-api", |b| {
        b.to_async(&rt).iter(|| async { ours.call(&UsersListRequest::new().limit(50)).await.unwrap() })
    });
    g.bench_function("plain reqwest", |b| {
        b.to_async(&rt).iter(|| async {
            let request = if list_get {
                plain.get(format!("{base}users.list?limit=50"))
            } else {
                plain.post(format!("{base}users.list")).header(CONTENT_TYPE, "application/x-www-form-urlencoded").body("limit=50")
            };
            let body = request.header(AUTHORIZATION, format!("Bearer {TOKEN}")).send().await.unwrap().bytes().await.unwrap();
            let v: serde_json::Value = serde_json::from_slice(&body).unwrap();
            assert_eq!(v["ok"], true);
            v
        })
    });
    g.bench_function("slack-morphism", |b| {
        b.to_async(&rt).iter(|| async {
            let session = morphism.open_session(&token);
            session.users_list(&SlackApiUsersListRequest::new().with_limit(50)).await.unwrap()
        })
    });
    g.finish();

    // chat.postMessage: a small answer.
    let mut g = c.benchmark_group("chat.postMessage");
    g.bench_function("slack-api", |b| {
        b.to_async(&rt).iter(|| async {
            ours.call(&ChatPostMessageRequest::new("C0123456789").text("Deploy finished")).await.unwrap()
        })
    });
    g.bench_function("slack-api without timeout", |b| {
        b.to_async(&rt).iter(|| async {
            ours_no_timeout.call(&ChatPostMessageRequest::new("C0123456789").text("Deploy finished")).await.unwrap()
        })
    });
    g.bench_function("plain reqwest", |b| {
        b.to_async(&rt).iter(|| async {
            let body = plain
                .post(format!("{base}chat.postMessage"))
                .header(AUTHORIZATION, format!("Bearer {TOKEN}"))
                .header(CONTENT_TYPE, "application/x-www-form-urlencoded")
                .body("channel=C0123456789&text=Deploy+finished")
                .send()
                .await
                .unwrap()
                .bytes()
                .await
                .unwrap();
            let v: serde_json::Value = serde_json::from_slice(&body).unwrap();
            assert_eq!(v["ok"], true);
            v
        })
    });
    g.bench_function("slack-morphism", |b| {
        b.to_async(&rt).iter(|| async {
            let session = morphism.open_session(&token);
            let request = SlackApiChatPostMessageRequest::new(
                "C0123456789".into(),
                SlackMessageContent::new().with_text("Deploy finished".into()),
            );
            session.chat_post_message(&request).await.unwrap()
        })
    });
    g.finish();
}

criterion_group!(benches, per_call);
criterion_main!(benches);
