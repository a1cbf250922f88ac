// Undo a block the member made (blocks made by the other person stay).
import type { Db } from "../db.js";
import type { SlackUserRef } from "./find-member.js";

export async function unblockMember(options: {
  prisma: Db;
  blockerId: string;
  target: SlackUserRef;
}): Promise<{ removed: boolean }> {
  const { prisma, blockerId, target } = options;
  const identity = await prisma.slackIdentity.findUnique({
    where: { teamId_userId: { teamId: target.teamId, userId: target.userId } },
    select: { personId: true },
  });
  if (!identity) return { removed: false };
  const result = await prisma.memberBlock.deleteMany({ where: { blockerId, blockedId: identity.personId } });
  return { removed: result.count > 0 };
}
