// The fake Slack in a process of its own, so that answering the bot's Web API
// calls and response_url posts does not share an event loop with the load
// generator that times the acks. Prints its base URL, then serves until SIGTERM.
import { startFakeSlack } from "../src/sandbox/fake-slack.js";
import { BENCH_TEAM_ID } from "./seed.js";

const fake = await startFakeSlack({ teamId: BENCH_TEAM_ID, port: Number(process.env.PORT ?? "0") });
process.stdout.write(`${fake.baseUrl}\n`);
// Nothing reads this process's record of calls (the bench only needs the answers), so it is
// dropped every 5 s: kept for a 10-minute soak it grew by every call (120,000+) and its garbage
// collection took CPU from the bot under test more and more as the run went on.
setInterval(() => fake.reset(), 5_000).unref();
process.on("SIGTERM", () => {
  void fake.close().then(() => process.exit(0));
});
