// The alumni experience in Slack, end to end: signed HTTP requests shaped like
// Slack's into the real app, the real Bolt app and database, and a fake Slack
// Web API that records what the bot sends.
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CONSENT_VERSION, consentTextHash } from "../../src/core/members/consent.js";
import type { ResponseUrlPost } from "../support/fake-slack.js";
import {
  eventually,
  SIGNING_SECRET,
  type SlackHarness,
  seedEvent,
  seedPosting,
  startSlackHarness,
  TEAM_ID,
} from "../support/slack-harness.js";
import { checkboxes, email, number, plainText, signSlack, staticSelect } from "../support/slack-requests.js";

let h: SlackHarness;

beforeAll(async () => {
  h = await startSlackHarness();
});
afterAll(async () => {
  await h?.stop();
});

function text(post: ResponseUrlPost | { args: Record<string, unknown> }): string {
  const body = "body" in post ? post.body : post.args;
  return JSON.stringify(body.blocks ?? body.text ?? body);
}

/** Run /alumni <text> and return what the bot answered through the response_url. */
async function command(userId: string, commandText: string): Promise<ResponseUrlPost> {
  const id = randomUUID();
  const res = await h.slack.command(userId, commandText, { responseUrlId: id });
  expect(res.status).toBe(200);
  return h.fake.waitForResponsePost((p) => p.id === id);
}

async function click(userId: string, actionId: string, value: string): Promise<ResponseUrlPost> {
  const id = randomUUID();
  const res = await h.slack.blockAction(userId, { actionId, value }, { channelId: "C0ALUMNI01", responseUrlId: id });
  expect(res.status).toBe(200);
  return h.fake.waitForResponsePost((p) => p.id === id);
}

interface Registration {
  displayName?: string;
  email?: string;
  department?: string;
  joinedYear?: number | null;
  leftYear?: number | null;
  currentEmployer?: string;
  title?: string;
  skills?: string;
  interests?: string[];
  directoryFields?: string[];
  hrFields?: string[];
  locale?: "ja" | "en";
  consent?: boolean;
}

function registrationValues(r: Registration) {
  return {
    displayName: { displayName: plainText(r.displayName ?? "山田 花子") },
    email: { email: email(r.email ?? "hanako@example.com") },
    department: { department: plainText(r.department ?? null) },
    joinedYear: { joinedYear: number(r.joinedYear ?? null) },
    leftYear: { leftYear: number(r.leftYear ?? null) },
    leftOn: { leftOn: { type: "datepicker", selected_date: null } },
    currentEmployer: { currentEmployer: plainText(r.currentEmployer ?? null) },
    title: { title: plainText(r.title ?? null) },
    skills: { skills: plainText(r.skills ?? null) },
    interests: { interests: checkboxes(r.interests ?? []) },
    directoryFields: { directoryFields: checkboxes(r.directoryFields ?? []) },
    hrFields: { hrFields: checkboxes(r.hrFields ?? []) },
    locale: { locale: staticSelect(r.locale ?? "ja") },
    consent: { consent: checkboxes(r.consent === false ? [] : ["agree"]) },
  };
}

/** Open the join modal and submit it; returns the HTTP answer to the submission. */
async function register(userId: string, r: Registration = {}) {
  await h.slack.command(userId, "join");
  const opened = await h.fake.waitFor("views.open", (c) => {
    const view = c.args.view as { private_metadata?: string };
    return typeof c.args.trigger_id === "string" && (view.private_metadata ?? "").includes('"register"');
  });
  h.fake.calls.splice(h.fake.calls.indexOf(opened), 1);
  const view = opened.args.view as { callback_id: string; private_metadata: string };
  return h.slack.viewSubmission(userId, {
    callbackId: view.callback_id,
    privateMetadata: view.private_metadata,
    values: registrationValues(r),
  });
}

async function personOf(userId: string) {
  const identity = await h.db.prisma.slackIdentity.findUnique({
    where: { teamId_userId: { teamId: TEAM_ID, userId } },
    include: { person: { include: { profile: true, consents: true } } },
  });
  return identity?.person ?? null;
}

