//! Decoding a large `users.list` page (1,000 members, ~1.1 MB) into the typed response, next to
//! decoding the same bytes into `serde_json::Value`, and into slack-morphism's types; and a
//! `conversations.history` page of 200 messages with blocks, files and reactions the same ways.

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use slack_api::conversations::ConversationsHistoryRequest;
use slack_api::users::UsersListRequest;
use slack_api_bench::{history_page, users_page};

fn decode(c: &mut Criterion) {
    let page = users_page(0, 1_000, "dXNlcjpVMEc5V0ZYTlo=");
    let mut g = c.benchmark_group("decode users.list 1000");
    g.throughput(Throughput::Bytes(page.len() as u64));
    g.bench_function("slack-api typed", |b| {
        b.iter(|| {
            let r = slack_api::decode_response::<UsersListRequest>(200, &page).unwrap();
            assert_eq!(r.members.as_ref().map(Vec::len), Some(1_000));
            r
        })
    });
    g.bench_function("serde_json Value", |b| {
        b.iter(|| serde_json::from_slice::<serde_json::Value>(&page).unwrap())
    });
    g.bench_function("slack-morphism typed", |b| {
        b.iter(|| serde_json::from_slice::<slack_morphism::prelude::SlackApiUsersListResponse>(&page).unwrap())
    });
    g.finish();

    let page = history_page(200);
    // Every message must decode in full on both sides, or the comparison is not like for like.
    // (`channel_actions_ts: null` is a declared field's `null`: it reads as `None` and is kept in
    // `extra` only to be written back.)
    let ours = slack_api::decode_response::<ConversationsHistoryRequest>(200, &page).unwrap();
    assert!(ours.extra.values().all(serde_json::Value::is_null) && ours.messages.as_ref().is_some_and(|m| m.len() == 200));
    let theirs = serde_json::from_slice::<slack_morphism::prelude::SlackApiConversationsHistoryResponse>(&page).unwrap();
    assert_eq!(theirs.messages.len(), 200);
    let mut g = c.benchmark_group("decode conversations.history 200");
    g.throughput(Throughput::Bytes(page.len() as u64));
    g.bench_function("slack-api typed", |b| {
        b.iter(|| {
            let r = slack_api::decode_response::<ConversationsHistoryRequest>(200, &page).unwrap();
            assert_eq!(r.messages.as_ref().map(Vec::len), Some(200));
            r
        })
    });
    g.bench_function("serde_json Value", |b| {
        b.iter(|| serde_json::from_slice::<serde_json::Value>(&page).unwrap())
    });
    g.bench_function("slack-morphism typed", |b| {
        b.iter(|| {
            serde_json::from_slice::<slack_morphism::prelude::SlackApiConversationsHistoryResponse>(&page).unwrap()
        })
    });
    g.finish();
}

criterion_group!(benches, decode);
criterion_main!(benches);
