// Job and side-gig listings, each with "Interested" and "Refer someone".

import { EMPLOYMENT_TYPES, WORK_STYLES } from "../../../core/postings/posting-input.js";
import type { Posting } from "../../../generated/prisma/client.js";
import { type Locale, type MessageKey, t } from "../../../i18n/index.js";
import { clip, escapeMrkdwn } from "../escape.js";
import { actions, button, context, divider, header, type SlackMessage, section } from "./common.js";

/** A stored code in the reader's language ("hybrid" → ハイブリッド); anything else shown as written. */
function label(locale: Locale, prefix: string, known: readonly string[], value: string | null): string | null {
  if (!value) return null;
  return known.includes(value) ? t(locale, `${prefix}.${value}` as MessageKey) : escapeMrkdwn(value);
}

export function postingBlocks(locale: Locale, posting: Posting) {
  const facts = [
    posting.location && `📍 ${escapeMrkdwn(posting.location)}`,
    label(locale, "workStyle", WORK_STYLES, posting.workStyle),
    label(locale, "employmentType", EMPLOYMENT_TYPES, posting.employmentType),
    posting.compensation && `💴 ${escapeMrkdwn(posting.compensation)}`,
    posting.closesOn && t(locale, "postings.closesOn", { date: posting.closesOn.toISOString().slice(0, 10) }),
  ].filter(Boolean) as string[];
  const body = [
    `*#${posting.number} ${escapeMrkdwn(posting.title)}*`,
    escapeMrkdwn(clip(posting.description, 600)),
    posting.skills.length ? `${t(locale, "field.skills")}: ${posting.skills.map(escapeMrkdwn).join(", ")}` : "",
    posting.howToApply ? `${t(locale, "postings.howToApply")}: ${escapeMrkdwn(clip(posting.howToApply, 300))}` : "",
  ]
    .filter(Boolean)
    .join("\n");
  const blocks = [section(body)];
  if (facts.length) blocks.push(context([facts.join("  ·  ")]));
  blocks.push(
    actions(
      [
        button(t(locale, "action.interested"), "posting_interested", String(posting.number), { style: "primary" }),
        button(t(locale, "action.refer"), "posting_refer", String(posting.number)),
      ],
      `posting_${posting.number}`,
    ),
  );
  return blocks;
}

export function postingsMessage(
  locale: Locale,
  kind: "job" | "gig",
  words: string[],
  result: { postings: Posting[]; hasMore: boolean; page: number; total: number },
): SlackMessage {
  const title = t(locale, kind === "job" ? "postings.jobsTitle" : "postings.gigsTitle");
  if (result.postings.length === 0) {
    const text = words.length
      ? t(locale, "postings.noneMatching", { query: escapeMrkdwn(words.join(" ")) })
      : t(locale, kind === "job" ? "postings.noJobs" : "postings.noGigs");
    return { text, blocks: [section(text)] };
  }
  const blocks = [header(title), context([t(locale, "postings.count", { total: result.total })])];
  for (const posting of result.postings) blocks.push(divider(), ...postingBlocks(locale, posting));
  if (result.hasMore) {
    blocks.push(
      divider(),
      actions([
        button(t(locale, "common.more"), "postings_page", JSON.stringify({ k: kind, w: words, p: result.page + 1 })),
      ]),
    );
  }
  return { text: title, blocks };
}