describe("Slack: requests are authentic", () => {
  it("refuses a bad signature with 401 and does nothing", async () => {
    const id = randomUUID();
    const res = await h.slack.command("UBADSIG01", "help", { responseUrlId: id }, { signature: "v0=deadbeef" });
    expect(res.status).toBe(401);
    await new Promise((r) => setTimeout(r, 200));
    expect(h.fake.responsePosts.find((p) => p.id === id)).toBeUndefined();
  });

  it("refuses a correctly signed request older than 5 minutes with 401", async () => {
    const old = Math.floor(Date.now() / 1000) - 6 * 60;
    const res = await h.slack.command("UOLD00001", "help", {}, { timestamp: old });
    expect(res.status).toBe(401);
    // The same body signed now is accepted: it was the age that was refused.
    const body = new URLSearchParams({ command: "/alumni", text: "help", user_id: "UOLD00001", team_id: TEAM_ID });
    const now = Math.floor(Date.now() / 1000);
    const ok = await h.slack.post(body.toString(), "application/x-www-form-urlencoded", {
      timestamp: now,
      signature: signSlack(SIGNING_SECRET, now, body.toString()),
    });
    expect(ok.status).toBe(200);
  });
});

describe("Slack: help and language", () => {
  it("answers empty text and unknown subcommands with the localized help (ja by default)", async () => {
    const empty = await command("UHELP0001", "");
    expect(empty.body.response_type).toBe("ephemeral");
    expect(text(empty)).toContain("/alumni で使えるコマンド");
    expect(text(empty)).toContain("find <キーワード>");
    const unknown = await command("UHELP0001", "frobnicate now");
    expect(text(unknown)).toContain("「frobnicate」というコマンドはありません");
    expect(text(unknown)).toContain("open_join");
  });

  it("speaks English to a user whose Slack locale is English", async () => {
    h.fake.addUser({ id: "UENGLISH1", real_name: "Emma Stone", email: "emma@example.com", locale: "en-US" });
    const post = await command("UENGLISH1", "help");
    expect(text(post)).toContain("What you can do with /alumni");
  });

  it("switches a member's language with lang, and refuses anything else", async () => {
    expect((await register("ULANG0001", { displayName: "Lang Tester", email: "lang@example.com" })).status).toBe(200);
    await eventually(async () => (await personOf("ULANG0001"))?.profile);
    const bad = await command("ULANG0001", "lang fr");
    expect(text(bad)).toContain("/alumni lang ja");
    expect((await personOf("ULANG0001"))?.locale).toBe("ja");
    const done = await command("ULANG0001", "lang en");
    expect(text(done)).toContain("in English from now on");
    expect((await personOf("ULANG0001"))?.locale).toBe("en");
    expect(text(await command("ULANG0001", "help"))).toContain("What you can do");
  });
});

