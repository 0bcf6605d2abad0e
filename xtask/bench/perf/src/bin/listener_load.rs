//! Load generator of the listener benchmark (`xtask/bench/listener.sh`): signed Events API
//! requests (`event_callback` with an `app_mention`, a unique `event_id` each, signed v0 with the
//! current timestamp) sent over keep-alive HTTP/1.1 connections by a minimal client of its own (see `Conn`) to a server on 127.0.0.1.
//!
//! ```text
//! listener_load suite --name NAME --out results.tsv [--connections 32] [--secs 10] [--warmup 2]
//!                     [--rate 2000] [--cold-runs 5] [--log FILE] -- COMMAND ARGS…
//!     spawns COMMAND (PORT=<free port> in its environment) --cold-runs times, each time from
//!     spawn to the first 2xx answer, kills it; then once more for the latency and throughput
//!     runs; appends one line to results.tsv
//! listener_load throughput URL [--connections 32] [--secs 10] [--warmup 2]
//! listener_load latency URL [--rate 2000] [--secs 10] [--warmup 2] [--connections 32]
//! listener_load cold [--port P] [--runs 5] -- COMMAND ARGS…   spawn to first 2xx only
//! listener_load report results.tsv     the table, with every target's ratio to the others
//! ```
//!
//! Throughput is closed loop: each connection sends its next request as soon as the answer to
//! the last one is in. Latency is open loop: request k is due at start + k / rate whatever
//! happened before, and its latency counts from that due time, so a server that falls behind
//! is charged for the wait of every request queued behind a slow one (no coordinated omission).
//! Requests still unanswered at the end count with the time they had waited so far, and a
//! percentile that falls among them is printed as `>=`.
//!
//! The signing secret is `SLACK_SIGNING_SECRET` or `bench-signing-secret`; it is also passed
//! to the spawned server.

use std::collections::HashSet;
use std::net::SocketAddr;
use std::process::Stdio;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use hmac::{Hmac, Mac};
use sha2::Sha256;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

const DEFAULT_SECRET: &str = "bench-signing-secret";
const PATH: &str = "/slack/events";

use slack_api_bench::APP_MENTION as PAYLOAD;

/// Builds signed requests, each with an `event_id` never sent before by this process (a
/// per-process prefix and a counter).
struct Signer {
    mac: Hmac<Sha256>,
    prefix: u32,
    next: AtomicU64,
    head: &'static str,
    middle: &'static str,
    tail: &'static str,
}

impl Signer {
    fn new(secret: &str) -> Self {
        let (head, rest) = PAYLOAD.split_once("{ID}").unwrap();
        let (middle, tail) = rest.split_once("{TIME}").unwrap();
        let nanos = SystemTime::now().duration_since(UNIX_EPOCH).unwrap().as_nanos();
        let prefix = (nanos as u32) ^ std::process::id().rotate_left(16);
        Signer { mac: Hmac::new_from_slice(secret.as_bytes()).unwrap(), prefix, next: AtomicU64::new(0), head, middle, tail }
    }

    /// Writes a whole new HTTP/1.1 request into `out` (cleared first): a body with a new
    /// `event_id` and the current time, its `X-Slack-Request-Timestamp` and `X-Slack-Signature`
    /// headers, for `host`. The buffers are the caller's, so a connection reuses its own.
    fn next(&self, host: &str, body: &mut Vec<u8>, out: &mut Vec<u8>) {
        use std::io::Write;
        let n = self.next.fetch_add(1, Ordering::Relaxed);
        let now = SystemTime::now().duration_since(UNIX_EPOCH).unwrap().as_secs().to_string();
        body.clear();
        body.extend_from_slice(self.head.as_bytes());
        write!(body, "Ev{:08X}{:08X}", self.prefix, n).unwrap();
        body.extend_from_slice(self.middle.as_bytes());
        body.extend_from_slice(now.as_bytes());
        body.extend_from_slice(self.tail.as_bytes());
        let mut mac = self.mac.clone();
        mac.update(b"v0:");
        mac.update(now.as_bytes());
        mac.update(b":");
        mac.update(body);
        let digest = mac.finalize().into_bytes();
        out.clear();
        write!(
            out,
            "POST {PATH} HTTP/1.1\r\nhost: {host}\r\ncontent-type: application/json\r\ncontent-length: {}\r\nx-slack-request-timestamp: {now}\r\nx-slack-signature: v0=",
            body.len()
        )
        .unwrap();
        for b in digest {
            const HEX: &[u8; 16] = b"0123456789abcdef";
            out.push(HEX[(b >> 4) as usize]);
            out.push(HEX[(b & 15) as usize]);
        }
        out.extend_from_slice(b"\r\n\r\n");
        out.extend_from_slice(body);
    }
}

