#!/usr/bin/env bash
# What rustdoc's search shows first for Slack method names, in headless Chromium (Debian's
# `chromium` package): builds the docs, then prints the top three results per query.
#   bash xtask/scripts/doc-search.sh [QUERY...]
set -euo pipefail
cd "$(dirname "$0")/../.."
command -v chromium >/dev/null || { echo "needs chromium: apt-get install -y chromium" >&2; exit 1; }
cargo doc -q -p slack-api --all-features --no-deps
target=${CARGO_TARGET_DIR:-target}
profile=$(mktemp -d)
trap 'rm -rf "$profile"' EXIT
queries=("$@")
[ ${#queries[@]} -gt 0 ] || queries=(chat.postMessage views.open oauth.v2.access users.list postMessage members)
for q in "${queries[@]}"; do
  chromium --headless --no-sandbox --disable-gpu --disable-background-networking --disable-component-update \
    --disable-sync --no-first-run --user-data-dir="$profile" --virtual-time-budget=8000 \
    --dump-dom "file://$PWD/$target/doc/slack_api/index.html?search=$q" 2>/dev/null \
    | python3 -c '
import re, sys
items = re.findall(r"<a class=\"result-[a-z]+\" href=\"([^\"]+)\"", sys.stdin.read())
print(f"{sys.argv[1]:<20} -> " + ", ".join(i.split("/")[-1] for i in items[:3]))' "$q"
done
