//! The slack-api code generator: `spec/` → validated IR → Rust.
//!
//! ```text
//! spec/*.yaml ──load──▶ spec types ──ir::build──▶ IR ──emit──▶ tokens ──write──▶ slack-api/src/generated/
//! ```

pub mod docs;
pub mod emit;
pub mod import;
pub mod ir;
pub mod load;
pub mod names;
pub mod report;
pub mod spec;
pub mod write;

use std::path::{Path, PathBuf};

pub use load::{SpecError, SpecErrors};
pub use write::{GeneratedFile, Report};

/// Where the generated Rust lives, relative to the repository root.
pub const GENERATED_DIR: &str = "slack-api/src/generated";
/// The crate manifest, generated from [`MANIFEST_TEMPLATE`] plus the feature table.
pub const MANIFEST: &str = "slack-api/Cargo.toml";
/// The hand-written part of the manifest.
pub const MANIFEST_TEMPLATE: &str = "slack-api/Cargo.toml.in";
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
    let loaded = load::load_dir(&root.join("spec"), root).map_err(Error::Spec)?;
    ir::build(&loaded).map_err(Error::Spec)
}

/// The Rust files for the IR, under `out_dir` (relative to the repository root).
pub fn render_code(api: &ir::Api, out_dir: &Path) -> Result<Vec<GeneratedFile>, Error> {
    let rust = |tokens, source: &str| write::rust_file(tokens, source).map_err(Error::Other);
    let mut files = vec![
        GeneratedFile { path: out_dir.join("mod.rs"), contents: rust(emit::mod_file(api), "spec/")? },
        GeneratedFile {
            path: out_dir.join("common_errors.rs"),
            contents: rust(emit::common_errors_file(api), "spec/common-errors.yaml")?,
        },
    ];
    if !api.objects.is_empty() {
        files.push(GeneratedFile {
            path: out_dir.join("objects.rs"),
            contents: rust(emit::objects_file(api), "spec/objects/")?,
        });
    }
    // Emitting and formatting is most of the generator's time, and methods are independent, so
    // every method is rendered on its own, on every core, from a shared queue. Token streams are
    // not `Send`: a worker emits, parses and prints a method and hands back text. prettyplease
    // formats items independently, so a family's text is its methods' texts in order.
    let methods: Vec<&ir::Method> = api.methods().collect();
    let next = std::sync::atomic::AtomicUsize::new(0);
    let workers = std::thread::available_parallelism().map_or(1, |n| n.get()).clamp(1, methods.len().max(1));
    let mut texts: Vec<Option<Result<String, String>>> = (0..methods.len()).map(|_| None).collect();
    std::thread::scope(|scope| {
        let handles: Vec<_> = (0..workers)
            .map(|_| {
                let (next, methods) = (&next, &methods);
                scope.spawn(move || {
                    let mut done = Vec::new();
                    loop {
                        let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                        let Some(m) = methods.get(i) else { break done };
                        done.push((i, write::format_items(emit::method(m))));
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
            path: out_dir.join(format!("{}.rs", family.module)),
            contents: write::with_preamble(&format!("spec/methods/{}.*.yaml", family.wire_name), &body),
        });
    }
    Ok(files)
}

/// `slack-api/Cargo.toml`: the template with the generated feature table in place of its
/// `# @features` line.
pub fn render_manifest(api: &ir::Api, template: &str) -> Result<GeneratedFile, Error> {
    let Some((head, tail)) = template.split_once(FEATURES_MARKER) else {
        return Err(Error::Other(format!("{MANIFEST_TEMPLATE} lacks the line `{}`", FEATURES_MARKER.trim())));
    };
    Ok(GeneratedFile {
        path: PathBuf::from(MANIFEST),
        contents: format!(
            "# @generated by `cargo xtask codegen` from {MANIFEST_TEMPLATE} and spec/ — edit those, not this file.\n\n{head}{}{tail}",
            emit::features_toml(api)
        ),
    })
}

/// The test support's dispatch by method name, generated beside the hand-written test support.
pub const DISPATCH: &str = "tests/src/generated/dispatch.rs";

/// Every file the generator owns, with its contents.
pub fn render(api: &ir::Api, manifest_template: &str) -> Result<Vec<GeneratedFile>, Error> {
    let mut files = render_code(api, Path::new(GENERATED_DIR))?;
    files.push(render_manifest(api, manifest_template)?);
    files.push(GeneratedFile {
        path: PathBuf::from(DISPATCH),
        contents: write::rust_file(emit::dispatch_file(api), "spec/").map_err(Error::Other)?,
    });
    Ok(files)
}

/// Regenerates (or with `check`, verifies) everything under `root`.
pub fn run(root: &Path, check: bool) -> Result<Report, Error> {
    let api = load_api(root)?;
    let template_path = root.join(MANIFEST_TEMPLATE);
    let template = std::fs::read_to_string(&template_path).map_err(|e| Error::Io(template_path, e))?;
    let files = render(&api, &template)?;
    write::ensure(root, &files, &[GENERATED_DIR, "tests/src/generated"], check).map_err(|e| Error::Io(root.to_path_buf(), e))
}
