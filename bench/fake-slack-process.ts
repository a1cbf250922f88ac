// The fake Slack in a process of its own, so that answering the bot's Web API
// calls and response_url posts does not share an event loop with the load
// generator that times the acks. Prints its base URL, then serves until SIGTERM.
import { startFakeSlack } from "../src/sandbox/fake-slack.js";
import { BENCH_TEAM_ID } from "./seed.js";

const fake = await startFakeSlack({ teamId: BENCH_TEAM_ID, port: Number(process.env.PORT ?? "0") });
process.stdout.write(`${fake.baseUrl}\n`);
process.on("SIGTERM", () => {
  void fake.close().then(() => process.exit(0));
});
