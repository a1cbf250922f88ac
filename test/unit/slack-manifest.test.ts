// The Slack app manifest asks for exactly what the bot uses, on one Request URL.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { SLACK_EVENTS_PATH } from "../../src/platforms/slack/index.js";

const manifest = JSON.parse(readFileSync(new URL("../../manifests/slack/manifest.json", import.meta.url), "utf8"));

describe("Slack manifest", () => {
  it("routes the command, interactivity and events to /slack/events", () => {
    const command = manifest.features.slash_commands.find((c: { command: string }) => c.command === "/alumni");
    expect(command.url).toMatch(new RegExp(`${SLACK_EVENTS_PATH}$`));
    expect(command.should_escape).toBe(true);
    expect(manifest.settings.interactivity.request_url).toMatch(new RegExp(`${SLACK_EVENTS_PATH}$`));
    expect(manifest.settings.event_subscriptions.request_url).toMatch(new RegExp(`${SLACK_EVENTS_PATH}$`));
    expect(manifest.settings.event_subscriptions.bot_events).toEqual(["app_home_opened"]);
    expect(manifest.features.app_home.home_tab_enabled).toBe(true);
  });

  it("requests only the bot scopes the features need", () => {
    expect([...manifest.oauth_config.scopes.bot].sort()).toEqual(
      ["chat:write", "commands", "files:write", "im:write", "users:read", "users:read.email"].sort(),
    );
    expect(manifest.oauth_config.scopes.user).toBeUndefined();
  });
});
