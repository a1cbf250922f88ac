// Reports for HR and community managers: homecoming wishes, the weekly digest
// and survey results. All anonymous: counts and words, never who.
import type { WeeklyDigest } from "../../../core/digest/build-weekly-digest.js";
import type { HomecomingWishes } from "../../../core/surveys/get-homecoming-wishes.js";
import type { SurveySummary } from "../../../core/surveys/summarize-survey-results.js";
import { type Locale, type MessageKey, t } from "../../../i18n/index.js";
import { type Card, card, type Element, facts, heading, text, userText } from "./elements.js";

export function homecomingWishesCard(locale: Locale, data: HomecomingWishes): Card {
  const body: Element[] = [
    heading(t(locale, "report.wishes.title", { number: data.event.number, title: data.event.title })),
    text(t(locale, "report.wishes.counts", { answered: data.wishes.length, invited: data.invited }), {
      isSubtle: true,
    }),
  ];
  if (data.wishes.length === 0) body.push(text(t(locale, "report.wishes.none")));
  for (const wish of data.wishes.slice(0, 50)) body.push(userText(`• ${wish}`, { spacing: "Small" }));
  return card(body);
}

export function weeklyDigestCard(locale: Locale, d: WeeklyDigest): Card {
  const status = (s: string) => t(locale, `referralStatus.${s}` as MessageKey);
  return card([
    heading(t(locale, "report.digest.title", { weekStart: d.weekStart })),
    facts([
      [t(locale, "report.digest.newMembers"), String(d.newMembers)],
      [t(locale, "report.digest.postings"), String(d.postingsPublished)],
      [t(locale, "report.digest.interests"), String(d.interests)],
      [
        t(locale, "report.digest.referrals"),
        `${d.referrals.total} (${
          Object.entries(d.referrals.byStatus)
            .filter(([, n]) => n > 0)
            .map(([s, n]) => `${status(s)} ${n}`)
            .join(", ") || "—"
        })`,
      ],
      [
        t(locale, "report.digest.rsvps"),
        `${d.rsvps.total} (${t(locale, "rsvp.going")} ${d.rsvps.byResponse.going}, ${t(locale, "rsvp.maybe")} ${d.rsvps.byResponse.maybe})`,
      ],
      [t(locale, "report.digest.surveys"), String(d.surveysAnswered)],
    ]),
  ]);
}

export function surveyResultsCard(locale: Locale, summaries: SurveySummary[]): Card {
  const body: Element[] = [heading(t(locale, "report.survey.title"))];
  if (summaries.length === 0) body.push(text(t(locale, "report.survey.none")));
  for (const s of summaries) {
    body.push(
      text(
        t(locale, "report.survey.row", {
          days: s.offsetDays ?? "—",
          invited: s.invited,
          sent: s.sent,
          answered: s.answered,
        }),
        { weight: "Bolder", separator: true },
      ),
    );
    for (const [question, counts] of Object.entries(s.choices)) {
      body.push(
        facts([
          [
            t(locale, `survey.${s.kind}.${question}` as MessageKey),
            Object.entries(counts)
              .map(([option, n]) => `${option}: ${n}`)
              .join("  "),
          ],
        ]),
      );
    }
    for (const c of s.comments) body.push(userText(`“${c.text}”`, { isSubtle: true, spacing: "Small" }));
  }
  body.push(text(t(locale, "report.survey.anonymous"), { isSubtle: true, size: "Small" }));
  return card(body);
}
