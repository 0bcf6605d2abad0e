//! `cargo xtask <command>`: the project's own tooling. Thin: argument parsing and calls into
//! `codegen`.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

const USAGE: &str = "\
usage: cargo xtask <command>

commands:
  codegen [--check]   regenerate slack-api from spec/ (--check: fail if the committed files differ)
  test [ARGS...]      install what the tests need when it is missing (redis-server, postgresql, via apt-get),
                      then run `cargo test --workspace ARGS...`
  coverage            typing coverage over the example answers in ../shared/slack-docs: the share of
                      JSON leaves that land in typed fields, per method and overall, and the
                      largest untyped sites (runs the `coverage` test with the full table)
  fetch-docs --out DIR [--base-url URL] [--concurrency N]
                      download Slack's method index and every method's reference JSON into DIR
  import --from DIR [--methods a,b,...] [--check] [--report FILE] [--allow-removal]
                      turn Slack's reference JSON in DIR (methods.json + <method>.json) into
                      spec/methods/, applying spec/corrections/, and print the API change report
                      (--check: fail if spec/ differs; --report: also write the report to FILE;
                      --allow-removal: let it remove more than a tenth of the methods); fails when
                      hand-written code uses a method or field the update removes
  import-blocks --schema FILE [--check]
                      write what a JSON Schema compilation of Slack's Block Kit reference (e.g.
                      ../shared/block-kit/slack-block-kit.schema.json) says into spec/blocks/:
                      types, fields, their types, required flags and limits, applying
                      spec/corrections/blocks/ and keeping descriptions and other hand-kept keys;
                      prints the change summary, redundant corrections and what needs a
                      description (--check: fail if spec/blocks/ differs)
  check-blocks --schema FILE
                      compare spec/blocks/ with what import-blocks would write from FILE; prints
                      each difference
  import-examples --from DIR [--check]
                      write each method's first successful example answer in Slack's reference
                      JSON in DIR into spec/examples/<method>.json (the test kit's default answers)
  import-events --from DIR [--check]
                      turn Slack's event reference JSON in DIR (<event>.json) into spec/events/,
                      applying spec/corrections/events/, and print the events change report
  doc-links DIR       check that every relative link of the rustdoc pages under DIR (e.g.
                      target/doc/slack_api) names a file that exists
  spec-diff FROM [TO] API change report (Markdown, methods, events, then Block Kit) between two spec trees; each is a git revision
                      or a directory (a spec/ or spec/methods/ one); TO defaults to the working tree
";

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("xtask lives one level below the root").to_path_buf()
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    match args.as_slice() {
        ["codegen"] => codegen(false),
        ["codegen", "--check"] => codegen(true),
        ["import", rest @ ..] => import(rest),
        ["import-events", rest @ ..] => import_events(rest),
        ["import-examples", "--from", dir, rest @ ..] if rest.len() <= 1 && rest.iter().all(|a| *a == "--check") => {
            import_examples(Path::new(dir), !rest.is_empty())
        }
        ["test", rest @ ..] => test(rest),
        ["coverage"] => coverage(),
        ["fetch-docs", rest @ ..] => fetch_docs(rest),
        ["check-blocks", "--schema", file] => check_blocks(Path::new(file)),
        ["import-blocks", "--schema", file] => import_blocks(Path::new(file), false),
        ["import-blocks", "--schema", file, "--check"] | ["import-blocks", "--check", "--schema", file] => {
            import_blocks(Path::new(file), true)
        }
        ["doc-links", dir] => doc_links(Path::new(dir)),
        ["spec-diff", from] => spec_diff(from, None),
        ["spec-diff", from, to] => spec_diff(from, Some(to)),
        ["help" | "--help" | "-h"] => {
            print!("{USAGE}");
            ExitCode::SUCCESS
        }
        _ => {
            eprint!("{USAGE}");
            ExitCode::from(2)
        }
    }
}

fn doc_links(dir: &Path) -> ExitCode {
    match xtask::doc_links::check(dir) {
        Ok((broken, checked)) if broken.is_empty() => {
            println!("doc-links: {checked} relative links under {}, none broken", dir.display());
            ExitCode::SUCCESS
        }
        Ok((broken, checked)) => {
            for b in &broken {
                eprintln!("{}: broken link `{}`", b.page.display(), b.href);
            }
            eprintln!("doc-links: {} of {checked} relative links broken", broken.len());
            ExitCode::FAILURE
        }
        Err(e) => {
            eprintln!("doc-links: cannot read {}: {e}", dir.display());
            ExitCode::FAILURE
        }
    }
}

