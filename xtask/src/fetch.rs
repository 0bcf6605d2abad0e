//! `cargo xtask fetch-docs`: download Slack's method index and every method's reference JSON.
//!
//! Bounded concurrency, retries with exponential backoff (honouring `Retry-After`), a progress
//! line, every failure named, and no half-written files: nothing is written unless every
//! download succeeded, and each file is written to a temporary name and renamed into place.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicU32, AtomicUsize, Ordering};
use std::time::Duration;

/// Where Slack serves its reference data.
pub const DEFAULT_BASE_URL: &str = "https://docs.slack.dev/reference/";

#[derive(Debug, Clone)]
pub struct Options {
    /// `…/reference/`: the index is `methods.json` below it, each method `methods/<name>.json`.
    pub base_url: String,
    pub out: PathBuf,
    /// Downloads in flight at once.
    pub concurrency: usize,
    /// Tries per file, the first included.
    pub attempts: u32,
    /// Wait before the first retry; doubled for each further one.
    pub backoff: Duration,
    /// Print a progress line to stderr.
    pub progress: bool,
}

impl Options {
    pub fn new(out: impl Into<PathBuf>) -> Self {
        Options {
            base_url: DEFAULT_BASE_URL.into(),
            out: out.into(),
            concurrency: 8,
            attempts: 4,
            backoff: Duration::from_millis(500),
            progress: false,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Report {
    /// Method files written.
    pub methods: usize,
    pub bytes: u64,
    /// Requests that were retried.
    pub retries: u32,
    /// Files in the output directory for methods the index no longer lists, removed.
    pub removed: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Error {
    /// The index could not be fetched or read.
    Index(String),
    /// These methods could not be fetched (name, why); nothing was written.
    Methods(Vec<(String, String)>),
    /// Writing the output failed.
    Write(String),
}

impl std::fmt::Display for Error {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Error::Index(e) => write!(f, "cannot fetch the method index: {e}"),
            Error::Methods(list) => {
                writeln!(f, "{} method(s) could not be fetched; nothing was written:", list.len())?;
                for (name, why) in list {
                    writeln!(f, "  {name}: {why}")?;
                }
                Ok(())
            }
            Error::Write(e) => write!(f, "cannot write the output: {e}"),
        }
    }
}

impl std::error::Error for Error {}

/// Fetches everything into `opts.out`.
pub fn fetch_docs(opts: &Options) -> Result<Report, Error> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| Error::Index(format!("cannot start the runtime: {e}")))?;
    runtime.block_on(fetch(opts))
}

async fn fetch(opts: &Options) -> Result<Report, Error> {
    let _ = rustls::crypto::ring::default_provider().install_default();
    let client = reqwest::Client::builder()
        .timeout(Duration::from_secs(60))
        .user_agent("slack-api-xtask fetch-docs")
        .build()
        .map_err(|e| Error::Index(e.to_string()))?;
    let base = if opts.base_url.ends_with('/') { opts.base_url.clone() } else { format!("{}/", opts.base_url) };
    let retries = Arc::new(AtomicU32::new(0));

    let index = get(&client, &format!("{base}methods.json"), opts, &retries).await.map_err(Error::Index)?;
    let names = index_names(&index).map_err(Error::Index)?;

    let semaphore = Arc::new(tokio::sync::Semaphore::new(opts.concurrency.max(1)));
    let done = Arc::new(AtomicUsize::new(0));
    let total = names.len();
    let mut tasks = tokio::task::JoinSet::new();
    for name in names.iter().cloned() {
        let (client, semaphore, done, retries) = (client.clone(), semaphore.clone(), done.clone(), retries.clone());
        let url = format!("{base}methods/{name}.json");
        let opts = opts.clone();
        tasks.spawn(async move {
            let _permit = semaphore.acquire_owned().await;
            let result = get(&client, &url, &opts, &retries).await;
            let n = done.fetch_add(1, Ordering::Relaxed) + 1;
            if opts.progress {
                progress(n, total);
            }
            (name, result)
        });
    }
    let mut fetched = Vec::with_capacity(total);
    let mut failed = Vec::new();
    while let Some(joined) = tasks.join_next().await {
        match joined {
            Ok((name, Ok(body))) => fetched.push((name, body)),
            Ok((name, Err(why))) => failed.push((name, why)),
            Err(e) => failed.push(("(task)".into(), e.to_string())),
        }
    }
    if opts.progress {
        eprintln!();
    }
    if !failed.is_empty() {
        failed.sort();
        return Err(Error::Methods(failed));
    }
    fetched.sort();
    write_all(&opts.out, &index, &fetched, &names).map(|removed| Report {
        methods: fetched.len(),
        bytes: fetched.iter().map(|(_, b)| b.len() as u64).sum::<u64>() + index.len() as u64,
        retries: retries.load(Ordering::Relaxed),
        removed,
    })
}

