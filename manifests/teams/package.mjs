#!/usr/bin/env node
// Builds the Teams app package: dist/teams/alumni-bridge-teams.zip with manifest.json, the
// localization files it names (ja-jp.json) and the two icons, all at the zip root.
//
//   MICROSOFT_APP_ID=<Azure Bot app id, a GUID> \
//   TEAMS_APP_WEBSITE_URL=https://... TEAMS_APP_PRIVACY_URL=https://... TEAMS_APP_TERMS_URL=https://... \
//   node manifests/teams/package.mjs [--out <dir>] [--placeholder]
//
// Every {{NAME}} in manifest.json is replaced by the environment variable NAME, which must be
// set and valid (MICROSOFT_APP_ID a GUID, the URLs https). With --placeholder, unset variables
// stay as {{NAME}} (a package for inspection, not for upload). Before writing, the manifest, the
// localization files and the icons are checked against the Teams v1.17 limits; all problems are
// listed and nothing is written when there is any. Upload the zip in Teams admin centre
// (Manage apps → Upload new app) or in Teams (Apps → Manage your apps → Upload an app).
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { decodePng, readPngInfo, writeZip } from "./png-zip.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, "..", "..");
const ZIP_NAME = "alumni-bridge-teams.zip";
const MANIFEST_VERSION = "1.17";

const GUID = /^[0-9a-fA-F]{8}-([0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}$/;
const HTTPS_URL = /^https:\/\/[^\s/]+(\/\S*)?$/;
const SEMVER = /^(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)$/;
const HEX_COLOR = /^#[0-9a-fA-F]{6}$/;
const LANGUAGE_TAG = /^[A-Za-z0-9]{1,8}(-[A-Za-z0-9]{1,8}){0,2}$/;
const PLACEHOLDER = /\{\{([A-Z0-9_]+)\}\}/g;
const SCOPES = new Set(["personal", "team", "groupChat"]);
const PERMISSIONS = new Set(["identity", "messageTeamMembers"]);

/** The placeholders manifest.json may use, and what their values must look like. */
const VARIABLES = {
  MICROSOFT_APP_ID: { test: (v) => GUID.test(v), expect: "the Azure Bot's Microsoft App ID, a GUID" },
  TEAMS_APP_WEBSITE_URL: { test: (v) => HTTPS_URL.test(v), expect: "an https:// URL: the app's website" },
  TEAMS_APP_PRIVACY_URL: { test: (v) => HTTPS_URL.test(v), expect: "an https:// URL: the privacy statement" },
  TEAMS_APP_TERMS_URL: { test: (v) => HTTPS_URL.test(v), expect: "an https:// URL: the terms of use" },
};

const USAGE = `usage: node manifests/teams/package.mjs [--out <dir>] [--placeholder]
  --out <dir>      write <dir>/${ZIP_NAME} (default: dist/teams)
  --placeholder    keep {{NAME}} for unset variables instead of refusing
Variables: ${Object.keys(VARIABLES).join(", ")}`;

function parseArgs(argv) {
  const args = { out: join(root, "dist", "teams"), placeholder: false, help: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === "--placeholder") args.placeholder = true;
    else if (a === "--help" || a === "-h") args.help = true;
    else if (a === "--out") {
      const v = argv[++i];
      if (!v) throw new Error("--out needs a directory");
      args.out = resolve(v);
    } else if (a.startsWith("--out=")) args.out = resolve(a.slice("--out=".length));
    else throw new Error(`unknown argument: ${a}`);
  }
  return args;
}

/** Replace {{NAME}} in the manifest text; returns the text and the problems found. */
function substitute(text, env, placeholder) {
  const problems = [];
  const seen = new Set();
  const out = text.replace(PLACEHOLDER, (whole, name) => {
    const spec = VARIABLES[name];
    if (!spec) {
      if (!seen.has(name)) problems.push(`manifest.json uses {{${name}}}, which this script does not know`);
      seen.add(name);
      return whole;
    }
    const value = env[name]?.trim();
    if (!value) {
      if (!placeholder && !seen.has(name)) problems.push(`${name} is not set: it must be ${spec.expect}`);
      seen.add(name);
      return whole;
    }
    if (!spec.test(value)) {
      if (!seen.has(name)) problems.push(`${name}=${JSON.stringify(value)} is not valid: it must be ${spec.expect}`);
      seen.add(name);
      return whole;
    }
    return JSON.stringify(value).slice(1, -1);
  });
  return { text: out, problems };
}

const isPlaceholder = (v) => typeof v === "string" && /^\{\{[A-Z0-9_]+\}\}$/.test(v);

function checkString(problems, where, value, { max, pattern, expect, allowPlaceholder = false } = {}) {
  if (typeof value !== "string" || value.trim() === "") {
    problems.push(`${where} is missing or empty`);
    return;
  }
  if (allowPlaceholder && isPlaceholder(value)) return;
  if (max !== undefined && [...value].length > max) {
    problems.push(`${where} is ${[...value].length} characters; Teams allows ${max}`);
  }
  if (pattern && !pattern.test(value)) problems.push(`${where} ${JSON.stringify(value)} is not ${expect}`);
}

