// Demo data for trying the bot (`npm run seed:demo`): about 30 alumni with
// Japanese and English names, an HR and community manager, a few jobs and side
// gigs announced in the alumni channel, and a homecoming day. Everything goes
// through the app's own core operations (registration with consent, postings,
// events), so it is exactly what real use would have written. Running it again
// adds nothing.

import type { Db } from "../core/db.js";
import { scheduleEvent } from "../core/events/schedule-event.js";
import { CONSENT_VERSION } from "../core/members/consent.js";
import { registerMember } from "../core/members/register-member.js";
import { createPosting } from "../core/postings/create-posting.js";
import { JA_GIVEN, JA_SURNAMES } from "./names.js";

export const DEMO_TEAM_ID = "T0ALUMNI1";
/** The demo HR person's (and community manager's) email: also the marker that the demo is there. */
export const DEMO_HR_EMAIL = "hr.demo@example.co.jp";

const LATIN = [
  "Emily Carter",
  "James Wilson",
  "Sofia Martinez",
  "Liam Chen",
  "Olivia Brown",
  "Noah Kim",
  "Ava Nguyen",
  "Lucas Rossi",
  "Mia Schneider",
  "Ethan Park",
  "Chloe Dubois",
  "Daniel Singh",
  "Grace Lee",
  "Henry Taylor",
  "Yuki Anderson",
];
const DEPARTMENTS = ["営業部", "開発本部", "人事部", "マーケティング", "Finance", "Product", "カスタマーサクセス"];
const EMPLOYERS = ["スタートアップA社", "外資系コンサル", "Freelance", "大手メーカー", "Global SaaS Inc.", null];
const TITLES = [
  "エンジニア",
  "プロダクトマネージャー",
  "Designer",
  "営業マネージャー",
  "Data Scientist",
  "人事ビジネスパートナー",
];
const SKILLS = [
  "TypeScript",
  "Go",
  "営業",
  "データ分析",
  "UXデザイン",
  "人事",
  "PostgreSQL",
  "マーケティング",
  "React",
  "英語",
];

export interface DemoSummary {
  created: boolean;
  alumni: number;
  postings: number;
  eventNumber: number | null;
}

function demoAlumni(): { userId: string; input: Record<string, unknown> }[] {
  const people: { userId: string; input: Record<string, unknown> }[] = [];
  for (let i = 0; i < 30; i++) {
    const japanese = i % 2 === 0;
    const k = Math.floor(i / 2);
    const name = japanese
      ? `${JA_SURNAMES[k % JA_SURNAMES.length]} ${JA_GIVEN[(k * 7) % JA_GIVEN.length]}`
      : (LATIN[k % LATIN.length] as string);
    const joined = 2008 + (i % 10);
    const skills = [SKILLS[i % SKILLS.length], SKILLS[(i * 3 + 1) % SKILLS.length]];
    people.push({
      userId: `UDEMO${String(i + 1).padStart(4, "0")}`,
      input: {
        displayName: name,
        email: `alumni${i + 1}@example.com`,
        department: DEPARTMENTS[i % DEPARTMENTS.length],
        joinedYear: joined,
        leftYear: joined + 3 + (i % 6),
        currentEmployer: EMPLOYERS[i % EMPLOYERS.length],
        title: TITLES[i % TITLES.length],
        skills,
        interests: [
          "event_alerts",
          ...(i % 3 !== 0 ? ["job_alerts"] : []),
          ...(i % 4 === 0 ? ["gig_alerts"] : []),
          ...(i % 5 === 0 ? ["open_to_return"] : []),
          ...(i % 2 === 0 ? ["happy_to_refer"] : []),
        ],
        // Most list their name and skills; some also employer and years; a few stay private.
        directoryFields:
          i % 7 === 6 ? [] : ["display_name", "skills", "department", ...(i % 3 === 0 ? ["employer", "years"] : [])],
        hrFields: ["display_name", "email", "skills", "years", "employer", "title"],
        locale: japanese ? "ja" : "en",
      },
    });
  }
  return people;
}