/// One keep-alive connection, opened again whenever the server closes it (an HTTP/1.0 server,
/// or gunicorn's sync worker, closes after every answer).
///
/// A plain HTTP/1.1 client over a `TcpStream` — one write per request, the answer read into a
/// reused buffer — because the generator shares the machine's two cores with the server it
/// measures: every microsecond it spends per request is taken from the fastest servers (a
/// hyper client cost about as much CPU per request as the slowest Rust server's Slack layer).
/// It understands what the measured servers answer: `Content-Length`, `Transfer-Encoding:
/// chunked`, or a body that ends when the connection closes; `Connection: close` and HTTP/1.0.
struct Conn {
    addr: SocketAddr,
    host: String,
    stream: Option<TcpStream>,
    connects: u64,
    body: Vec<u8>,
    request: Vec<u8>,
    answer: Vec<u8>,
}

/// How an answer's body ends.
enum BodyEnd {
    Length(usize),
    Chunked,
    Close,
}

impl Conn {
    fn new(addr: SocketAddr) -> Self {
        Conn {
            addr,
            host: addr.to_string(),
            stream: None,
            connects: 0,
            body: Vec::with_capacity(2048),
            request: Vec::with_capacity(2048),
            answer: Vec::with_capacity(4096),
        }
    }

    async fn connect(&mut self) -> Result<(), String> {
        let stream = TcpStream::connect(self.addr).await.map_err(|e| format!("connect: {e}"))?;
        stream.set_nodelay(true).ok();
        self.stream = Some(stream);
        self.connects += 1;
        Ok(())
    }

    /// Sends one signed request and reads the whole answer: its status. A kept-alive
    /// connection found closed before any byte of the answer came is opened again, once.
    async fn send(&mut self, signer: &Signer) -> Result<u16, String> {
        signer.next(&self.host, &mut self.body, &mut self.request);
        for attempt in 0..2 {
            let reused = self.stream.is_some();
            if !reused {
                self.connect().await?;
            }
            match self.exchange().await {
                Ok(status) => return Ok(status),
                Err((nothing_read, _)) if attempt == 0 && reused && nothing_read => self.stream = None,
                Err((_, e)) => {
                    self.stream = None;
                    return Err(e);
                }
            }
        }
        unreachable!()
    }

