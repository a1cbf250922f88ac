// Opt-in registration: profile, visibility choices and a recorded consent, in one
// transaction. Submitting twice (double click, Slack retry) leaves one member and
// one consent.

import type { Db } from "../db.js";
import { isUniqueViolation } from "../db.js";
import { AppError, fieldError } from "../errors.js";
import { CONSENT_PURPOSE, CONSENT_VERSION, consentTextHash } from "./consent.js";
import { ensureSlackPerson, findSlackMember, type Member, type SlackUserRef } from "./find-member.js";
import { parseProfileInput, profileColumns } from "./profile-input.js";

export interface ConsentAnswer {
  accepted: boolean;
  /** The version of the text the form showed. */
  version: string;
  /** The language the text was shown in. */
  locale: "ja" | "en";
}

export async function registerMember(options: {
  prisma: Db;
  user: SlackUserRef;
  input: unknown;
  consent: ConsentAnswer;
  timeZone?: string | null;
}): Promise<{ member: Member; created: boolean }> {
  const { prisma, user, consent } = options;
  const profile = parseProfileInput(options.input);
  if (!consent.accepted) throw fieldError("consent", "validation.consentRequired");
  if (consent.version !== CONSENT_VERSION) throw fieldError("consent", "validation.consentOutdated");

  const attempt = () =>
    prisma.$transaction(async (tx) => {
      const personId = await ensureSlackPerson(tx, user);
      const before = await tx.person.findUnique({
        where: { id: personId },
        select: { profile: { select: { id: true } } },
      });
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
      return !before?.profile;
    });

  let created: boolean;
  try {
    created = await attempt();
  } catch (err) {
    // Two submissions racing to create the same Slack identity: the loser retries once.
    if (!isUniqueViolation(err)) throw err;
    created = await attempt();
  }
  const member = await findSlackMember({ prisma, user });
  if (!member) throw new AppError("internal", { ref: "register" });
  return { member, created };
}
