// The reference for the ack benchmark: a bare Bolt app on Bolt's own HTTP
// receiver that only acknowledges `/alumni`. Same Bolt version, same signature
// checks, same fake Slack (auth.test on the first request), nothing else.
import bolt from "@slack/bolt";

const port = Number(process.env.PORT ?? "3100");
const app = new bolt.App({
  signingSecret: process.env.SLACK_SIGNING_SECRET ?? "",
  token: process.env.SLACK_BOT_TOKEN ?? "",
  clientOptions: { slackApiUrl: process.env.SLACK_API_URL ?? "" },
  logLevel: bolt.LogLevel.ERROR,
});
app.command("/alumni", async ({ ack }) => {
  await ack();
});
await app.start(port);
process.stdout.write(`bare bolt listening on ${port}\n`);
process.on("SIGTERM", () => {
  void app.stop().then(() => process.exit(0));
});
