//! Memory amplification of typed decoding: for hostile answers of about 1 MiB — a typed list
//! field filled with `{}`, with `{"id":"U1"}`, with objects of one unknown field, or with
//! scalars of the wrong shape — the peak heap while decoding, divided by the answer's size.
//! A counting allocator measures the heap; the worst ratio is the figure BENCHMARKS.md gives
//! (goal: under 32×). Also prints the limiter's memory per idle key and per tracked key.
//!
//! cargo run --release --no-default-features --bin amplification

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};

use slack_api::Method;

struct Counting;

static CURRENT: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let p = unsafe { System.alloc(layout) };
        if !p.is_null() {
            let now = CURRENT.fetch_add(layout.size(), Ordering::Relaxed) + layout.size();
            PEAK.fetch_max(now, Ordering::Relaxed);
        }
        p
    }
    unsafe fn dealloc(&self, p: *mut u8, layout: Layout) {
        unsafe { System.dealloc(p, layout) };
        CURRENT.fetch_sub(layout.size(), Ordering::Relaxed);
    }
    unsafe fn realloc(&self, p: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let q = unsafe { System.realloc(p, layout, new_size) };
        if !q.is_null() {
            if new_size > layout.size() {
                let now = CURRENT.fetch_add(new_size - layout.size(), Ordering::Relaxed) + new_size - layout.size();
                PEAK.fetch_max(now, Ordering::Relaxed);
            } else {
                CURRENT.fetch_sub(layout.size() - new_size, Ordering::Relaxed);
            }
        }
        q
    }
}

#[global_allocator]
static ALLOC: Counting = Counting;

/// Peak heap above the starting point while `f` runs.
fn peak_during<T>(f: impl FnOnce() -> T) -> (usize, T) {
    let base = CURRENT.load(Ordering::Relaxed);
    PEAK.store(base, Ordering::Relaxed);
    let out = f();
    (PEAK.load(Ordering::Relaxed) - base, out)
}

/// `{"ok":true,"<field>":[item,item,…]}` of about `size` bytes.
fn answer(field: &str, item: &str, size: usize) -> Vec<u8> {
    let mut s = format!("{{\"ok\":true,\"{field}\":[");
    let n = size / (item.len() + 1);
    for i in 0..n {
        if i > 0 {
            s.push(',');
        }
        s.push_str(item);
    }
    s.push_str("]}");
    s.into_bytes()
}

fn measure<M: Method>(field: &str, item: &str) -> f64 {
    let body = answer(field, item, 1 << 20);
    let (peak, decoded) = peak_during(|| slack_api::decode_response::<M>(200, &body));
    assert!(decoded.is_ok(), "{} did not decode", M::INFO.name);
    drop(decoded);
    let ratio = peak as f64 / body.len() as f64;
    println!("{:<24} {:<12} {:<22} {:>9.1} KiB peak  {:>6.1}×", M::INFO.name, field, item, peak as f64 / 1024.0, ratio);
    ratio
}

fn main() {
    use slack_api::conversations::{ConversationsHistoryRequest, ConversationsListRequest};
    use slack_api::search::SearchMessagesRequest;
    use slack_api::usergroups::UsergroupsListRequest;
    use slack_api::users::UsersListRequest;

    println!("== typed decoding of ~1 MiB hostile answers (peak heap ÷ answer size)");
    let items = ["{}", r#"{"id":"U1"}"#, r#"{"z":0}"#, "0", "null", "[]"];
    let mut worst: (f64, String) = (0.0, String::new());
    let mut note = |r: f64, what: String| {
        if r > worst.0 {
            worst = (r, what);
        }
    };
    for item in items {
        note(measure::<UsersListRequest>("members", item), format!("users.list members {item}"));
        note(measure::<ConversationsHistoryRequest>("messages", item), format!("conversations.history messages {item}"));
        note(measure::<ConversationsListRequest>("channels", item), format!("conversations.list channels {item}"));
        note(measure::<UsergroupsListRequest>("usergroups", item), format!("usergroups.list usergroups {item}"));
    }
    println!("for comparison, the same answers as serde_json::Value (lossless too, but untyped):");
    for item in items {
        let body = answer("members", item, 1 << 20);
        let (peak, v) = peak_during(|| serde_json::from_slice::<serde_json::Value>(&body).unwrap());
        drop(v);
        println!("  serde_json::Value        members      {item:<22} {:>6.1}×", peak as f64 / body.len() as f64);
    }
    let _ = SearchMessagesRequest::INFO;
    println!("worst: {:.1}× ({})", worst.0, worst.1);

    println!();
    println!("== rate limiter memory per key");
    let limiter = slack_api::RateLimiter::with_rates([6000; 4], 600_000);
    let info = <slack_api::chat::ChatPostMessageRequest as Method>::INFO;
    let keys = 1_000_000;
    let (peak, ()) = peak_during(|| {
        for i in 0..keys {
            let mut args = slack_api::wire::Args::new();
            args.put("channel", &format!("C{i:09}"));
            limiter.try_acquire(info, &args);
        }
    });
    let tracked = limiter.tracked_keys();
    let before = CURRENT.load(Ordering::Relaxed);
    std::thread::sleep(std::time::Duration::from_millis(5));
    limiter.evict_idle();
    let after = CURRENT.load(Ordering::Relaxed);
    println!(
        "{keys} channels posted to: peak {:.1} MiB while posting, {tracked} keys tracked at the end ({:.0} B each); \
         after they are idle: {} keys, {:.1} MiB released",
        peak as f64 / (1 << 20) as f64,
        if tracked > 0 { (before.saturating_sub(after)) as f64 / tracked as f64 } else { 0.0 },
        limiter.tracked_keys(),
        before.saturating_sub(after) as f64 / (1 << 20) as f64,
    );
}
