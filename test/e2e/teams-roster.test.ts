// HR's leavers roster in Teams, end to end: a roster file sent in the personal chat
// arrives as a Teams file attachment (application/vnd.microsoft.teams.file.download.info)
// whose download URL points at a loopback file server listed in TEAMS_FILE_HOSTS; the bot
// downloads it, answers with a preview card, and Import / Cancel decide. Also the `roster`
// command (summary, search, add, delete) and who may do any of it.
import iconv from "iconv-lite";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type FakeFileHost, startFakeFileHost } from "../../src/sandbox/fake-file-host.js";
import { type BotHarness, startBotHarness } from "../support/bot-harness.js";
import { adaptiveCards, type SentActivity } from "../support/fake-connector.js";
import { personalConversationId, type TeamsUser, teamsUser } from "../support/teams-requests.js";

/** A SmartHR-style export: two good rows (wareki dates, an IBM extension kanji), one without an employee number, one with a leave date that is a markdown link. */
const SMARTHR_CSV = [
  "社員番号,姓,名,姓(ヨミガナ),名(ヨミガナ),メールアドレス,個人メールアドレス,入社年月日,退職年月日,部署,再雇用可否",
  "E1001,山田,太郎,ヤマダ,タロウ,taro.yamada@corp.example,taro@example.com,2015/04/01,2023/03/31,営業部,可",
  "E1002,髙橋,花子,タカハシ,ハナコ,hanako.takahashi@corp.example,,H27.4.1,令和5年9月30日,開発部,不可",
  ",佐藤,次郎,サトウ,ジロウ,,,2018-04-01,2024-01-31,総務部,可",
  "E1004,鈴木,三郎,スズキ,サブロウ,,,2018-04-01,[Click](https://evil.example),総務部,可",
].join("\r\n");

let h: BotHarness;
let files: FakeFileHost;
let unlisted: FakeFileHost;
const admin = teamsUser("Admin Aoki");
let hr: TeamsUser;
let hr2: TeamsUser;
let outsider: TeamsUser;

beforeAll(async () => {
  files = await startFakeFileHost();
  unlisted = await startFakeFileHost();
  h = await startBotHarness({
    admins: [admin],
    env: { TEAMS_FILE_HOSTS: `*.sharepoint.com,${files.host}`, ROSTER_MAX_BYTES: "4096" },
  });
  hr = h.teamsPerson("Hana HR", "hana.hr@corp.example");
  hr2 = h.teamsPerson("Jun HR", "jun.hr@corp.example");
  outsider = h.teamsPerson("Olivia Outsider");
  await h.teams.message(admin, "grant hr hana.hr@corp.example");
  await h.teams.message(admin, "grant hr jun.hr@corp.example");
});
afterAll(async () => {
  await h?.stop();
  await files?.close();
  await unlisted?.close();
});

function textOf(replies: SentActivity[]): string {
  return replies.map((r) => `${r.text ?? ""}${JSON.stringify(adaptiveCards(r))}`).join("\n");
}

async function say(user: TeamsUser, text: string, opts: { locale?: string } = {}) {
  const conversationId = personalConversationId(user);
  const before = h.connector.sent(conversationId).length;
  const res = await h.teams.message(user, text, opts);
  expect(res.status).toBe(200);
  return h.connector.sent(conversationId).slice(before);
}

/** Host `body` as `name` and send it to the bot as Teams does: a file attachment with a fresh download URL. */
async function upload(
  user: TeamsUser,
  name: string,
  body: Buffer | string,
  opts: { locale?: string; host?: FakeFileHost; conversation?: ReturnType<BotHarness["teams"]["channel"]> } = {},
) {
  const host = opts.host ?? files;
  const file = host.hostFile(name, Buffer.isBuffer(body) ? body : Buffer.from(body, "utf8"));
  const conversationId = opts.conversation?.id ?? personalConversationId(user);
  const before = h.connector.sent(conversationId).length;
  const res = await h.teams.sendFile(user, file, {
    locale: opts.locale ?? "ja-JP",
    ...(opts.conversation ? { conversation: opts.conversation } : {}),
  });
  expect(res.status).toBe(200);
  const replies = h.connector.sent(conversationId).slice(before);
  return { replies, text: textOf(replies), uniqueId: file.uniqueId };
}

async function invoke(user: TeamsUser, data: Record<string, unknown>, opts: { locale?: string } = {}) {
  const res = await h.teams.invoke(user, { verb: String(data.verb), data }, opts);
  expect(res.status).toBe(200);
  const body = res.json as { value: Record<string, unknown> };
  return { card: body.value, json: JSON.stringify(body.value) };
}

function importNumberOf(replies: SentActivity[]): number {
  const json = JSON.stringify(replies.flatMap((r) => adaptiveCards(r)));
  const match = /"verb":"roster\.import","importNumber":(\d+)/.exec(json);
  if (!match) throw new Error(`no Import button in ${json.slice(0, 500)}`);
  return Number(match[1]);
}

