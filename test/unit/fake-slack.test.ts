import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";
import { webApi } from "@slack/bolt";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { type FakeSlack, startFakeSlack } from "../support/fake-slack.js";
import { checkboxes, plainText, SlackRequester, signSlack, staticSelect } from "../support/slack-requests.js";

// The WebClient Bolt itself uses (@slack/bolt re-exports @slack/web-api).
const { WebClient } = webApi;

describe("fake Slack Web API", () => {
  let fake: FakeSlack;
  let client: InstanceType<typeof WebClient>;

  beforeAll(async () => {
    fake = await startFakeSlack({ teamId: "T0TEST", botUserId: "U0BOT" });
    client = new WebClient("xoxb-test-token", {
      slackApiUrl: fake.apiUrl,
      retryConfig: { retries: 0 },
      rejectRateLimitedCalls: true,
    });
  });
  afterAll(async () => {
    await fake.close();
  });
  afterEach(() => {
    fake.reset();
  });

  it("answers auth.test with the bot identity and records the bearer token", async () => {
    const res = await client.auth.test();
    expect(res).toMatchObject({ ok: true, user_id: "U0BOT", team_id: "T0TEST" });
    expect(res.bot_id).toMatch(/^B/);
    expect(fake.callsTo("auth.test")).toHaveLength(1);
    expect(fake.calls[0]?.token).toBe("xoxb-test-token");
  });

  it("records chat.postMessage with its blocks parsed back into objects, and gives increasing ts", async () => {
    const blocks = [{ type: "section", text: { type: "mrkdwn", text: "*hello* [1]" } }];
    const first = await client.chat.postMessage({ channel: "C1", text: "[not json", blocks });
    const second = await client.chat.postMessage({ channel: "U123", text: "hi" });
    expect(first.ok).toBe(true);
    expect(first.channel).toBe("C1");
    expect(second.channel).toBe("DU123");
    expect(first.ts).toMatch(/^\d{10}\.\d{6}$/);
    expect(Number(second.ts)).toBeGreaterThan(Number(first.ts));
    expect(first.message?.blocks).toEqual(blocks);
    const call = await fake.waitFor("chat.postMessage", (c) => c.args.channel === "C1");
    expect(call.args.blocks).toEqual(blocks);
    expect(call.args.text).toBe("[not json");
  });

  it("records views.open with the view object and answers with a generated id and hash", async () => {
    const view = {
      type: "modal" as const,
      callback_id: "profile_edit",
      private_metadata: '{"k":1}',
      title: { type: "plain_text" as const, text: "Profile" },
      blocks: [
        {
          type: "input",
          block_id: "b",
          label: { type: "plain_text", text: "L" },
          element: { type: "plain_text_input", action_id: "a" },
        },
      ],
    };
    const res = await client.views.open({ trigger_id: "123.456.abc", view: view as never });
    expect(res.view?.id).toMatch(/^V/);
    expect(res.view?.hash).toBeTruthy();
    expect(res.view?.callback_id).toBe("profile_edit");
    const call = fake.callsTo("views.open")[0];
    expect(call?.args.view).toEqual(view);
    expect((call?.args.view as { private_metadata?: string } | undefined)?.private_metadata).toBe('{"k":1}');

    const viewId = res.view?.id ?? "";
    const updated = await client.views.update({ view_id: viewId, hash: res.view?.hash ?? "", view: view as never });
    expect(updated.view?.id).toBe(viewId);
    expect(updated.view?.hash).not.toBe(res.view?.hash);
    await expect(client.views.update({ view_id: viewId, hash: "stale", view: view as never })).rejects.toThrow(
      /hash_conflict/,
    );
  });

  it("takes a files.uploadV2 upload through all three steps", async () => {
    const content = "name,email\nあい,a@example.com\n";
    const res = await client.files.uploadV2({
      content,
      filename: "alumni.csv",
      title: "Alumni export",
      channel_id: "D123",
      initial_comment: "Here is the export",
    });
    expect(res.ok).toBe(true);
    expect(fake.calls.map((c) => c.method)).toEqual(["files.getUploadURLExternal", "files.completeUploadExternal"]);
    expect(fake.uploads).toHaveLength(1);
    expect(fake.uploads[0]).toMatchObject({
      filename: "alumni.csv",
      title: "Alumni export",
      content,
      channelId: "D123",
      initialComment: "Here is the export",
    });
    const complete = fake.callsTo("files.completeUploadExternal")[0];
    expect(complete?.args.files).toEqual([{ id: fake.uploads[0]?.fileId, title: "Alumni export" }]);
  });

  it("fails the next calls on request, including rate limiting", async () => {
    fake.failNext("chat.postMessage", "channel_not_found", 2);
    await expect(client.chat.postMessage({ channel: "C1", text: "x" })).rejects.toMatchObject({
      data: { error: "channel_not_found" },
    });
    await expect(client.chat.postMessage({ channel: "C1", text: "x" })).rejects.toThrow(/channel_not_found/);
    await expect(client.chat.postMessage({ channel: "C1", text: "x" })).resolves.toMatchObject({ ok: true });
    expect(fake.callsTo("chat.postMessage").map((c) => c.error)).toEqual([
      "channel_not_found",
      "channel_not_found",
      undefined,
    ]);

    fake.failNext("users.info", "ratelimited", 1, 7);
    await expect(client.users.info({ user: "U1" })).rejects.toMatchObject({
      code: "slack_webapi_rate_limited_error",
      retryAfter: 7,
    });
  });

  it("answers users.info from added users, locale only when asked, and user_not_found otherwise", async () => {
    fake.addUser({ id: "U1", name: "taro", real_name: "Taro Yamada", email: "taro@example.com", locale: "ja-JP" });
    const res = await client.users.info({ user: "U1", include_locale: true });
    expect(res.user).toMatchObject({ id: "U1", name: "taro", real_name: "Taro Yamada", locale: "ja-JP" });
    expect(res.user?.profile?.email).toBe("taro@example.com");
    const noLocale = await client.users.info({ user: "U1" });
    expect(noLocale.user?.locale).toBeUndefined();
    await expect(client.users.info({ user: "U404" })).rejects.toThrow(/user_not_found/);
  });

  it("opens DMs, rejects unknown methods and lets a test replace a method's answer", async () => {
    const dm = await client.conversations.open({ users: "U77" });
    expect(dm.channel?.id).toBe("DU77");
    await expect(client.apiCall("no.such.method")).rejects.toThrow(/unknown_method/);
    fake.handle("conversations.members", () => ({ members: ["U1", "U2"] }));
    await expect(client.conversations.members({ channel: "C1" })).resolves.toMatchObject({ members: ["U1", "U2"] });
  });

  it("waitFor resolves on a later call and names the methods called when it times out", async () => {
    const pending = fake.waitFor("chat.update");
    await client.chat.update({ channel: "C1", ts: "1.2", text: "edited" });
    expect((await pending).args.text).toBe("edited");
    await expect(fake.waitFor("views.publish", undefined, 50)).rejects.toThrow(/views\.publish.*chat\.update/);
  });

  it("records posts to a response_url", async () => {
    const url = fake.responseUrl("cmd-1");
    const waiting = fake.waitForResponsePost((p) => p.id === "cmd-1");
    const res = await fetch(url, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ text: "done", response_type: "ephemeral" }),
    });
    expect(res.status).toBe(200);
    expect((await waiting).body).toEqual({ text: "done", response_type: "ephemeral" });
  });
});

