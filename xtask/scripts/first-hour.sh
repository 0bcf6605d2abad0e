#!/usr/bin/env bash
# The newcomer's first hour, scripted: builds and runs each example of slack-api/examples/ the way
# the README tells a new user to, against the loopback stand-in for Slack
# (`cargo run -p slack-api-tests --bin mock_slack`). CI runs it; it fails on the first example
# that does not build or run.
set -euo pipefail
cd "$(dirname "$0")/../.."

cargo build -q --locked -p slack-api-tests --bin mock_slack
cargo build -q --locked -p slack-api --examples
target=${CARGO_TARGET_DIR:-target}

# The stand-in serves until its stdin closes.
coproc MOCK { "$target/debug/mock_slack"; }
read -r url <&"${MOCK[0]}"
trap 'kill "$MOCK_PID" 2>/dev/null || true' EXIT
echo "loopback Slack at $url"

export SLACK_API_URL=$url SLACK_TOKEN=xoxb-first-hour-token SLACK_CHANNEL=C0123456789
export SLACK_CLIENT_ID=1234.5678 SLACK_CLIENT_SECRET=example-secret SLACK_OAUTH_CODE=example-code
for example in slack-api/examples/*.rs; do
  name=$(basename "$example" .rs)
  echo "-- example $name"
  "$target/debug/examples/$name"
done