describe("Slack: joining", () => {
  it("join opens a modal prefilled from the Slack profile, with the purpose of use", async () => {
    h.fake.addUser({ id: "UJOIN0001", real_name: "佐藤 一郎", email: "ichiro@example.com", locale: "ja-JP" });
    await h.slack.command("UJOIN0001", "join");
    const call = await h.fake.waitFor("views.open", (c) => JSON.stringify(c.args).includes("ichiro@example.com"));
    const view = call.args.view as { callback_id: string; blocks: unknown[] };
    expect(view.callback_id).toBe("alumni_register");
    const json = JSON.stringify(view.blocks);
    expect(json).toContain("佐藤 一郎");
    expect(json).toContain("利用目的");
    expect(json).toContain("directoryFields");
    expect(json).toContain("hrFields");
  });

  it("stores the member, profile and consent (version, hash of the text shown, time)", async () => {
    const before = Date.now();
    const res = await register("UJOIN0002", {
      displayName: "Taro Suzuki",
      email: "taro@example.com",
      department: "Platform",
      joinedYear: 2015,
      leftYear: 2022,
      skills: "TypeScript, 採用、 Go",
      interests: ["job_alerts", "open_to_return"],
      directoryFields: ["display_name", "skills"],
      hrFields: ["display_name", "email"],
      locale: "en",
    });
    expect(res.status).toBe(200);
    expect(res.text).toBe("");
    const person = await eventually(async () => personOf("UJOIN0002"));
    expect(person.displayName).toBe("Taro Suzuki");
    expect(person.email).toBe("taro@example.com");
    expect(person.locale).toBe("en");
    expect(person.profile?.skills).toEqual(["TypeScript", "採用", "Go"]);
    expect(person.profile?.jobAlerts).toBe(true);
    expect(person.profile?.openToReturn).toBe(true);
    expect(person.profile?.listed).toBe(true);
    expect(person.consents).toHaveLength(1);
    const consent = person.consents[0];
    expect(consent?.version).toBe(CONSENT_VERSION);
    // The modal was shown in Japanese (the user's Slack default), so that is the text agreed to.
    expect(consent?.textHash).toBe(consentTextHash("ja"));
    expect(consent?.givenAt.getTime()).toBeGreaterThanOrEqual(before - 1000);
    // A welcome DM in the member's chosen language, and App Home refreshed.
    await h.fake.waitFor("chat.postMessage", (c) => c.args.channel === "UJOIN0002" && text(c).includes("Welcome"));
    await h.fake.waitFor("views.publish", (c) => c.args.user_id === "UJOIN0002");
  });

  it("refuses a submission without consent inside the modal and stores nothing", async () => {
    const res = await register("UJOIN0003", { displayName: "No Consent", email: "nc@example.com", consent: false });
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ response_action: "errors", errors: { consent: expect.stringContaining("同意") } });
    expect(await personOf("UJOIN0003")).toBeNull();
  });

  it("refuses an invalid email and an over-long name, each under its own input", async () => {
    const res = await register("UJOIN0004", { displayName: "x".repeat(81), email: "not-an-email" });
    const errors = (res.json as { errors: Record<string, string> }).errors;
    expect(errors.email).toContain("メールアドレス");
    expect(errors.displayName).toContain("80");
    expect(await personOf("UJOIN0004")).toBeNull();
  });

  it("re-running join when registered opens the profile editor; saving updates the profile", async () => {
    await register("UJOIN0005", { displayName: "Before", email: "before@example.com" });
    await eventually(async () => (await personOf("UJOIN0005"))?.profile);
    await h.slack.command("UJOIN0005", "join");
    const call = await h.fake.waitFor("views.open", (c) => JSON.stringify(c.args).includes("before@example.com"));
    const view = call.args.view as { callback_id: string; private_metadata: string; blocks: unknown[] };
    expect(view.private_metadata).toContain('"edit"');
    expect(JSON.stringify(view.blocks)).not.toContain("consent");
    const res = await h.slack.viewSubmission("UJOIN0005", {
      callbackId: view.callback_id,
      privateMetadata: view.private_metadata,
      values: registrationValues({ displayName: "After", email: "after@example.com" }),
    });
    expect(res.status).toBe(200);
    const person = await eventually(async () => {
      const p = await personOf("UJOIN0005");
      return p?.displayName === "After" ? p : null;
    });
    expect(person.consents).toHaveLength(1);
  });

  it("asks an unregistered user to join first, with a Join button", async () => {
    for (const sub of ["jobs", "find TypeScript", "events", "mydata", "delete", "refer"]) {
      const post = await command("UNOBODY01", sub);
      expect(text(post), sub).toContain("先にアルムナイ・ネットワークへの登録が必要です");
      expect(text(post), sub).toContain("open_join");
    }
    expect(await personOf("UNOBODY01")).toBeNull();
  });
});

