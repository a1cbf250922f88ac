// The profile a member enters, validated once in the core; its errors, localized.
import { describe, expect, it } from "vitest";
import { AppError, fieldError } from "../../src/core/errors.js";
import { parseProfileInput } from "../../src/core/members/profile-input.js";
import { t } from "../../src/i18n/index.js";

const base = { displayName: "Taro", email: "taro@example.com", locale: "ja" };

/** The AppError thrown by `fn`, or a failure if it did not throw one. */
function appErrorOf(fn: () => unknown): AppError {
  try {
    fn();
  } catch (err) {
    if (err instanceof AppError) return err;
    throw err;
  }
  throw new Error("expected an AppError");
}

function problems(input: Record<string, unknown>) {
  const err = appErrorOf(() => parseProfileInput({ ...base, ...input }));
  expect(err.code).toBe("validation");
  return err.fields;
}

function isoDay(offsetDays: number): string {
  return new Date(Date.now() + offsetDays * 86_400_000).toISOString().slice(0, 10);
}

describe("parseProfileInput", () => {
  it("accepts the minimum and fills defaults", () => {
    expect(parseProfileInput(base)).toEqual({
      displayName: "Taro",
      email: "taro@example.com",
      department: null,
      joinedYear: null,
      leftYear: null,
      leftOn: null,
      currentEmployer: null,
      title: null,
      skills: [],
      interests: [],
      directoryFields: [],
      hrFields: [],
      locale: "ja",
    });
  });

  it("splits skills on , 、 ， and newlines, trims them and drops empty ones", () => {
    const p = parseProfileInput({ ...base, skills: " TypeScript ,法人営業、採用，SQL\nGo\n\n, ,、" });
    expect(p.skills).toEqual(["TypeScript", "法人営業", "採用", "SQL", "Go"]);
  });

  it("deduplicates skills case-insensitively, keeping the first spelling", () => {
    expect(parseProfileInput({ ...base, skills: "Go, go ,GO、Rust，rust" }).skills).toEqual(["Go", "Rust"]);
    expect(parseProfileInput({ ...base, skills: ["SQL", " sql", "Sql "] }).skills).toEqual(["SQL"]);
  });

  it("allows 20 distinct skills, not 21", () => {
    const skills = (n: number) => Array.from({ length: n }, (_, i) => `skill${i}`);
    expect(parseProfileInput({ ...base, skills: skills(20).join(",") }).skills).toHaveLength(20);
    // Duplicates are dropped before counting.
    expect(parseProfileInput({ ...base, skills: [...skills(20), "SKILL0"].join(",") }).skills).toHaveLength(20);
    expect(problems({ skills: skills(21).join("、") })).toEqual({
      skills: { key: "validation.tooMany", params: { max: 20 } },
    });
  });

  it("limits each skill to 40 characters", () => {
    expect(problems({ skills: `ok, ${"x".repeat(41)}` })).toEqual({
      skills: { key: "validation.tooLong", params: { max: 40 } },
    });
  });

  it("reads years from numbers or strings, and blank as none", () => {
    const p = parseProfileInput({ ...base, joinedYear: " 2010 ", leftYear: 2015 });
    expect(p.joinedYear).toBe(2010);
    expect(p.leftYear).toBe(2015);
    expect(parseProfileInput({ ...base, joinedYear: "", leftYear: null }).joinedYear).toBeNull();
  });

  it("refuses years outside 1950..this year", () => {
    const max = new Date().getUTCFullYear();
    for (const year of [1949, max + 1, "2010.5", 2010.5, "abc", "-2000"]) {
      expect(problems({ joinedYear: year }), String(year)).toEqual({
        joinedYear: { key: "validation.year", params: { min: 1950, max } },
      });
    }
    expect(parseProfileInput({ ...base, joinedYear: 1950, leftYear: max }).leftYear).toBe(max);
  });

  it("refuses a leaving year before the joining year", () => {
    expect(problems({ joinedYear: 2015, leftYear: 2014 })).toEqual({
      leftYear: { key: "validation.leftBeforeJoined" },
    });
    expect(parseProfileInput({ ...base, joinedYear: 2015, leftYear: 2015 }).leftYear).toBe(2015);
  });

  it("refuses a leaving date in the future, accepts today", () => {
    expect(problems({ leftOn: isoDay(1) })).toEqual({ leftOn: { key: "validation.dateInFuture" } });
    expect(
      parseProfileInput({ ...base, leftOn: isoDay(0) })
        .leftOn?.toISOString()
        .slice(0, 10),
    ).toBe(isoDay(0));
  });

  it("refuses a date that is not a real YYYY-MM-DD day", () => {
    for (const leftOn of ["2024-02-30", "2024-13-01", "2024/03/31", "31.03.2024"]) {
      expect(problems({ leftOn }), leftOn).toEqual({ leftOn: { key: "validation.invalid" } });
    }
  });

  it("refuses a leaving date whose year is not the leaving year", () => {
    expect(problems({ leftYear: 2021, leftOn: "2020-03-31" })).toEqual({ leftOn: { key: "validation.leftOnYear" } });
    const p = parseProfileInput({ ...base, leftYear: 2020, leftOn: "2020-03-31" });
    expect(p.leftOn).toEqual(new Date("2020-03-31T00:00:00.000Z"));
  });

  it("refuses a malformed email, and a missing one as required", () => {
    for (const email of ["not-an-email", "taro@", "@example.com", "ta ro@example.com"]) {
      expect(problems({ email }), email).toEqual({ email: { key: "validation.email" } });
    }
    expect(problems({ email: "  " })).toEqual({ email: { key: "validation.required" } });
    expect(parseProfileInput({ ...base, email: " taro@example.com " }).email).toBe("taro@example.com");
  });

  it("refuses control characters in one-line text", () => {
    for (const displayName of ["Ta\u0007ro", "Ta\nro", "Ta\tro", "Ta\u007fro", "Ta\u0000ro"]) {
      expect(problems({ displayName }), JSON.stringify(displayName)).toEqual({
        displayName: { key: "validation.control" },
      });
    }
    expect(problems({ department: "Sales\r\nMarketing" })).toEqual({ department: { key: "validation.control" } });
    // Leading and trailing whitespace, newlines included, is trimmed first.
    expect(parseProfileInput({ ...base, displayName: "\n Taro \t" }).displayName).toBe("Taro");
  });

  it("NFC-normalises text without folding compatibility characters", () => {
    const p = parseProfileInput({
      ...base,
      displayName: "ﾃｽﾄ",
      department: "か\u3099いこく",
      skills: "か\u3099, が",
    });
    expect(p.displayName).toBe("ﾃｽﾄ");
    expect(p.department).toBe("がいこく");
    expect(p.skills).toEqual(["が"]);
  });

  it("names every bad field at once", () => {
    expect(problems({ displayName: " ", email: "nope", joinedYear: 1900, interests: ["spam"] })).toEqual({
      displayName: { key: "validation.required" },
      email: { key: "validation.email" },
      joinedYear: { key: "validation.year", params: { min: 1950, max: new Date().getUTCFullYear() } },
      interests: { key: "validation.invalid" },
    });
  });
});

