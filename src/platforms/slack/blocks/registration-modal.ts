// The one registration modal (also the profile editor). Block ids and action ids
// are the core's field names, so validation errors land under the right input.
import { CONSENT_VERSION, consentText } from "../../../core/members/consent.js";
import { INTEREST_FLAGS, PROFILE_FIELD_NAMES } from "../../../core/members/profile-input.js";
import type { Profile } from "../../../generated/prisma/client.js";
import { type Locale, type MessageKey, t } from "../../../i18n/index.js";
import { escapeMrkdwn } from "../escape.js";
import { type Block, context, header, mrkdwn, plain, section } from "./common.js";

export const REGISTER_CALLBACK = "alumni_register";

export interface RegistrationMetadata {
  mode: "register" | "edit";
  locale: Locale;
  consentVersion?: string;
}

export interface RegistrationPrefill {
  displayName?: string | null;
  email?: string | null;
  locale: Locale;
  profile?: Profile | null;
}

function option(locale: Locale, key: MessageKey, value: string) {
  return { text: plain(t(locale, key), 75), value };
}

function input(
  blockId: string,
  label: string,
  element: Block,
  options: { optional?: boolean; hint?: string } = {},
): Block {
  return {
    type: "input",
    block_id: blockId,
    label: plain(label, 2000),
    optional: options.optional ?? false,
    element: { action_id: blockId, ...element },
    ...(options.hint ? { hint: plain(options.hint, 2000) } : {}),
  };
}

function text(initial: string | null | undefined, maxLength: number, placeholder?: string): Block {
  return {
    type: "plain_text_input",
    max_length: maxLength,
    ...(initial ? { initial_value: initial.slice(0, maxLength) } : {}),
    ...(placeholder ? { placeholder: plain(placeholder) } : {}),
  };
}

function year(initial: number | null | undefined): Block {
  return {
    type: "number_input",
    is_decimal_allowed: false,
    min_value: "1950",
    max_value: String(new Date().getUTCFullYear()),
    ...(initial ? { initial_value: String(initial) } : {}),
  };
}

function checkboxes(locale: Locale, values: readonly string[], keyOf: (v: string) => MessageKey, initial: string[]) {
  const options = values.map((v) => option(locale, keyOf(v), v));
  const selected = options.filter((o) => initial.includes(o.value));
  return { type: "checkboxes", options, ...(selected.length ? { initial_options: selected } : {}) };
}

export function interestsOf(profile: Profile | null | undefined): string[] {
  if (!profile) return [];
  const flags: [string, boolean][] = [
    ["job_alerts", profile.jobAlerts],
    ["gig_alerts", profile.gigAlerts],
    ["event_alerts", profile.eventAlerts],
    ["open_to_return", profile.openToReturn],
    ["happy_to_refer", profile.happyToRefer],
  ];
  return flags.filter(([, on]) => on).map(([flag]) => flag);
}

