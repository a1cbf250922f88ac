// HR says `notify here` (or turns it off) in a Teams conversation: referrals and
// interests without a conversation of their own are posted there.
import type { Db } from "../db.js";
import { AppError } from "../errors.js";
import { requireRole } from "../roles/require-role.js";

export async function setNotifyHere(options: {
  prisma: Db;
  actorId: string;
  /** The Teams conversation id (as saved by saveConversationRef). */
  conversationId: string;
  on: boolean;
}): Promise<{ changed: boolean }> {
  const { prisma, actorId, conversationId, on } = options;
  return prisma.$transaction(async (tx) => {
    await requireRole(tx, actorId, ["hr"]);
    const ref = await tx.teamsConversationRef.findUnique({
      where: { conversationId },
      select: { id: true, notifyHere: true },
    });
    if (!ref) throw new AppError("not_found", {}, { key: "conversation.unknown" });
    if (ref.notifyHere === on) return { changed: false };
    await tx.teamsConversationRef.update({ where: { id: ref.id }, data: { notifyHere: on } });
    await tx.auditLog.create({
      data: {
        actorId,
        action: on ? "conversation.notify_on" : "conversation.notify_off",
        subjectType: "teams_conversation",
        subjectId: ref.id,
      },
    });
    return { changed: true };
  });
}