fn codegen(check: bool) -> ExitCode {
    let start = Instant::now();
    match codegen::run(&root(), check) {
        Ok(report) => {
            print!("{report}");
            let elapsed = start.elapsed();
            if report.is_fresh() {
                eprintln!(
                    "codegen: {} file(s) {} in {:.0?}",
                    report.unchanged + report.written.len(),
                    if check { "up to date" } else { "in place" },
                    elapsed
                );
                ExitCode::SUCCESS
            } else {
                eprintln!("codegen --check: the generated code is not what spec/ produces");
                ExitCode::FAILURE
            }
        }
        Err(e) => {
            eprintln!("{e}");
            ExitCode::FAILURE
        }
    }
}

/// Prints a write-or-check report; fails when it is not fresh.
/// `spec/examples/` from Slack's reference data in `dir`, for the spec's methods.
fn import_examples(dir: &Path, check: bool) -> ExitCode {
    let root = root();
    let result = codegen::load_api(&root).and_then(|api| {
        let names: Vec<&str> = api.methods().map(|m| m.wire_name.as_str()).collect();
        codegen::import::examples::import_examples(&root, dir, &names, check).map_err(codegen::Error::Other)
    });
    report_only(result)
}

fn report_only(result: Result<codegen::Report, codegen::Error>) -> ExitCode {
    match result {
        Ok(report) => {
            eprint!("{report}");
            if report.is_fresh() { ExitCode::SUCCESS } else { ExitCode::FAILURE }
        }
        Err(e) => {
            eprintln!("{e}");
            ExitCode::FAILURE
        }
    }
}

fn import_events(args: &[&str]) -> ExitCode {
    let (from, check) = match args {
        ["--from", dir] => (PathBuf::from(dir), false),
        ["--from", dir, "--check"] | ["--check", "--from", dir] => (PathBuf::from(dir), true),
        _ => {
            eprint!("{USAGE}");
            return ExitCode::from(2);
        }
    };
    match codegen::import::events::import_tree(&root(), &from, check) {
        Ok((report, changes)) => {
            print!("{}", codegen::import::events::markdown(&changes));
            eprint!("{report}");
            if report.is_fresh() { ExitCode::SUCCESS } else { ExitCode::FAILURE }
        }
        Err(problems) => {
            for p in problems {
                eprintln!("error: {p}");
            }
            ExitCode::FAILURE
        }
    }
}

/// The tests of several replicas run against a real `redis-server`, and the installation store's
/// against a real PostgreSQL (each test starts its own server on a free port); both come from
/// Debian's packages. Installed here, once, so that the README's test command works on a fresh
/// machine.
fn test(args: &[&str]) -> ExitCode {
    let have = |cmd: &str| {
        std::process::Command::new(cmd).arg("--version").output().is_ok_and(|o| o.status.success())
    };
    // PostgreSQL's server: Debian puts initdb and postgres under /usr/lib/postgresql/<v>/bin.
    let have_postgres = std::fs::read_dir("/usr/lib/postgresql")
        .into_iter()
        .flatten()
        .flatten()
        .any(|v| v.path().join("bin/initdb").exists())
        || have("initdb");
    let mut missing = Vec::new();
    if !have("redis-server") {
        missing.push("redis-server");
    }
    if !have_postgres {
        missing.push("postgresql");
    }
    if !missing.is_empty() {
        eprintln!("test: {} missing; installing (apt-get install -y {})", missing.join(" and "), missing.join(" "));
        let sudo = if have("sudo") && !is_root() { vec!["sudo"] } else { Vec::new() };
        let install: Vec<&str> = ["apt-get", "install", "-y", "-q", "--no-install-recommends"].into_iter().chain(missing.iter().copied()).collect();
        for step in [&["apt-get", "update", "-q"][..], &install[..]] {
            let argv: Vec<&str> = sudo.iter().copied().chain(step.iter().copied()).collect();
            let ok = std::process::Command::new(argv[0])
                .args(&argv[1..])
                .env("DEBIAN_FRONTEND", "noninteractive")
                .status()
                .is_ok_and(|s| s.success());
            if !ok {
                eprintln!(
                    "test: `{}` failed; install {} yourself (the Redis and PostgreSQL tests fail without them)",
                    argv.join(" "),
                    missing.join(" and ")
                );
                return ExitCode::FAILURE;
            }
        }
    }
    let status = std::process::Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
        .current_dir(root())
        .args(["test", "--workspace"])
        .args(args)
        .status();
    match status {
        Ok(s) if s.success() => ExitCode::SUCCESS,
        Ok(_) => ExitCode::FAILURE,
        Err(e) => {
            eprintln!("test: cannot run cargo: {e}");
            ExitCode::FAILURE
        }
    }
}

