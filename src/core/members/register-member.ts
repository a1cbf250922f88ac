// Opt-in registration: profile, visibility choices and a recorded consent, in one
// transaction. Submitting twice (double click, Slack retry) leaves one member and
// one consent.
//
// Verification (MEMBERSHIP_VERIFICATION, see find-roster-match.ts for the matching rules),
// decided in the same transaction:
// - "off": the member is verified at once (the behaviour before verification existed).
// - "roster": a form that matches HR's roster links the roster row and verifies the member;
//   anything else leaves them pending with a join request HR is told about in Teams.
// - "approval": always pending with a join request.
// A member already verified is never matched again (editing the profile changes nothing
// here). A pending member keeps their one pending request. A rejected member who submits
// again applies again (a new request), unless they were rejected `rejectionsBeforeBlock`
// times and the last rejection is less than `reapplyBlockDays` old.

import { randomUUID } from "node:crypto";
import { z } from "zod";
import { enqueueOutbox } from "../../delivery/outbox.js";
import type { Db, Tx } from "../db.js";
import { isUniqueViolation } from "../db.js";
import { AppError, fieldError } from "../errors.js";
import { parseInput, zOptionalLine } from "../validation.js";
import { CONSENT_PURPOSE, CONSENT_VERSION, consentTextHash } from "./consent.js";
import { ensureSlackPerson, findSlackMember, type Member, type SlackUserRef } from "./find-member.js";
import { findRosterMatch, type MatchRule } from "./find-roster-match.js";
import { parseProfileInput, profileColumns } from "./profile-input.js";

export interface ConsentAnswer {
  accepted: boolean;
  /** The version of the text the form showed. */
  version: string;
  /** The language the text was shown in. */
  locale: "ja" | "en";
}

export type VerificationMode = "roster" | "approval" | "off";

export interface VerificationInput {
  mode: VerificationMode;
  /** The personal email used to match (the form's email; null: use the profile's email). */
  personalEmail?: string | null;
  employeeNumber?: string | null;
  /** Family name as at the company (kanji or kana); needed with the employee number. */
  familyName?: string | null;
  rejectionsBeforeBlock: number;
  reapplyBlockDays: number;
}

export interface RegisterResult {
  member: Member;
  created: boolean;
  membership: Member["membership"];
  /** The pending join request's number (new or already waiting); null unless pending. */
  joinRequestNumber: number | null;
  /** True when this submission created the join request. */
  requested: boolean;
  /** How many `notify here` conversations were told about a new request (0: nobody in HR hears of it). */
  hrNotified: number;
  /** Set when this submission verified the member by matching the roster. */
  matchedBy: MatchRule | null;
}

const ZVerification = z
  .object({
    employeeNumber: zOptionalLine(40),
    familyName: zOptionalLine(50),
  })
  .superRefine((v, ctx) => {
    if (v.employeeNumber && !v.familyName) {
      ctx.addIssue({ code: "custom", path: ["familyName"], message: "membership.familyNameNeeded" });
    }
  });

const DAY_MS = 86_400_000;

