// Row counts of every table, the tables read from the database catalogue (so a new table is
// counted without touching a test): how tests show that a refused request changed nothing.

/** Runs one SQL query and returns its rows (Prisma's $queryRawUnsafe, or pg on a URL). */
export type RunQuery = (sql: string) => Promise<unknown[]>;

/** The base tables of the current schema, by name, less `exclude`. */
export async function catalogueTables(query: RunQuery, exclude: ReadonlySet<string> = new Set()): Promise<string[]> {
  const rows = (await query(
    `SELECT table_name AS name FROM information_schema.tables
      WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' ORDER BY table_name`,
  )) as { name: string }[];
  const tables = rows.map((r) => r.name).filter((name) => !exclude.has(name));
  if (tables.length < 5) throw new Error(`the catalogue lists too few tables: ${tables.join(", ")}`);
  return tables;
}

/** `tables` → their row counts, in one statement. */
export async function rowCountsOf(query: RunQuery, tables: readonly string[]): Promise<Record<string, number>> {
  const sql = tables
    .map((name) => `SELECT '${name}' AS name, count(*)::int AS n FROM "${name.replaceAll('"', '""')}"`)
    .join(" UNION ALL ");
  const rows = (await query(sql)) as { name: string; n: number }[];
  return Object.fromEntries(rows.map((r) => [r.name, Number(r.n)]));
}
