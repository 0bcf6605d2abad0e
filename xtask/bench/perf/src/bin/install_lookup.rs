//! Installation lookup per request: 10,000 installations in SQLite (a file; plain and
//! encrypted) and PostgreSQL (`PG_URL`, started by `xtask/bench/install.sh`), each looked up
//! 20,000 times at random — one request's `find_bot` — without and with a `CachedStore` in
//! front. Prints p50 / p99 per lookup and lookups per second, sequential and with 32 tasks.

use std::sync::Arc;
use std::time::{Duration, Instant};

use slack_api::install::{CachedStore, Installation, InstallationKey, InstallationStore, PostgresStore, SqliteStore, TokenCipher};

const INSTALLATIONS: usize = 10_000;
const LOOKUPS: usize = 20_000;
const TASKS: usize = 32;

fn installation(i: usize) -> Installation {
    Installation {
        app_id: Some("A0001".into()),
        team_id: Some(format!("T{i:08}").into()),
        team_name: Some(format!("Workspace {i}")),
        token_type: Some("bot".into()),
        bot_token: Some(format!("xoxb-{i}-1234567890-abcdefghijklmnopqrstuvwx").into()),
        bot_id: Some(format!("B{i:08}").into()),
        bot_user_id: Some(format!("U{i:08}").into()),
        bot_scopes: ["app_mentions:read", "channels:history", "chat:write", "commands", "im:history", "users:read"].map(String::from).to_vec(),
        user_id: Some(format!("U{:08}", i + 1)).map(Into::into),
        installed_at: 1_760_000_000 + i as u64,
        ..Installation::default()
    }
}

/// A cheap, repeatable sequence of workspace numbers.
fn picks(n: usize, seed: u64) -> Vec<usize> {
    let mut x = seed | 1;
    (0..n)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            (x % INSTALLATIONS as u64) as usize
        })
        .collect()
}

fn key(i: usize) -> InstallationKey {
    InstallationKey::team(None, format!("T{i:08}").into())
}

fn pct(sorted: &[Duration], p: f64) -> f64 {
    let i = ((sorted.len() as f64 * p).ceil() as usize).clamp(1, sorted.len()) - 1;
    sorted[i].as_secs_f64() * 1e6
}

async fn measure(name: &str, store: Arc<dyn InstallationStore>) {
    // Sequential: the latency one request sees.
    let mut times = Vec::with_capacity(LOOKUPS);
    for i in picks(LOOKUPS, 7) {
        let k = key(i);
        let t = Instant::now();
        let found = store.find_bot(&k).await.expect("lookup");
        times.push(t.elapsed());
        assert!(found.is_some_and(|f| f.team_id == k.team_id), "found the right installation");
    }
    times.sort();
    let seq_rate = LOOKUPS as f64 / times.iter().sum::<Duration>().as_secs_f64();
    // Concurrent: what a busy app gets through.
    let started = Instant::now();
    let mut tasks = Vec::new();
    for t in 0..TASKS {
        let store = store.clone();
        tasks.push(tokio::spawn(async move {
            for i in picks(LOOKUPS / TASKS, 100 + t as u64) {
                store.find_bot(&key(i)).await.expect("lookup").expect("installed");
            }
        }));
    }
    for t in tasks {
        t.await.unwrap();
    }
    let par_rate = (LOOKUPS / TASKS * TASKS) as f64 / started.elapsed().as_secs_f64();
    println!(
        "{name:<34} p50 {:>7.1} µs  p99 {:>7.1} µs  sequential {:>8.0}/s  {TASKS} tasks {:>8.0}/s",
        pct(&times, 0.50),
        pct(&times, 0.99),
        seq_rate,
        par_rate
    );
}

async fn fill(name: &str, store: &dyn InstallationStore) {
    let t = Instant::now();
    for i in 0..INSTALLATIONS {
        store.save(&installation(i)).await.expect("save");
    }
    println!("{name:<34} {INSTALLATIONS} installations saved in {:.1} s", t.elapsed().as_secs_f64());
}

async fn both(name: &str, store: Arc<dyn InstallationStore>) {
    measure(name, store.clone()).await;
    let cached: Arc<dyn InstallationStore> = Arc::new(CachedStore::new(store));
    // Warm the cache with every installation, as a steady stream of requests would.
    for i in 0..INSTALLATIONS {
        cached.find_bot(&key(i)).await.expect("lookup");
    }
    measure(&format!("{name} + CachedStore (warm)"), cached).await;
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let dir = std::env::temp_dir().join(format!("slack-api-bench-install-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    println!("installation lookup per request: {INSTALLATIONS} installations, {LOOKUPS} random lookups");

    let plain = SqliteStore::open(dir.join("plain.db")).unwrap();
    fill("sqlite", &plain).await;
    both("sqlite", Arc::new(plain)).await;

    let sealed = SqliteStore::open(dir.join("sealed.db")).unwrap().encrypt(TokenCipher::new(&[7; 32]).unwrap());
    fill("sqlite, encrypted", &sealed).await;
    both("sqlite, encrypted", Arc::new(sealed)).await;

    match std::env::var("PG_URL") {
        Ok(url) => {
            let pg = PostgresStore::connect(&url).await.expect("PostgreSQL at PG_URL");
            fill("postgres", &pg).await;
            both("postgres", Arc::new(pg)).await;
        }
        Err(_) => println!("postgres: skipped (set PG_URL, or run xtask/bench/install.sh)"),
    }
    let _ = std::fs::remove_dir_all(&dir);
}