/** Add the demo data unless it is already there. */
export async function seedDemo(options: {
  prisma: Db;
  alumniChannelId: string | null;
  now?: Date;
}): Promise<DemoSummary> {
  const { prisma } = options;
  const now = options.now ?? new Date();
  const existing = await prisma.person.findFirst({ where: { email: DEMO_HR_EMAIL }, select: { id: true } });
  if (existing) {
    const [alumni, postings, event] = await Promise.all([
      prisma.slackIdentity.count({ where: { userId: { startsWith: "UDEMO" } } }),
      prisma.posting.count({ where: { createdById: existing.id } }),
      prisma.event.findFirst({ where: { createdById: existing.id }, select: { number: true } }),
    ]);
    return { created: false, alumni, postings, eventNumber: event?.number ?? null };
  }

  for (const { userId, input } of demoAlumni()) {
    await registerMember({
      prisma,
      user: { teamId: DEMO_TEAM_ID, userId },
      input,
      consent: { accepted: true, version: CONSENT_VERSION, locale: input.locale as "ja" | "en" },
    });
  }

  // The demo alumni are members already: verified, as HR's roster or an approval would have made them.
  await prisma.person.updateMany({
    where: { slackIdentities: { some: { teamId: DEMO_TEAM_ID, userId: { startsWith: "UDEMO" } } } },
    data: { membership: "verified" },
  });

  // HR and community manager in one person (in Teams, roles are granted by an admin).
  const hr = await prisma.person.create({
    data: {
      displayName: "人事 花子",
      email: DEMO_HR_EMAIL,
      locale: "ja",
      roles: { create: [{ role: "hr" }, { role: "cm" }] },
    },
    select: { id: true },
  });

  const today = now.toISOString().slice(0, 10);
  const postings = [
    {
      kind: "job",
      title: "バックエンドエンジニア（TypeScript / PostgreSQL）",
      description: "決済基盤チームで API と非同期処理の設計・開発をお願いします。出戻り歓迎です。",
      location: "東京（ハイブリッド）",
      workStyle: "hybrid",
      employmentType: "full_time",
      skills: ["TypeScript", "PostgreSQL"],
      compensation: "年収 700–1,000 万円",
    },
    {
      kind: "job",
      title: "Product Manager, Alumni Platform",
      description: "Own the roadmap of our alumni and rehiring tools. English and Japanese.",
      location: "Remote (JST)",
      workStyle: "remote",
      employmentType: "full_time",
      skills: ["英語", "データ分析"],
    },
    {
      kind: "gig",
      title: "新卒採用イベントの面接官（副業）",
      description: "月 2 回、オンラインで 1 時間ほど。営業・人事経験者歓迎。",
      workStyle: "remote",
      employmentType: "side_gig",
      skills: ["人事", "営業"],
      compensation: "1 回 2 万円",
    },
    {
      kind: "gig",
      title: "UX review of our recruiting site (side gig)",
      description: "Two sessions reviewing the new careers site with our design team.",
      workStyle: "remote",
      employmentType: "contract",
      skills: ["UXデザイン", "React"],
    },
  ];
  for (const [i, input] of postings.entries()) {
    await createPosting({
      prisma,
      actorId: hr.id,
      input: { ...input, publish: true },
      originConversationRefId: null,
      alumniChannelId: options.alumniChannelId,
      requestKey: `demo:posting:${i}`,
      today,
      now,
    });
  }

  // A homecoming day five weeks ahead, Saturday 14:00 in Tokyo.
  const day = new Date(now.getTime() + 35 * 86_400_000);
  const startsAt = new Date(`${day.toISOString().slice(0, 10)}T05:00:00.000Z`);
  const { event } = await scheduleEvent({
    prisma,
    actorId: hr.id,
    input: {
      title: "ホームカミングデー 2027 / Homecoming Day",
      kind: "homecoming_day",
      startsAt: startsAt.toISOString(),
      timeZone: "Asia/Tokyo",
      endsAt: new Date(startsAt.getTime() + 3 * 3_600_000).toISOString(),
      place: "本社 20F ラウンジ",
      url: null,
      capacity: 80,
      description: "懐かしい仲間と近況を話しませんか。Drinks and snacks provided.",
    },
    originConversationRefId: null,
    alumniChannelId: options.alumniChannelId,
    requestKey: "demo:homecoming",
    now,
  });
  return { created: true, alumni: 30, postings: postings.length, eventNumber: event.number };
}
