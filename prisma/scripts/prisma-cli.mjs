#!/usr/bin/env node
// Run the app's Prisma 7 CLI offline, for the commands that work without a schema
// engine: `generate` (npm run db:generate, and postinstall after `npm ci`) and
// `format` (npm run db:format; `format --check` in npm run lint).
//
// Prisma's CLI wants a native schema engine binary and downloads one when it is
// missing; that fails without internet. `generate` and `format` do not actually
// use it, so we point PRISMA_SCHEMA_ENGINE_BINARY at an existing file. /bin/false is
// deliberate: if anything did try to run it (e.g. `migrate deploy`) it would fail
// loudly instead of printing success and applying nothing, as /bin/true does.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const cli = join(root, "node_modules", "prisma", "build", "index.js");
if (!existsSync(cli)) {
  console.error("prisma-cli: the prisma CLI is not installed (run `npm ci` first)");
  process.exit(1);
}

const env = {
  ...process.env,
  PRISMA_HIDE_UPDATE_MESSAGE: "1",
  CHECKPOINT_DISABLE: "1",
  PRISMA_SCHEMA_ENGINE_BINARY:
    process.env.PRISMA_SCHEMA_ENGINE_BINARY || (existsSync("/bin/false") ? "/bin/false" : process.execPath),
};
const args = process.argv.slice(2);
if (!["generate", "format"].includes(args[0] ?? "")) {
  console.error("usage: node prisma/scripts/prisma-cli.mjs generate | format [--check]");
  process.exit(2);
}
const result = spawnSync(process.execPath, [cli, ...args], { cwd: root, env, stdio: "inherit" });
process.exit(result.status ?? 1);
