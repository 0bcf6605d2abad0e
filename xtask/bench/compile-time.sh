#!/usr/bin/env bash
# Clean-build times, measured in one run on this machine:
#   1. slack-api with every method family (default features),
#   2. slack-api with one family (`chat`),
#   2b. slack-api with every family and the `socket-mode` feature,
#   3. slack-morphism 2.31 (feature `hyper`), the most used Rust Slack SDK,
# each as the only dependency of a scratch crate with its own empty target directory, so each
# figure includes every dependency. Also the time to rebuild just the SDK crate itself.
# Prints figures and ratios. Not part of CI: it downloads and compiles the comparison crate.
#
#   bash xtask/bench/compile-time.sh            # dev profile (what `cargo build` does)
#   PROFILE=release bash xtask/bench/compile-time.sh
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
work=${BENCH_DIR:-${TMPDIR:-/tmp}/slack-api-compile-bench}
profile=${PROFILE:-dev}
jobs=${JOBS:-$(nproc)}
rm -rf "$work"; mkdir -p "$work"

scratch() { # name, dependency line, main.rs body
  mkdir -p "$work/$1/src"
  cat > "$work/$1/Cargo.toml" <<TOML
[package]
name = "$1"
version = "0.0.0"
edition = "2021"
publish = false
[dependencies]
$2
[workspace]
TOML
  printf '%s\n' "$3" > "$work/$1/src/main.rs"
}

scratch all "slack-api = { path = \"$root/slack-api\" }" \
  'fn main() { let _ = slack_api::Client::new("xoxb-x"); }'
scratch one "slack-api = { path = \"$root/slack-api\", default-features = false, features = [\"chat\"] }" \
  'fn main() { let _ = slack_api::Client::new("xoxb-x"); }'
scratch socket "slack-api = { path = \"$root/slack-api\", features = [\"socket-mode\"] }" \
  'fn main() { let _ = slack_api::socket_mode::SocketMode::builder("xapp-x").build(); }'
scratch morphism 'slack-morphism = { version = "=2.31.1", features = ["hyper"] }' \
  'fn main() { let _ = slack_morphism::prelude::SlackClientHyperConnector::new(); }'

now() { date +%s.%N; }
declare -A clean crate
for c in all socket one morphism; do
  (cd "$work/$c" && cargo fetch -q)   # downloads are not compile time
  start=$(now)
  (cd "$work/$c" && CARGO_TARGET_DIR="$work/$c/target" cargo build -q --profile "$profile" -j "$jobs")
  clean[$c]=$(echo "$(now) - $start" | bc)
  # The SDK crate alone: touch its sources and rebuild.
  case $c in
    morphism) src=$(find "$HOME/.cargo/registry/src" -maxdepth 1 -mindepth 1 -type d | head -1)/slack-morphism-2.31.1/src/lib.rs ;;
    *) src=$root/slack-api/src/lib.rs ;;
  esac
  touch "$src"
  start=$(now)
  (cd "$work/$c" && CARGO_TARGET_DIR="$work/$c/target" cargo build -q --profile "$profile" -j "$jobs")
  crate[$c]=$(echo "$(now) - $start" | bc)
done
# Registry sources are not normally rebuilt on touch; report only what was measured.
methods=$(ls "$root/spec/methods" | wc -l)
chat=$(ls "$root/spec/methods" | grep -c '^chat\.')
printf '\nclean %s build on %s cores (%s)\n' "$profile" "$jobs" "$(uname -m)"
printf '%-42s %8s %14s\n' "crate" "clean s" "crate only s"
printf '%-42s %8.1f %14.1f\n' "slack-api, all $methods methods" "${clean[all]}" "${crate[all]}"
printf '%-42s %8.1f %14.1f\n' "slack-api, all + socket-mode" "${clean[socket]}" "${crate[socket]}"
printf '%-42s %8.1f %14.1f\n' "slack-api, chat only ($chat methods)" "${clean[one]}" "${crate[one]}"
printf '%-42s %8.1f %14s\n' "slack-morphism 2.31.1 (hyper, 71 methods)" "${clean[morphism]}" "-"
printf 'ratio all / slack-morphism: %.2f\n' "$(echo "${clean[all]} / ${clean[morphism]}" | bc -l)"
printf 'ratio all + socket-mode / all: %.2f\n' "$(echo "${clean[socket]} / ${clean[all]}" | bc -l)"
printf 'ratio one / slack-morphism: %.2f\n' "$(echo "${clean[one]} / ${clean[morphism]}" | bc -l)"
