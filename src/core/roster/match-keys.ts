// How matching compares what a person types with HR's roster. One place, so that the keys
// stored with a roster row (roster_entries.email_keys, name_keys) and the keys computed
// from a join form are always made the same way.
//
// - Email: NFKC (full-width Ｔａｒｏ＠ｅｘａｍｐｌｅ．ｃｏｍ becomes ASCII), trimmed, lower case.
// - Family name: NFKC (half-width ｶﾀｶﾅ becomes full-width), every space removed (including
//   U+3000), katakana folded to hiragana (ヤマダ = やまだ), lower case (Latin names), and the
//   old/variant kanji HR systems commonly hold folded to their common form (髙 = 高, 﨑 = 崎).
//   Kanji and kana are both stored, so either matches.
// - Employee number: NFKC, trimmed, upper case.

/** Variant kanji that HRIS exports keep (IBM extension characters in CP932) and people type as the common form. */
const KANJI_VARIANTS: Readonly<Record<string, string>> = {
  髙: "高",
  﨑: "崎",
  德: "徳",
  濵: "浜",
  邉: "辺",
  邊: "辺",
  齋: "斎",
  齊: "斉",
  澤: "沢",
  嶋: "島",
  廣: "広",
  國: "国",
  櫻: "桜",
  瀨: "瀬",
};

export function emailKey(email: string | null | undefined): string | null {
  if (!email) return null;
  const key = email.normalize("NFKC").trim().toLowerCase();
  return key.includes("@") ? key : null;
}

export function nameKey(name: string | null | undefined): string | null {
  if (!name) return null;
  let key = name
    .normalize("NFKC")
    .replace(/[\s\u3000]+/gu, "")
    .toLowerCase();
  // Katakana (U+30A1–U+30F6) to hiragana (U+3041–U+3096).
  key = key.replace(/[\u30a1-\u30f6]/gu, (c) => String.fromCharCode(c.charCodeAt(0) - 0x60));
  key = [...key].map((c) => KANJI_VARIANTS[c] ?? c).join("");
  return key.length > 0 ? key : null;
}

export function employeeNumberKey(value: string | null | undefined): string | null {
  if (!value) return null;
  const key = value.normalize("NFKC").trim().toUpperCase();
  return key.length > 0 ? key : null;
}

/**
 * The keys stored with a roster row. Only the personal email: the work email no longer reaches
 * the person, and colleagues can guess it, so typing it must not verify anyone.
 */
export function rosterKeys(row: {
  personalEmail?: string | null;
  familyName?: string | null;
  familyNameKana?: string | null;
}): { emailKeys: string[]; nameKeys: string[] } {
  const unique = (values: (string | null)[]) => [...new Set(values.filter((v): v is string => v !== null))];
  return {
    emailKeys: unique([emailKey(row.personalEmail)]),
    nameKeys: unique([nameKey(row.familyName), nameKey(row.familyNameKana)]),
  };
}
