// A local stand-in for where Teams keeps a file a user sends the bot (SharePoint or OneDrive):
// the bot receives a short-lived download URL in a `file.download.info` attachment and must
// fetch it at once. In the sandbox and in tests the file is served from here, on loopback, and
// the bot is told to trust this host (TEAMS_FILE_HOSTS = its host:port).
import { createHash, randomBytes } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { type ListenOptions, listen } from "./fake-server.js";

export interface HostedFile {
  /** The URL the attachment carries; it stops working after `ttlMs`. */
  downloadUrl: string;
  uniqueId: string;
  /** The file name's extension, as Teams gives it (`csv`, `xlsx`). */
  fileType: string;
  name: string;
}

export interface FakeFileHost {
  /** `127.0.0.1:PORT`: what TEAMS_FILE_HOSTS must list. */
  readonly host: string;
  hostFile(name: string, bytes: Uint8Array): HostedFile;
  /** GETs of hosted files, oldest first (the token is not kept). */
  readonly downloads: { uniqueId: string; status: number }[];
  close(): Promise<void>;
}

interface Stored {
  bytes: Uint8Array;
  token: string;
  expiresAt: number;
  name: string;
}

export async function startFakeFileHost(options: ListenOptions & { ttlMs?: number } = {}): Promise<FakeFileHost> {
  const ttlMs = options.ttlMs ?? 10 * 60_000;
  const files = new Map<string, Stored>();
  const downloads: { uniqueId: string; status: number }[] = [];

  const answer = (req: IncomingMessage, res: ServerResponse): void => {
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    const match = /^\/files\/([\w-]+)$/.exec(url.pathname);
    const stored = match ? files.get(match[1] as string) : undefined;
    const ok =
      req.method === "GET" &&
      stored !== undefined &&
      url.searchParams.get("tempauth") === stored.token &&
      Date.now() < stored.expiresAt;
    if (match) downloads.push({ uniqueId: match[1] as string, status: ok ? 200 : 403 });
    if (!ok || !stored) {
      res.writeHead(stored ? 403 : 404, { "content-type": "text/plain" });
      res.end(stored ? "Access denied: the link has expired or is not valid." : "Not found");
      return;
    }
    res.writeHead(200, {
      "content-type": "application/octet-stream",
      "content-length": stored.bytes.byteLength,
      "content-disposition": `attachment; filename*=UTF-8''${encodeURIComponent(stored.name)}`,
    });
    res.end(Buffer.from(stored.bytes));
  };

  const server = createServer(answer);
  const port = await listen(server, options);
  const host = `127.0.0.1:${port}`;
  return {
    host,
    downloads,
    hostFile(name, bytes) {
      const uniqueId = createHash("sha256").update(randomBytes(16)).digest("hex").slice(0, 32);
      const token = randomBytes(24).toString("base64url");
      files.set(uniqueId, { bytes, token, expiresAt: Date.now() + ttlMs, name });
      const dot = name.lastIndexOf(".");
      return {
        downloadUrl: `http://${host}/files/${uniqueId}?tempauth=${token}`,
        uniqueId,
        fileType: dot >= 0 ? name.slice(dot + 1).toLowerCase() : "",
        name,
      };
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
