// Cards for HR's leavers roster: the preview of an uploaded file (Import /
// Cancel), its result, the `roster` summary and search, and the one-leaver
// form. Roster rows are HR's records: these cards go to HR only. Everything
// that came from a file or a form is shown as someone else's words (escaped).
import type { getRosterSummary } from "../../../core/roster/get-roster-summary.js";
import type { RosterPreview } from "../../../core/roster/preview-roster-import.js";
import type { searchRoster } from "../../../core/roster/search-roster.js";
import { type Locale, type MessageKey, t } from "../../../i18n/index.js";
import { cardText } from "../escape.js";
import {
  type Card,
  card,
  dateTimeText,
  type Element,
  errorText,
  execute,
  facts,
  heading,
  inputDate,
  inputText,
  text,
  toggle,
  userText,
  withError,
} from "./elements.js";

export type RosterSummary = Awaited<ReturnType<typeof getRosterSummary>>;
export type RosterEntry = Awaited<ReturnType<typeof searchRoster>>[number];

/** The preview card shows this many rejected lines, then says how many more there are. */
export const REJECTED_SHOWN = 20;

/** A rejected line's reason in the reader's language; its parameters came from the file. */
function rejectedReason(locale: Locale, line: RosterPreview["rejected"][number]): string {
  return t(locale, line.key as MessageKey, line.params ?? {});
}

export function rosterPreviewCard(
  locale: Locale,
  preview: RosterPreview,
  notice?: { text: string; error?: boolean },
): Card {
  const body: Element[] = [heading(t(locale, "teamsRoster.preview.title", { number: preview.importNumber }))];
  if (notice) body.push(notice.error ? errorText(notice.text) : text(notice.text, { color: "Good", weight: "Bolder" }));
  else if (preview.status === "previewed") body.push(text(t(locale, "teamsRoster.preview.intro")));
  body.push(
    facts([
      [t(locale, "teamsRoster.preview.file"), preview.fileName],
      [t(locale, "teamsRoster.preview.encoding"), preview.encoding],
      [t(locale, "joinRequest.field.status"), t(locale, `teamsRoster.status.${preview.status}` as MessageKey)],
      [t(locale, "teamsRoster.preview.new"), String(preview.counts.new)],
      [t(locale, "teamsRoster.preview.updated"), String(preview.counts.updated)],
      [t(locale, "teamsRoster.preview.unchanged"), String(preview.counts.unchanged)],
      [t(locale, "teamsRoster.preview.rejected"), String(preview.counts.rejected)],
    ]),
  );
  if (preview.rejected.length > 0) {
    const shown = preview.rejected.slice(0, REJECTED_SHOWN);
    const more = Math.max(preview.counts.rejected, preview.rejected.length) - shown.length;
    body.push({
      type: "Container",
      separator: true,
      items: [
        text(t(locale, "teamsRoster.preview.rejectedTitle", { count: preview.counts.rejected }), { weight: "Bolder" }),
        // One block, one line each: the reasons quote the file, so the whole text is escaped.
        userText(
          shown
            .map((r) =>
              t(locale, "teamsRoster.preview.rejectedLine", { line: r.line, reason: rejectedReason(locale, r) }),
            )
            .join("\n\n"),
          { size: "Small" },
        ),
        ...(more > 0 ? [text(t(locale, "teamsRoster.preview.rejectedMore", { count: more }), { isSubtle: true })] : []),
      ],
    });
  }
  const actions =
    preview.status === "previewed"
      ? [
          execute(
            t(locale, "teamsRoster.preview.import"),
            { verb: "roster.import", importNumber: preview.importNumber },
            "positive",
          ),
          execute(
            t(locale, "teamsRoster.preview.cancel"),
            { verb: "roster.cancel", importNumber: preview.importNumber },
            "destructive",
          ),
        ]
      : [];
  return card(body, actions);
}

/** `personal`: the card is in the personal chat, where the one-leaver form may be opened from it. */
export function rosterSummaryCard(locale: Locale, summary: RosterSummary, timeZone: string, personal = true): Card {
  const body: Element[] = [heading(t(locale, "teamsRoster.summary.title"))];
  if (summary.total === 0 && !summary.lastImport) body.push(text(t(locale, "teamsRoster.summary.empty")));
  body.push(
    facts([
      [t(locale, "teamsRoster.summary.total"), String(summary.total)],
      [t(locale, "teamsRoster.summary.joined"), String(summary.joined)],
      [t(locale, "teamsRoster.summary.notJoined"), String(summary.notJoined)],
      [t(locale, "teamsRoster.summary.rehireIneligible"), String(summary.rehireIneligible)],
      [
        t(locale, "teamsRoster.summary.lastImport"),
        summary.lastImport
          ? t(locale, "teamsRoster.summary.lastImportValue", {
              number: summary.lastImport.number,
              fileName: summary.lastImport.fileName,
              at: dateTimeText(locale, timeZone, summary.lastImport.at),
            })
          : null,
      ],
    ]),
    text(t(locale, "teamsRoster.summary.hint"), { isSubtle: true, size: "Small" }),
  );
  return card(body, personal ? [execute(t(locale, "teamsRoster.add.title"), { verb: "roster.form" })] : []);
}

