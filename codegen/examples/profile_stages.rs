//! Prints how long each generator stage takes on the repository's spec:
//! `cargo run --release -p slack-api-codegen --example profile_stages`.

use std::path::Path;
use std::time::Instant;

fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap();
    let t = Instant::now();
    let loaded = codegen::spec::methods::load_dir(&root.join("spec"), root).unwrap();
    let load = t.elapsed();
    let t = Instant::now();
    let api = codegen::ir::build(&loaded).unwrap();
    let ir = t.elapsed();
    let t = Instant::now();
    let mut tokens: Vec<_> = api.methods().map(|m| codegen::emit::method(m, codegen::emit::Runtime::Model)).collect();
    tokens.push(codegen::emit::objects_file(&api));
    tokens.push(codegen::emit::dispatch_file(&api));
    let token_count: usize = tokens.iter().map(|t| t.clone().into_iter().count()).sum();
    let emit = t.elapsed();
    let t = Instant::now();
    let files: Vec<syn::File> = tokens.into_iter().map(|t| syn::parse2(t).unwrap()).collect();
    let parse = t.elapsed();
    let t = Instant::now();
    let text: usize = files.iter().map(|f| prettyplease::unparse(f).len()).sum();
    let print = t.elapsed();
    println!(
        "{} methods, single thread: load {load:.1?}, ir {ir:.1?}, emit {emit:.1?}, syn parse {parse:.1?}, prettyplease {print:.1?} ({text} bytes, {token_count} top-level token trees)",
        api.methods().count()
    );
}
