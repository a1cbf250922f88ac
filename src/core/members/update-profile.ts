// A member edits their profile and visibility choices.

import type { Db } from "../db.js";
import { AppError } from "../errors.js";
import { findSlackMember, type Member, type SlackUserRef } from "./find-member.js";
import { parseProfileInput, profileColumns } from "./profile-input.js";

export async function updateProfile(options: { prisma: Db; user: SlackUserRef; input: unknown }): Promise<Member> {
  const { prisma, user } = options;
  const profile = parseProfileInput(options.input);
  const member = await findSlackMember({ prisma, user });
  if (!member?.registered) throw new AppError("forbidden", {}, { key: "member.notRegistered" });
  const columns = profileColumns(profile);
  await prisma.$transaction(async (tx) => {
    await tx.person.update({
      where: { id: member.personId },
      data: {
        displayName: profile.displayName,
        email: profile.email,
        locale: profile.locale,
        profile: { update: columns },
      },
    });
    await tx.auditLog.create({
      data: {
        actorId: member.personId,
        action: "member.profile_updated",
        subjectType: "person",
        subjectId: member.personId,
      },
    });
  });
  const updated = await findSlackMember({ prisma, user });
  if (!updated) throw new AppError("internal", { ref: "profile" });
  return updated;
}
