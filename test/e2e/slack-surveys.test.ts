// Survey modals in Slack, end to end: the button in a survey DM opens a modal
// built from the survey's questions; submitting stores the answers; someone
// else's survey is refused, both when opening and when submitting.
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CONSENT_VERSION } from "../../src/core/members/consent.js";
import { registerMember } from "../../src/core/members/register-member.js";
import { planExitSurveys } from "../../src/core/surveys/plan-exit-surveys.js";
import { planHomecomingWishes } from "../../src/core/surveys/plan-homecoming-wishes.js";
import { eventually, type SlackHarness, seedEvent, startSlackHarness, TEAM_ID } from "../support/slack-harness.js";
import { plainText, radio } from "../support/slack-requests.js";

const DAY = 86_400_000;
let h: SlackHarness;

beforeAll(async () => {
  h = await startSlackHarness();
});
afterAll(async () => {
  await h?.stop();
});

async function join(userId: string, locale: "ja" | "en" = "ja", leftDaysAgo?: number) {
  const { member } = await registerMember({
    prisma: h.db.prisma,
    user: { teamId: TEAM_ID, userId },
    input: { locale, displayName: userId, email: `${userId.toLowerCase()}@example.com` },
    consent: { accepted: true, version: CONSENT_VERSION, locale },
  });
  if (leftDaysAgo !== undefined) {
    const day = new Date(Date.now() - leftDaysAgo * DAY).toISOString().slice(0, 10);
    await h.db.prisma.profile.update({ where: { personId: member.personId }, data: { leftOn: new Date(day) } });
  }
  return member.personId;
}

/** A post-exit survey due now for a member who left 90 days ago; returns its SurveyResponse id. */
async function exitSurveyFor(userId: string, locale: "ja" | "en" = "ja"): Promise<{ personId: string; id: string }> {
  const personId = await join(userId, locale, 90);
  await planExitSurveys({ prisma: h.db.prisma, now: new Date(), offsetsMs: [90 * DAY], horizonMs: DAY });
  const { id } = await h.db.prisma.surveyResponse.findFirstOrThrow({ where: { personId } });
  return { personId, id };
}

/** Click a survey button in the bot's DM; returns the modal opened for it. */
async function openModal(userId: string, actionId: string, value: string) {
  const before = h.fake.callsTo("views.open").length;
  const res = await h.slack.blockAction(userId, { actionId, value }, { channelId: `D${userId}` });
  expect(res.status).toBe(200);
  await eventually(async () => h.fake.callsTo("views.open").length > before);
  const call = h.fake.callsTo("views.open").at(-1);
  return call?.args.view as {
    callback_id: string;
    private_metadata: string;
    title: { text: string };
    blocks: { type: string; block_id?: string; label?: { text: string }; element?: Record<string, unknown> }[];
  };
}

