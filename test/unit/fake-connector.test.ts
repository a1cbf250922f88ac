// The fake Bot Connector speaks the protocol of botbuilder's real client (CloudAdapter in sandbox
// mode, no credentials), and TeamsRequester's activities are ones CloudAdapter accepts.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import {
  type Activity,
  type Response as BotResponse,
  CloudAdapter,
  ConfigurationBotFrameworkAuthentication,
  type ConversationParameters,
  type ConversationReference,
  TeamsInfo,
  type TurnContext,
} from "botbuilder";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { adaptiveCards, type FakeConnector, startFakeConnector } from "../support/fake-connector.js";
import { mentionUser, TeamsRequester, teamsUser } from "../support/teams-requests.js";

const TENANT = "3f2a8c71-5b4d-4e9a-8c1f-2d6e7a9b0c13";
const BOT = { id: "28:alumni-bridge-bot", name: "alumni-bridge" };
const CHANNEL_THREAD = "19:9f8e7d6c5b4a39281706f5e4d3c2b1a0@thread.tacv2;messageid=1712345678901";

let fake: FakeConnector;
let adapter: CloudAdapter;

function reference(conversationId: string, conversationType = "channel"): Partial<ConversationReference> {
  return {
    channelId: "msteams",
    serviceUrl: fake.url,
    bot: BOT,
    user: { id: "29:1sato", name: "Sato Hanako" },
    conversation: {
      id: conversationId,
      conversationType,
      tenantId: TENANT,
      isGroup: conversationType !== "personal",
      name: "",
    },
  };
}

function proactive(conversationId: string, logic: (ctx: TurnContext) => Promise<void>): Promise<void> {
  // No app id: sandbox, no token is requested or sent.
  return adapter.continueConversationAsync("", reference(conversationId), logic);
}

beforeAll(async () => {
  fake = await startFakeConnector({ tenantId: TENANT });
  adapter = new CloudAdapter(new ConfigurationBotFrameworkAuthentication({}));
});

afterAll(async () => {
  await fake.close();
});

beforeEach(() => {
  fake.reset();
});

