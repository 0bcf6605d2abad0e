//! Socket Mode throughput and acknowledgement latency through the loopback simulator: the
//! simulated Slack streams `events_api` envelopes as fast as the connection takes them while the
//! app acknowledges each on receipt; then sends one at a time and times each round trip
//! (envelope out → typed envelope handed to the app → ack back). Prints figures; asserts only
//! that every envelope was handed over once and acknowledged.
//!
//! cargo run --release -p slack-api-tests --example socket_mode_throughput

use std::collections::HashSet;
use std::time::{Duration, Instant};

use futures_util::{SinkExt, StreamExt};
use slack_api::socket_mode::SocketMode;
use slack_api_tests::socket_sim::{SocketSim, event_envelope};
use tokio_tungstenite::tungstenite::Message;

const N: usize = 20_000;
const SAMPLES: usize = 2_000;

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut sim = SocketSim::start().await;
    let mut stream = SocketMode::builder("xapp-1-bench").base_url(sim.api_url()).build()?.start();
    let mut conn = sim.accept(Duration::from_secs(10)).await;
    conn.hello().await;
    let (mut tx, mut rx) = conn.into_inner().split();
    // The app: acknowledge every envelope as it arrives.
    let app = tokio::spawn(async move {
        let mut seen = HashSet::new();
        while seen.len() < N + SAMPLES {
            let Some(Ok(env)) = stream.next().await else { break };
            assert!(seen.insert(env.envelope_id.clone()), "handed over twice");
            env.ack();
        }
        stream.shutdown().await;
        seen.len()
    });

    // Throughput: pre-render the frames, then send them back to back.
    let frames: Vec<String> = (0..N).map(|i| event_envelope(&format!("e{i}"), &format!("Ev{i}"), "load", 0).to_string()).collect();
    let bytes: usize = frames.iter().map(String::len).sum();
    let start = Instant::now();
    let reader = tokio::spawn(async move {
        let mut acks = 0;
        while acks < N {
            match rx.next().await {
                Some(Ok(Message::Text(_))) => acks += 1,
                Some(Ok(_)) => {}
                _ => break,
            }
        }
        (acks, rx)
    });
    for f in frames {
        tx.feed(Message::text(f)).await?;
    }
    tx.flush().await?;
    let (acks, mut rx) = reader.await?;
    let elapsed = start.elapsed();
    assert_eq!(acks, N, "every envelope acknowledged");
    println!(
        "throughput: {N} envelopes ({:.1} MB) in {:.3} s = {:.0} events/s, each decoded, deduplicated, handed over and acknowledged",
        bytes as f64 / 1e6,
        elapsed.as_secs_f64(),
        N as f64 / elapsed.as_secs_f64()
    );

    // Latency: one envelope at a time.
    let mut rtts = Vec::with_capacity(SAMPLES);
    for i in 0..SAMPLES {
        let frame = event_envelope(&format!("l{i}"), &format!("EvL{i}"), "ping", 0).to_string();
        let t = Instant::now();
        tx.send(Message::text(frame)).await?;
        loop {
            match rx.next().await {
                Some(Ok(Message::Text(_))) => break,
                Some(Ok(_)) => {}
                other => return Err(format!("connection ended: {other:?}").into()),
            }
        }
        rtts.push(t.elapsed());
    }
    rtts.sort();
    let pct = |p: f64| rtts[((rtts.len() as f64 * p) as usize).min(rtts.len() - 1)];
    println!(
        "ack latency over {SAMPLES} round trips: p50 {:.0} µs, p99 {:.0} µs, max {:.0} µs",
        pct(0.50).as_secs_f64() * 1e6,
        pct(0.99).as_secs_f64() * 1e6,
        rtts[rtts.len() - 1].as_secs_f64() * 1e6
    );
    let handed = tokio::time::timeout(Duration::from_secs(30), app).await??;
    assert_eq!(handed, N + SAMPLES);
    Ok(())
}