export function registrationModal(options: {
  mode: "register" | "edit";
  locale: Locale;
  prefill: RegistrationPrefill;
  /**
   * Joining is verified against HR's roster or by HR (MEMBERSHIP_VERIFICATION is not off): the
   * join form says so and asks for what matching needs (find-roster-match.ts): the personal
   * email, and optionally the employee number with the family name at the company.
   */
  verification?: boolean;
}): Block {
  const { locale, mode, prefill } = options;
  const verifying = mode === "register" && options.verification === true;
  const p = prefill.profile ?? null;
  const metadata: RegistrationMetadata = {
    mode,
    locale,
    ...(mode === "register" ? { consentVersion: CONSENT_VERSION } : {}),
  };
  const blocks: Block[] = [
    section(t(locale, mode === "register" ? "register.intro" : "profile.editIntro")),
    input("displayName", t(locale, "field.displayName"), text(prefill.displayName, 80)),
    ...(verifying ? [header(t(locale, "membership.verifyHeader")), section(t(locale, "membership.verifyIntro"))] : []),
    input(
      "email",
      t(locale, verifying ? "membership.field.personalEmail" : "field.email"),
      { type: "email_text_input", ...(prefill.email ? { initial_value: prefill.email } : {}) },
      verifying ? { hint: t(locale, "membership.field.personalEmailHint") } : {},
    ),
    ...(verifying
      ? [
          input("employeeNumber", t(locale, "membership.field.employeeNumber"), text(null, 40), {
            optional: true,
            hint: t(locale, "membership.field.employeeNumberHint"),
          }),
          input("familyName", t(locale, "membership.field.familyName"), text(null, 50), {
            optional: true,
            hint: t(locale, "membership.field.familyNameHint"),
          }),
        ]
      : []),
    input("department", t(locale, "field.department"), text(p?.department, 100), { optional: true }),
    input("joinedYear", t(locale, "field.joinedYear"), year(p?.joinedYear), { optional: true }),
    input("leftYear", t(locale, "field.leftYear"), year(p?.leftYear), { optional: true }),
    input(
      "leftOn",
      t(locale, "field.leftOn"),
      { type: "datepicker", ...(p?.leftOn ? { initial_date: p.leftOn.toISOString().slice(0, 10) } : {}) },
      { optional: true, hint: t(locale, "register.leftOnHint") },
    ),
    input("currentEmployer", t(locale, "field.currentEmployer"), text(p?.currentEmployer, 100), { optional: true }),
    input("title", t(locale, "profileField.title"), text(p?.title, 100), { optional: true }),
    input(
      "skills",
      t(locale, "field.skills"),
      text(p?.skills.join(", "), 900, t(locale, "register.skillsPlaceholder")),
      {
        optional: true,
        hint: t(locale, "register.skillsHint"),
      },
    ),
    input(
      "interests",
      t(locale, "field.interests"),
      checkboxes(locale, INTEREST_FLAGS, (v) => `interest.${v}` as MessageKey, interestsOf(p)),
      { optional: true },
    ),
    input(
      "directoryFields",
      t(locale, "field.directoryFields"),
      checkboxes(locale, PROFILE_FIELD_NAMES, (v) => `profileField.${v}` as MessageKey, p?.directoryFields ?? []),
      { optional: true, hint: t(locale, "register.directoryHint") },
    ),
    input(
      "hrFields",
      t(locale, "field.hrFields"),
      checkboxes(locale, PROFILE_FIELD_NAMES, (v) => `profileField.${v}` as MessageKey, p?.hrFields ?? []),
      { optional: true, hint: t(locale, "register.hrHint") },
    ),
    input("locale", t(locale, "field.locale"), {
      type: "static_select",
      options: [
        { text: plain("日本語"), value: "ja" },
        { text: plain("English"), value: "en" },
      ],
      initial_option: { text: plain(prefill.locale === "ja" ? "日本語" : "English"), value: prefill.locale },
    }),
  ];
  if (mode === "register") {
    blocks.push(
      header(t(locale, "register.consentHeader")),
      section(escapeMrkdwn(consentText(locale))),
      context([t(locale, "register.consentVersion", { version: CONSENT_VERSION })]),
      // Optional for Slack's client: the server refuses a missing consent itself,
      // with a message in the member's language.
      input(
        "consent",
        t(locale, "field.consent"),
        { type: "checkboxes", options: [{ text: mrkdwn(t(locale, "register.consentCheckbox")), value: "agree" }] },
        { optional: true },
      ),
    );
  }
  return {
    type: "modal",
    callback_id: REGISTER_CALLBACK,
    private_metadata: JSON.stringify(metadata),
    title: plain(t(locale, mode === "register" ? "register.title" : "profile.editTitle"), 24),
    submit: plain(t(locale, mode === "register" ? "register.submit" : "profile.save"), 24),
    close: plain(t(locale, "common.cancel"), 24),
    blocks,
  };
}