describe("Slack: directory", () => {
  beforeAll(async () => {
    await register("UDIR00001", {
      displayName: "Aiko Tanaka",
      email: "aiko@example.com",
      skills: "TypeScript, Kubernetes",
      currentEmployer: "Acme",
      directoryFields: ["display_name", "skills"],
    });
    await register("UDIR00002", {
      displayName: "Hidden Name",
      email: "hidden@example.com",
      skills: "TypeScript",
      currentEmployer: "Acme",
      directoryFields: ["skills"],
    });
    await register("UDIR00003", { displayName: "Not Listed", email: "nl@example.com", skills: "TypeScript" });
    await register("UDIR00004", { displayName: "Viewer", email: "viewer@example.com" });
    await register("UDIR00005", {
      displayName: "<!channel> <https://evil.example|bank> @here",
      email: "evil@example.com",
      skills: "Phishing",
      directoryFields: ["display_name", "skills"],
    });
    await eventually(async () => (await h.db.prisma.profile.count()) >= 5 && (await personOf("UDIR00005"))?.profile);
  });

  it("shows only listed members and only the fields each allowed", async () => {
    const post = await command("UDIR00004", "find TypeScript");
    const json = text(post);
    expect(json).toContain("Aiko Tanaka");
    expect(json).toContain("<@UDIR00001>");
    expect(json).toContain("Kubernetes");
    // Listed with skills only: found, but neither name nor mention nor employer shown.
    expect(json).toContain("名前非公開");
    expect(json).not.toContain("Hidden Name");
    expect(json).not.toContain("UDIR00002");
    expect(json).not.toContain("Acme");
    // Not listed at all.
    expect(json).not.toContain("Not Listed");
    expect(json).not.toContain("aiko@example.com");
  });

  it("does not match on fields a member hid", async () => {
    const post = await command("UDIR00004", "find Acme");
    expect(text(post)).toContain("見つかりませんでした");
  });

  it("refuses find without words", async () => {
    expect(text(await command("UDIR00004", "find"))).toContain("検索語を入力してください");
  });

  it("hides members who blocked each other, in both directions, until unblocked", async () => {
    expect(text(await command("UDIR00001", "block <@UDIR00004|viewer>"))).toContain("ブロックしました");
    expect(text(await command("UDIR00004", "find TypeScript"))).not.toContain("Aiko Tanaka");
    // The blocker does not see the blocked member either.
    await h.db.prisma.profile.updateMany({
      where: { person: { slackIdentities: { some: { userId: "UDIR00004" } } } },
      data: { listed: true, directoryFields: ["display_name"] },
    });
    expect(text(await command("UDIR00001", "find Viewer"))).toContain("見つかりませんでした");
    expect(text(await command("UDIR00002", "find Viewer"))).toContain("Viewer");
    expect(text(await command("UDIR00001", "block someone"))).toContain("@ で指定してください");
    expect(text(await command("UDIR00001", "unblock <@UDIR00004>"))).toContain("解除しました");
    expect(text(await command("UDIR00004", "find TypeScript"))).toContain("Aiko Tanaka");
  });

  it("escapes user text: <!channel>, links and @here cannot trigger anything", async () => {
    const post = await command("UDIR00004", "find Phishing");
    const json = text(post);
    expect(json).toContain("&lt;!channel&gt;");
    expect(json).toContain("&lt;https://evil.example|bank&gt;");
    expect(json).not.toContain("<!channel>");
    expect(json).not.toContain("<https://evil.example");
    expect(json).not.toMatch(/[^\u2060]@here/);
    for (const block of (post.body.blocks as { text?: { type: string; verbatim?: boolean } }[]) ?? []) {
      if (block.text?.type === "mrkdwn") expect(block.text.verbatim).toBe(true);
    }
  });
});