export async function registerMember(options: {
  prisma: Db;
  user: SlackUserRef;
  input: unknown;
  consent: ConsentAnswer;
  timeZone?: string | null;
  /** How this join is verified; omitted: as MEMBERSHIP_VERIFICATION=off (verified at once). */
  verification?: VerificationInput;
  now?: Date;
}): Promise<RegisterResult> {
  const { prisma, user, consent } = options;
  // A full-width address (ｔａｒｏ＠ｅｘａｍｐｌｅ．ｃｏｍ, typed with a Japanese IME) is the same address.
  const raw = options.input;
  const profile = parseProfileInput(
    typeof raw === "object" && raw !== null && typeof (raw as { email?: unknown }).email === "string"
      ? { ...raw, email: (raw as { email: string }).email.normalize("NFKC") }
      : raw,
  );
  if (!consent.accepted) throw fieldError("consent", "validation.consentRequired");
  if (consent.version !== CONSENT_VERSION) throw fieldError("consent", "validation.consentOutdated");
  const mode = options.verification?.mode ?? "off";
  const entered =
    mode === "off"
      ? { employeeNumber: null, familyName: null }
      : parseInput(ZVerification, {
          employeeNumber: options.verification?.employeeNumber ?? null,
          familyName: options.verification?.familyName ?? null,
        });
  const personalEmail = options.verification?.personalEmail?.normalize("NFKC").trim() || profile.email;
  const now = options.now ?? new Date();

  const attempt = () =>
    prisma.$transaction(async (tx) => {
      const personId = await ensureSlackPerson(tx, user);
      const before = await tx.person.findUnique({
        where: { id: personId },
        select: { membership: true, profile: { select: { id: true } } },
      });
      // Refused before anything is written: a re-application while blocked.
      if (mode !== "off" && before?.membership === "rejected") {
        const until = await joinBlockedUntil(tx, personId, options.verification as VerificationInput);
        if (until && until > now) {
          throw new AppError(
            "forbidden",
            // The first whole day they may (the block ends during the day before).
            { date: dayIn(new Date(until.getTime() + DAY_MS), options.timeZone) },
            { key: "membership.reapplyBlocked" },
          );
        }
      }
      const columns = profileColumns(profile);
      await tx.person.update({
        where: { id: personId },
        data: {
          displayName: profile.displayName,
          email: profile.email,
          locale: profile.locale,
          ...(options.timeZone ? { timeZone: options.timeZone } : {}),
          profile: { upsert: { create: columns, update: columns } },
        },
      });
      const textHash = consentTextHash(consent.locale, consent.version);
      const current = await tx.consent.findFirst({
        where: { personId, purpose: CONSENT_PURPOSE, version: consent.version, withdrawnAt: null },
        select: { id: true },
      });
      if (!current) {
        await tx.consent.create({
          data: { personId, purpose: CONSENT_PURPOSE, version: consent.version, textHash, locale: consent.locale },
        });
      }
      if (!before?.profile) {
        await tx.auditLog.create({
          data: {
            actorId: personId,
            action: "member.registered",
            subjectType: "person",
            subjectId: personId,
            details: { consentVersion: consent.version },
          },
        });
      }
      const verified = await verify(tx, {
        personId,
        membership: before?.membership ?? "pending",
        mode,
        personalEmail,
        ...entered,
      });
      return { created: !before?.profile, ...verified };
    });

  let outcome: Awaited<ReturnType<typeof attempt>>;
  try {
    outcome = await attempt();
  } catch (err) {
    // Two submissions racing to create the same Slack identity (or to link the same person to
    // a roster row): the loser retries once, and finds the winner's work done.
    if (!isUniqueViolation(err)) throw err;
    outcome = await attempt();
  }
  const member = await findSlackMember({ prisma, user });
  if (!member) throw new AppError("internal", { ref: "register" });
  return { member, ...outcome };
}

interface Verified {
  membership: Member["membership"];
  joinRequestNumber: number | null;
  requested: boolean;
  hrNotified: number;
  matchedBy: MatchRule | null;
}

