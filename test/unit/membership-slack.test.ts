// What a member not verified yet may do on Slack (the authorization matrix's `pending`
// persona), what their App Home shows, and HR's decision as the DM renders it.
import { describe, expect, it } from "vitest";
import type { Member } from "../../src/core/members/find-member.js";
import type { MemberHome } from "../../src/core/members/get-member-home.js";
import { AUTHORIZATION_MATRIX } from "../../src/core/roles/authorization-matrix.js";
import { joinDecisionDm } from "../../src/delivery/render-slack.js";
import { t } from "../../src/i18n/index.js";
import { slackPersona } from "../../src/platforms/slack/authorize.js";
import { homeView } from "../../src/platforms/slack/blocks/home.js";
import { registrationModal } from "../../src/platforms/slack/blocks/registration-modal.js";

const slackOps = AUTHORIZATION_MATRIX.filter((op) => op.platform === "slack");

describe("the pending persona", () => {
  it("is what Slack calls a registered member not verified yet", () => {
    expect(slackPersona({ stranger: false, registered: true, verified: false })).toBe("pending");
    expect(slackPersona({ stranger: false, registered: true, verified: true })).toBe("member");
    expect(slackPersona({ stranger: false, registered: false, verified: false })).toBe("unregistered");
    expect(slackPersona({ stranger: true, registered: true, verified: true })).toBe("stranger");
  });

  it("keeps help, join, profile, language, mydata and delete, and nothing of the community", () => {
    const allowed = slackOps.filter((op) => op.outcomes.pending.allowed).map((op) => op.id);
    expect(allowed.sort()).toEqual(
      [
        "slack.command.help",
        "slack.command.join",
        "slack.command.profile",
        "slack.command.lang",
        "slack.command.mydata",
        "slack.command.delete",
        "slack.action.open_join",
        "slack.action.open_profile",
        "slack.action.delete_confirm",
        "slack.action.delete_cancel",
        "slack.view.register",
        "slack.view.profile",
      ].sort(),
    );
    for (const op of slackOps.filter((o) => !o.outcomes.pending.allowed)) {
      expect(op.outcomes.pending, op.id).toEqual({ allowed: false, key: "membership.notVerified" });
      expect(op.outcomes.member, `${op.id}: a verified member may`).toEqual({ allowed: true });
    }
  });

  it("is a known user with no role on Teams", () => {
    for (const op of AUTHORIZATION_MATRIX.filter((o) => o.platform === "teams")) {
      expect(op.outcomes.pending, op.id).toEqual(op.outcomes.member);
    }
  });
});

const member = (membership: Member["membership"]): Member => ({
  personId: "00000000-0000-4000-8000-000000000001",
  displayName: "山田 <b>",
  email: "y@example.com",
  locale: "ja",
  timeZone: null,
  registered: true,
  membership,
  profile: null,
});
const home: MemberHome = { openJobs: 3, openGigs: 1, upcomingEvents: 2, referrals: [], rsvps: [] };

describe("App Home", () => {
  it("shows a pending member their request instead of the community's lists", () => {
    const shown = JSON.stringify(homeView("ja", member("pending"), home, 42));
    expect(shown).toContain(t("ja", "membership.home.pending", { number: 42 }));
    expect(shown).not.toContain("home_list");
    expect(shown).toContain("open_profile");
    expect(shown).toContain("山田 &lt;b&gt;");
  });

  it("offers a rejected member to apply again", () => {
    const shown = JSON.stringify(homeView("en", member("rejected"), home));
    expect(shown).toContain(t("en", "membership.home.rejected"));
    expect(shown).toContain("open_join");
    expect(shown).not.toContain("home_list");
  });

  it("shows a verified member the lists as before", () => {
    expect(JSON.stringify(homeView("ja", member("verified"), home))).toContain("home_list");
  });
});

describe("the join form", () => {
  it("asks for the employee number and family name only when joining is verified", () => {
    const ids = (verification: boolean, mode: "register" | "edit" = "register") =>
      (
        registrationModal({ mode, locale: "ja", prefill: { locale: "ja" }, verification }) as {
          blocks: { block_id?: string }[];
        }
      ).blocks.map((b) => b.block_id);
    expect(ids(true)).toEqual(expect.arrayContaining(["email", "employeeNumber", "familyName"]));
    expect(ids(false)).not.toContain("employeeNumber");
    expect(ids(true, "edit")).not.toContain("employeeNumber");
  });
});

describe("the decision DM", () => {
  it("welcomes an approved member with what they can do now, in their language", () => {
    const en = joinDecisionDm("en", { number: 7, approved: true, reason: null, reapplyFrom: null });
    expect(en.text).toBe(t("en", "membership.decision.approvedTitle"));
    expect(JSON.stringify(en.blocks)).toContain("/alumni find");
    const ja = joinDecisionDm("ja", { number: 7, approved: true, reason: null, reapplyFrom: null });
    expect(ja.text).toBe("参加申請が承認されました");
  });

  it("gives a rejection's reason (escaped) and when they may apply again", () => {
    const dm = joinDecisionDm("ja", {
      number: 9,
      approved: false,
      reason: "記録なし <!channel>",
      reapplyFrom: "2027-01-05",
    });
    const shown = JSON.stringify(dm.blocks);
    expect(shown).toContain("記録なし &lt;!channel&gt;");
    expect(shown).toContain("2027-01-05");
    expect(shown).not.toContain("<!channel>");
    const again = JSON.stringify(joinDecisionDm("en", { number: 9, approved: false, reason: null, reapplyFrom: null }));
    expect(again).toContain(t("en", "membership.decision.reapply"));
    expect(again).not.toContain("HR's reason");
  });
});
