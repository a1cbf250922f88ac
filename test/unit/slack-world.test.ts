// What each persona sees in the playground's Slack, rebuilt from the calls the bot
// made: posts, edits and deletes, ephemeral replies, response_url answers
// (replace_original, delete_original, in_channel) and the modal stack.
import { describe, expect, it } from "vitest";
import type { FakeSlack, ResponseUrlPost, SlackCall } from "../../src/sandbox/fake-slack.js";
import { SlackWorld } from "../../src/sandbox/slack-world.js";

const CHANNEL = "C0ALUMNI01";

function world() {
  const calls: SlackCall[] = [];
  const responsePosts: ResponseUrlPost[] = [];
  const fake = { calls, responsePosts } as unknown as FakeSlack;
  const w = new SlackWorld(fake, { alumniChannel: CHANNEL, botName: "alumni-bridge", userName: (id) => `name-${id}` });
  let at = 0;
  const call = (method: string, args: Record<string, unknown>, result: Record<string, unknown> = {}) => {
    calls.push({ method, args, at: ++at, result: { ok: true, ...result } });
  };
  const view = (id: string, title: string, extra: Record<string, unknown> = {}) => ({
    view: { id, type: "modal", title: { type: "plain_text", text: title }, blocks: [], ...extra },
  });
  return { w, calls, responsePosts, call, view };
}

const texts = (w: SlackWorld, user: string, conversation = CHANNEL) =>
  w
    .snapshot(user)
    .conversations.find((c) => c.id === conversation)
    ?.messages.map((m) => `${m.ephemeral ? "(only you) " : ""}${m.text}${m.edited ? " (edited)" : ""}`);

describe("the playground's Slack world", () => {
  it("shows posts, edits and deletes in the channel, and DMs only to their user", () => {
    const { w, call, calls } = world();
    call("chat.postMessage", { channel: CHANNEL, text: "job #1" }, { channel: CHANNEL, ts: "1.1" });
    call("chat.postMessage", { channel: CHANNEL, text: "job #2" }, { channel: CHANNEL, ts: "1.2" });
    call("chat.update", { channel: CHANNEL, ts: "1.1", text: "job #1 closed" }, { channel: CHANNEL, ts: "1.1" });
    call("chat.delete", { channel: CHANNEL, ts: "1.2" }, { channel: CHANNEL, ts: "1.2" });
    call("chat.postMessage", { channel: "UA", text: "reminder for A" }, { channel: "DUA", ts: "1.3" });
    // A call Slack refused changes nothing.
    calls.push({ method: "chat.postMessage", args: { channel: CHANNEL, text: "x" }, at: 9, error: "ratelimited" });
    expect(texts(w, "UA")).toEqual(["job #1 closed (edited)"]);
    expect(texts(w, "UA", "DUA")).toEqual(["reminder for A"]);
    expect(texts(w, "UB", "DUB")).toEqual([]);
  });

  it("keeps ephemeral messages and ephemeral response_url answers to their user", () => {
    const { w, call, responsePosts } = world();
    call("chat.postEphemeral", { channel: CHANNEL, user: "UA", text: "only A" }, { message_ts: "2.1" });
    const id = w.newResponseTarget({ user: "UB", conversation: CHANNEL });
    responsePosts.push({ id, body: { text: "only B" } });
    const shared = w.newResponseTarget({ user: "UB", conversation: CHANNEL });
    responsePosts.push({ id: shared, body: { text: "for everyone", response_type: "in_channel" } });
    // An answer to a response_url the playground never issued is not shown.
    responsePosts.push({ id: "forged", body: { text: "nobody" } });
    expect(texts(w, "UA")).toEqual(["(only you) only A", "for everyone"]);
    expect(texts(w, "UB")).toEqual(["(only you) only B", "for everyone"]);
  });

  it("replace_original and delete_original act on the message the click came from", () => {
    const { w, call, responsePosts } = world();
    call("chat.postEphemeral", { channel: CHANNEL, user: "UA", text: "page 1" }, { message_ts: "3.1" });
    call("chat.postEphemeral", { channel: CHANNEL, user: "UA", text: "are you sure?" }, { message_ts: "3.2" });
    const [page, question] = w.snapshot("UA").conversations[0]?.messages ?? [];
    responsePosts.push({
      id: w.newResponseTarget({ user: "UA", conversation: CHANNEL, source: page?.id as string }),
      body: { text: "page 2", replace_original: true },
    });
    responsePosts.push({
      id: w.newResponseTarget({ user: "UA", conversation: CHANNEL, source: question?.id as string }),
      body: { delete_original: true },
    });
    expect(texts(w, "UA")).toEqual(["(only you) page 2 (edited)"]);
  });

  it("opens a modal for the user whose trigger it was; errors, update, push and close follow Slack", () => {
    const { w, call, view } = world();
    w.newTrigger("UA", "trigger-a");
    call("views.open", { trigger_id: "trigger-a", view: {} }, view("V1", "Join"));
    call("views.open", { trigger_id: "unknown", view: {} }, view("V9", "Not ours"));
    expect(w.snapshot("UA").modal?.title?.text).toBe("Join");
    expect(w.snapshot("UB").modal).toBeNull();

    w.applySubmissionAck("UA", "V1", { response_action: "errors", errors: { email: "Required" } });
    expect(w.topModal("UA")?.errors).toEqual({ email: "Required" });

    // The bot edits the open view (views.update by id): the new content shows, errors gone.
    call("views.update", { view_id: "V1", view: {} }, view("V1", "Join (step 2)"));
    expect(w.topModal("UA")).toMatchObject({ id: "V1", title: { text: "Join (step 2)" } });
    expect(w.topModal("UA")?.errors).toBeUndefined();

    w.applySubmissionAck("UA", "V1", { response_action: "push", view: { type: "modal", title: { text: "Confirm" } } });
    const pushed = w.topModal("UA");
    expect(pushed?.title?.text).toBe("Confirm");
    // An empty ack closes only the submitted view: the one under it shows again.
    w.applySubmissionAck("UA", pushed?.id as string, {});
    expect(w.topModal("UA")?.id).toBe("V1");

    w.applySubmissionAck("UA", "V1", { response_action: "clear" });
    expect(w.topModal("UA")).toBeNull();
    // Slack refuses updates to a closed view; the playground does not bring it back.
    call("views.update", { view_id: "V1", view: {} }, view("V1", "Too late"));
    expect(w.topModal("UA")).toBeNull();
  });

  it("shows each user's own App Home, and files shared in a DM", () => {
    const { w, call } = world();
    call(
      "views.publish",
      { user_id: "UA", view: {} },
      { view: { id: "VH", type: "home", blocks: [{ type: "divider" }] } },
    );
    call(
      "files.completeUploadExternal",
      { channel_id: "DUA", initial_comment: "your data", files: [{ id: "F1" }] },
      { files: [{ id: "F1", name: "mydata.json", title: "Your data", size: 2048 }] },
    );
    expect(w.snapshot("UA").home?.id).toBe("VH");
    expect(w.snapshot("UB").home).toBeNull();
    const dm = w.snapshot("UA").conversations.find((c) => c.kind === "dm");
    expect(dm?.messages[0]).toMatchObject({
      text: "your data",
      files: [{ id: "F1", name: "mydata.json", title: "Your data", size: 2048 }],
    });
  });
});
