// The purpose-of-use (利用目的) text a member agrees to. Its version and a hash of
// the exact text shown are stored with each consent, so we can always prove
// what someone agreed to. Change the text → bump the version.
import { createHash } from "node:crypto";
import { type Locale, t } from "../../i18n/index.js";

export const CONSENT_PURPOSE = "alumni_network";
export const CONSENT_VERSION = "2026-12-03";

export function consentText(locale: Locale): string {
  return t(locale, "consent.purposeText");
}

export function consentTextHash(locale: Locale, version: string = CONSENT_VERSION): string {
  return createHash("sha256")
    .update(`${version}\n${consentText(locale)}`)
    .digest("hex");
}
