// The join-request card HR gets in its `notify here` conversations: what the
// person entered in the join form, the closest rows of the leavers roster, and
// Approve / Reject with an optional reason (and, when there are candidates, the
// roster row to link on approval). Once decided, the card shows the decision
// and who made it, without buttons. Everything the person or the roster wrote
// is escaped.

import type { JoinRequestView } from "../../../core/members/decide-join-request.js";
import type { RosterCandidate } from "../../../core/members/find-roster-match.js";
import { type Locale, type MessageKey, t } from "../../../i18n/index.js";
import { cardText } from "../escape.js";
import {
  type Card,
  card,
  choiceSet,
  dateTimeText,
  type Element,
  errorText,
  execute,
  facts,
  heading,
  inputText,
  text,
} from "./elements.js";

export type JoinRequestForCard = JoinRequestView & { candidates: RosterCandidate[] };

function candidateTitle(c: RosterCandidate): string {
  const parts = [c.employeeNumber, c.name, c.nameKana ? `(${c.nameKana})` : null, c.department, c.leftOn];
  return cardText(parts.filter(Boolean).join(" · "));
}

function candidateElements(locale: Locale, candidates: RosterCandidate[]): Element[] {
  if (candidates.length === 0) return [text(t(locale, "joinRequest.candidates.none"), { isSubtle: true })];
  return candidates.map((c) => ({
    type: "Container",
    separator: true,
    items: [
      facts([
        [t(locale, "teamsRoster.field.employeeNumber"), c.employeeNumber],
        [t(locale, "teamsRoster.field.name"), c.name],
        [t(locale, "teamsRoster.field.nameKana"), c.nameKana],
        [t(locale, "teamsRoster.field.department"), c.department],
        [t(locale, "teamsRoster.field.leftOn"), c.leftOn],
      ]),
      text(
        t(locale, "joinRequest.candidates.why", {
          why: c.why.map((w) => t(locale, `joinRequest.why.${w}` as MessageKey)).join(", "),
        }),
        { isSubtle: true, spacing: "None", size: "Small" },
      ),
    ],
  }));
}

export function joinRequestCard(options: {
  locale: Locale;
  timeZone: string;
  request: JoinRequestForCard;
  notice?: { text: string; error?: boolean };
}): Card {
  const { locale, request: r } = options;
  const body: Element[] = [heading(t(locale, "joinRequest.card.title", { number: r.number }))];
  if (options.notice) {
    body.push(
      options.notice.error
        ? errorText(options.notice.text)
        : text(options.notice.text, { color: "Good", weight: "Bolder" }),
    );
  } else if (r.status === "pending") {
    body.push(text(t(locale, "joinRequest.card.intro")));
  }
  body.push(
    text(t(locale, "joinRequest.entered"), { weight: "Bolder", separator: true }),
    facts([
      [t(locale, "joinRequest.field.displayName"), r.displayName],
      [t(locale, "joinRequest.field.personalEmail"), r.personalEmail],
      [t(locale, "joinRequest.field.employeeNumber"), r.employeeNumber],
      [t(locale, "joinRequest.field.familyName"), r.familyName],
      [t(locale, "joinRequest.field.requestedAt"), dateTimeText(locale, options.timeZone, r.createdAt)],
      [t(locale, "joinRequest.field.status"), t(locale, `joinRequest.status.${r.status}` as MessageKey)],
      [
        t(locale, "joinRequest.field.decidedBy"),
        r.status === "pending" ? null : (r.decidedBy ?? t(locale, "joinRequest.someone")),
      ],
      [
        t(locale, "joinRequest.field.decidedAt"),
        r.decidedAt ? dateTimeText(locale, options.timeZone, r.decidedAt) : null,
      ],
      [t(locale, "joinRequest.field.reason"), r.reason],
    ]),
    text(t(locale, "joinRequest.candidates.title"), { weight: "Bolder", separator: true }),
    ...candidateElements(locale, r.candidates),
  );
  if (r.status !== "pending") return card(body);

  if (r.candidates.length > 0) {
    body.push(
      choiceSet(
        "rosterEntryId",
        t(locale, "joinRequest.link.label"),
        [
          ...r.candidates.map((c) => ({ title: candidateTitle(c), value: c.entryId })),
          { title: t(locale, "joinRequest.link.none"), value: "none" },
        ],
        // Linking is a choice HR makes: a wrong link would tie the person to someone else's record.
        { value: "none" },
      ),
    );
  }
  body.push(...inputText("reason", t(locale, "joinRequest.reason.label"), { maxLength: 500, multiline: true }));
  return card(body, [
    execute(t(locale, "joinRequest.approve"), { verb: "joinRequest.approve", requestNumber: r.number }, "positive"),
    execute(t(locale, "joinRequest.reject"), { verb: "joinRequest.reject", requestNumber: r.number }, "destructive"),
  ]);
}
