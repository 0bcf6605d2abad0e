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
  case $name in todo_app | distributed_app) continue ;; esac # apps, not scripts: served and driven below
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

# The distributed app: installed through its own install page and redirect (the loopback Slack
# exchanges the code), then restarted on the same SQLite file, where the installation is still
# found for the workspace's command.
echo "-- example distributed_app (installed through /slack/install, restarted, asked /installed)"
cargo build -q --locked -p slack-api --features app,axum,sqlite --example distributed_app
db_dir=$(mktemp -d)
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
start_app() {
  SLACK_SIGNING_SECRET=first-hour-secret PORT=$port DATABASE="$db_dir/installations.db" \
    INSTALLATION_KEY=$(printf '42%.0s' $(seq 32)) "$target/debug/examples/distributed_app" >/dev/null &
  app_pid=$!
}
start_app
trap 'kill "$MOCK_PID" "$app_pid" 2>/dev/null || true; rm -rf "$db_dir"' EXIT
python3 - "$port" install <<'PY'
import sys, time, urllib.parse, urllib.request
base = f"http://127.0.0.1:{sys.argv[1]}"
for _ in range(200):  # wait for the app to listen
    try:
        page = urllib.request.urlopen(base + "/slack/install", timeout=1)
        break
    except OSError:
        time.sleep(0.05)
assert page.status == 200
cookie = page.headers["set-cookie"].split(";")[0]
href = page.read().decode().split('href="')[1].split('"')[0].replace("&amp;", "&")
query = dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(href).query))
assert query["scope"] == "app_mentions:read,chat:write,commands", query
done = urllib.request.urlopen(urllib.request.Request(
    base + "/slack/oauth_redirect?" + urllib.parse.urlencode({"code": "example-code", "state": query["state"]}),
    headers={"cookie": cookie}), timeout=5)
assert done.status == 200 and "installed" in done.read().decode(), "the install completes"
print("distributed_app: installed through its install page and redirect")
PY
kill "$app_pid"; wait "$app_pid" 2>/dev/null || true
if strings "$db_dir/installations.db"* 2>/dev/null | grep -q 'xoxb-'; then
  echo "the SQLite file shows a token in clear" >&2; exit 1
fi
start_app
python3 - "$port" <<'PY'
import hashlib, hmac, json, sys, time, urllib.parse, urllib.request
url = f"http://127.0.0.1:{sys.argv[1]}/slack/events"
for _ in range(200):
    try:
        urllib.request.urlopen(urllib.request.Request(url, b"ssl_check=1&token=x"), timeout=1)
        break
    except OSError:
        time.sleep(0.05)
body = urllib.parse.urlencode({"command": "/installed", "text": "", "team_id": "T0001", "user_id": "U1", "channel_id": "C1", "response_url": "http://127.0.0.1:9/r", "trigger_id": "1.2.3"})
ts = str(int(time.time()))
sig = "v0=" + hmac.new(b"first-hour-secret", f"v0:{ts}:{body}".encode(), hashlib.sha256).hexdigest()
req = urllib.request.Request(url, body.encode(), {"content-type": "application/x-www-form-urlencoded", "x-slack-request-timestamp": ts, "x-slack-signature": sig})
with urllib.request.urlopen(req, timeout=5) as r:
    answer = json.loads(r.read().decode())
assert answer == {"response_type": "ephemeral", "text": "Installed in Example."}, answer
print("distributed_app: after a restart, the installation in the SQLite file answers /installed")
PY
kill "$app_pid"
