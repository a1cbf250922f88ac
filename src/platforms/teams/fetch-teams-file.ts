// Downloads a file a Teams user attached in their chat with the bot. Teams gives
// the bot a short-lived download URL whose query string is a bearer token
// (`tempauth=…`): it is fetched at once and never logged. Only hosts listed in
// TEAMS_FILE_HOSTS are fetched from (`host`, `host:port`, `*.domain` for its
// subdomains), over https — or over http to a loopback host listed with its port
// (a local file server in tests). A redirect is followed only to a host that is
// itself allowed, at most MAX_REDIRECTS times; reading stops past maxBytes.
import http from "node:http";
import https from "node:https";
import { AppError } from "../../core/errors.js";

export const MAX_REDIRECTS = 3;
export const FILE_TIMEOUT_MS = 30_000;

const LOOPBACK = new Set(["127.0.0.1", "localhost", "[::1]", "::1"]);

interface HostRule {
  /** `*.example.com`: subdomains of example.com, never example.com itself. */
  wildcard: boolean;
  name: string;
  /** Null: the scheme's default port only. */
  port: string | null;
}

function parseRule(entry: string): HostRule | null {
  const m = /^(\*\.)?([a-z0-9.-]+|\[[0-9a-f:]+\])(?::(\d{1,5}))?$/.exec(entry.trim().toLowerCase());
  if (!m?.[2]) return null;
  return { wildcard: Boolean(m[1]), name: m[2], port: m[3] ?? null };
}

/**
 * Whether a URL may be fetched: its host matches an entry of `hosts` and it is https, or it is
 * http to a loopback host listed with its port. URLs with credentials are never fetched.
 */
export function isAllowedFileUrl(url: URL, hosts: readonly string[]): boolean {
  if (url.username || url.password) return false;
  const secure = url.protocol === "https:";
  if (!secure && url.protocol !== "http:") return false;
  const hostname = url.hostname.toLowerCase();
  return hosts.some((entry) => {
    const rule = parseRule(entry);
    if (!rule) return false;
    const named = rule.wildcard ? hostname.endsWith(`.${rule.name}`) : hostname === rule.name;
    if (!named) return false;
    if (rule.port === null) return secure && url.port === "";
    if ((url.port || (secure ? "443" : "80")) !== rule.port) return false;
    return secure || (!rule.wildcard && LOOPBACK.has(hostname));
  });
}

/** The host (and port) of a URL, for messages and logs: never its path or query. */
export function hostOf(url: string): string {
  try {
    return new URL(url).host || "?";
  } catch {
    return "?";
  }
}

function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${Math.round((bytes / (1024 * 1024)) * 10) / 10} MB`;
  if (bytes >= 1024) return `${Math.round(bytes / 1024)} KB`;
  return `${bytes} B`;
}

function tooBig(maxBytes: number): AppError {
  return new AppError("validation", { max: formatBytes(maxBytes) }, { key: "teamsRoster.file.tooBig" });
}

function failed(reason: string): AppError {
  return new AppError("validation", { reason }, { key: "teamsRoster.file.downloadFailed" });
}

function request(url: URL, signal: AbortSignal): Promise<http.IncomingMessage> {
  return new Promise((resolve, reject) => {
    const client = url.protocol === "https:" ? https : http;
    const req = client.get(
      url,
      { signal, agent: false, headers: { accept: "*/*", "user-agent": "alumni-bridge" } },
      resolve,
    );
    req.on("error", reject);
  });
}

/** Network failures as a short reason without the URL (its query is a bearer token). */
function reasonOf(err: unknown, signal: AbortSignal): string {
  if (signal.aborted) return "timeout";
  const code = (err as { code?: unknown })?.code;
  return typeof code === "string" && /^[A-Z_]+$/.test(code) ? code : "network error";
}

/**
 * The file's bytes. Throws AppError (ja/en messages naming the reason): the host is not
 * allowed (or a redirect leads to one that is not), the file is larger than maxBytes, the
 * server answered with an error, too many redirects, or no answer within timeoutMs.
 */
export async function fetchTeamsFile(options: {
  url: string;
  hosts: readonly string[];
  maxBytes: number;
  timeoutMs?: number;
}): Promise<Uint8Array> {
  let url: URL;
  try {
    url = new URL(options.url);
  } catch {
    // The TypeError would carry the whole URL: say only that it is not one.
    throw new AppError("validation", { host: "?" }, { key: "teamsRoster.file.hostNotAllowed" });
  }
  if (!isAllowedFileUrl(url, options.hosts)) {
    throw new AppError("validation", { host: url.host || "?" }, { key: "teamsRoster.file.hostNotAllowed" });
  }
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), options.timeoutMs ?? FILE_TIMEOUT_MS);
  try {
    for (let redirects = 0; ; redirects++) {
      let res: http.IncomingMessage;
      try {
        res = await request(url, controller.signal);
      } catch (err) {
        throw failed(reasonOf(err, controller.signal));
      }
      const status = res.statusCode ?? 0;
      if (status >= 300 && status < 400 && res.headers.location) {
        res.resume();
        if (redirects >= MAX_REDIRECTS)
          throw new AppError("validation", {}, { key: "teamsRoster.file.tooManyRedirects" });
        let next: URL;
        try {
          next = new URL(res.headers.location, url);
        } catch {
          throw failed(`HTTP ${status}`);
        }
        if (!isAllowedFileUrl(next, options.hosts)) {
          throw new AppError("validation", { host: next.host || "?" }, { key: "teamsRoster.file.redirectNotAllowed" });
        }
        url = next;
        continue;
      }
      if (status !== 200) {
        res.resume();
        throw failed(`HTTP ${status}`);
      }
      const declared = Number(res.headers["content-length"]);
      if (Number.isFinite(declared) && declared > options.maxBytes) {
        res.destroy();
        throw tooBig(options.maxBytes);
      }
      const chunks: Buffer[] = [];
      let total = 0;
      try {
        for await (const chunk of res as AsyncIterable<Buffer>) {
          total += chunk.length;
          if (total > options.maxBytes) {
            res.destroy();
            throw tooBig(options.maxBytes);
          }
          chunks.push(chunk);
        }
      } catch (err) {
        if (err instanceof AppError) throw err;
        throw failed(reasonOf(err, controller.signal));
      }
      return new Uint8Array(Buffer.concat(chunks, total));
    }
  } finally {
    clearTimeout(timer);
  }
}
