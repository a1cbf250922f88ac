// Blocking hides two people from each other in the directory and in intros,
// in both directions. The target needs no registration (they may join later).
import type { Db } from "../db.js";
import { fieldError } from "../errors.js";
import { ensureSlackPerson, type SlackUserRef } from "./find-member.js";

export async function blockMember(options: {
  prisma: Db;
  blockerId: string;
  target: SlackUserRef;
}): Promise<{ created: boolean }> {
  const { prisma, blockerId, target } = options;
  return prisma.$transaction(async (tx) => {
    const blockedId = await ensureSlackPerson(tx, target);
    if (blockedId === blockerId) throw fieldError("user", "member.cannotBlockSelf");
    const result = await tx.memberBlock.createMany({ data: [{ blockerId, blockedId }], skipDuplicates: true });
    return { created: result.count === 1 };
  });
}
