//! Paginates `users.list` over N users (1,000 per page) through `Client::items` against a server
//! on 127.0.0.1 that builds each page on demand, and prints the process's peak resident memory
//! (VmHWM) as pages go by. Run with 10,000 and 100,000 users: peak memory should not grow with
//! the number of pages.
//!
//! cargo run --release --bin paginate_memory -- 100000

use std::sync::Arc;
use std::time::Instant;

use slack_api::stream::TryStreamExt;
use slack_api::users::UsersListRequest;
use slack_api_bench::{serve, users_page};

fn peak_rss_kib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| s.lines().find(|l| l.starts_with("VmHWM:")).map(|l| l.split_whitespace().nth(1).unwrap_or("0").parse().unwrap_or(0)))
        .unwrap_or(0)
}

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let total: usize = std::env::args().nth(1).and_then(|a| a.parse().ok()).unwrap_or(100_000);
    const PER_PAGE: usize = 1_000;
    let base = serve(Arc::new(move |_, query, _| {
        let start: usize = query
            .split('&')
            .find_map(|kv| kv.strip_prefix("cursor="))
            .and_then(|c| c.parse().ok())
            .unwrap_or(0);
        let n = PER_PAGE.min(total - start);
        let next = if start + n < total { (start + n).to_string() } else { String::new() };
        users_page(start, n, &next)
    }))
    .await;
    let client = slack_api::Client::builder("xoxb-bench").base_url(base).build().unwrap();
    let started = Instant::now();
    let mut items = std::pin::pin!(client.items(UsersListRequest::new().limit(PER_PAGE as i64)));
    let (mut count, mut samples) = (0usize, Vec::new());
    while let Some(user) = items.try_next().await.unwrap() {
        assert!(user.id.is_some());
        count += 1;
        if count % (total / 10).max(PER_PAGE) == 0 {
            samples.push((count / PER_PAGE, peak_rss_kib()));
        }
    }
    assert_eq!(count, total);
    let line: Vec<String> = samples.iter().map(|(p, k)| format!("{p} pages: {:.1} MiB", *k as f64 / 1024.0)).collect();
    println!(
        "paginate {total} users ({} pages) in {:.2}s; peak RSS after {}",
        total / PER_PAGE,
        started.elapsed().as_secs_f64(),
        line.join(", ")
    );
    println!("peak_rss_kib {total} {}", peak_rss_kib());
}
