// npm run docs:authz — rewrite README.md's "Who may do what" from the authorization matrix.
import { readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { withAuthorizationTable } from "./authorization-readme.js";

const readmePath = fileURLToPath(new URL("../../README.md", import.meta.url));
const before = readFileSync(readmePath, "utf8");
const after = withAuthorizationTable(before);
if (after === before) {
  console.log("README.md: the authorization table is up to date");
} else {
  writeFileSync(readmePath, after);
  console.log("README.md: the authorization table was regenerated");
}
