// Cards for help, roles, returners, events and broadcasts.
import { randomUUID } from "node:crypto";
import { SEGMENT_KINDS } from "../../../core/broadcasts/segment.js";
import type { CmEventSummary } from "../../../core/events/list-events-for-cm.js";
import type { ReturnerEntry } from "../../../core/members/list-returners.js";
import type { RoleHolder } from "../../../core/roles/list-roles.js";
import type { Role } from "../../../generated/prisma/client.js";
import { type Locale, type MessageKey, t } from "../../../i18n/index.js";
import {
  type Card,
  card,
  choiceSet,
  type Element,
  errorText,
  execute,
  facts,
  heading,
  inputText,
  text,
  userText,
} from "./elements.js";
import { memberFacts } from "./hr-notifications.js";

export const TEAMS_COMMANDS: { name: string; roles: Role[] | "any" }[] = [
  { name: "help", roles: "any" },
  { name: "post job", roles: ["hr"] },
  { name: "post gig", roles: ["hr"] },
  { name: "postings", roles: ["hr"] },
  { name: "close", roles: ["hr"] },
  { name: "returners", roles: ["hr"] },
  { name: "survey results", roles: ["hr"] },
  { name: "notify here", roles: ["hr"] },
  { name: "roster", roles: ["hr"] },
  { name: "schedule event", roles: ["cm"] },
  { name: "events", roles: ["cm"] },
  { name: "move event", roles: ["cm"] },
  { name: "cancel event", roles: ["cm"] },
  { name: "broadcast", roles: ["hr", "cm"] },
  { name: "grant", roles: ["admin"] },
  { name: "revoke", roles: ["admin"] },
  { name: "roles", roles: ["admin"] },
  { name: "failed deliveries", roles: ["admin"] },
];

export function helpCard(locale: Locale, roles: Role[]): Card {
  const allowed = TEAMS_COMMANDS.filter(
    (c) => c.roles === "any" || roles.includes("admin") || c.roles.some((r) => roles.includes(r)),
  );
  const body: Element[] = [heading(t(locale, "teams.help.title"))];
  body.push(
    facts(
      allowed.map((c) => [
        t(locale, `teams.help.usage.${c.name.replace(" ", "_")}` as MessageKey),
        t(locale, `teams.help.${c.name.replace(" ", "_")}` as MessageKey),
      ]),
    ),
  );
  if (allowed.length === 1) body.push(text(t(locale, "teams.help.noRole"), { isSubtle: true }));
  return card(body);
}

export function rolesCard(locale: Locale, holders: RoleHolder[]): Card {
  const body: Element[] = [heading(t(locale, "teams.roles.title"))];
  if (holders.length === 0) body.push(text(t(locale, "teams.roles.none")));
  body.push(
    facts(
      holders.map((h) => [
        t(locale, `teams.role.${h.role}` as MessageKey),
        `${h.displayName ?? "—"}${h.email ? ` <${h.email}>` : ""}${h.pending ? ` (${t(locale, "teams.roles.pending")})` : ""}`,
      ]),
    ),
  );
  return card(body);
}

export function returnersCard(
  locale: Locale,
  result: { entries: ReturnerEntry[]; hasMore: boolean; page: number; total: number },
): Card {
  const body: Element[] = [heading(t(locale, "teams.returners.title", { total: result.total }))];
  if (result.entries.length === 0) body.push(text(t(locale, "teams.returners.none")));
  for (const e of result.entries) {
    body.push({ type: "Container", separator: true, items: memberFacts(locale, e) });
  }
  body.push(text(t(locale, "teams.returners.privacy"), { isSubtle: true, size: "Small" }));
  const actions = result.hasMore
    ? [execute(t(locale, "common.more"), { verb: "returners.page", page: result.page + 1 })]
    : [];
  return card(body, actions);
}

export function eventsCard(locale: Locale, events: CmEventSummary[], timeZone: string): Card {
  const body: Element[] = [heading(t(locale, "events.title"))];
  if (events.length === 0) body.push(text(t(locale, "events.none")));
  const format = new Intl.DateTimeFormat(locale === "ja" ? "ja-JP" : "en-US", {
    timeZone,
    dateStyle: "medium",
    timeStyle: "short",
  });
  for (const item of events) {
    const e = item.event;
    body.push({
      type: "Container",
      separator: true,
      items: [
        userText(`**#${e.number} ${e.title}** (${t(locale, `eventKind.${e.kind}` as MessageKey)})`),
        text(
          `${format.format(e.startsAt)} · ${t(locale, "teams.events.counts", {
            going: item.counts.going,
            maybe: item.counts.maybe,
            notGoing: item.counts.not_going,
            capacity: item.capacity ?? "—",
          })}`,
          { isSubtle: true, spacing: "None" },
        ),
      ],
    });
  }
  return card(body);
}

export interface BroadcastValues {
  segmentKind?: string | null;
  segmentValue?: string | null;
  message?: string | null;
}

export function broadcastFormCard(options: {
  locale: Locale;
  values?: BroadcastValues;
  errors?: Record<string, string>;
  error?: string;
}): Card {
  const { locale } = options;
  const v = options.values ?? {};
  const e = options.errors ?? {};
  const body: Element[] = [heading(t(locale, "teams.broadcast.title")), text(t(locale, "teams.broadcast.intro"))];
  if (options.error) body.push(errorText(options.error));
  body.push(
    choiceSet(
      "segmentKind",
      t(locale, "teams.field.segment"),
      SEGMENT_KINDS.map((k) => ({ title: t(locale, `teams.segment.${k}` as MessageKey), value: k })),
      { value: v.segmentKind ?? "all" },
    ),
  );
  if (e.kind) body.push(errorText(e.kind));
  body.push(
    ...inputText("segmentValue", t(locale, "teams.field.segmentValue"), {
      value: v.segmentValue,
      placeholder: t(locale, "teams.broadcast.valuePlaceholder"),
      maxLength: 100,
      error: e.value,
    }),
    ...inputText("message", t(locale, "teams.field.message"), {
      value: v.message,
      multiline: true,
      maxLength: 3000,
      error: e.message,
    }),
  );
  return card(body, [execute(t(locale, "teams.broadcast.preview"), { verb: "broadcast.preview" }, "positive")]);
}

export function broadcastConfirmCard(options: {
  locale: Locale;
  values: BroadcastValues;
  audience: number;
  formId?: string;
}): Card {
  const { locale, values } = options;
  const segment = t(locale, `teams.segment.${values.segmentKind ?? "all"}` as MessageKey);
  const body: Element[] = [
    heading(t(locale, "teams.broadcast.confirmTitle")),
    facts([
      [t(locale, "teams.field.segment"), values.segmentValue ? `${segment}: ${values.segmentValue}` : segment],
      [t(locale, "teams.broadcast.audience"), t(locale, "teams.broadcast.people", { count: options.audience })],
    ]),
    userText(values.message ?? "", { separator: true }),
  ];
  const data = {
    verb: "broadcast.send",
    formId: options.formId ?? randomUUID(),
    segmentKind: values.segmentKind,
    segmentValue: values.segmentValue ?? "",
    message: values.message ?? "",
  };
  const actions =
    options.audience > 0
      ? [
          execute(t(locale, "teams.broadcast.send", { count: options.audience }), data, "positive"),
          execute(t(locale, "teams.broadcast.change"), { verb: "broadcast.form", ...values }),
        ]
      : [execute(t(locale, "teams.broadcast.change"), { verb: "broadcast.form", ...values })];
  if (options.audience === 0) body.push(errorText(t(locale, "teams.broadcast.nobody")));
  return card(body, actions);
}
