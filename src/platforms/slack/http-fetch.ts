// The `fetch` Bolt and its WebClient use (clientOptions.fetch): replies to
// response_url and Web API calls. The same HTTP on node:http(s) with keep-alive
// agents, instead of undici's fetch, whose web streams cost ~0.7 ms of CPU per
// request. What they read of a response is here: status, statusText, ok, url,
// headers.get/entries, text(), json(), arrayBuffer(). A body that is not a string
// (file uploads: FormData) goes to the global fetch, as do redirects to follow.
// Like undici: TLS for https URLs, idle sockets dropped after 4 s (sooner when
// the server's Keep-Alive hint says so), 300 s to headers and between body
// chunks, an abort signal honoured, and a network failure rejects with
// TypeError("fetch failed", { cause }).
import { Agent as HttpAgent, request as httpRequest, type IncomingMessage, type OutgoingHttpHeaders } from "node:http";
import { Agent as HttpsAgent, request as httpsRequest } from "node:https";
import { createBrotliDecompress, createGunzip, createInflate } from "node:zlib";

const IDLE_SOCKET_MS = 4_000;
const RESPONSE_TIMEOUT_MS = 300_000;
const REDIRECTS = new Set([301, 302, 303, 307, 308]);

const httpAgent = new HttpAgent({ keepAlive: true, timeout: IDLE_SOCKET_MS });
const httpsAgent = new HttpsAgent({ keepAlive: true, timeout: IDLE_SOCKET_MS });

/** The part of `Headers` that Bolt and the WebClient read. */
class ResponseHeaders {
  constructor(private readonly raw: IncomingMessage["headers"]) {}
  get(name: string): string | null {
    const value = this.raw[name.toLowerCase()];
    if (value === undefined) return null;
    return Array.isArray(value) ? value.join(", ") : value;
  }
  has(name: string): boolean {
    return this.raw[name.toLowerCase()] !== undefined;
  }
  *entries(): IterableIterator<[string, string]> {
    for (const name of Object.keys(this.raw)) yield [name, this.get(name) as string];
  }
  [Symbol.iterator](): IterableIterator<[string, string]> {
    return this.entries();
  }
  forEach(fn: (value: string, name: string) => void): void {
    for (const [name, value] of this.entries()) fn(value, name);
  }
}

class NodeResponse {
  readonly ok: boolean;
  readonly headers: ResponseHeaders;
  readonly redirected = false;
  readonly type = "basic";
  private used = false;
  constructor(
    readonly url: string,
    readonly status: number,
    readonly statusText: string,
    headers: IncomingMessage["headers"],
    private readonly body: Buffer,
  ) {
    this.ok = status >= 200 && status <= 299;
    this.headers = new ResponseHeaders(headers);
  }
  get bodyUsed(): boolean {
    return this.used;
  }
  private consume(): Buffer {
    if (this.used) throw new TypeError("Body is unusable: Body has already been read");
    this.used = true;
    return this.body;
  }
  async text(): Promise<string> {
    return this.consume().toString("utf8");
  }
  async json(): Promise<unknown> {
    return JSON.parse(await this.text());
  }
  async arrayBuffer(): Promise<ArrayBuffer> {
    const body = this.consume();
    return body.buffer.slice(body.byteOffset, body.byteOffset + body.byteLength) as ArrayBuffer;
  }
}

function headersOf(init: RequestInit | undefined, body: string | undefined): OutgoingHttpHeaders {
  const out: OutgoingHttpHeaders = {};
  const given = init?.headers;
  if (given instanceof Headers || Array.isArray(given)) {
    for (const [name, value] of given as Iterable<[string, string]>) out[name.toLowerCase()] = value;
  } else if (given) {
    for (const [name, value] of Object.entries(given))
      if (value !== undefined) out[name.toLowerCase()] = value as string;
  }
  if (body !== undefined) {
    out["content-length"] = Buffer.byteLength(body);
    out["content-type"] ??= "text/plain;charset=UTF-8";
  }
  out.accept ??= "*/*";
  return out;
}

function decoded(res: IncomingMessage): NodeJS.ReadableStream {
  const encoding = String(res.headers["content-encoding"] ?? "")
    .trim()
    .toLowerCase();
  if (encoding === "gzip" || encoding === "x-gzip") return res.pipe(createGunzip());
  if (encoding === "deflate") return res.pipe(createInflate());
  if (encoding === "br") return res.pipe(createBrotliDecompress());
  return res;
}

const fetchFailed = (cause: unknown) => new TypeError("fetch failed", { cause });

export const nodeFetch = (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
  const body = init?.body;
  if (
    (body !== undefined && body !== null && typeof body !== "string") ||
    typeof input !== "string" ||
    (init?.redirect !== undefined && init.redirect !== "follow" && init.redirect !== "error")
  ) {
    return globalThis.fetch(input, init);
  }
  let url: URL;
  try {
    url = new URL(input);
  } catch (err) {
    return Promise.reject(new TypeError("Failed to parse URL", { cause: err }));
  }
  const secure = url.protocol === "https:";
  if (!secure && url.protocol !== "http:") return globalThis.fetch(input, init);
  const signal = init?.signal ?? undefined;
  if (signal?.aborted) return Promise.reject(signal.reason);
  const text = body ?? undefined;
  return new Promise<Response>((resolve, reject) => {
    let settled = false;
    const fail = (err: unknown) => {
      if (settled) return;
      settled = true;
      signal?.removeEventListener("abort", onAbort);
      reject(err);
    };
    const req = (secure ? httpsRequest : httpRequest)(url, {
      method: init?.method ?? "GET",
      headers: headersOf(init, text),
      agent: secure ? httpsAgent : httpAgent,
    });
    const onAbort = () => {
      fail(signal?.reason);
      req.destroy();
    };
    signal?.addEventListener("abort", onAbort, { once: true });
    req.setTimeout(RESPONSE_TIMEOUT_MS, () => req.destroy(new Error("the server did not answer in time")));
    req.on("error", (err) => fail(fetchFailed(err)));
    req.on("response", (res) => {
      const status = res.statusCode ?? 0;
      if (REDIRECTS.has(status) && res.headers.location !== undefined) {
        res.resume();
        if (init?.redirect === "error") {
          fail(fetchFailed(new Error("unexpected redirect")));
          return;
        }
        // Following a redirect is rare (never for Slack's own URLs): the global fetch does it.
        settled = true;
        signal?.removeEventListener("abort", onAbort);
        resolve(globalThis.fetch(input, init));
        return;
      }
      const chunks: Buffer[] = [];
      const stream = decoded(res);
      stream.on("data", (chunk: Buffer) => chunks.push(chunk));
      stream.on("error", (err) => fail(fetchFailed(err)));
      res.on("aborted", () => fail(fetchFailed(new Error("the response was cut short"))));
      stream.on("end", () => {
        if (settled) return;
        settled = true;
        signal?.removeEventListener("abort", onAbort);
        const all = chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks);
        resolve(new NodeResponse(input, status, res.statusMessage ?? "", res.headers, all) as unknown as Response);
      });
    });
    req.end(text);
  });
};
