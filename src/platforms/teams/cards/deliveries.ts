// Dead letters for admins, each with a Retry action.
import type { FailedDeliveries } from "../../../core/deliveries/list-failed-deliveries.js";
import { type Locale, t } from "../../../i18n/index.js";
import { type Card, card, type Element, execute, heading, text, userText } from "./elements.js";

export function failedDeliveriesCard(locale: Locale, data: FailedDeliveries, notice?: string): Card {
  const body: Element[] = [heading(t(locale, "delivery.failed.title", { total: data.total }))];
  if (notice) body.push(text(notice, { color: "Good", weight: "Bolder" }));
  if (data.rows.length === 0) body.push(text(t(locale, "delivery.failed.none")));
  const format = new Intl.DateTimeFormat(locale === "ja" ? "ja-JP" : "en-US", {
    dateStyle: "short",
    timeStyle: "short",
  });
  for (const row of data.rows) {
    body.push({
      type: "Container",
      separator: true,
      items: [
        text(`**${row.kind}** → ${row.platform} \`${row.target}\``),
        userText(row.lastError ?? "—", { isSubtle: true, spacing: "None", maxLines: 3 }),
        text(t(locale, "delivery.failed.attempts", { attempts: row.attempts, at: format.format(row.updatedAt) }), {
          isSubtle: true,
          size: "Small",
          spacing: "None",
        }),
      ],
      selectAction: { type: "Action.Execute", verb: "delivery.retry", data: { verb: "delivery.retry", id: row.id } },
    });
  }
  const actions =
    data.total > 0
      ? [execute(t(locale, "delivery.failed.retryAll"), { verb: "delivery.retry", all: true }, "positive")]
      : [];
  return card(body, actions);
}
