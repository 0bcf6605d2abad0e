//! Decodes the benchmark's 700 event callbacks `rounds` times with one decoder, for callgrind:
//! `profile_events slack-api|slack-morphism|value ROUNDS`. Instruction counts repeat exactly
//! where wall time on a shared host does not.

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let who = args.get(1).map(String::as_str).unwrap_or("slack-api");
    let rounds: usize = args.get(2).and_then(|n| n.parse().ok()).unwrap_or(10);
    let payloads = slack_api_bench::event_payloads();
    let mut n = 0usize;
    for _ in 0..rounds {
        for p in &payloads {
            n += match who {
                "slack-api" => serde_json::from_slice::<slack_api::events::EventsApiPayload>(p).map(|_| 1).unwrap(),
                "slack-morphism" => serde_json::from_slice::<slack_morphism::prelude::SlackPushEvent>(p).map(|_| 1).unwrap(),
                _ => serde_json::from_slice::<serde_json::Value>(p).map(|_| 1).unwrap(),
            };
        }
    }
    println!("{who}: {n} payloads decoded");
}
