// What a member's App Home shows: registration state, their referrals with
// status, their upcoming RSVPs, and how many openings are open.
import { Prisma, type ReferralStatus, type RsvpResponse } from "../../generated/prisma/client.js";
import type { Db } from "../db.js";

export interface MemberHome {
  openJobs: number;
  openGigs: number;
  upcomingEvents: number;
  /** The member's last 10 referrals, newest first. */
  referrals: {
    number: number;
    candidateName: string | null;
    status: ReferralStatus;
    updatedAt: Date;
    posting: { number: number; title: string } | null;
  }[];
  /** The member's next 10 RSVPs to scheduled events, soonest first. */
  rsvps: {
    response: RsvpResponse;
    event: { number: number; title: string; startsAt: Date; timeZone: string };
  }[];
}

/** The columns homeColumns adds to a row. */
export interface HomeRow {
  posting_counts: [number, number];
  events: number;
  referrals: (Omit<MemberHome["referrals"][number], "updatedAt"> & { updatedAt: string })[] | null;
  rsvps: { response: RsvpResponse; event: MemberHome["rsvps"][number]["event"] & { startsAt: string } }[] | null;
}

/**
 * What the App Home shows, as columns for one SELECT (a caller may fold them into a
 * statement of its own; `personId` is an SQL expression, null for no one): open
 * postings by kind in one pass (open as `openPostingWhere` says: status open and no
 * closing date before today, UTC), upcoming events, and the member's referrals and
 * RSVPs as JSON.
 */
export function homeColumns(personId: Prisma.Sql | null, now: Date): Prisma.Sql {
  const today = now.toISOString().slice(0, 10);
  const mine = personId
    ? Prisma.sql`(SELECT json_agg(json_build_object(
                   'number', r.number, 'candidateName', r.candidate_name, 'status', r.status::text,
                   'updatedAt', r.updated_at,
                   'posting', CASE WHEN po.id IS NULL THEN NULL
                                   ELSE json_build_object('number', po.number, 'title', po.title) END)
                   ORDER BY r.created_at DESC)
             FROM (SELECT * FROM referrals WHERE referrer_id = ${personId}
                   ORDER BY created_at DESC LIMIT 10) r
             LEFT JOIN postings po ON po.id = r.posting_id) AS referrals,
           (SELECT json_agg(json_build_object(
                   'response', v.response::text,
                   'event', json_build_object('number', v.number, 'title', v.title, 'startsAt', v.starts_at,
                                              'timeZone', v.time_zone))
                   ORDER BY v.starts_at)
             FROM (SELECT rs.response, e.number, e.title, e.starts_at, e.time_zone
                   FROM rsvps rs JOIN events e ON e.id = rs.event_id
                   WHERE rs.person_id = ${personId} AND e.status = 'scheduled' AND e.starts_at > ${now}
                   ORDER BY e.starts_at LIMIT 10) v) AS rsvps`
    : Prisma.sql`NULL AS referrals, NULL AS rsvps`;
  return Prisma.sql`
    (SELECT ARRAY[count(*) FILTER (WHERE po.kind = 'job'), count(*) FILTER (WHERE po.kind = 'gig')]::int[]
     FROM postings po
     WHERE po.status = 'open' AND (po.closes_on IS NULL OR po.closes_on >= ${today}::date)) AS posting_counts,
    (SELECT count(*)::int FROM events e WHERE e.status = 'scheduled' AND e.starts_at > ${now}) AS events,
    ${mine}`;
}

export function homeFromRow(row: HomeRow): MemberHome {
  return {
    openJobs: row.posting_counts[0],
    openGigs: row.posting_counts[1],
    upcomingEvents: row.events,
    referrals: (row.referrals ?? []).map((r) => ({ ...r, updatedAt: new Date(r.updatedAt) })),
    rsvps: (row.rsvps ?? []).map((r) => ({ ...r, event: { ...r.event, startsAt: new Date(r.event.startsAt) } })),
  };
}

/** One statement (the home is rebuilt every time it is opened). */
export async function getMemberHome(options: { prisma: Db; personId: string | null; now?: Date }): Promise<MemberHome> {
  const { prisma, personId } = options;
  const person = personId ? Prisma.sql`${personId}::uuid` : null;
  const rows = await prisma.$queryRaw<HomeRow[]>`SELECT ${homeColumns(person, options.now ?? new Date())}`;
  return homeFromRow(rows[0] as HomeRow);
}
