// Downloading a file a Teams user attached: only from the hosts in TEAMS_FILE_HOSTS, https (or
// http to a loopback host listed with its port), redirects only to allowed hosts and at most 3,
// never more than maxBytes read, a deadline — against real loopback HTTP servers.
import { once } from "node:events";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AppError } from "../../src/core/errors.js";
import { fetchTeamsFile, hostOf, isAllowedFileUrl } from "../../src/platforms/teams/fetch-teams-file.js";

const allowed = (url: string, hosts: string[]) => isAllowedFileUrl(new URL(url), hosts);

describe("the host allowlist", () => {
  it("a plain host name allows https on the default port only", () => {
    const hosts = ["files.example.com"];
    expect(allowed("https://files.example.com/a.csv?tempauth=x", hosts)).toBe(true);
    expect(allowed("https://FILES.example.com/a.csv", hosts)).toBe(true);
    expect(allowed("http://files.example.com/a.csv", hosts)).toBe(false);
    expect(allowed("https://files.example.com:8443/a.csv", hosts)).toBe(false);
    expect(allowed("https://evil.files.example.com/a.csv", hosts)).toBe(false);
    expect(allowed("https://files.example.com.evil.net/a.csv", hosts)).toBe(false);
    expect(allowed("https://other.example.com/a.csv", hosts)).toBe(false);
  });

  it("*.domain allows its subdomains, never the domain itself or look-alikes", () => {
    const hosts = ["*.sharepoint.com"];
    expect(allowed("https://contoso.sharepoint.com/personal/x/download.aspx?tempauth=y", hosts)).toBe(true);
    expect(allowed("https://contoso-my.a.sharepoint.com/x", hosts)).toBe(true);
    expect(allowed("https://sharepoint.com/x", hosts)).toBe(false);
    expect(allowed("https://evilsharepoint.com/x", hosts)).toBe(false);
    expect(allowed("https://contoso.sharepoint.com.evil.net/x", hosts)).toBe(false);
    expect(allowed("http://contoso.sharepoint.com/x", hosts)).toBe(false);
  });

  it("host:port allows that port only; http only for a loopback host listed with its port", () => {
    expect(allowed("https://files.example.com:8443/x", ["files.example.com:8443"])).toBe(true);
    expect(allowed("https://files.example.com/x", ["files.example.com:443"])).toBe(true);
    expect(allowed("http://files.example.com:8080/x", ["files.example.com:8080"])).toBe(false);
    expect(allowed("http://127.0.0.1:8080/x", ["127.0.0.1:8080"])).toBe(true);
    expect(allowed("http://localhost:8080/x", ["localhost:8080"])).toBe(true);
    expect(allowed("http://127.0.0.1:8081/x", ["127.0.0.1:8080"])).toBe(false);
    expect(allowed("http://127.0.0.1/x", ["127.0.0.1"])).toBe(false);
    expect(allowed("http://127.0.0.1:80/x", ["127.0.0.1"])).toBe(false);
    expect(allowed("http://a.localhost:8080/x", ["*.localhost:8080"])).toBe(false);
  });

  it("refuses other schemes, credentials in the URL, and an empty list", () => {
    expect(allowed("ftp://files.example.com/x", ["files.example.com"])).toBe(false);
    expect(allowed("file:///etc/passwd", ["files.example.com"])).toBe(false);
    expect(allowed("https://u:p@files.example.com/x", ["files.example.com"])).toBe(false);
    expect(allowed("https://files.example.com/x", [])).toBe(false);
  });

  it("hostOf names the host only, never the path or query", () => {
    expect(hostOf("https://contoso.sharepoint.com/a/b.csv?tempauth=secret")).toBe("contoso.sharepoint.com");
    expect(hostOf("not a url")).toBe("?");
  });
});

// ---- real servers ----

interface FileServer {
  port: number;
  hits: string[];
  close(): Promise<void>;
}

