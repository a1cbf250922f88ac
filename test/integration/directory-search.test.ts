// Directory search through profiles.search_text (kept by database triggers), on
// both engines: what is searchable is exactly what the member shows, whichever
// code path wrote it, in any case and width, and short words, rare words and
// later pages come out the same however the search finds them.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CONSENT_VERSION } from "../../src/core/members/consent.js";
import { eraseMember } from "../../src/core/members/erase-member.js";
import { registerMember } from "../../src/core/members/register-member.js";
import { searchDirectory } from "../../src/core/members/search-directory.js";
import { updateProfile } from "../../src/core/members/update-profile.js";
import { resolveTeamsPerson } from "../../src/core/roles/resolve-teams-person.js";
import type { Database } from "../../src/db/database.js";
import { ENGINES, type EngineHandle, openEngine } from "../support/engines.js";

const TEAM = "T0FIND001";

describe.each(ENGINES)("directory search on %s", (engine) => {
  let handle: EngineHandle;
  let db: Database;
  let viewerId: string;
  const user = (userId: string) => ({ teamId: TEAM, userId });
  const join = (userId: string, input: Record<string, unknown>) =>
    registerMember({
      prisma: db.prisma,
      user: user(userId),
      input: { locale: "ja", email: `${userId.toLowerCase()}@example.com`, ...input },
      consent: { accepted: true, version: CONSENT_VERSION, locale: "ja" },
    }).then((r) => r.member);
  const find = (words: string[], page = 0) =>
    searchDirectory({ prisma: db.prisma, viewerId, teamId: TEAM, words, page });
  /** Person ids found (all pages). */
  const ids = async (words: string[]) => {
    const out: string[] = [];
    for (let page = 0; ; page++) {
      const result = await find(words, page);
      out.push(...result.entries.map((e) => e.personId));
      if (!result.hasMore) return out;
    }
  };

  beforeAll(async () => {
    handle = await openEngine(engine);
    db = handle.db;
    viewerId = (await join("UVIEWER", { displayName: "見る人" })).personId;
  });
  afterAll(async () => {
    await handle?.close();
  });

  it("finds Japanese and Latin name fragments and skills in any case, and only shown fields", async () => {
    const sato = await join("USATO", {
      displayName: "佐藤 健太",
      skills: "TypeScript, データ分析, Go",
      department: "研究開発部",
      title: "シニアエンジニア",
      directoryFields: ["display_name", "skills"],
    });
    const emma = await join("UEMMA", {
      displayName: "Emma Johnson",
      skills: "営業, Salesforce",
      currentEmployer: "Globex Japan",
      directoryFields: ["display_name", "skills", "employer"],
    });
    const hidden = await join("UHIDE", {
      displayName: "Hidden Nakamura",
      skills: "Kubernetes",
      department: "Secret Lab",
      directoryFields: ["skills"],
    });
    for (const word of ["佐藤", "藤", "健太", "佐藤 健太", "typescript", "TYPESCRIPT", "データ", "分析", "go", "GO"]) {
      expect(await ids([word]), word).toEqual([sato.personId]);
    }
    for (const word of ["emma", "EMMA", "john", "Johnson", "営業", "sales", "SalesForce", "globex", "x j"]) {
      expect(await ids([word]), word).toEqual([emma.personId]);
    }
    expect(await ids(["kubernetes"])).toEqual([hidden.personId]);
    // Hidden fields: name, department, title, employer.
    for (const word of ["Hidden", "nakamura", "Secret", "lab", "研究", "開発部", "エンジニア"]) {
      expect(await ids([word]), word).toEqual([]);
    }
    // Every word must match (a word may match any shown field), but never across two fields.
    expect(await ids(["佐藤", "typescript"])).toEqual([sato.personId]);
    expect(await ids(["佐藤", "salesforce"])).toEqual([]);
    expect(await ids(["go\nデータ"])).toEqual([]);
    expect(await ids(["typescriptデータ"])).toEqual([]);
    // Results show only what the member shows.
    const [entry] = (await find(["kubernetes"])).entries;
    expect(entry).toMatchObject({ personId: hidden.personId, skills: ["Kubernetes"] });
    expect(entry?.displayName).toBeUndefined();
    expect(entry?.department).toBeUndefined();
  });

  it("matches full-width and half-width forms (NFKC) both ways", async () => {
    const wide = await join("UWIDE", {
      displayName: "ＴＡＫＡＨＡＳＨＩ ﾀﾛｳ",
      skills: "Ｐｙｔｈｏｎ, ｴｸｾﾙ",
      directoryFields: ["display_name", "skills"],
    });
    const narrow = await join("UNARROW", {
      displayName: "Suzuki テツヤ",
      skills: "Rust, ＡＷＳ",
      directoryFields: ["display_name", "skills"],
    });
    for (const word of [
      "takahashi",
      "Takahashi",
      "ＴＡＫＡ",
      "ｔａｋａ",
      "タロウ",
      "ﾀﾛｳ",
      "ﾛｳ",
      "python",
      "ｐｙ",
      "エクセル",
      "ｴｸ",
    ]) {
      expect(await ids([word]), word).toEqual([wide.personId]);
    }
    for (const word of ["ＳＵＺＵＫＩ", "ｓｕｚ", "ﾃﾂﾔ", "ﾃﾂ", "テツヤ", "aws", "ＡＷ", "ＲＵＳＴ"]) {
      expect(await ids([word]), word).toEqual([narrow.personId]);
    }
    // A full-width ％ or ＿ is still a literal character, not a wildcard.
    expect(await ids(["ｔａ％ｓｈｉ"])).toEqual([]);
    expect(await ids(["ｔａ＿ａ"])).toEqual([]);
  });

  it("follows changes: shown fields, display name (any code path), erasure; writes to the search columns are replaced", async () => {
    const m = await join("UCHANGE", {
      displayName: "小林 直樹",
      skills: "Figma",
      department: "デザイン部",
      joinedYear: 2011,
      leftYear: 2019,
      directoryFields: ["display_name"],
    });
    expect(await ids(["小林"])).toEqual([m.personId]);
    expect(await ids(["figma"])).toEqual([]);
    expect(await ids(["2011"])).toEqual([]);

    // The member shows skills and years instead of the name.
    const edit = (input: Record<string, unknown>) =>
      updateProfile({
        prisma: db.prisma,
        user: user("UCHANGE"),
        input: { locale: "ja", email: "uchange@example.com", displayName: "小林 直樹", skills: "Figma", ...input },
      });
    await edit({ department: "デザイン部", joinedYear: 2011, leftYear: 2019, directoryFields: ["skills", "years"] });
    expect(await ids(["小林"])).toEqual([]);
    expect(await ids(["直樹"])).toEqual([]);
    expect(await ids(["FIGMA"])).toEqual([m.personId]);
    expect(await ids(["2011"])).toEqual([m.personId]);
    expect(await ids(["２０１９"])).toEqual([m.personId]);
    expect(await ids(["201"])).toEqual([]);

    // A new name through the profile form, then through Teams (another code path).
    await edit({ displayName: "小林 尚樹", directoryFields: ["display_name"] });
    expect(await ids(["尚樹"])).toEqual([m.personId]);
    expect(await ids(["直樹"])).toEqual([]);
    expect(await ids(["2011"])).toEqual([]);
    await db.prisma.teamsIdentity.create({
      data: { personId: m.personId, tenantId: "tenant-1", aadObjectId: "aad-change", teamsUserId: "29:old" },
    });
    await resolveTeamsPerson({
      prisma: db.prisma,
      tenantId: "tenant-1",
      aadObjectId: "aad-change",
      teamsUserId: "29:new",
      name: "Naoki Kobayashi",
      email: null,
      adminAadObjectIds: [],
    });
    expect(await ids(["naoki"])).toEqual([m.personId]);
    expect(await ids(["尚樹"])).toEqual([]);

    // Whatever code writes to the search columns, the triggers put back what is shown.
    await db.prisma.profile.update({
      where: { personId: m.personId },
      data: { searchText: "figma デザイン部", searchGrams: ["fi", "デザ"], searchYears: [2011] },
    });
    expect(await ids(["figma"])).toEqual([]);
    expect(await ids(["デザ"])).toEqual([]);
    expect(await ids(["2011"])).toEqual([]);
    expect(await ids(["kobayashi"])).toEqual([m.personId]);
    const row = await db.prisma.profile.findUniqueOrThrow({ where: { personId: m.personId } });
    expect(row.searchText).toBe("naoki kobayashi");

    await eraseMember({ prisma: db.prisma, personId: m.personId });
    expect(await ids(["kobayashi"])).toEqual([]);
  });

  it("gives the same pages for common and rare words, short and long, whether the newest members hold them or not", async () => {
    // 1,200 members in bulk (the same tables the app writes), newest first in created_at:
    // every one shows "Common Skill" and "共通"; every 100th also "Rare Word 稀"; one old member
    // (older than the newest 1,000 that a search looks at first) shows "Old Timer 古参".
    await db.withSession((s) =>
      s.exec(`
        CREATE TEMP TABLE bulk AS
        SELECT i, gen_random_uuid() AS person_id, now() - make_interval(mins => i) AS created_at
        FROM generate_series(1, 1200) AS i;
        INSERT INTO people (id, membership_status, display_name, email, created_at, updated_at)
        SELECT person_id, 'verified', CASE WHEN i = 1150 THEN 'Old Timer 古参' ELSE 'Bulk ' || i END, NULL, created_at, created_at FROM bulk;
        INSERT INTO consents (id, person_id, purpose, version, text_hash, locale)
        SELECT gen_random_uuid(), person_id, 'alumni_network', 'v', 'h', 'ja' FROM bulk;
        INSERT INTO profiles (id, person_id, skills, listed, directory_fields, created_at, updated_at)
        SELECT gen_random_uuid(), person_id,
               CASE WHEN i % 100 = 0 THEN ARRAY['Common Skill', '共通', 'Rare Word 稀'] ELSE ARRAY['Common Skill', '共通'] END,
               true, ARRAY['display_name', 'skills']::"ProfileField"[], created_at, created_at
        FROM bulk;
        DROP TABLE bulk;`),
    );
    const expected = async (fragment: string) =>
      (
        await db.withSession((s) =>
          s.query<{ person_id: string }>(
            `SELECT pr.person_id FROM profiles pr JOIN people p ON p.id = pr.person_id
             WHERE pr.listed AND pr.person_id <> $1::uuid
               AND (p.display_name ILIKE $2 OR array_to_string(pr.skills, ' ') ILIKE $2)
             ORDER BY pr.created_at DESC, pr.person_id`,
            [viewerId, `%${fragment}%`],
          ),
        )
      ).map((r) => r.person_id);

    const rare = await expected("rare word");
    expect(rare).toHaveLength(12);
    for (const words of [["rare"], ["RARE WORD"], ["稀"], ["rare", "common"]]) {
      expect(await ids(words), words.join(" ")).toEqual(rare);
    }
    const old = await expected("old timer");
    expect(old).toHaveLength(1);
    for (const word of ["old timer", "古参", "古"]) expect(await ids([word]), word).toEqual(old);

    const common = await expected("common skill");
    expect(common).toHaveLength(1200);
    expect(await expected("共通")).toEqual(common);
    const first = await find(["common"]);
    expect(first.entries.map((e) => e.personId)).toEqual(common.slice(0, 10));
    expect(first.hasMore).toBe(true);
    // Page 12 (offset 120), and a page past the newest 1,000 (共通 has no trigram).
    expect((await find(["common"], 12)).entries.map((e) => e.personId)).toEqual(common.slice(120, 130));
    expect((await find(["共通"], 105)).entries.map((e) => e.personId)).toEqual(common.slice(1050, 1060));
    const last = Math.floor((common.length - 1) / 10);
    const end = await find(["common skill"], last);
    expect(end.entries.map((e) => e.personId)).toEqual(common.slice(last * 10));
    expect(end.hasMore).toBe(false);
    expect((await find(["ZZ"])).entries).toEqual([]);
    expect((await find(["never-seen-word"])).entries).toEqual([]);
  });
});
