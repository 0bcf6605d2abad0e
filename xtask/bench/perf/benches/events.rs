//! Decoding Events API payloads (the `event_callback` envelope and its event) with slack-api's
//! generated `Event` union, next to slack-morphism's `SlackPushEvent`, on the same bytes: events
//! both crates type (message, app_mention, reaction_added, member_joined_channel,
//! channel_created, app_home_opened, link_shared).

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use slack_api_bench::event_payloads;

fn decode(c: &mut Criterion) {
    let payloads = event_payloads();
    let bytes: usize = payloads.iter().map(Vec::len).sum();
    // Both decoders must accept every payload, or the comparison is void.
    for p in &payloads {
        let ours: slack_api::events::EventsApiPayload = serde_json::from_slice(p).unwrap();
        assert!(matches!(ours, slack_api::events::EventsApiPayload::EventCallback(ref cb)
            if !matches!(cb.event, Some(slack_api::events::Event::Unknown(_)))));
        serde_json::from_slice::<slack_morphism::prelude::SlackPushEvent>(p)
            .unwrap_or_else(|e| panic!("slack-morphism: {e}: {}", String::from_utf8_lossy(p)));
    }
    let mut g = c.benchmark_group("decode events");
    g.throughput(Throughput::Bytes(bytes as u64));
    g.bench_function("slack-api typed", |b| {
        b.iter(|| {
            payloads.iter().map(|p| serde_json::from_slice::<slack_api::events::EventsApiPayload>(p).unwrap()).count()
        })
    });
    g.bench_function("serde_json Value", |b| {
        b.iter(|| payloads.iter().map(|p| serde_json::from_slice::<serde_json::Value>(p).unwrap()).count())
    });
    g.bench_function("slack-morphism typed", |b| {
        b.iter(|| {
            payloads.iter().map(|p| serde_json::from_slice::<slack_morphism::prelude::SlackPushEvent>(p).unwrap()).count()
        })
    });
    g.finish();
}

criterion_group!(benches, decode);
criterion_main!(benches);
