//! `cargo xtask fetch-docs` against a server on 127.0.0.1: the real snapshot (when `../shared`
//! exists) fetched and re-imported into exactly the committed spec; retries of transient
//! failures; every failing method named and nothing written.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use slack_api_tests::{MockServer, Recorded, Reply, repo_root, shared_or_skip};
use xtask::fetch::{Error, Options, fetch_docs};

fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("slack-api-fetch-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    dir
}

/// Serves `docs` (a directory of `methods.json` and `<method>.json`) under `/reference/`.
fn serve_dir(server: &MockServer, docs: PathBuf) {
    server.set_handler(move |r: &Recorded| {
        let file = match r.path.strip_prefix("/reference/") {
            Some("methods.json") => docs.join("methods.json"),
            Some(rest) => docs.join(rest.strip_prefix("methods/")?),
            None => return None,
        };
        Some(match std::fs::read(&file) {
            Ok(body) => Reply::Full { status: 200, content_type: "application/json".into(), body },
            Err(_) => Reply::status(404, "text/plain", "not found"),
        })
    });
}

fn options(server: &MockServer, out: &Path) -> Options {
    let mut o = Options::new(out);
    o.base_url = server.base_url().replace("/api/", "/reference/");
    o.backoff = Duration::from_millis(5);
    o.attempts = 3;
    o
}

async fn run(opts: Options) -> Result<xtask::fetch::Report, Error> {
    tokio::task::spawn_blocking(move || fetch_docs(&opts)).await.unwrap()
}

#[tokio::test]
#[cfg_attr(no_shared, ignore = "needs ../shared (Slack's docs snapshot and seed pages) beside the repository")]
#[cfg_attr(
    other_snapshot,
    ignore = "../shared holds another docs snapshot than the one spec/ was imported from (spec/docs-snapshot.txt)"
)]
async fn fetching_the_snapshot_and_importing_it_reproduces_the_spec() {
    let Some(shared) = shared_or_skip("fetching_the_snapshot_and_importing_it_reproduces_the_spec") else { return };
    let docs = shared.join("slack-docs/methods");
    let server = MockServer::start().await;
    serve_dir(&server, docs.clone());
    let out = temp_dir("snapshot");
    let methods = codegen::import::index_names(&docs).unwrap().len();
    let report = run(options(&server, &out)).await.unwrap();
    assert_eq!(report.methods, methods);
    assert_eq!(report.retries, 0);
    assert_eq!(server.take().len(), methods + 1, "the index and one request per method");
    for entry in std::fs::read_dir(&docs).unwrap() {
        let p = entry.unwrap().path();
        let fetched = std::fs::read(out.join(p.file_name().unwrap())).unwrap();
        assert_eq!(fetched, std::fs::read(&p).unwrap(), "{} differs", p.display());
    }
    let (spec, changes) = codegen::import::import_tree(&repo_root(), &out, None, true).unwrap();
    assert!(spec.is_fresh() && changes.is_empty(), "{spec}\n{}", codegen::report::markdown(&changes));
    std::fs::remove_dir_all(&out).unwrap();
}

