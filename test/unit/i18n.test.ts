// The two message catalogues: every key built at run time exists in both, the
// translations agree on their placeholders, and texts fit Slack's limits.
import { describe, expect, it } from "vitest";
import { AppError } from "../../src/core/errors.js";
import { parseEventInput } from "../../src/core/events/event-input.js";
import { INTEREST_FLAGS, PROFILE_FIELD_NAMES, ZProfileInput } from "../../src/core/members/profile-input.js";
import { ZReferralInput } from "../../src/core/referrals/create-referral.js";
import { EventKind, ReferralStatus } from "../../src/generated/prisma/enums.js";
import { en } from "../../src/i18n/en.js";
import { LOCALES, type MessageKey } from "../../src/i18n/index.js";
import { ja } from "../../src/i18n/ja.js";
import { RSVP_RESPONSES } from "../../src/platforms/slack/blocks/events.js";
import { SUBCOMMANDS } from "../../src/platforms/slack/blocks/messages.js";
import { registrationModal } from "../../src/platforms/slack/blocks/registration-modal.js";

const catalogues: Record<string, Record<string, string>> = { ja, en };

function expectKeysInBoth(keys: readonly string[]) {
  expect(keys.length).toBeGreaterThan(0);
  for (const locale of LOCALES) {
    const missing = keys.filter((k) => typeof catalogues[locale]?.[k] !== "string");
    expect(missing, `missing in ${locale}.ts`).toEqual([]);
  }
}

function placeholders(text: string): string[] {
  return [...new Set([...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1] as string))].sort();
}

describe("dynamic message keys", () => {
  it("help and usage for every subcommand", () => {
    expectKeysInBoth(SUBCOMMANDS.flatMap((name) => [`help.${name}`, `help.usage.${name}`]));
  });

  it("every interest flag and profile field", () => {
    expectKeysInBoth(INTEREST_FLAGS.map((flag) => `interest.${flag}`));
    expectKeysInBoth(PROFILE_FIELD_NAMES.map((f) => `profileField.${f}`));
  });

  it("every RSVP answer, event kind and referral status", () => {
    expect([...RSVP_RESPONSES].sort()).toEqual(["going", "maybe", "not_going"]);
    expectKeysInBoth(RSVP_RESPONSES.map((r) => `rsvp.${r}`));
    expectKeysInBoth(Object.values(EventKind).map((k) => `eventKind.${k}`));
    expectKeysInBoth(Object.values(ReferralStatus).map((s) => `referralStatus.${s}`));
  });

  it("a field label for every profile and referral input (errors name fields by them)", () => {
    const fields = [...Object.keys(ZProfileInput.shape), ...Object.keys(ZReferralInput.shape)];
    expect(fields).toEqual(expect.arrayContaining(["displayName", "skills", "candidateName", "candidateConsented"]));
    expectKeysInBoth(fields.map((name) => `field.${name}`));
  });
});

describe("one key, one meaning", () => {
  it("field.title names the title of a posting or event; a member's job title has its own label", () => {
    // An event whose title is too long: the error names the field "title" (the event's title).
    let error: unknown;
    try {
      parseEventInput({ title: "x".repeat(121), kind: "meetup", startsAt: "2030-01-01T10:00:00Z", timeZone: "UTC" });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).fields.title).toBeDefined();
    const ja = (error as AppError).localized("ja");
    const en = (error as AppError).localized("en");
    expect(ja).toContain("タイトル");
    expect(ja).not.toContain("役職");
    expect(en).toContain("Title");
    expect(en).not.toContain("Current title");
    // The registration modal labels the member's job title as such.
    for (const [locale, label] of [
      ["ja", "現在の役職"],
      ["en", "Current title"],
    ] as const) {
      const modal = JSON.stringify(registrationModal({ mode: "register", locale, prefill: {} as never }));
      expect(modal).toContain(`"text":"${label}"`);
    }
  });
});

describe("the catalogues", () => {
  it("have the same keys", () => {
    expect(Object.keys(en).sort()).toEqual(Object.keys(ja).sort());
  });

  it("use the same placeholders in both languages", () => {
    const mismatched = (Object.keys(ja) as MessageKey[])
      .filter((key) => placeholders(ja[key]).join() !== placeholders(en[key] ?? "").join())
      .map((key) => `${key}: ja {${placeholders(ja[key])}} en {${placeholders(en[key] ?? "")}}`);
    expect(mismatched).toEqual([]);
  });

  it("have no empty message", () => {
    for (const locale of LOCALES) {
      const empty = Object.entries(catalogues[locale] ?? {})
        .filter(([, text]) => text.trim() === "")
        .map(([key]) => key);
      expect(empty, locale).toEqual([]);
    }
  });
});

describe("Slack length limits", () => {
  const keysMatching = (pattern: RegExp) => Object.keys(ja).filter((k) => pattern.test(k));

  function expectWithin(max: number, keys: readonly string[]) {
    expectKeysInBoth(keys);
    for (const locale of LOCALES) {
      const tooLong = keys
        .map((k) => [k, catalogues[locale]?.[k] ?? ""] as const)
        .filter(([, text]) => text.length > max)
        .map(([k, text]) => `${k} (${text.length}): ${text}`);
      expect(tooLong, `${locale}: longer than ${max}`).toEqual([]);
    }
  }

  it("modal titles and submit/close labels fit in 24 characters", () => {
    expectWithin(24, [
      "register.title",
      "register.submit",
      "profile.editTitle",
      "profile.save",
      "referral.title",
      "referral.submit",
      "common.cancel",
    ]);
  });

  it("button labels fit in 75 characters", () => {
    // "✓ " is prefixed to the chosen RSVP answer.
    expectWithin(75, [
      ...keysMatching(/^action\./),
      "home.jobs",
      "home.gigs",
      "home.events",
      "home.mydata",
      "delete.confirmButton",
      "common.cancel",
      "common.more",
    ]);
    expectWithin(
      73,
      RSVP_RESPONSES.map((r) => `rsvp.${r}`),
    );
  });

  it("checkbox option labels fit in 75 characters", () => {
    expectWithin(75, [
      ...keysMatching(/^interest\.(?!recorded$|already$)/),
      ...keysMatching(/^profileField\./),
      "register.consentCheckbox",
      "referral.consentCheckbox",
    ]);
    expect(keysMatching(/^interest\.(?!recorded$|already$)/).sort()).toEqual(
      INTEREST_FLAGS.map((f) => `interest.${f}`).sort(),
    );
  });
});
