//! The writer: the IR rendered into files by a pool of workers (each job emitted, parsed and
//! formatted), the `@generated` preamble, and write-or-check (rust-analyzer's
//! `ensure_file_contents`).

use std::collections::BTreeSet;
use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

use proc_macro2::TokenStream;

use crate::emit::{self, Runtime};
use crate::ir::blocks::KitTypeIr;
use crate::ir::{Api, Family, Method};
use crate::layout::DISPATCH;

/// A file the generator owns, relative to the repository root.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GeneratedFile {
    pub path: PathBuf,
    pub contents: String,
}

/// One piece of work for the render workers: a method's items (naming the runtime as its crate
/// does), a part of `block_kit.rs`, or a whole file.
enum Job<'a> {
    Method(&'a Method, Runtime),
    KitHead,
    Kit(&'a KitTypeIr),
    Whole { name: &'static str, source: &'static str, emit: fn(&Api) -> TokenStream },
}

impl Job<'_> {
    /// The job's text: a whole file with its preamble, or a part of a file without one.
    fn render(&self, api: &Api) -> Result<String, String> {
        match self {
            Job::Method(m, rt) => format_items(emit::method(m, *rt)),
            Job::KitHead => format_items(emit::blocks::head(&api.kit)),
            Job::Kit(t) => format_items(emit::blocks::type_items(&api.kit, t)),
            Job::Whole { source, emit, .. } => rust_file(emit(api), source),
        }
    }
}

/// The jobs of a render, in the order their texts are assembled: the whole files (with
/// `dispatch`, the tests' dispatch file last of them), then every method family by family,
/// then Block Kit, rendered a type at a time (it is as large as a dozen families).
struct Plan<'a> {
    jobs: Vec<Job<'a>>,
    wholes: usize,
    kit: usize,
}

impl<'a> Plan<'a> {
    fn new(api: &'a Api, dispatch: bool, methods_rt: Runtime) -> Self {
        let mut jobs: Vec<Job> = vec![
            Job::Whole { name: "mod.rs", source: "spec/", emit: emit::mod_file },
            Job::Whole { name: "common_errors.rs", source: "spec/common-errors.yaml", emit: emit::common_errors_file },
        ];
        if !api.objects.is_empty() {
            jobs.push(Job::Whole { name: "objects.rs", source: "spec/objects/", emit: emit::objects_file });
        }
        if !api.events.is_empty() {
            jobs.push(Job::Whole { name: "event_types.rs", source: "spec/events/", emit: emit::events::events_file });
        }
        if !api.interactions.is_empty() {
            jobs.push(Job::Whole { name: "interaction_types.rs", source: "spec/interactions/", emit: emit::interactions::interactions_file });
        }
        if dispatch {
            jobs.push(Job::Whole { name: DISPATCH, source: "spec/", emit: emit::dispatch_file });
        }
        let wholes = jobs.len();
        jobs.extend(api.methods().map(|m| Job::Method(m, methods_rt)));
        let kit = if api.kit.types.is_empty() { 0 } else { 1 + api.kit.types.len() };
        if kit > 0 {
            jobs.push(Job::KitHead);
            jobs.extend(api.kit.types.iter().map(Job::Kit));
        }
        Plan { jobs, wholes, kit }
    }
}

/// `work` applied to every item on a pool of one worker per core, the results in the items'
/// order; `None` where a worker panicked.
///
/// Items are taken from a shared counter, so a slow one holds up only its own worker. The
/// results need only be `Send`: a token stream is not, so a render job hands back text.
fn in_parallel<T: Sync, R: Send>(items: &[T], work: impl Fn(&T) -> R + Sync) -> Vec<Option<R>> {
    let next = AtomicUsize::new(0);
    let workers = std::thread::available_parallelism().map_or(1, |n| n.get()).clamp(1, items.len().max(1));
    let mut results: Vec<Option<R>> = (0..items.len()).map(|_| None).collect();
    std::thread::scope(|scope| {
        let handles: Vec<_> = (0..workers)
            .map(|_| {
                let (next, work) = (&next, &work);
                scope.spawn(move || {
                    let mut done = Vec::new();
                    loop {
                        let i = next.fetch_add(1, Ordering::Relaxed);
                        let Some(item) = items.get(i) else { break done };
                        done.push((i, work(item)));
                    }
                })
            })
            .collect();
        for h in handles {
            // A panicked worker's items stay `None`.
            for (i, result) in h.join().unwrap_or_default() {
                results[i] = Some(result);
            }
        }
    });
    results
}

