// One schema, two engines: real PostgreSQL when DATABASE_URL is set, otherwise an
// embedded PGlite database persisted under DATA_DIR (or in memory for tests).
// Both are reached through Prisma 7's engine-free client with a driver adapter.
import { mkdirSync } from "node:fs";
import { resolve } from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { pg_trgm } from "@electric-sql/pglite/contrib/pg_trgm";
import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import { PrismaPGlite } from "pglite-prisma-adapter";
import { PrismaClient } from "../generated/prisma/client.js";
import type { Logger } from "../logger.js";
import { acquireDirectoryLock, type DirectoryLock } from "./directory-lock.js";

export type Engine = "postgres" | "pglite";

/** Raw SQL on one dedicated connection (a session), for migrations and locks. */
export interface SqlSession {
  query<R extends Record<string, unknown>>(sql: string, params?: unknown[]): Promise<R[]>;
  /** Run a multi-statement script (no parameters). */
  exec(script: string): Promise<void>;
  /** Run `fn` inside BEGIN … COMMIT on this session; ROLLBACK when it throws. */
  transaction<T>(fn: (tx: Omit<SqlSession, "transaction">) => Promise<T>): Promise<T>;
}

export interface Database {
  readonly engine: Engine;
  /** Where the data lives, for the startup log (no credentials). */
  readonly location: string;
  readonly prisma: PrismaClient;
  withSession<T>(fn: (session: SqlSession) => Promise<T>): Promise<T>;
  /** PGlite only: the whole data directory as a tarball (a consistent snapshot). */
  dumpDataDir?(): Promise<Blob>;
  /** Resolves when the database answers `SELECT 1` within `timeoutMs`. */
  ping(timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

export type DatabaseOptions =
  | { engine: "postgres"; url: string; poolSize?: number; logger?: Logger }
  | {
      engine: "pglite";
      /** null: in memory. */
      dataDir: string | null;
      /** Start an in-memory database from a snapshot made by `dumpDataDir()`. */
      loadDataDir?: Blob;
      logger?: Logger;
    };

/** Options from config: PostgreSQL when a URL is given, else PGlite in DATA_DIR. */
export function databaseOptionsFromConfig(config: { databaseUrl?: string; dataDir: string }): DatabaseOptions {
  return config.databaseUrl
    ? { engine: "postgres", url: config.databaseUrl }
    : { engine: "pglite", dataDir: config.dataDir };
}

export async function openDatabase(options: DatabaseOptions): Promise<Database> {
  return options.engine === "postgres" ? openPostgres(options) : openPglite(options);
}

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} timed out after ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** The parts both engines share: ping through Prisma, close once. */
function assemble(parts: {
  engine: Engine;
  location: string;
  prisma: PrismaClient;
  withSession: Database["withSession"];
  dumpDataDir?: () => Promise<Blob>;
  closeDriver: () => Promise<void>;
}): Database {
  const { prisma } = parts;
  let closing: Promise<void> | undefined;
  return {
    engine: parts.engine,
    location: parts.location,
    prisma,
    withSession: parts.withSession,
    dumpDataDir: parts.dumpDataDir,
    async ping(timeoutMs = 2_000) {
      await withTimeout(prisma.$queryRaw`SELECT 1`, timeoutMs, "database ping");
    },
    close() {
      closing ??= prisma.$disconnect().then(parts.closeDriver);
      return closing;
    },
  };
}

/** Names given so far, by SQL text: at most MAX_PREPARED per process, so a connection holds a bounded set. */
const statementNames = new Map<string, string>();
const MAX_PREPARED = 2_000;
/** Queries with more parameters than this (a list of ids, a batch insert) vary in shape; they stay unnamed. */
const MAX_PREPARED_PARAMS = 24;

/**
 * A name for Prisma's query, so that each connection parses and plans it once and then only binds
 * and executes it (node-postgres keeps a named statement per connection). Prisma's SQL text is its
 * cache key: the same query shape gives the same text. Shapes with many parameters, and any shape
 * past the first MAX_PREPARED, run unnamed as before.
 */
function preparedStatementName(query: { sql: string; args: unknown[] }): string {
  if (query.args.length > MAX_PREPARED_PARAMS) return ""; // node-postgres: an empty name is an unnamed statement
  let name = statementNames.get(query.sql);
  if (name === undefined) {
    if (statementNames.size >= MAX_PREPARED) return "";
    name = `ab_${statementNames.size.toString(36)}`;
    statementNames.set(query.sql, name);
  }
  return name;
}

/**
 * How long a transaction may wait for a connection (ms). Prisma's default is 2 s, after which the
 * operation fails ("Unable to start a transaction in the given time", P2028). In the 10-minute
 * soak a 0.3 s stall of the event loop queued work behind a full pool for just over 2 s, and a
 * click whose ack had already gone out was lost. A user's action waits out a burst instead:
 * Slack's response_url stays valid for 30 minutes, and the pool empties as soon as the burst ends.
 */
export const TRANSACTION_MAX_WAIT_MS = 10_000;

function describePostgresUrl(url: string): string {
  try {
    const u = new URL(url);
    return `postgresql://${u.hostname}:${u.port || "5432"}${u.pathname}`;
  } catch {
    return "postgresql://(unparsable url)";
  }
}

async function openPostgres(options: Extract<DatabaseOptions, { engine: "postgres" }>): Promise<Database> {
  const pool = new pg.Pool({
    connectionString: options.url,
    max: options.poolSize ?? 10,
    // pg-pool applies this to a wait for a free connection too, not only to a new one's connect.
    connectionTimeoutMillis: TRANSACTION_MAX_WAIT_MS,
    idleTimeoutMillis: 30_000,
  });
  // An idle client losing its server (restart, failover) must not crash the process.
  pool.on("error", (err) => options.logger?.warn({ err }, "idle PostgreSQL connection failed"));
  const prisma = new PrismaClient({
    adapter: new PrismaPg(pool, { statementNameGenerator: preparedStatementName }),
    transactionOptions: { maxWait: TRANSACTION_MAX_WAIT_MS },
  });

  const sessionOn = (client: pg.PoolClient): SqlSession => {
    const base = {
      query: async <R extends Record<string, unknown>>(sql: string, params?: unknown[]) =>
        (await client.query(sql, params)).rows as R[],
      exec: async (script: string) => {
        await client.query(script);
      },
    };
    return {
      ...base,
      transaction: async (fn) => {
        await client.query("BEGIN");
        try {
          const result = await fn(base);
          await client.query("COMMIT");
          return result;
        } catch (err) {
          await client.query("ROLLBACK").catch(() => undefined);
          throw err;
        }
      },
    };
  };

  return assemble({
    engine: "postgres",
    location: describePostgresUrl(options.url),
    prisma,
    async withSession(fn) {
      const client = await pool.connect();
      let broken = false;
      try {
        return await fn(sessionOn(client));
      } catch (err) {
        broken = true;
        throw err;
      } finally {
        // A session that failed may hold session state (locks, aborted txn): discard it.
        client.release(broken);
      }
    },
    closeDriver: () => pool.end(),
  });
}

async function openPglite(options: Extract<DatabaseOptions, { engine: "pglite" }>): Promise<Database> {
  let lock: DirectoryLock | undefined;
  let pglite: PGlite;
  let location = "memory";
  if (options.dataDir === null) {
    pglite = await PGlite.create({ extensions: { pg_trgm }, loadDataDir: options.loadDataDir });
  } else {
    const root = resolve(options.dataDir);
    mkdirSync(root, { recursive: true });
    // Two processes on one PGlite directory corrupt it: refuse the second one.
    lock = acquireDirectoryLock(root, "pglite.lock");
    location = resolve(root, "pglite");
    try {
      pglite = await PGlite.create(location, { extensions: { pg_trgm } });
    } catch (err) {
      lock.release();
      throw err;
    }
  }
  const prisma = new PrismaClient({
    adapter: new PrismaPGlite(pglite),
    transactionOptions: { maxWait: TRANSACTION_MAX_WAIT_MS },
  });

  type Queryable = Pick<PGlite, "query" | "exec">;
  const sessionOn = (q: Queryable) => ({
    query: async <R extends Record<string, unknown>>(sql: string, params?: unknown[]) =>
      (await q.query<R>(sql, params)).rows,
    exec: async (script: string) => {
      await q.exec(script);
    },
  });

  return assemble({
    engine: "pglite",
    location,
    prisma,
    async withSession(fn) {
      // PGlite is a single connection; its own mutex serialises callers.
      return fn({
        ...sessionOn(pglite),
        transaction: (inner) => pglite.transaction((tx) => inner(sessionOn(tx))),
      });
    },
    dumpDataDir: () => pglite.dumpDataDir("none"),
    async closeDriver() {
      await pglite.close();
      lock?.release();
    },
  });
}
