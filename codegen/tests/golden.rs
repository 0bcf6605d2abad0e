//! Golden files: the generator's output for the small fixture spec in `tests/golden/spec` must
//! equal `tests/golden/out`. `UPDATE_GOLDEN=1 cargo test -p slack-api-codegen --test golden`
//! rewrites them after an intended change. This test lives here, apart from the crate that
//! compiles the golden files (`tests/`), so that it runs even while they do not compile.

use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap().to_path_buf()
}

fn render(out: &str) -> Vec<codegen::GeneratedFile> {
    let root = root();
    let loaded = codegen::spec::methods::load_dir(&root.join("tests/golden/spec"), &root).unwrap_or_else(|e| panic!("{e}"));
    let kit_files = codegen::spec::blocks::load_dir(&root.join("tests/golden/spec"), &root).unwrap_or_else(|e| panic!("{e}"));
    let kit = codegen::ir::blocks::build(&kit_files).unwrap_or_else(|e| panic!("{e}"));
    let api = codegen::ir::build_with_kit(&loaded, kit).unwrap_or_else(|e| panic!("{e}"));
    codegen::render_code(&api, Path::new(out)).unwrap_or_else(|e| panic!("{e}"))
}

#[test]
fn generator_output_matches_golden_files() {
    let files = render("tests/golden/out");
    let update = std::env::var_os("UPDATE_GOLDEN").is_some();
    let report = codegen::write::ensure(&root(), &files, &["tests/golden/out"], !update).unwrap();
    assert!(
        report.is_fresh(),
        "golden files differ from the generator's output:\n{report}\n(rerun with UPDATE_GOLDEN=1 if the change is intended)"
    );
    assert_eq!(files.len(), 5, "mod.rs, common_errors.rs, block_kit.rs, methods/mod.rs and methods/fixture.rs");
}

#[test]
fn golden_output_is_deterministic() {
    assert_eq!(render("out"), render("out"));
}