describe("Slack: postings, interest and referrals", () => {
  let postingNumber = 0;
  beforeAll(async () => {
    await register("UJOB00001", { displayName: "Job Seeker", email: "seeker@example.com" });
    await eventually(async () => (await personOf("UJOB00001"))?.profile);
    await seedPosting(h.db, { title: "Old role", kind: "job" });
    const posting = await seedPosting(h.db, { title: "Staff Engineer <!here>", kind: "job", skills: ["TypeScript"] });
    await seedPosting(h.db, { title: "Weekend design gig", kind: "gig" });
    postingNumber = posting.number;
  });

  it("lists open jobs newest first with Interested and Refer buttons; gigs separately", async () => {
    const post = await command("UJOB00001", "jobs");
    const json = text(post);
    expect(json.indexOf("Staff Engineer")).toBeLessThan(json.indexOf("Old role"));
    expect(json).toContain("posting_interested");
    expect(json).toContain("posting_refer");
    expect(json).toContain("&lt;!here&gt;");
    expect(json).not.toContain("design gig");
    expect(text(await command("UJOB00001", "gigs"))).toContain("Weekend design gig");
    expect(text(await command("UJOB00001", "jobs Staff"))).not.toContain("Old role");
  });

  it("Interested twice (double click) records one interest and one outbox row for HR in Teams", async () => {
    const first = await click("UJOB00001", "posting_interested", String(postingNumber));
    expect(text(first)).toContain("興味あり");
    const second = await click("UJOB00001", "posting_interested", String(postingNumber));
    expect(text(second)).toContain("すでに");
    const person = await personOf("UJOB00001");
    const posting = await h.db.prisma.posting.findUniqueOrThrow({ where: { number: postingNumber } });
    expect(await h.db.prisma.interest.count({ where: { postingId: posting.id, personId: person?.id } })).toBe(1);
    const rows = await h.db.prisma.outboxMessage.findMany({ where: { kind: "hr.interest", subjectId: posting.id } });
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ platform: "teams", target: "19:hr-jobs@thread.tacv2", status: "pending" });
  });

  it("a redelivered request (X-Slack-Retry-Num) is applied once and answered once", async () => {
    const gig = await seedPosting(h.db, { title: "Retry gig", kind: "gig" });
    const id = randomUUID();
    const sent = await h.slack.blockAction(
      "UJOB00001",
      { actionId: "posting_interested", value: String(gig.number) },
      { channelId: "C0ALUMNI01", responseUrlId: id },
    );
    await h.fake.waitForResponsePost((p) => p.id === id);
    const again = await h.slack.post(sent.body, "application/x-www-form-urlencoded", { retryNum: 1 });
    const third = await h.slack.post(sent.body, "application/x-www-form-urlencoded", {
      retryNum: 2,
      retryReason: "http_error",
    });
    expect(again.status).toBe(200);
    expect(third.status).toBe(200);
    await new Promise((r) => setTimeout(r, 300));
    expect(h.fake.responsePosts.filter((p) => p.id === id)).toHaveLength(1);
    expect(await h.db.prisma.outboxMessage.count({ where: { subjectId: gig.id } })).toBe(1);

    // The same for a slash command.
    const cmdId = randomUUID();
    const cmd = await h.slack.command("UJOB00001", "jobs", { responseUrlId: cmdId });
    await h.fake.waitForResponsePost((p) => p.id === cmdId);
    await h.slack.post(cmd.body, "application/x-www-form-urlencoded", { retryNum: 1 });
    await new Promise((r) => setTimeout(r, 300));
    expect(h.fake.responsePosts.filter((p) => p.id === cmdId)).toHaveLength(1);
  });

  it("refuses a malformed posting id with a clear message and opens nothing", async () => {
    const opens = h.fake.callsTo("views.open").length;
    expect(text(await command("UJOB00001", "refer abc"))).toContain("求人番号として正しくありません");
    expect(text(await command("UJOB00001", "refer 999999"))).toContain("見つからないか");
    expect(h.fake.callsTo("views.open")).toHaveLength(opens);
  });

  it("refer → modal → referral stored with history and an outbox row for HR; candidate consent required", async () => {
    await h.slack.command("UJOB00001", `refer ${postingNumber}`);
    const call = await h.fake.waitFor(
      "views.open",
      (c) => (c.args.view as { callback_id?: string }).callback_id === "alumni_refer",
    );
    const view = call.args.view as { callback_id: string; private_metadata: string };
    const values = (consented: boolean) => ({
      candidateName: { candidateName: plainText("Kenji Mori") },
      candidateContact: { candidateContact: plainText("kenji@example.com") },
      relationship: { relationship: plainText("Former teammate") },
      note: { note: plainText("Great engineer") },
      candidateConsented: { candidateConsented: checkboxes(consented ? ["yes"] : []) },
    });
    const refused = await h.slack.viewSubmission("UJOB00001", {
      callbackId: view.callback_id,
      privateMetadata: view.private_metadata,
      values: values(false),
    });
    expect(refused.json).toMatchObject({
      response_action: "errors",
      errors: { candidateConsented: expect.any(String) },
    });
    expect(await h.db.prisma.referral.count()).toBe(0);

    const ok = await h.slack.viewSubmission("UJOB00001", {
      callbackId: view.callback_id,
      privateMetadata: view.private_metadata,
      values: values(true),
    });
    expect(ok.status).toBe(200);
    expect(ok.text).toBe("");
    const referral = await h.db.prisma.referral.findFirstOrThrow({ include: { history: true, posting: true } });
    expect(referral).toMatchObject({ candidateName: "Kenji Mori", status: "received", candidateConsented: true });
    expect(referral.posting?.number).toBe(postingNumber);
    expect(referral.history).toHaveLength(1);
    const rows = await h.db.prisma.outboxMessage.findMany({ where: { kind: "hr.referral", subjectId: referral.id } });
    expect(rows).toHaveLength(1);
    expect(rows[0]?.target).toBe("19:hr-jobs@thread.tacv2");
    const thanks = await h.fake.waitFor(
      "chat.postMessage",
      (c) => c.args.channel === "UJOB00001" && text(c).includes("受付番号"),
    );
    expect(text(thanks)).toContain(`#${postingNumber} `);
    expect(text(thanks)).toContain(`R${referral.number}`);
  });
});