const hits = (host: FakeFileHost, uniqueId: string) => host.downloads.filter((d) => d.uniqueId === uniqueId).length;

describe("Teams: HR uploads a leavers roster", () => {
  let importNumber = 0;

  it("a CSV sent in the personal chat is downloaded and previewed in the uploader's language; nothing is stored yet", async () => {
    const sent = await upload(hr, "leavers.csv", `\uFEFF${SMARTHR_CSV}`, { locale: "en-US" });
    expect(hits(files, sent.uniqueId)).toBe(1);
    importNumber = importNumberOf(sent.replies);
    expect(sent.text).toContain(`Roster import #${importNumber}`);
    expect(sent.text).toContain("leavers.csv");
    expect(sent.text).toMatch(/"title":"New","value":"2"/);
    expect(sent.text).toMatch(/"title":"Rejected lines","value":"2"/);
    expect(sent.text).toContain("Line 4");
    expect(sent.text).toContain("Line 5");
    expect(sent.text).toContain('"verb":"roster.cancel"');
    expect(sent.text).not.toContain("](https://evil.example)");
    expect(await h.db.prisma.rosterEntry.count()).toBe(0);
    const stored = await h.db.prisma.rosterImport.findUniqueOrThrow({ where: { number: importNumber } });
    expect(stored.status).toBe("previewed");
  });

  it("Import fills the roster; a second click, by anyone in HR, changes nothing", async () => {
    const first = await invoke(hr, { verb: "roster.import", importNumber }, { locale: "en-US" });
    expect(first.json).toContain("Imported into the roster");
    expect(first.json).not.toContain('"verb":"roster.import"');
    const rows = await h.db.prisma.rosterEntry.findMany({ orderBy: { employeeNumber: "asc" } });
    expect(rows.map((r) => r.employeeNumber)).toEqual(["E1001", "E1002"]);
    expect(rows[0]?.personalEmail).toBe("taro@example.com");
    expect(rows[1]?.rehireEligible).toBe(false);
    const updatedAt = rows.map((r) => r.updatedAt.getTime());

    const again = await invoke(hr2, { verb: "roster.import", importNumber });
    expect(again.json).toContain("すでにHana HRが取り込み済みです");
    expect(again.json).not.toContain('"verb":"roster.import"');
    const cancel = await invoke(hr2, { verb: "roster.cancel", importNumber });
    expect(cancel.json).toContain("すでにHana HRが取り込み済みです");
    const after = await h.db.prisma.rosterEntry.findMany({ orderBy: { employeeNumber: "asc" } });
    expect(after.map((r) => r.updatedAt.getTime())).toEqual(updatedAt);
    expect((await h.db.prisma.rosterImport.findUniqueOrThrow({ where: { number: importNumber } })).status).toBe(
      "imported",
    );
  });

  it("the same file again, in Shift_JIS, previews as unchanged; Cancel leaves the roster as it was", async () => {
    const sjis = iconv.encode(SMARTHR_CSV, "cp932");
    const sent = await upload(hr, "退職者.csv", sjis);
    expect(sent.text).toMatch(/"title":"新規","value":"0"/);
    expect(sent.text).toMatch(/"title":"変更なし","value":"2"/);
    expect(sent.text.toLowerCase()).toContain("shift_jis");
    const number = importNumberOf(sent.replies);
    const cancelled = await invoke(hr, { verb: "roster.cancel", importNumber: number });
    expect(cancelled.json).toContain("取り消しました");
    expect(cancelled.json).not.toContain('"verb":"roster.import"');
    const late = await invoke(hr2, { verb: "roster.import", importNumber: number });
    expect(late.json).toContain("すでにHana HRが取り消しています");
    expect(await h.db.prisma.rosterEntry.count()).toBe(2);
    expect((await h.db.prisma.rosterImport.findUniqueOrThrow({ where: { number } })).status).toBe("cancelled");
  });

  it("refuses someone without hr before downloading anything", async () => {
    const importsBefore = await h.db.prisma.rosterImport.count();
    const sent = await upload(outsider, "leavers.csv", SMARTHR_CSV);
    expect(sent.text).toContain("権限がありません");
    expect(hits(files, sent.uniqueId)).toBe(0);
    expect(await h.db.prisma.rosterImport.count()).toBe(importsBefore);
    // Nor may they press a preview card's buttons.
    const click = await invoke(outsider, { verb: "roster.import", importNumber: importsBefore });
    expect(click.json).toContain("権限がありません");
  });

  it("refuses a file on a host that is not listed, without connecting to it", async () => {
    const importsBefore = await h.db.prisma.rosterImport.count();
    const sent = await upload(hr, "leavers.csv", SMARTHR_CSV, { host: unlisted, locale: "en-US" });
    expect(sent.text).toContain(`(${unlisted.host}) is not allowed`);
    expect(sent.text).not.toContain("tempauth");
    expect(hits(unlisted, sent.uniqueId)).toBe(0);
    expect(await h.db.prisma.rosterImport.count()).toBe(importsBefore);
  });

  it("refuses a file over ROSTER_MAX_BYTES, a file type it does not read, and a file sent in a channel", async () => {
    const importsBefore = await h.db.prisma.rosterImport.count();
    const big = `${SMARTHR_CSV}\r\n${"E9999,大,木,オオ,キ,,,2015/04/01,2023/03/31,営業部,可\r\n".repeat(100)}`;
    expect(Buffer.byteLength(big)).toBeGreaterThan(4096);
    const tooBig = await upload(hr, "big.csv", big);
    expect(tooBig.text).toContain("大きすぎます");
    const pdf = await upload(hr, "leavers.pdf", "%PDF-1.7");
    expect(pdf.text).toContain("読み込める形式ではありません");
    expect(hits(files, pdf.uniqueId)).toBe(0);
    const channel = h.teams.channel();
    const inChannel = await upload(hr, "leavers.csv", SMARTHR_CSV, { conversation: channel });
    expect(inChannel.text).toContain("個人チャット");
    expect(hits(files, inChannel.uniqueId)).toBe(0);
    expect(await h.db.prisma.rosterImport.count()).toBe(importsBefore);
  });
});

