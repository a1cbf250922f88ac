// The referral modal: who the candidate is, how to reach them, and their consent.
import { type Locale, t } from "../../../i18n/index.js";
import { escapeMrkdwn } from "../escape.js";
import { type Block, mrkdwn, plain, section } from "./common.js";

export const REFER_CALLBACK = "alumni_refer";

export interface ReferralMetadata {
  locale: Locale;
  posting: number | null;
}

function input(blockId: string, label: string, element: Block, optional = false): Block {
  return {
    type: "input",
    block_id: blockId,
    label: plain(label, 2000),
    optional,
    element: { action_id: blockId, ...element },
  };
}

export function referralModal(locale: Locale, posting: { number: number; title: string } | null): Block {
  const metadata: ReferralMetadata = { locale, posting: posting?.number ?? null };
  return {
    type: "modal",
    callback_id: REFER_CALLBACK,
    private_metadata: JSON.stringify(metadata),
    title: plain(t(locale, "referral.title"), 24),
    submit: plain(t(locale, "referral.submit"), 24),
    close: plain(t(locale, "common.cancel"), 24),
    blocks: [
      section(
        posting
          ? t(locale, "referral.forPosting", { number: posting.number, title: escapeMrkdwn(posting.title) })
          : t(locale, "referral.general"),
      ),
      input("candidateName", t(locale, "field.candidateName"), { type: "plain_text_input", max_length: 100 }),
      input("candidateContact", t(locale, "field.candidateContact"), {
        type: "plain_text_input",
        max_length: 200,
        placeholder: plain(t(locale, "referral.contactPlaceholder")),
      }),
      input("relationship", t(locale, "field.relationship"), { type: "plain_text_input", max_length: 200 }, true),
      input("note", t(locale, "field.note"), { type: "plain_text_input", multiline: true, max_length: 1000 }, true),
      input(
        "candidateConsented",
        t(locale, "field.candidateConsented"),
        { type: "checkboxes", options: [{ text: mrkdwn(t(locale, "referral.consentCheckbox")), value: "yes" }] },
        true,
      ),
    ],
  };
}
