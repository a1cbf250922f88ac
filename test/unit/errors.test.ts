import { describe, expect, it } from "vitest";
import { AppError, ERROR_CODES, toAppError } from "../../src/core/errors.js";
import { en } from "../../src/i18n/en.js";
import { LOCALES, t } from "../../src/i18n/index.js";
import { ja } from "../../src/i18n/ja.js";

describe("errors and messages", () => {
  it("every error code has a non-empty ja and en message", () => {
    for (const code of ERROR_CODES) {
      for (const locale of LOCALES) {
        const text = new AppError(code).localized(locale);
        expect(text.length, `${locale} ${code}`).toBeGreaterThan(0);
      }
    }
    expect(Object.keys(en).sort()).toEqual(Object.keys(ja).sort());
  });

  it("fills parameters and leaves a missing one visible", () => {
    expect(t("en", "error.not_found", { thing: "Posting 12" })).toBe("Posting 12 was not found.");
    expect(t("ja", "error.not_found", { thing: "求人 12" })).toBe("求人 12 が見つかりません。");
    expect(t("en", "error.not_found")).toBe("{thing} was not found.");
  });

  it("turns an unexpected failure into an internal error with a reference, hiding its text", () => {
    const err = toAppError(new Error("connection string postgres://secret"), "abc123");
    expect(err.code).toBe("internal");
    expect(err.localized("ja")).toContain("abc123");
    expect(err.localized("en")).not.toContain("secret");
    const own = new AppError("forbidden");
    expect(toAppError(own, "x")).toBe(own);
  });
});
