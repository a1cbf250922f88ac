// Bulk data for the benchmarks, written with SQL (generate_series) so that
// 10,000 members take a second, not minutes. Rows look like the ones the app
// writes: an active person with a Slack identity, a recorded consent and a
// profile (job alerts on, one shared skill), and, for Teams, personal
// conversation references saved the way the bot saves them.
import pg from "pg";

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

/**
 * `count` alumni with Slack identities benchUserId(1..count), consent, and a
 * profile with job alerts on and the skill "TypeScript". Returns nothing; ids are
 * looked up by user id when needed.
 */
export async function seedMembers(url: string, count: number, options: { offset?: number } = {}): Promise<void> {
  const offset = options.offset ?? 0;
  await withClient(url, async (c) => {
    await c.query("BEGIN");
    await c.query(
      `CREATE TEMP TABLE seed_ids ON COMMIT DROP AS
       SELECT g AS i, gen_random_uuid() AS person_id FROM generate_series($1::int, $2::int) g`,
      [offset + 1, offset + count],
    );
    await c.query(
      `INSERT INTO people (id, status, display_name, email, locale, created_at, updated_at)
       SELECT person_id, 'active', CASE WHEN i % 2 = 0 THEN '佐藤 ' || i ELSE 'Alex ' || i END,
              'member' || i || '@example.com', CASE WHEN i % 3 = 0 THEN 'en' ELSE 'ja' END::"Locale", now(), now()
       FROM seed_ids`,
    );
    await c.query(
      `INSERT INTO slack_identities (id, person_id, team_id, user_id, created_at)
       SELECT gen_random_uuid(), person_id, $1, 'UB' || lpad(i::text, 7, '0'), now() FROM seed_ids`,
      [BENCH_TEAM_ID],
    );
    await c.query(
      `INSERT INTO consents (id, person_id, purpose, version, text_hash, locale, given_at)
       SELECT gen_random_uuid(), person_id, 'alumni_network', '2026-01', repeat('0', 64), 'ja', now() FROM seed_ids`,
    );
    await c.query(
      `INSERT INTO profiles (id, person_id, skills, job_alerts, gig_alerts, event_alerts, listed,
                             directory_fields, hr_fields, created_at, updated_at)
       SELECT gen_random_uuid(), person_id, ARRAY['TypeScript'], true, true, true, true,
              ARRAY['display_name','skills']::"ProfileField"[], ARRAY['display_name']::"ProfileField"[], now(), now()
       FROM seed_ids`,
    );
    await c.query("COMMIT");
  });
}

/** An HR person (role hr) to create postings as; returns the person id. */
export async function seedHr(url: string): Promise<string> {
  return withClient(url, async (c) => {
    const { rows } = await c.query<{ id: string }>(
      `INSERT INTO people (id, status, display_name, email, locale, created_at, updated_at)
       VALUES (gen_random_uuid(), 'active', '人事 太郎', 'hr@example.co.jp', 'ja', now(), now()) RETURNING id`,
    );
    const id = (rows[0] as { id: string }).id;
    await c.query(
      `INSERT INTO role_grants (id, person_id, role, granted_at) VALUES (gen_random_uuid(), $1, 'hr', now()),
                                                                       (gen_random_uuid(), $1, 'cm', now())`,
      [id],
    );
    return id;
  });
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
