// The sandbox's playground API, in process and without a browser: each call is
// turned into a signed Slack request or a Teams activity to the bot's own
// endpoints, and what the personas see is rebuilt from the fakes.
import { request } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config.js";
import { createLogger } from "../../src/logger.js";
import type { StateResponse } from "../../src/sandbox/playground-types.js";
import { type RunningSandbox, startSandbox } from "../../src/sandbox/sandbox.js";
import { openMigratedPglite } from "../support/pglite.js";
import { eventually } from "../support/slack-harness.js";

const HANAKO = "U0SANDBOX1";
const ALEX = "U0SANDBOX2";
const CHANNEL = "C0ALUMNI01";

let sandbox: RunningSandbox;
let base: string;

beforeAll(async () => {
  const config = loadConfig({ PORT: "0", LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? "silent" });
  expect(config.sandbox).toBe(true);
  sandbox = await startSandbox({
    config,
    logger: createLogger({ level: config.logLevel }),
    database: await openMigratedPglite(),
  });
  base = `${sandbox.app.url}/playground/api`;
});
afterAll(async () => {
  await sandbox?.stop();
});

async function post(path: string, body: Record<string, unknown>, headers: Record<string, string> = {}) {
  const res = await fetch(`${base}/${path}`, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: JSON.stringify(body),
  });
  return { status: res.status, json: (await res.json()) as Record<string, unknown> };
}

async function state(slack = HANAKO, teams = "hr"): Promise<StateResponse> {
  const res = await fetch(`${base}/state?slack=${slack}&teams=${teams}`);
  expect(res.status).toBe(200);
  return (await res.json()) as StateResponse;
}

const channelOf = (s: StateResponse) => s.slack.conversations.find((c) => c.id === CHANNEL)?.messages ?? [];
const dmOf = (s: StateResponse) => s.slack.conversations.find((c) => c.kind === "dm")?.messages ?? [];
const json = (v: unknown): string => JSON.stringify(v) ?? "";

/** What a member types in the join modal (Slack's state.values). */
function joinValues(name: string, email: string, hrFields: string[] = ["display_name"]) {
  const option = (value: string) => ({ text: { type: "plain_text", text: value }, value });
  return {
    displayName: { displayName: { type: "plain_text_input", value: name } },
    email: { email: { type: "email_text_input", value: email } },
    interests: { interests: { type: "checkboxes", selected_options: [option("event_alerts")] } },
    hrFields: { hrFields: { type: "checkboxes", selected_options: hrFields.map(option) } },
    locale: { locale: { type: "static_select", selected_option: option("ja") } },
    consent: { consent: { type: "checkboxes", selected_options: [option("agree")] } },
  };
}