    /// One request out, one answer in. An error says whether no byte of the answer had come.
    async fn exchange(&mut self) -> Result<u16, (bool, String)> {
        let stream = self.stream.as_mut().unwrap();
        stream.write_all(&self.request).await.map_err(|e| (true, format!("write: {e}")))?;
        let buf = &mut self.answer;
        buf.clear();
        // The head.
        let head_end = loop {
            if let Some(i) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
                break i + 4;
            }
            if buf.len() > 64 * 1024 {
                return Err((false, "answer head over 64 KiB".into()));
            }
            if read_more(stream, buf).await.map_err(|e| (buf.is_empty(), e))? == 0 {
                return Err((buf.is_empty(), "connection closed before the answer".into()));
            }
        };
        let head = std::str::from_utf8(&buf[..head_end]).map_err(|_| (false, "answer head not UTF-8".to_owned()))?;
        let mut lines = head.split("\r\n");
        let status_line = lines.next().unwrap_or("");
        let mut parts = status_line.split(' ');
        let version = parts.next().unwrap_or("");
        let status: u16 = parts.next().and_then(|s| s.parse().ok()).ok_or_else(|| (false, format!("bad status line {status_line:?}")))?;
        let mut keep_alive = version == "HTTP/1.1";
        let mut end = BodyEnd::Close;
        for line in lines {
            let Some((name, value)) = line.split_once(':') else { continue };
            let value = value.trim();
            if name.eq_ignore_ascii_case("content-length") {
                end = BodyEnd::Length(value.parse().map_err(|_| (false, format!("bad content-length {value:?}")))?);
            } else if name.eq_ignore_ascii_case("transfer-encoding") && value.eq_ignore_ascii_case("chunked") {
                end = BodyEnd::Chunked;
            } else if name.eq_ignore_ascii_case("connection") {
                keep_alive = value.eq_ignore_ascii_case("keep-alive") || (keep_alive && !value.eq_ignore_ascii_case("close"));
            }
        }
        // The body, read to its end and dropped.
        match end {
            BodyEnd::Length(n) => {
                while buf.len() < head_end + n {
                    if read_more(stream, buf).await.map_err(|e| (false, e))? == 0 {
                        return Err((false, "connection closed inside the body".into()));
                    }
                }
            }
            BodyEnd::Chunked => {
                let mut at = head_end;
                loop {
                    let line_end = loop {
                        if let Some(i) = buf[at..].windows(2).position(|w| w == b"\r\n") {
                            break at + i;
                        }
                        if read_more(stream, buf).await.map_err(|e| (false, e))? == 0 {
                            return Err((false, "connection closed inside a chunk size".into()));
                        }
                    };
                    let size_text = std::str::from_utf8(&buf[at..line_end]).unwrap_or("");
                    let size = usize::from_str_radix(size_text.split(';').next().unwrap_or("").trim(), 16)
                        .map_err(|_| (false, format!("bad chunk size {size_text:?}")))?;
                    // A chunk is its data and CRLF; the last (size 0) is CRLF alone (no trailers
                    // from these servers).
                    let next = line_end + 2 + size + 2;
                    while buf.len() < next {
                        if read_more(stream, buf).await.map_err(|e| (false, e))? == 0 {
                            return Err((false, "connection closed inside a chunk".into()));
                        }
                    }
                    at = next;
                    if size == 0 {
                        break;
                    }
                }
            }
            BodyEnd::Close => {
                keep_alive = false;
                while read_more(stream, buf).await.map_err(|e| (false, e))? > 0 {}
            }
        }
        if !keep_alive {
            self.stream = None;
        }
        Ok(status)
    }
}

async fn read_more(stream: &mut TcpStream, buf: &mut Vec<u8>) -> Result<usize, String> {
    buf.reserve(4096);
    stream.read_buf(buf).await.map_err(|e| format!("read: {e}"))
}

#[derive(Default)]
struct Counts {
    ok: AtomicU64,
    errors: AtomicU64,
    first_error: Mutex<Option<String>>,
}

impl Counts {
    fn record(&self, result: &Result<u16, String>) -> bool {
        match result {
            Ok(s) if (200..300).contains(s) => {
                self.ok.fetch_add(1, Ordering::Relaxed);
                true
            }
            other => {
                self.errors.fetch_add(1, Ordering::Relaxed);
                let mut first = self.first_error.lock().unwrap();
                if first.is_none() {
                    *first = Some(match other {
                        Ok(s) => format!("HTTP {s}"),
                        Err(e) => e.clone(),
                    });
                }
                false
            }
        }
    }
}

struct Throughput {
    /// 2xx answers per second over the measured seconds.
    rate: f64,
    per_second: Vec<u64>,
    errors: u64,
    first_error: Option<String>,
    /// Connections opened per 1,000 requests (1,000 = one per request: no keep-alive).
    connects_per_1000: f64,
    /// CPU time (user + system) of the server's processes per 2xx answer, in microseconds,
    /// over the measured seconds: less at the mercy of the host's other load than the rate.
    cpu_us_per_request: Option<f64>,
    /// The generator's own CPU time per 2xx answer, in microseconds: what it takes from the
    /// cores it shares with the server.
    own_cpu_us_per_request: Option<f64>,
}

