//! Shared pieces of the cross-crate tests: a real HTTP server on 127.0.0.1 that records every
//! request and answers from a script, paths into the repository, and the golden files of the
//! generator compiled as a module of this crate (so that golden output is proven to build).

use std::collections::VecDeque;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

// The golden files were generated for `crate::…` paths; this crate provides them by re-exporting
// the runtime and compiling the golden common errors as its own.
pub use slack_api::{
    ArgGroup, FileUpload, HttpMethod, Method, MethodError, MethodInfo, Paginated, RateLimitTier, Response, ResponseMetadata,
    Timestamp, TokenScopes, TokenType, UntypedResponse, UserId, lenient, redact, wire,
};

/// The generator's golden output for `tests/golden/spec`: its common errors…
#[path = "../golden/out/common_errors.rs"]
pub mod golden_common_errors;
/// Decoding by method name, generated from the spec (see `codegen::emit::dispatch_file`).
#[path = "generated/dispatch.rs"]
pub mod dispatch;
/// How much of a decoded answer is typed.
pub mod coverage;
/// Typing coverage per object type (fields typed, answers with undeclared fields).
pub mod object_coverage;
/// …and its one method family, compiled.
#[path = "../golden/out/methods/fixture.rs"]
pub mod golden_fixture;
pub use golden_common_errors::CommonError;
/// …and its Block Kit types, compiled against slack-api's Block Kit runtime: as in the model
/// crate, the hand-written module owns the path, re-exports the generated types and brings the
/// runtime they name as `crate::block_kit::…`.
pub mod block_kit {
    pub use slack_api::block_kit::{
        FromJson, JsonWriter, Path, Surface, TextObject, Validate, Validator, Violation, ViolationKind, Violations, WriteJson, field, lenient,
        strict, Format,
    };
    pub use crate::golden_block_kit::*;
}
#[path = "../golden/out/block_kit.rs"]
mod golden_block_kit;

/// The Socket Mode simulator.
pub mod socket_sim;

/// The repository root.
pub fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("tests/ is one level below the root").to_path_buf()
}

/// `../shared` beside the repository, when it exists. Tests that read it skip (saying why) when
/// it does not.
pub fn shared_dir() -> Option<PathBuf> {
    let dir = repo_root().parent()?.join("shared");
    dir.is_dir().then_some(dir)
}

/// Returns `../shared`, or prints why the calling test is skipped.
pub fn shared_or_skip(test: &str) -> Option<PathBuf> {
    let dir = shared_dir();
    if dir.is_none() {
        eprintln!("skipping {test}: ../shared (Slack's docs snapshot and seed pages) is not beside the repository");
    }
    dir
}

/// One example answer of a method in the docs snapshot (`<shared>/slack-docs/methods`).
#[derive(Debug)]
pub struct SnapshotExample {
    pub method: String,
    /// The example's name in the method's `examples`.
    pub name: String,
    pub answer: serde_json::Value,
}

impl SnapshotExample {
    /// Whether it is a successful answer (`"ok": true`).
    pub fn is_success(&self) -> bool {
        self.answer.get("ok") == Some(&serde_json::Value::Bool(true))
    }
}

/// Every example answer of every method in the docs snapshot under `shared`, by method name,
/// then in the order the method's file lists them.
pub fn snapshot_examples(shared: &Path) -> Vec<SnapshotExample> {
    let dir = shared.join("slack-docs/methods");
    let mut paths: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .collect();
    paths.sort();
    let mut out = Vec::new();
    for path in paths {
        let method = path.file_stem().unwrap().to_string_lossy().into_owned();
        if method == "methods" {
            continue;
        }
        let doc: serde_json::Value = serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
        let Some(examples) = doc.get("examples").and_then(serde_json::Value::as_object) else { continue };
        for (name, ex) in examples {
            if let Some(answer) = ex.get("example") {
                out.push(SnapshotExample { method: method.clone(), name: name.clone(), answer: answer.clone() });
            }
        }
    }
    out
}

