// The welcome when the bot is added to a chat follows the activity's language, like every
// other reply; an activity that states none (as Teams and the Agents Playground send the
// conversationUpdate) gets both languages, the default first.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { en } from "../../src/i18n/en.js";
import { ja } from "../../src/i18n/ja.js";
import { type BotHarness, startBotHarness } from "../support/bot-harness.js";
import { personalConversationId, type TeamsActivity } from "../support/teams-requests.js";

let h: BotHarness;

beforeAll(async () => {
  h = await startBotHarness();
});
afterAll(async () => {
  await h?.stop();
});

/** Install the bot in a new user's personal chat; returns what the bot said there. */
async function install(name: string, shape: (activity: TeamsActivity) => void): Promise<string> {
  const user = h.teamsPerson(name);
  const activity = h.teams.buildConversationUpdate([user, h.teams.bot], { from: user });
  shape(activity);
  const res = await h.teams.post(activity);
  expect(res.status).toBe(200);
  const sent = h.connector.sent(personalConversationId(user));
  expect(sent).toHaveLength(1);
  return sent.map((a) => a.text ?? "").join("\n");
}

describe("Teams: the welcome's language", () => {
  it("greets an en-US user in English only", async () => {
    const text = await install("Emma English", (a) => {
      a.locale = "en-US";
    });
    expect(text).toBe(en["teams.welcome"]);
  });

  it("greets a ja-JP user in Japanese only", async () => {
    const text = await install("Jun Japanese", (a) => {
      a.locale = "ja-JP";
    });
    expect(text).toBe(ja["teams.welcome"]);
  });

  it("uses the clientInfo entity's locale when the activity has none", async () => {
    const text = await install("Eli Entity", (a) => {
      delete a.locale;
      a.entities = [{ type: "clientInfo", locale: "en-US", country: "US", platform: "Web" }];
    });
    expect(text).toBe(en["teams.welcome"]);
  });

  it("greets in both languages, the default (ja) first, when the activity states no language", async () => {
    const text = await install("Nora Nolocale", (a) => {
      delete a.locale;
      a.entities = [];
    });
    expect(text).toBe(`${ja["teams.welcome"]}\n\n${en["teams.welcome"]}`);
  });
});
