#!/usr/bin/env bash
# The listener benchmark (issue 19): signed Events API requests (an `app_mention` event_callback,
# a unique event_id each, signed v0) handled per second on loopback, ack latency p50/p99 at a
# fixed rate (open loop), and cold start (process spawn to the first ack of a signed request,
# median of COLD_RUNS) for each target in turn, same payloads, same machine:
#   the floor: plain axum answering 200 unread (the generator, HTTP and the machine);
#   slack-api's App (`slack_api::app`, when the crate has it) and its older axum route;
#   slack-morphism's axum events listener;
#   Bolt for JS (default HTTP receiver, app.start); Bolt for Python (app.start, its built-in
#   server, and its Flask adapter under gunicorn, the production setup its docs point to).
# The load generator (xtask/bench/perf/src/bin/listener_load.rs) starts each server on a free
# port, measures it and stops it; the Bolt apps are xtask/bench/listener/bolt_app.{py,js}.
# Then the cold start of the six-task to-do app (slack-api/examples/todo_app.rs) and the
# release binaries' sizes.
# Bolt for Python and JS are installed, at the versions pinned below, under target/listener/
# (a venv and an npm folder) when missing; without python3 or node that target is skipped.
#
#   bash xtask/bench/listener.sh
#   RUNS=3 SECS=10 CONNECTIONS=32 RATE=2000 COLD_RUNS=5 ONLY="floor slack-api morphism bolt-js bolt-python" \
#     bash xtask/bench/listener.sh                 (the defaults; about 15 minutes on 2 cores)
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
perf=$root/xtask/bench/perf
apps=$root/xtask/bench/listener
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$root/target/bench}
bin=$CARGO_TARGET_DIR/release
deps=$root/target/listener
export SLACK_SIGNING_SECRET=bench-signing-secret
SECS=${SECS:-10} CONNECTIONS=${CONNECTIONS:-32} RATE=${RATE:-2000} COLD_RUNS=${COLD_RUNS:-5} RUNS=${RUNS:-3}
ONLY=${ONLY:-}
BOLT_PY=1.30.0 FLASK=3.1.3 GUNICORN=27.0.1 BOLT_JS=5.1.0
# One sync worker per core: gunicorn's documented starting point, 2 × cores + 1 (5 here), ran at
# about half the rate of 2 on this 2-core host shared with the load generator (551 vs 1,043
# requests/s), and Bolt for Python is measured at its best.
GUNICORN_WORKERS=${GUNICORN_WORKERS:-$(nproc)}

wanted() { [ -z "$ONLY" ] || [[ " $ONLY " == *" $1 "* ]]; }

echo "-- installing and building what is missing"
mkdir -p "$deps"
have_py=""
if wanted bolt-python && command -v python3 >/dev/null 2>&1; then
  if ! "$deps/venv/bin/python" -c "from importlib.metadata import version as v; assert (v('slack_bolt'), v('flask'), v('gunicorn')) == ('$BOLT_PY', '$FLASK', '$GUNICORN')" 2>/dev/null; then
    python3 -m venv "$deps/venv"
    "$deps/venv/bin/pip" install -q --disable-pip-version-check "slack_bolt==$BOLT_PY" "flask==$FLASK" "gunicorn==$GUNICORN"
  fi
  have_py=1
fi
have_js=""
if wanted bolt-js && command -v node >/dev/null 2>&1 && command -v npm >/dev/null 2>&1; then
  installed=$(node -p "require('$deps/node/node_modules/@slack/bolt/package.json').version" 2>/dev/null || true)
  if [ "$installed" != "$BOLT_JS" ]; then
    mkdir -p "$deps/node"
    (cd "$deps/node" && { [ -f package.json ] || echo '{"private": true}' > package.json; } \
      && npm install -s --no-audit --no-fund "@slack/bolt@$BOLT_JS")
  fi
  have_js=1
fi
rust_bins=(--bin listener_load --bin listen_floor --bin listen_slack_api_route)
has_app=""
if [ -f "$perf/src/bin/listen_slack_api_app.rs" ]; then rust_bins+=(--bin listen_slack_api_app); has_app=1; fi
(cd "$perf" && cargo build -q --release --no-default-features "${rust_bins[@]}")
# The six-task to-do app, the crate's own example, built as a user would (the workspace's
# release profile, the default features plus the three it needs).
todo=""
if wanted slack-api && [ -f "$root/slack-api/examples/todo_app.rs" ]; then
  cargo build -q --release -p slack-api --example todo_app --features app,axum,socket-mode
  todo=$bin/examples/todo_app