function joinName(a: string | null, b: string | null): string | null {
  const name = [a, b].filter(Boolean).join(" ");
  return name || null;
}

function rehire(locale: Locale, value: boolean | null): string | null {
  return value === null ? null : t(locale, value ? "teamsRoster.rehire.yes" : "teamsRoster.rehire.no");
}

/** One roster row as HR sees it (facts escape every value). */
export function rosterEntryFacts(locale: Locale, e: RosterEntry): Element {
  return facts([
    [t(locale, "teamsRoster.field.employeeNumber"), e.employeeNumber],
    [t(locale, "teamsRoster.field.name"), joinName(e.familyName, e.givenName)],
    [t(locale, "teamsRoster.field.nameKana"), joinName(e.familyNameKana, e.givenNameKana)],
    [t(locale, "teamsRoster.field.department"), e.department],
    [t(locale, "teamsRoster.field.joinedOn"), e.joinedOn],
    [t(locale, "teamsRoster.field.leftOn"), e.leftOn],
    [t(locale, "teamsRoster.field.rehireEligible"), rehire(locale, e.rehireEligible)],
    [t(locale, "teamsRoster.field.joined"), t(locale, e.joined ? "teamsRoster.joined.yes" : "teamsRoster.joined.no")],
  ]);
}

export function rosterSearchCard(locale: Locale, query: string, entries: RosterEntry[], limit: number): Card {
  const body: Element[] = [
    heading(cardText(t(locale, "teamsRoster.search.title", { query: query.slice(0, 100), count: entries.length }))),
  ];
  if (entries.length === 0) body.push(text(t(locale, "teamsRoster.search.none")));
  for (const e of entries) body.push({ type: "Container", separator: true, items: [rosterEntryFacts(locale, e)] });
  if (entries.length >= limit)
    body.push(text(t(locale, "teamsRoster.search.more", { count: limit }), { isSubtle: true }));
  return card(body);
}

/** The one-leaver form's fields, in order (what addRosterEntry takes; the rehire toggle last). */
export const ROSTER_FORM_TEXT_FIELDS = [
  "employeeNumber",
  "familyName",
  "givenName",
  "familyNameKana",
  "givenNameKana",
  "personalEmail",
  "department",
] as const;
export const ROSTER_FORM_DATE_FIELDS = ["joinedOn", "leftOn"] as const;

export type RosterFormValues = Partial<Record<string, string | null>>;

export function rosterFormCard(options: {
  locale: Locale;
  values?: RosterFormValues;
  errors?: Record<string, string>;
  error?: string;
  notice?: string;
}): Card {
  const { locale } = options;
  const v = options.values ?? {};
  const e = options.errors ?? {};
  const label = (field: string) => t(locale, `teamsRoster.field.${field}` as MessageKey);
  const body: Element[] = [heading(t(locale, "teamsRoster.add.title"))];
  if (options.notice) body.push(text(options.notice, { color: "Good", weight: "Bolder" }));
  body.push(text(t(locale, "teamsRoster.add.intro"), { isSubtle: true }));
  if (options.error) body.push(errorText(options.error));
  for (const field of ROSTER_FORM_TEXT_FIELDS) {
    body.push(...inputText(field, label(field), { value: v[field] ?? null, maxLength: 200, error: e[field] }));
  }
  for (const field of ROSTER_FORM_DATE_FIELDS) {
    body.push(...withError([inputDate(field, label(field), v[field] ?? null)], e[field]));
  }
  body.push(
    ...withError(
      [toggle("rehireEligible", label("rehireEligible"), (v.rehireEligible ?? "true") === "true")],
      e.rehireEligible,
    ),
  );
  return card(body, [execute(t(locale, "teamsRoster.add.submit"), { verb: "roster.add" }, "positive")]);
}

export function rosterAddedCard(locale: Locale, result: { created: boolean; entry: RosterEntry }): Card {
  return card(
    [
      heading(t(locale, "teamsRoster.add.title")),
      text(t(locale, result.created ? "teamsRoster.add.created" : "teamsRoster.add.updated"), {
        color: "Good",
        weight: "Bolder",
      }),
      rosterEntryFacts(locale, result.entry),
    ],
    [execute(t(locale, "teamsRoster.add.another"), { verb: "roster.form" })],
  );
}