describe("fake connector with botbuilder's client", () => {
  it("records a reply, its update and its deletion, with the Teams id decoded", async () => {
    let sentId = "";
    await proactive(CHANNEL_THREAD, async (ctx) => {
      const sent = await ctx.sendActivity("求人を公開しました");
      sentId = sent?.id ?? "";
      const updated = await ctx.updateActivity({ type: "message", id: sentId, text: "締め切りました" });
      expect(updated).toEqual({ id: sentId });
      await ctx.deleteActivity(sentId);
    });

    expect(sentId).toMatch(/^\d+$/);
    const [activity] = fake.sent(CHANNEL_THREAD);
    expect(activity).toMatchObject({ id: sentId, type: "message", text: "求人を公開しました" });
    expect(activity?.conversationId).toBe(CHANNEL_THREAD);
    // continueConversationAsync replies to its continuation activity: POST .../activities/{id}
    expect(activity?.inReplyTo).toBeTruthy();
    expect(fake.updates).toEqual([expect.objectContaining({ id: sentId, text: "締め切りました" })]);
    expect(fake.deletes).toEqual([{ conversationId: CHANNEL_THREAD, activityId: sentId }]);

    const post = fake.calls[0];
    expect(post?.path).toBe(
      `/v3/conversations/${encodeURIComponent(CHANNEL_THREAD)}/activities/${encodeURIComponent(activity?.inReplyTo ?? "")}`,
    );
    expect(post?.path).not.toContain(";");
    expect(fake.calls.map((c) => [c.method, c.status])).toEqual([
      ["POST", 201],
      ["PUT", 200],
      ["DELETE", 200],
    ]);
    expect(fake.calls.every((c) => c.authorization === undefined)).toBe(true);
  });

  it("sends to a conversation (no reply id) and carries cards", async () => {
    const card = { type: "AdaptiveCard", version: "1.5", body: [{ type: "TextBlock", text: "Hi" }] };
    await proactive("a:1personalchat", async (ctx) => {
      await ctx.sendActivity({
        type: "message",
        attachments: [{ contentType: "application/vnd.microsoft.card.adaptive", content: card }],
      });
    });
    const [sent] = fake.sent("a:1personalchat");
    expect(sent && adaptiveCards(sent)).toEqual([card]);
    expect(fake.sent("other")).toEqual([]);
  });

  it("answers TeamsInfo member lookups from addMember, and 404s unknown members like Teams", async () => {
    const sato = fake.addMember({
      id: "29:1sato",
      name: "Sato Hanako",
      aadObjectId: "a1b2c3d4-0000-4000-8000-000000000001",
    });
    fake.addMember({ id: "29:1suzuki", name: "Suzuki Ichiro", aadObjectId: "a1b2c3d4-0000-4000-8000-000000000002" });

    await proactive(CHANNEL_THREAD, async (ctx) => {
      const member = await TeamsInfo.getMember(ctx, "29:1sato");
      expect(member).toMatchObject({
        id: "29:1sato",
        name: "Sato Hanako",
        aadObjectId: sato.aadObjectId,
        email: sato.email,
        userPrincipalName: sato.userPrincipalName,
        givenName: "Sato",
        surname: "Hanako",
        tenantId: TENANT,
        userRole: "user",
      });
      // The service also takes the Entra object id.
      expect((await TeamsInfo.getMember(ctx, sato.aadObjectId)).id).toBe("29:1sato");

      const err = await TeamsInfo.getMember(ctx, "29:1nobody").catch((e: unknown) => e);
      expect(err).toMatchObject({ statusCode: 404, code: "MemberNotFoundInConversation" });

      const page = await TeamsInfo.getPagedMembers(ctx, 1);
      expect(page.members.map((m) => m.id)).toEqual(["29:1sato"]);
      expect(page.continuationToken).toBeTruthy();
      const next = await TeamsInfo.getPagedMembers(ctx, 1, page.continuationToken);
      expect(next.members.map((m) => m.id)).toEqual(["29:1suzuki"]);
      expect(next.continuationToken).toBeUndefined();
    });

    const lookups = fake.calls.filter((c) => c.memberId !== undefined);
    expect(lookups.map((c) => [c.memberId, c.status])).toEqual([
      ["29:1sato", 200],
      [sato.aadObjectId, 200],
      ["29:1nobody", 404],
    ]);
    expect(lookups[0]?.conversationId).toBe(CHANNEL_THREAD);
  });

  it("creates a 1:1 conversation (the same id for the same user) and records what is sent there", async () => {
    const params = {
      isGroup: false,
      bot: BOT,
      members: [{ id: "29:1sato", name: "" }],
      tenantId: TENANT,
      channelData: { tenant: { id: TENANT } },
    } as unknown as ConversationParameters;
    const ids: string[] = [];
    for (const text of ["one", "two"]) {
      await adapter.createConversationAsync("", "msteams", fake.url, "", params, async (ctx) => {
        ids.push(ctx.activity.conversation.id);
        await ctx.sendActivity(text);
      });
    }
    expect(ids[0]).toMatch(/^a:new-/);
    expect(ids[1]).toBe(ids[0]);
    expect(fake.conversationsCreated).toHaveLength(2);
    expect(fake.conversationsCreated[0]?.parameters).toMatchObject({ members: [{ id: "29:1sato" }], tenantId: TENANT });
    expect(fake.sent(ids[0]).map((a) => a.text)).toEqual(["one", "two"]);
  });

  it("waitForActivity resolves on a later activity and rejects listing what arrived", async () => {
    const waiting = fake.waitForActivity((a) => a.text === "later");
    await proactive("a:1chat", async (ctx) => {
      await ctx.sendActivity("first");
      await ctx.sendActivity("later");
    });
    await expect(waiting).resolves.toMatchObject({ text: "later", conversationId: "a:1chat" });

    const error = await fake.waitForActivity((a) => a.text === "never", 50).catch((e: Error) => e);
    expect(String(error)).toContain("No activity matched within 50 ms");
    expect(String(error)).toContain('[a:1chat] message "first"');
  });

  it("failNext: an error status reaches the bot; a 429 with Retry-After is retried by the client", async () => {
    fake.failNext("POST", /\/activities/, 403);
    const err = await proactive("a:1chat", async (ctx) => {
      await ctx.sendActivity("refused");
    }).catch((e: unknown) => e);
    expect(err).toMatchObject({ statusCode: 403 });
    expect(fake.sent()).toEqual([]);

    fake.failNext("POST", /\/activities/, 429, { "Retry-After": "0" });
    await proactive("a:1chat", async (ctx) => {
      await ctx.sendActivity("after a pause");
    });
    expect(fake.calls.map((c) => c.status)).toEqual([403, 429, 201]);
    expect(fake.sent().map((a) => a.text)).toEqual(["after a pause"]);
  });

  it("answers unknown routes 404 and records them", async () => {
    const res = await fetch(new URL("v3/teams/19%3Ateam%40thread.tacv2", fake.url));
    expect(res.status).toBe(404);
    expect(fake.calls).toEqual([
      expect.objectContaining({ method: "GET", status: 404, path: "/v3/teams/19%3Ateam%40thread.tacv2" }),
    ]);
  });
});

