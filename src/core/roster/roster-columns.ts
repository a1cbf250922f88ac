// Which column of an HRIS export holds what. Header cells are compared after NFKC (full-width
// （ヨミガナ） and ＥＭＰＬＯＹＥＥ become half-width), trimming, removing spaces and lower-casing,
// so "Employee Number", "employee  number" and "ＥｍｐｌｏｙｅｅＮｕｍｂｅｒ" are one header.
//
// Sources: SmartHR's employee CSV (社員番号, 姓, 名, 姓(ヨミガナ), 名(ヨミガナ), メールアドレス = the
// WORK email, 入社年月日, 退職年月日, 部署), jinjer (社員番号, 職場氏名(氏), 職場氏名(名), 退職年月日,
// 退職区分), カオナビ (氏名 and フリガナ as one cell each, split on the first space; 入社日, 退職日),
// and English exports (Workday, BambooHR, HiBob style).

export const ROSTER_FIELDS = [
  "employeeNumber",
  "familyName",
  "givenName",
  "fullName",
  "familyNameKana",
  "givenNameKana",
  "fullNameKana",
  "workEmail",
  "personalEmail",
  "department",
  "joinedOn",
  "leftOn",
  "leaveReason",
  "rehireEligible",
] as const;
export type RosterField = (typeof ROSTER_FIELDS)[number];

const HEADERS: Readonly<Record<RosterField, readonly string[]>> = {
  employeeNumber: [
    "社員番号",
    "従業員番号",
    "社員コード",
    "従業員コード",
    "社員no",
    "社員no.",
    "employeenumber",
    "employeeid",
    "employeeno",
    "employeeno.",
    "employee#",
    "empid",
    "staffid",
    "staffnumber",
  ],
  familyName: ["姓", "氏", "職場氏名(氏)", "戸籍氏名(氏)", "lastname", "familyname", "surname"],
  givenName: ["名", "職場氏名(名)", "戸籍氏名(名)", "firstname", "givenname"],
  // Japanese only: an English "Name" cell is usually "Given Family", which a split would get wrong.
  fullName: ["氏名", "職場氏名", "名前", "社員名", "従業員名"],
  familyNameKana: [
    "姓(ヨミガナ)",
    "姓(フリガナ)",
    "姓(カナ)",
    "姓(よみがな)",
    "姓(ふりがな)",
    "セイ",
    "姓カナ",
    "姓フリガナ",
    "職場氏名(氏)(フリガナ)",
    "職場氏名(氏)(カナ)",
    "職場氏名カナ(氏)",
    "職場氏名フリガナ(氏)",
    "lastnamekana",
    "familynamekana",
    "lastname(kana)",
    "familyname(kana)",
  ],
  givenNameKana: [
    "名(ヨミガナ)",
    "名(フリガナ)",
    "名(カナ)",
    "名(よみがな)",
    "名(ふりがな)",
    "メイ",
    "名カナ",
    "名フリガナ",
    "職場氏名(名)(フリガナ)",
    "職場氏名(名)(カナ)",
    "職場氏名カナ(名)",
    "職場氏名フリガナ(名)",
    "firstnamekana",
    "givennamekana",
    "firstname(kana)",
    "givenname(kana)",
  ],
  fullNameKana: [
    "フリガナ",
    "ヨミガナ",
    "ふりがな",
    "よみがな",
    "カナ氏名",
    "氏名カナ",
    "氏名(フリガナ)",
    "氏名(ヨミガナ)",
    "氏名(カナ)",
    "職場氏名(フリガナ)",
    "職場氏名(カナ)",
    "職場氏名カナ",
    "職場氏名フリガナ",
    "namekana",
    "fullnamekana",
  ],
  workEmail: [
    "メールアドレス",
    "会社メールアドレス",
    "社用メールアドレス",
    "業務用メールアドレス",
    "email",
    "e-mail",
    "emailaddress",
    "workemail",
    "workemailaddress",
    "businessemail",
  ],
  personalEmail: [
    "個人メールアドレス",
    "連絡先メールアドレス",
    "私用メールアドレス",
    "プライベートメールアドレス",
    "個人用メールアドレス",
    "personalemail",
    "personalemailaddress",
    "privateemail",
    "homeemail",
  ],
  department: ["部署", "所属", "部門", "所属部署", "所属部門", "department", "dept", "division"],
  joinedOn: ["入社年月日", "入社日", "hiredate", "startdate", "dateofhire", "joineddate", "joindate"],
  leftOn: [
    "退職年月日",
    "退職日",
    "terminationdate",
    "leavedate",
    "leavingdate",
    "separationdate",
    "enddate",
    "lastday",
  ],
  leaveReason: [
    "退職区分",
    "退職理由",
    "退職事由",
    "terminationreason",
    "leavereason",
    "reasonforleaving",
    "terminationtype",
  ],
  rehireEligible: [
    "再雇用可否",
    "再雇用",
    "再入社可否",
    "rehireeligible",
    "rehireeligibility",
    "eligibleforrehire",
    "rehire",
  ],
};