/// One request as the server received it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Recorded {
    pub method: String,
    /// The path without the query.
    pub path: String,
    pub query: Option<String>,
    /// Header names lower-cased, in arrival order.
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Recorded {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
    }
    pub fn body_text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

/// A canned answer.
#[derive(Debug, Clone)]
pub enum Reply {
    /// A complete response.
    Full { status: u16, content_type: String, body: Vec<u8> },
    /// A complete response with extra headers.
    WithHeaders { status: u16, content_type: String, body: Vec<u8>, headers: Vec<(String, String)> },
    /// Wait this long, then answer `{"ok":true}`.
    Delay(std::time::Duration),
    /// A response whose `Content-Length` promises more than is sent before the connection closes.
    Truncated { status: u16, body: Vec<u8>, promised: usize },
    /// Close the connection without answering.
    Hangup,
}

impl Reply {
    pub fn json(body: &str) -> Reply {
        Reply::Full { status: 200, content_type: "application/json; charset=utf-8".into(), body: body.as_bytes().to_vec() }
    }
    pub fn status(status: u16, content_type: &str, body: &str) -> Reply {
        Reply::Full { status, content_type: content_type.into(), body: body.as_bytes().to_vec() }
    }
    /// The same reply with one more header.
    pub fn with_header(self, name: &str, value: &str) -> Reply {
        match self {
            Reply::Full { status, content_type, body } => {
                Reply::WithHeaders { status, content_type, body, headers: vec![(name.into(), value.into())] }
            }
            Reply::WithHeaders { status, content_type, body, mut headers } => {
                headers.push((name.into(), value.into()));
                Reply::WithHeaders { status, content_type, body, headers }
            }
            other => other,
        }
    }
}

/// An HTTP/1.1 server on 127.0.0.1 that answers each request with the next scripted reply (or
/// the default once the script is used up) and records what it received.
#[derive(Debug, Clone)]
pub struct MockServer {
    addr: SocketAddr,
    state: Arc<Mutex<State>>,
}

/// Answers a request, or leaves it to the script.
pub type Handler = Arc<dyn Fn(&Recorded) -> Option<Reply> + Send + Sync>;

struct State {
    script: VecDeque<Reply>,
    default: Reply,
    received: Vec<Recorded>,
    handler: Option<Handler>,
}

impl std::fmt::Debug for State {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("State").field("script", &self.script).field("received", &self.received.len()).finish()
    }
}

impl MockServer {
    /// Starts a server whose default answer is `{"ok":true}`.
    pub async fn start() -> MockServer {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind 127.0.0.1:0");
        let addr = listener.local_addr().expect("local addr");
        let state = Arc::new(Mutex::new(State {
            script: VecDeque::new(),
            default: Reply::json(r#"{"ok":true}"#),
            received: Vec::new(),
            handler: None,
        }));
        let shared = state.clone();
        tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                let state = shared.clone();
                tokio::spawn(async move {
                    let _ = serve(stream, state).await;
                });
            }
        });
        MockServer { addr, state }
    }

    /// The base URL to give the client: `http://127.0.0.1:<port>/api/`.
    pub fn base_url(&self) -> String {
        format!("http://{}/api/", self.addr)
    }

    /// Queues replies, answered in order.
    pub fn push(&self, reply: Reply) {
        self.state.lock().unwrap().script.push_back(reply);
    }

    /// Sets the answer once the queue is empty.
    pub fn set_default(&self, reply: Reply) {
        self.state.lock().unwrap().default = reply;
    }

    /// Answers with `handler` wherever it returns a reply (before the script).
    pub fn set_handler(&self, handler: impl Fn(&Recorded) -> Option<Reply> + Send + Sync + 'static) {
        self.state.lock().unwrap().handler = Some(Arc::new(handler));
    }

    /// Everything received so far, and forgets it.
    pub fn take(&self) -> Vec<Recorded> {
        std::mem::take(&mut self.state.lock().unwrap().received)
    }

    /// A client for this server with `token`.
    pub fn client(&self, token: &str) -> slack_api::Client {
        self.client_with(token, slack_api::RetryPolicy::default())
    }

    /// A client for this server with `token` and a retry policy.
    pub fn client_with(&self, token: &str, policy: slack_api::RetryPolicy) -> slack_api::Client {
        slack_api::Client::builder(token)
            .base_url(self.base_url())
            .retry_policy(policy)
            .build()
            .expect("client for the mock server")
    }
}

