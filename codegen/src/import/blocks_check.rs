//! `spec/blocks/` against a machine-readable compilation of Slack's Block Kit reference (a JSON
//! Schema, such as `../shared/block-kit/slack-block-kit.schema.json`): `cargo xtask check-blocks
//! --schema FILE` runs the import (`blocks`, beside this file, with `spec/corrections/blocks/`
//! applied) in memory and lists every way `spec/blocks/` differs from its result — a type, field,
//! type of field, required flag, limit, format, enum value, tag, union member or group. The
//! deliberate deviations (Slack's reference pages win where the compilation disagrees) are the
//! corrections, the same ones the import applies.

use std::path::Path;

use super::blocks::{self, Changes};

pub use super::blocks::our_name;

/// What [`check`] found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Report {
    /// One line per difference, `spec/blocks` first and the schema (with corrections) second.
    pub problems: Vec<String>,
    /// How many schema fields were compared.
    pub compared: usize,
    /// Corrections that no longer change anything (the schema now agrees): to be deleted.
    pub redundant: Vec<String>,
}

/// The differences as lines.
pub fn problems(c: &Changes) -> Vec<String> {
    let mut out = Vec::new();
    out.extend(c.added_types.iter().map(|t| format!("{t}: in the schema, no spec/blocks/{t}.yaml")));
    out.extend(c.removed_types.iter().map(|t| {
        format!("{t}: in spec/blocks, not in the schema (a hand-kept type needs `hand_only` in spec/corrections/blocks/{t}.yaml)")
    }));
    out.extend(c.added_fields.iter().map(|f| {
        let (t, rest) = f.split_once('.').unwrap_or((f, ""));
        let field = rest.split(' ').next().unwrap_or(rest);
        format!("{t}.{field}: in the schema, not in spec/blocks/{t}.yaml")
    }));
    out.extend(c.removed_fields.iter().map(|f| format!("{f}: in spec/blocks, not in the schema")));
    out.extend(c.changed.iter().map(|x| format!("{x} (spec → schema)")));
    out
}

/// Compares `<root>/spec/blocks` with what importing the schema at `schema` would write.
pub fn check(root: &Path, schema: &Path) -> Result<Report, Vec<String>> {
    let (before, imported) = blocks::import_from(root, schema)?;
    let changes = blocks::diff(&before, &imported.types);
    Ok(Report { problems: problems(&changes), compared: imported.schema_fields, redundant: imported.redundant })
}
