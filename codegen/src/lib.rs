//! The slack-api code generator: `spec/` → validated IR → Rust.
//!
//! ```text
//! spec/*.yaml ──load──▶ spec types ──ir::build──▶ IR ──emit──▶ tokens ──write──▶ slack-api-{model,methods,admin}/src/generated/
//! ```

pub mod emit;
pub mod import;
pub mod ir;
pub mod names;
pub mod snapshot;
pub mod spec;
pub mod write;

// The paths of the flat layout that the workspace's tests still name: the importers, and Block
// Kit and loading, whose spec and IR halves now live in their stages.
pub use import::{blocks as import_blocks, blocks_check, events as import_events, report};
/// Block Kit's spec types and IR under one path (see [`spec::blocks`] and [`ir::blocks`]).
pub mod blocks {
    pub use crate::ir::blocks::*;
    pub use crate::spec::blocks::*;
}
/// Loading, with the methods' loaders (see [`spec::load`] and [`spec::methods`]).
pub mod load {
    pub use crate::spec::load::*;
    pub use crate::spec::methods::{LoadedSpec, load_dir, load_sources, load_sources_with_objects, parse_method};
}

use std::path::{Path, PathBuf};

pub use spec::load::{SpecError, SpecErrors};
pub use write::{GeneratedFile, Report};

/// Where the generated data types live (common errors, objects, Block Kit, events,
/// interactions), relative to the repository root.
pub const GENERATED_DIR: &str = "slack-api-model/src/generated";
/// Where the generated method families live.
pub const METHODS_DIR: &str = "slack-api-methods/src/generated";
/// Method families compiled as a crate of their own: (module, generated directory, crate).
/// `admin.*` is a third of all method code and few apps call it: apart, it compiles beside the
/// other families on a second core, and a build without the `admin` feature skips the crate.
/// slack-api's feature for such a family turns on the optional dependency.
pub const OWN_CRATE_FAMILIES: [(&str, &str, &str); 1] = [("admin", "slack-api-admin/src/generated", "slack-api-admin")];

/// The crate of a family listed in [`OWN_CRATE_FAMILIES`].
pub fn own_crate(module: &str) -> Option<&'static str> {
    OWN_CRATE_FAMILIES.iter().find(|(m, _, _)| *m == module).map(|(_, _, krate)| *krate)
}
/// The crate manifests, each generated from its hand-written template (`Cargo.toml.in`) plus
/// the feature table: `slack-api-methods` declares one feature per method family, and
/// `slack-api` (the crate users depend on) forwards each to it, with `full` as the default.
pub const MANIFESTS: [Manifest; 2] = [
    Manifest { path: "slack-api-methods/Cargo.toml", template: "slack-api-methods/Cargo.toml.in", forwards_to: None },
    Manifest { path: "slack-api/Cargo.toml", template: "slack-api/Cargo.toml.in", forwards_to: Some("slack-api-methods") },
];
const FEATURES_MARKER: &str = "# @features\n";

/// Any failure of a generator run.
#[derive(Debug)]
pub enum Error {
    Spec(SpecErrors),
    Io(PathBuf, std::io::Error),
    Other(String),
}

impl std::fmt::Display for Error {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Error::Spec(e) => e.fmt(f),
            Error::Io(p, e) => write!(f, "error: {}: {e}", p.display()),
            Error::Other(s) => write!(f, "error: {s}"),
        }
    }
}

impl std::error::Error for Error {}

/// Loads and validates `<root>/spec`.
pub fn load_api(root: &Path) -> Result<ir::Api, Error> {
    let loaded = spec::methods::load_dir(&root.join("spec"), root).map_err(Error::Spec)?;
    let kit_files = spec::blocks::load_dir(&root.join("spec"), root).map_err(Error::Spec)?;
    let kit = ir::blocks::build(&kit_files).map_err(Error::Spec)?;
    let mut api = ir::build_with_kit(&loaded, kit).map_err(Error::Spec)?;
    let events = spec::events::load(&root.join("spec"), root).map_err(Error::Spec)?;
    // Event fields may use shared objects and Block Kit types (`block`, `view`, …).
    let objects = api.objects.iter().map(|o| o.wire_name.as_str()).chain(api.kit.types.iter().map(|t| t.name.as_str())).collect();
    api.events = ir::events::build(&events, &objects).map_err(Error::Spec)?;
    // Interaction fields may use them too, besides the interaction types themselves.
    let interactions = spec::interactions::load(&root.join("spec"), root).map_err(Error::Spec)?;
    api.interactions = ir::interactions::build(&interactions, &objects).map_err(Error::Spec)?;
    Ok(api)
}

