#!/usr/bin/env bash
# Every benchmark figure in BENCHMARKS.md, measured in one run on this machine:
#   1. code generation: `xtask codegen` and `--check` with a warm release binary (median of 11);
#   2. compile time: clean builds of slack-api (all families, one) and slack-morphism 2.31 (hyper);
#   3. per call: slack-api vs a plain reqwest request vs slack-morphism (criterion);
#   4. decoding a 1,000-member users.list page and a 200-message conversations.history page:
#      typed vs serde_json::Value vs slack-morphism;
#   4b. memory amplification of hostile answers (peak heap ÷ answer size), limiter memory;
#   4c. the Redis-backed limiter: per-call p50/p99, four clients sharing one budget vs ideal;
#   5. paginating 10,000 and 100,000 users: peak memory;
#   6. Block Kit: build + validate + serialise a 50-block message vs slack-morphism build + serialise.
#   7. Socket Mode through the loopback simulator: events/s and ack latency p50/p99
#      (decoding Events API payloads vs slack-morphism is part of 3 and 4, and 4d in instructions).
#   8. Listening over HTTP: signed requests per second, ack latency p50/p99 at 2,000/s and cold
#      start of slack-api's App vs slack-morphism's axum listener, Bolt for JS and Bolt for
#      Python (xtask/bench/listener.sh, which installs the Bolts under target/listener/).
#   9. Installation lookup per request, 10,000 installations, SQLite and PostgreSQL, with and
#      without a cache (xtask/bench/install.sh, which starts a throwaway PostgreSQL).
# The decoder's fuzz run (a million inputs) is `bash xtask/bench/fuzz.sh`.
# Not part of CI: it compiles criterion and the comparison crates.
#
#   bash xtask/bench/run.sh            # everything (about 35 minutes on 2 cores)
#   SKIP_COMPILE=1 bash xtask/bench/run.sh   # all but the clean-build timings
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
perf=$root/xtask/bench/perf
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$root/target/bench}
cd "$root"

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

echo "== 1. code generation (warm release binary, median of 11)"
cargo build -q --release -p xtask
xt=$CARGO_TARGET_DIR/release/xtask
"$xt" codegen --check >/dev/null 2>&1  # warm the page cache
for mode in "" "--check"; do
  ms=$(for _ in $(seq 11); do
    s=$(date +%s%N); "$xt" codegen $mode >/dev/null 2>&1; e=$(date +%s%N); echo $(( (e - s) / 1000000 ))
  done | median)
  echo "xtask codegen ${mode:-(write)}: ${ms} ms for $(ls spec/methods | wc -l) methods"
done

if [ -z "${SKIP_COMPILE:-}" ]; then
  echo; echo "== 2. compile time (clean builds)"
  bash "$root/xtask/bench/compile-time.sh"
fi

echo; echo "== 3 and 4. per call and decoding (criterion)"
(cd "$perf" && cargo bench -q --bench per_call --bench decode --bench events --bench block_kit -- --noplot 2>&1 | grep -E "time:|^[a-z].*/" || true)

python3 - "$CARGO_TARGET_DIR/criterion" <<'PY'
import json, os, sys
base = sys.argv[1]
def median_ns(group, bench):
    p = os.path.join(base, group, bench, "new", "estimates.json")
    return json.load(open(p))["median"]["point_estimate"]
print()
print(f"{'benchmark':<48} {'median':>12}")
rows = [
    ("users.list", ["slack-api", "plain reqwest", "slack-morphism"]),
    ("chat.postMessage", ["slack-api", "plain reqwest", "slack-morphism"]),
    ("decode users.list 1000", ["slack-api typed", "serde_json Value", "slack-morphism typed"]),
    ("decode conversations.history 200", ["slack-api typed", "serde_json Value", "slack-morphism typed"]),
    ("decode events", ["slack-api typed", "serde_json Value", "slack-morphism typed"]),
]
for group, benches in rows:
    t = {b: median_ns(group, b) for b in benches}
    for b in benches:
        print(f"{group + ' / ' + b:<48} {t[b] / 1000:>9.1f} µs")
    first, second, third = benches
    print(f"  ratio {first} / {second}: {t[first] / t[second]:.3f}")
    print(f"  ratio {first} / {third}: {t[first] / t[third]:.3f}")
t, u = median_ns("chat.postMessage", "slack-api"), median_ns("chat.postMessage", "slack-api without timeout")
print(f"chat.postMessage timer cost (default limits vs none): {t / 1000:.1f} vs {u / 1000:.1f} µs, ratio {t / u:.3f}")
g = "block kit 50 blocks"
t = {b: median_ns(g, b) for b in ["slack-api build+validate+serialise", "slack-api build+serialise", "slack-api validate", "slack-morphism build+serialise"]}
for b, ns in t.items():
    print(f"{g + ' / ' + b:<64} {ns / 1000:>9.1f} µs")
print(f"  ratio slack-api build+validate+serialise / slack-morphism build+serialise: {t['slack-api build+validate+serialise'] / t['slack-morphism build+serialise']:.3f}")
print(f"  validation's share of slack-api's time: {t['slack-api validate'] / t['slack-api build+validate+serialise']:.1%}")
PY

