//! The Redis-backed rate limiter: per-call latency on loopback (p50/p99) without a limiter,
//! with the in-memory one and with the Redis one (each call reserves its slot with one Lua
//! script), and the throughput of four clients sharing one budget against the ideal. Starts
//! its own `redis-server` on a free port (install it with `apt-get install -y redis-server`).
//!
//! cargo run --release --no-default-features --bin redis_limiter

use std::sync::Arc;
use std::time::{Duration, Instant};

use slack_api::chat::ChatPostMessageRequest;
use slack_api::state::{RedisState, SharedState};
use slack_api::users::UsersListRequest;
use slack_api::{Client, RateLimiter};
use slack_api_bench::serve;

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    sorted[((sorted.len() as f64 - 1.0) * p).round() as usize]
}

async fn latencies(client: &Client, n: usize) -> (Duration, Duration) {
    let mut times = Vec::with_capacity(n);
    for _ in 0..n {
        let started = Instant::now();
        client.call(&UsersListRequest::new()).await.unwrap();
        times.push(started.elapsed());
    }
    times.sort();
    (percentile(&times, 0.5), percentile(&times, 0.99))
}

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let dir = std::env::temp_dir().join(format!("slack-api-bench-redis-{port}"));
    std::fs::create_dir_all(&dir).unwrap();
    let mut redis = std::process::Command::new("redis-server")
        .args(["--port", &port.to_string(), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"])
        .arg("--dir")
        .arg(&dir)
        .stdout(std::process::Stdio::null())
        .spawn()
        .expect("redis-server (apt-get install -y redis-server)");
    std::thread::sleep(Duration::from_millis(300));
    let url = format!("redis://127.0.0.1:{port}/");

    let base = serve(Arc::new(|_, _, _| br#"{"ok":true,"members":[],"ts":"1.2"}"#.to_vec())).await;
    // Rates high enough that no call waits: what is measured is the limiter's own cost.
    let fast = || RateLimiter::with_rates([60_000_000; 4], 60_000_000);
    let redis_backend = || -> Arc<dyn SharedState> { Arc::new(RedisState::new(&url).unwrap()) };
    let plain = Client::builder("xoxb-bench").base_url(&base).build().unwrap();
    let memory = Client::builder("xoxb-bench").base_url(&base).rate_limiter(fast()).build().unwrap();
    let shared =
        Client::builder("xoxb-bench").base_url(&base).rate_limiter(fast().shared(redis_backend(), "bench")).build().unwrap();
    for c in [&plain, &memory, &shared] {
        latencies(c, 500).await; // warm up
    }
    println!("== per call, users.list on loopback (10,000 calls each)");
    let (p50_plain, p99_plain) = latencies(&plain, 10_000).await;
    let (p50_mem, p99_mem) = latencies(&memory, 10_000).await;
    let (p50_redis, p99_redis) = latencies(&shared, 10_000).await;
    println!("no limiter          p50 {p50_plain:>10.1?}  p99 {p99_plain:>10.1?}");
    println!("in-memory limiter   p50 {p50_mem:>10.1?}  p99 {p99_mem:>10.1?}");
    println!("Redis limiter       p50 {p50_redis:>10.1?}  p99 {p99_redis:>10.1?}");
    println!(
        "Redis limiter cost per call: p50 +{:.1?}, p99 +{:.1?} over no limiter",
        p50_redis.saturating_sub(p50_plain),
        p99_redis.saturating_sub(p99_plain)
    );

    println!();
    println!("== four clients sharing one budget: chat.postMessage to one channel at 20/s, 10 s");
    let rate_per_minute = 1200;
    let clients: Vec<Client> = (0..4)
        .map(|_| {
            let limiter = RateLimiter::with_rates([6000; 4], rate_per_minute).shared(redis_backend(), "bench-share");
            Client::builder("xoxb-bench").base_url(&base).rate_limiter(limiter).build().unwrap()
        })
        .collect();
    let window = Duration::from_secs(10);
    let started = Instant::now();
    let mut tasks = Vec::new();
    for c in &clients {
        for _ in 0..4 {
            let c = c.clone();
            tasks.push(tokio::spawn(async move {
                let mut done = 0u32;
                while started.elapsed() < window {
                    c.call(&ChatPostMessageRequest::new("C1").text("x")).await.unwrap();
                    done += 1;
                }
                done
            }));
        }
    }
    let mut total = 0;
    for t in tasks {
        total += t.await.unwrap();
    }
    let took = started.elapsed().as_secs_f64();
    let ideal = f64::from(rate_per_minute) / 60.0 * took;
    println!(
        "{total} posts in {took:.2} s: {:.1}/s against an ideal of {:.1}/s (ratio {:.3})",
        f64::from(total) / took,
        f64::from(rate_per_minute) / 60.0,
        f64::from(total) / ideal
    );
    let _ = redis.kill();
    let _ = redis.wait();
    let _ = std::fs::remove_dir_all(&dir);
}
