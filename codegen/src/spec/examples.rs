//! The example answers of the methods, `spec/examples/<method>.json` (written by
//! `cargo xtask import-examples` from Slack's reference data: each method's first successful
//! example; a method without one has no file).

use std::collections::BTreeMap;
use std::path::Path;

/// The example answers, one JSON file per method, relative to the repository root.
pub const EXAMPLES_DIR: &str = "spec/examples";

/// The example answers under `root`, by method wire name (compact JSON text).
pub fn load(root: &Path) -> Result<BTreeMap<String, String>, String> {
    let dir = root.join(EXAMPLES_DIR);
    let mut out = BTreeMap::new();
    let entries = match std::fs::read_dir(&dir) {
        Ok(e) => e,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(out),
        Err(e) => return Err(format!("{}: {e}", dir.display())),
    };
    for entry in entries {
        let path = entry.map_err(|e| format!("{}: {e}", dir.display()))?.path();
        let Some(name) = path.file_name().and_then(|n| n.to_str()).and_then(|n| n.strip_suffix(".json")) else {
            return Err(format!("{}: only `<method>.json` files belong here", path.display()));
        };
        let text = std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
        let value: serde_json::Value = serde_json::from_str(&text)
            .map_err(|e| format!("{EXAMPLES_DIR}/{name}.json: line {}, column {}: {e}", e.line(), e.column()))?;
        if value.get("ok") != Some(&serde_json::Value::Bool(true)) {
            return Err(format!("{EXAMPLES_DIR}/{name}.json: not a successful answer (`\"ok\": true`)"));
        }
        out.insert(name.to_owned(), value.to_string());
    }
    Ok(out)
}

