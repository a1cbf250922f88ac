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

interface HomeRow {
  jobs: number;
  gigs: number;
  events: number;
  referrals: (Omit<MemberHome["referrals"][number], "updatedAt"> & { updatedAt: string })[] | null;
  rsvps: { response: RsvpResponse; event: MemberHome["rsvps"][number]["event"] & { startsAt: string } }[] | null;
}

/**
 * One statement (the home is rebuilt after every profile edit and every time it is
 * opened): the open postings by kind in one pass, the upcoming events, and the
 * member's referrals and RSVPs as JSON. A posting is open as `openPostingWhere`
 * says: status open and no closing date before today (UTC).
 */
export async function getMemberHome(options: { prisma: Db; personId: string | null; now?: Date }): Promise<MemberHome> {
  const { prisma, personId } = options;
  const now = options.now ?? new Date();
  const today = now.toISOString().slice(0, 10);
  const mine = personId
    ? Prisma.sql`(SELECT json_agg(json_build_object(
                   'number', r.number, 'candidateName', r.candidate_name, 'status', r.status::text,
                   'updatedAt', r.updated_at,
                   'posting', CASE WHEN po.id IS NULL THEN NULL
                                   ELSE json_build_object('number', po.number, 'title', po.title) END)
                   ORDER BY r.created_at DESC)
             FROM (SELECT * FROM referrals WHERE referrer_id = ${personId}::uuid
                   ORDER BY created_at DESC LIMIT 10) r
             LEFT JOIN postings po ON po.id = r.posting_id) AS referrals,
           (SELECT json_agg(json_build_object(
                   'response', v.response::text,
                   'event', json_build_object('number', v.number, 'title', v.title, 'startsAt', v.starts_at,
                                              'timeZone', v.time_zone))
                   ORDER BY v.starts_at)
             FROM (SELECT rs.response, e.number, e.title, e.starts_at, e.time_zone
                   FROM rsvps rs JOIN events e ON e.id = rs.event_id
                   WHERE rs.person_id = ${personId}::uuid AND e.status = 'scheduled' AND e.starts_at > ${now}
                   ORDER BY e.starts_at LIMIT 10) v) AS rsvps`
    : Prisma.sql`NULL AS referrals, NULL AS rsvps`;
  const rows = await prisma.$queryRaw<HomeRow[]>`
    SELECT c.jobs, c.gigs,
           (SELECT count(*)::int FROM events e WHERE e.status = 'scheduled' AND e.starts_at > ${now}) AS events,
           ${mine}
    FROM (SELECT count(*) FILTER (WHERE po.kind = 'job')::int AS jobs,
                 count(*) FILTER (WHERE po.kind = 'gig')::int AS gigs
          FROM postings po
          WHERE po.status = 'open' AND (po.closes_on IS NULL OR po.closes_on >= ${today}::date)) c`;
  const row = rows[0] as HomeRow;
  return {
    openJobs: row.jobs,
    openGigs: row.gigs,
    upcomingEvents: row.events,
    referrals: (row.referrals ?? []).map((r) => ({ ...r, updatedAt: new Date(r.updatedAt) })),
    rsvps: (row.rsvps ?? []).map((r) => ({ ...r, event: { ...r.event, startsAt: new Date(r.event.startsAt) } })),
  };
}
