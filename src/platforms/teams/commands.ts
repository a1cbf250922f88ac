// Text commands to the bot, in a personal chat or as an @mention in a channel.
// The names are the public interface. Each command parses its words, calls one
// core operation (which checks the sender's role) and answers with a card or text.
import { TeamsInfo, type TurnContext } from "botbuilder";
import { setNotifyHere } from "../../core/conversations/set-notify-here.js";
import { listFailedDeliveries } from "../../core/deliveries/list-failed-deliveries.js";
import { AppError, fieldError } from "../../core/errors.js";
import { cancelEvent } from "../../core/events/cancel-event.js";
import { listEventsForCm } from "../../core/events/list-events-for-cm.js";
import { parseEventDateTime } from "../../core/events/parse-event-datetime.js";
import { rescheduleEvent } from "../../core/events/reschedule-event.js";
import { listReturners } from "../../core/members/list-returners.js";
import { closePosting } from "../../core/postings/close-posting.js";
import { listPostingsForHr } from "../../core/postings/list-postings-for-hr.js";
import { grantRole } from "../../core/roles/grant-role.js";
import { listRoles } from "../../core/roles/list-roles.js";
import { requireRole } from "../../core/roles/require-role.js";
import { resolveTeamsPerson } from "../../core/roles/resolve-teams-person.js";
import { revokeRole } from "../../core/roles/revoke-role.js";
import { deleteRosterEntry } from "../../core/roster/delete-roster-entry.js";
import { getRosterSummary } from "../../core/roster/get-roster-summary.js";
import { searchRoster } from "../../core/roster/search-roster.js";
import { summarizeSurveyResults } from "../../core/surveys/summarize-survey-results.js";
import { t } from "../../i18n/index.js";
import { type TeamsActor, tenantOf } from "./actor.js";
import { commandOperation, requireAllowed } from "./authorize.js";
import { failedDeliveriesCard } from "./cards/deliveries.js";
import type { Card } from "./cards/elements.js";
import { broadcastFormCard, eventsCard, helpCard, returnersCard, rolesCard } from "./cards/misc.js";
import { postingConfirmationCard, postingFormCard, postingsListCard } from "./cards/postings.js";
import { surveyResultsCard } from "./cards/reports.js";
import { rosterFormCard, rosterSearchCard, rosterSummaryCard } from "./cards/roster.js";
import type { TeamsDeps } from "./deps.js";

export type CommandReply = { card: Card } | { text: string } | { dialog: "scheduleEvent" };

export interface CommandContext {
  deps: TeamsDeps;
  actor: TeamsActor;
  context: TurnContext;
  /** The text with the bot's @mention removed. */
  text: string;
}

const MAX_COMMAND_TEXT = 5000;
/** `roster <words>` shows at most this many rows. */
const ROSTER_SEARCH_LIMIT = 20;