describe("signed Slack requests", () => {
  it("reproduces Slack's documented signature example", () => {
    // https://docs.slack.dev/authentication/verifying-requests-from-slack
    const body =
      "token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c";
    expect(signSlack("8f742231b10e8888abcd99yyyzzz85a5", 1531420618, body)).toBe(
      "v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503",
    );
  });

  it("sends commands, block actions, view submissions and events shaped and signed like Slack", async () => {
    const fake = await startFakeSlack({ teamId: "T0TEST", botUserId: "U0BOT" });
    const received: { headers: IncomingMessage["headers"]; body: string }[] = [];
    const app = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", () => {
        received.push({ headers: req.headers, body: Buffer.concat(chunks).toString("utf8") });
        res.writeHead(200, { "content-type": "application/json" });
        res.end('{"ok":true}');
      });
    });
    await new Promise<void>((resolve) => app.listen(0, "127.0.0.1", resolve));
    try {
      const { port } = app.address() as AddressInfo;
      const slack = new SlackRequester({
        url: `http://127.0.0.1:${port}/slack/events`,
        signingSecret: "s3cret",
        teamId: "T0TEST",
        fakeSlack: fake,
      });

      const cmd = await slack.command("U1", "profile edit", { responseUrlId: "r1" });
      expect(cmd.status).toBe(200);
      expect(cmd.json).toEqual({ ok: true });
      const form = new URLSearchParams(cmd.body);
      expect(form.get("command")).toBe("/alumni");
      expect(form.get("text")).toBe("profile edit");
      expect(form.get("response_url")).toBe(fake.responseUrl("r1"));
      const h = received[0]?.headers ?? {};
      expect(received[0]?.body).toBe(cmd.body);
      expect(h["x-slack-signature"]).toBe(signSlack("s3cret", Number(h["x-slack-request-timestamp"]), cmd.body));
      expect(h["x-slack-retry-num"]).toBeUndefined();

      await slack.post(cmd.body, "application/x-www-form-urlencoded", { retryNum: 1, signature: "v0=bad" });
      expect(received[1]?.headers["x-slack-retry-num"]).toBe("1");
      expect(received[1]?.headers["x-slack-retry-reason"]).toBe("http_timeout");
      expect(received[1]?.headers["x-slack-signature"]).toBe("v0=bad");

      const act = await slack.blockAction(
        "U1",
        { actionId: "approve", value: "42" },
        { channelId: "C9", messageTs: "1.2" },
      );
      const actPayload = JSON.parse(new URLSearchParams(act.body).get("payload") ?? "{}");
      expect(actPayload).toMatchObject({
        type: "block_actions",
        user: { id: "U1", team_id: "T0TEST" },
        team: { id: "T0TEST" },
        container: { type: "message", message_ts: "1.2", channel_id: "C9" },
        channel: { id: "C9" },
        actions: [{ type: "button", action_id: "approve", value: "42" }],
      });
      expect(actPayload.response_url).toMatch(/^http:\/\/127\.0\.0\.1/);

      const inView = await slack.blockAction(
        "U1",
        { actionId: "pick", selectedOption: { value: "x" } },
        { view: { id: "V1", callback_id: "cb" } },
      );
      const inViewPayload = JSON.parse(new URLSearchParams(inView.body).get("payload") ?? "{}");
      expect(inViewPayload.container).toEqual({ type: "view", view_id: "V1" });
      expect(inViewPayload.response_url).toBeUndefined();
      expect(inViewPayload.actions[0]).toMatchObject({ type: "static_select", selected_option: { value: "x" } });

      const sub = await slack.viewSubmission("U1", {
        id: "V1",
        callbackId: "profile_edit",
        privateMetadata: "pm",
        values: {
          name: { name_input: plainText("Taro") },
          tags: { t: checkboxes(["a"]) },
          c: { s: staticSelect("jp") },
        },
      });
      const subPayload = JSON.parse(new URLSearchParams(sub.body).get("payload") ?? "{}");
      expect(subPayload).toMatchObject({
        type: "view_submission",
        view: {
          id: "V1",
          callback_id: "profile_edit",
          private_metadata: "pm",
          state: { values: { name: { name_input: { type: "plain_text_input", value: "Taro" } } } },
        },
        response_urls: [],
      });

      const ev = await slack.event({ type: "app_home_opened", user: "U1", tab: "home" }, { eventId: "Ev1" });
      expect(JSON.parse(ev.body)).toMatchObject({ type: "event_callback", event_id: "Ev1", team_id: "T0TEST" });
      expect(received.at(-1)?.headers["content-type"]).toBe("application/json");
    } finally {
      await new Promise<void>((resolve) => app.close(() => resolve()));
      await fake.close();
    }
  });
});