/// User + system CPU seconds of every process in process group `pgid` (the server and its
/// workers), from /proc.
fn group_cpu_seconds(pgid: u32) -> Option<f64> {
    let ticks_per_second = 100.0; // USER_HZ on Linux
    let mut total = 0u64;
    let mut seen = false;
    for entry in std::fs::read_dir("/proc").ok()?.flatten() {
        let Ok(stat) = std::fs::read_to_string(entry.path().join("stat")) else { continue };
        let Some((_, rest)) = stat.rsplit_once(')') else { continue };
        let f: Vec<&str> = rest.split_whitespace().collect();
        // after the command: state ppid pgrp … utime (14th field of the line) stime (15th)
        if f.len() > 12 && f[2].parse::<u32>().ok() == Some(pgid) {
            total += f[11].parse::<u64>().unwrap_or(0) + f[12].parse::<u64>().unwrap_or(0);
            seen = true;
        }
    }
    seen.then(|| total as f64 / ticks_per_second)
}

/// User + system CPU seconds of this process (every thread), from /proc.
fn own_cpu_seconds() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    let (_, rest) = stat.rsplit_once(')')?;
    let f: Vec<&str> = rest.split_whitespace().collect();
    Some((f.get(11)?.parse::<u64>().ok()? + f.get(12)?.parse::<u64>().ok()?) as f64 / 100.0)
}

async fn throughput(addr: SocketAddr, signer: Arc<Signer>, connections: usize, warmup: Duration, secs: u64, server: Option<u32>) -> Throughput {
    let counts = Arc::new(Counts::default());
    let stop = Arc::new(AtomicBool::new(false));
    let connects = Arc::new(AtomicU64::new(0));
    let mut tasks = Vec::new();
    for _ in 0..connections {
        let (signer, counts, stop, connects) = (signer.clone(), counts.clone(), stop.clone(), connects.clone());
        tasks.push(tokio::spawn(async move {
            let mut conn = Conn::new(addr);
            while !stop.load(Ordering::Relaxed) {
                let r = conn.send(&signer).await;
                if !counts.record(&r) && r.is_err() {
                    tokio::time::sleep(Duration::from_millis(10)).await;
                }
            }
            connects.fetch_add(conn.connects, Ordering::Relaxed);
        }));
    }
    tokio::time::sleep(warmup).await;
    let (ok0, err0) = (counts.ok.load(Ordering::Relaxed), counts.errors.load(Ordering::Relaxed));
    let cpu0 = server.and_then(group_cpu_seconds);
    let own0 = own_cpu_seconds();
    let start = Instant::now();
    let mut per_second = Vec::new();
    let mut last = ok0;
    for s in 1..=secs {
        tokio::time::sleep_until((start + Duration::from_secs(s)).into()).await;
        let ok = counts.ok.load(Ordering::Relaxed);
        per_second.push(ok - last);
        last = ok;
    }
    let elapsed = start.elapsed().as_secs_f64();
    let cpu = cpu0.zip(server.and_then(group_cpu_seconds)).map(|(a, b)| b - a);
    let own = own0.zip(own_cpu_seconds()).map(|(a, b)| b - a);
    let errors = counts.errors.load(Ordering::Relaxed) - err0;
    stop.store(true, Ordering::Relaxed);
    for t in tasks {
        let _ = tokio::time::timeout(Duration::from_secs(5), t).await;
    }
    let total = counts.ok.load(Ordering::Relaxed) + counts.errors.load(Ordering::Relaxed);
    let first_error = counts.first_error.lock().unwrap().clone();
    Throughput {
        rate: (last - ok0) as f64 / elapsed,
        per_second,
        errors,
        first_error,
        connects_per_1000: connects.load(Ordering::Relaxed) as f64 * 1000.0 / total.max(1) as f64,
        cpu_us_per_request: cpu.map(|c| c * 1e6 / (last - ok0).max(1) as f64),
        own_cpu_us_per_request: own.map(|c| c * 1e6 / (last - ok0).max(1) as f64),
    }
}

struct Latency {
    target_rate: u64,
    /// 2xx answers per second that came in before the last request was due: below the target
    /// rate, the server fell behind and its queue grew.
    achieved: f64,
    p50: (f64, bool),
    p99: (f64, bool),
    max: (f64, bool),
    errors: u64,
    unanswered: u64,
    first_error: Option<String>,
}

