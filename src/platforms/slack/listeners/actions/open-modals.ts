// Buttons that open a modal: Join, Edit profile, Refer someone.
import type { App } from "@slack/bolt";
import { parsePostingNumber } from "../../../../core/postings/find-posting.js";
import type { SlackDeps } from "../../deps.js";
import { openReferral, openRegistration } from "../../modals.js";
import { requireMember, requireVerified } from "../../subcommands/context.js";
import { onButton } from "./helpers.js";

export function register(app: App, deps: SlackDeps): void {
  app.action(
    "open_join",
    onButton(deps, ({ actor, reply, triggerId, args }) =>
      openRegistration({ deps, client: args.client, actor, triggerId, purpose: "join", reply }),
    ),
  );
  app.action(
    "open_profile",
    onButton(deps, async ({ actor, reply, triggerId, args }) => {
      if (!(await requireMember({ actor, reply }))) return;
      await openRegistration({ deps, client: args.client, actor, triggerId });
    }),
  );
  app.action(
    "open_refer",
    onButton(deps, async ({ actor, reply, triggerId, args }) => {
      if (!(await requireVerified({ actor, reply }))) return;
      await openReferral({ deps, client: args.client, actor, triggerId, postingNumber: null });
    }),
  );
  app.action(
    "posting_refer",
    onButton(deps, async ({ actor, reply, triggerId, value, args }) => {
      if (!(await requireVerified({ actor, reply }))) return;
      await openReferral({ deps, client: args.client, actor, triggerId, postingNumber: parsePostingNumber(value) });
    }),
  );
}