/// The Rust files for the IR: the model's files under `out_dir`, the method families' under
/// `methods_dir` (or, for a family with a crate of its own, that crate's directory in `own`),
/// naming the model's runtime through `methods_rt`, and with `dispatch` the tests' dispatch
/// file.
///
/// Emitting and formatting is most of the generator's time, and methods and files are
/// independent, so each method and each whole file is a job for the worker pool. prettyplease
/// formats items independently, so a family's text is its methods' texts in order.
pub(crate) fn render_all(
    api: &Api,
    out_dir: &Path,
    methods_dir: &Path,
    own: &[(&str, PathBuf)],
    methods_rt: Runtime,
    dispatch: bool,
) -> Result<Vec<GeneratedFile>, String> {
    let plan = Plan::new(api, dispatch, methods_rt);
    let mut texts = in_parallel(&plan.jobs, |job| job.render(api)).into_iter();
    let mut files = methods_mod_files(api, methods_dir, own)?;
    for job in &plan.jobs[..plan.wholes] {
        let Job::Whole { name, .. } = job else { continue };
        let path = if *name == DISPATCH { PathBuf::from(DISPATCH) } else { out_dir.join(name) };
        files.push(GeneratedFile { path, contents: joined(&mut texts, [*name])? });
    }
    for family in &api.families {
        let body = joined(&mut texts, family.methods.iter().map(|m| format!("`{}`", m.wire_name)))?;
        files.push(GeneratedFile {
            path: own_crate_dir(own, &family.module).unwrap_or(methods_dir).join(format!("{}.rs", family.module)),
            contents: with_preamble(&format!("spec/methods/{}.*.yaml", family.wire_name), &body),
        });
    }
    if plan.kit > 0 {
        let body = joined(&mut texts, std::iter::repeat_n("Block Kit", plan.kit))?;
        files.push(GeneratedFile { path: out_dir.join("block_kit.rs"), contents: with_preamble("spec/blocks/", &body) });
    }
    Ok(files)
}

/// The next texts of a render, one per label, joined; an error names the label of the job that
/// failed.
fn joined(
    texts: &mut impl Iterator<Item = Option<Result<String, String>>>,
    labels: impl IntoIterator<Item = impl fmt::Display>,
) -> Result<String, String> {
    let mut body = String::new();
    for label in labels {
        match texts.next().flatten() {
            Some(Ok(text)) => body.push_str(&text),
            Some(Err(e)) => return Err(format!("{label}: {e}")),
            None => return Err(format!("rendering {label} panicked")),
        }
    }
    Ok(body)
}

/// The methods crates' `mod.rs` files: the methods crate's declares the families without a
/// crate of their own; each of those gets a `mod.rs` declaring just it.
fn methods_mod_files(api: &Api, methods_dir: &Path, own: &[(&str, PathBuf)]) -> Result<Vec<GeneratedFile>, String> {
    let shared: Vec<&Family> = api.families.iter().filter(|f| own_crate_dir(own, &f.module).is_none()).collect();
    let mut files = vec![GeneratedFile {
        path: methods_dir.join("mod.rs"),
        contents: rust_file(emit::methods_mod_file(&shared, true), "spec/methods/")?,
    }];
    for (module, dir) in own {
        let Some(f) = api.families.iter().find(|f| f.module == *module) else { continue };
        files.push(GeneratedFile {
            path: dir.join("mod.rs"),
            contents: rust_file(emit::methods_mod_file(&[f], false), "spec/methods/")?,
        });
    }
    Ok(files)
}

/// The directory of a family's own crate, if it has one.
fn own_crate_dir<'a>(own: &'a [(&str, PathBuf)], module: &str) -> Option<&'a Path> {
    own.iter().find(|(m, _)| *m == module).map(|(_, dir)| dir.as_path())
}

