// Pieces both local fakes (Slack Web API, Bot Connector) share: reading a body,
// and waiters that tests (and the sandbox) use to await a call.
import type { IncomingMessage, Server } from "node:http";
import type { AddressInfo } from "node:net";
import { EnforcedLimit, type EnforcedWindow } from "./enforced-limits.js";

export interface Waiter<T> {
  match: (x: T) => boolean;
  resolve: (x: T) => void;
  reject: (e: Error) => void;
  timer: NodeJS.Timeout;
}

export function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => resolve(Buffer.concat(chunks)));
    req.on("error", reject);
  });
}

/** Resolve the waiters `item` matches; returns those still waiting. */
export function notify<T>(waiters: Waiter<T>[], item: T): Waiter<T>[] {
  return waiters.filter((w) => {
    if (!w.match(item)) return true;
    clearTimeout(w.timer);
    w.resolve(item);
    return false;
  });
}

/** Where a fake listens: default 127.0.0.1 on a free port. */
export interface ListenOptions {
  host?: string;
  port?: number;
}

/** Start listening; resolves with the port. */
export async function listen(server: Server, options: ListenOptions): Promise<number> {
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, options.host ?? "127.0.0.1", () => resolve());
  });
  return (server.address() as AddressInfo).port;
}

/** An enforced limit for these windows, or none when there are none. */
export function limitOf(windows: readonly EnforcedWindow[] | undefined): EnforcedLimit | undefined {
  return windows?.length ? new EnforcedLimit(windows) : undefined;
}
