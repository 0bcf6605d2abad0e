# A target of the listener benchmark (xtask/bench/listener.sh): Bolt for Python with one
# listener for app_mention that does nothing, on 127.0.0.1:$PORT at /slack/events.
#
#   python bolt_app.py           Bolt's built-in server, app.start() (http.server, one thread)
#   gunicorn bolt_app:flask_app  Bolt's Flask adapter under gunicorn, the production setup
#                                Bolt's docs point to (listener.sh chooses the workers)
#
# The bot token and ids come from an authorize function so that Bolt makes no auth.test call
# (there is no Slack to call); process_before_response is left at its default (False).
import os

from slack_bolt import App
from slack_bolt.authorization import AuthorizeResult


def authorize(enterprise_id, team_id, logger):
    return AuthorizeResult(
        enterprise_id=enterprise_id,
        team_id=team_id,
        bot_token="xoxb-bench",
        bot_id="B123ABC456",
        bot_user_id="U123ABC456",
    )


app = App(signing_secret=os.environ["SLACK_SIGNING_SECRET"], authorize=authorize)


@app.event("app_mention")
def on_mention():
    pass  # the listener: nothing to do


def _flask_app():
    from flask import Flask, request
    from slack_bolt.adapter.flask import SlackRequestHandler

    handler = SlackRequestHandler(app)
    web = Flask(__name__)

    @web.route("/slack/events", methods=["POST"])
    def slack_events():
        return handler.handle(request)

    return web


if __name__ == "__main__":
    # Request logging off: one line per request on stderr would be the server's main cost.
    app.start(port=int(os.environ["PORT"]), http_server_logger_enabled=False)
else:
    flask_app = _flask_app()