function parseNumber(raw: string | undefined, field: string): number {
  const text = (raw ?? "").trim().replace(/^#/, "");
  if (!/^\d{1,9}$/.test(text) || Number(text) < 1) {
    throw fieldError(field, "teams.badNumber");
  }
  return Number(text);
}

/** A role target: an @mention of someone other than the bot, or an email address. */
async function roleTarget(ctx: CommandContext, rest: string) {
  const { context, deps } = ctx;
  const botId = context.activity.recipient?.id;
  const mention = (context.activity.entities ?? []).find(
    (e) => e.type === "mention" && (e as { mentioned?: { id?: string } }).mentioned?.id !== botId,
  ) as { mentioned: { id: string; name?: string } } | undefined;
  if (mention) {
    const member = await TeamsInfo.getMember(context, mention.mentioned.id).catch(() => null);
    if (!member?.aadObjectId) throw new AppError("not_found", {}, { key: "teams.roles.memberUnknown" });
    const person = await resolveTeamsPerson({
      prisma: deps.prisma,
      tenantId: tenantOf(context),
      aadObjectId: member.aadObjectId,
      teamsUserId: member.id,
      name: member.name ?? null,
      email: member.email ?? member.userPrincipalName ?? null,
      adminAadObjectIds: deps.config.adminAadObjectIds,
    });
    return { personId: person.personId };
  }
  const email = rest.trim();
  if (!email) throw new AppError("validation", {}, { key: "teams.roles.usage" });
  return { email };
}

export async function runCommand(ctx: CommandContext): Promise<CommandReply> {
  const { deps, actor } = ctx;
  const { prisma } = deps;
  const locale = actor.locale;
  const channel = deps.config.slack.alumniChannelId ?? null;
  if (ctx.text.length > MAX_COMMAND_TEXT) {
    throw new AppError(
      "validation",
      {},
      { fields: { text: { key: "validation.tooLong", params: { max: MAX_COMMAND_TEXT } } } },
    );
  }
  const [firstLine = "", ...moreLines] = ctx.text.split(/\r?\n/);
  const words = firstLine.normalize("NFKC").trim().split(/\s+/).filter(Boolean);
  const head = (words[0] ?? "").toLowerCase();
  const second = (words[1] ?? "").toLowerCase();
  const rest = (n: number) => words.slice(n).join(" ");
  requireAllowed(actor, commandOperation(head, second));

  switch (head) {
    case "":
    case "help":
    case "ヘルプ":
      return { card: helpCard(locale, actor.roles) };
    case "roles":
      return { card: rolesCard(locale, await listRoles({ prisma, actorId: actor.personId })) };
    case "grant":
    case "revoke": {
      if (second !== "hr" && second !== "cm") throw new AppError("validation", {}, { key: "teams.roles.usage" });
      await requireRole(prisma, actor.personId, ["admin"]);
      const target = await roleTarget(ctx, rest(2).replace(/<at>.*?<\/at>/g, ""));
      if (head === "grant") {
        const result = await grantRole({ prisma, actorId: actor.personId, role: second, target });
        const key = result.pending
          ? "teams.roles.grantedPending"
          : result.changed
            ? "teams.roles.granted"
            : "teams.roles.alreadyHas";
        return { text: t(locale, key, { role: t(locale, `teams.role.${second}`) }) };
      }
      const result = await revokeRole({ prisma, actorId: actor.personId, role: second, target });
      return {
        text: t(locale, result.changed ? "teams.roles.revoked" : "teams.roles.notHeld", {
          role: t(locale, `teams.role.${second}`),
        }),
      };
    }
    case "post": {
      if (second !== "job" && second !== "gig") throw new AppError("validation", {}, { key: "teams.post.usage" });
      await requireRole(prisma, actor.personId, ["hr"]);
      // `post job <title>` followed by lines of description: the same card, pre-filled to confirm.
      const title = firstLine.trim().split(/\s+/).slice(2).join(" ");
      const description = moreLines.join("\n").trim();
      return { card: postingFormCard({ locale, kind: second, values: { title, description } }) };
    }
    case "postings":
      return { card: postingsListCard(locale, await listPostingsForHr({ prisma, actorId: actor.personId })) };
    case "close": {
      const { posting, changed } = await closePosting({
        prisma,
        actorId: actor.personId,
        postingNumber: parseNumber(words[1], "posting"),
        alumniChannelId: channel,
      });
      return {
        card: postingConfirmationCard(
          locale,
          posting,
          t(locale, changed ? "teams.posting.closed" : "teams.posting.alreadyClosed"),
        ),
      };
    }
    case "returners":
      return { card: returnersCard(locale, await listReturners({ prisma, actorId: actor.personId })) };
    case "notify": {
      if (second !== "here" && second !== "off") throw new AppError("validation", {}, { key: "teams.notify.usage" });
      const conversationId = ctx.context.activity.conversation.id.split(";")[0] as string;
      await setNotifyHere({ prisma, actorId: actor.personId, conversationId, on: second === "here" });
      return { text: t(locale, second === "here" ? "teams.notify.on" : "teams.notify.off") };
    }
    case "schedule":
      if (second !== "event") break;
      await requireRole(prisma, actor.personId, ["cm"]);
      return { dialog: "scheduleEvent" };
    case "events":
      return {
        card: eventsCard(
          locale,
          await listEventsForCm({ prisma, actorId: actor.personId }),
          deps.config.defaultTimeZone,
        ),
      };
    case "cancel": {
      if (second !== "event") break;
      const result = await cancelEvent({
        prisma,
        actorId: actor.personId,
        eventNumber: parseNumber(words[2], "event"),
        alumniChannelId: channel,
      });
      return {
        text: result.changed
          ? t(locale, "teams.events.cancelled", { number: result.event.number, notified: result.notified })
          : t(locale, "teams.events.alreadyCancelled", { number: result.event.number }),
      };
    }
    case "survey":
      if (second !== "results") break;
      return { card: surveyResultsCard(locale, await summarizeSurveyResults({ prisma, actorId: actor.personId })) };
    case "failed":
      if (second !== "deliveries") break;
      return { card: failedDeliveriesCard(locale, await listFailedDeliveries({ prisma, actorId: actor.personId })) };
    case "move": {
      if (second !== "event") break;
      const when = words.slice(3).join(" ");
      if (!words[2] || !when) throw new AppError("validation", {}, { key: "teams.events.moveUsage" });
      await requireRole(prisma, actor.personId, ["cm"]);
      const eventNumber = parseNumber(words[2], "event");
      const { startsAt } = parseEventDateTime({ text: when, timeZone: deps.config.defaultTimeZone, locale });
      const result = await rescheduleEvent({
        prisma,
        actorId: actor.personId,
        eventNumber,
        startsAt,
      });
      const formatted = new Intl.DateTimeFormat(locale === "ja" ? "ja-JP" : "en-US", {
        timeZone: deps.config.defaultTimeZone,
        dateStyle: "full",
        timeStyle: "short",
      }).format(result.event.startsAt);
      return {
        text: t(locale, "teams.events.moved", {
          number: result.event.number,
          when: formatted,
          notified: result.notified,
        }),
      };
    }
    case "broadcast":
      await requireRole(prisma, actor.personId, ["hr", "cm"]);
      return { card: broadcastFormCard({ locale }) };
    case "roster": {
      // Roster rows are HR's records: every form of the command is HR's (and admins').
      await requireRole(prisma, actor.personId, ["hr"]);
      // Rows are shown, typed or deleted only in the personal chat: a channel may hold people outside HR.
      const personal = (ctx.context.activity.conversation?.conversationType ?? "personal") === "personal";
      if (!personal && words.length > 1) throw new AppError("validation", {}, { key: "teamsRoster.personalOnly" });
      if (second === "add" && words.length === 2) return { card: rosterFormCard({ locale }) };
      if (second === "delete") {
        // A direct delete (the core writes the audit log row); the number is repeated in the answer.
        const employeeNumber = rest(2);
        if (!employeeNumber) throw new AppError("validation", {}, { key: "teamsRoster.delete.usage" });
        const { deleted } = await deleteRosterEntry({ prisma, actorId: actor.personId, employeeNumber });
        return {
          text: t(locale, deleted ? "teamsRoster.delete.done" : "teamsRoster.delete.notFound", {
            number: employeeNumber.slice(0, 40),
          }),
        };
      }
      const query = rest(1);
      if (!query) {
        const summary = await getRosterSummary({ prisma });
        return { card: rosterSummaryCard(locale, summary, deps.config.defaultTimeZone, personal) };
      }
      const entries = await searchRoster({ prisma, query, limit: ROSTER_SEARCH_LIMIT });
      return { card: rosterSearchCard(locale, query, entries, ROSTER_SEARCH_LIMIT) };
    }
    default:
      break;
  }
  return { text: t(locale, "teams.unknownCommand", { command: head.slice(0, 40) }) };
}
