// What HR receives in Teams: a member's interest, and referrals with status
// actions (received → contacted → interviewing → hired / declined) and the
// reward flag. Members appear with only what they allowed HR to see.
import type { DirectoryEntry } from "../../../core/members/search-directory.js";
import type { InterestForHr } from "../../../core/postings/get-interest-for-hr.js";
import type { ReferralForHr } from "../../../core/referrals/get-referral-for-hr.js";
import type { ReferralStatus } from "../../../generated/prisma/client.js";
import { type Locale, type MessageKey, t } from "../../../i18n/index.js";
import { type Card, card, type Element, errorText, execute, facts, heading, text, userText } from "./elements.js";

export const NEXT_STATUSES: Record<ReferralStatus, ReferralStatus[]> = {
  received: ["contacted", "declined"],
  contacted: ["interviewing", "declined"],
  interviewing: ["hired", "declined"],
  hired: [],
  declined: [],
};

/** A member as HR sees them: only what they allowed (or a note that they left). */
export function memberFacts(locale: Locale, m: DirectoryEntry | null): Element[] {
  if (!m) return [text(t(locale, "teams.member.gone"), { isSubtle: true })];
  const years = m.joinedYear || m.leftYear ? `${m.joinedYear ?? "?"}–${m.leftYear ?? "?"}` : null;
  const rows: [string, string | null | undefined][] = [
    [t(locale, "field.displayName"), m.displayName ?? t(locale, "directory.nameHidden")],
    [t(locale, "field.email"), m.email],
    [t(locale, "field.department"), m.department],
    [t(locale, "profileField.years"), years],
    [t(locale, "field.currentEmployer"), m.employer],
    [t(locale, "profileField.title"), m.title],
    [t(locale, "field.skills"), m.skills?.join(", ")],
  ];
  return [facts(rows)];
}

export function interestCard(locale: Locale, data: InterestForHr): Card {
  return card([
    heading(t(locale, "teams.interest.title")),
    userText(t(locale, "teams.interest.body", { number: data.posting.number, title: data.posting.title })),
    ...memberFacts(locale, data.member),
  ]);
}

export function referralCard(locale: Locale, data: ReferralForHr, notice?: { text: string; error?: boolean }): Card {
  const r = data.referral;
  const body: Element[] = [
    heading(t(locale, "teams.referral.title", { number: r.number })),
    userText(
      r.posting
        ? t(locale, "teams.referral.forPosting", { number: r.posting.number, title: r.posting.title })
        : t(locale, "teams.referral.general"),
    ),
    facts([
      [t(locale, "teams.field.status"), t(locale, `referralStatus.${r.status}` as MessageKey)],
      [t(locale, "teams.field.reward"), t(locale, `teams.reward.${r.rewardState}` as MessageKey)],
      [t(locale, "field.candidateName"), r.candidateName],
      [t(locale, "field.candidateContact"), r.candidateContact],
      [t(locale, "field.relationship"), r.relationship],
    ]),
  ];
  if (r.note) body.push(userText(r.note, { isSubtle: true }));
  body.push(
    text(t(locale, "teams.referral.referrer"), { weight: "Bolder", separator: true }),
    ...memberFacts(locale, data.referrer),
  );
  if (notice)
    body.unshift(notice.error ? errorText(notice.text) : text(notice.text, { color: "Good", weight: "Bolder" }));
  const actions: Element[] = NEXT_STATUSES[r.status].map((status) =>
    execute(
      t(locale, `teams.referral.to.${status}` as MessageKey),
      { verb: "referral.status", number: r.number, status, expected: r.status },
      status === "declined" ? "destructive" : "positive",
    ),
  );
  if (r.status === "hired" && r.rewardState !== "paid") {
    const next = r.rewardState === "none" ? "eligible" : "paid";
    actions.push(
      execute(t(locale, `teams.referral.reward.${next}` as MessageKey), {
        verb: "referral.reward",
        number: r.number,
        rewardState: next,
        expected: r.status,
      }),
    );
  }
  return card(body, actions);
}
