#!/usr/bin/env bash
# Installation lookup per request (BENCHMARKS.md §13): 10,000 installations in SQLite and in a
# PostgreSQL started here on a free port (a throwaway cluster, as the tests use), looked up at
# random without and with a cache. Needs PostgreSQL's server (`apt-get install -y postgresql`).
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$root/target/bench}
cargo build -q --release --no-default-features --manifest-path "$root/xtask/bench/perf/Cargo.toml" --bin install_lookup

bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
[ -x "$bin/initdb" ] || { echo "PostgreSQL's server is not installed: apt-get install -y postgresql" >&2; exit 1; }
dir=$(mktemp -d)
as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
[ "$(id -u)" = 0 ] && chown postgres: "$dir"
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
as_pg "$bin/initdb" -D "$dir/data" -U postgres -A trust -E UTF8 --no-sync >/dev/null
as_pg "$bin/postgres" -D "$dir/data" -p "$port" -k "$dir" -c listen_addresses=127.0.0.1 >/dev/null 2>&1 &
trap 'kill -QUIT $(head -1 "$dir/data/postmaster.pid" 2>/dev/null) 2>/dev/null || true; sleep 0.5; rm -rf "$dir"' EXIT
until "$bin/pg_isready" -q -h 127.0.0.1 -p "$port"; do sleep 0.1; done
PG_URL="postgres://postgres@127.0.0.1:$port/postgres" "$CARGO_TARGET_DIR/release/install_lookup"
