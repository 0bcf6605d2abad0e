//! Tests that compare against Slack's docs snapshot need `../shared` beside the repository, and
//! some need it to hold the snapshot `spec/` was imported from (`spec/docs-snapshot.txt`).
//! Without it they are marked ignored (`cfg(no_shared)`, `cfg(other_snapshot)`), so `cargo
//! test` lists them as ignored with the reason instead of passing without having checked
//! anything, or failing after a docs update until someone refreshes `../shared`.

#[path = "../codegen/src/snapshot.rs"]
mod snapshot;

fn main() {
    println!("cargo::rustc-check-cfg=cfg(no_shared)");
    println!("cargo::rustc-check-cfg=cfg(other_snapshot)");
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("tests/ is below the root");
    let parent = root.parent().expect("the repository has a parent directory");
    // The parent directory changes when `shared` appears or goes.
    println!("cargo::rerun-if-changed={}", parent.display());
    let record = root.join("spec/docs-snapshot.txt");
    println!("cargo::rerun-if-changed={}", record.display());
    let docs = parent.join("shared/slack-docs/methods");
    if !parent.join("shared").is_dir() {
        println!("cargo::rustc-cfg=no_shared");
        return;
    }
    println!("cargo::rerun-if-changed={}", docs.display());
    let recorded = std::fs::read_to_string(&record).unwrap_or_default();
    let same = snapshot::snapshot_digest(&docs)
        .is_ok_and(|(digest, _)| recorded.lines().any(|l| l.trim() == format!("digest: {digest}")));
    if !same {
        println!("cargo::rustc-cfg=other_snapshot");
    }
}
