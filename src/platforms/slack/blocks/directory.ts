// Directory search results: only the fields each member allowed.
import type { DirectoryEntry } from "../../../core/members/search-directory.js";
import { type Locale, type MessageKey, t } from "../../../i18n/index.js";
import { escapeMrkdwn } from "../escape.js";
import { actions, button, context, divider, header, type SlackMessage, section } from "./common.js";

function entryText(locale: Locale, e: DirectoryEntry): string {
  const name = e.displayName ? `*${escapeMrkdwn(e.displayName)}*` : `_${t(locale, "directory.nameHidden")}_`;
  const mention = e.slackUserId ? ` (<@${e.slackUserId}>)` : "";
  const lines = [`${name}${mention}`];
  const role = [e.title, e.employer].filter(Boolean).map((s) => escapeMrkdwn(s as string));
  if (role.length) lines.push(role.join(" @ "));
  if (e.department) lines.push(`${t(locale, "field.department")}: ${escapeMrkdwn(e.department)}`);
  if (e.joinedYear || e.leftYear)
    lines.push(`${t(locale, "profileField.years")}: ${e.joinedYear ?? "?"}–${e.leftYear ?? "?"}`);
  if (e.skills?.length) lines.push(`${t(locale, "field.skills")}: ${e.skills.map(escapeMrkdwn).join(", ")}`);
  if (e.email) lines.push(`${t(locale, "field.email")}: ${escapeMrkdwn(e.email)}`);
  if (e.interests) {
    const on = Object.entries({
      job_alerts: e.interests.jobAlerts,
      gig_alerts: e.interests.gigAlerts,
      event_alerts: e.interests.eventAlerts,
      open_to_return: e.interests.openToReturn,
      happy_to_refer: e.interests.happyToRefer,
    })
      .filter(([, v]) => v)
      .map(([k]) => t(locale, `interest.${k}` as MessageKey));
    if (on.length) lines.push(`${t(locale, "field.interests")}: ${on.join(", ")}`);
  }
  return lines.join("\n");
}

export function directoryMessage(
  locale: Locale,
  words: string[],
  result: { entries: DirectoryEntry[]; hasMore: boolean; page: number },
): SlackMessage {
  const query = escapeMrkdwn(words.join(" "));
  if (result.entries.length === 0) {
    const text = t(locale, "directory.none", { query });
    return { text, blocks: [section(text)] };
  }
  const blocks = [header(t(locale, "directory.title"))];
  blocks.push(context([t(locale, "directory.query", { query })]));
  for (const entry of result.entries) blocks.push(divider(), section(entryText(locale, entry)));
  if (result.hasMore) {
    blocks.push(
      actions([button(t(locale, "common.more"), "directory_page", JSON.stringify({ w: words, p: result.page + 1 }))]),
    );
  }
  return { text: t(locale, "directory.title"), blocks };
}