async function verify(
  tx: Tx,
  v: {
    personId: string;
    membership: Member["membership"];
    mode: VerificationMode;
    personalEmail: string | null;
    employeeNumber: string | null;
    familyName: string | null;
  },
): Promise<Verified> {
  const { personId } = v;
  const none = { joinRequestNumber: null, requested: false, hrNotified: 0, matchedBy: null };
  // Verified once, verified for good: a profile edit never re-runs matching.
  if (v.membership === "verified") return { membership: "verified", ...none };
  if (v.mode === "off") {
    await setMembership(tx, personId, "verified", { rule: "off" });
    return { membership: "verified", ...none };
  }
  if (v.membership === "pending") {
    const waiting = await tx.joinRequest.findFirst({
      where: { personId, status: "pending" },
      select: { number: true },
    });
    if (waiting) return { membership: "pending", ...none, joinRequestNumber: waiting.number };
  }
  if (v.mode === "roster") {
    const match = await findRosterMatch({
      prisma: tx,
      personalEmail: v.personalEmail,
      employeeNumber: v.employeeNumber,
      familyName: v.familyName,
    });
    // The row is linked only if still unlinked (a concurrent join may have taken it) and the
    // person is linked to no other row (roster_entries.person_id is unique).
    const linked = match
      ? await tx.$executeRaw`
          UPDATE roster_entries SET person_id = ${personId}::uuid, updated_at = now()
          WHERE id = ${match.entryId}::uuid AND person_id IS NULL
            AND NOT EXISTS (SELECT 1 FROM roster_entries WHERE person_id = ${personId}::uuid)`
      : 0;
    if (match && linked === 1) {
      await setMembership(tx, personId, "verified", { rule: match.rule, rosterEntryId: match.entryId });
      return { membership: "verified", ...none, matchedBy: match.rule };
    }
  }
  // Pending: one request per person while it waits (a partial unique index on
  // join_requests(person_id) WHERE status = 'pending'); a concurrent twin finds the winner's.
  const inserted = await tx.$queryRaw<{ id: string; number: number }[]>`
    INSERT INTO join_requests (id, person_id, status, personal_email, employee_number, family_name, created_at)
    VALUES (${randomUUID()}::uuid, ${personId}::uuid, 'pending', ${v.personalEmail}, ${v.employeeNumber},
            ${v.familyName}, now())
    ON CONFLICT DO NOTHING
    RETURNING id, number`;
  if (v.membership !== "pending") await tx.person.update({ where: { id: personId }, data: { membership: "pending" } });
  const request = inserted[0];
  if (!request) {
    const waiting = await tx.joinRequest.findFirstOrThrow({
      where: { personId, status: "pending" },
      select: { number: true },
    });
    return { membership: "pending", ...none, joinRequestNumber: waiting.number };
  }
  const notifyHere = await tx.teamsConversationRef.findMany({
    where: { notifyHere: true },
    select: { conversationId: true },
    orderBy: { createdAt: "asc" },
  });
  // No conversation said `notify here`: the personal chats of everyone who may decide (hr and
  // admin), so that a request never waits where nobody looks.
  const conversations =
    notifyHere.length > 0
      ? notifyHere
      : await tx.teamsConversationRef.findMany({
          where: {
            conversationType: "personal",
            person: { status: "active", roles: { some: { role: { in: ["hr", "admin"] }, revokedAt: null } } },
          },
          select: { conversationId: true },
          orderBy: { createdAt: "asc" },
        });
  await enqueueOutbox(
    tx,
    conversations.map(({ conversationId }) => ({
      idempotencyKey: `join-request:${request.id}:hr:${conversationId}`,
      platform: "teams" as const,
      operation: "post" as const,
      target: conversationId,
      subjectType: "join_request",
      subjectId: request.id,
      rateKey: `teams:conversation:${conversationId}`,
      payload: { type: "hr.joinRequest" as const, joinRequestId: request.id },
    })),
  );
  await tx.auditLog.create({
    data: {
      actorId: personId,
      action: "join_request.created",
      subjectType: "join_request",
      subjectId: request.id,
      details: { number: request.number, mode: v.mode, reapplication: v.membership === "rejected" },
    },
  });
  return {
    membership: "pending",
    joinRequestNumber: request.number,
    requested: true,
    hrNotified: conversations.length,
    matchedBy: null,
  };
}

async function setMembership(
  tx: Tx,
  personId: string,
  membership: "verified",
  details: { rule: MatchRule | "off"; rosterEntryId?: string },
): Promise<void> {
  await tx.person.update({ where: { id: personId }, data: { membership } });
  await tx.auditLog.create({
    data: { actorId: personId, action: "membership.verified", subjectType: "person", subjectId: personId, details },
  });
}

/**
 * When a rejected person may apply again: null when they may now (fewer than
 * `rejectionsBeforeBlock` rejections), else `reapplyBlockDays` after their last rejection.
 */
export async function joinBlockedUntil(
  prisma: Db | Tx,
  personId: string,
  policy: { rejectionsBeforeBlock: number; reapplyBlockDays: number },
): Promise<Date | null> {
  const rejected = await prisma.joinRequest.aggregate({
    where: { personId, status: "rejected" },
    _count: { _all: true },
    _max: { decidedAt: true },
  });
  const last = rejected._max.decidedAt;
  if (rejected._count._all < policy.rejectionsBeforeBlock || !last) return null;
  return new Date(last.getTime() + policy.reapplyBlockDays * DAY_MS);
}

/** The calendar day of `at` in a time zone (yyyy-mm-dd; UTC when none or unknown). */
export function dayIn(at: Date, timeZone?: string | null): string {
  try {
    return new Intl.DateTimeFormat("en-CA", { timeZone: timeZone ?? "UTC" }).format(at);
  } catch {
    return at.toISOString().slice(0, 10);
  }
}
