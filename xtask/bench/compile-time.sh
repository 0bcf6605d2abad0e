#!/usr/bin/env bash
# Clean-build times, measured in one run on this machine:
#   1. slack-api with every method family (default features),
#   2. slack-api with one family (`chat`),
#   2b. slack-api with every family and the `socket-mode` feature,
#   2c. slack-api with every family and the app framework over both transports (`app`,
#       `axum`, `socket-mode`): what an app built with `slack_api::app` compiles,
#   2e. (`ONLY=... sqlite postgres`) an app for many workspaces: 2c plus `install` with the
#       SQLite store (`sqlite`, SQLite's C compiled in) or the PostgreSQL store (`postgres`),
#   2f. (`ONLY=... testkit`) an app's tests: slack-api (all) as a dependency and
#       slack-api-testkit as a dev-dependency, built with `cargo test --no-run`; its "own
#       crates" figure also touches the test kit's sources,
#   2d. (`ONLY=... base`, with BASE=<commit>) the default build of an earlier commit, from a
#       git worktree, to show how much a change grows the default build,
#   3. slack-morphism 2.31 (feature `hyper`), the most used Rust Slack SDK,
# each as the only dependency of a scratch crate with its own empty target directory, so each
# figure includes every dependency. Also the time to rebuild just the SDK's own crates
# (touching slack-api-model's and slack-api's sources rebuilds all four). Each configuration is built RUNS times (default 2), the
# configurations taking turns, and the median is reported: one build of the comparison crate
# varies by 10-20 % on a shared 2-core host.
#
# CARGO_INCREMENTAL=0: a user's clean build compiles slack-api from the registry, which cargo
# never builds incrementally (slack-morphism here is such a registry crate); the scratch
# crates name slack-api by path, which cargo would otherwise build incrementally, spending
# seconds writing an incremental cache no user's build has.
#
# Prints figures and ratios. Not part of CI: it downloads and compiles the comparison crate.
#
#   bash xtask/bench/compile-time.sh            # dev profile (what `cargo build` does)
#   PROFILE=release RUNS=3 bash xtask/bench/compile-time.sh
#   ONLY="all morphism" RUNS=3 bash xtask/bench/compile-time.sh   # just the headline ratio
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
work=${BENCH_DIR:-${TMPDIR:-/tmp}/slack-api-compile-bench}
profile=${PROFILE:-dev}
jobs=${JOBS:-$(nproc)}
runs=${RUNS:-2}
configs=${ONLY:-all socket one morphism}
export CARGO_INCREMENTAL=0
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
scratch app "slack-api = { path = \"$root/slack-api\", features = [\"app\", \"axum\", \"socket-mode\"] }" \
  'fn main() { let _ = slack_api::app::App::new(slack_api::Client::new("xoxb-x").unwrap()); }'
scratch sqlite "slack-api = { path = \"$root/slack-api\", features = [\"app\", \"axum\", \"socket-mode\", \"sqlite\"] }" \
  'fn main() { let _ = slack_api::install::SqliteStore::open("x.db"); }'
scratch postgres "slack-api = { path = \"$root/slack-api\", features = [\"app\", \"axum\", \"socket-mode\", \"postgres\"] }" \
  'fn main() { let _ = slack_api::install::PostgresStore::connect("postgres://x"); }'