async fn latency(addr: SocketAddr, signer: Arc<Signer>, connections: usize, rate: u64, warmup: Duration, secs: u64) -> Latency {
    let period = Duration::from_secs_f64(1.0 / rate as f64);
    let skip = (warmup.as_secs_f64() * rate as f64) as u64; // the warm-up requests, not counted
    let total = skip + secs * rate;
    let start = Instant::now() + Duration::from_millis(20);
    let due = move |k: u64| start + period.mul_f64(k as f64);
    // The schedule runs on a thread of its own, asleep between requests (tokio's timer ticks in
    // milliseconds, too coarse at 2,000 requests a second).
    let (tx, rx) = tokio::sync::mpsc::unbounded_channel::<u64>();
    std::thread::spawn(move || {
        for k in 0..total {
            let at = due(k);
            let now = Instant::now();
            if at > now {
                std::thread::sleep(at - now);
            }
            if tx.send(k).is_err() {
                return;
            }
        }
    });
    let rx = Arc::new(tokio::sync::Mutex::new(rx));
    let counts = Arc::new(Counts::default());
    // (request number, microseconds from its due time to its answer) of 2xx answers
    let samples = Arc::new(Mutex::new(Vec::<(u64, u64)>::with_capacity(total as usize)));
    let answered = Arc::new(Mutex::new(HashSet::<u64>::with_capacity(total as usize)));
    let mut tasks = tokio::task::JoinSet::new();
    for _ in 0..connections {
        let (rx, signer, counts, samples, answered) = (rx.clone(), signer.clone(), counts.clone(), samples.clone(), answered.clone());
        tasks.spawn(async move {
            let mut conn = Conn::new(addr);
            loop {
                let Some(k) = rx.lock().await.recv().await else { return };
                let r = conn.send(&signer).await;
                let micros = due(k).elapsed().as_micros() as u64;
                answered.lock().unwrap().insert(k);
                if k >= skip && counts.record(&r) {
                    samples.lock().unwrap().push((k, micros));
                }
            }
        });
    }
    // Every request is due by `end`; the ones still unanswered 10 s later are counted as such.
    let end = due(total);
    let deadline = end + Duration::from_secs(10);
    while tokio::time::timeout_at(deadline.into(), tasks.join_next()).await.is_ok_and(|r| r.is_some()) {}
    tasks.abort_all();
    let stopped = Instant::now();
    let mut lat: Vec<(f64, bool)> = samples.lock().unwrap().iter().map(|&(_, us)| (us as f64 / 1000.0, false)).collect();
    let answered = answered.lock().unwrap();
    let mut unanswered = 0;
    for k in skip..total {
        if !answered.contains(&k) {
            unanswered += 1;
            lat.push(((stopped - due(k)).as_secs_f64() * 1000.0, true));
        }
    }
    lat.sort_by(|a, b| a.0.total_cmp(&b.0));
    let pick = |q: f64| lat.get(((lat.len() as f64 * q).ceil() as usize).saturating_sub(1)).copied().unwrap_or((f64::NAN, false));
    let measured_start = due(skip);
    let on_time = samples.lock().unwrap().iter().filter(|&&(k, us)| due(k) + Duration::from_micros(us) <= end).count();
    Latency {
        target_rate: rate,
        achieved: on_time as f64 / (end - measured_start).as_secs_f64(),
        p50: pick(0.50),
        p99: pick(0.99),
        max: pick(1.0),
        errors: counts.errors.load(Ordering::Relaxed),
        unanswered,
        first_error: counts.first_error.lock().unwrap().clone(),
    }
}

/// A server process started by this generator, in a process group of its own so that its
/// workers (gunicorn's) end with it.
struct Server {
    child: tokio::process::Child,
}

