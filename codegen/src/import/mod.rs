//! The import stage: Slack's reference data → `spec/`, and the change report a reviewer reads.
//!
//! ```text
//! docs JSON ──methods──▶ spec/methods/     Block Kit schema ──blocks──▶ spec/blocks/
//! events JSON ──events──▶ spec/events/     spec/ then and now ──report──▶ Markdown
//! ```
//!
//! Every importer applies the hand corrections of `spec/corrections/` on top of what it derives,
//! so that a re-import never loses one. The importers write through [`crate::write::ensure`] and
//! read the spec with the spec stage's loaders; nothing here is used by the generator itself.
//! The method importer, the first and largest, is also reachable as `codegen::import::…`.

pub mod blocks;
pub mod blocks_check;
pub mod events;
pub mod examples;
pub mod methods;
pub mod report;

pub use methods::{
    ArgumentPatch, Correction, DOCS_BASE, FieldPatch, ImportError, MAX_SILENT_REMOVAL, SECRET_NAMES, SNAPSHOT_FILE, apply,
    import_method, import_tree, import_tree_with, index_names, infer_type, load_corrections, redundant_parts,
    snapshot_digest, snapshot_record, to_yaml,
};
