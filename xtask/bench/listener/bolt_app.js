// A target of the listener benchmark (xtask/bench/listener.sh): Bolt for JS with its default
// HTTP receiver (app.start(port)) and one listener for app_mention that does nothing, on
// $PORT at /slack/events. botId and botUserId are given so that Bolt makes no auth.test call
// (there is no Slack to call); processBeforeResponse is left at its default (false).
const { App, LogLevel } = require('@slack/bolt');

const app = new App({
  token: 'xoxb-bench',
  signingSecret: process.env.SLACK_SIGNING_SECRET,
  botId: 'B123ABC456',
  botUserId: 'U123ABC456',
  logLevel: LogLevel.ERROR,
});

app.event('app_mention', async () => {
  // the listener: nothing to do
});

(async () => {
  await app.start(Number(process.env.PORT));
})();
