// The authorization matrix covers every entry point the code registers, its
// Slack and Teams rows fit what the two platforms can tell apart, and README's
// table is the one generated from it. (Each cell is played against the running
// bot in test/e2e/authorization-matrix.test.ts.)
import { readdirSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { AUTHORIZATION_MATRIX, type PERSONAS } from "../../src/core/roles/authorization-matrix.js";
import { withAuthorizationTable } from "../../src/docs/authorization-readme.js";
import { SURVEY_ACTIONS } from "../../src/platforms/slack/listeners/actions/survey.js";
import { subcommands } from "../../src/platforms/slack/subcommands/index.js";
import { commandOperation } from "../../src/platforms/teams/authorize.js";

const root = new URL("../../", import.meta.url);
const read = (path: string) => readFileSync(new URL(path, root), "utf8");
const names = (platform: string, kind: string) =>
  AUTHORIZATION_MATRIX.filter((op) => op.platform === platform && op.kind === kind)
    .map((op) => op.name)
    .sort();

describe("authorization matrix", () => {
  it("README.md's 'Who may do what' is generated from it", () => {
    const readme = read("README.md");
    expect(
      withAuthorizationTable(readme) === readme,
      "README.md's authorization table is stale: run `npm run docs:authz`",
    ).toBe(true);
  });

  it("has one row per Slack subcommand, button and modal the app registers", () => {
    expect(names("slack", "command")).toEqual(
      Object.keys(subcommands)
        .map((n) => `/alumni ${n}`)
        .sort(),
    );

    const dir = "src/platforms/slack/listeners/actions/";
    const sources = readdirSync(new URL(dir, root))
      .map((f) => read(dir + f))
      .join("\n");
    const registrations = [...sources.matchAll(/app\.action\(\s*([^,]+),/g)].map((m) => (m[1] ?? "").trim());
    const actionIds = registrations.flatMap((arg) => {
      if (arg.startsWith('"')) return [JSON.parse(arg) as string];
      if (arg.startsWith("/^event_rsvp_")) return ["event_rsvp"];
      if (arg === "actionId") return [...SURVEY_ACTIONS];
      throw new Error(`an app.action(${arg}, …) the matrix test does not know: add its row to the matrix and here`);
    });
    expect(names("slack", "action")).toEqual([...actionIds].sort());

    const VIEW_OPERATIONS: Record<string, string[]> = {
      REGISTER_CALLBACK: ["register", "profile"], // one modal, in join or edit mode
      REFER_CALLBACK: ["refer"],
      SURVEY_CALLBACK: ["survey"],
      HOMECOMING_WISH_CALLBACK: ["homecoming_wish"],
    };
    const viewDir = "src/platforms/slack/listeners/views/";
    const viewSources = readdirSync(new URL(viewDir, root))
      .map((f) => read(viewDir + f))
      .join("\n");
    const viewOps = [...viewSources.matchAll(/app\.view\(\s*(\w+)/g)].flatMap((m) => {
      const ops = VIEW_OPERATIONS[m[1] ?? ""];
      if (!ops)
        throw new Error(`an app.view(${m[1]}, …) the matrix test does not know: add its row to the matrix and here`);
      return ops;
    });
    expect(names("slack", "view")).toEqual([...viewOps].sort());
  });

  it("has one row per Teams command and card verb the bot handles", () => {
    const commands = read("src/platforms/teams/commands.ts");
    const body = commands.slice(commands.indexOf("export async function runCommand"));
    const SECOND: Record<string, string> = {
      schedule: "event",
      cancel: "event",
      move: "event",
      survey: "results",
      failed: "deliveries",
    };
    const ops = [...body.matchAll(/case "([^"]*)":/g)].map((m) => {
      const head = m[1] ?? "";
      const op = commandOperation(head, SECOND[head] ?? "");
      expect(op, `command "${head}" has no row in the matrix`).not.toBeNull();
      return op;
    });
    const commandIds = AUTHORIZATION_MATRIX.filter((op) => op.platform === "teams" && op.kind === "command")
      .map((op) => op.id)
      .sort();
    expect([...new Set(ops)].sort()).toEqual(commandIds);

    const verbs = [...read("src/platforms/teams/card-actions.ts").matchAll(/case "([a-zA-Z]+\.[a-zA-Z]+)":/g)].map(
      (m) => m[1],
    );
    expect(names("teams", "card")).toEqual([...new Set(verbs)].sort());
  });

  it("gives the personas a platform cannot tell apart the same outcome", () => {
    // Slack knows strangers, newcomers and members (authorizeSlack); Teams knows strangers and roles.
    for (const op of AUTHORIZATION_MATRIX) {
      const o = op.outcomes;
      const same =
        op.platform === "slack"
          ? [
              ["member", "blocked", "hr", "cm", "admin"],
              ["unregistered", "erased"],
            ]
          : [["unregistered", "member", "blocked", "erased"]];
      for (const group of same) {
        for (const p of group)
          expect(o[p as (typeof PERSONAS)[number]], `${op.id} × ${p}`).toEqual(
            o[group[0] as (typeof PERSONAS)[number]],
          );
      }
      if (op.platform === "teams" && op.roles?.length)
        expect(o.admin, `${op.id}: admins may do everything`).toEqual({ allowed: true });
    }
    expect(new Set(AUTHORIZATION_MATRIX.map((op) => op.id)).size).toBe(AUTHORIZATION_MATRIX.length);
  });
});