/// The test kit's generated files (its Web API's decoders and routes, and its tests' call of
/// every method), given the methods' example answers.
pub fn testkit_files(api: &Api, examples: &std::collections::BTreeMap<String, String>) -> Result<Vec<GeneratedFile>, String> {
    emit::testkit::files(api, examples)
        .into_iter()
        .map(|(path, tokens, source)| Ok(GeneratedFile { path, contents: rust_file(tokens, &source)? }))
        .collect()
}

/// Formats tokens as a Rust file with the `@generated` preamble.
pub fn rust_file(tokens: TokenStream, source: &str) -> Result<String, String> {
    Ok(with_preamble(source, &format_items(tokens)?))
}

/// Formats a sequence of items.
pub fn format_items(tokens: TokenStream) -> Result<String, String> {
    let file: syn::File = syn::parse2(tokens).map_err(|e| format!("generated tokens do not parse: {e}"))?;
    Ok(prettyplease::unparse(&file))
}

/// The `@generated` line, naming the source, in front of formatted code.
pub fn with_preamble(source: &str, code: &str) -> String {
    format!("// @generated by `cargo xtask codegen` from {source} — do not edit.\n\n{code}")
}

/// What `ensure` found or did.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Report {
    pub written: Vec<PathBuf>,
    pub removed: Vec<PathBuf>,
    pub stale: Vec<PathBuf>,
    pub missing: Vec<PathBuf>,
    pub orphaned: Vec<PathBuf>,
    pub unchanged: usize,
}

impl Report {
    pub fn is_fresh(&self) -> bool {
        self.stale.is_empty() && self.missing.is_empty() && self.orphaned.is_empty()
    }
}

impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (what, list) in [
            ("stale (differs from what the spec produces)", &self.stale),
            ("missing (the spec produces it, the tree lacks it)", &self.missing),
            ("orphaned (generated, but the spec no longer produces it)", &self.orphaned),
            ("written", &self.written),
            ("removed", &self.removed),
        ] {
            for p in list {
                writeln!(f, "{what}: {}", p.display())?;
            }
        }
        if !self.is_fresh() {
            writeln!(f, "run `cargo xtask codegen` to regenerate, and commit the result")?;
        }
        Ok(())
    }
}

fn normalize(s: &str) -> String {
    s.replace("\r\n", "\n")
}

/// Brings the tree under `root` in line with `files`, or with `check` only reports the
/// differences. Files under any of `owned_dirs` that `files` does not name are orphans: removed,
/// or reported with `check`.
pub fn ensure(root: &Path, files: &[GeneratedFile], owned_dirs: &[&str], check: bool) -> std::io::Result<Report> {
    let mut report = Report::default();
    let wanted: BTreeSet<&Path> = files.iter().map(|f| f.path.as_path()).collect();
    for file in files {
        let full = root.join(&file.path);
        match std::fs::read_to_string(&full) {
            Ok(old) if normalize(&old) == normalize(&file.contents) => report.unchanged += 1,
            Ok(_) | Err(_) if check => {
                if full.exists() {
                    report.stale.push(file.path.clone());
                } else {
                    report.missing.push(file.path.clone());
                }
            }
            _ => {
                if let Some(parent) = full.parent() {
                    std::fs::create_dir_all(parent)?;
                }
                std::fs::write(&full, &file.contents)?;
                report.written.push(file.path.clone());
            }
        }
    }
    for dir in owned_dirs {
        let mut found = Vec::new();
        walk(&root.join(dir), &mut found)?;
        found.sort();
        for full in found {
            let rel = full.strip_prefix(root).unwrap_or(&full).to_path_buf();
            if wanted.contains(rel.as_path()) {
                continue;
            }
            if check {
                report.orphaned.push(rel);
            } else {
                std::fs::remove_file(&full)?;
                report.removed.push(rel);
            }
        }
    }
    Ok(report)
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>) -> std::io::Result<()> {
    let entries = match std::fs::read_dir(dir) {
        Ok(e) => e,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
        Err(e) => return Err(e),
    };
    for entry in entries {
        let entry = entry?;
        let path = entry.path();
        if entry.file_type()?.is_dir() {
            walk(&path, out)?;
        } else {
            out.push(path);
        }
    }
    Ok(())
}
