// The referral modal was submitted.
import type { App } from "@slack/bolt";
import { AppError } from "../../../../core/errors.js";
import { findSlackMember } from "../../../../core/members/find-member.js";
import { createReferral } from "../../../../core/referrals/create-referral.js";
import { type Locale, t } from "../../../../i18n/index.js";
import { requireAllowedView } from "../../authorize.js";
import { REFER_CALLBACK, type ReferralMetadata } from "../../blocks/referral-modal.js";
import type { SlackDeps } from "../../deps.js";
import { escapeMrkdwn } from "../../escape.js";
import { parseMetadata, readViewState } from "../../view-state.js";
import { ackWithError, type ViewArgs } from "./helpers.js";

const BLOCKS = ["candidateName", "candidateContact", "relationship", "note", "candidateConsented"];

export function register(app: App, deps: SlackDeps): void {
  app.view(REFER_CALLBACK, async (args: ViewArgs) => {
    const { body, view, client } = args;
    const metadata = parseMetadata<ReferralMetadata>(view.private_metadata);
    const teamId = body.user.team_id ?? body.team?.id ?? "";
    const member = await findSlackMember({ prisma: deps.prisma, user: { teamId, userId: body.user.id } });
    const locale: Locale =
      member?.locale ?? (metadata.locale === "en" ? "en" : metadata.locale === "ja" ? "ja" : deps.defaultLocale);
    const values = readViewState(view.state);
    let result: Awaited<ReturnType<typeof createReferral>>;
    try {
      await requireAllowedView(deps, client, { teamId, userId: body.user.id }, "slack.view.refer");
      if (!member?.registered) throw new AppError("forbidden", {}, { key: "member.notRegistered" });
      const postingNumber = typeof metadata.posting === "number" ? metadata.posting : null;
      result = await createReferral({
        prisma: deps.prisma,
        referrerId: member.personId,
        postingNumber,
        input: {
          candidateName: values.candidateName ?? "",
          candidateContact: values.candidateContact ?? "",
          relationship: values.relationship,
          note: values.note,
          candidateConsented: Array.isArray(values.candidateConsented) && values.candidateConsented.includes("yes"),
        },
      });
    } catch (err) {
      await ackWithError(args, deps.logger, locale, err, "candidateName", BLOCKS);
      return;
    }
    await args.ack();
    const text = result.postingTitle
      ? t(locale, "referral.thanksForPosting", {
          number: result.number,
          posting: result.postingNumber ?? "",
          title: escapeMrkdwn(result.postingTitle),
        })
      : t(locale, "referral.thanks", { number: result.number });
    await client.chat
      .postMessage({
        channel: body.user.id,
        text,
        blocks: [{ type: "section", text: { type: "mrkdwn", text, verbatim: true } }] as never,
      })
      .catch((err: unknown) => deps.logger.warn({ err }, "referral saved, but the confirmation could not be sent"));
  });
}
