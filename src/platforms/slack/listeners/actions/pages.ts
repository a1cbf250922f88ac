// "More" buttons on lists, and the App Home shortcuts that post a list to the DM.
import type { App } from "@slack/bolt";
import { z } from "zod";
import { fieldError } from "../../../../core/errors.js";
import { listUpcomingEvents } from "../../../../core/events/list-upcoming-events.js";
import { searchDirectory } from "../../../../core/members/search-directory.js";
import { listOpenPostings } from "../../../../core/postings/list-open-postings.js";
import { directoryMessage } from "../../blocks/directory.js";
import { eventsMessage } from "../../blocks/events.js";
import { postingsMessage } from "../../blocks/postings.js";
import type { SlackDeps } from "../../deps.js";
import { requireVerified } from "../../subcommands/context.js";
import { sendMyData } from "../../subcommands/mydata.js";
import { onButton } from "./helpers.js";

const ZPostingsPage = z.object({
  k: z.enum(["job", "gig"]),
  w: z.array(z.string()).max(5),
  p: z.number().int().min(0),
});
const ZDirectoryPage = z.object({ w: z.array(z.string()).min(1).max(5), p: z.number().int().min(0) });

function decode<T>(schema: z.ZodType<T>, value: string): T {
  try {
    return schema.parse(JSON.parse(value));
  } catch {
    throw fieldError("page", "validation.invalid");
  }
}

export function register(app: App, deps: SlackDeps): void {
  app.action(
    "postings_page",
    onButton(deps, async ({ actor, reply, value }) => {
      if (!(await requireVerified({ actor, reply }))) return;
      const page = decode(ZPostingsPage, value);
      const result = await listOpenPostings({ prisma: deps.prisma, kind: page.k, words: page.w, page: page.p });
      await reply(postingsMessage(actor.locale, page.k, page.w, result));
    }),
  );
  app.action(
    "directory_page",
    onButton(deps, async ({ actor, reply, value }) => {
      const member = await requireVerified({ actor, reply });
      if (!member) return;
      const page = decode(ZDirectoryPage, value);
      const result = await searchDirectory({
        prisma: deps.prisma,
        viewerId: member.member.personId,
        teamId: actor.teamId,
        words: page.w,
        page: page.p,
      });
      await reply(directoryMessage(actor.locale, page.w, result));
    }),
  );
  app.action(
    "home_list",
    onButton(deps, async ({ actor, reply, value, args }) => {
      const member = await requireVerified({ actor, reply });
      if (!member) return;
      if (value === "jobs" || value === "gigs") {
        const kind = value === "jobs" ? "job" : "gig";
        const result = await listOpenPostings({ prisma: deps.prisma, kind });
        await reply(postingsMessage(actor.locale, kind, [], result));
      } else if (value === "events") {
        const upcoming = await listUpcomingEvents({ prisma: deps.prisma, viewerId: member.member.personId });
        await reply(eventsMessage(actor.locale, upcoming));
      } else if (value === "mydata") {
        await sendMyData({ deps, client: args.client, actor: member, reply });
      } else {
        throw fieldError("action", "validation.invalid");
      }
    }),
  );
}