echo; echo "== 3b. per call in instructions (callgrind: repeatable where wall time is noisy)"
if command -v valgrind >/dev/null 2>&1; then
  (cd "$perf" && cargo build -q --release --bin profile_call)
  declare -A ins
  for who in slack-api slack-api-no-timer plain slack-morphism; do
    ins[$who]=$(valgrind --tool=callgrind --callgrind-out-file=/dev/null "$CARGO_TARGET_DIR/release/profile_call" "$who" 3000 2>&1 \
      | awk '/Collected/ {print $4}')
    echo "chat.postMessage x3000 / $who: ${ins[$who]} instructions ($(( ${ins[$who]} / 3000 )) per call, server included)"
  done
  echo "  ratio slack-api / plain reqwest: $(echo "scale=3; ${ins[slack-api]} / ${ins[plain]}" | bc)"
  echo "  ratio slack-api / slack-morphism: $(echo "scale=3; ${ins[slack-api]} / ${ins[slack-morphism]}" | bc)"
  echo "  timer cost: $(( (${ins[slack-api]} - ${ins[slack-api-no-timer]}) / 3000 )) instructions per call; ratio with / without timer: $(echo "scale=3; ${ins[slack-api]} / ${ins[slack-api-no-timer]}" | bc)"
else
  echo "valgrind not installed: skipped (apt-get install valgrind)"
fi

echo; echo "== 4b. memory amplification of hostile answers, limiter memory per key"
(cd "$perf" && cargo run -q --release --no-default-features --bin amplification)

echo; echo "== 4c. the Redis-backed limiter: per-call latency, four clients on one budget"
if command -v redis-server >/dev/null 2>&1; then
  (cd "$perf" && cargo run -q --release --no-default-features --bin redis_limiter)
else
  echo "redis-server not installed: skipped (apt-get install -y redis-server)"
fi

echo; echo "== 4d. decoding event callbacks in instructions (callgrind)"
if command -v valgrind >/dev/null 2>&1; then
  (cd "$perf" && cargo build -q --release --bin profile_events)
  declare -A ev
  for who in slack-api slack-morphism value; do
    base=$(valgrind --tool=callgrind --callgrind-out-file=/dev/null "$CARGO_TARGET_DIR/release/profile_events" "$who" 0 2>&1 | awk '/Collected/ {print $4}')
    full=$(valgrind --tool=callgrind --callgrind-out-file=/dev/null "$CARGO_TARGET_DIR/release/profile_events" "$who" 10 2>&1 | awk '/Collected/ {print $4}')
    ev[$who]=$(( full - base ))
    echo "7,000 event callbacks / $who: ${ev[$who]} instructions ($(( ${ev[$who]} / 7000 )) per payload)"
  done
  echo "  ratio slack-api / slack-morphism: $(echo "scale=3; ${ev[slack-api]} / ${ev[slack-morphism]}" | bc)"
  echo "  ratio slack-api / serde_json Value: $(echo "scale=3; ${ev[slack-api]} / ${ev[value]}" | bc)"
else
  echo "valgrind not installed: skipped (apt-get install valgrind)"
fi

echo; echo "== 6b. Block Kit in instructions (callgrind): 2,000 messages of 50 blocks"
if command -v valgrind >/dev/null 2>&1; then
  (cd "$perf" && cargo build -q --release --bin profile_blocks)
  declare -A bk
  (cd "$perf" && "$CARGO_TARGET_DIR/release/profile_blocks" slack-api 1 check | tail -1)
  for who in slack-api slack-api-novalidate slack-api-serde slack-morphism; do
    bk[$who]=$(valgrind --tool=callgrind --callgrind-out-file=/dev/null "$CARGO_TARGET_DIR/release/profile_blocks" "$who" 2000 2>&1 \
      | awk '/Collected/ {print $4}')
    echo "50-block message x2000 / $who: ${bk[$who]} instructions ($(( ${bk[$who]} / 2000 )) per message)"
  done
  echo "  ratio slack-api build+validate+serialise / slack-morphism build+serialise: $(echo "scale=3; ${bk[slack-api]} / ${bk[slack-morphism]}" | bc)"
  echo "  ratio without validation: $(echo "scale=3; ${bk[slack-api-novalidate]} / ${bk[slack-morphism]}" | bc)"
  echo "  ratio through serde_json::to_string instead: $(echo "scale=3; ${bk[slack-api-serde]} / ${bk[slack-morphism]}" | bc)"
  echo "  validation's share: $(echo "scale=3; (${bk[slack-api]} - ${bk[slack-api-novalidate]}) * 100 / ${bk[slack-api]}" | bc) %"
else
  echo "valgrind not installed: skipped (apt-get install valgrind)"
fi

echo; echo "== 5. pagination memory"
(cd "$perf" && cargo build -q --release --bin paginate_memory)
# Not `| head -1`: head exits after one line, the binary's second println! then fails with a
# broken pipe, and under pipefail that ended the whole script. grep reads every line.
for n in 10000 100000; do "$CARGO_TARGET_DIR/release/paginate_memory" "$n" | grep '^paginate '; done

echo; echo "== 7. Socket Mode through the loopback simulator"
cargo run -q --release -p slack-api-tests --example socket_mode_throughput

echo; echo "== 8. listening over HTTP: slack-api's App vs slack-morphism, Bolt for JS and Python"
bash "$root/xtask/bench/listener.sh"

echo; echo "== 9. installation lookup per request: SQLite and PostgreSQL, with and without a cache"
bash "$root/xtask/bench/install.sh"
