// Who sent this Slack request, and in which language do we answer them?
// The member's own choice wins; else their Slack locale; else DEFAULT_LOCALE.
// Slack profiles (locale, email for the join form) are cached briefly in memory.
import type { webApi } from "@slack/bolt";
import type { Db } from "../../core/db.js";
import {
  findSlackMember,
  type Member,
  type MemberRow,
  memberFromRow,
  slackMemberQuery,
} from "../../core/members/find-member.js";
import { Prisma } from "../../generated/prisma/client.js";
import { claimStatement } from "../../http/deliveries.js";
import { type Locale, localeFromTag } from "../../i18n/index.js";
import type { Logger } from "../../logger.js";

export interface SlackUserInfo {
  realName: string | null;
  email: string | null;
  locale: Locale | null;
  timeZone: string | null;
}

export interface SlackActor {
  teamId: string;
  userId: string;
  member: Member | null;
  registered: boolean;
  /** Registered and verified (MEMBERSHIP_VERIFICATION): may see the directory, postings and events. */
  verified: boolean;
  locale: Locale;
  /** From another workspace than the one the bot is installed in (e.g. a Slack Connect guest). */
  stranger: boolean;
}

/**
 * The member behind a request, read with its delivery claim (claimAndFindMember) before the
 * listeners run; in Bolt's context under this name, for resolve().
 */
export const PREFETCHED_MEMBER = "alumniMember";

export interface PrefetchedMember {
  teamId: string;
  userId: string;
  member: Member | null;
}

const CACHE_MS = 10 * 60_000;
const CACHE_MAX = 5_000;

export class ActorResolver {
  private readonly cache = new Map<string, { at: number; info: SlackUserInfo | null }>();
  private homeTeamId: Promise<string> | undefined;
  /** homeTeamId once it has resolved. */
  private knownHomeTeamId: string | undefined;

  constructor(
    private readonly deps: {
      prisma: Db;
      defaultLocale: Locale;
      logger: Logger;
      /** Told when a user is forgotten here, so the other thread's cache forgets them too. */
      onForget?: (teamId: string, userId: string) => void;
    },
  ) {}

  /** users.info (with locale), cached; null when Slack cannot tell us. */
  async slackUser(client: webApi.WebClient, teamId: string, userId: string): Promise<SlackUserInfo | null> {
    const key = `${teamId}:${userId}`;
    const hit = this.cache.get(key);
    if (hit && Date.now() - hit.at < CACHE_MS) return hit.info;
    let info: SlackUserInfo | null = null;
    try {
      const result = await client.users.info({ user: userId, include_locale: true });
      const user = result.user;
      if (user) {
        info = {
          realName: user.profile?.real_name || user.real_name || user.profile?.display_name || user.name || null,
          email: user.profile?.email ?? null,
          locale: localeFromTag(user.locale) ?? null,
          timeZone: user.tz ?? null,
        };
      }
    } catch (err) {
      this.deps.logger.warn({ err, userId }, "users.info failed; using defaults");
    }
    if (this.cache.size >= CACHE_MAX) this.cache.delete(this.cache.keys().next().value as string);
    this.cache.set(key, { at: Date.now(), info });
    return info;
  }

  /**
   * The workspace the bot is installed in (auth.test, asked once; the app is not
   * org-wide: org_deploy_enabled is false). A failed call is asked again next time.
   */
  homeTeam(client: webApi.WebClient): Promise<string> {
    this.homeTeamId ??= client.auth.test().then(
      (result) => {
        if (!result.team_id) throw new Error("auth.test returned no team_id");
        this.knownHomeTeamId = result.team_id;
        return result.team_id;
      },
      (err: unknown) => {
        this.homeTeamId = undefined;
        throw err;
      },
    );
    return this.homeTeamId;
  }

  async isStranger(client: webApi.WebClient, teamId: string): Promise<boolean> {
    return teamId !== (await this.homeTeam(client));
  }

  /**
   * Claim a delivery (claimDelivery) and, in the same statement, read the member who sent it
   * (findSlackMember): one round trip instead of two. Undefined when the bot's workspace is not
   * known yet, or is not the user's (nothing is looked up about a stranger): claim it alone then.
   */
  async claimAndFindMember(
    key: string,
    options: { final: boolean },
    user: { teamId: string; userId: string },
  ): Promise<{ claimed: boolean; prefetched: PrefetchedMember } | undefined> {
    if (this.knownHomeTeamId === undefined || user.teamId !== this.knownHomeTeamId) return undefined;
    const rows = await this.deps.prisma.$queryRaw<(MemberRow & { claimed: number })[]>(Prisma.sql`
      WITH claim AS (${claimStatement("slack", key, options)})
      SELECT (SELECT count(*) FROM claim)::int AS claimed, m.*
      FROM (SELECT 1) AS one LEFT JOIN LATERAL (${slackMemberQuery(user)}) AS m ON true`);
    const row = rows[0];
    return {
      claimed: row?.claimed === 1,
      prefetched: { teamId: user.teamId, userId: user.userId, member: memberFromRow(row) },
    };
  }

  /** Who sent a request; `prefetched` is the member read with its claim (claimAndFindMember), if it was. */
  async resolve(
    client: webApi.WebClient,
    teamId: string,
    userId: string,
    prefetched?: PrefetchedMember,
  ): Promise<SlackActor> {
    if (await this.isStranger(client, teamId)) {
      // Nothing is looked up or stored about someone from another workspace.
      return {
        teamId,
        userId,
        member: null,
        registered: false,
        verified: false,
        locale: this.deps.defaultLocale,
        stranger: true,
      };
    }
    const member =
      prefetched && prefetched.teamId === teamId && prefetched.userId === userId
        ? prefetched.member
        : await findSlackMember({ prisma: this.deps.prisma, user: { teamId, userId } });
    let locale = member?.locale ?? null;
    if (!locale) locale = (await this.slackUser(client, teamId, userId))?.locale ?? this.deps.defaultLocale;
    const registered = member?.registered === true;
    const verified = registered && member?.membership === "verified";
    return { teamId, userId, member, registered, verified, locale, stranger: false };
  }

  /** Forget a user's cached Slack profile (after erasure), here and, unless told not to, in the other thread. */
  forget(teamId: string, userId: string, options: { tellOthers?: boolean } = {}): void {
    this.cache.delete(`${teamId}:${userId}`);
    if (options.tellOthers !== false) this.deps.onForget?.(teamId, userId);
  }
}
