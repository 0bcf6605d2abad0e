//! The slack-api code generator: `spec/` → validated IR → Rust.
//!
//! ```text
//! spec/*.yaml ──spec──▶ spec types ──ir──▶ IR ──emit──▶ tokens ──write──▶ slack-api-{model,methods,admin}/src/generated/
//! ```
//!
//! One module per stage, each with a file per kind (methods, objects, Block Kit, events,
//! interactions) and a `common` file for what the kinds share; a stage imports only the stages
//! before it. [`import`] stands apart: it turns Slack's reference data into `spec/`.

pub mod emit;
pub mod import;
pub mod ir;
pub mod layout;
pub mod names;
pub mod snapshot;
pub mod spec;
pub mod write;

use std::path::{Path, PathBuf};

pub use layout::{DISPATCH, GENERATED_DIR, METHODS_DIR, OWN_CRATE_FAMILIES, generated_dirs, own_crate};
pub use spec::load::{SpecError, SpecErrors};
pub use write::{GeneratedFile, Report};

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
    // The Events API's outer payloads: fields may name the `Event` union besides those types.
    let envelope = spec::events::load_envelope(&root.join("spec"), root).map_err(Error::Spec)?;
    api.events.envelope = ir::events::build_envelope(&envelope, &api.events, &objects).map_err(Error::Spec)?;
    // Interaction fields may use them too, besides the interaction types themselves.
    let interactions = spec::interactions::load(&root.join("spec"), root).map_err(Error::Spec)?;
    api.interactions = ir::interactions::build(&interactions, &objects).map_err(Error::Spec)?;
    Ok(api)
}

/// The Rust files for the IR, under `out_dir` (relative to the repository root): the model's
/// files in it, the method families' in `out_dir/methods` (and a family of
/// [`OWN_CRATE_FAMILIES`] in `out_dir/<its crate>`). They are for one crate that has the
/// runtime at its root (the golden fixtures are compiled as modules of the tests' crate), so
/// the methods name it `crate::…` too.
pub fn render_code(api: &ir::Api, out_dir: &Path) -> Result<Vec<GeneratedFile>, Error> {
    let own = OWN_CRATE_FAMILIES.map(|(module, _, krate)| (module, out_dir.join(krate)));
    write::render_all(api, out_dir, &out_dir.join("methods"), &own, emit::Runtime::Crate, false).map_err(Error::Other)
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

/// Every manifest template under `root`, in [`MANIFESTS`] order.
pub fn read_templates(root: &Path) -> Result<Vec<String>, Error> {
    MANIFESTS.iter().map(|m| m.read_template(root)).collect()
}

/// Every file the generator owns, with its contents.
/// `templates` are the manifests' templates in [`MANIFESTS`] order ([`read_templates`]).
pub fn render(api: &ir::Api, templates: &[String]) -> Result<Vec<GeneratedFile>, Error> {
    let own = OWN_CRATE_FAMILIES.map(|(module, dir, _)| (module, PathBuf::from(dir)));
    // The method families are compiled in crates of their own (`slack-api-methods` and those
    // of `OWN_CRATE_FAMILIES`), which depend on the model: they name it `::slack_api_model`.
    let methods_rt = emit::Runtime::Model;
    let mut files = write::render_all(api, Path::new(GENERATED_DIR), Path::new(METHODS_DIR), &own, methods_rt, true)
        .map_err(Error::Other)?;
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
    let examples = spec::examples::load(root).map_err(Error::Other)?;
    let mut files = render(&api, &templates)?;
    files.extend(write::testkit_files(&api, &examples).map_err(Error::Other)?);
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