describe("Slack: events and RSVPs", () => {
  it("lists upcoming events with RSVP buttons; answers are stored and changeable; double clicks change nothing", async () => {
    await register("UEVT00001", { displayName: "Eve Ent", email: "eve@example.com" });
    await eventually(async () => (await personOf("UEVT00001"))?.profile);
    const event = await seedEvent(h.db, { title: "Homecoming Day 2026", capacity: 50 });
    const list = await command("UEVT00001", "events");
    expect(text(list)).toContain("Homecoming Day 2026");
    expect(text(list)).toContain("event_rsvp_going");
    expect(text(await click("UEVT00001", "event_rsvp_going", String(event.number)))).toContain("参加");
    await click("UEVT00001", "event_rsvp_going", String(event.number));
    const person = await personOf("UEVT00001");
    const rsvps = await h.db.prisma.rsvp.findMany({ where: { eventId: event.id } });
    expect(rsvps).toEqual([expect.objectContaining({ personId: person?.id, response: "going" })]);
    await click("UEVT00001", "event_rsvp_maybe", String(event.number));
    expect((await h.db.prisma.rsvp.findFirstOrThrow({ where: { eventId: event.id } })).response).toBe("maybe");
  });

  it("refuses going to a full event", async () => {
    const full = await seedEvent(h.db, { title: "Tiny dinner", capacity: 1 });
    await register("UEVT00002", { displayName: "Second", email: "second@example.com" });
    await eventually(async () => (await personOf("UEVT00002"))?.profile);
    await click("UEVT00001", "event_rsvp_going", String(full.number));
    expect(text(await click("UEVT00002", "event_rsvp_going", String(full.number)))).toContain("定員");
    expect(await h.db.prisma.rsvp.count({ where: { eventId: full.id } })).toBe(1);
  });
});

describe("Slack: bad input and App Home for members", () => {
  it("refuses over-long commands and search words with a clear message", async () => {
    await register("ULONG0001", { displayName: "Long Input", email: "long@example.com" });
    await eventually(async () => (await personOf("ULONG0001"))?.profile);
    expect(text(await command("ULONG0001", `find ${"あ".repeat(600)}`))).toContain("500 文字以内");
    expect(text(await command("ULONG0001", `find ${"x".repeat(60)}`))).toContain("50 文字以内");
    expect(text(await command("ULONG0001", "refer #-1"))).toContain("求人番号として正しくありません");
  });

  it("App Home shows a member's referrals with status and RSVPs; a redelivered event publishes once", async () => {
    const person = await eventually(async () => personOf("UJOB00001"));
    const event = await seedEvent(h.db, { title: "Home RSVP event" });
    await click("UJOB00001", "event_rsvp_maybe", String(event.number));
    await h.db.prisma.referral.updateMany({ where: { referrerId: person.id }, data: { status: "interviewing" } });
    const eventId = `Ev${randomUUID().replaceAll("-", "").slice(0, 10).toUpperCase()}`;
    const sent = await h.slack.event(
      { type: "app_home_opened", user: "UJOB00001", channel: "DUJOB00001", tab: "home" },
      { eventId },
    );
    const call = await h.fake.waitFor(
      "views.publish",
      (c) => c.args.user_id === "UJOB00001" && text(c).includes("Home RSVP"),
    );
    const home = JSON.stringify(call.args.view);
    expect(home).toContain("Kenji Mori");
    expect(home).toContain("選考中");
    expect(home).toContain("未定");
    const publishes = () =>
      h.fake.callsTo("views.publish").filter((c) => JSON.stringify(c.args).includes("Home RSVP")).length;
    const before = publishes();
    expect((await h.slack.post(sent.body, "application/json", { retryNum: 1 })).status).toBe(200);
    await new Promise((r) => setTimeout(r, 300));
    expect(publishes()).toBe(before);
  });
});