async fn serve(mut stream: tokio::net::TcpStream, state: Arc<Mutex<State>>) -> std::io::Result<()> {
    stream.set_nodelay(true)?;
    loop {
        let mut buf = Vec::new();
        let header_end = loop {
            if let Some(i) = find(&buf, b"\r\n\r\n") {
                break i;
            }
            let mut chunk = [0u8; 4096];
            let n = stream.read(&mut chunk).await?;
            if n == 0 {
                return Ok(());
            }
            buf.extend_from_slice(&chunk[..n]);
        };
        let head = String::from_utf8_lossy(&buf[..header_end]).into_owned();
        let mut lines = head.split("\r\n");
        let mut first = lines.next().unwrap_or_default().split(' ');
        let method = first.next().unwrap_or_default().to_owned();
        let target = first.next().unwrap_or_default().to_owned();
        let headers: Vec<(String, String)> = lines
            .filter_map(|l| l.split_once(':'))
            .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_owned()))
            .collect();
        let len: usize = headers
            .iter()
            .find(|(k, _)| k == "content-length")
            .and_then(|(_, v)| v.parse().ok())
            .unwrap_or(0);
        let mut body = buf[header_end + 4..].to_vec();
        while body.len() < len {
            let mut chunk = vec![0u8; len - body.len()];
            let n = stream.read(&mut chunk).await?;
            if n == 0 {
                break;
            }
            body.extend_from_slice(&chunk[..n]);
        }
        let (path, query) = match target.split_once('?') {
            Some((p, q)) => (p.to_owned(), Some(q.to_owned())),
            None => (target.clone(), None),
        };
        let reply = {
            let mut s = state.lock().unwrap();
            let request = Recorded { method, path, query, headers, body };
            let handled = s.handler.as_ref().and_then(|h| h(&request));
            s.received.push(request);
            handled.unwrap_or_else(|| s.script.pop_front().unwrap_or_else(|| s.default.clone()))
        };
        let reply = match reply {
            Reply::Delay(d) => {
                tokio::time::sleep(d).await;
                Reply::json(r#"{"ok":true}"#)
            }
            other => other,
        };
        let reply = match reply {
            Reply::Full { status, content_type, body } => {
                Reply::WithHeaders { status, content_type, body, headers: Vec::new() }
            }
            other => other,
        };
        match reply {
            Reply::Full { .. } | Reply::Delay(_) => unreachable!("normalised above"),
            Reply::WithHeaders { status, content_type, body, headers } => {
                let extra: String = headers.iter().map(|(k, v)| format!("{k}: {v}\r\n")).collect();
                let head = format!(
                    "HTTP/1.1 {status} {}\r\ncontent-type: {content_type}\r\ncontent-length: {}\r\n{extra}\r\n",
                    reason(status),
                    body.len()
                );
                let mut out = head.into_bytes();
                out.extend_from_slice(&body);
                stream.write_all(&out).await?;
            }
            Reply::Truncated { status, body, promised } => {
                let head = format!(
                    "HTTP/1.1 {status} {}\r\ncontent-type: application/json\r\ncontent-length: {promised}\r\n\r\n",
                    reason(status)
                );
                stream.write_all(head.as_bytes()).await?;
                stream.write_all(&body).await?;
                stream.shutdown().await?;
                return Ok(());
            }
            Reply::Hangup => return Ok(()),
        }
    }
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        404 => "Not Found",
        429 => "Too Many Requests",
        500 => "Internal Server Error",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        _ => "Status",
    }
}

/// A `tracing` subscriber that writes every span (with its fields) and event into a string, so
/// tests can read exactly what an application's logs would contain.
#[derive(Debug, Clone, Default)]
pub struct LogCapture {
    text: Arc<Mutex<String>>,
    next_id: Arc<std::sync::atomic::AtomicU64>,
}

