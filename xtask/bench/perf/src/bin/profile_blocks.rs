//! Building (and validating) and serialising the 50-block message a fixed number of times, for
//! an instruction-count profile (`valgrind --tool=callgrind`), repeatable where wall time on a
//! shared machine is not:
//!
//! cargo build --release --bin profile_blocks
//! valgrind --tool=callgrind target/bench/release/profile_blocks slack-api 2000
//!
//! Variants: `slack-api` (build + validate + serialise), `slack-api-novalidate`,
//! `slack-morphism` (build + serialise).

use slack_api_bench::blocks::{ours, theirs, validate};

fn main() {
    let which = std::env::args().nth(1).unwrap_or_else(|| "slack-api".into());
    let n: usize = std::env::args().nth(2).and_then(|a| a.parse().ok()).unwrap_or(2000);
    let mut bytes = 0;
    for _ in 0..n {
        let json = match which.as_str() {
            "slack-api" => {
                let blocks = ours();
                validate(&blocks);
                serde_json::to_string(&blocks).unwrap()
            }
            "slack-api-novalidate" => serde_json::to_string(&ours()).unwrap(),
            "slack-morphism" => serde_json::to_string(&theirs()).unwrap(),
            other => panic!("unknown variant {other}"),
        };
        bytes += json.len();
    }
    println!("{which}: {n} messages, {bytes} bytes");
}
