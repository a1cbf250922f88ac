// Posting cards for HR: the form (new or edit), the confirmation with Close /
// Edit / Publish, and the list with interest and referral counts.
import { randomUUID } from "node:crypto";
import type { HrPosting } from "../../../core/postings/list-postings-for-hr.js";
import { EMPLOYMENT_TYPES_BY_KIND, WORK_STYLES } from "../../../core/postings/posting-input.js";
import type { Posting, PostingKind } from "../../../generated/prisma/client.js";
import { type Locale, type MessageKey, t } from "../../../i18n/index.js";
import { cardText } from "../escape.js";
import {
  type Card,
  card,
  choiceSet,
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

export interface PostingFormValues {
  title?: string | null;
  description?: string | null;
  location?: string | null;
  workStyle?: string | null;
  employmentType?: string | null;
  skills?: string | null;
  compensation?: string | null;
  howToApply?: string | null;
  closesOn?: string | null;
  publish?: string | boolean | null;
}

export function postingFormCard(options: {
  locale: Locale;
  kind: PostingKind;
  values?: PostingFormValues;
  errors?: Record<string, string>;
  error?: string;
  /** Editing an existing posting. */
  edit?: { number: number; version: number };
  formId?: string;
}): Card {
  const { locale, kind, edit } = options;
  const v = options.values ?? {};
  const e = options.errors ?? {};
  const label = (key: MessageKey) => t(locale, key);
  const title = edit
    ? t(locale, "teams.posting.editTitle", { number: edit.number })
    : t(locale, kind === "job" ? "teams.posting.newJob" : "teams.posting.newGig");
  const body: Element[] = [heading(title)];
  if (options.error) body.push(errorText(options.error));
  body.push(
    ...inputText("title", label("teams.field.title"), { value: v.title, maxLength: 120, error: e.title }),
    ...inputText("description", label("teams.field.description"), {
      value: v.description,
      multiline: true,
      maxLength: 4000,
      error: e.description,
    }),
    ...inputText("location", label("teams.field.location"), { value: v.location, maxLength: 100, error: e.location }),
    ...withError(
      [
        choiceSet(
          "workStyle",
          label("teams.field.workStyle"),
          WORK_STYLES.map((w) => ({ title: t(locale, `workStyle.${w}` as MessageKey), value: w })),
          { value: v.workStyle },
        ),
      ],
      e.workStyle,
    ),
    ...withError(
      [
        choiceSet(
          "employmentType",
          label(kind === "job" ? "teams.field.employmentType" : "teams.field.gigType"),
          EMPLOYMENT_TYPES_BY_KIND[kind].map((w) => ({
            title: t(locale, `employmentType.${w}` as MessageKey),
            value: w,
          })),
          { value: v.employmentType },
        ),
      ],
      e.employmentType,
    ),
    ...inputText("skills", label("teams.field.skills"), {
      value: v.skills,
      placeholder: t(locale, "register.skillsPlaceholder"),
      maxLength: 900,
      error: e.skills,
    }),
    ...inputText("compensation", label("teams.field.compensation"), {
      value: v.compensation,
      maxLength: 200,
      error: e.compensation,
    }),
    ...inputText("howToApply", label("teams.field.howToApply"), {
      value: v.howToApply,
      multiline: true,
      maxLength: 1000,
      error: e.howToApply,
    }),
    ...withError([inputDate("closesOn", label("teams.field.closesOn"), v.closesOn)], e.closesOn),
  );
  if (!edit)
    body.push(toggle("publish", label("teams.field.publishNow"), v.publish !== false && v.publish !== "false"));
  const data = edit
    ? { verb: "posting.update", number: edit.number, version: edit.version, kind }
    : { verb: "posting.create", kind, formId: options.formId ?? randomUUID() };
  return card(body, [execute(t(locale, edit ? "teams.posting.save" : "teams.posting.submit"), data, "positive")]);
}

export function postingValues(p: Posting): PostingFormValues {
  return {
    title: p.title,
    description: p.description,
    location: p.location,
    workStyle: p.workStyle,
    employmentType: p.employmentType,
    skills: p.skills.join(", "),
    compensation: p.compensation,
    howToApply: p.howToApply,
    closesOn: p.closesOn?.toISOString().slice(0, 10) ?? null,
  };
}

function statusLabel(locale: Locale, p: Posting): string {
  return t(locale, `teams.postingStatus.${p.status}` as MessageKey);
}

export function postingConfirmationCard(locale: Locale, p: Posting, note?: string): Card {
  const body: Element[] = [
    heading(cardText(`#${p.number} ${p.title}`)),
    facts([
      [t(locale, "teams.field.status"), statusLabel(locale, p)],
      [t(locale, "teams.field.kind"), t(locale, p.kind === "job" ? "teams.kind.job" : "teams.kind.gig")],
      [t(locale, "teams.field.location"), p.location],
      [t(locale, "teams.field.workStyle"), p.workStyle && t(locale, `workStyle.${p.workStyle}` as MessageKey)],
      [
        t(locale, "teams.field.employmentType"),
        p.employmentType && t(locale, `employmentType.${p.employmentType}` as MessageKey),
      ],
      [t(locale, "teams.field.skills"), p.skills.join(", ")],
      [t(locale, "teams.field.compensation"), p.compensation],
      [t(locale, "teams.field.closesOn"), p.closesOn?.toISOString().slice(0, 10)],
    ]),
    userText(p.description, { maxLines: 6 }),
  ];
  if (note) body.unshift(text(note, { color: "Good", weight: "Bolder" }));
  const actions: Element[] = [];
  if (p.status === "draft") {
    actions.push(
      execute(t(locale, "teams.posting.publish"), { verb: "posting.publish", number: p.number }, "positive"),
    );
  }
  if (p.status !== "closed") {
    actions.push(execute(t(locale, "teams.posting.edit"), { verb: "posting.edit", number: p.number }));
    actions.push(execute(t(locale, "teams.posting.close"), { verb: "posting.close", number: p.number }, "destructive"));
  }
  return card(body, actions);
}

export function postingsListCard(locale: Locale, postings: HrPosting[]): Card {
  if (postings.length === 0)
    return card([heading(t(locale, "teams.postings.title")), text(t(locale, "teams.postings.none"))]);
  const body: Element[] = [heading(t(locale, "teams.postings.title"))];
  for (const p of postings.slice(0, 30)) {
    body.push({
      type: "Container",
      separator: true,
      items: [
        userText(`**#${p.number}** ${p.title}`),
        text(
          t(locale, "teams.postings.counts", {
            status: statusLabel(locale, p),
            interests: p.interestCount,
            referrals: p.referralCount,
          }),
          { isSubtle: true, spacing: "None" },
        ),
      ],
      selectAction: { type: "Action.Execute", verb: "posting.show", data: { verb: "posting.show", number: p.number } },
    });
  }
  return card(body);
}
