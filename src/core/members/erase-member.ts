// Erasure (the right to be forgotten), at once: personal data leaves every table;
// an anonymous tombstone keeps counts (interests, RSVPs, referrals) true. Consent
// is marked withdrawn; queued messages to the member are cancelled and emptied.
//
// After it, no text or JSON column of any table names the member: not their name,
// email or words, and not their ids (person id, Slack user and DM channel ids, Teams
// ids) - not even inside the keys the app builds from them (outbox idempotency keys,
// survey dedupe keys, audit subjects). What stays: the tombstone row itself, whose
// uuid id the uuid columns of anonymous facts (an RSVP, an interest, an audit entry's
// actor) still point at. test/integration/erasure-scan.test.ts proves it by scanning
// every such column the database catalogue lists.
//
// HR's leavers roster is the exception, by design and documented: the member's roster
// row (roster_entries) is the company's own employment record, not alumni data. Erasure
// unlinks it (person_id = null) and leaves it; HR can delete it (`roster delete`), and a
// row nobody is linked to is pruned after ROSTER_RETENTION_DAYS. The member's join
// requests (what they typed in the join form, HR's reason) are alumni data: deleted,
// with the cards and messages about them and the audit details that name them.
import { Prisma } from "../../generated/prisma/client.js";
import type { Db, Tx } from "../db.js";
import { AppError } from "../errors.js";

export interface ErasureSummary {
  personId: string;
  cancelledMessages: number;
}

/**
 * Every id of the person that text columns may hold: theirs, their platform accounts', and
 * their join requests' (an HR card's payload, an audit subject).
 */
async function identifiersOf(tx: Tx, personId: string): Promise<string[]> {
  const [slack, teams, joinRequests] = await Promise.all([
    tx.slackIdentity.findMany({ where: { personId }, select: { userId: true, dmChannelId: true } }),
    tx.teamsIdentity.findMany({ where: { personId }, select: { aadObjectId: true, teamsUserId: true } }),
    tx.joinRequest.findMany({ where: { personId }, select: { id: true } }),
  ]);
  const ids = [
    personId,
    ...slack.flatMap((s) => [s.userId, s.dmChannelId]),
    ...teams.flatMap((t) => [t.aadObjectId, t.teamsUserId]),
    ...joinRequests.map((j) => j.id),
  ];
  // Short strings would match inside unrelated text; platform ids are never that short.
  return [...new Set(ids.filter((id): id is string => typeof id === "string" && id.length >= 6))];
}