fn progress(n: usize, total: usize) {
    const WIDTH: usize = 30;
    let filled = n * WIDTH / total.max(1);
    eprint!("\rfetch-docs [{}{}] {n}/{total}", "#".repeat(filled), ".".repeat(WIDTH - filled));
}

/// Method names from the index, each checked to be a plain method name (it becomes a file name).
fn index_names(body: &[u8]) -> Result<Vec<String>, String> {
    let v: serde_json::Value = serde_json::from_slice(body).map_err(|e| format!("methods.json is not JSON: {e}"))?;
    let list = v.as_array().ok_or("methods.json is not an array")?;
    let mut names = Vec::with_capacity(list.len());
    for (i, m) in list.iter().enumerate() {
        let name = m.get("name").and_then(|n| n.as_str()).ok_or_else(|| format!("entry {i} has no name"))?;
        let plain = !name.is_empty()
            && name.split('.').all(|s| !s.is_empty() && s.chars().all(|c| c.is_ascii_alphanumeric() || c == '_'));
        if !plain {
            return Err(format!("entry {i} has an unexpected name {name:?}"));
        }
        names.push(name.to_owned());
    }
    Ok(names)
}

/// GET with retries. Retries transport failures, 429 and 5xx; any other status fails at once.
/// The body must be JSON (an HTML error page with status 200 is a failure too).
async fn get(client: &reqwest::Client, url: &str, opts: &Options, retries: &AtomicU32) -> Result<Vec<u8>, String> {
    let mut last = String::new();
    for attempt in 1..=opts.attempts.max(1) {
        if attempt > 1 {
            retries.fetch_add(1, Ordering::Relaxed);
        }
        let mut wait = opts.backoff * 2u32.saturating_pow(attempt - 1);
        match client.get(url).send().await {
            Ok(resp) => {
                let status = resp.status();
                let retry_after = resp
                    .headers()
                    .get(reqwest::header::RETRY_AFTER)
                    .and_then(|v| v.to_str().ok())
                    .and_then(|v| v.trim().parse::<u64>().ok());
                if status.is_success() {
                    match resp.bytes().await {
                        Ok(body) => match serde_json::from_slice::<serde_json::Value>(&body) {
                            Ok(_) => return Ok(body.to_vec()),
                            Err(e) => last = format!("the body is not JSON ({e})"),
                        },
                        Err(e) => last = format!("reading the body failed: {e}"),
                    }
                } else if status.as_u16() == 429 || status.is_server_error() {
                    last = format!("HTTP {status}");
                    if let Some(secs) = retry_after {
                        wait = wait.max(Duration::from_secs(secs.min(60)));
                    }
                } else {
                    return Err(format!("HTTP {status}"));
                }
            }
            Err(e) => last = format!("request failed: {e}"),
        }
        if attempt < opts.attempts {
            tokio::time::sleep(wait).await;
        }
    }
    Err(format!("{last} (after {} attempts)", opts.attempts.max(1)))
}

/// Writes every file under a temporary name, then renames them into place; removes `*.json`
/// files of methods the index no longer lists.
fn write_all(out: &Path, index: &[u8], fetched: &[(String, Vec<u8>)], names: &[String]) -> Result<Vec<String>, Error> {
    let err = |p: &Path, e: std::io::Error| Error::Write(format!("{}: {e}", p.display()));
    std::fs::create_dir_all(out).map_err(|e| err(out, e))?;
    let mut files: Vec<(PathBuf, &[u8])> =
        fetched.iter().map(|(n, b)| (out.join(format!("{n}.json")), b.as_slice())).collect();
    files.push((out.join("methods.json"), index));
    let tmp = |p: &Path| p.with_extension("json.partial");
    for (p, body) in &files {
        std::fs::write(tmp(p), body).map_err(|e| err(p, e))?;
    }
    for (p, _) in &files {
        std::fs::rename(tmp(p), p).map_err(|e| err(p, e))?;
    }
    let keep: BTreeSet<String> = names.iter().map(|n| format!("{n}.json")).chain(["methods.json".into()]).collect();
    let mut removed = Vec::new();
    for entry in std::fs::read_dir(out).map_err(|e| err(out, e))?.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        if name.ends_with(".json") && !keep.contains(&name) {
            std::fs::remove_file(entry.path()).map_err(|e| err(&entry.path(), e))?;
            removed.push(name);
        }
    }
    removed.sort();
    Ok(removed)
}
