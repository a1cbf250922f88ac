// botbuilder's CloudAdapter expects express/restify-style request and response
// objects; our server is plain node:http. This reads the JSON body (with a size
// limit) and wraps the response.
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Request, Response } from "botbuilder";

export const MAX_BODY_BYTES = 1024 * 1024;

export class BodyError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export async function readJsonBody(req: IncomingMessage, limit = MAX_BODY_BYTES): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) throw new BodyError(413, "request body too large");
    chunks.push(chunk as Buffer);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.concat(chunks).toString("utf8"));
  } catch {
    throw new BodyError(400, "request body is not JSON");
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
    throw new BodyError(400, "request body is not a JSON object");
  }
  return parsed as Record<string, unknown>;
}

export function toBotRequest(req: IncomingMessage, body: Record<string, unknown>): Request {
  return { body, headers: req.headers as Request["headers"], method: req.method ?? "POST" };
}

export function toBotResponse(res: ServerResponse): Response {
  let status = 200;
  let payload: unknown;
  return {
    socket: res.socket,
    status(code: number) {
      status = code;
      return this;
    },
    header(name: string, value: unknown) {
      res.setHeader(name, String(value));
      return this;
    },
    send(body: unknown) {
      payload = body;
      return this;
    },
    end() {
      if (res.writableEnded) return this;
      if (payload === undefined) {
        res.writeHead(status);
        res.end();
      } else {
        const text = typeof payload === "string" ? payload : JSON.stringify(payload);
        res.writeHead(status, {
          "content-type": typeof payload === "string" ? "text/plain; charset=utf-8" : "application/json; charset=utf-8",
          "content-length": Buffer.byteLength(text),
        });
        res.end(text);
      }
      return this;
    },
  };
}
