// Remember a Teams conversation (its Bot Framework ConversationReference), so
// the bot can write there later on its own: interest and referral cards, digests.
import { z } from "zod";
import { type Db, isUniqueViolation } from "../db.js";
import { parseInput } from "../validation.js";

const ZRef = z.object({
  conversationId: z.string().min(1).max(1000),
  tenantId: z.string().max(200).nullable(),
  conversationType: z.string().min(1).max(50),
  serviceUrl: z.url().max(1000),
  reference: z.record(z.string(), z.unknown()),
  personId: z.uuid().nullish(),
});

/** Insert or refresh the stored reference; returns the TeamsConversationRef id. */
export async function saveConversationRef(options: {
  prisma: Db;
  conversationId: string;
  tenantId: string | null;
  conversationType: string;
  serviceUrl: string;
  reference: object;
  /** For personal chats: whose chat it is. Leave out to keep what is stored. */
  personId?: string | null;
}): Promise<string> {
  const ref = parseInput(ZRef, {
    conversationId: options.conversationId,
    tenantId: options.tenantId,
    conversationType: options.conversationType,
    serviceUrl: options.serviceUrl,
    reference: options.reference,
    personId: options.personId,
  });
  const fields = {
    tenantId: ref.tenantId,
    conversationType: ref.conversationType,
    serviceUrl: ref.serviceUrl,
    reference: ref.reference as object,
    ...(ref.personId !== undefined ? { personId: ref.personId } : {}),
  };
  const upsert = () =>
    options.prisma.teamsConversationRef.upsert({
      where: { conversationId: ref.conversationId },
      create: { conversationId: ref.conversationId, ...fields },
      update: fields,
      select: { id: true },
    });
  try {
    return (await upsert()).id;
  } catch (err) {
    // Two activities from a new conversation at once: the second finds the first's row.
    if (!isUniqueViolation(err)) throw err;
    return (await upsert()).id;
  }
}
