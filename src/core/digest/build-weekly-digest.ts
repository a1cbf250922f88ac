// What the weekly digest says: counts for one week (Monday 00:00 to the next
// Monday 00:00 in the company's time zone) — new members, interest in
// postings, referrals, RSVPs. Counts only: no names, no personal data.
import type { ReferralStatus, RsvpResponse } from "../../generated/prisma/client.js";
import type { Db } from "../db.js";
import { digestWeekRange } from "./digest-week.js";

export interface WeeklyDigest {
  weekStart: string;
  timeZone: string;
  from: Date;
  to: Date;
  /** Members who registered this week. */
  newMembers: number;
  /** Postings published this week. */
  postingsPublished: number;
  /** "Interested" clicks this week. */
  interests: number;
  /** Referrals received this week, by their current status. */
  referrals: { total: number; byStatus: Record<ReferralStatus, number> };
  /** RSVPs first given this week, by their current answer. */
  rsvps: { total: number; byResponse: Record<RsvpResponse, number> };
  /** Surveys answered this week. */
  surveysAnswered: number;
}

export async function buildWeeklyDigest(options: {
  prisma: Db;
  weekStart: string;
  timeZone: string;
}): Promise<WeeklyDigest> {
  const { prisma, weekStart, timeZone } = options;
  const { from, to } = digestWeekRange(weekStart, timeZone);
  const during = { gte: from, lt: to };
  const [newMembers, postingsPublished, interests, referralGroups, rsvpGroups, surveysAnswered] = await Promise.all([
    // The audit entry outlives erasure, so past weeks keep their count.
    prisma.auditLog.count({ where: { action: "member.registered", at: during } }),
    prisma.posting.count({ where: { publishedAt: during } }),
    prisma.interest.count({ where: { createdAt: during } }),
    prisma.referral.groupBy({ by: ["status"], where: { createdAt: during }, _count: { _all: true } }),
    prisma.rsvp.groupBy({ by: ["response"], where: { createdAt: during }, _count: { _all: true } }),
    prisma.surveyResponse.count({ where: { submittedAt: during } }),
  ]);
  const byStatus: Record<ReferralStatus, number> = {
    received: 0,
    contacted: 0,
    interviewing: 0,
    hired: 0,
    declined: 0,
  };
  for (const g of referralGroups) byStatus[g.status] = g._count._all;
  const byResponse: Record<RsvpResponse, number> = { going: 0, maybe: 0, not_going: 0 };
  for (const g of rsvpGroups) byResponse[g.response] = g._count._all;
  const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);
  return {
    weekStart,
    timeZone,
    from,
    to,
    newMembers,
    postingsPublished,
    interests,
    referrals: { total: sum(Object.values(byStatus)), byStatus },
    rsvps: { total: sum(Object.values(byResponse)), byResponse },
    surveysAnswered,
  };
}