async function startServer(handler: http.RequestListener): Promise<FileServer> {
  const hits: string[] = [];
  const server = http.createServer((req, res) => {
    hits.push(req.url ?? "");
    handler(req, res);
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  return {
    port: (server.address() as AddressInfo).port,
    hits,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

const FILE = Buffer.from("社員番号,姓,名\n1001,山田,太郎\n", "utf8");
let main: FileServer;
let other: FileServer;

beforeAll(async () => {
  other = await startServer((_req, res) => res.end(FILE));
  main = await startServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://x");
    const hop = Number(url.searchParams.get("hops") ?? "0");
    switch (url.pathname) {
      case "/file.csv":
        res.setHeader("content-type", "text/csv");
        res.end(FILE);
        return;
      case "/chain":
        // hops=n: n more redirects before the file (relative Location, as SharePoint sends).
        res.writeHead(302, { location: hop > 0 ? `/chain?hops=${hop - 1}&tempauth=t` : "/file.csv?tempauth=t" });
        res.end();
        return;
      case "/elsewhere":
        res.writeHead(302, { location: `http://127.0.0.1:${other.port}/file.csv` });
        res.end();
        return;
      case "/big":
        res.setHeader("content-length", String(2048));
        res.end(Buffer.alloc(2048, 0x41));
        return;
      case "/big-chunked":
        // No content-length: the reader must stop by itself.
        res.write(Buffer.alloc(1500, 0x41));
        setTimeout(() => res.end(Buffer.alloc(1500, 0x41)), 20);
        return;
      case "/stall":
        res.writeHead(200, { "content-type": "text/csv" });
        res.write("社員番号\n");
        return; // never ends
      default:
        res.statusCode = 404;
        res.end("not found");
    }
  });
});
afterAll(async () => {
  await main?.close();
  await other?.close();
});

const base = () => `http://127.0.0.1:${main.port}`;
const hosts = () => [`127.0.0.1:${main.port}`];

async function refusal(promise: Promise<unknown>): Promise<AppError> {
  const err = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(AppError);
  const appError = err as AppError;
  // Neither the error nor its messages may carry the URL's query (a bearer token in Teams).
  for (const text of [appError.message, appError.localized("ja"), appError.localized("en")]) {
    expect(text).not.toContain("tempauth");
    expect(text).not.toContain("secret-token");
  }
  return appError;
}

describe("fetchTeamsFile against a loopback file server", () => {
  it("downloads the bytes from a listed host", async () => {
    const bytes = await fetchTeamsFile({ url: `${base()}/file.csv?tempauth=x`, hosts: hosts(), maxBytes: 1024 });
    expect(Buffer.from(bytes).equals(FILE)).toBe(true);
  });

  it("refuses a host that is not listed without connecting to it", async () => {
    const before = other.hits.length;
    const err = await refusal(
      fetchTeamsFile({
        url: `http://127.0.0.1:${other.port}/file.csv?tempauth=secret-token`,
        hosts: hosts(),
        maxBytes: 1024,
      }),
    );
    expect(err.key).toBe("teamsRoster.file.hostNotAllowed");
    expect(err.localized("en")).toContain(`127.0.0.1:${other.port}`);
    expect(other.hits.length).toBe(before);
  });

  it("follows up to 3 redirects on an allowed host, and refuses a 4th", async () => {
    const ok = await fetchTeamsFile({ url: `${base()}/chain?hops=2`, hosts: hosts(), maxBytes: 1024 });
    expect(Buffer.from(ok).equals(FILE)).toBe(true);
    const err = await refusal(fetchTeamsFile({ url: `${base()}/chain?hops=3`, hosts: hosts(), maxBytes: 1024 }));
    expect(err.key).toBe("teamsRoster.file.tooManyRedirects");
  });

  it("refuses a redirect to a host that is not listed, without following it", async () => {
    const before = other.hits.length;
    const err = await refusal(fetchTeamsFile({ url: `${base()}/elsewhere`, hosts: hosts(), maxBytes: 1024 }));
    expect(err.key).toBe("teamsRoster.file.redirectNotAllowed");
    expect(other.hits.length).toBe(before);
    // Listed too, the same redirect is followed.
    const both = [...hosts(), `127.0.0.1:${other.port}`];
    const bytes = await fetchTeamsFile({ url: `${base()}/elsewhere`, hosts: both, maxBytes: 1024 });
    expect(Buffer.from(bytes).equals(FILE)).toBe(true);
  });

  it("stops past maxBytes, by the declared length or by counting", async () => {
    const declared = await refusal(fetchTeamsFile({ url: `${base()}/big`, hosts: hosts(), maxBytes: 1024 }));
    expect(declared.key).toBe("teamsRoster.file.tooBig");
    expect(declared.localized("en")).toContain("1 KB");
    const counted = await refusal(fetchTeamsFile({ url: `${base()}/big-chunked`, hosts: hosts(), maxBytes: 1024 }));
    expect(counted.key).toBe("teamsRoster.file.tooBig");
    const exact = await fetchTeamsFile({ url: `${base()}/big`, hosts: hosts(), maxBytes: 2048 });
    expect(exact.length).toBe(2048);
  });

  it("reports an HTTP error, a refused connection and a deadline as a failed download", async () => {
    const notFound = await refusal(
      fetchTeamsFile({ url: `${base()}/gone?tempauth=secret-token`, hosts: hosts(), maxBytes: 1024 }),
    );
    expect(notFound.key).toBe("teamsRoster.file.downloadFailed");
    expect(notFound.localized("en")).toContain("HTTP 404");

    const closed = await startServer((_req, res) => res.end());
    const port = closed.port;
    await closed.close();
    const refused = await refusal(
      fetchTeamsFile({ url: `http://127.0.0.1:${port}/x`, hosts: [`127.0.0.1:${port}`], maxBytes: 1024 }),
    );
    expect(refused.key).toBe("teamsRoster.file.downloadFailed");
    expect(refused.localized("en")).toContain("ECONNREFUSED");

    const started = Date.now();
    const stalled = await refusal(
      fetchTeamsFile({ url: `${base()}/stall?tempauth=secret-token`, hosts: hosts(), maxBytes: 1024, timeoutMs: 300 }),
    );
    expect(stalled.key).toBe("teamsRoster.file.downloadFailed");
    expect(stalled.localized("en")).toContain("timeout");
    expect(Date.now() - started).toBeLessThan(5000);
  });
});
