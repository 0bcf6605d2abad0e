//! Building, validating and serialising a 50-block message with slack-api's Block Kit types, next
//! to building and serialising the same message with slack-morphism's (which does not validate).
//! Validation's share is slack-api's time with it minus without it. slack-api serialises as its
//! client sends (`block_kit::to_json_string`); its serde path is measured too.

use criterion::{Criterion, criterion_group, criterion_main};
use slack_api_bench::blocks::{assert_same_json, encode, ours, theirs, validate};

fn bench(c: &mut Criterion) {
    // Both build the same message.
    assert_same_json();
    validate(&ours());

    let mut g = c.benchmark_group("block kit 50 blocks");
    g.bench_function("slack-api build+validate+serialise", |bn| {
        bn.iter(|| {
            let blocks = ours();
            validate(&blocks);
            encode(&blocks)
        })
    });
    g.bench_function("slack-api build+serialise", |bn| bn.iter(|| encode(&ours())));
    g.bench_function("slack-api build+serialise (serde_json)", |bn| bn.iter(|| serde_json::to_string(&ours()).unwrap()));
    g.bench_function("slack-api validate", |bn| {
        let blocks = ours();
        bn.iter(|| validate(&blocks))
    });
    g.bench_function("slack-morphism build+serialise", |bn| bn.iter(|| serde_json::to_string(&theirs()).unwrap()));
    // The parts.
    g.bench_function("slack-api build", |bn| bn.iter(ours));
    g.bench_function("slack-morphism build", |bn| bn.iter(theirs));
    let (a, b) = (ours(), theirs());
    g.bench_function("slack-api serialise", |bn| bn.iter(|| encode(&a)));
    g.bench_function("slack-api serialise (serde_json)", |bn| bn.iter(|| serde_json::to_string(&a).unwrap()));
    g.bench_function("slack-morphism serialise", |bn| bn.iter(|| serde_json::to_string(&b).unwrap()));
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