function checkIcon(problems, dir, file, size, outline) {
  const where = `icon ${file}`;
  const path = join(dir, file);
  if (!existsSync(path)) {
    problems.push(`${where} does not exist next to manifest.json`);
    return undefined;
  }
  const buf = readFileSync(path);
  let info;
  try {
    info = readPngInfo(buf);
  } catch (err) {
    problems.push(`${where}: ${err.message}`);
    return undefined;
  }
  if (info.width !== size || info.height !== size) {
    problems.push(`${where} is ${info.width}×${info.height}; Teams needs ${size}×${size}`);
  }
  if (outline) {
    const hasAlpha = info.colorType === 4 || info.colorType === 6 || info.hasTrns;
    if (!hasAlpha) problems.push(`${where} has no transparency; the outline icon must be white on transparent`);
    else if (info.colorType === 6 && info.bitDepth === 8 && info.interlace === 0) {
      const { rgba } = decodePng(buf);
      let transparent = 0;
      let notWhite = 0;
      for (let i = 0; i < rgba.length; i += 4) {
        if (rgba[i + 3] === 0) transparent++;
        else if (rgba[i] !== 255 || rgba[i + 1] !== 255 || rgba[i + 2] !== 255) notWhite++;
      }
      if (transparent === 0) problems.push(`${where} has no transparent pixel; the background must be transparent`);
      if (notWhite > 0) problems.push(`${where} has ${notWhite} visible pixels that are not white`);
    }
  }
  return buf;
}

function checkManifest(manifest, dir) {
  const problems = [];
  // A {{NAME}} still there was reported by substitute() (or is allowed by --placeholder).
  const allow = true;
  if (manifest.manifestVersion !== MANIFEST_VERSION) {
    problems.push(
      `manifestVersion is ${JSON.stringify(manifest.manifestVersion)}; this package is built for "${MANIFEST_VERSION}"`,
    );
  }
  if (
    typeof manifest.$schema === "string" &&
    !manifest.$schema.endsWith(`/v${MANIFEST_VERSION}/MicrosoftTeams.schema.json`)
  ) {
    problems.push(`$schema ${manifest.$schema} does not match manifestVersion ${MANIFEST_VERSION}`);
  }
  checkString(problems, "version", manifest.version, { max: 256, pattern: SEMVER, expect: "a semver version (1.2.3)" });
  checkString(problems, "id", manifest.id, { pattern: GUID, expect: "a GUID", allowPlaceholder: allow });
  const dev = manifest.developer ?? {};
  checkString(problems, "developer.name", dev.name, { max: 32 });
  for (const key of ["websiteUrl", "privacyUrl", "termsOfUseUrl"]) {
    checkString(problems, `developer.${key}`, dev[key], {
      max: 2048,
      pattern: HTTPS_URL,
      expect: "an https:// URL",
      allowPlaceholder: allow,
    });
  }
  checkString(problems, "name.short", manifest.name?.short, { max: 30 });
  checkString(problems, "name.full", manifest.name?.full, { max: 100 });
  checkString(problems, "description.short", manifest.description?.short, { max: 80 });
  checkString(problems, "description.full", manifest.description?.full, { max: 4000 });
  checkString(problems, "accentColor", manifest.accentColor, { pattern: HEX_COLOR, expect: "a #rrggbb colour" });

  const icons = {};
  if (typeof manifest.icons?.color !== "string" || typeof manifest.icons?.outline !== "string") {
    problems.push("icons.color and icons.outline are required");
  } else {
    icons[manifest.icons.color] = checkIcon(problems, dir, manifest.icons.color, 192, false);
    icons[manifest.icons.outline] = checkIcon(problems, dir, manifest.icons.outline, 32, true);
  }

  const bots = manifest.bots ?? [];
  if (!Array.isArray(bots) || bots.length > 1) problems.push("bots must be an array with at most one bot");
  const commandLists = [];
  for (const [b, bot] of (Array.isArray(bots) ? bots : []).entries()) {
    checkString(problems, `bots[${b}].botId`, bot.botId, { pattern: GUID, expect: "a GUID", allowPlaceholder: allow });
    if (!Array.isArray(bot.scopes) || bot.scopes.length === 0 || bot.scopes.some((s) => !SCOPES.has(s))) {
      problems.push(`bots[${b}].scopes must list some of ${[...SCOPES].join(", ")}`);
    }
    const lists = bot.commandLists ?? [];
    if (lists.length > 3) problems.push(`bots[${b}].commandLists has ${lists.length} lists; Teams allows 3`);
    for (const [l, list] of lists.entries()) {
      const where = `bots[${b}].commandLists[${l}]`;
      if (!Array.isArray(list.scopes) || list.scopes.length === 0 || list.scopes.some((s) => !SCOPES.has(s))) {
        problems.push(`${where}.scopes must list some of ${[...SCOPES].join(", ")}`);
      }
      const commands = Array.isArray(list.commands) ? list.commands : [];
      if (commands.length > 10) problems.push(`${where} has ${commands.length} commands; Teams allows 10 per list`);
      const titles = new Set();
      for (const [c, cmd] of commands.entries()) {
        checkString(problems, `${where}.commands[${c}].title`, cmd.title, { max: 32 });
        checkString(problems, `${where}.commands[${c}].description`, cmd.description, { max: 128 });
        if (titles.has(cmd.title)) problems.push(`${where} lists the command "${cmd.title}" twice`);
        titles.add(cmd.title);
      }
      if (b === 0) commandLists.push(commands.length);
    }
  }
  for (const p of manifest.permissions ?? []) {
    if (!PERMISSIONS.has(p)) problems.push(`permission "${p}" is not one of ${[...PERMISSIONS].join(", ")}`);
  }
  if ((manifest.validDomains ?? []).length > 16) problems.push("validDomains lists more than 16 domains");

  const localizations = {};
  const loc = manifest.localizationInfo;
  if (loc) {
    checkString(problems, "localizationInfo.defaultLanguageTag", loc.defaultLanguageTag, {
      pattern: LANGUAGE_TAG,
      expect: "a language tag",
    });
    for (const [i, lang] of (loc.additionalLanguages ?? []).entries()) {
      const where = `localizationInfo.additionalLanguages[${i}]`;
      checkString(problems, `${where}.languageTag`, lang.languageTag, {
        pattern: LANGUAGE_TAG,
        expect: "a language tag",
      });
      const file = lang.file;
      if (typeof file !== "string" || !existsSync(join(dir, file))) {
        problems.push(`${where}.file ${JSON.stringify(file)} does not exist next to manifest.json`);
        continue;
      }
      const text = readFileSync(join(dir, file), "utf8");
      let strings;
      try {
        strings = JSON.parse(text);
      } catch (err) {
        problems.push(`${file} is not valid JSON: ${err.message}`);
        continue;
      }
      checkLocalization(problems, file, strings, commandLists);
      localizations[file] = Buffer.from(text, "utf8");
    }
  }
  return { problems, icons, localizations };
}

