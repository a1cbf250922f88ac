// Opening modals (within the trigger's 3-second window): registration, the
// profile editor and the referral form.
import type { webApi } from "@slack/bolt";
import { dayIn, joinBlockedUntil } from "../../core/members/register-member.js";
import { findOpenPosting } from "../../core/postings/find-posting.js";
import { t } from "../../i18n/index.js";
import type { SlackActor } from "./actor.js";
import { textMessage } from "./blocks/common.js";
import { referralModal } from "./blocks/referral-modal.js";
import { registrationModal } from "./blocks/registration-modal.js";
import type { SlackDeps } from "./deps.js";
import type { Reply } from "./reply.js";

/**
 * Registration for newcomers, the profile editor for members. Joining again (`purpose: "join"`)
 * as a member whose request HR rejected is applying again: the join form, with what they had
 * entered, unless repeated rejections block re-applying for now (they are told until when).
 */
export async function openRegistration(args: {
  deps: SlackDeps;
  client: webApi.WebClient;
  actor: SlackActor;
  triggerId: string;
  purpose?: "join" | "profile";
  reply?: Reply;
}): Promise<void> {
  const { deps, client, actor, triggerId } = args;
  const verification = deps.membership.verification !== "off";
  const reapplying =
    args.purpose === "join" && verification && actor.registered && actor.member?.membership === "rejected";
  if (reapplying && actor.member) {
    const until = await joinBlockedUntil(deps.prisma, actor.member.personId, deps.membership);
    if (until && until > new Date()) {
      const date = dayIn(new Date(until.getTime() + 86_400_000), actor.member.timeZone ?? deps.defaultTimeZone);
      await args.reply?.(textMessage(t(actor.locale, "membership.reapplyBlocked", { date })));
      return;
    }
    const m = actor.member;
    await client.views.open({
      trigger_id: triggerId,
      view: registrationModal({
        mode: "register",
        locale: actor.locale,
        prefill: { displayName: m.displayName, email: m.email, locale: actor.locale, profile: m.profile },
        verification,
      }) as never,
    });
    return;
  }
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
      verification,
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