describe("playground API", () => {
  it("starts each Teams persona's chat with the bot's welcome, and serves the personas", async () => {
    const personas = (await (await fetch(`${base}/personas`)).json()) as { slack: unknown[]; teams: unknown[] };
    expect(personas.slack).toHaveLength(3);
    expect(json(personas.teams)).toContain('"role":"cm"');
    const s = await state(HANAKO, "cm");
    expect(s.teams.items[0]?.text).toContain("alumni-bridge");
    expect(s.demoSeeded).toBe(false);
  });

  it("answers 204 to a poll when nothing changed, and a full state after a persona switch", async () => {
    const first = await state();
    const same = await fetch(`${base}/state?slack=${HANAKO}&teams=hr&since=${first.version}`);
    expect(same.status).toBe(204);
    const switched = await fetch(`${base}/state?slack=${ALEX}&teams=hr&since=${first.version}`);
    expect(switched.status).toBe(200);
  });

  it("refuses bad input with a localized error and sends nothing", async () => {
    const calls = sandbox.fakeSlack.calls.length;
    const ja = await post("slack/command", { user: HANAKO, channel: CHANNEL, text: "/weather", locale: "ja" });
    expect(ja.status).toBe(400);
    expect(ja.json.error).toContain("/alumni コマンドだけ");
    const en = await post("slack/command", { user: "UINTRUDER", channel: CHANNEL, text: "/alumni", locale: "en" });
    expect(en).toEqual({ status: 400, json: { ok: false, error: "That person is not in this sandbox." } });
    const elsewhere = await post("slack/command", {
      user: HANAKO,
      channel: "DU0SANDBOX2",
      text: "/alumni",
      locale: "en",
    });
    expect(elsewhere.json.error).toBe("That conversation is not in this sandbox.");
    const past = await post("time", { asOf: "2020-01-01T00:00:00Z", locale: "en" });
    expect(past.json.error).toContain("in the future");
    expect(sandbox.fakeSlack.calls.length).toBe(calls);
  });

  it("answers only requests addressed to localhost (DNS rebinding)", async () => {
    const get = (host: string) =>
      new Promise<number>((resolve, reject) => {
        const target = new URL(`${base}/state?slack=${HANAKO}&teams=hr`);
        request(target, { headers: { host } }, (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        })
          .on("error", reject)
          .end();
      });
    expect(await get(`attacker.example:${sandbox.app.port}`)).toBe(403);
    expect(await get(`localhost:${sandbox.app.port}`)).toBe(200);
    expect(await get(`127.0.0.1:${sandbox.app.port}`)).toBe(200);
  });

  it("refuses requests from other sites (cross-origin or not JSON)", async () => {
    const body = { user: HANAKO, channel: CHANNEL, text: "/alumni help", locale: "en" };
    expect((await post("slack/command", body, { origin: "https://evil.example" })).status).toBe(403);
    const form = await fetch(`${base}/slack/command`, {
      method: "POST",
      headers: { "content-type": "text/plain" },
      body: JSON.stringify(body),
    });
    expect(form.status).toBe(415);
  });

  it("walks verified membership: HR sends the demo roster and imports it → 鈴木 健二 is verified by number and kana → Alex is pending until HR approves", async () => {
    const KENJI = "U0SANDBOX3";
    // HR's chat receives join requests.
    await post("teams/message", { persona: "hr", text: "notify here", locale: "ja" });
    // The SmartHR-style roster in Shift_JIS that ships with the demo data, sent as a Teams file.
    expect((await post("teams/demo-roster", { persona: "hr", locale: "ja" })).status).toBe(200);
    expect(sandbox.fileHost.downloads.at(-1)?.status).toBe(200);
    const preview = await eventually(
      async () => (await state()).teams.items.find((i) => i.from === "bot" && json(i.cards).includes("roster.import")),
      20_000,
    );
    expect(json(preview.cards)).toContain("smarthr-leavers.csv");
    const importNumber = Number(/"importNumber":(\d+)/.exec(json(preview.cards))?.[1]);
    const imported = await post("teams/submit", {
      persona: "hr",
      activityId: preview.id,
      kind: "execute",
      verb: "roster.import",
      data: { verb: "roster.import", importNumber },
      locale: "ja",
    });
    expect(imported.status).toBe(200);
    expect(json((await state()).teams.items.find((i) => i.id === preview.id)?.cards)).not.toContain("roster.import");

    // 鈴木 健二 joins with no email match, but his employee number and family name in kana: verified.
    await post("slack/command", { user: KENJI, channel: CHANNEL, text: "/alumni join", locale: "ja" });
    const kenjiModal = await eventually(async () => (await state(KENJI)).slack.modal);
    const kenji = await post("slack/submit", {
      user: KENJI,
      viewId: kenjiModal.id,
      values: {
        ...joinValues("鈴木 健二", "kenji.private@example.net"),
        employeeNumber: { employeeNumber: { type: "plain_text_input", value: "10342" } },
        familyName: { familyName: { type: "plain_text_input", value: "すずき" } },
      },
      locale: "ja",
    });
    expect(kenji.json).toMatchObject({ ok: true, modal: null });
    await eventually(async () => dmOf(await state(KENJI)).find((m) => m.text.includes("在籍記録と一致しました")));

    // Alex is not on the roster: pending, refused the jobs, and HR gets a join-request card.
    await post("slack/command", { user: ALEX, channel: CHANNEL, text: "/alumni join", locale: "en" });
    const alexModal = await eventually(async () => (await state(ALEX)).slack.modal);
    await post("slack/submit", {
      user: ALEX,
      viewId: alexModal.id,
      values: joinValues("Alex Morgan", "alex.morgan@example.com"),
      locale: "en",
    });
    await post("slack/command", { user: ALEX, channel: CHANNEL, text: "/alumni jobs", locale: "en" });
    // (He chose Japanese in the form, so the bot answers him in Japanese.)
    await eventually(async () => dmOf(await state(ALEX)).find((m) => m.text.includes("参加申請（#")));
    await eventually(async () =>
      channelOf(await state(ALEX)).find((m) => m.ephemeral && m.text.includes("在籍が確認された方だけ")),
    );
    const request = await eventually(async () =>
      (await state()).teams.items.find((i) => i.from === "bot" && json(i.cards).includes("joinRequest.approve")),
    );
    expect(json(request.cards)).toContain("Alex Morgan");
    const requestNumber = Number(/"requestNumber":(\d+)/.exec(json(request.cards))?.[1]);
    const approved = await post("teams/submit", {
      persona: "hr",
      activityId: request.id,
      kind: "execute",
      verb: "joinRequest.approve",
      data: { verb: "joinRequest.approve", requestNumber },
      locale: "ja",
    });
    expect(approved.status).toBe(200);
    await eventually(async () => dmOf(await state(ALEX)).find((m) => json(m).includes("承認されました")));
    const people = await sandbox.app.db.prisma.person.findMany({
      where: { slackIdentities: { some: { userId: { in: [KENJI, ALEX] } } } },
      select: { membership: true },
    });
    expect(people.map((p) => p.membership)).toEqual(["verified", "verified"]);
  });

  it("walks the story: HR posts in Teams → announced in Slack → an alumna joins → Interested → HR is told", async () => {
    // HR asks for the job form and publishes it (Action.Execute, answered with a card in its place).
    expect((await post("teams/message", { persona: "hr", text: "post job", locale: "ja" })).status).toBe(200);
    const form = await eventually(async () =>
      (await state()).teams.items.find((i) => i.from === "bot" && json(i.cards).includes("posting.create")),
    );
    const formId = /"formId":"([^"]+)"/.exec(json(form.cards))?.[1];
    const published = await post("teams/submit", {
      persona: "hr",
      activityId: form.id,
      kind: "execute",
      verb: "posting.create",
      data: {
        verb: "posting.create",
        kind: "job",
        formId,
        title: "Platform Engineer <script>",
        description: "Keep the bridge up.",
        workStyle: "remote",
        employmentType: "full_time",
        skills: "Go",
        publish: "true",
      },
      locale: "ja",
    });
    expect(published.status).toBe(200);
    const replaced = (await state()).teams.items.find((i) => i.id === form.id);
    expect(replaced?.edited).toBe(true);
    expect(json(replaced?.cards)).toContain("公開しました");

    // The dispatcher announces it in the alumni channel, escaped.
    const announcement = await eventually(async () =>
      channelOf(await state()).find((m) => json(m.blocks).includes("posting_interested")),
    );
    expect(json(announcement.blocks)).toContain("Platform Engineer &lt;script&gt;");
    // Work style and employment type in the reader's words, not the stored codes.
    expect(json(announcement.blocks)).toContain("リモート  ·  正社員");
    expect(json(announcement.blocks)).not.toContain("full_time");

    // Hanako opens the join modal; an empty submission shows the bot's errors and keeps it open.
    expect(
      (await post("slack/command", { user: HANAKO, channel: CHANNEL, text: "/alumni join", locale: "ja" })).status,
    ).toBe(200);
    const modal = await eventually(async () => (await state()).slack.modal);
    expect(channelOf(await state()).some((m) => m.from === "user" && m.ephemeral && m.text === "/alumni join")).toBe(
      true,
    );
    expect((await state(ALEX)).slack.modal).toBeNull();
    const empty = await post("slack/submit", { user: HANAKO, viewId: modal.id, values: {}, locale: "ja" });
    expect(json(empty.json.ack)).toContain('"response_action":"errors"');
    expect(Object.keys((empty.json.modal as { errors: object }).errors)).toContain("displayName");
    const joined = await post("slack/submit", {
      user: HANAKO,
      viewId: modal.id,
      values: joinValues("佐藤 花子", "hanako.sato@example.jp"),
      locale: "ja",
    });
    expect(joined.json).toMatchObject({ ok: true, ack: {}, modal: null });
    // She is on the roster HR imported above (by her personal email): verified at once.
    await eventually(async () => dmOf(await state()).find((m) => m.text.includes("在籍記録と一致しました")));

    // Interested on the announcement: an ephemeral confirmation only Hanako sees, and a card for HR.
    const button = /"action_id":"posting_interested"[^}]*"value":"(\d+)"/.exec(json(announcement.blocks));
    const clicked = await post("slack/action", {
      user: HANAKO,
      channel: CHANNEL,
      messageId: announcement.id,
      actionId: "posting_interested",
      value: button?.[1],
      locale: "ja",
    });
    expect(clicked.status).toBe(200);
    await eventually(async () => channelOf(await state()).find((m) => m.ephemeral && m.text.includes("興味あり")));
    expect(channelOf(await state(ALEX)).some((m) => m.text.includes("興味あり"))).toBe(false);
    const notice = await eventually(async () =>
      (await state()).teams.items.find((i) => i.from === "bot" && json(i.cards).includes("佐藤 花子")),
    );
    expect(json(notice.cards)).not.toContain("hanako.sato@example.jp"); // HR was allowed only her name
  });

  it("shares the member's data export as a file in her DM, downloadable from the page", async () => {
    await post("slack/command", { user: HANAKO, channel: `D${HANAKO}`, text: "/alumni mydata", locale: "ja" });
    const shared = await eventually(async () => dmOf(await state()).find((m) => (m.files ?? []).length > 0));
    const file = shared.files?.[0];
    expect(file?.name).toMatch(/^alumni-bridge-mydata-\d{4}-\d{2}-\d{2}\.json$/);
    const download = await fetch(`${base}/files?id=${encodeURIComponent(file?.id ?? "")}`);
    expect(download.status).toBe(200);
    expect(download.headers.get("content-disposition")).toContain("attachment");
    expect(await download.text()).toContain("hanako.sato@example.jp");
    expect((await fetch(`${base}/files?id=F0NOPE`)).status).toBe(404);
  });

  it("seeds the demo data once, and runs the scheduler as of a later moment to send a reminder now", async () => {
    const seeded = await post("seed", { locale: "en" });
    expect(seeded.json).toMatchObject({ ok: true, created: true, members: 30, postings: 4, events: 1 });
    expect((await post("seed", { locale: "en" })).json).toMatchObject({ created: false });
    expect((await state()).demoSeeded).toBe(true);

    // Hanako answers "going" to the homecoming day from the channel announcement.
    const announcement = await eventually(async () =>
      channelOf(await state()).find((m) => json(m.blocks).includes("event_rsvp_going")),
    );
    const value = /"action_id":"event_rsvp_going"[^}]*"value":"([^"]+)"/.exec(json(announcement.blocks))?.[1];
    await post("slack/action", {
      user: HANAKO,
      channel: CHANNEL,
      messageId: announcement.id,
      actionId: "event_rsvp_going",
      ...(value !== undefined ? { value } : {}),
      locale: "ja",
    });
    const event = await sandbox.app.db.prisma.event.findFirstOrThrow({ orderBy: { number: "desc" } });
    await eventually(async () => (await sandbox.app.db.prisma.rsvp.count({ where: { eventId: event.id } })) > 0);

    // One day (and a minute) before it starts: the 1-day reminder goes out now.
    const asOf = new Date(event.startsAt.getTime() - 86_400_000 + 60_000).toISOString();
    const ran = await post("time", { asOf, locale: "en" });
    expect(ran.json).toMatchObject({ ok: true, asOf });
    expect(ran.json.released).toBeGreaterThanOrEqual(1);
    expect((await state()).asOf).toBe(asOf);
    await eventually(async () => dmOf(await state()).find((m) => m.text.includes("⏰")), 10_000);
  });
});
