//! Which docs snapshot the spec came from. Only `std`: the tests' build script includes this
//! file too, to tell whether `../shared` holds that snapshot.

use std::path::{Path, PathBuf};

/// A digest of a docs snapshot (every `*.json` of `docs_dir`, names and contents, in name
/// order; FNV-1a, 64 bits) and its number of methods: what `import` records in
/// `spec/docs-snapshot.txt`, so that tests comparing the spec with a snapshot can tell whether it is
/// the one the spec came from.
pub fn snapshot_digest(docs_dir: &Path) -> std::io::Result<(String, usize)> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(docs_dir)?
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    files.sort();
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    let mut feed = |bytes: &[u8]| {
        for b in bytes {
            hash ^= u64::from(*b);
            hash = hash.wrapping_mul(0x0100_0000_01b3);
        }
    };
    let mut methods = 0;
    for f in &files {
        let name = f.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        if name != "methods.json" {
            methods += 1;
        }
        feed(name.as_bytes());
        feed(&std::fs::read(f)?);
    }
    Ok((format!("{hash:016x}"), methods))
}

