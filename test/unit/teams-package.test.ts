// The Teams app package: manifests/teams/package.mjs builds a zip Teams accepts, or refuses.
// The zip and PNGs are read here with an independent reader (node:zlib's crc32/inflate).
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { crc32, inflateRawSync, inflateSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const ROOT = join(import.meta.dirname, "..", "..");
const SCRIPT = join(ROOT, "manifests", "teams", "package.mjs");
const SOURCE = join(ROOT, "manifests", "teams");
const APP_ID = "6f1c2b3a-4d5e-4f60-8a7b-9c0d1e2f3a4b";
const URLS = {
  TEAMS_APP_WEBSITE_URL: "https://alumni.example.co.jp/",
  TEAMS_APP_PRIVACY_URL: "https://alumni.example.co.jp/privacy",
  TEAMS_APP_TERMS_URL: "https://alumni.example.co.jp/terms",
};

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

function run(env: Record<string, string>, args: string[] = []) {
  const out = mkdtempSync(join(tmpdir(), "teams-pkg-"));
  dirs.push(out);
  const res = spawnSync(process.execPath, [SCRIPT, "--out", out, ...args], {
    cwd: ROOT,
    env: { PATH: process.env.PATH, ...env },
    encoding: "utf8",
  });
  const zipPath = join(out, "alumni-bridge-teams.zip");
  return { status: res.status, stdout: res.stdout, stderr: res.stderr, zipPath };
}

/** Reads a zip through its central directory, checking each entry's CRC and size. */
function readZip(buf: Buffer): Map<string, Buffer> {
  let eocd = -1;
  for (let i = buf.length - 22; i >= 0; i--) {
    if (buf.readUInt32LE(i) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw new Error("no end of central directory");
  const count = buf.readUInt16LE(eocd + 10);
  let p = buf.readUInt32LE(eocd + 16);
  const files = new Map<string, Buffer>();
  for (let n = 0; n < count; n++) {
    if (buf.readUInt32LE(p) !== 0x02014b50) throw new Error("bad central directory entry");
    const method = buf.readUInt16LE(p + 10);
    const crc = buf.readUInt32LE(p + 16);
    const compressedSize = buf.readUInt32LE(p + 20);
    const size = buf.readUInt32LE(p + 24);
    const nameLen = buf.readUInt16LE(p + 28);
    const extraLen = buf.readUInt16LE(p + 30);
    const commentLen = buf.readUInt16LE(p + 32);
    const localOffset = buf.readUInt32LE(p + 42);
    const name = buf.toString("utf8", p + 46, p + 46 + nameLen);
    p += 46 + nameLen + extraLen + commentLen;

    if (buf.readUInt32LE(localOffset) !== 0x04034b50) throw new Error(`bad local header for ${name}`);
    const localName = buf.toString("utf8", localOffset + 30, localOffset + 30 + buf.readUInt16LE(localOffset + 26));
    expect(localName).toBe(name);
    expect(buf.readUInt32LE(localOffset + 14)).toBe(crc);
    const dataStart = localOffset + 30 + buf.readUInt16LE(localOffset + 26) + buf.readUInt16LE(localOffset + 28);
    const raw = buf.subarray(dataStart, dataStart + compressedSize);
    expect(method).toBe(8);
    const data = inflateRawSync(raw);
    expect(data.length).toBe(size);
    expect(crc32(data)).toBe(crc);
    files.set(name, data);
  }
  return files;
}

interface Png {
  width: number;
  height: number;
  colorType: number;
  rgba?: Uint8Array;
}

/** IHDR, and the pixels of 8-bit RGBA images (all five filters undone). */
function readPng(buf: Buffer): Png {
  expect(buf.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
  expect(buf.toString("ascii", 12, 16)).toBe("IHDR");
  const width = buf.readUInt32BE(16);
  const height = buf.readUInt32BE(20);
  const depth = buf[24];
  const colorType = buf[25] ?? -1;
  const idat: Buffer[] = [];
  for (let off = 8; off < buf.length; ) {
    const len = buf.readUInt32BE(off);
    const type = buf.toString("ascii", off + 4, off + 8);
    expect(crc32(buf.subarray(off + 4, off + 8 + len))).toBe(buf.readUInt32BE(off + 8 + len));
    if (type === "IDAT") idat.push(buf.subarray(off + 8, off + 8 + len));
    off += 12 + len;
  }
  if (depth !== 8 || colorType !== 6) return { width, height, colorType };
  const raw = inflateSync(Buffer.concat(idat));
  const stride = width * 4;
  const px = new Uint8Array(stride * height);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)];
    for (let x = 0; x < stride; x++) {
      const a = x >= 4 ? (px[y * stride + x - 4] ?? 0) : 0;
      const b = y > 0 ? (px[(y - 1) * stride + x] ?? 0) : 0;
      const c = x >= 4 && y > 0 ? (px[(y - 1) * stride + x - 4] ?? 0) : 0;
      const paeth = () => {
        const p = a + b - c;
        const [pa, pb, pc] = [Math.abs(p - a), Math.abs(p - b), Math.abs(p - c)];
        return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
      };
      const predictor = [0, a, b, (a + b) >> 1, paeth()][filter ?? 0] ?? 0;
      px[y * stride + x] = ((raw[y * (stride + 1) + 1 + x] ?? 0) + predictor) & 0xff;
    }
  }
  return { width, height, colorType, rgba: px };
}

describe("Teams app package", () => {
  let built: ReturnType<typeof run>;
  beforeAll(() => {
    built = run({ MICROSOFT_APP_ID: APP_ID, ...URLS });
  });

  it("builds a zip with the manifest, the Japanese strings and both icons at the root", () => {
    expect(built.stderr).toBe("");
    expect(built.status).toBe(0);
    expect(built.stdout).toContain(built.zipPath);
    const files = readZip(readFileSync(built.zipPath));
    expect([...files.keys()].sort()).toEqual(["color.png", "ja-jp.json", "manifest.json", "outline.png"]);
    expect(files.get("ja-jp.json")?.toString("utf8")).toBe(readFileSync(join(SOURCE, "ja-jp.json"), "utf8"));
    expect(files.get("color.png")).toEqual(readFileSync(join(SOURCE, "color.png")));
  });

  it("puts the app id in the manifest and the bot, and the developer URLs", () => {
    const text = readZip(readFileSync(built.zipPath)).get("manifest.json")?.toString("utf8") ?? "";
    expect(text).not.toContain("{{");
    const manifest = JSON.parse(text);
    expect(manifest.id).toBe(APP_ID);
    expect(manifest.bots[0].botId).toBe(APP_ID);
    expect(manifest.developer).toMatchObject({
      websiteUrl: URLS.TEAMS_APP_WEBSITE_URL,
      privacyUrl: URLS.TEAMS_APP_PRIVACY_URL,
      termsOfUseUrl: URLS.TEAMS_APP_TERMS_URL,
    });
    expect(manifest.manifestVersion).toBe("1.17");
    expect(manifest.localizationInfo.additionalLanguages).toEqual([{ languageTag: "ja-jp", file: "ja-jp.json" }]);
  });

  it("has a 192×192 colour icon and a 32×32 white-on-transparent outline icon", () => {
    const files = readZip(readFileSync(built.zipPath));
    const color = readPng(files.get("color.png") as Buffer);
    expect([color.width, color.height]).toEqual([192, 192]);
    const outline = readPng(files.get("outline.png") as Buffer);
    expect([outline.width, outline.height, outline.colorType]).toEqual([32, 32, 6]);
    const px = outline.rgba as Uint8Array;
    let transparent = 0;
    let opaque = 0;
    for (let i = 0; i < px.length; i += 4) {
      if (px[i + 3] === 0) transparent++;
      else expect([px[i], px[i + 1], px[i + 2]]).toEqual([255, 255, 255]);
      if (px[i + 3] === 255) opaque++;
    }
    expect(transparent).toBeGreaterThan(32 * 32 * 0.3);
    expect(opaque).toBeGreaterThan(32 * 4);
  });

  it.skipIf(!existsSync("/usr/bin/unzip"))("is a zip unzip accepts", () => {
    const res = spawnSync("/usr/bin/unzip", ["-t", built.zipPath], { encoding: "utf8" });
    expect(res.stdout).toContain("No errors detected");
    expect(res.status).toBe(0);
  });

  it("refuses without MICROSOFT_APP_ID, or with one that is not a GUID, and writes nothing", () => {
    const missing = run({ ...URLS });
    expect(missing.status).toBe(1);
    expect(missing.stderr).toContain("MICROSOFT_APP_ID is not set");
    expect(missing.stderr).toContain("--placeholder");
    expect(existsSync(missing.zipPath)).toBe(false);

    const bad = run({ MICROSOFT_APP_ID: "alumni-bridge-bot", ...URLS });
    expect(bad.status).toBe(1);
    expect(bad.stderr).toContain('MICROSOFT_APP_ID="alumni-bridge-bot" is not valid');
    expect(existsSync(bad.zipPath)).toBe(false);
  });

  it("refuses developer URLs that are missing or not https", () => {
    const res = run({
      MICROSOFT_APP_ID: APP_ID,
      ...URLS,
      TEAMS_APP_PRIVACY_URL: "http://alumni.example.co.jp/privacy",
    });
    expect(res.status).toBe(1);
    expect(res.stderr).toContain("TEAMS_APP_PRIVACY_URL");
    expect(existsSync(res.zipPath)).toBe(false);
  });

  it("with --placeholder, keeps {{MICROSOFT_APP_ID}} for inspection", () => {
    const res = run({}, ["--placeholder"]);
    expect(res.status).toBe(0);
    expect(res.stdout).toContain("placeholders left in");
    const manifest = JSON.parse(readZip(readFileSync(res.zipPath)).get("manifest.json")?.toString("utf8") ?? "{}");
    expect(manifest.id).toBe("{{MICROSOFT_APP_ID}}");
  });
});

describe("Teams manifest sources", () => {
  const manifest = JSON.parse(readFileSync(join(SOURCE, "manifest.json"), "utf8"));
  const ja = JSON.parse(readFileSync(join(SOURCE, "ja-jp.json"), "utf8"));
  const commands: { title: string; description: string }[] = manifest.bots[0].commandLists[0].commands;

  it("lists at most 10 commands, within Teams' lengths, in every scope", () => {
    expect(commands.length).toBeLessThanOrEqual(10);
    expect(commands.map((c) => c.title)).toContain("help");
    for (const c of commands) {
      expect(c.title.length).toBeLessThanOrEqual(32);
      expect(c.description.length).toBeLessThanOrEqual(128);
    }
    expect(manifest.bots[0].scopes).toEqual(["personal", "team", "groupChat"]);
    expect(manifest.name.short.length).toBeLessThanOrEqual(30);
    expect(manifest.description.short.length).toBeLessThanOrEqual(80);
  });

  it("translates every command description into Japanese and keeps the typed titles English", () => {
    commands.forEach((_, i) => {
      expect(ja[`bots[0].commandLists[0].commands[${i}].description`]).toMatch(/[\u3040-\u30ff\u4e00-\u9fff]/);
      // A title is what Teams puts in the compose box: the bot parses it, so it stays as is.
      expect(ja[`bots[0].commandLists[0].commands[${i}].title`]).toBeUndefined();
    });
    expect(ja["description.short"].length).toBeLessThanOrEqual(80);
  });
});