scratch testkit "slack-api = { path = \"$root/slack-api\" }
[dev-dependencies]
slack-api-testkit = { path = \"$root/slack-api-testkit\" }
tokio = { version = \"1\", features = [\"macros\", \"rt\"] }" \
  'fn main() { let _ = slack_api::Client::new("xoxb-x"); }
#[cfg(test)]
mod tests {
    #[tokio::test]
    async fn posts() {
        let fake = slack_api_testkit::FakeSlack::start().await;
        let req = slack_api::chat::ChatPostMessageRequest::new("C1").text("hi");
        fake.client("xoxb-1").call(&req).await.unwrap();
        assert_eq!(fake.calls::<slack_api::chat::ChatPostMessageRequest>().len(), 1);
    }
}'
if [[ " $configs " == *" base "* ]]; then
  base_tree="$work/base-tree"
  git -C "$root" worktree add -f --detach "$base_tree" "${BASE:?set BASE to the commit to compare with}" >/dev/null
  trap 'git -C "$root" worktree remove --force "$base_tree"' EXIT
  scratch base "slack-api = { path = \"$base_tree/slack-api\" }" \
    'fn main() { let _ = slack_api::Client::new("xoxb-x"); }'
fi
scratch morphism 'slack-morphism = { version = "=2.31.1", features = ["hyper"] }' \
  'fn main() { let _ = slack_morphism::prelude::SlackClientHyperConnector::new(); }'

now() { date +%s.%N; }
median() { printf '%s\n' "$@" | sort -g | awk '{v[NR]=$1} END {print (NR%2 ? v[(NR+1)/2] : (v[NR/2]+v[NR/2+1])/2)}'; }
declare -A clean crate
for c in $configs; do (cd "$work/$c" && cargo fetch -q); done   # downloads are not compile time
for run in $(seq "$runs"); do
  for c in $configs; do
    rm -rf "$work/$c/target"
    start=$(now)
    build=(build); [[ $c == testkit ]] && build=(test --no-run)
    (cd "$work/$c" && CARGO_TARGET_DIR="$work/$c/target" cargo "${build[@]}" -q --profile "$profile" -j "$jobs")
    clean[$c]="${clean[$c]:-} $(echo "$(now) - $start" | bc)"
    # The SDK's own crates alone: touch their sources and rebuild.
    case $c in
      morphism) touch "$(find "$HOME/.cargo/registry/src" -maxdepth 2 -type d -name slack-morphism-2.31.1 | head -1)/src/lib.rs" ;;
      testkit) touch "$root/slack-api/src/lib.rs" "$root/slack-api-model/src/lib.rs" "$root/slack-api-testkit/src/lib.rs" ;;
      *) touch "$root/slack-api/src/lib.rs" "$root/slack-api-model/src/lib.rs" ;;
    esac
    start=$(now)
    (cd "$work/$c" && CARGO_TARGET_DIR="$work/$c/target" cargo "${build[@]}" -q --profile "$profile" -j "$jobs")
    crate[$c]="${crate[$c]:-} $(echo "$(now) - $start" | bc)"
    echo "run $run $c: clean ${clean[$c]##* } s, own crates ${crate[$c]##* } s" >&2
  done
done
for c in $configs; do
  clean[$c]=$(median ${clean[$c]}); crate[$c]=$(median ${crate[$c]})
done
# Registry sources are not normally rebuilt on touch; report only what was measured.
methods=$(ls "$root/spec/methods" | wc -l)
chat=$(ls "$root/spec/methods" | grep -c '^chat\.')
printf '\nclean %s build on %s cores (%s), median of %s runs\n' "$profile" "$jobs" "$(uname -m)" "$runs"
printf '%-42s %8s %14s\n' "crate" "clean s" "own crates s"
row() { [[ -n "${clean[$1]:-}" ]] && printf '%-42s %8.1f %14s\n' "$2" "${clean[$1]}" "$3"; return 0; }
row all "slack-api, all $methods methods" "$(printf %.1f "${crate[all]:-0}")"
row socket "slack-api, all + socket-mode" "$(printf %.1f "${crate[socket]:-0}")"
row one "slack-api, chat only ($chat methods)" "$(printf %.1f "${crate[one]:-0}")"
row app "slack-api, all + app, axum, socket-mode" "$(printf %.1f "${crate[app]:-0}")"
row sqlite "slack-api, 2c + install, sqlite" "$(printf %.1f "${crate[sqlite]:-0}")"
row postgres "slack-api, 2c + install, postgres" "$(printf %.1f "${crate[postgres]:-0}")"
row testkit "2f: app tests with slack-api-testkit (dev)" "$(printf %.1f "${crate[testkit]:-0}")"
row base "slack-api, all, at ${BASE:-base}" "-"
row morphism "slack-morphism 2.31.1 (hyper, 71 methods)" "-"
ratio() { [[ -n "${clean[$2]:-}" && -n "${clean[$3]:-}" ]] && printf 'ratio %s: %.2f\n' "$1" "$(echo "${clean[$2]} / ${clean[$3]}" | bc -l)"; return 0; }
ratio "all / slack-morphism" all morphism
ratio "all + socket-mode / all" socket all
ratio "one / slack-morphism" one morphism
ratio "all / all at ${BASE:-base} (default build growth)" all base
ratio "all + app, axum, socket-mode / all" app all
ratio "2f tests with the test kit / all" testkit all
ratio "2c + sqlite / 2c" sqlite app
ratio "2c + postgres / 2c" postgres app
