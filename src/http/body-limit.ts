// Request bodies have a size limit on both platforms' endpoints. A larger body is answered 413
// without being kept; the rest of it is read and thrown away for a short while, because a
// server that closes a connection with unread data makes the kernel reset it, and the client
// then sees "connection reset" instead of the 413.
import type { IncomingMessage } from "node:http";

/** The largest request body accepted on /slack/events and /api/messages. */
export const MAX_BODY_BYTES = 1024 * 1024;

/** How long the rest of a refused body is read (and dropped) before the connection is cut. */
const DISCARD_MS = 10_000;

/** Read and drop what is left of a refused request's body, for at most `graceMs`. */
export function discardRest(req: IncomingMessage, graceMs = DISCARD_MS): void {
  if (req.readableEnded || req.destroyed) return;
  const timer = setTimeout(() => req.destroy(), graceMs);
  timer.unref();
  const stop = () => clearTimeout(timer);
  req.once("end", stop);
  req.once("close", stop);
  req.unpipe();
  req.resume();
}
