// App Home: published fresh each time the member opens it.
import type { AllMiddlewareArgs, App, SlackEventMiddlewareArgs } from "@slack/bolt";
import { getMemberHome } from "../../../../core/members/get-member-home.js";
import { homeView } from "../../blocks/home.js";
import type { SlackDeps } from "../../deps.js";

export function register(app: App, deps: SlackDeps): void {
  app.event(
    "app_home_opened",
    async ({ event, body, client }: SlackEventMiddlewareArgs<"app_home_opened"> & AllMiddlewareArgs) => {
      // A forged or malformed event may name no one: there is no Home to publish.
      if (event.tab !== "home" || typeof event.user !== "string" || event.user === "") return;
      const teamId = (body as { team_id?: string }).team_id ?? "";
      const actor = await deps.actors.resolve(client, teamId, event.user);
      // Someone of another workspace (authorization matrix: a stranger) gets no Home from us.
      if (actor.stranger) return;
      // A member not verified yet sees their request to join, not the community's lists.
      const waiting =
        actor.registered && !actor.verified && actor.member
          ? await deps.prisma.joinRequest.findFirst({
              where: { personId: actor.member.personId, status: "pending" },
              select: { number: true },
            })
          : null;
      const home = await getMemberHome({
        prisma: deps.prisma,
        personId: actor.verified ? (actor.member?.personId ?? null) : null,
      });
      await client.views.publish({
        user_id: event.user,
        view: homeView(actor.locale, actor.member, home, waiting?.number ?? null) as never,
      });
    },
  );
}