describe("Slack: survey modals", () => {
  it("open_survey opens the post-exit survey in the member's language; submitting stores the answers", async () => {
    const { id } = await exitSurveyFor("USURV0001");
    const view = await openModal("USURV0001", "open_survey", id);
    expect(view.callback_id).toBe("alumni_survey");
    expect(view.title.text).toBe("アンケート");
    const inputs = view.blocks.filter((b) => b.type === "input");
    expect(inputs.map((b) => b.block_id)).toEqual(["satisfaction", "would_return", "comment"]);
    expect(inputs[0]?.label?.text).toContain("満足");
    expect(inputs[0]?.element).toMatchObject({ type: "radio_buttons", action_id: "satisfaction" });
    const options = (inputs[0]?.element?.options ?? []) as { value: string }[];
    expect(options.map((o) => o.value)).toEqual(["1", "2", "3", "4", "5"]);
    expect(inputs[2]?.element).toMatchObject({ type: "plain_text_input", multiline: true, max_length: 1000 });

    const invalid = await h.slack.viewSubmission("USURV0001", {
      callbackId: view.callback_id,
      privateMetadata: view.private_metadata,
      values: {
        satisfaction: { satisfaction: radio("4") },
        would_return: { would_return: radio(null) },
        comment: { comment: plainText("x".repeat(1001)) },
      },
    });
    expect(invalid.json).toMatchObject({
      response_action: "errors",
      errors: { would_return: expect.any(String), comment: expect.stringContaining("1000") },
    });

    const ok = await h.slack.viewSubmission("USURV0001", {
      callbackId: view.callback_id,
      privateMetadata: view.private_metadata,
      values: {
        satisfaction: { satisfaction: radio("4") },
        would_return: { would_return: radio("yes") },
        comment: { comment: plainText("また一緒に働きたいです") },
      },
    });
    expect(ok.status).toBe(200);
    expect(ok.json).toBeUndefined();
    const answers = await h.db.prisma.surveyAnswer.findMany({
      where: { responseId: id },
      orderBy: { questionKey: "asc" },
    });
    expect(answers.map((a) => [a.questionKey, a.value])).toEqual([
      ["comment", "また一緒に働きたいです"],
      ["satisfaction", "4"],
      ["would_return", "yes"],
    ]);
    await h.fake.waitFor(
      "chat.postMessage",
      (c) => c.args.channel === "USURV0001" && String(c.args.text).includes("ありがとうございました"),
    );

    // Opening it again shows the earlier answers.
    const again = await openModal("USURV0001", "open_survey", id);
    const satisfaction = again.blocks.find((b) => b.block_id === "satisfaction");
    expect(satisfaction?.element?.initial_option).toMatchObject({ value: "4" });
  });

  it("refuses someone else's survey, when opening and when submitting", async () => {
    const { id } = await exitSurveyFor("USURV0002", "en");
    const ownView = await openModal("USURV0002", "open_survey", id);
    expect(ownView.title.text).toBe("Survey");
    await join("USURV0003");

    const responseUrlId = randomUUID();
    const opensBefore = h.fake.callsTo("views.open").length;
    await h.slack.blockAction(
      "USURV0003",
      { actionId: "open_survey", value: id },
      { channelId: "DUSURV0003", responseUrlId },
    );
    const refused = await h.fake.waitForResponsePost((p) => p.id === responseUrlId);
    expect(JSON.stringify(refused.body)).toContain("別の方宛て");
    expect(h.fake.callsTo("views.open").length).toBe(opensBefore);

    const submitted = await h.slack.viewSubmission("USURV0003", {
      callbackId: ownView.callback_id,
      privateMetadata: ownView.private_metadata,
      values: {
        satisfaction: { satisfaction: radio("1") },
        would_return: { would_return: radio("no") },
        comment: { comment: plainText(null) },
      },
    });
    expect(submitted.json).toMatchObject({
      response_action: "errors",
      errors: { satisfaction: expect.stringContaining("別の方宛て") },
    });
    expect(await h.db.prisma.surveyAnswer.count({ where: { responseId: id } })).toBe(0);
    expect((await h.db.prisma.surveyResponse.findUniqueOrThrow({ where: { id } })).submittedAt).toBeNull();
  });

  it("open_homecoming_wish opens the one-question wish modal for the event", async () => {
    const personId = await join("USURV0004");
    const event = await seedEvent(h.db, { title: "ホームカミングデー <2026>", inDays: 7 });
    await h.db.prisma.rsvp.create({ data: { eventId: event.id, personId, response: "going" } });
    await planHomecomingWishes({ prisma: h.db.prisma, now: new Date(), horizonMs: DAY });
    const { id } = await h.db.prisma.surveyResponse.findFirstOrThrow({ where: { personId, eventId: event.id } });

    const view = await openModal("USURV0004", "open_homecoming_wish", id);
    expect(view.callback_id).toBe("alumni_homecoming_wish");
    expect(JSON.stringify(view.blocks)).toContain("ホームカミングデー &lt;2026&gt;");
    expect(view.blocks.filter((b) => b.type === "input").map((b) => b.block_id)).toEqual(["who"]);

    const res = await h.slack.viewSubmission("USURV0004", {
      callbackId: view.callback_id,
      privateMetadata: view.private_metadata,
      values: { who: { who: plainText("元上司の田中さん") } },
    });
    expect(res.json).toBeUndefined();
    const answers = await h.db.prisma.surveyAnswer.findMany({ where: { responseId: id } });
    expect(answers.map((a) => a.value)).toEqual(["元上司の田中さん"]);
  });
});