describe("Slack: App Home, my data and erasure", () => {
  it("publishes App Home on app_home_opened, with a Join button for newcomers", async () => {
    await h.slack.event({ type: "app_home_opened", user: "UHOME0001", channel: "DHOME0001", tab: "home" });
    const call = await h.fake.waitFor("views.publish", (c) => c.args.user_id === "UHOME0001");
    expect(JSON.stringify(call.args.view)).toContain("open_join");
  });

  it("mydata sends a JSON file with everything stored, by DM", async () => {
    await register("UDATA0001", { displayName: "Data Owner", email: "owner@example.com", skills: "SQL" });
    await eventually(async () => (await personOf("UDATA0001"))?.profile);
    const post = await command("UDATA0001", "mydata");
    expect(text(post)).toContain("DM");
    const upload = h.fake.uploads.find((u) => u.content.includes("owner@example.com"));
    expect(upload?.channelId).toBe("DUDATA0001");
    const data = JSON.parse(upload?.content ?? "{}");
    expect(data.person.displayName).toBe("Data Owner");
    expect(data.profile.skills).toEqual(["SQL"]);
    expect(data.consents[0].version).toBe(CONSENT_VERSION);
  });

  it("delete → confirm → no personal data left in any table; pending messages to them cancelled", async () => {
    await register("UERASE001", {
      displayName: "Erika Eraseme",
      email: "erika.eraseme@example.com",
      skills: "Forgettable",
      directoryFields: ["display_name"],
    });
    const person = await eventually(async () => {
      const p = await personOf("UERASE001");
      return p?.profile ? p : null;
    });
    const event = await seedEvent(h.db, { title: "Erasure party" });
    await click("UERASE001", "event_rsvp_going", String(event.number));
    const queued = await h.db.prisma.outboxMessage.create({
      data: {
        idempotencyKey: `dm:test:${person.id}`,
        platform: "slack",
        operation: "dm",
        kind: "test.dm",
        target: "UERASE001",
        recipientId: person.id,
        payload: { text: "Hello Erika Eraseme" },
        rateKey: "slack:dm",
      },
    });
    const confirm = await command("UERASE001", "delete");
    expect(text(confirm)).toContain("delete_confirm");
    expect(await personOf("UERASE001")).not.toBeNull();

    const done = await click("UERASE001", "delete_confirm", "erase");
    expect(text(done)).toContain("削除しました");
    expect(done.body.replace_original).toBe(true);

    // Nothing anywhere still says who they were.
    const tables = await h.db.prisma.$queryRaw<{ table_name: string }[]>`
      SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'`;
    for (const { table_name } of tables) {
      const rows = await h.db.prisma.$queryRawUnsafe<{ row: string }[]>(`SELECT t::text AS row FROM "${table_name}" t`);
      for (const { row } of rows) {
        expect(row, table_name).not.toContain("Eraseme");
        expect(row, table_name).not.toContain("erika.eraseme@example.com");
        expect(row, table_name).not.toContain("UERASE001");
        expect(row, table_name).not.toContain("Forgettable");
      }
    }
    const tomb = await h.db.prisma.person.findUniqueOrThrow({ where: { id: person.id }, include: { consents: true } });
    expect(tomb.status).toBe("erased");
    expect(tomb.consents.every((c) => c.withdrawnAt !== null)).toBe(true);
    // Anonymous counts survive.
    expect(await h.db.prisma.rsvp.count({ where: { eventId: event.id } })).toBe(1);
    const dm = await h.db.prisma.outboxMessage.findUniqueOrThrow({ where: { id: queued.id } });
    expect(dm.status).toBe("cancelled");
    // Not found by anyone any more.
    expect(text(await command("UDIR00004", "find Erika"))).toContain("見つかりませんでした");
    // And they are a newcomer again.
    expect(text(await command("UERASE001", "jobs"))).toContain("open_join");
  });
});