/** Localization files may only override the strings their schema lists, within the same limits. */
function checkLocalization(problems, file, strings, commandLists) {
  const fixed = { "name.short": 30, "name.full": 100, "description.short": 80, "description.full": 4000 };
  for (const key of Object.keys(fixed)) {
    if (strings[key] === undefined) problems.push(`${file} is missing "${key}" (required by the localization schema)`);
  }
  for (const [key, value] of Object.entries(strings)) {
    if (key === "$schema") {
      if (!String(value).endsWith(`/v${MANIFEST_VERSION}/MicrosoftTeams.Localization.schema.json`)) {
        problems.push(`${file}: $schema ${value} does not match manifestVersion ${MANIFEST_VERSION}`);
      }
      continue;
    }
    let max = fixed[key];
    const m = /^bots\[0\]\.commandLists\[(\d+)\]\.commands\[(\d+)\]\.(title|description)$/.exec(key);
    if (m) {
      const [, l, c, field] = m;
      if (Number(c) >= (commandLists[Number(l)] ?? 0)) {
        problems.push(`${file}: "${key}" names a command that manifest.json does not have`);
        continue;
      }
      max = field === "title" ? 32 : 128;
    }
    if (max === undefined) {
      problems.push(`${file}: "${key}" is not a string the localization schema lets this app translate`);
      continue;
    }
    checkString(problems, `${file}: "${key}"`, value, { max });
  }
}

function main() {
  let args;
  try {
    args = parseArgs(process.argv.slice(2));
  } catch (err) {
    console.error(`${err.message}\n${USAGE}`);
    return 2;
  }
  if (args.help) {
    console.log(USAGE);
    return 0;
  }
  const template = readFileSync(join(here, "manifest.json"), "utf8");
  const { text, problems } = substitute(template, process.env, args.placeholder);
  let manifest;
  try {
    manifest = JSON.parse(text);
  } catch (err) {
    console.error(`manifest.json is not valid JSON after substitution: ${err.message}`);
    return 1;
  }
  const checked = checkManifest(manifest, here);
  problems.push(...checked.problems);
  if (problems.length > 0) {
    console.error(`Not building the Teams app package:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    if (problems.some((p) => / is not set: /.test(p))) {
      console.error("Set them in the environment, or pass --placeholder for a package to inspect only.");
    }
    return 1;
  }

  const entries = [
    { name: "manifest.json", data: Buffer.from(text, "utf8") },
    ...Object.entries(checked.localizations).map(([name, data]) => ({ name, data })),
    ...Object.entries(checked.icons).map(([name, data]) => ({ name, data })),
  ];
  mkdirSync(args.out, { recursive: true });
  const zipPath = join(args.out, ZIP_NAME);
  const zip = writeZip(entries);
  writeFileSync(zipPath, zip);
  const remaining = [...new Set([...text.matchAll(PLACEHOLDER)].map((m) => m[0]))];
  console.log(`wrote ${zipPath} (${zip.length} bytes): ${entries.map((e) => e.name).join(", ")}`);
  console.log(`app id ${manifest.id}, version ${manifest.version}`);
  if (remaining.length > 0) console.log(`placeholders left in (not for upload): ${remaining.join(", ")}`);
  return 0;
}

process.exitCode = main();
