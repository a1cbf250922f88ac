// Card submissions, from Action.Execute (invoke `adaptiveCard/action`) or
// Action.Submit (a message whose value carries the same data): parse, call one
// core operation, answer with the card that replaces the one clicked. Every
// action's role is checked on the server by the core operation itself.
import { z } from "zod";
import { createBroadcast } from "../../core/broadcasts/create-broadcast.js";
import { countSegment } from "../../core/broadcasts/segment.js";
import { listFailedDeliveries } from "../../core/deliveries/list-failed-deliveries.js";
import { retryDelivery } from "../../core/deliveries/retry-delivery.js";
import { AppError, toAppError } from "../../core/errors.js";
import { decideJoinRequest } from "../../core/members/decide-join-request.js";
import { getJoinRequest } from "../../core/members/get-join-request.js";
import { listReturners } from "../../core/members/list-returners.js";
import { closePosting } from "../../core/postings/close-posting.js";
import { createPosting } from "../../core/postings/create-posting.js";
import { publishPosting } from "../../core/postings/publish-posting.js";
import { updatePosting } from "../../core/postings/update-posting.js";
import { changeReferralStatus } from "../../core/referrals/change-referral-status.js";
import { getReferralForHr } from "../../core/referrals/get-referral-for-hr.js";
import { requireRole } from "../../core/roles/require-role.js";
import { addRosterEntry } from "../../core/roster/add-roster-entry.js";
import { applyRosterImport, cancelRosterImport } from "../../core/roster/decide-roster-import.js";
import { t } from "../../i18n/index.js";
import type { TeamsActor } from "./actor.js";
import { requireAllowed } from "./authorize.js";
import { failedDeliveriesCard } from "./cards/deliveries.js";
import { type Card, card, errorText, heading, text } from "./cards/elements.js";
import { referralCard } from "./cards/hr-notifications.js";
import { joinRequestCard } from "./cards/join-requests.js";
import { broadcastConfirmCard, broadcastFormCard, returnersCard } from "./cards/misc.js";
import { type PostingFormValues, postingConfirmationCard, postingFormCard, postingValues } from "./cards/postings.js";
import {
  ROSTER_FORM_DATE_FIELDS,
  ROSTER_FORM_TEXT_FIELDS,
  type RosterFormValues,
  rosterAddedCard,
  rosterFormCard,
  rosterPreviewCard,
} from "./cards/roster.js";
import { type TeamsDeps, todayIn } from "./deps.js";
import { cardText } from "./escape.js";
import { rosterImportDecider } from "./roster-upload.js";

export interface CardActionContext {
  deps: TeamsDeps;
  actor: TeamsActor;
  /** The TeamsConversationRef id of the conversation the card is in. */
  conversationRefId: string | null;
}

const ZNumber = z.coerce.number().int().min(1).max(2_147_483_647);
/** A card input's text; a number or boolean as written; anything else (an object, a list) as absent, never "[object Object]". */
const str = (v: unknown) =>
  typeof v === "string" ? v : typeof v === "number" || typeof v === "boolean" ? String(v) : null;

export function messageCard(title: string, body?: string, error = false): Card {
  return card([heading(title), ...(body ? [error ? errorText(body) : text(body)] : [])]);
}

function postingInput(kind: string, data: Record<string, unknown>) {
  return {
    kind,
    title: str(data.title) ?? "",
    description: str(data.description) ?? "",
    location: str(data.location),
    workStyle: str(data.workStyle),
    employmentType: str(data.employmentType),
    skills: str(data.skills),
    compensation: str(data.compensation),
    howToApply: str(data.howToApply),
    closesOn: str(data.closesOn),
    publish: str(data.publish) ?? "false",
  };
}

/** The one-leaver form as typed (strings; the toggle as "true" / "false"). */
function rosterFormValues(data: Record<string, unknown>): RosterFormValues {
  const values: RosterFormValues = {};
  for (const field of [...ROSTER_FORM_TEXT_FIELDS, ...ROSTER_FORM_DATE_FIELDS]) {
    values[field] = str(data[field]);
  }
  values.rehireEligible = str(data.rehireEligible) === "false" ? "false" : "true";
  return values;
}