describe("AppError.localized for validation errors", () => {
  const error = () =>
    appErrorOf(() => parseProfileInput({ ...base, displayName: "", email: "nope", joinedYear: 1900 }));
  const max = new Date().getUTCFullYear();

  it("names each field with its Japanese label", () => {
    const details = [
      `表示名: ${t("ja", "validation.required")}`,
      `メールアドレス: ${t("ja", "validation.email")}`,
      `入社年: ${t("ja", "validation.year", { min: 1950, max })}`,
    ].join("、");
    const text = error().localized("ja");
    expect(text).toBe(t("ja", "error.validation", { details }));
    expect(text).toContain(`1950 年から ${max} 年まで`);
    expect(text).not.toMatch(/displayName|email|joinedYear|\{/);
  });

  it("names each field with its English label", () => {
    const details = [
      `Display name: ${t("en", "validation.required")}`,
      `Email: ${t("en", "validation.email")}`,
      `Year joined: ${t("en", "validation.year", { min: 1950, max })}`,
    ].join("; ");
    const text = error().localized("en");
    expect(text).toBe(t("en", "error.validation", { details }));
    expect(text).not.toMatch(/displayName|joinedYear|\{/);
  });

  it("gives each field its own message for a form", () => {
    expect(error().localizedFields("en")).toEqual({
      displayName: t("en", "validation.required"),
      email: t("en", "validation.email"),
      joinedYear: t("en", "validation.year", { min: 1950, max }),
    });
  });

  it("falls back to the field's name when it has no label", () => {
    expect(fieldError("mystery", "validation.invalid").localized("en")).toBe(
      t("en", "error.validation", { details: `mystery: ${t("en", "validation.invalid")}` }),
    );
  });
});
