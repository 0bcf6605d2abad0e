//! Tests that compare against Slack's docs snapshot need `../shared` beside the repository.
//! Without it they are marked ignored (`cfg(no_shared)`), so `cargo test` lists them as ignored
//! with the reason instead of passing without having checked anything.

fn main() {
    println!("cargo::rustc-check-cfg=cfg(no_shared)");
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("tests/ is below the root");
    let parent = root.parent().expect("the repository has a parent directory");
    // The parent directory changes when `shared` appears or goes.
    println!("cargo::rerun-if-changed={}", parent.display());
    if !parent.join("shared").is_dir() {
        println!("cargo::rustc-cfg=no_shared");
    }
}