/// One piece of work for the render workers.
enum Job<'a> {
    Method(&'a ir::Method),
    KitHead,
    Kit(&'a ir::blocks::KitTypeIr),
    Whole { name: &'static str, source: &'static str, emit: fn(&ir::Api) -> proc_macro2::TokenStream },
}

/// The Rust files for the IR, under `out_dir` (relative to the repository root): the model's
/// files in it, the method families' in `out_dir/methods` (and a family of
/// [`OWN_CRATE_FAMILIES`] in `out_dir/<its crate>`).
pub fn render_code(api: &ir::Api, out_dir: &Path) -> Result<Vec<GeneratedFile>, Error> {
    let own = OWN_CRATE_FAMILIES.map(|(module, _, krate)| (module, out_dir.join(krate)));
    render_all(api, out_dir, &out_dir.join("methods"), &own, false)
}

/// The directory of a family's own crate, if it has one.
fn own_crate_dir<'a>(own: &'a [(&str, PathBuf)], module: &str) -> Option<&'a Path> {
    own.iter().find(|(m, _)| *m == module).map(|(_, dir)| dir.as_path())
}

/// Renders the crate's files (and, with `dispatch`, the tests' dispatch file last).
///
/// Emitting and formatting is most of the generator's time, and methods and files are
/// independent, so each method and each whole file is a job on a shared queue served by every
/// core. Token streams are not `Send`: a worker emits, parses and prints a job and hands back
/// text. prettyplease formats items independently, so a family's text is its methods' texts in
/// order.
fn render_all(
    api: &ir::Api,
    out_dir: &Path,
    methods_dir: &Path,
    own: &[(&str, PathBuf)],
    dispatch: bool,
) -> Result<Vec<GeneratedFile>, Error> {
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
    jobs.extend(api.methods().map(Job::Method));
    // Block Kit: one file, rendered a type at a time (it is as large as a dozen families).
    let kit_jobs = if api.kit.types.is_empty() { 0 } else { 1 + api.kit.types.len() };
    if kit_jobs > 0 {
        jobs.push(Job::KitHead);
        jobs.extend(api.kit.types.iter().map(Job::Kit));
    }
    let next = std::sync::atomic::AtomicUsize::new(0);
    let workers = std::thread::available_parallelism().map_or(1, |n| n.get()).clamp(1, jobs.len());
    let mut texts: Vec<Option<Result<String, String>>> = (0..jobs.len()).map(|_| None).collect();
    std::thread::scope(|scope| {
        let handles: Vec<_> = (0..workers)
            .map(|_| {
                let (next, jobs) = (&next, &jobs);
                scope.spawn(move || {
                    let mut done = Vec::new();
                    loop {
                        let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                        let Some(job) = jobs.get(i) else { break done };
                        let text = match job {
                            Job::Method(m) => write::format_items(emit::method(m)),
                            Job::KitHead => write::format_items(emit::blocks::head(&api.kit)),
                            Job::Kit(t) => write::format_items(emit::blocks::type_items(&api.kit, t)),
                            Job::Whole { source, emit, .. } => write::rust_file(emit(api), source),
                        };
                        done.push((i, text));
                    }
                })
            })
            .collect();
        for h in handles {
            if let Ok(done) = h.join() {
                for (i, text) in done {
                    texts[i] = Some(text);
                }
            }
        }
    });
    let mut texts = texts.into_iter();
    let mut files = Vec::new();
    // The methods crate's mod.rs declares the families without a crate of their own; each
    // of those gets a mod.rs declaring just it.
    let shared: Vec<&ir::Family> = api.families.iter().filter(|f| own_crate_dir(own, &f.module).is_none()).collect();
    files.push(GeneratedFile {
        path: methods_dir.join("mod.rs"),
        contents: write::rust_file(emit::methods_mod_file(&shared, true), "spec/methods/").map_err(Error::Other)?,
    });
    for (module, dir) in own {
        let Some(f) = api.families.iter().find(|f| f.module == *module) else { continue };
        files.push(GeneratedFile {
            path: dir.join("mod.rs"),
            contents: write::rust_file(emit::methods_mod_file(&[f], false), "spec/methods/").map_err(Error::Other)?,
        });
    }
    for job in &jobs[..wholes] {
        let Job::Whole { name, .. } = job else { continue };
        let text = texts.next().flatten().unwrap_or_else(|| Err("rendering panicked".into())).map_err(Error::Other)?;
        let path = if *name == DISPATCH { PathBuf::from(DISPATCH) } else { out_dir.join(name) };
        files.push(GeneratedFile { path, contents: text });
    }
    for family in &api.families {
        let mut body = String::new();
        for m in &family.methods {
            match texts.next().flatten() {
                Some(Ok(text)) => body.push_str(&text),
                Some(Err(e)) => return Err(Error::Other(format!("`{}`: {e}", m.wire_name))),
                None => return Err(Error::Other(format!("rendering `{}` panicked", m.wire_name))),
            }
        }
        files.push(GeneratedFile {
            path: own_crate_dir(own, &family.module).unwrap_or(methods_dir).join(format!("{}.rs", family.module)),
            contents: write::with_preamble(&format!("spec/methods/{}.*.yaml", family.wire_name), &body),
        });
    }
    if kit_jobs > 0 {
        let mut body = String::new();
        for _ in 0..kit_jobs {
            match texts.next().flatten() {
                Some(Ok(text)) => body.push_str(&text),
                Some(Err(e)) => return Err(Error::Other(format!("Block Kit: {e}"))),
                None => return Err(Error::Other("rendering Block Kit panicked".into())),
            }
        }
        files.push(GeneratedFile { path: out_dir.join("block_kit.rs"), contents: write::with_preamble("spec/blocks/", &body) });
    }
    Ok(files)
}

