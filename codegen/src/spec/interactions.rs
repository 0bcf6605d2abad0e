//! `spec/interactions/<name>.yaml`: interactivity payloads as they are written, one file per
//! payload (`block_actions`, `view_submission`, …), per element action (`button_action`, …), per
//! union (`interaction`, `element_action`, `container`) and per shared sub-object (`team_ref`,
//! `function_data`, …), and their loading with the same file/line/column errors as the rest of
//! the spec.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::common::Field;
use super::load::{SourceFile, SpecError, SpecErrors, after_reading, parse_each};

/// Where interaction specs live, under `spec/`.
pub const INTERACTIONS_DIR: &str = "interactions";

/// `spec/interactions/<name>.yaml`: a struct (`fields`) or a tagged union (`union`).
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct InteractionSpec {
    /// Lower-case ASCII letters, digits and `_`; equals the file name. The Rust type is its
    /// UpperCamelCase (`team_ref` → `TeamRef`), and fields name the type by it.
    pub name: String,
    /// Markdown, the type's documentation.
    pub description: String,
    /// Slack's reference page.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub docs_url: Option<String>,
    /// The fields, as response fields (`spec/README.md`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fields: Option<Vec<Field>>,
    /// The kinds of a union, told apart by a tag field.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub union: Option<UnionSpec>,
}

/// `union:` of an interaction type.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct UnionSpec {
    /// The JSON key whose value tells the kind (`type`).
    pub tag: String,
    /// The name of a public constant listing the tag values (`INTERACTION_TYPES`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tags_const: Option<String>,
    /// The known kinds.
    pub variants: Vec<VariantSpec>,
    /// Fields read through the union (`interaction.trigger_id()`), from whichever kind has them.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub accessors: Vec<String>,
}

/// One kind of a union.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct VariantSpec {
    /// The tag's value (`block_actions`).
    pub value: String,
    /// The struct (in `spec/interactions/`) the kind decodes into.
    #[serde(rename = "type")]
    pub ty: String,
    /// The variant's name, where the value's UpperCamelCase is not the one wanted.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub variant: Option<String>,
}

/// The parsed interaction files.
pub type LoadedInteractions = Vec<(SourceFile, InteractionSpec)>;

/// Reads `<spec_dir>/interactions/*.yaml`. A missing directory is no interactions; any other
/// file there is an error.
pub fn load(spec_dir: &Path, display_root: &Path) -> Result<LoadedInteractions, SpecErrors> {
    let dir = spec_dir.join(INTERACTIONS_DIR);
    let shown = |p: &Path| p.strip_prefix(display_root).unwrap_or(p).to_path_buf();
    let mut errors = Vec::new();
    let mut paths: Vec<PathBuf> = match std::fs::read_dir(&dir) {
        Ok(entries) => entries.flatten().map(|e| e.path()).collect(),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Vec::new(),
        Err(e) => return Err(SpecErrors(vec![SpecError { file: shown(&dir), line: 0, column: 0, message: format!("cannot read directory: {e}") }])),
    };
    paths.sort();
    let mut sources = Vec::new();
    for p in paths {
        if p.extension().is_none_or(|e| e != "yaml") {
            errors.push(SpecError {
                file: shown(&p),
                line: 0,
                column: 0,
                message: "unexpected file in spec/interactions: every file must be `<name>.yaml`".into(),
            });
            continue;
        }
        match SourceFile::read(&p, display_root) {
            Ok(src) => sources.push(src),
            Err(e) => errors.push(e),
        }
    }
    after_reading(errors, parse_sources(sources))
}

/// Parses interaction sources already in memory.
pub fn parse_sources(files: Vec<SourceFile>) -> Result<LoadedInteractions, SpecErrors> {
    let mut errors = Vec::new();
    let out = parse_each(files, &mut errors);
    if errors.is_empty() { Ok(out) } else { Err(SpecErrors(errors)) }
}
