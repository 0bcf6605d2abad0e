//! `cargo xtask <command>`: the project's own tooling. Thin: argument parsing and calls into
//! `codegen`.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

const USAGE: &str = "\
usage: cargo xtask <command>

commands:
  codegen [--check]   regenerate slack-api from spec/ (--check: fail if the committed files differ)
  import --from DIR [--methods a,b,...] [--check]
                      turn Slack's reference JSON in DIR (methods.json + <method>.json) into
                      spec/methods/, applying spec/corrections/ (--check: fail if spec/ differs)
";

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("xtask lives one level below the root").to_path_buf()
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    match args.as_slice() {
        ["codegen"] => codegen(false),
        ["codegen", "--check"] => codegen(true),
        ["import", rest @ ..] => import(rest),
        ["help" | "--help" | "-h"] => {
            print!("{USAGE}");
            ExitCode::SUCCESS
        }
        _ => {
            eprint!("{USAGE}");
            ExitCode::from(2)
        }
    }
}

fn codegen(check: bool) -> ExitCode {
    let start = Instant::now();
    match codegen::run(&root(), check) {
        Ok(report) => {
            print!("{report}");
            let elapsed = start.elapsed();
            if report.is_fresh() {
                eprintln!(
                    "codegen: {} file(s) {} in {:.0?}",
                    report.unchanged + report.written.len(),
                    if check { "up to date" } else { "in place" },
                    elapsed
                );
                ExitCode::SUCCESS
            } else {
                eprintln!("codegen --check: the generated code is not what spec/ produces");
                ExitCode::FAILURE
            }
        }
        Err(e) => {
            eprintln!("{e}");
            ExitCode::FAILURE
        }
    }
}

fn import(args: &[&str]) -> ExitCode {
    let mut from = None;
    let mut only = None;
    let mut check = false;
    let mut it = args.iter();
    while let Some(a) = it.next() {
        match *a {
            "--from" => from = it.next().map(PathBuf::from),
            "--methods" => only = it.next().map(|m| m.split(',').map(str::to_owned).collect::<Vec<_>>()),
            "--check" => check = true,
            other => {
                eprintln!("import: unexpected argument `{other}`\n{USAGE}");
                return ExitCode::from(2);
            }
        }
    }
    let Some(from) = from else {
        eprintln!("import: --from DIR is required\n{USAGE}");
        return ExitCode::from(2);
    };
    let start = Instant::now();
    match codegen::import::import_tree(&root(), &from, only.as_deref(), check) {
        Ok(report) => {
            print!("{report}");
            eprintln!(
                "import: {} spec file(s) checked in {:.0?}",
                report.unchanged + report.written.len() + report.stale.len() + report.missing.len(),
                start.elapsed()
            );
            if report.is_fresh() { ExitCode::SUCCESS } else { ExitCode::FAILURE }
        }
        Err(problems) => {
            for p in problems {
                eprintln!("error: {p}");
            }
            ExitCode::FAILURE
        }
    }
}
