// The registration / profile modal was submitted.
import type { App } from "@slack/bolt";
import { AppError } from "../../../../core/errors.js";
import type { Member } from "../../../../core/members/find-member.js";
import { getMemberHome, type MemberHome } from "../../../../core/members/get-member-home.js";
import { type RegisterResult, registerMember } from "../../../../core/members/register-member.js";
import { saveProfile } from "../../../../core/members/update-profile.js";
import { type Locale, t } from "../../../../i18n/index.js";
import { requireAllowedView, slackPersona, slackRefusal } from "../../authorize.js";
import { homeView } from "../../blocks/home.js";
import { profileMessage } from "../../blocks/messages.js";
import { REGISTER_CALLBACK, type RegistrationMetadata } from "../../blocks/registration-modal.js";
import type { SlackDeps } from "../../deps.js";
import { parseMetadata, readViewState } from "../../view-state.js";
import { ackWithError, type ViewArgs } from "./helpers.js";

const BLOCKS = [
  "displayName",
  "email",
  "employeeNumber",
  "familyName",
  "department",
  "joinedYear",
  "leftYear",
  "leftOn",
  "currentEmployer",
  "title",
  "skills",
  "interests",
  "directoryFields",
  "hrFields",
  "locale",
  "consent",
];

export function register(app: App, deps: SlackDeps): void {
  app.view(REGISTER_CALLBACK, async (args: ViewArgs) => {
    const { body, view, client } = args;
    const metadata = parseMetadata<RegistrationMetadata>(view.private_metadata);
    const shownLocale: Locale =
      metadata.locale === "en" || metadata.locale === "ja" ? metadata.locale : deps.defaultLocale;
    const values = readViewState(view.state);
    const user = { teamId: body.user.team_id ?? body.team?.id ?? "", userId: body.user.id };
    const input = {
      ...values,
      interests: values.interests ?? [],
      directoryFields: values.directoryFields ?? [],
      hrFields: values.hrFields ?? [],
    };
    let created = false;
    let joined: RegisterResult | null = null;
    let member: Member;
    let home: MemberHome | null = null;
    try {
      if (metadata.mode === "edit") {
        // One statement reads the member, saves what changed (if they may) and reads their App Home.
        const stranger = await deps.actors.isStranger(client, user.teamId);
        // The statement knows whether they are registered, not whether verified: a registered
        // person is refused if either a verified or a not-yet-verified member would be.
        const refusal = (registered: boolean) => {
          const key =
            slackRefusal("slack.view.profile", slackPersona({ stranger, registered, verified: false })) ??
            slackRefusal("slack.view.profile", slackPersona({ stranger, registered, verified: true }));
          return key ? new AppError("forbidden", {}, { key }) : null;
        };
        if (stranger) throw refusal(false) ?? new AppError("forbidden", {}, { key: "member.notRegistered" });
        ({ member, home } = await saveProfile({ prisma: deps.prisma, user, input, refusal, withHome: true }));
      } else {
        await requireAllowedView(deps, client, user, "slack.view.register");
        const consent = values.consent;
        const slackUser = await deps.actors.slackUser(client, user.teamId, user.userId);
        const text = (v: unknown) => (typeof v === "string" ? v : null);
        joined = await registerMember({
          prisma: deps.prisma,
          user,
          input,
          consent: {
            accepted: Array.isArray(consent) && consent.includes("agree"),
            version: metadata.consentVersion ?? "",
            locale: shownLocale,
          },
          timeZone: slackUser?.timeZone ?? null,
          verification: {
            mode: deps.membership.verification,
            personalEmail: text(values.email),
            employeeNumber: text(values.employeeNumber),
            familyName: text(values.familyName),
            rejectionsBeforeBlock: deps.membership.rejectionsBeforeBlock,
            reapplyBlockDays: deps.membership.reapplyBlockDays,
          },
        });
        ({ member, created } = joined);
        if (joined.requested && joined.hrNotified === 0) {
          deps.logger.warn(
            { joinRequest: joined.joinRequestNumber },
            "a join request waits for HR, but no Teams conversation said `notify here`: nobody in HR was told",
          );
        }
      }
    } catch (err) {
      await ackWithError(
        args,
        deps.logger,
        shownLocale,
        err,
        metadata.mode === "edit" ? "displayName" : "consent",
        BLOCKS,
      );
      return;
    }
    await args.ack();
    const locale = member.locale ?? shownLocale;
    const intro = joined ? joinedIntro(locale, joined, created) : t(locale, "profile.saved");
    const summary = profileMessage(locale, member);
    try {
      await client.chat.postMessage({
        channel: user.userId,
        text: intro,
        blocks: [
          { type: "section", text: { type: "mrkdwn", text: intro, verbatim: true } },
          ...summary.blocks,
        ] as never,
      });
      home ??= await getMemberHome({ prisma: deps.prisma, personId: member.personId });
      // A pending member who edited their profile still sees their request's number.
      const waiting =
        !joined && member.membership === "pending"
          ? await deps.prisma.joinRequest.findFirst({
              where: { personId: member.personId, status: "pending" },
              select: { number: true },
            })
          : null;
      await client.views.publish({
        user_id: user.userId,
        view: homeView(locale, member, home, joined?.joinRequestNumber ?? waiting?.number ?? null) as never,
      });
    } catch (err) {
      deps.logger.warn({ err }, "registration saved, but the confirmation could not be sent");
    }
  });
}

/** What the person is told after the join form: verified, waiting for HR, or (a resubmission) saved. */
function joinedIntro(locale: Locale, joined: RegisterResult, created: boolean): string {
  if (joined.membership === "pending" && joined.joinRequestNumber !== null) {
    return t(locale, joined.requested ? "membership.pendingReply" : "membership.pendingAlready", {
      number: joined.joinRequestNumber,
    });
  }
  if (joined.matchedBy) return t(locale, "membership.verifiedWelcome");
  return t(locale, created ? "register.welcome" : "profile.saved");
}
