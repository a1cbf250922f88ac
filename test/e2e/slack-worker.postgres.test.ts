// With PostgreSQL, acknowledged Slack requests (commands, clicks, events) run on
// the Slack worker thread; modal submissions stay on the main thread, whose ack
// carries their answer. The whole flow must behave exactly as in-thread.
import { randomUUID } from "node:crypto";
import { Writable } from "node:stream";
import { pino } from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eventually, type SlackHarness, seedPosting, startSlackHarness, TEAM_ID } from "../support/slack-harness.js";
import { checkboxes, email, number, plainText, staticSelect } from "../support/slack-requests.js";

let h: SlackHarness;

/** The join modal's answers; `consent` is what the consent checkbox holds. */
function registration(consent: string[]) {
  return {
    displayName: { displayName: plainText("ワーカー 太郎") },
    email: { email: email("worker@example.com") },
    department: { department: plainText(null) },
    joinedYear: { joinedYear: number(null) },
    leftYear: { leftYear: number(null) },
    leftOn: { leftOn: { type: "datepicker", selected_date: null } },
    currentEmployer: { currentEmployer: plainText(null) },
    title: { title: plainText(null) },
    skills: { skills: plainText(null) },
    interests: { interests: checkboxes([]) },
    directoryFields: { directoryFields: checkboxes([]) },
    hrFields: { hrFields: checkboxes([]) },
    locale: { locale: staticSelect("ja") },
    consent: { consent: checkboxes(consent) },
  };
}
const logLines: string[] = [];

beforeAll(async () => {
  const sink = new Writable({
    write(chunk, _encoding, done) {
      logLines.push(String(chunk));
      done();
    },
  });
  h = await startSlackHarness({}, { engine: "postgres", logger: pino({ level: "info" }, sink) });
  await eventually(async () => logLines.some((l) => l.includes("Slack worker thread ready")), 30_000);
}, 90_000);

afterAll(async () => {
  await h?.stop();
});

describe("Slack worker thread (PostgreSQL)", () => {
  it("registers through the modal, then answers commands and clicks from the worker, once per request", async () => {
    const health = (await (await fetch(`${h.app.url}/healthz`)).json()) as { slack: { workerThread: string } };
    expect(health.slack.workerThread).toBe("ready");
    const user = "UWORKER01";
    h.fake.addUser({ id: user, real_name: "Worker Test", email: "worker@example.com", locale: "ja-JP" });
    await seedPosting(h.db, { title: "Worker thread job", kind: "job" });

    // The command is acknowledged at once; the modal is opened by the worker.
    const join = await h.slack.command(user, "join");
    expect(join.status).toBe(200);
    expect(join.text).toBe("");
    const opened = await h.fake.waitFor("views.open", (c) => c.args.trigger_id !== undefined, 10_000);
    const view = opened.args.view as { callback_id: string; private_metadata: string };

    // The submission is answered by the main thread (its ack carries any errors).
    const refused = await h.slack.viewSubmission(user, {
      callbackId: view.callback_id,
      privateMetadata: view.private_metadata,
      values: registration([]),
    });
    expect(refused.json).toMatchObject({ response_action: "errors" });
    const accepted = await h.slack.viewSubmission(user, {
      callbackId: view.callback_id,
      privateMetadata: view.private_metadata,
      values: registration(["agree"]),
    });
    expect(accepted.status).toBe(200);
    const identity = await eventually(() =>
      h.db.prisma.slackIdentity.findUnique({ where: { teamId_userId: { teamId: TEAM_ID, userId: user } } }),
    );

    // A command and its redelivery: answered once, by the worker.
    const id = randomUUID();
    const sent = await h.slack.command(user, "jobs", { responseUrlId: id });
    expect(sent.status).toBe(200);
    const answer = await h.fake.waitForResponsePost((p) => p.id === id, 10_000);
    expect(JSON.stringify(answer.body)).toContain("Worker thread job");
    await h.slack.post(sent.body, "application/x-www-form-urlencoded", { retryNum: 1 });

    // A click on "interested": one interest, however often it arrives.
    const posting = await h.db.prisma.posting.findFirstOrThrow({ where: { title: "Worker thread job" } });
    const clickId = randomUUID();
    const click = await h.slack.blockAction(
      user,
      { actionId: "posting_interested", value: String(posting.number) },
      { channelId: "C0ALUMNI01", responseUrlId: clickId },
    );
    await h.fake.waitForResponsePost((p) => p.id === clickId, 10_000);
    await h.slack.post(click.body, "application/x-www-form-urlencoded", { retryNum: 1 });
    await new Promise((r) => setTimeout(r, 500));
    expect(h.fake.responsePosts.filter((p) => p.id === id)).toHaveLength(1);
    expect(h.fake.responsePosts.filter((p) => p.id === clickId)).toHaveLength(1);
    expect(await h.db.prisma.interest.count({ where: { personId: identity.personId } })).toBe(1);
  }, 60_000);

  it("publishes App Home for an Events API callback once, even when Slack redelivers it", async () => {
    h.fake.addUser({ id: "UWORKHOME", real_name: "Home Worker", locale: "en-US" });
    const event = { type: "app_home_opened", user: "UWORKHOME", channel: "DWORKHOME", tab: "home" };
    const eventId = `Ev${randomUUID().slice(0, 8)}`;
    const first = await h.slack.event(event, { eventId });
    expect(first.status).toBe(200);
    await h.fake.waitFor("views.publish", (c) => c.args.user_id === "UWORKHOME", 10_000);
    await h.slack.post(first.body, "application/json", { retryNum: 1 });
    await new Promise((r) => setTimeout(r, 500));
    expect(h.fake.callsTo("views.publish").filter((c) => c.args.user_id === "UWORKHOME")).toHaveLength(1);
  });

  it("an erasure clicked on the worker also clears the user's cached Slack profile on the main thread", async () => {
    const user = "UWORKERAS";
    h.fake.addUser({ id: user, real_name: "Erase Worker", email: "erase.worker@example.com", locale: "ja-JP" });
    const profileLookups = () => h.fake.callsTo("users.info").filter((c) => c.args.user === user).length;
    await h.slack.command(user, "join");
    const opened = await h.fake.waitFor(
      "views.open",
      (c) => JSON.stringify(c.args.view).includes("Erase Worker"),
      10_000,
    );
    const view = opened.args.view as { callback_id: string; private_metadata: string };
    const submit = () =>
      h.slack.viewSubmission(user, {
        callbackId: view.callback_id,
        privateMetadata: view.private_metadata,
        values: registration(["agree"]),
      });
    // The submission is answered on the main thread, which looks the user up (and caches it).
    expect((await submit()).status).toBe(200);
    await eventually(() =>
      h.db.prisma.slackIdentity.findUnique({ where: { teamId_userId: { teamId: TEAM_ID, userId: user } } }),
    );
    const clickId = randomUUID();
    await h.slack.blockAction(user, { actionId: "delete_confirm" }, { responseUrlId: clickId });
    await h.fake.waitForResponsePost((p) => p.id === clickId, 10_000);
    await new Promise((r) => setTimeout(r, 200)); // the worker's word reaches the main thread

    // The main thread no longer has the erased user's profile: it asks Slack again.
    const before = profileLookups();
    expect((await submit()).status).toBe(200);
    expect(profileLookups()).toBe(before + 1);
  }, 60_000);
});