describe("Teams: the roster command", () => {
  it("roster shows the counts; roster <words> searches; both only for HR", async () => {
    const summary = textOf(await say(hr, "roster", { locale: "en-US" }));
    expect(summary).toMatch(/"title":"Rows","value":"2"/);
    expect(summary).toMatch(/"title":"Not eligible for rehire","value":"1"/);
    const found = textOf(await say(hr, "roster 山田"));
    expect(found).toContain("E1001");
    expect(found).not.toContain("E1002");
    expect(textOf(await say(outsider, "roster"))).toContain("権限がありません");
    // In a channel (which may include people outside HR): the counts, but no rows.
    const channel = h.teams.channel();
    const inChannel = async (text: string) => {
      const before = h.connector.sent(channel.id).length;
      expect((await h.teams.message(hr, text, { conversation: channel })).status).toBe(200);
      return textOf(h.connector.sent(channel.id).slice(before));
    };
    const counts = await inChannel("roster");
    expect(counts).toMatch(/"title":"登録数","value":"2"/);
    expect(counts).not.toContain("roster.form");
    expect(summary).toContain('"verb":"roster.form"');
    const search = await inChannel("roster 山田");
    expect(search).toContain("個人チャット");
    expect(search).not.toContain("E1001");
    expect(textOf(await say(outsider, "roster 山田"))).not.toContain("E1001");
  });

  it("roster add opens the one-leaver form; submitting it adds the row, escaped in the answer", async () => {
    const form = textOf(await say(hr, "roster add"));
    expect(form).toContain("Input.Date");
    expect(form).toContain("Input.Toggle");
    expect(form).toContain('"verb":"roster.add"');
    const added = await invoke(hr, {
      verb: "roster.add",
      employeeNumber: "E2001",
      familyName: "[Evil](https://evil.example)",
      givenName: "一郎",
      personalEmail: "ichiro@example.com",
      leftOn: "2024-06-30",
      rehireEligible: "false",
    });
    expect(added.json).toContain("名簿に登録しました");
    expect(added.json).not.toContain("](https://evil.example)");
    const row = await h.db.prisma.rosterEntry.findUniqueOrThrow({ where: { employeeNumber: "E2001" } });
    expect(row.rehireEligible).toBe(false);
    expect(row.importId).toBeNull();
    const refused = await invoke(outsider, {
      verb: "roster.add",
      employeeNumber: "E2002",
      familyName: "X",
      leftOn: "2024-06-30",
    });
    expect(refused.json).toContain("権限がありません");
    expect(await h.db.prisma.rosterEntry.count({ where: { employeeNumber: "E2002" } })).toBe(0);
  });

  it("roster delete <employee number> deletes the row (audited); only HR may", async () => {
    expect(textOf(await say(outsider, "roster delete E2001"))).toContain("権限がありません");
    expect(await h.db.prisma.rosterEntry.count({ where: { employeeNumber: "E2001" } })).toBe(1);
    const audits = await h.db.prisma.auditLog.count();
    expect(textOf(await say(hr, "roster delete E2001"))).toContain("削除しました");
    expect(await h.db.prisma.rosterEntry.count({ where: { employeeNumber: "E2001" } })).toBe(0);
    expect(await h.db.prisma.auditLog.count()).toBe(audits + 1);
    expect(textOf(await say(hr, "roster delete E2001"))).toContain("名簿にありません");
  });
});
