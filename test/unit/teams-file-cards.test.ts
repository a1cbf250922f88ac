// The roster and join-request cards HR sees: what they show, in the reader's language, with
// every word that came from a file, a form or a person escaped, and buttons only while a
// decision is still open.
import { describe, expect, it } from "vitest";
import type { RosterCandidate } from "../../src/core/members/find-roster-match.js";
import type { RosterPreview } from "../../src/core/roster/preview-roster-import.js";
import type { MessageKey } from "../../src/i18n/index.js";
import { type JoinRequestForCard, joinRequestCard } from "../../src/platforms/teams/cards/join-requests.js";
import {
  type RosterEntry,
  rosterFormCard,
  rosterPreviewCard,
  rosterSearchCard,
} from "../../src/platforms/teams/cards/roster.js";

const EVIL = "[Click](https://evil.example)";
// A message key with a parameter: the reason a line was rejected quotes the file.
const REASON_KEY = "teams.unknownCommand" as MessageKey;

function preview(overrides: Partial<RosterPreview> = {}): RosterPreview {
  const rejected = Array.from({ length: 25 }, (_, i) => ({
    line: i + 2,
    key: REASON_KEY,
    params: { command: i === 0 ? EVIL : `cell${i}` },
  }));
  return {
    importNumber: 7,
    fileName: `${EVIL}.csv`,
    encoding: "shift_jis",
    counts: { new: 120, updated: 3, unchanged: 40, rejected: 25 },
    rejected,
    status: "previewed",
    ...overrides,
  };
}

const json = (value: unknown) => JSON.stringify(value);

describe("the roster preview card", () => {
  it("shows the file, encoding and counts, the first 20 rejected lines, and Import / Cancel", () => {
    const card = json(rosterPreviewCard("en", preview()));
    expect(card).toContain("Roster import #7");
    expect(card).toContain("shift_jis");
    expect(card).toMatch(/"title":"New","value":"120"/);
    expect(card).toMatch(/"title":"Updated","value":"3"/);
    expect(card).toMatch(/"title":"Unchanged","value":"40"/);
    expect(card).toMatch(/"title":"Rejected lines","value":"25"/);
    expect(card).toContain("Line 2:");
    expect(card).toContain("Line 21:");
    expect(card).not.toContain("Line 22:");
    expect(card).toContain("and 5 more");
    expect(card).toContain('{"verb":"roster.import","importNumber":7}');
    expect(card).toContain('{"verb":"roster.cancel","importNumber":7}');
  });

  it("escapes the file name and the quoted cells", () => {
    const card = json(rosterPreviewCard("ja", preview()));
    expect(card).toContain("取り込めない行");
    expect(card).not.toContain("](https://evil.example)");
    expect(card).toContain("Click");
  });

  it("has no buttons once imported or cancelled, and shows the notice", () => {
    for (const status of ["imported", "cancelled"] as const) {
      const card = json(rosterPreviewCard("ja", preview({ status }), { text: "済み" }));
      expect(card).not.toContain("roster.import");
      expect(card).not.toContain("roster.cancel");
      expect(card).toContain("済み");
    }
  });

  it("without rejected lines, no rejected section", () => {
    const card = json(
      rosterPreviewCard("en", preview({ rejected: [], counts: { new: 1, updated: 0, unchanged: 0, rejected: 0 } })),
    );
    expect(card).not.toContain("Line ");
    expect(card).not.toContain("more");
  });
});

