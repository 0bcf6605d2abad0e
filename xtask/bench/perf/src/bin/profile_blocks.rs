//! Building (and validating) and serialising the 50-block message a fixed number of times, for
//! an instruction-count profile (`valgrind --tool=callgrind`), repeatable where wall time on a
//! shared machine is not:
//!
//! cargo build --release --bin profile_blocks
//! valgrind --tool=callgrind target/bench/release/profile_blocks slack-api 2000
//!
//! Variants: `slack-api` (build + validate + serialise, as the client sends: `to_json_string`),
//! `slack-api-novalidate`, `slack-api-serde` (build + validate + `serde_json::to_string`),
//! `slack-morphism` (build + serialise).

use slack_api_bench::blocks::{encode, ours, theirs, validate};

fn main() {
    let which = std::env::args().nth(1).unwrap_or_else(|| "slack-api".into());
    let n: usize = std::env::args().nth(2).and_then(|a| a.parse().ok()).unwrap_or(2000);
    let mut bytes = 0;
    for _ in 0..n {
        let json = match which.as_str() {
            "slack-api" => {
                let blocks = ours();
                validate(&blocks);
                encode(&blocks)
            }
            "slack-api-novalidate" => encode(&ours()),
            "slack-api-serde" => {
                let blocks = ours();
                validate(&blocks);
                serde_json::to_string(&blocks).unwrap()
            }
            "slack-morphism" => serde_json::to_string(&theirs()).unwrap(),
            other => panic!("unknown variant {other}"),
        };
        bytes += json.len();
    }
    println!("{which}: {n} messages, {bytes} bytes");
    // Outside the measured loop's count only if asked: `check` asserts both write the same text.
    if std::env::args().nth(3).as_deref() == Some("check") {
        slack_api_bench::blocks::assert_same_json();
        println!("same JSON: yes");
    }
}