fn coverage() -> ExitCode {
    let status = std::process::Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
        .current_dir(root())
        .args(["test", "-p", "slack-api-tests", "--test", "coverage", "--", "--nocapture", "example_answers"])
        .env("SLACK_API_COVERAGE_FULL", "1")
        .status();
    match status {
        Ok(s) if s.success() => ExitCode::SUCCESS,
        Ok(_) => ExitCode::FAILURE,
        Err(e) => {
            eprintln!("coverage: cannot run cargo: {e}");
            ExitCode::FAILURE
        }
    }
}

fn is_root() -> bool {
    std::process::Command::new("id").arg("-u").output().is_ok_and(|o| o.stdout.starts_with(b"0"))
}

fn check_blocks(schema: &Path) -> ExitCode {
    match codegen::import::blocks_check::check(&root(), schema) {
        Ok(report) => {
            for p in &report.problems {
                println!("{p}");
            }
            for r in &report.redundant {
                eprintln!("redundant correction: {r}");
            }
            eprintln!("check-blocks: {} schema field(s) compared, {} difference(s)", report.compared, report.problems.len());
            if report.problems.is_empty() { ExitCode::SUCCESS } else { ExitCode::FAILURE }
        }
        Err(problems) => {
            for p in problems {
                eprintln!("error: {p}");
            }
            ExitCode::FAILURE
        }
    }
}

fn import_blocks(schema: &Path, check: bool) -> ExitCode {
    match codegen::import::blocks::import_tree(&root(), schema, check) {
        Ok((report, changes, imported)) => {
            print!("{}", codegen::import::blocks::markdown(&changes));
            for r in &imported.redundant {
                println!("redundant correction: {r}");
            }
            if !imported.needs_description.is_empty() {
                println!("needs a description (`from_schema: true`): {}", imported.needs_description.join(", "));
            }
            eprint!("{report}");
            eprintln!(
                "import-blocks: {} type(s) from the schema, {} hand-only, {} schema field(s)",
                imported.from_schema.len(),
                imported.types.len() - imported.from_schema.len(),
                imported.schema_fields
            );
            if report.is_fresh() { ExitCode::SUCCESS } else { ExitCode::FAILURE }
        }
        Err(problems) => {
            for p in problems {
                eprintln!("error: {p}");
            }
            ExitCode::FAILURE
        }
    }
}

fn import(args: &[&str]) -> ExitCode {
    let mut from = None;
    let mut only = None;
    let mut check = false;
    let mut report_file = None;
    let mut allow_removal = false;
    let mut it = args.iter();
    while let Some(a) = it.next() {
        match *a {
            "--from" => from = it.next().map(PathBuf::from),
            "--allow-removal" => allow_removal = true,
            "--methods" => only = it.next().map(|m| m.split(',').map(str::to_owned).collect::<Vec<_>>()),
            "--check" => check = true,
            "--report" => report_file = it.next().map(PathBuf::from),
            other => {
                eprintln!("import: unexpected argument `{other}`\n{USAGE}");
                return ExitCode::from(2);
            }
        }
    }
    let Some(from) = from else {
        eprintln!("import: --from DIR is required\n{USAGE}");
        return ExitCode::from(2);
    };
    let start = Instant::now();
    match codegen::import::import_tree_with(&root(), &from, only.as_deref(), check, allow_removal) {
        Ok((report, changes)) => {
            let markdown = codegen::import::report::markdown(&changes);
            print!("{markdown}");
            if let Some(path) = report_file {
                if let Err(e) = std::fs::write(&path, &markdown) {
                    eprintln!("error: {}: {e}", path.display());
                    return ExitCode::FAILURE;
                }
            }
            eprint!("{report}");
            eprintln!(
                "import: {} spec file(s) checked in {:.0?}",
                report.unchanged + report.written.len() + report.stale.len() + report.missing.len(),
                start.elapsed()
            );
            if !changes.runtime_uses.is_empty() {
                eprintln!(
                    "import: hand-written code uses {} thing(s) this update removes (listed under \"Breaking for callers\"); fix it, then build",
                    changes.runtime_uses.len()
                );
                return ExitCode::FAILURE;
            }
            if report.is_fresh() { ExitCode::SUCCESS } else { ExitCode::FAILURE }
        }
        Err(problems) => {
            for p in problems {
                eprintln!("error: {p}");
            }
            ExitCode::FAILURE
        }
    }
}

