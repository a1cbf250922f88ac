// Replies to /alumni: help, "join first", the member's own profile, deletion.
import type { Member } from "../../../core/members/find-member.js";
import { type Locale, type MessageKey, t } from "../../../i18n/index.js";
import { escapeMrkdwn } from "../escape.js";
import { actions, button, context, fieldsSection, header, type SlackMessage, section } from "./common.js";
import { interestsOf } from "./registration-modal.js";

export const SUBCOMMANDS = [
  "help",
  "join",
  "profile",
  "find",
  "jobs",
  "gigs",
  "refer",
  "events",
  "block",
  "unblock",
  "lang",
  "mydata",
  "delete",
] as const;
export type Subcommand = (typeof SUBCOMMANDS)[number];

export function helpMessage(locale: Locale, options: { registered: boolean; unknown?: string }): SlackMessage {
  const lines = SUBCOMMANDS.map(
    (name) =>
      `• \`/alumni ${t(locale, `help.usage.${name}` as MessageKey)}\` — ${t(locale, `help.${name}` as MessageKey)}`,
  );
  const blocks = [];
  if (options.unknown) {
    blocks.push(section(t(locale, "help.unknown", { command: escapeMrkdwn(options.unknown.slice(0, 40)) })));
  }
  blocks.push(header(t(locale, "help.title")), section(lines.join("\n")));
  if (!options.registered) {
    blocks.push(actions([button(t(locale, "action.join"), "open_join", undefined, { style: "primary" })]));
  }
  return { text: t(locale, "help.title"), blocks };
}

export function joinFirstMessage(locale: Locale): SlackMessage {
  return {
    text: t(locale, "member.joinFirst"),
    blocks: [
      section(t(locale, "member.joinFirst")),
      actions([button(t(locale, "action.join"), "open_join", undefined, { style: "primary" })]),
    ],
  };
}

function list(values: string[]): string {
  return values.length ? values.map(escapeMrkdwn).join(", ") : "—";
}

export function profileMessage(locale: Locale, member: Member): SlackMessage {
  const p = member.profile;
  const years = p && (p.joinedYear || p.leftYear) ? `${p.joinedYear ?? "?"}–${p.leftYear ?? "?"}` : "—";
  const fields = [
    `*${t(locale, "field.displayName")}*\n${escapeMrkdwn(member.displayName ?? "—")}`,
    `*${t(locale, "field.email")}*\n${escapeMrkdwn(member.email ?? "—")}`,
    `*${t(locale, "field.department")}*\n${escapeMrkdwn(p?.department ?? "—")}`,
    `*${t(locale, "profileField.years")}*\n${years}`,
    `*${t(locale, "field.currentEmployer")}*\n${escapeMrkdwn(p?.currentEmployer ?? "—")}`,
    `*${t(locale, "profileField.title")}*\n${escapeMrkdwn(p?.title ?? "—")}`,
    `*${t(locale, "field.skills")}*\n${list(p?.skills ?? [])}`,
    `*${t(locale, "field.interests")}*\n${
      interestsOf(p)
        .map((i) => t(locale, `interest.${i}` as MessageKey))
        .join(", ") || "—"
    }`,
  ];
  const visible = (values: string[]) => values.map((f) => t(locale, `profileField.${f}` as MessageKey)).join(", ");
  return {
    text: t(locale, "profile.title"),
    blocks: [
      header(t(locale, "profile.title")),
      fieldsSection(fields),
      context([
        t(locale, "profile.directoryVisibility", {
          fields: p?.listed ? visible(p.directoryFields) : t(locale, "profile.notListed"),
        }),
        t(locale, "profile.hrVisibility", {
          fields: p?.hrFields.length ? visible(p.hrFields) : t(locale, "profile.nothing"),
        }),
      ]),
      actions([button(t(locale, "action.editProfile"), "open_profile", undefined, { style: "primary" })]),
    ],
  };
}

export function deleteConfirmMessage(locale: Locale): SlackMessage {
  return {
    text: t(locale, "delete.confirmTitle"),
    blocks: [
      header(t(locale, "delete.confirmTitle")),
      section(t(locale, "delete.confirmBody")),
      actions([
        button(t(locale, "delete.confirmButton"), "delete_confirm", "erase", { style: "danger" }),
        button(t(locale, "common.cancel"), "delete_cancel", "cancel"),
      ]),
    ],
  };
}