fi
if wanted morphism; then (cd "$perf" && cargo build -q --release --bin listen_morphism); fi

echo "-- versions"
echo "rustc $(rustc --version | cut -d' ' -f2); slack-morphism $(grep -A1 '^name = "slack-morphism"' "$perf/Cargo.lock" | sed -n 's/version = "\(.*\)"/\1/p'), axum $(grep -A1 '^name = "axum"' "$perf/Cargo.lock" | sed -n 's/version = "\(.*\)"/\1/p')"
[ -n "$have_py" ] && echo "$("$deps/venv/bin/python" --version); $("$deps/venv/bin/pip" freeze --disable-pip-version-check | grep -iE '^(slack[_-]bolt|slack[_-]sdk|flask|gunicorn|werkzeug)==' | tr '\n' ' ')"
[ -n "$have_js" ] && echo "node $(node --version); @slack/bolt $(node -p "require('$deps/node/node_modules/@slack/bolt/package.json').version")"
echo "machine: $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)), load average $(cut -d' ' -f1-3 /proc/loadavg)"

results=$(mktemp)
trap 'rm -f "$results"' EXIT
logs=$deps/logs  # each server's output, kept for a look after a failure
rm -rf "$logs" && mkdir -p "$logs"
run() {
  local name=$1; shift
  echo
  "$bin/listener_load" suite --name "$name" --out "$results" --log "$logs/$(echo "$name" | tr -c 'a-zA-Z0-9\n' _).log" \
    --secs "$SECS" --connections "$CONNECTIONS" --rate "$RATE" --cold-runs "$COLD_RUNS" -- "$@" \
    || echo "$name: failed (server log: $logs)"
}

# RUNS rounds, each over every target in turn, so that the host's changing load (other builds
# on the same cores) falls on all of them alike; the table gives each figure's median.
for round in $(seq "$RUNS"); do
  echo; echo "== round $round of $RUNS (load average $(cut -d' ' -f1-3 /proc/loadavg))"
  wanted floor && run "floor: axum, no Slack layer" "$bin/listen_floor"
  if wanted slack-api; then
    [ -n "$has_app" ] && run "slack-api App" "$bin/listen_slack_api_app"
    run "slack-api route" "$bin/listen_slack_api_route"
  fi
  wanted morphism && run "slack-morphism axum" "$bin/listen_morphism"
  [ -n "$have_js" ] && NODE_PATH=$deps/node/node_modules run "Bolt JS app.start" node "$apps/bolt_app.js"
  if [ -n "$have_py" ]; then
    run "Bolt Python app.start" "$deps/venv/bin/python" "$apps/bolt_app.py"
    run "Bolt Python gunicorn x$GUNICORN_WORKERS" sh -c "exec '$deps/venv/bin/gunicorn' --chdir '$apps' -b 127.0.0.1:\$PORT -w $GUNICORN_WORKERS bolt_app:flask_app"
  fi
done

echo; echo "== listener: medians of $RUNS rounds; $SECS s per measure after 2 s of warm-up, $CONNECTIONS connections;"
echo "   latency open loop at $RATE requests/s; cold start = spawn to first 2xx, median of $COLD_RUNS spawns per round"
"$bin/listener_load" report "$results"

if [ -n "$todo" ]; then
  # It binds 0.0.0.0:3000 itself; its mention listener then calls chat.postMessage, pointed at
  # a closed loopback port (the first ack comes before that call).
  echo; echo "== the six-task to-do app (slack-api/examples/todo_app.rs), spawn to first ack on :3000"
  SLACK_BOT_TOKEN=xoxb-bench SLACK_API_URL=http://127.0.0.1:9/api/ \
    "$bin/listener_load" cold --port 3000 --runs "$COLD_RUNS" --log "$logs/todo_app.log" -- "$todo" \
    || echo "todo_app: failed (is port 3000 taken? log: $logs/todo_app.log)"
fi

echo; echo "release binaries, bytes (unstripped / strip -s):"
for b in "$todo" "$bin/listen_slack_api_app" "$bin/listen_slack_api_route" "$bin/listen_morphism" "$bin/listen_floor"; do
  [ -n "$b" ] && [ -f "$b" ] || continue
  strip -s -o "$logs/stripped" "$b"
  printf '%-24s %11s %11s\n' "$(basename "$b")" "$(stat -c %s "$b")" "$(stat -c %s "$logs/stripped")"
done
