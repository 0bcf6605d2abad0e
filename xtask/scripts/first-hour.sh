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
  [ "$name" = todo_app ] && continue # an app, not a script: served and driven below
  echo "-- example $name"
  "$target/debug/examples/$name"
done

# The app example, as its doc comment says to run it, answering signed requests as Slack sends
# them (tests/tests/app.rs drives every one of its six tasks; this checks the binary a user runs).
echo "-- example todo_app (served over HTTP, sent signed requests)"
cargo build -q --locked -p slack-api --features app,axum,socket-mode --example todo_app
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
SLACK_BOT_TOKEN=$SLACK_TOKEN SLACK_SIGNING_SECRET=first-hour-secret PORT=$port "$target/debug/examples/todo_app" &
app_pid=$!
trap 'kill "$MOCK_PID" "$app_pid" 2>/dev/null || true' EXIT
python3 - "$port" <<'PY'
import hashlib, hmac, json, sys, time, urllib.parse, urllib.request
url = f"http://127.0.0.1:{sys.argv[1]}/slack/events"
def send(body, content_type):
    ts = str(int(time.time()))
    sig = "v0=" + hmac.new(b"first-hour-secret", f"v0:{ts}:{body}".encode(), hashlib.sha256).hexdigest()
    req = urllib.request.Request(url, body.encode(), {"content-type": content_type, "x-slack-request-timestamp": ts, "x-slack-signature": sig})
    with urllib.request.urlopen(req, timeout=5) as r:
        return r.status, r.read().decode()
for _ in range(200):  # wait for the app to listen
    try:
        urllib.request.urlopen(urllib.request.Request(url, b"ssl_check=1&token=x"), timeout=1)
        break
    except OSError:
        time.sleep(0.05)
got = send(json.dumps({"type": "url_verification", "challenge": "first-hour", "token": "t"}), "application/json")
assert got == (200, "first-hour"), got
form = urllib.parse.urlencode({"command": "/todo", "text": "try the app", "team_id": "T1", "user_id": "U1", "channel_id": "C0123456789", "response_url": "http://127.0.0.1:9/respond", "trigger_id": "1.2.3"})
assert send(form, "application/x-www-form-urlencoded") == (200, ""), "the command is acked empty at once"
view = {"type": "view_submission", "team": {"id": "T1"}, "user": {"id": "U1"}, "view": {"id": "V1", "callback_id": "new_todo", "state": {"values": {"task": {"task": {"type": "plain_text_input", "value": ""}}}}}}
status, body = send(urllib.parse.urlencode({"payload": json.dumps(view)}), "application/x-www-form-urlencoded")
assert status == 200 and json.loads(body) == {"response_action": "errors", "errors": {"task": "Write what there is to do."}}, body
print("todo_app answered url_verification, /todo and a view submission as Slack expects")
PY
kill "$app_pid"
