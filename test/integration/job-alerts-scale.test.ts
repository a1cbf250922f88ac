// Publishing to a large alumni base: every matching member's alert is queued in
// the posting's own transaction, once, however often the request is replayed,
// and well inside the transaction's time limit.
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CONSENT_PURPOSE, CONSENT_VERSION, consentTextHash } from "../../src/core/members/consent.js";
import { createPosting } from "../../src/core/postings/create-posting.js";
import { ENGINES, type EngineHandle, openEngine } from "../support/engines.js";

const MEMBERS = 3_000;

describe.each(ENGINES)("job alerts at scale (%s)", (engine) => {
  let handle: EngineHandle;
  let hrId: string;

  beforeAll(async () => {
    handle = await openEngine(engine);
    const sql = (text: string, ...params: unknown[]) => handle.db.prisma.$executeRawUnsafe(text, ...params);
    // Verified members 1..MEMBERS: even ones list TypeScript, odd ones Go; every third has job alerts off.
    await sql(
      `WITH ids AS (SELECT g AS i, gen_random_uuid() AS person_id FROM generate_series(1, $1::int) g),
       p AS (INSERT INTO people (id, status, membership_status, display_name, locale, created_at, updated_at)
             SELECT person_id, 'active', 'verified', 'Member ' || i, 'ja', now(), now() FROM ids),
       s AS (INSERT INTO slack_identities (id, person_id, team_id, user_id, created_at)
             SELECT gen_random_uuid(), person_id, 'T0SCALE', 'US' || i, now() FROM ids),
       c AS (INSERT INTO consents (id, person_id, purpose, version, text_hash, locale, given_at)
             SELECT gen_random_uuid(), person_id, $2, $3, $4, 'ja', now() FROM ids)
       INSERT INTO profiles (id, person_id, skills, job_alerts, created_at, updated_at)
       SELECT gen_random_uuid(), person_id, CASE WHEN i % 2 = 0 THEN ARRAY['TypeScript'] ELSE ARRAY['Go'] END,
              i % 3 <> 0, now(), now()
       FROM ids`,
      MEMBERS,
      CONSENT_PURPOSE,
      CONSENT_VERSION,
      consentTextHash("ja"),
    );
    hrId = randomUUID();
    await sql(
      `WITH p AS (INSERT INTO people (id, status, display_name, created_at, updated_at)
                  VALUES ($1::uuid, 'active', 'HR', now(), now()))
       INSERT INTO role_grants (id, person_id, role, granted_at) VALUES (gen_random_uuid(), $1::uuid, 'hr', now())`,
      hrId,
    );
  }, 120_000);
  afterAll(async () => {
    await handle?.close();
  });

  it("queues one DM per matching member (skills shared, alerts on), once for a replayed request", async () => {
    const requestKey = randomUUID();
    const publish = () =>
      createPosting({
        prisma: handle.db.prisma,
        actorId: hrId,
        input: { kind: "job", title: "Scale", description: "d", skills: ["typescript"], publish: true },
        originConversationRefId: null,
        alumniChannelId: null,
        requestKey,
        today: new Date().toISOString().slice(0, 10),
      });
    const { posting } = await publish();
    const expected = Array.from({ length: MEMBERS }, (_, k) => k + 1).filter((i) => i % 2 === 0 && i % 3 !== 0);
    const alerts = await handle.db.prisma.outboxMessage.findMany({
      where: { kind: "slack.job_alert", subjectId: posting.id },
      select: { target: true, rateKey: true, payload: true, status: true },
    });
    expect(alerts).toHaveLength(expected.length);
    expect(new Set(alerts.map((a) => a.target))).toEqual(new Set(expected.map((i) => `US${i}`)));
    expect(alerts[0]).toMatchObject({
      rateKey: "slack:T0SCALE:dm",
      status: "pending",
      payload: { type: "slack.job_alert", postingId: posting.id },
    });
    const again = await publish();
    expect(again.duplicate).toBe(true);
    expect(await handle.db.prisma.outboxMessage.count({ where: { kind: "slack.job_alert" } })).toBe(expected.length);
  }, 60_000);
});