fn fetch_docs(args: &[&str]) -> ExitCode {
    let mut out = None;
    let mut opts = xtask::fetch::Options::new("");
    let mut it = args.iter();
    while let Some(a) = it.next() {
        match (*a, it.clone().next()) {
            ("--out", Some(v)) => out = Some(PathBuf::from(v)),
            ("--base-url", Some(v)) => opts.base_url = (*v).to_owned(),
            ("--concurrency", Some(v)) => match v.parse() {
                Ok(n) if n > 0 => opts.concurrency = n,
                _ => {
                    eprintln!("fetch-docs: --concurrency takes a positive number, not `{v}`");
                    return ExitCode::from(2);
                }
            },
            (other, _) => {
                eprintln!("fetch-docs: unexpected argument `{other}`\n{USAGE}");
                return ExitCode::from(2);
            }
        }
        it.next();
    }
    let Some(out) = out else {
        eprintln!("fetch-docs: --out DIR is required\n{USAGE}");
        return ExitCode::from(2);
    };
    opts.out = out;
    opts.progress = std::io::IsTerminal::is_terminal(&std::io::stderr());
    let start = Instant::now();
    match xtask::fetch::fetch_docs(&opts) {
        Ok(r) => {
            eprintln!(
                "fetch-docs: {} methods, {} KiB, {} retried request(s), in {:.1?} into {}",
                r.methods,
                r.bytes / 1024,
                r.retries,
                start.elapsed(),
                opts.out.display()
            );
            for f in r.removed {
                eprintln!("removed {f}: no longer in the index");
            }
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

/// A spec tree named on the command line: a directory, or a git revision.
fn methods_of(what: &str) -> Result<codegen::import::report::Methods, String> {
    let p = Path::new(what);
    if p.is_dir() {
        let dir = if p.join("methods").is_dir() { p.join("methods") } else { p.to_path_buf() };
        return codegen::import::report::read_methods_dir(&dir)
            .map_err(|e| e.iter().map(ToString::to_string).collect::<Vec<_>>().join("\n"));
    }
    codegen::import::report::read_methods_at_rev(&root(), what)
}

/// The events of a spec tree (a `spec/` directory, whose `events/` is read) or a git revision.
fn events_of(what: &str) -> Result<std::collections::BTreeMap<String, codegen::spec::events::EventSpec>, String> {
    let p = Path::new(what);
    if p.is_dir() {
        let dir = if p.ends_with("methods") { p.parent().unwrap_or(p).join("events") } else { p.join("events") };
        return codegen::import::events::read_events_dir(&dir)
            .map_err(|e| e.iter().map(ToString::to_string).collect::<Vec<_>>().join("\n"));
    }
    codegen::import::events::read_events_at_rev(&root(), what)
}

/// The Block Kit types of a spec tree (a `spec/` directory, whose `blocks/` is read) or a git revision.
fn blocks_of(what: &str) -> Result<std::collections::BTreeMap<String, codegen::spec::blocks::KitSpec>, String> {
    let p = Path::new(what);
    if p.is_dir() {
        let spec = if p.ends_with("methods") { p.parent().unwrap_or(p) } else { p };
        return codegen::import::blocks::read_blocks_dir(spec, spec).map_err(|e| e.join("\n"));
    }
    codegen::import::blocks::read_blocks_at_rev(&root(), what)
}

fn spec_diff(from: &str, to: Option<&str>) -> ExitCode {
    let root_spec = root().join("spec");
    let to_name = to.map(str::to_owned).unwrap_or_else(|| root_spec.display().to_string());
    match (methods_of(from), methods_of(&to_name)) {
        (Ok(a), Ok(b)) => {
            let mut changes = codegen::import::report::diff(&a, &b);
            changes.runtime_uses = codegen::import::report::runtime_uses(&root(), &changes);
            print!("{}", codegen::import::report::markdown(&changes));
            match (events_of(from), events_of(&to_name)) {
                (Ok(a), Ok(b)) => {
                    print!("\n{}", codegen::import::events::markdown(&codegen::import::events::diff(&a, &b)));
                    match (blocks_of(from), blocks_of(&to_name)) {
                        (Ok(a), Ok(b)) => {
                            print!("\n{}", codegen::import::blocks::markdown(&codegen::import::blocks::diff(&a, &b)));
                            ExitCode::SUCCESS
                        }
                        (Err(e), _) | (_, Err(e)) => {
                            eprintln!("error: {e}");
                            ExitCode::FAILURE
                        }
                    }
                }
                (Err(e), _) | (_, Err(e)) => {
                    eprintln!("error: {e}");
                    ExitCode::FAILURE
                }
            }
        }
        (Err(e), _) | (_, Err(e)) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}