describe("TeamsRequester against CloudAdapter", () => {
  let server: Server;
  let teams: TeamsRequester;
  const seen: Partial<Activity>[] = [];

  // A tiny bot: echoes messages (without the @mention), reports Action.Submit values, answers
  // Action.Execute with a card, greets on install.
  const logic = async (ctx: TurnContext): Promise<void> => {
    seen.push(ctx.activity);
    const a = ctx.activity;
    if (a.type === "message" && a.value !== undefined) {
      await ctx.sendActivity(`submitted ${JSON.stringify(a.value)}`);
    } else if (a.type === "message") {
      const text = (ctx.constructor as typeof TurnContext).removeRecipientMention(a)?.trim() ?? "";
      const mentioned = ctx.activity.entities?.filter((e) => e.type === "mention").map((e) => e.mentioned?.name);
      await ctx.sendActivity(`echo: ${text} | mentions: ${(mentioned ?? []).join(",")}`);
    } else if (a.type === "invoke" && a.name === "adaptiveCard/action") {
      const verb = (a.value as { action: { verb: string } }).action.verb;
      await ctx.sendActivity({
        type: "invokeResponse",
        value: {
          status: 200,
          body: { statusCode: 200, type: "application/vnd.microsoft.card.adaptive", value: { verb } },
        },
      });
    } else if (a.type === "conversationUpdate" && a.membersAdded?.some((m) => m.id === a.recipient.id)) {
      await ctx.sendActivity("welcome");
    }
  };

  beforeAll(async () => {
    server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", () => {
        let payload: unknown;
        const response: BotResponse = {
          socket: req.socket,
          status: (code: unknown) => {
            res.statusCode = Number(code);
          },
          header: (name: unknown, value: unknown) => res.setHeader(String(name), String(value)),
          send: (body: unknown) => {
            payload = body;
          },
          end: () => {
            if (payload === undefined) {
              res.end();
              return;
            }
            res.setHeader("content-type", typeof payload === "string" ? "text/plain" : "application/json");
            res.end(typeof payload === "string" ? payload : JSON.stringify(payload));
          },
        };
        const body = JSON.parse(Buffer.concat(chunks).toString("utf8"));
        adapter.process({ body, headers: req.headers, method: req.method }, response, logic).catch(() => {
          res.statusCode = 500;
          res.end();
        });
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as AddressInfo;
    teams = new TeamsRequester({
      url: `http://127.0.0.1:${port}/api/messages`,
      serviceUrl: fake.url,
      tenantId: TENANT,
    });
  });

  afterAll(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  beforeEach(() => {
    seen.length = 0;
  });

  const tanaka = teamsUser("Tanaka Yui");
  const sato = teamsUser("Sato Hanako");

  it("a personal-chat message arrives as Teams sends it, and the reply reaches the fake", async () => {
    const res = await teams.message(tanaka, "postings");
    expect(res.status).toBe(200);
    const reply = await fake.waitForActivity((a) => a.text?.startsWith("echo:") ?? false);
    expect(reply.text).toBe("echo: postings | mentions: ");
    expect(reply.conversationId).toBe(res.activity.conversation && (res.activity.conversation as { id: string }).id);
    expect(reply.inReplyTo).toBe(res.activity.id);
    expect(reply.recipient).toMatchObject({ id: tanaka.id });

    const got = seen[0];
    expect(got).toMatchObject({
      type: "message",
      channelId: "msteams",
      serviceUrl: fake.url,
      text: "postings",
      textFormat: "plain",
      locale: "ja-JP",
      from: { id: tanaka.id, name: "Tanaka Yui", aadObjectId: tanaka.aadObjectId },
      recipient: BOT,
      conversation: { conversationType: "personal", tenantId: TENANT },
      channelData: { tenant: { id: TENANT } },
    });
    expect(got?.conversation?.id).toMatch(/^a:1/);
    expect(got?.entities).toEqual([expect.objectContaining({ type: "clientInfo", locale: "ja-JP" })]);
    expect(res.activity.localTimestamp).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+09:00$/);
    expect(got?.localTimestamp?.getTime()).toBe(got?.timestamp?.getTime());
    // The same user's chat keeps its id.
    const again = await teams.message(tanaka, "help");
    expect((again.activity.conversation as { id: string }).id).toBe(got?.conversation?.id);
  });

  it("a channel message @mentions the bot and other users", async () => {
    const channel = teams.channel();
    const m = mentionUser(sato);
    const res = await teams.message(tanaka, `grant hr ${m.text}`, {
      conversation: channel,
      mentions: [m],
      locale: "en-US",
    });
    expect(res.status).toBe(200);
    expect(res.activity.text).toBe(`<at>alumni-bridge</at> grant hr <at>Sato Hanako</at>`);
    const reply = await fake.waitForActivity((a) => a.conversationId === channel.id);
    expect(reply.text).toBe("echo: grant hr <at>Sato Hanako</at> | mentions: alumni-bridge,Sato Hanako");
    expect(seen[0]).toMatchObject({
      conversation: { id: channel.id, conversationType: "channel", isGroup: true },
      channelData: { tenant: { id: TENANT }, team: { id: teams.team.id }, channel: { id: channel.id.split(";")[0] } },
      locale: "en-US",
    });
  });

  it("Action.Submit and Action.Execute", async () => {
    const submitted = await teams.submit(sato, { action: "close", postingId: "P-12" }, { replyToId: "1700000000001" });
    expect(submitted.status).toBe(200);
    expect(submitted.activity.text).toBeUndefined();
    await fake.waitForActivity((a) => a.text === 'submitted {"action":"close","postingId":"P-12"}');
    expect(seen[0]?.replyToId).toBe("1700000000001");

    const invoked = await teams.invoke(sato, { verb: "rsvp", data: { eventId: "E-1" } });
    expect(invoked.status).toBe(200);
    expect(invoked.json).toEqual({
      statusCode: 200,
      type: "application/vnd.microsoft.card.adaptive",
      value: { verb: "rsvp" },
    });
    expect(seen[1]).toMatchObject({
      type: "invoke",
      name: "adaptiveCard/action",
      value: { action: { type: "Action.Execute", verb: "rsvp", data: { eventId: "E-1" } }, trigger: "manual" },
    });
  });

  it("installing the bot in a team sends conversationUpdate with the bot in membersAdded", async () => {
    const res = await teams.conversationUpdate([teams.bot], { from: tanaka, conversation: teams.channel() });
    expect(res.status).toBe(200);
    const welcome = await fake.waitForActivity((a) => a.text === "welcome");
    expect(welcome.conversationId).toBe(teams.team.id);
    expect(seen[0]?.channelData).toMatchObject({ eventType: "teamMemberAdded", team: { id: teams.team.id } });
  });
});

describe("fake connector requiring a bot token", () => {
  it("answers 401 to a call its `authorize` refuses, records it, and delivers nothing", async () => {
    const secured = await startFakeConnector({ authorize: (authorization) => authorization === "Bearer good" });
    try {
      const url = `${secured.url}v3/conversations/${encodeURIComponent("a:1x")}/activities`;
      const body = JSON.stringify({ type: "message", text: "hi" });
      const headers = { "content-type": "application/json" };
      const none = await fetch(url, { method: "POST", headers, body });
      expect(none.status).toBe(401);
      const wrong = await fetch(url, { method: "POST", headers: { ...headers, authorization: "Bearer bad" }, body });
      expect(wrong.status).toBe(401);
      expect(secured.sent()).toEqual([]);
      const good = await fetch(url, { method: "POST", headers: { ...headers, authorization: "Bearer good" }, body });
      expect(good.status).toBe(201);
      expect(secured.sent()).toHaveLength(1);
      expect(secured.calls.map((c) => [c.status, c.authorization])).toEqual([
        [401, undefined],
        [401, "Bearer bad"],
        [201, "Bearer good"],
      ]);
    } finally {
      await secured.close();
    }
  });
});
