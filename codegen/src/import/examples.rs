//! `spec/examples/` from Slack's reference data: each method's first successful example answer.

use std::path::{Path, PathBuf};

use crate::spec::examples::EXAMPLES_DIR;
use crate::write::{self, GeneratedFile};

/// The example answers of Slack's reference data in `docs_dir` (`<method>.json` files with an
/// `examples` map): for each method of `methods`, its first example with `"ok": true`, as
/// pretty JSON text.
pub fn examples_from_docs(docs_dir: &Path, methods: &[&str]) -> Result<Vec<GeneratedFile>, String> {
    let mut files = Vec::new();
    for m in methods {
        let path = docs_dir.join(format!("{m}.json"));
        let text = match std::fs::read_to_string(&path) {
            Ok(t) => t,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => continue,
            Err(e) => return Err(format!("{}: {e}", path.display())),
        };
        let doc: serde_json::Value = serde_json::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))?;
        let Some(examples) = doc.get("examples").and_then(serde_json::Value::as_object) else { continue };
        let ok = examples
            .values()
            .filter_map(|e| e.get("example"))
            .find(|e| e.get("ok") == Some(&serde_json::Value::Bool(true)));
        if let Some(answer) = ok {
            let pretty = serde_json::to_string_pretty(answer).map_err(|e| e.to_string())?;
            files.push(GeneratedFile { path: PathBuf::from(format!("{EXAMPLES_DIR}/{m}.json")), contents: format!("{pretty}\n") });
        }
    }
    Ok(files)
}

/// Writes (or with `check`, compares) `spec/examples/` from the reference data in `docs_dir`,
/// for `methods` (the spec's, by wire name).
pub fn import_examples(root: &Path, docs_dir: &Path, methods: &[&str], check: bool) -> Result<write::Report, String> {
    let files = examples_from_docs(docs_dir, methods)?;
    write::ensure(root, &files, &[EXAMPLES_DIR], check).map_err(|e| format!("{}: {e}", root.join(EXAMPLES_DIR).display()))
}
