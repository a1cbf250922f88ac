// Prisma 6 CLI configuration for the offline migration-authoring tool.
//
// Used only by prisma/scripts/db-migrations.mjs (`npm run db:new`, `npm run db:check`).
// Prisma 6's CLI can run its schema engine as WebAssembly against a driver
// adapter (`engine: "js"`), so it needs neither the native schema engine
// binary (which cannot be downloaded here) nor a PostgreSQL server: the "main"
// and the shadow database are one in-memory PGlite instance that vanishes with
// the process. The user's real database is never contacted.
//
// The script passes the path of a temporary, Prisma-6-compatible copy of
// prisma/schema.prisma in MIGRATION_TOOL_SCHEMA.
import { PGlite } from "@electric-sql/pglite";
import { pg_trgm } from "@electric-sql/pglite/contrib/pg_trgm";
import { PrismaPGlite } from "pglite-prisma-adapter";
import { defineConfig, type PrismaConfig } from "prisma/config";

type Adapter = Awaited<ReturnType<PrismaPGlite["connect"]>>;
type Query = Parameters<Adapter["executeRaw"]>[0];
/** What Prisma 6.19's config expects `adapter()` to resolve to. */
type AdapterFactory = Awaited<ReturnType<Extract<PrismaConfig, { engine: "js" }>["adapter"]>>;

// One in-memory PGlite, created on first use and shared by every adapter the
// CLI asks for: `adapter()` may be called more than once per command, and the
// "main" connection is only used for a version probe, so the main and shadow
// databases can be the same throwaway instance (each PGlite start takes seconds).
let instance: PGlite | undefined;

function database(): PGlite {
  // No dataDir: in memory, never shared with another process. Extensions the app's
  // PGlite loads (src/db/database.ts) must be loaded here too, so that migrations
  // using them (e.g. CREATE EXTENSION pg_trgm for directory search) replay.
  instance ??= new PGlite({ extensions: { pg_trgm } });
  return instance;
}

/**
 * The schema engine sends whole migration scripts (many statements, no
 * parameters) through executeRaw, which PGlite runs as one prepared statement
 * and rejects ("cannot insert multiple commands into a prepared statement").
 * Route parameterless executeRaw calls, and executeScript, to PGlite's
 * simple-query `exec`, which accepts multi-statement SQL.
 */
function acceptScripts(adapter: Adapter, db: PGlite): Adapter {
  // pglite-prisma-adapter's own error mapper (PGlite error -> DriverAdapterError).
  const rethrow = (error: unknown): never => {
    (adapter as unknown as { onError(e: unknown): never }).onError(error);
    throw error;
  };
  const runScript = async (sql: string): Promise<number> => {
    try {
      const results = await db.exec(sql);
      return results.reduce((sum, r) => sum + (r.affectedRows ?? 0), 0);
    } catch (error) {
      return rethrow(error);
    }
  };

  const executeRaw = adapter.executeRaw.bind(adapter);
  adapter.executeRaw = (query: Query) => (query.args.length === 0 ? runScript(query.sql) : executeRaw(query));
  adapter.executeScript = async (script: string) => {
    await runScript(script);
  };
  return adapter;
}

async function connect(): Promise<Adapter> {
  const db = database();
  return acceptScripts(await new PrismaPGlite(db).connect(), db);
}

const schema = process.env.MIGRATION_TOOL_SCHEMA;
if (!schema) {
  throw new Error(
    "prisma/tool/prisma.config.ts is used through prisma/scripts/db-migrations.mjs " +
      "(npm run db:new / npm run db:check), which sets MIGRATION_TOOL_SCHEMA.",
  );
}

export default defineConfig({
  experimental: { adapter: true },
  engine: "js",
  schema,
  async adapter() {
    const factory = {
      provider: "postgres",
      adapterName: "pglite-prisma-adapter",
      connect,
      connectToShadowDb: connect,
    } as const;
    // pglite-prisma-adapter 0.6.1 is typed against @prisma/driver-adapter-utils
    // 6.10, where a query's argTypes are type names; Prisma 6.19 sends
    // { scalarType, dbType, arity } objects instead. The adapter never reads
    // argTypes (only sql and args), so the two agree at run time.
    return factory as unknown as AdapterFactory;
  },
});