describe("roster search and the one-leaver form", () => {
  const entry: RosterEntry = {
    employeeNumber: "E1",
    familyName: EVIL,
    givenName: "太郎",
    familyNameKana: "ヤマダ",
    givenNameKana: "タロウ",
    department: "- 営業部",
    joinedOn: "2015-04-01",
    leftOn: "2023-03-31",
    rehireEligible: false,
    joined: true,
  };

  it("search results show HR's fields escaped", () => {
    const card = json(rosterSearchCard("ja", EVIL, [entry], 20));
    expect(card).not.toContain("](https://evil.example)");
    expect(card).toContain("E1");
    expect(card).toContain("2023-03-31");
    expect(card).toMatch(/"title":"再雇用可","value":"不可"/);
    expect(card).toMatch(/"title":"参加","value":"参加済み"/);
    expect(json(rosterSearchCard("en", "nobody", [], 20))).toContain("No row matches.");
  });

  it("the form has text inputs, two date inputs and the rehire toggle; it keeps values and shows errors", () => {
    const blank = rosterFormCard({ locale: "en" });
    const inputs = (blank.body as { type: string; id?: string }[]).filter((e) => e.type.startsWith("Input."));
    expect(inputs.map((e) => `${e.type}:${e.id}`)).toEqual([
      "Input.Text:employeeNumber",
      "Input.Text:familyName",
      "Input.Text:givenName",
      "Input.Text:familyNameKana",
      "Input.Text:givenNameKana",
      "Input.Text:personalEmail",
      "Input.Text:department",
      "Input.Date:joinedOn",
      "Input.Date:leftOn",
      "Input.Toggle:rehireEligible",
    ]);
    expect(json(blank)).toContain('"verb":"roster.add"');
    const again = json(
      rosterFormCard({
        locale: "en",
        values: { employeeNumber: "E9", leftOn: "2024-01-31", rehireEligible: "false" },
        errors: { familyName: "Required" },
        error: "Check the fields",
      }),
    );
    expect(again).toContain('"value":"E9"');
    expect(again).toContain('"value":"2024-01-31"');
    expect(again).toMatch(/"id":"rehireEligible","title":"Eligible for rehire","value":"false"/);
    expect(again).toContain("Required");
  });
});

describe("the join-request card", () => {
  const candidate: RosterCandidate = {
    entryId: "0b6f2a1c-5d3e-4f7a-8b9c-1d2e3f4a5b6c",
    employeeNumber: "E3001",
    name: "田中 一郎",
    nameKana: "タナカ イチロウ",
    department: EVIL,
    leftOn: "2023-03-31",
    why: ["employee_number"],
  };
  const request: JoinRequestForCard = {
    number: 12,
    status: "pending",
    displayName: EVIL,
    personalEmail: "ichiro@example.com",
    employeeNumber: "E3001",
    familyName: "田仲",
    createdAt: new Date("2025-04-01T01:00:00Z"),
    decidedBy: null,
    decidedAt: null,
    reason: null,
    candidates: [candidate],
  };

  it("pending: what the person entered, the candidates, a link choice (none by default), a reason, Approve / Reject", () => {
    const card = json(joinRequestCard({ locale: "ja", timeZone: "Asia/Tokyo", request }));
    expect(card).toContain("参加申請 #12");
    expect(card).toContain("ichiro@example.com");
    expect(card).toContain("田仲");
    expect(card).toContain("E3001");
    expect(card).toContain("一致: 社員番号");
    expect(card).toMatch(/"id":"rosterEntryId".*"style":"compact","value":"none"/);
    expect(card).toContain(`"value":"${candidate.entryId}"`);
    expect(card).toContain('"id":"reason"');
    expect(card).toContain('{"verb":"joinRequest.approve","requestNumber":12}');
    expect(card).toContain('{"verb":"joinRequest.reject","requestNumber":12}');
    expect(card).not.toContain("](https://evil.example)");
  });

  it("without candidates: says so and offers no link choice", () => {
    const card = json(
      joinRequestCard({ locale: "en", timeZone: "Asia/Tokyo", request: { ...request, candidates: [] } }),
    );
    expect(card).toContain("No roster row is close.");
    expect(card).not.toContain("rosterEntryId");
    expect(card).toContain("joinRequest.approve");
  });

  it("decided: shows the decision, who made it and the reason, with no buttons or inputs", () => {
    const decided = {
      ...request,
      status: "rejected" as const,
      decidedBy: "Jun HR",
      decidedAt: new Date("2025-04-02T01:00:00Z"),
      reason: EVIL,
    };
    const card = json(joinRequestCard({ locale: "en", timeZone: "Asia/Tokyo", request: decided }));
    expect(card).toMatch(/"title":"Status","value":"Rejected"/);
    expect(card).toMatch(/"title":"Decided by","value":"Jun HR"/);
    expect(card).not.toContain("joinRequest.approve");
    expect(card).not.toContain("Input.");
    expect(card).not.toContain("](https://evil.example)");
  });
});
