// The fake Bot Connector in a process of its own (like bench/fake-slack-process.ts):
// the bot's Teams replies are answered here, not on the load generator's event loop.
// FAKE_CONNECTOR_MEMBERS (JSON: [{id, name, aadObjectId}]) are known to its member
// lookups, as the users in a real conversation are. Serves until SIGTERM.
import { type FakeTeamsMember, startFakeConnector } from "../src/sandbox/fake-connector.js";

const connector = await startFakeConnector({ port: Number(process.env.PORT ?? "0") });
for (const member of JSON.parse(process.env.FAKE_CONNECTOR_MEMBERS ?? "[]") as FakeTeamsMember[]) {
  connector.addMember(member);
}
process.stdout.write(`${connector.url}\n`);
// Nothing reads this process's record of calls (the bench only needs the answers), so it is
// dropped every 5 s: kept for a 10-minute soak it grew by every call (120,000+) and its garbage
// collection took CPU from the bot under test more and more as the run went on.
setInterval(() => connector.reset(), 5_000).unref();
process.on("SIGTERM", () => {
  void connector.close().then(() => process.exit(0));
});