/// A generated crate manifest.
#[derive(Clone, Copy, Debug)]
pub struct Manifest {
    /// The manifest, relative to the repository root.
    pub path: &'static str,
    /// Its hand-written part, with a `# @features` line where the feature table goes.
    pub template: &'static str,
    /// The crate whose family features this one's turn on (`None`: the features are its own).
    pub forwards_to: Option<&'static str>,
}

impl Manifest {
    /// Reads the template under `root`.
    pub fn read_template(&self, root: &Path) -> Result<String, Error> {
        let path = root.join(self.template);
        std::fs::read_to_string(&path).map_err(|e| Error::Io(path, e))
    }

    /// The manifest: the template with the generated feature table in place of its
    /// `# @features` line.
    pub fn render(&self, api: &ir::Api, template: &str) -> Result<GeneratedFile, Error> {
        let Some((head, tail)) = template.split_once(FEATURES_MARKER) else {
            return Err(Error::Other(format!("{} lacks the line `{}`", self.template, FEATURES_MARKER.trim())));
        };
        Ok(GeneratedFile {
            path: PathBuf::from(self.path),
            contents: format!(
                "# @generated by `cargo xtask codegen` from {} and spec/ — edit those, not this file.\n\n{head}{}{tail}",
                self.template,
                emit::features_toml(api, self.forwards_to)
            ),
        })
    }
}

/// Every directory the generator owns (a file in one that it does not write is orphaned).
pub fn generated_dirs() -> Vec<&'static str> {
    let mut dirs = vec![GENERATED_DIR, METHODS_DIR, "tests/src/generated"];
    dirs.extend(OWN_CRATE_FAMILIES.map(|(_, dir, _)| dir));
    dirs
}

/// Every manifest template under `root`, in [`MANIFESTS`] order.
pub fn read_templates(root: &Path) -> Result<Vec<String>, Error> {
    MANIFESTS.iter().map(|m| m.read_template(root)).collect()
}

/// The test support's dispatch by method name, generated beside the hand-written test support.
pub const DISPATCH: &str = "tests/src/generated/dispatch.rs";

/// Every file the generator owns, with its contents.
/// `templates` are the manifests' templates in [`MANIFESTS`] order ([`read_templates`]).
pub fn render(api: &ir::Api, templates: &[String]) -> Result<Vec<GeneratedFile>, Error> {
    let own = OWN_CRATE_FAMILIES.map(|(module, dir, _)| (module, PathBuf::from(dir)));
    let mut files = render_all(api, Path::new(GENERATED_DIR), Path::new(METHODS_DIR), &own, true)?;
    if templates.len() != MANIFESTS.len() {
        return Err(Error::Other(format!("{} manifest templates given, {} expected", templates.len(), MANIFESTS.len())));
    }
    for (m, template) in MANIFESTS.iter().zip(templates) {
        files.push(m.render(api, template)?);
    }
    Ok(files)
}

/// Regenerates (or with `check`, verifies) everything under `root`.
pub fn run(root: &Path, check: bool) -> Result<Report, Error> {
    // SLACK_CODEGEN_TIMINGS=1 prints how long each stage took.
    let timings = std::env::var_os("SLACK_CODEGEN_TIMINGS").is_some();
    let t = std::time::Instant::now();
    let api = load_api(root)?;
    let loaded = t.elapsed();
    let templates = read_templates(root)?;
    let files = render(&api, &templates)?;
    let rendered = t.elapsed();
    let report = write::ensure(root, &files, &generated_dirs(), check)
        .map_err(|e| Error::Io(root.to_path_buf(), e))?;
    if timings {
        eprintln!(
            "codegen stages: load+validate {loaded:.0?}, render {:.0?}, compare/write {:.0?}",
            rendered - loaded,
            t.elapsed() - rendered
        );
    }
    Ok(report)
}