impl LogCapture {
    pub fn text(&self) -> String {
        self.text.lock().unwrap().clone()
    }
    fn push(&self, line: String) {
        let mut t = self.text.lock().unwrap();
        t.push_str(&line);
        t.push('\n');
    }
}

struct Fields(String);

impl tracing::field::Visit for Fields {
    fn record_debug(&mut self, field: &tracing::field::Field, value: &dyn std::fmt::Debug) {
        self.0.push_str(&format!(" {}={:?}", field.name(), value));
    }
    fn record_str(&mut self, field: &tracing::field::Field, value: &str) {
        self.0.push_str(&format!(" {}={}", field.name(), value));
    }
}

impl tracing::Subscriber for LogCapture {
    fn enabled(&self, _: &tracing::Metadata<'_>) -> bool {
        true
    }
    fn new_span(&self, span: &tracing::span::Attributes<'_>) -> tracing::span::Id {
        let mut f = Fields(String::new());
        span.record(&mut f);
        let id = self.next_id.fetch_add(1, std::sync::atomic::Ordering::Relaxed) + 1;
        self.push(format!("span#{id} {} {}{}", span.metadata().level(), span.metadata().name(), f.0));
        tracing::span::Id::from_u64(id)
    }
    fn record(&self, span: &tracing::span::Id, values: &tracing::span::Record<'_>) {
        let mut f = Fields(String::new());
        values.record(&mut f);
        self.push(format!("span#{} record{}", span.into_u64(), f.0));
    }
    fn record_follows_from(&self, _: &tracing::span::Id, _: &tracing::span::Id) {}
    fn event(&self, event: &tracing::Event<'_>) {
        let mut f = Fields(String::new());
        event.record(&mut f);
        self.push(format!("event {} {}{}", event.metadata().level(), event.metadata().target(), f.0));
    }
    fn enter(&self, _: &tracing::span::Id) {}
    fn exit(&self, _: &tracing::span::Id) {}
}

/// A server on 127.0.0.1 that hands each connection to `behave`, for answers no well-behaved
/// server gives (silence, a trickle of bytes, endless bodies). Returns its base URL
/// (`http://127.0.0.1:<port>/api/`).
pub async fn raw_server<F, Fut>(behave: F) -> String
where
    F: Fn(tokio::net::TcpStream) -> Fut + Send + Sync + 'static,
    Fut: std::future::Future<Output = ()> + Send + 'static,
{
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind 127.0.0.1:0");
    let addr = listener.local_addr().expect("local addr");
    let behave = Arc::new(behave);
    tokio::spawn(async move {
        while let Ok((stream, _)) = listener.accept().await {
            tokio::spawn(behave(stream));
        }
    });
    format!("http://{addr}/api/")
}

/// Reads one request's head (and as much of its body as `Content-Length` says) from `stream`.
pub async fn read_request(stream: &mut tokio::net::TcpStream) -> std::io::Result<Vec<u8>> {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 4096];
    loop {
        if let Some(end) = find(&buf, b"\r\n\r\n") {
            let head = String::from_utf8_lossy(&buf[..end]).to_ascii_lowercase();
            let len: usize = head
                .lines()
                .find_map(|l| l.strip_prefix("content-length:"))
                .and_then(|v| v.trim().parse().ok())
                .unwrap_or(0);
            if buf.len() >= end + 4 + len {
                return Ok(buf);
            }
        }
        let n = stream.read(&mut chunk).await?;
        if n == 0 {
            return Ok(buf);
        }
        buf.extend_from_slice(&chunk[..n]);
    }
}

/// A real `redis-server` on a free port of 127.0.0.1, in a temporary directory, stopped when
/// dropped. Tests that need one fail — saying how to install it — when `redis-server` is not
/// there: they must not pass without having run.
#[derive(Debug)]
pub struct RedisServer {
    pub port: u16,
    dir: PathBuf,
    child: Option<std::process::Child>,
}