export async function eraseMember(options: { prisma: Db; personId: string; now?: Date }): Promise<ErasureSummary> {
  const { prisma, personId } = options;
  const now = options.now ?? new Date();
  return prisma.$transaction(async (tx) => {
    const person = await tx.person.findUnique({ where: { id: personId }, select: { status: true } });
    if (person?.status !== "active") throw new AppError("forbidden", {}, { key: "member.notRegistered" });
    const ids = await identifiersOf(tx, personId);

    await tx.person.update({
      where: { id: personId },
      data: { status: "erased", erasedAt: now, displayName: null, email: null, locale: null, timeZone: null },
    });
    await tx.slackIdentity.deleteMany({ where: { personId } });
    await tx.teamsIdentity.deleteMany({ where: { personId } });
    await tx.profile.deleteMany({ where: { personId } });
    await tx.memberBlock.deleteMany({ where: { OR: [{ blockerId: personId }, { blockedId: personId }] } });
    await tx.roleGrant.deleteMany({ where: { personId } });
    await tx.consent.updateMany({ where: { personId, withdrawnAt: null }, data: { withdrawnAt: now } });
    // The referrer's own words about the candidate may identify the referrer; the
    // candidate's contact stays with HR, who is processing it with the candidate's consent.
    await tx.referral.updateMany({ where: { referrerId: personId }, data: { relationship: null, note: null } });
    await tx.referralStatusChange.updateMany({ where: { changedById: personId }, data: { note: null } });
    // Answers go (free text is the member's words); the response stays, unlinked, and its
    // dedupe key (built from the person id) no longer names them.
    await tx.surveyAnswer.deleteMany({ where: { response: { personId } } });
    await tx.$executeRaw`
      UPDATE survey_responses SET person_id = NULL, dedupe_key = 'erased:' || id::text
      WHERE person_id = ${personId}::uuid`;
    await tx.teamsConversationRef.deleteMany({ where: { personId } });
    // What they typed to join, and HR's answer: theirs, so it goes. A stale Approve/Reject
    // click on an old card then finds no request and changes nothing.
    await tx.joinRequest.deleteMany({ where: { personId } });
    // HR's roster row stays (the company's employment record), no longer linked to them.
    await tx.rosterEntry.updateMany({ where: { personId }, data: { personId: null } });

    // Messages to the member, and messages about them (e.g. HR's "interested" card, whose
    // payload names them): whatever is not sent yet is cancelled.
    const mentioning = await tx.$queryRaw<{ id: string; to_member: boolean }[]>`
      SELECT id, recipient_id IS NOT DISTINCT FROM ${personId}::uuid AS to_member
      FROM outbox_messages
      WHERE recipient_id = ${personId}::uuid
         OR EXISTS (SELECT 1 FROM unnest(${ids}::text[]) AS i(v)
                    WHERE strpos(idempotency_key, i.v) > 0 OR strpos(target, i.v) > 0
                       OR strpos(rate_key, i.v) > 0 OR strpos(payload::text, i.v) > 0)`;
    const rowIds = mentioning.map((m) => m.id);
    const cancelled = await tx.outboxMessage.updateMany({
      where: { id: { in: rowIds }, status: { in: ["pending", "sending"] } },
      data: { status: "cancelled", leaseOwner: null, leaseExpiresAt: null, lastError: "recipient erased" },
    });
    // Messages to the member (sent or not) no longer say where or what.
    await tx.platformMessageRef.deleteMany({
      where: { outboxMessageId: { in: mentioning.filter((m) => m.to_member).map((m) => m.id) } },
    });
    if (rowIds.length > 0) {
      await tx.$executeRaw`
        UPDATE outbox_messages SET
          payload = '{"erased":true}'::jsonb,
          target = CASE WHEN recipient_id = ${personId}::uuid
                          OR EXISTS (SELECT 1 FROM unnest(${ids}::text[]) AS i(v) WHERE strpos(target, i.v) > 0)
                        THEN 'erased' ELSE target END,
          rate_key = CASE WHEN EXISTS (SELECT 1 FROM unnest(${ids}::text[]) AS i(v) WHERE strpos(rate_key, i.v) > 0)
                          THEN 'erased' ELSE rate_key END,
          idempotency_key = CASE WHEN EXISTS (SELECT 1 FROM unnest(${ids}::text[]) AS i(v)
                                              WHERE strpos(idempotency_key, i.v) > 0)
                                 THEN 'erased:' || id::text ELSE idempotency_key END,
          updated_at = now()
        WHERE id = ANY(${rowIds}::uuid[])`;
    }

    // The audit trail keeps what happened and when, not who it was about.
    await tx.auditLog.updateMany({ where: { actorId: personId }, data: { details: Prisma.DbNull } });
    await tx.$executeRaw`
      UPDATE audit_log SET
        details = NULL,
        subject_id = CASE WHEN EXISTS (SELECT 1 FROM unnest(${ids}::text[]) AS i(v) WHERE strpos(subject_id, i.v) > 0)
                          THEN NULL ELSE subject_id END
      WHERE EXISTS (SELECT 1 FROM unnest(${ids}::text[]) AS i(v)
                    WHERE strpos(subject_id, i.v) > 0 OR strpos(details::text, i.v) > 0)`;
    // Who erased themselves is the (uuid) actor: the tombstone, which names nobody.
    await tx.auditLog.create({ data: { actorId: personId, action: "member.erased", subjectType: "person" } });
    return { personId, cancelledMessages: cancelled.count };
  });
}
