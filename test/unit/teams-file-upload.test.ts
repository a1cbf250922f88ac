// The upload handler on its own (real database, real loopback file host, a logger at trace
// level): the role is checked before anything is downloaded, and neither the logs nor the
// messages ever carry the download URL's query string (Teams' bearer token).
import { Writable } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AppError } from "../../src/core/errors.js";
import type { Database } from "../../src/db/database.js";
import { createLogger } from "../../src/logger.js";
import type { TeamsActor } from "../../src/platforms/teams/actor.js";
import type { TeamsDeps } from "../../src/platforms/teams/deps.js";
import {
  FILE_DOWNLOAD_INFO,
  fileAttachmentOf,
  type TFileAttachment,
  uploadRosterFile,
} from "../../src/platforms/teams/roster-upload.js";
import { type FakeFileHost, startFakeFileHost } from "../../src/sandbox/fake-file-host.js";
import { openMigratedPglite } from "../support/pglite.js";

const CSV = "社員番号,姓,名,退職年月日\nE1,山田,太郎,2023-03-31\n";

let db: Database;
let host: FakeFileHost;
let other: FakeFileHost;
const lines: string[] = [];
let deps: TeamsDeps;
let hr: TeamsActor;
let member: TeamsActor;

beforeAll(async () => {
  db = await openMigratedPglite();
  host = await startFakeFileHost();
  other = await startFakeFileHost();
  const destination = new Writable({
    write(chunk, _encoding, done) {
      lines.push(String(chunk));
      done();
    },
  });
  deps = {
    prisma: db.prisma,
    logger: createLogger({ level: "trace", destination }),
    config: {
      defaultLocale: "ja",
      defaultTimeZone: "Asia/Tokyo",
      adminAadObjectIds: [],
      slack: { alumniChannelId: undefined },
      roster: { fileHosts: [host.host], maxBytes: 4096, maxRows: 100 },
    },
  };
  const actor = async (roles: ("hr" | "cm")[]): Promise<TeamsActor> => {
    const person = await db.prisma.person.create({
      data: { displayName: "HR", roles: { create: roles.map((role) => ({ role })) } },
    });
    return { personId: person.id, roles, locale: "en", name: "HR", aadObjectId: person.id, tenantId: "t" };
  };
  hr = await actor(["hr"]);
  member = await actor([]);
});
afterAll(async () => {
  await host?.close();
  await other?.close();
  await db?.close();
});

function attachment(file: { name: string; downloadUrl: string; uniqueId: string; fileType: string }): TFileAttachment {
  const parsed = fileAttachmentOf([
    { contentType: "text/html", content: "<p>hi</p>" },
    { contentType: FILE_DOWNLOAD_INFO, name: file.name, content: file },
  ]);
  if (!parsed) throw new Error("no file attachment");
  return parsed;
}

const tokenOf = (url: string) => new URL(url).searchParams.get("tempauth") as string;

async function refusal(promise: Promise<unknown>): Promise<AppError> {
  const err = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(AppError);
  return err as AppError;
}

describe("uploadRosterFile", () => {
  it("finds the file attachment among others, and none in a plain message", () => {
    expect(fileAttachmentOf([{ contentType: "text/html", content: "<p>hi</p>" }])).toBeNull();
    expect(fileAttachmentOf(undefined)).toBeNull();
    expect(() => fileAttachmentOf([{ contentType: FILE_DOWNLOAD_INFO, name: "x.csv", content: {} }])).toThrow(AppError);
  });

  it("previews a file HR sends; the logs name the host, never the token", async () => {
    const file = host.hostFile("leavers.csv", Buffer.from(CSV));
    const card = JSON.stringify(
      await uploadRosterFile({ deps, actor: hr, file: attachment(file), conversationType: "personal" }),
    );
    expect(card).toContain("roster.import");
    expect(await db.prisma.rosterImport.count()).toBe(1);
    const logs = lines.join("");
    expect(logs).toContain(host.host);
    expect(logs).not.toContain(tokenOf(file.downloadUrl));
  });

  it("refuses someone without hr before downloading", async () => {
    const file = host.hostFile("leavers.csv", Buffer.from(CSV));
    const err = await refusal(
      uploadRosterFile({ deps, actor: member, file: attachment(file), conversationType: "personal" }),
    );
    expect(err.code).toBe("forbidden");
    expect(host.downloads.filter((d) => d.uniqueId === file.uniqueId)).toEqual([]);
  });

  it("refuses an unlisted host and a failed download without logging the token", async () => {
    const elsewhere = other.hostFile("leavers.csv", Buffer.from(CSV));
    const notListed = await refusal(
      uploadRosterFile({ deps, actor: hr, file: attachment(elsewhere), conversationType: "personal" }),
    );
    expect(notListed.key).toBe("teamsRoster.file.hostNotAllowed");
    expect(other.downloads).toEqual([]);

    const file = host.hostFile("leavers.csv", Buffer.from(CSV));
    const badToken = { ...file, downloadUrl: file.downloadUrl.replace(/tempauth=[^&]+/, "tempauth=wrong-token-123") };
    const failed = await refusal(
      uploadRosterFile({ deps, actor: hr, file: attachment(badToken), conversationType: "personal" }),
    );
    expect(failed.key).toBe("teamsRoster.file.downloadFailed");
    expect(failed.localized("en")).toContain("HTTP 403");
    const logs = lines.join("");
    for (const token of [tokenOf(elsewhere.downloadUrl), "wrong-token-123", tokenOf(file.downloadUrl)]) {
      expect(logs).not.toContain(token);
      expect(failed.localized("ja")).not.toContain(token);
    }
    expect(await db.prisma.rosterImport.count()).toBe(1);
  });
});
