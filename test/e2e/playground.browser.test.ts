// `npm start` with no environment, driven in a real browser: Debian's Chromium
// under playwright-core opens the playground and walks the whole story by
// clicks and typing alone — HR posts a job in Teams and imports the demo leavers roster → the job is announced in the
// Slack alumni channel → an alumna on the roster joins through the modal, verified → she clicks
// Interested → HR gets the card in Teams. A screenshot of the end is kept in
// test-results/ (CI keeps it as an artifact).
import { existsSync, mkdirSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Browser, chromium, type Locator, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cleanEnv, freePort, ROOT, type Spawned, spawnScript, waitForOutput } from "../support/processes.js";
import { parseExposition } from "../support/prometheus.js";

const CHROMIUM = "/usr/bin/chromium";
const haveChromium = existsSync(CHROMIUM);
// CI installs Chromium (.ci/run); on a developer machine without it the test says why it is skipped.
if (!haveChromium && process.env.CI) throw new Error(`${CHROMIUM} is missing: .ci/run should have installed it`);

const ARTIFACTS = join(ROOT, "test-results");
const STEP_MS = 20_000;

let cwd: string;
let bot: Spawned | undefined;
let browser: Browser | undefined;
let page: Page;
let url: string;

beforeAll(async () => {
  if (!haveChromium) return;
  cwd = await mkdtemp(join(tmpdir(), "ab-playground-"));
  bot = spawnScript("src/main.ts", { env: cleanEnv({ PORT: String(await freePort()) }), cwd });
  url = (await waitForOutput(bot, /Open the playground: (http:\/\/localhost:\d+\/)/, 90_000))[1] as string;
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--no-first-run",
    ],
  });
  page = await browser.newPage({ viewport: { width: 1600, height: 1000 }, locale: "ja-JP" });
  page.setDefaultTimeout(STEP_MS);
}, 120_000);

afterAll(async () => {
  await browser?.close();
  if (bot && bot.child.exitCode === null) {
    bot.child.kill("SIGTERM");
    await bot.exited;
  }
  if (cwd) await rm(cwd, { recursive: true, force: true });
});

const slackPane = () => page.getByTestId("slack-pane");
const teamsPane = () => page.getByTestId("teams-pane");

async function typeAndSend(composer: Locator, text: string): Promise<void> {
  await composer.fill(text);
  await composer.press("Enter");
}

describe.skipIf(!haveChromium)("the playground in a real browser", () => {
  it("walks HR post → roster import → Slack announcement → alumna joins, verified → Interested → HR notification", async () => {
    const errors: string[] = [];
    page.on("pageerror", (err) => errors.push(err.message));
    page.on("console", (message) => {
      if (message.type() === "error") errors.push(message.text());
    });
    await page.goto(url);
    await expect.poll(() => page.title()).toContain("alumni-bridge");

    // Teams, as the HR admin: ask for the job form and fill it in.
    await page.getByTestId("teams-persona").selectOption("hr");
    await typeAndSend(page.getByTestId("teams-composer"), "post job");
    const form = teamsPane().getByTestId("teams-card").filter({ hasText: "求人を掲載" }).last();
    await form.getByLabel("タイトル").fill("Platform Engineer <img src=x onerror=alert(1)>");
    await form.getByLabel("仕事内容").fill("Keep the bridge between Slack and Teams up.");
    await form.getByRole("button", { name: "保存する" }).click();
    await expect.poll(() => teamsPane().innerText(), { timeout: STEP_MS }).toContain("公開しました");

    // HR sends the demo leavers roster (SmartHR-style, Shift_JIS) as a Teams file and imports it.
    await page.getByTestId("teams-demo-roster").click();
    const preview = teamsPane().getByTestId("teams-card").filter({ hasText: "smarthr-leavers.csv" }).last();
    await preview.getByRole("button", { name: "取り込む" }).click();
    await expect.poll(() => teamsPane().innerText(), { timeout: STEP_MS }).toContain("名簿に取り込みました");

    // Slack, as 佐藤 花子: the announcement arrives in #alumni, the title shown as text.
    await page.getByTestId("slack-persona").selectOption("U0SANDBOX1");
    await page.getByTestId("slack-conv-C0ALUMNI01").click();
    const announcement = slackPane()
      .getByTestId("slack-message")
      .filter({ hasText: "Platform Engineer <img src=x onerror=alert(1)>" })
      .first();
    await announcement.waitFor();
    expect(await slackPane().locator("img[src='x']").count()).toBe(0);

    // She joins: /alumni join opens the modal; an empty submit shows the bot's errors.
    await typeAndSend(page.getByTestId("slack-composer"), "/alumni join");
    const modal = page.getByTestId("slack-modal");
    await modal.waitFor();
    await page.getByTestId("slack-modal-submit").click();
    await expect.poll(() => modal.getByTestId("slack-modal-error").count()).toBeGreaterThan(0);
    await modal.getByLabel("表示名", { exact: true }).first().fill("佐藤 花子");
    // Her personal email is on HR's roster: she is verified as she joins.
    await modal
      .getByLabel(/個人のメールアドレス/)
      .first()
      .fill("hanako.sato@example.jp");
    // HR may see her name (the second "表示名" is in the directory list, the third in HR's).
    await modal.getByRole("group", { name: "人事部門に共有する項目" }).getByLabel("表示名").check();
    await modal.getByLabel("上記の利用目的に同意します").check();
    await page.getByTestId("slack-modal-submit").click();
    await modal.waitFor({ state: "detached" });

    // Interested on the announcement: a note only she sees.
    await announcement.getByRole("button", { name: "興味あり" }).click();
    await expect
      .poll(() => slackPane().locator('[data-testid="slack-message"][data-ephemeral="true"]').allInnerTexts())
      .toEqual(expect.arrayContaining([expect.stringContaining("興味あり")]));

    // HR sees who is interested, in Teams.
    const notice = teamsPane().getByTestId("teams-card").filter({ hasText: "佐藤 花子" }).last();
    await notice.waitFor();
    await notice.scrollIntoViewIfNeeded();

    mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: join(ARTIFACTS, "playground.png"), fullPage: true });
    expect(errors).toEqual([]);

    // The same process's /metrics parses as Prometheus text and counted the story's requests.
    const metrics = parseExposition(await (await fetch(`${url}metrics`)).text());
    const requests = metrics.get("alumni_bridge_http_requests_total")?.samples ?? [];
    const count = (platform: string) =>
      requests
        .filter((r) => r.labels.platform === platform && r.labels.status === "200")
        .reduce((n, r) => n + r.value, 0);
    expect(count("slack")).toBeGreaterThanOrEqual(4); // join, submit ×2, Interested
    expect(count("teams")).toBeGreaterThanOrEqual(4); // "post job", its Action.Execute, the roster file, Import
    const sent = metrics.get("alumni_bridge_deliveries_total")?.samples ?? [];
    expect(sent.some((s) => s.labels.outcome === "sent" && s.value > 0)).toBe(true);
  }, 180_000);
});