/** The form's values as addRosterEntry validates them: blank fields absent, the toggle a boolean. */
function rosterInput(values: RosterFormValues): Record<string, unknown> {
  const input: Record<string, unknown> = {};
  for (const [field, value] of Object.entries(values)) {
    if (field === "rehireEligible") input[field] = value === "true";
    else if (value?.trim()) input[field] = value.trim();
  }
  return input;
}

function formValues(data: Record<string, unknown>): PostingFormValues {
  const { kind: _kind, ...rest } = postingInput("job", data);
  return rest;
}

/** Run a form's submission; a validation error answers with the form again, showing the errors. */
async function orFormWithErrors(submit: () => Promise<Card>, form: (err: AppError) => Card): Promise<Card> {
  try {
    return await submit();
  } catch (err) {
    if (err instanceof AppError && err.code === "validation") return form(err);
    throw err;
  }
}

/** Handle one card action; returns the card that replaces the one clicked. */
export async function handleCardAction(ctx: CardActionContext, data: Record<string, unknown>): Promise<Card> {
  const { deps, actor } = ctx;
  const { prisma } = deps;
  const locale = actor.locale;
  const verb = str(data.verb) ?? "";
  const channel = deps.config.slack.alumniChannelId ?? null;
  const today = todayIn(deps.config.defaultTimeZone);
  const number = (field = "number") => {
    const parsed = ZNumber.safeParse(data[field]);
    if (!parsed.success) throw new AppError("validation", {}, { fields: { [field]: { key: "validation.invalid" } } });
    return parsed.data;
  };
  // Field problems are shown under their inputs; the top line only says to look at them.
  const formError = (err: AppError) =>
    Object.keys(err.fields).length ? t(locale, "teams.form.fixErrors") : err.localized(locale);
  const kindOf = (): "job" | "gig" => (data.kind === "gig" ? "gig" : "job");
  const postingForm = (err: AppError, form: { formId?: string; edit?: { number: number; version: number } }) =>
    postingFormCard({
      locale,
      kind: kindOf(),
      values: formValues(data),
      errors: err.localizedFields(locale),
      error: formError(err),
      ...form,
    });

  try {
    requireAllowed(actor, `teams.card.${verb}`);
    switch (verb) {
      case "posting.create": {
        const formId = str(data.formId);
        if (!formId) throw new AppError("validation", {}, { fields: { formId: { key: "validation.invalid" } } });
        return orFormWithErrors(
          async () => {
            const { posting, duplicate } = await createPosting({
              prisma,
              actorId: actor.personId,
              input: postingInput(kindOf(), data),
              originConversationRefId: ctx.conversationRefId,
              alumniChannelId: channel,
              requestKey: `teams:form:${formId}`,
              today,
            });
            const noteKey = duplicate
              ? "teams.posting.alreadySaved"
              : posting.status !== "open"
                ? "teams.posting.draftSaved"
                : channel
                  ? "teams.posting.published"
                  : "teams.posting.publishedNoChannel";
            return postingConfirmationCard(locale, posting, t(locale, noteKey));
          },
          (err) => postingForm(err, { formId }),
        );
      }
      case "posting.update": {
        const postingNumber = number();
        return orFormWithErrors(
          async () => {
            const { posting } = await updatePosting({
              prisma,
              actorId: actor.personId,
              postingNumber,
              input: postingInput(kindOf(), { ...data, publish: "false" }),
              alumniChannelId: channel,
              today,
              ...(data.version !== undefined ? { expectedVersion: Number(data.version) } : {}),
            });
            return postingConfirmationCard(locale, posting, t(locale, "teams.posting.updated"));
          },
          (err) => postingForm(err, { edit: { number: postingNumber, version: Number(data.version) || 1 } }),
        );
      }
      case "posting.edit":
      case "posting.show": {
        await requireRole(prisma, actor.personId, ["hr"]);
        const posting = await prisma.posting.findUnique({ where: { number: number() } });
        if (!posting) throw new AppError("not_found", { number: number() }, { key: "teams.posting.notFound" });
        if (verb === "posting.show") return postingConfirmationCard(locale, posting);
        return postingFormCard({
          locale,
          kind: posting.kind,
          values: postingValues(posting),
          edit: { number: posting.number, version: posting.version },
        });
      }
      case "posting.close":
      case "posting.publish": {
        const close = verb === "posting.close";
        const { posting, changed } = await (close ? closePosting : publishPosting)({
          prisma,
          actorId: actor.personId,
          postingNumber: number(),
          alumniChannelId: channel,
        });
        const noteKey = close
          ? changed
            ? "teams.posting.closed"
            : "teams.posting.alreadyClosed"
          : changed
            ? "teams.posting.published"
            : "teams.posting.alreadyOpen";
        return postingConfirmationCard(locale, posting, t(locale, noteKey));
      }
      case "referral.status":
      case "referral.reward": {
        const referralNumber = number();
        const expected = str(data.expected) ?? undefined;
        try {
          const result = await changeReferralStatus({
            prisma,
            actorId: actor.personId,
            change: {
              referralNumber,
              ...(verb === "referral.status"
                ? { status: str(data.status) as never }
                : { rewardState: str(data.rewardState) as never }),
              ...(expected ? { expectedStatus: expected as never } : {}),
            },
          });
          const fresh = await getReferralForHr({ prisma, number: referralNumber });
          if (!fresh) throw new AppError("not_found", { number: referralNumber }, { key: "referral.notFound" });
          return referralCard(locale, fresh, {
            text: t(locale, result.changed ? "teams.referral.updated" : "teams.referral.unchanged"),
          });
        } catch (err) {
          const fresh = await getReferralForHr({ prisma, number: referralNumber });
          if (!fresh || !(err instanceof AppError) || err.code === "forbidden") throw err;
          return referralCard(locale, fresh, { text: err.localized(locale), error: true });
        }
      }
      case "broadcast.form": {
        await requireRole(prisma, actor.personId, ["hr", "cm"]);
        return broadcastFormCard({
          locale,
          values: {
            segmentKind: str(data.segmentKind),
            segmentValue: str(data.segmentValue),
            message: str(data.message),
          },
        });
      }
      case "broadcast.preview": {
        const values = {
          segmentKind: str(data.segmentKind) ?? "all",
          segmentValue: str(data.segmentValue),
          message: str(data.message),
        };
        return orFormWithErrors(
          async () => {
            if (!values.message?.trim()) {
              throw new AppError("validation", {}, { fields: { message: { key: "validation.required" } } });
            }
            const audience = await countSegment({
              prisma,
              actorId: actor.personId,
              segment: { kind: values.segmentKind, value: values.segmentValue },
            });
            return broadcastConfirmCard({ locale, values, audience });
          },
          (err) => broadcastFormCard({ locale, values, errors: err.localizedFields(locale), error: formError(err) }),
        );
      }
      case "broadcast.send": {
        const formId = str(data.formId);
        if (!formId) throw new AppError("validation", {}, { fields: { formId: { key: "validation.invalid" } } });
        const result = await createBroadcast({
          prisma,
          actorId: actor.personId,
          segment: { kind: str(data.segmentKind) ?? "all", value: str(data.segmentValue) },
          message: str(data.message) ?? "",
          requestKey: `teams:form:${formId}`,
          senderName: actor.name,
        });
        return messageCard(
          t(locale, "teams.broadcast.sentTitle"),
          t(locale, result.duplicate ? "teams.broadcast.alreadySent" : "teams.broadcast.sent", {
            count: result.recipients,
          }),
        );
      }
      case "delivery.retry": {
        const target = data.all === true || data.all === "true" ? { all: true as const } : { id: str(data.id) ?? "" };
        const { retried } = await retryDelivery({ prisma, actorId: actor.personId, target });
        return failedDeliveriesCard(
          locale,
          await listFailedDeliveries({ prisma, actorId: actor.personId }),
          t(locale, "delivery.failed.retried", { count: retried }),
        );
      }
      case "returners.page": {
        const page = z.coerce.number().int().min(0).max(1000).safeParse(data.page);
        return returnersCard(
          locale,
          await listReturners({ prisma, actorId: actor.personId, page: page.success ? page.data : 0 }),
        );
      }
      case "roster.import":
      case "roster.cancel": {
        await requireRole(prisma, actor.personId, ["hr"]);
        const importNumber = number("importNumber");
        const apply = verb === "roster.import";
        const { outcome, preview } = await (apply ? applyRosterImport : cancelRosterImport)({
          prisma,
          actorId: actor.personId,
          importNumber,
        });
        if (outcome === "already_decided") {
          const by = cardText((await rosterImportDecider(prisma, importNumber)) ?? t(locale, "teamsRoster.someone"));
          const key = preview.status === "cancelled" ? "teamsRoster.alreadyCancelled" : "teamsRoster.alreadyImported";
          return rosterPreviewCard(locale, preview, { text: t(locale, key, { by }), error: true });
        }
        const note = apply
          ? t(locale, "teamsRoster.imported", { new: preview.counts.new, updated: preview.counts.updated })
          : t(locale, "teamsRoster.cancelled");
        return rosterPreviewCard(locale, preview, { text: note });
      }
      case "roster.form":
        await requireRole(prisma, actor.personId, ["hr"]);
        return rosterFormCard({ locale });
      case "roster.add": {
        await requireRole(prisma, actor.personId, ["hr"]);
        const values = rosterFormValues(data);
        return orFormWithErrors(
          async () =>
            rosterAddedCard(
              locale,
              await addRosterEntry({ prisma, actorId: actor.personId, input: rosterInput(values) }),
            ),
          (err) => rosterFormCard({ locale, values, errors: err.localizedFields(locale), error: formError(err) }),
        );
      }
      case "joinRequest.approve":
      case "joinRequest.reject": {
        await requireRole(prisma, actor.personId, ["hr"]);
        const requestNumber = number("requestNumber");
        const approve = verb === "joinRequest.approve";
        const reason = (str(data.reason) ?? "").trim().slice(0, 500) || null;
        const linked = str(data.rosterEntryId);
        const rosterEntryId = approve && linked && z.uuid().safeParse(linked).success ? linked : null;
        const { outcome, request } = await decideJoinRequest({
          prisma,
          actorId: actor.personId,
          requestNumber,
          decision: approve ? "approve" : "reject",
          reason,
          rosterEntryId,
          ...(deps.config.membership ? { policy: deps.config.membership } : {}),
        });
        const fresh = await getJoinRequest({ prisma, requestNumber });
        if (!fresh) throw new AppError("not_found", { number: requestNumber }, { key: "joinRequest.notFound" });
        const by = cardText(request.decidedBy ?? t(locale, "joinRequest.someone"));
        const status = request.status === "rejected" ? "rejected" : "approved";
        const notice =
          outcome === "decided"
            ? { text: t(locale, `joinRequest.decided.${status}`, { by }) }
            : {
                text: t(locale, "joinRequest.alreadyDecided", {
                  by,
                  status: t(locale, `joinRequest.status.${status}`),
                }),
                error: true,
              };
        return joinRequestCard({ locale, timeZone: deps.config.defaultTimeZone, request: fresh, notice });
      }
      default:
        throw new AppError("validation", {}, { key: "teams.unknownAction" });
    }
  } catch (err) {
    const ref = Math.random().toString(36).slice(2, 10);
    const appError = toAppError(err, ref);
    if (appError.code === "internal") deps.logger.error({ err, ref, verb }, "Teams card action failed");
    else deps.logger.info({ verb, code: appError.code, key: appError.key }, "refused a Teams card action");
    return messageCard(t(locale, "teams.actionFailed"), appError.localized(locale), true);
  }
}