impl RedisServer {
    /// Starts a server and waits until it answers `PING`.
    pub fn start() -> RedisServer {
        let port = std::net::TcpListener::bind("127.0.0.1:0").and_then(|l| l.local_addr()).expect("a free port").port();
        let dir = std::env::temp_dir().join(format!("slack-api-redis-{}-{port}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("a temporary directory for redis-server");
        let mut server = RedisServer { port, dir, child: None };
        server.restart();
        server
    }

    /// `redis://127.0.0.1:<port>/`.
    pub fn url(&self) -> String {
        format!("redis://127.0.0.1:{}/", self.port)
    }

    /// Kills the server (as a crash would: no shutdown, no save).
    pub fn kill(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }

    /// Starts the server again on the same port (empty: nothing was saved).
    pub fn restart(&mut self) {
        self.kill();
        let child = std::process::Command::new("redis-server")
            .args(["--port", &self.port.to_string(), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"])
            .arg("--dir")
            .arg(&self.dir)
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap_or_else(|e| {
                panic!(
                    "cannot start redis-server ({e}): these tests need a real Redis. Run the tests with \
                     `cargo xtask test`, which installs it, or install it yourself: `apt-get install -y redis-server`"
                )
            });
        self.child = Some(child);
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
        loop {
            if self.ping() {
                return;
            }
            assert!(std::time::Instant::now() < deadline, "redis-server on port {} did not answer PING within 10 s", self.port);
            std::thread::sleep(std::time::Duration::from_millis(20));
        }
    }

    /// Whether the server answers `PING`.
    pub fn ping(&self) -> bool {
        use std::io::{Read, Write};
        let Ok(mut s) = std::net::TcpStream::connect(("127.0.0.1", self.port)) else { return false };
        let _ = s.set_read_timeout(Some(std::time::Duration::from_millis(500)));
        let mut buf = [0u8; 7];
        s.write_all(b"PING\r\n").is_ok() && s.read_exact(&mut buf).is_ok() && &buf == b"+PONG\r\n"
    }

    /// Runs one command (inline protocol) and returns the raw reply.
    pub fn command(&self, cmd: &str) -> String {
        use std::io::{Read, Write};
        let mut s = std::net::TcpStream::connect(("127.0.0.1", self.port)).expect("connect to redis-server");
        let _ = s.set_read_timeout(Some(std::time::Duration::from_millis(500)));
        s.write_all(format!("{cmd}\r\n").as_bytes()).expect("write to redis-server");
        let mut buf = vec![0u8; 4096];
        let n = s.read(&mut buf).unwrap_or(0);
        String::from_utf8_lossy(&buf[..n]).into_owned()
    }
}

impl Drop for RedisServer {
    fn drop(&mut self) {
        self.kill();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// A real PostgreSQL server on a free port of 127.0.0.1, in a cluster of its own in a
/// temporary directory (initdb, trust authentication for `postgres`), stopped and removed when
/// dropped. Run as the `postgres` user when the tests run as root (PostgreSQL refuses root).
/// Tests that need one fail — saying how to install it — when PostgreSQL's server is not
/// there: they must not pass without having run.
#[derive(Debug)]
pub struct PostgresServer {
    pub port: u16,
    dir: PathBuf,
    bin: PathBuf,
    child: Option<std::process::Child>,
}

impl PostgresServer {
    /// Where `initdb` and `postgres` are: on `PATH`, or Debian's `/usr/lib/postgresql/<v>/bin`.
    fn bin_dir() -> Option<PathBuf> {
        let mut versions: Vec<PathBuf> = std::fs::read_dir("/usr/lib/postgresql")
            .into_iter()
            .flatten()
            .flatten()
            .map(|e| e.path().join("bin"))
            .filter(|p| p.join("initdb").exists())
            .collect();
        versions.sort();
        versions.pop().or_else(|| {
            std::env::var_os("PATH")
                .and_then(|path| std::env::split_paths(&path).find(|p| p.join("initdb").exists() && p.join("postgres").exists()))
        })
    }

    /// `cmd` as the `postgres` user when running as root.
    fn command(&self, program: &str) -> std::process::Command {
        let exe = self.bin.join(program);
        if is_root() {
            let mut c = std::process::Command::new("runuser");
            c.args(["-u", "postgres", "--"]).arg(exe);
            c
        } else {
            std::process::Command::new(exe)
        }
    }

    /// Creates a cluster and starts the server; waits until it accepts connections.
    pub fn start() -> PostgresServer {
        let bin = Self::bin_dir().unwrap_or_else(|| {
            panic!(
                "PostgreSQL's server (initdb, postgres) is not installed: these tests need a real PostgreSQL. Run the \
                 tests with `cargo xtask test`, which installs it, or install it yourself: `apt-get install -y postgresql`"
            )
        });
        let port = std::net::TcpListener::bind("127.0.0.1:0").and_then(|l| l.local_addr()).expect("a free port").port();
        let dir = std::env::temp_dir().join(format!("slack-api-pg-{}-{port}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("a temporary directory for PostgreSQL");
        let mut server = PostgresServer { port, dir, bin, child: None };
        if is_root() {
            let ok = std::process::Command::new("chown").arg("postgres:").arg(&server.dir).status().is_ok_and(|s| s.success());
            assert!(ok, "cannot hand {} to the postgres user (chown)", server.dir.display());
        }
        let out = server
            .command("initdb")
            .arg("-D")
            .arg(server.dir.join("data"))
            .args(["-U", "postgres", "-A", "trust", "-E", "UTF8", "--no-sync", "--no-instructions"])
            .output()
            .unwrap_or_else(|e| panic!("cannot run initdb ({e}); install PostgreSQL: `apt-get install -y postgresql`"));
        assert!(out.status.success(), "initdb failed: {}", String::from_utf8_lossy(&out.stderr));
        server.restart();
        server
    }

    /// `postgres://postgres@127.0.0.1:<port>/postgres`.
    pub fn url(&self) -> String {
        format!("postgres://postgres@127.0.0.1:{}/postgres", self.port)
    }

    /// Stops the server at once (an immediate shutdown: no checkpoint, clients cut off).
    pub fn kill(&mut self) {
        let Some(mut child) = self.child.take() else { return };
        // The postmaster may run under `runuser`: signal it by its own pid.
        let pid_file = self.dir.join("data").join("postmaster.pid");
        if let Some(pid) = std::fs::read_to_string(&pid_file).ok().and_then(|t| t.lines().next().map(str::to_owned)) {
            let _ = std::process::Command::new("kill").args(["-QUIT", pid.trim()]).status();
        }
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
        while pid_file.exists() && std::time::Instant::now() < deadline {
            std::thread::sleep(std::time::Duration::from_millis(20));
        }
        let _ = child.kill();
        let _ = child.wait();
    }

    /// Starts the server (again) on the same port, with what it had stored.
    pub fn restart(&mut self) {
        self.kill();
        let _ = std::fs::remove_file(self.dir.join("data").join("postmaster.pid"));
        let child = self
            .command("postgres")
            .arg("-D")
            .arg(self.dir.join("data"))
            .args(["-p", &self.port.to_string(), "-c", "listen_addresses=127.0.0.1", "-c", "fsync=off"])
            .arg("-k")
            .arg(&self.dir)
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start postgres ({e})"));
        self.child = Some(child);
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
        loop {
            let ready = std::process::Command::new(self.bin.join("pg_isready"))
                .args(["-q", "-h", "127.0.0.1", "-p", &self.port.to_string()])
                .status()
                .is_ok_and(|s| s.success());
            if ready {
                return;
            }
            assert!(std::time::Instant::now() < deadline, "PostgreSQL on port {} did not accept connections within 20 s", self.port);
            std::thread::sleep(std::time::Duration::from_millis(50));
        }
    }
}

impl Drop for PostgresServer {
    fn drop(&mut self) {
        self.kill();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

fn is_root() -> bool {
    std::process::Command::new("id").arg("-u").output().is_ok_and(|o| o.stdout.trim_ascii() == b"0")
}
