// Bulk data for the benchmarks, written with SQL (generate_series) so that
// 10,000 members take a second, not minutes. Rows look like the ones the app
// writes: an active, verified person with a Slack identity, a recorded consent and a
// profile (job alerts on, one shared skill), and, for Teams, personal
// conversation references saved the way the bot saves them.
import { randomUUID } from "node:crypto";
import pg from "pg";
import { CONSENT_PURPOSE, CONSENT_VERSION, consentTextHash } from "../src/core/members/consent.js";
import type { Database } from "../src/db/database.js";

export const BENCH_TEAM_ID = "T0ALUMNI1";

export async function withClient<T>(url: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/** Slack user id of bench member `i` (1-based), e.g. UB0000042. */
export const benchUserId = (i: number) => `UB${String(i).padStart(7, "0")}`;

/** Runs one SQL statement: a pg client for PostgreSQL, Prisma's raw SQL for PGlite. */
export type Sql = (text: string, params?: unknown[]) => Promise<unknown>;

export const sqlForUrl =
  (url: string): Sql =>
  (text, params) =>
    withClient(url, (c) => c.query(text, params));

export const sqlForDb =
  (db: Database): Sql =>
  (text, params) =>
    db.prisma.$executeRawUnsafe(text, ...(params ?? []));

/**
 * `count` alumni with Slack identities benchUserId(offset+1..offset+count), a
 * consent to the current text, and a profile with job alerts on and the skill
 * "TypeScript" — one statement (foreign keys are checked at its end).
 */
export async function seedMembers(target: string | Sql, count: number, options: { offset?: number } = {}) {
  const sql = typeof target === "string" ? sqlForUrl(target) : target;
  const offset = options.offset ?? 0;
  await sql(
    `WITH ids AS (SELECT g AS i, gen_random_uuid() AS person_id FROM generate_series($1::int, $2::int) g),
     p AS (
       INSERT INTO people (id, status, membership_status, display_name, email, locale, created_at, updated_at)
       SELECT person_id, 'active', 'verified', CASE WHEN i % 2 = 0 THEN '佐藤 ' || i ELSE 'Alex ' || i END,
              'member' || i || '@example.com', (CASE WHEN i % 3 = 0 THEN 'en' ELSE 'ja' END)::"Locale", now(), now()
       FROM ids),
     s AS (
       INSERT INTO slack_identities (id, person_id, team_id, user_id, created_at)
       SELECT gen_random_uuid(), person_id, $3, 'UB' || lpad(i::text, 7, '0'), now() FROM ids),
     c AS (
       INSERT INTO consents (id, person_id, purpose, version, text_hash, locale, given_at)
       SELECT gen_random_uuid(), person_id, $4, $5, $6, 'ja', now() FROM ids)
     INSERT INTO profiles (id, person_id, skills, job_alerts, gig_alerts, event_alerts, listed,
                           directory_fields, hr_fields, created_at, updated_at)
     SELECT gen_random_uuid(), person_id, ARRAY['TypeScript'], true, true, true, true,
            ARRAY['display_name','skills']::"ProfileField"[], ARRAY['display_name']::"ProfileField"[], now(), now()
     FROM ids`,
    [offset + 1, offset + count, BENCH_TEAM_ID, CONSENT_PURPOSE, CONSENT_VERSION, consentTextHash("ja")],
  );
}

/** An HR person (role hr) to create postings as; returns the person id. */
export async function seedHr(target: string | Sql): Promise<string> {
  const sql = typeof target === "string" ? sqlForUrl(target) : target;
  const id = randomUUID();
  await sql(
    `WITH p AS (
       INSERT INTO people (id, status, display_name, email, locale, created_at, updated_at)
       VALUES ($1::uuid, 'active', '人事 太郎', 'hr@example.co.jp', 'ja', now(), now()))
     INSERT INTO role_grants (id, person_id, role, granted_at)
     VALUES (gen_random_uuid(), $1::uuid, 'hr', now()), (gen_random_uuid(), $1::uuid, 'cm', now())`,
    [id],
  );
  return id;
}

/**
 * `count` Teams personal conversations (a:bench-1..count) with `notify here` on,
 * each reference pointing its serviceUrl at `serviceUrl` (the fake connector).
 */
export async function seedTeamsConversations(url: string, count: number, serviceUrl: string): Promise<string[]> {
  const ids = Array.from({ length: count }, (_, k) => `a:bench-${k + 1}`);
  await withClient(url, async (c) => {
    await c.query(
      `INSERT INTO teams_conversation_refs (id, conversation_id, tenant_id, conversation_type, service_url, reference,
                                            notify_here, created_at, updated_at)
       SELECT gen_random_uuid(), cid, 'bench-tenant', 'personal', $2,
              jsonb_build_object('channelId', 'msteams', 'serviceUrl', $2::text,
                                 'conversation', jsonb_build_object('id', cid, 'conversationType', 'personal',
                                                                    'tenantId', 'bench-tenant'),
                                 'bot', jsonb_build_object('id', '28:bench-bot', 'name', 'alumni-bridge'),
                                 'user', jsonb_build_object('id', '29:' || cid, 'name', 'HR ' || cid),
                                 'locale', 'ja-JP'),
              true, now(), now()
       FROM unnest($1::text[]) cid`,
      [ids, serviceUrl],
    );
  });
  return ids;
}
