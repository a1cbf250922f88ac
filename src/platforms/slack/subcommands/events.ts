// `events`: upcoming events with RSVP buttons.
import { listUpcomingEvents } from "../../../core/events/list-upcoming-events.js";
import { eventsMessage } from "../blocks/events.js";
import { type CommandContext, requireVerified } from "./context.js";

export async function events(ctx: CommandContext): Promise<void> {
  const actor = await requireVerified(ctx);
  if (!actor) return;
  const upcoming = await listUpcomingEvents({ prisma: ctx.deps.prisma, viewerId: actor.member.personId });
  await ctx.reply(eventsMessage(actor.locale, upcoming));
}
