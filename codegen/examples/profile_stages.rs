//! Prints how long each generator stage takes on the repository's spec:
//! `cargo run --release -p slack-api-codegen --example profile_stages`.

use std::path::Path;
use std::time::Instant;

fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap();
    let t = Instant::now();
    let loaded = codegen::load::load_dir(&root.join("spec"), root).unwrap();
    let load = t.elapsed();
    let t = Instant::now();
    let api = codegen::ir::build(&loaded).unwrap();
    let ir = t.elapsed();
    let t = Instant::now();
    let tokens: Vec<_> = api.families.iter().map(codegen::emit::family_file).collect();
    let emit = t.elapsed();
    let t = Instant::now();
    let files: Vec<syn::File> = tokens.into_iter().map(|t| syn::parse2(t).unwrap()).collect();
    let parse = t.elapsed();
    let t = Instant::now();
    let text: usize = files.iter().map(|f| prettyplease::unparse(f).len()).sum();
    let print = t.elapsed();
    println!(
        "{} methods: load {load:.1?}, ir {ir:.1?}, emit {emit:.1?}, syn parse {parse:.1?}, prettyplease {print:.1?} ({text} bytes)",
        api.methods().count()
    );
}