/** The comparable form of a header cell. */
export function headerKey(cell: string): string {
  return cell.normalize("NFKC").replace(/\s+/g, "").toLowerCase();
}

const FIELD_BY_HEADER = new Map<string, RosterField>(
  ROSTER_FIELDS.flatMap((field) => HEADERS[field].map((h) => [headerKey(h), field] as const)),
);

export interface ColumnMap {
  /** Field → index of its column (the first such column when a file repeats one). */
  index: Partial<Record<RosterField, number>>;
  /** Field → its header cell as written in the file (for reasons that name a column). */
  headers: Partial<Record<RosterField, string>>;
  /** The recognised header cells, as written in the file, in file order. */
  recognised: string[];
}

export function mapColumns(header: readonly string[]): ColumnMap {
  const index: Partial<Record<RosterField, number>> = {};
  const headers: Partial<Record<RosterField, string>> = {};
  const recognised: string[] = [];
  header.forEach((cell, i) => {
    const field = FIELD_BY_HEADER.get(headerKey(cell));
    if (!field || index[field] !== undefined) return;
    index[field] = i;
    headers[field] = cell.trim();
    recognised.push(cell.trim());
  });
  return { index, headers, recognised };
}

/** True when the header has what every row needs: an employee number, a family name (any form) and a leave date. */
export function hasRequiredColumns(map: ColumnMap): boolean {
  const has = (f: RosterField) => map.index[f] !== undefined;
  const name = has("familyName") || has("fullName") || has("familyNameKana") || has("fullNameKana");
  return has("employeeNumber") && name && has("leftOn");
}

/** "山田 太郎" → ["山田", "太郎"]; one word → [word, null]. Split on the first space (half- or full-width). */
export function splitFullName(value: string | null): [string | null, string | null] {
  if (!value) return [null, null];
  const match = /^(\S+)[\s\u3000]+(.+)$/u.exec(value.trim());
  if (!match) return [value.trim() || null, null];
  return [match[1] as string, (match[2] as string).trim() || null];
}

const REHIRE_YES = new Set(["可", "○", "〇", "◯", "はい", "yes", "y", "true", "1", "可能", "eligible"]);
const REHIRE_NO = new Set([
  "不可",
  "×",
  "✕",
  "✖",
  "x",
  "いいえ",
  "no",
  "n",
  "false",
  "0",
  "不可能",
  "noteligible",
  "ineligible",
]);

/** 再雇用可否 as a boolean; null for an empty cell; "invalid" for anything else. */
export function parseRehire(value: string | null | undefined): boolean | null | "invalid" {
  const key = (value ?? "").normalize("NFKC").replace(/\s+/g, "").toLowerCase();
  if (key === "") return null;
  if (REHIRE_YES.has(key)) return true;
  if (REHIRE_NO.has(key)) return false;
  return "invalid";
}
