// The Teams messages the outbox asks for, rendered at send time from the
// database (so a member's current privacy choices apply): HR's interest and
// referral cards, join requests. The delivery engine calls this for rows on platform "teams".
import type { Db } from "../../core/db.js";
import { buildWeeklyDigest } from "../../core/digest/build-weekly-digest.js";
import { getJoinRequest } from "../../core/members/get-join-request.js";
import { getInterestForHr } from "../../core/postings/get-interest-for-hr.js";
import { getReferralForHr } from "../../core/referrals/get-referral-for-hr.js";
import { getHomecomingWishes } from "../../core/surveys/get-homecoming-wishes.js";
import { ZOutboxPayload } from "../../delivery/messages.js";
import type { RenderCache } from "../../delivery/render-slack.js";
import type { Locale } from "../../i18n/index.js";
import type { Card } from "./cards/elements.js";
import { interestCard, referralCard } from "./cards/hr-notifications.js";
import { joinRequestCard } from "./cards/join-requests.js";
import { homecomingWishesCard, weeklyDigestCard } from "./cards/reports.js";

/** The card for an outbox payload, or null when its subject no longer exists (nothing to send). */
export async function renderTeamsOutbox(options: {
  prisma: Db;
  payload: unknown;
  locale: Locale;
  /** DEFAULT_TIMEZONE: the digest's week is counted in it. */
  timeZone: string;
  /** The digest is the same for every conversation of a run: built once per moment (see RenderCache). */
  cache?: RenderCache;
}): Promise<Card | null> {
  const payload = ZOutboxPayload.parse(options.payload);
  switch (payload.type) {
    case "hr.interest": {
      const data = await getInterestForHr({ prisma: options.prisma, interestId: payload.interestId });
      return data ? interestCard(options.locale, data) : null;
    }
    case "hr.referral": {
      const data = await getReferralForHr({ prisma: options.prisma, referralId: payload.referralId });
      return data ? referralCard(options.locale, data) : null;
    }
    case "hr.joinRequest": {
      // Rendered from the request as it is now: one decided meanwhile arrives decided, without buttons.
      const row = await options.prisma.joinRequest.findUnique({
        where: { id: payload.joinRequestId },
        select: { number: true },
      });
      const request = row && (await getJoinRequest({ prisma: options.prisma, requestNumber: row.number }));
      return request ? joinRequestCard({ locale: options.locale, timeZone: options.timeZone, request }) : null;
    }
    case "teams.homecoming_wishes": {
      const data = await getHomecomingWishes({ prisma: options.prisma, eventId: payload.eventId });
      return data ? homecomingWishesCard(options.locale, data) : null;
    }
    case "teams.weekly_digest": {
      const build = () =>
        buildWeeklyDigest({ prisma: options.prisma, weekStart: payload.weekStart, timeZone: options.timeZone });
      const data = await (options.cache
        ? options.cache.get(`digest:${payload.weekStart}:${options.timeZone}`, build)
        : build());
      return weeklyDigestCard(options.locale, data);
    }
    default:
      throw new Error(`${payload.type} is not a Teams message`);
  }
}
