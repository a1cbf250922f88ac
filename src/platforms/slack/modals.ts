// Opening modals (within the trigger's 3-second window): registration, the
// profile editor and the referral form.
import type { webApi } from "@slack/bolt";
import { findOpenPosting } from "../../core/postings/find-posting.js";
import type { SlackActor } from "./actor.js";
import { referralModal } from "./blocks/referral-modal.js";
import { registrationModal } from "./blocks/registration-modal.js";
import type { SlackDeps } from "./deps.js";

/** Registration for newcomers, the profile editor for members. */
export async function openRegistration(args: {
  deps: SlackDeps;
  client: webApi.WebClient;
  actor: SlackActor;
  triggerId: string;
}): Promise<void> {
  const { deps, client, actor, triggerId } = args;
  if (actor.registered && actor.member) {
    const m = actor.member;
    await client.views.open({
      trigger_id: triggerId,
      view: registrationModal({
        mode: "edit",
        locale: actor.locale,
        prefill: { displayName: m.displayName, email: m.email, locale: actor.locale, profile: m.profile },
      }) as never,
    });
    return;
  }
  const slackUser = await deps.actors.slackUser(client, actor.teamId, actor.userId);
  await client.views.open({
    trigger_id: triggerId,
    view: registrationModal({
      mode: "register",
      locale: actor.locale,
      prefill: { displayName: slackUser?.realName, email: slackUser?.email, locale: actor.locale },
    }) as never,
  });
}

export async function openReferral(args: {
  deps: SlackDeps;
  client: webApi.WebClient;
  actor: SlackActor;
  triggerId: string;
  postingNumber: number | null;
}): Promise<void> {
  const { deps, client, actor, triggerId, postingNumber } = args;
  const posting = postingNumber === null ? null : await findOpenPosting({ prisma: deps.prisma, number: postingNumber });
  await client.views.open({ trigger_id: triggerId, view: referralModal(actor.locale, posting) as never });
}