impl Server {
    fn spawn(command: &[String], port: u16, secret: &str, log: Option<&str>) -> Server {
        let mut cmd = tokio::process::Command::new(&command[0]);
        cmd.args(&command[1..]).env("PORT", port.to_string()).env("SLACK_SIGNING_SECRET", secret).stdin(Stdio::null());
        match log {
            Some(path) => {
                let f = std::fs::OpenOptions::new().create(true).append(true).open(path).expect("log file");
                cmd.stdout(f.try_clone().unwrap()).stderr(f);
            }
            None => {
                cmd.stdout(Stdio::null()).stderr(Stdio::inherit());
            }
        }
        cmd.process_group(0).kill_on_drop(true);
        Server { child: cmd.spawn().unwrap_or_else(|e| panic!("cannot start {}: {e}", command[0])) }
    }

    /// SIGTERM to the group, then SIGKILL if it is still there after 3 s.
    async fn stop(mut self) {
        if let Some(pid) = self.child.id() {
            let group = format!("-{pid}");
            let _ = std::process::Command::new("kill").args(["-TERM", "--", &group]).status();
            if tokio::time::timeout(Duration::from_secs(3), self.child.wait()).await.is_err() {
                let _ = std::process::Command::new("kill").args(["-KILL", "--", &group]).status();
                let _ = self.child.wait().await;
            }
            // Workers of the group that outlive their parent (none expected).
            let _ = std::process::Command::new("kill").args(["-KILL", "--", &group]).stderr(Stdio::null()).status();
        }
    }
}