/// Three tiny methods, written to a directory.
fn synthetic_docs(name: &str) -> PathBuf {
    let dir = temp_dir(name);
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        dir.join("methods.json"),
        r#"[{"name":"a.one","description":"A","family":["a"]},{"name":"b.two","description":"B","family":["b"]},{"name":"c.three","description":"C","family":["c"]}]"#,
    )
    .unwrap();
    for m in ["a.one", "b.two", "c.three"] {
        std::fs::write(dir.join(format!("{m}.json")), format!(r#"{{"desc":"{m}","http_method":"POST"}}"#)).unwrap();
    }
    dir
}

#[tokio::test]
async fn transient_failures_are_retried() {
    let docs = synthetic_docs("flaky-docs");
    let server = MockServer::start().await;
    // b.two: two 503s; c.three: one dropped connection, then a 429; then both succeed.
    let seen: Arc<Mutex<HashMap<String, usize>>> = Arc::default();
    let inner = docs.clone();
    server.set_handler(move |r: &Recorded| {
        let n = {
            let mut seen = seen.lock().unwrap();
            let n = seen.entry(r.path.clone()).or_insert(0);
            *n += 1;
            *n
        };
        match (r.path.as_str(), n) {
            ("/reference/methods/b.two.json", 1 | 2) => Some(Reply::status(503, "text/html", "<h1>busy</h1>")),
            ("/reference/methods/c.three.json", 1) => Some(Reply::Hangup),
            ("/reference/methods/c.three.json", 2) => Some(Reply::status(429, "text/plain", "slow down")),
            (p, _) => {
                let f = if p.ends_with("/methods.json") { inner.join("methods.json") } else { inner.join(p.rsplit('/').next()?) };
                Some(Reply::Full { status: 200, content_type: "application/json".into(), body: std::fs::read(f).ok()? })
            }
        }
    });
    let out = temp_dir("flaky-out");
    let report = run(options(&server, &out)).await.unwrap();
    assert_eq!((report.methods, report.retries), (3, 4));
    assert_eq!(server.take().len(), 1 + 3 + 4);
    for m in ["a.one", "b.two", "c.three", "methods"] {
        let name = format!("{m}.json");
        assert_eq!(std::fs::read(out.join(&name)).unwrap(), std::fs::read(docs.join(&name)).unwrap());
    }
    let leftovers: Vec<_> = std::fs::read_dir(&out).unwrap().flatten().filter(|e| e.path().extension().is_some_and(|x| x == "partial")).collect();
    assert!(leftovers.is_empty());
    std::fs::remove_dir_all(&out).unwrap();
    std::fs::remove_dir_all(&docs).unwrap();
}

#[tokio::test]
async fn every_failing_method_is_named_and_nothing_is_written() {
    let docs = synthetic_docs("failing-docs");
    let server = MockServer::start().await;
    serve_dir(&server, docs.clone());
    std::fs::remove_file(docs.join("a.one.json")).unwrap(); // → 404, not retried
    std::fs::write(docs.join("c.three.json"), "<html>maintenance</html>").unwrap(); // not JSON
    let out = temp_dir("failing-out");
    std::fs::create_dir_all(&out).unwrap();
    std::fs::write(out.join("b.two.json"), "previous").unwrap();
    let err = run(options(&server, &out)).await.unwrap_err();
    let Error::Methods(failed) = &err else { panic!("{err}") };
    assert_eq!(failed.len(), 2, "{err}");
    assert_eq!(failed[0].0, "a.one");
    assert!(failed[0].1.starts_with("HTTP 404"), "{}", failed[0].1);
    assert_eq!(failed[1].0, "c.three");
    assert!(failed[1].1.contains("not JSON") && failed[1].1.contains("after 3 attempts"), "{}", failed[1].1);
    let shown = err.to_string();
    assert!(shown.contains("2 method(s) could not be fetched; nothing was written") && shown.contains("  a.one: HTTP 404"), "{shown}");
    // Nothing was written: the old file is untouched and nothing new appeared.
    let names: Vec<String> = std::fs::read_dir(&out).unwrap().flatten().map(|e| e.file_name().to_string_lossy().into_owned()).collect();
    assert_eq!(names, ["b.two.json"]);
    assert_eq!(std::fs::read_to_string(out.join("b.two.json")).unwrap(), "previous");
    std::fs::remove_dir_all(&out).unwrap();
    std::fs::remove_dir_all(&docs).unwrap();
}

#[tokio::test]
async fn a_broken_index_is_a_clear_error() {
    let server = MockServer::start().await;
    server.set_handler(|_: &Recorded| Some(Reply::json(r#"[{"name":"../../etc/passwd"}]"#)));
    let out = temp_dir("bad-index");
    let err = run(options(&server, &out)).await.unwrap_err();
    assert_eq!(err, Error::Index(r#"entry 0 has an unexpected name "../../etc/passwd""#.into()));
    assert!(!out.exists());
}
