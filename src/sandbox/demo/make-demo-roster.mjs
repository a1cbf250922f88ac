#!/usr/bin/env node
// Writes smarthr-leavers.csv next to this script: a SmartHR-style export of leavers, in
// Shift_JIS (CP932) with CRLF line ends, as SmartHR's "CSV (Shift_JIS)" download gives it.
// The playground's "Upload the demo roster" button sends this file to the bot in Teams.
//
// Who is in it, for the playground's Slack personas:
// - 佐藤 花子 (U0SANDBOX1): her personal email is listed, so joining with it verifies her at once;
// - 鈴木 健二 (U0SANDBOX3): no email, but employee number 10342 with the family name 鈴木 (or すずき) verifies him;
// - Alex Morgan (U0SANDBOX2) is not in it: his join waits for HR's approval in Teams.
// Others show what the importer reads: 髙 and 﨑 (CP932's IBM extension characters), wareki
// dates, a rehire-ineligible leaver, a department with a comma (quoted).
//
// Run: node src/sandbox/demo/make-demo-roster.mjs
import { writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import iconv from "iconv-lite";

const header = [
  "社員番号",
  "姓",
  "名",
  "姓(ヨミガナ)",
  "名(ヨミガナ)",
  "メールアドレス",
  "個人メールアドレス",
  "入社年月日",
  "退職年月日",
  "部署",
  "再雇用可否",
];
const rows = [
  [
    "10231",
    "佐藤",
    "花子",
    "サトウ",
    "ハナコ",
    "hanako.sato@corp.example",
    "hanako.sato@example.jp",
    "2015/04/01",
    "2024/03/31",
    "営業本部",
    "可",
  ],
  [
    "10342",
    "鈴木",
    "健二",
    "スズキ",
    "ケンジ",
    "kenji.suzuki@corp.example",
    "",
    "H27.4.1",
    "令和5年9月30日",
    "開発部",
    "可",
  ],
  [
    "10415",
    "髙橋",
    "優子",
    "タカハシ",
    "ユウコ",
    "yuko.takahashi@corp.example",
    "yuko.t@example.net",
    "2012/10/01",
    "2023/12/31",
    "人事部",
    "可",
  ],
  [
    "10502",
    "山﨑",
    "大輔",
    "ヤマサキ",
    "ダイスケ",
    "daisuke.yamasaki@corp.example",
    "",
    "平成30年4月1日",
    "R6.6.30",
    "製造部, 品質管理課",
    "不可",
  ],
  [
    "10677",
    "田中",
    "美咲",
    "タナカ",
    "ミサキ",
    "misaki.tanaka@corp.example",
    "misaki.tanaka@example.org",
    "2019-07-01",
    "2025-01-31",
    "マーケティング部",
    "",
  ],
];
const quote = (cell) => (/[",\r\n]/.test(cell) ? `"${cell.replaceAll('"', '""')}"` : cell);
const text = `${[header, ...rows].map((r) => r.map(quote).join(",")).join("\r\n")}\r\n`;
const out = join(dirname(fileURLToPath(import.meta.url)), "smarthr-leavers.csv");
writeFileSync(out, iconv.encode(text, "cp932"));
console.log(`wrote ${out}`);