/// From spawn to the first 2xx answer to a signed request: the port is tried every
/// millisecond (a refused connection or an error answer counts as not ready).
async fn cold_start(command: &[String], secret: &str, signer: &Signer, log: Option<&str>, port: Option<u16>) -> (Duration, Server, SocketAddr) {
    let port = port.unwrap_or_else(free_port);
    let addr: SocketAddr = ([127, 0, 0, 1], port).into();
    let t0 = Instant::now();
    let server = Server::spawn(command, port, secret, log);
    loop {
        let mut conn = Conn::new(addr);
        if let Ok(s) = conn.send(signer).await
            && (200..300).contains(&s)
        {
            return (t0.elapsed(), server, addr);
        }
        if t0.elapsed() > Duration::from_secs(60) {
            server.stop().await;
            panic!("{} did not answer within 60 s", command.join(" "));
        }
        tokio::time::sleep(Duration::from_millis(1)).await;
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

struct Args {
    positional: Vec<String>,
    options: std::collections::HashMap<String, String>,
    command: Vec<String>,
}

impl Args {
    fn parse() -> Args {
        let mut positional = Vec::new();
        let mut options = std::collections::HashMap::new();
        let mut it = std::env::args().skip(1);
        let mut command = Vec::new();
        while let Some(a) = it.next() {
            if a == "--" {
                command = it.by_ref().collect();
            } else if let Some(name) = a.strip_prefix("--") {
                options.insert(name.to_owned(), it.next().unwrap_or_else(|| panic!("--{name} needs a value")));
            } else {
                positional.push(a);
            }
        }
        Args { positional, options, command }
    }

    fn get<T: std::str::FromStr>(&self, name: &str, default: T) -> T {
        self.options.get(name).map(|v| v.parse().unwrap_or_else(|_| panic!("bad --{name}"))).unwrap_or(default)
    }

    fn addr(&self) -> SocketAddr {
        let url = self.positional.get(1).expect("a URL, http://127.0.0.1:PORT");
        let hostport = url.trim_start_matches("http://").split('/').next().unwrap();
        hostport.parse().expect("http://127.0.0.1:PORT")
    }
}

fn fmt_ms((v, lower_bound): (f64, bool)) -> String {
    format!("{}{v:.2}", if lower_bound { ">=" } else { "" })
}

fn print_throughput(t: &Throughput) {
    let mut sorted = t.per_second.clone();
    sorted.sort();
    println!(
        "throughput: {:.0} req/s (per second: min {} median {} max {}), errors {}{}, connections opened per 1,000 requests {:.1}, server CPU per request {}, generator CPU per request {}",
        t.rate,
        sorted.first().unwrap_or(&0),
        sorted.get(sorted.len() / 2).unwrap_or(&0),
        sorted.last().unwrap_or(&0),
        t.errors,
        t.first_error.as_ref().filter(|_| t.errors > 0).map(|e| format!(" (first: {e})")).unwrap_or_default(),
        t.connects_per_1000,
        t.cpu_us_per_request.map(|c| format!("{c:.0} µs")).unwrap_or_else(|| "?".into()),
        t.own_cpu_us_per_request.map(|c| format!("{c:.1} µs")).unwrap_or_else(|| "?".into()),
    );
}

fn print_latency(l: &Latency) {
    println!(
        "latency at {}/s: answered {:.0}/s, p50 {} ms, p99 {} ms, max {} ms, errors {}, unanswered {}{}",
        l.target_rate,
        l.achieved,
        fmt_ms(l.p50),
        fmt_ms(l.p99),
        fmt_ms(l.max),
        l.errors,
        l.unanswered,
        l.first_error.as_ref().filter(|_| l.errors > 0).map(|e| format!(" (first: {e})")).unwrap_or_default(),
    );
}

fn main() {
    let args = Args::parse();
    let secret = std::env::var("SLACK_SIGNING_SECRET").unwrap_or_else(|_| DEFAULT_SECRET.to_owned());
    let signer = Arc::new(Signer::new(&secret));
    // One thread by default: the generator needs less than a core, and a single-threaded
    // runtime spends none of it on waking and stealing between threads.
    let rt = match args.get("threads", 1usize) {
        1 => tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap(),
        n => tokio::runtime::Builder::new_multi_thread().worker_threads(n).enable_all().build().unwrap(),
    };
    let connections = args.get("connections", 32usize);
    let secs = args.get("secs", 10u64);
    let warmup = Duration::from_secs_f64(args.get("warmup", 2.0f64));
    let rate = args.get("rate", 2000u64);
    match args.positional.first().map(String::as_str) {
        Some("throughput") => {
            let pid = args.options.get("pid").map(|p| p.parse().expect("--pid"));
            let t = rt.block_on(throughput(args.addr(), signer, connections, warmup, secs, pid));
            print_throughput(&t);
        }
        Some("latency") => {
            let l = rt.block_on(latency(args.addr(), signer, connections, rate, warmup, secs));
            print_latency(&l);
        }
        Some("suite") => rt.block_on(suite(&args, &secret, signer, connections, secs, warmup, rate)),
        Some("cold") => rt.block_on(async {
            // Spawn to first ack only, on a given port (for an app that chooses its own).
            let port = args.options.get("port").map(|p| p.parse().expect("--port"));
            let runs = args.get("runs", 5usize);
            let mut all = Vec::new();
            for _ in 0..runs {
                let (t, server, _) = cold_start(&args.command, &secret, &signer, args.options.get("log").map(String::as_str), port).await;
                server.stop().await;
                all.push(t.as_secs_f64() * 1000.0);
            }
            all.sort_by(f64::total_cmp);
            println!("cold start (spawn to first ack), median of {runs}: {:.0} ms (all: {all:.0?})", all[all.len() / 2]);
        }),
        Some("report") => report(args.positional.get(1).expect("the results file")),
        _ => {
            eprintln!("usage: listener_load suite|throughput|latency|report … (see the source's header)");
            std::process::exit(2);
        }
    }
}

async fn suite(args: &Args, secret: &str, signer: Arc<Signer>, connections: usize, secs: u64, warmup: Duration, rate: u64) {
    let name = args.options.get("name").expect("--name");
    let out = args.options.get("out").expect("--out");
    let log = args.options.get("log").map(String::as_str);
    assert!(!args.command.is_empty(), "the server's command after --");
    let runs = args.get("cold-runs", 5usize);
    let mut cold = Vec::new();
    for _ in 0..runs {
        let (t, server, _) = cold_start(&args.command, secret, &signer, log, None).await;
        server.stop().await;
        cold.push(t.as_secs_f64() * 1000.0);
    }
    cold.sort_by(f64::total_cmp);
    let cold_median = if cold.is_empty() { f64::NAN } else { cold[cold.len() / 2] };
    println!("{name}");
    println!("cold start (spawn to first ack), median of {runs}: {cold_median:.0} ms (all: {cold:.0?})");
    let (_, server, addr) = cold_start(&args.command, secret, &signer, log, None).await;
    let l = latency(addr, signer.clone(), connections, rate, warmup, secs).await;
    print_latency(&l);
    let t = throughput(addr, signer, connections, warmup, secs, server.child.id()).await;
    print_throughput(&t);
    server.stop().await;
    let line = format!(
        "{name}\t{:.0}\t{}\t{}\t{}\t{:.0}\t{}\t{}\t{}\t{cold_median:.0}\t{:.0}\t{:.1}\n",
        t.rate,
        t.errors,
        fmt_ms(l.p50),
        fmt_ms(l.p99),
        l.achieved,
        l.errors + l.unanswered,
        fmt_ms(l.max),
        l.target_rate,
        t.connects_per_1000,
        t.cpu_us_per_request.unwrap_or(f64::NAN),
    );
    use std::io::Write;
    std::fs::OpenOptions::new().create(true).append(true).open(out).unwrap().write_all(line.as_bytes()).unwrap();
}

/// The table of a results file: per target, the median of each figure over its runs (lines),
/// then one line per target with its throughput against each other target's.
fn report(path: &str) {
    let text = std::fs::read_to_string(path).unwrap();
    let mut names: Vec<&str> = Vec::new();
    let mut rows: std::collections::HashMap<&str, Vec<Vec<&str>>> = std::collections::HashMap::new();
    for line in text.lines().filter(|l| !l.trim().is_empty()) {
        let fields: Vec<&str> = line.split('\t').collect();
        if !rows.contains_key(fields[0]) {
            names.push(fields[0]);
        }
        rows.entry(fields[0]).or_default().push(fields);
    }
    // The median of a column over a target's runs; a `>=` (a lower bound) stays one.
    let median = |name: &str, col: usize| -> (f64, bool) {
        let mut v: Vec<(f64, bool)> = rows[name]
            .iter()
            .map(|r| match r[col].strip_prefix(">=") {
                Some(x) => (x.parse().unwrap_or(f64::NAN), true),
                None => (r[col].parse().unwrap_or(f64::NAN), false),
            })
            .collect();
        v.sort_by(|a, b| a.0.total_cmp(&b.0));
        v[(v.len() - 1) / 2]
    };
    let rate = rows[names[0]][0][8];
    let runs: Vec<usize> = names.iter().map(|n| rows[n].len()).collect();
    let width = names.iter().map(|n| n.len()).max().unwrap_or(6).max(6);
    println!(
        "{:<width$} {:>4} {:>9} {:>8} {:>6} {:>10} {:>10} {:>10} {:>10} {:>10} {:>8}",
        "target", "runs", "req/s", "CPU/req", "errors", format!("p50@{rate}/s"), format!("p99@{rate}/s"), "max", "kept up at", "cold start", "conn/1k"
    );
    for (name, n) in names.iter().zip(&runs) {
        let ms = |col: usize| {
            let (v, lb) = median(name, col);
            format!("{}{v:.2} ms", if lb { ">=" } else { "" })
        };
        println!(
            "{:<width$} {:>4} {:>9.0} {:>5.0} µs {:>6.0} {:>10} {:>10} {:>10} {:>8.0}/s {:>7.0} ms {:>8.0}",
            name,
            n,
            median(name, 1).0,
            median(name, 11).0,
            median(name, 2).0 + median(name, 6).0,
            ms(3),
            ms(4),
            ms(7),
            median(name, 5).0,
            median(name, 9).0,
            median(name, 10).0,
        );
    }
    println!();
    for name in &names {
        let mine = median(name, 1).0;
        let others: Vec<String> =
            names.iter().filter(|o| *o != name).map(|o| format!("{:.2}x {o}", mine / median(o, 1).0)).collect();
        println!("{name}: {:.0} req/s = {}", mine, others.join(", "));
    }
    println!();
    for name in &names {
        let mine = median(name, 11).0;
        let others: Vec<String> =
            names.iter().filter(|o| *o != name).map(|o| format!("{:.2}x {o}", median(o, 11).0 / mine)).collect();
        println!("{name}: {mine:.0} µs of server CPU per request; requests per CPU-second = {}", others.join(", "));
    }
}
