// 3. Reminder burst: N members answered "going" to a homecoming day; their
// "1 hour before" reminders fall due together, and two bot replicas on one
// PostgreSQL database send them. Two shapes:
// - same instant: every reminder is due at the same moment (one big event);
//   allSentSeconds is from that moment until the last one arrived;
// - spread over a minute: due times spread evenly across one minute (reminders
//   "due in the same minute"); lateness is each arrival minus its own due time.
// Arrivals are taken where a member would see them (the fake Slack), so
// duplicates and losses are counted as members would notice them.
import { planEventReminders } from "../../src/core/events/plan-event-reminders.js";
import type { Database } from "../../src/db/database.js";
import type { FakeSlack } from "../../src/sandbox/fake-slack.js";
import { type BenchOptions, percentile, round, sleep } from "../lib.js";
import { withClient } from "../seed.js";
import { createHomecoming } from "../world.js";

export const REMINDER_OFFSET_MS = 3_600_000;

export interface BurstFigures {
  reminders: number;
  delivered: number;
  lost: number;
  duplicates: number;
  /** From the first due moment until the last reminder arrived. */
  allSentSeconds: number;
  /** After the last reminder fell due, until the last one arrived. */
  drainSecondsAfterLastDue: number;
  latenessP50Seconds: number;
  latenessP99Seconds: number;
  latenessMaxSeconds: number;
  messagesPerSecond: number;
}

/**
 * Create an event `REMINDER_OFFSET_MS + leadMs` ahead with every seeded member
 * going, plan its reminders with the app's planner, optionally spread their due
 * times over `spreadMs`, and measure their delivery by the running replicas.
 */
export async function reminderBurst(options: {
  label: string;
  db: Database;
  dbUrl: string;
  cmId: string;
  fake: FakeSlack;
  members: number;
  leadMs: number;
  spreadMs: number;
  bench: BenchOptions;
}): Promise<BurstFigures> {
  const { db, fake, bench } = options;
  const dueAt = new Date(Date.now() + options.leadMs);
  const event = await createHomecoming(db, options.cmId, new Date(dueAt.getTime() + REMINDER_OFFSET_MS));
  await withClient(options.dbUrl, (c) =>
    c.query(
      `INSERT INTO rsvps (id, event_id, person_id, response, created_at, updated_at)
       SELECT gen_random_uuid(), $1, si.person_id, 'going', now(), now()
       FROM slack_identities si WHERE si.user_id LIKE 'UB%'`,
      [event.id],
    ),
  );
  const planned = await planEventReminders({
    prisma: db.prisma,
    now: new Date(),
    offsetsMs: [REMINDER_OFFSET_MS],
    horizonMs: REMINDER_OFFSET_MS + options.leadMs + 60_000,
  });
  // Due times: all at dueAt, or evenly over [dueAt, dueAt + spreadMs).
  const due = new Map<string, number>();
  await withClient(options.dbUrl, async (c) => {
    if (options.spreadMs > 0) {
      await c.query(
        `UPDATE outbox_messages o SET not_before = $2::timestamptz + (x.n * $3::double precision / $4) * interval '1 millisecond',
                next_attempt_at = $2::timestamptz + (x.n * $3::double precision / $4) * interval '1 millisecond'
         FROM (SELECT id, row_number() OVER (ORDER BY id) - 1 AS n FROM outbox_messages
               WHERE kind = 'slack.event_reminder' AND subject_id = $1) x
         WHERE o.id = x.id`,
        [event.id, dueAt.toISOString(), options.spreadMs, options.members],
      );
    }
    const { rows } = await c.query<{ user_id: string; not_before: Date }>(
      `SELECT si.user_id, o.not_before FROM outbox_messages o JOIN slack_identities si ON si.person_id = o.recipient_id
       WHERE o.kind = 'slack.event_reminder' AND o.subject_id = $1`,
      [event.id],
    );
    for (const r of rows) due.set(r.user_id, new Date(r.not_before).getTime());
  });
  bench.log(
    `reminders: ${options.label}: ${due.size} reminders (planner created ${planned.created}), ` +
      `due ${options.spreadMs > 0 ? `over ${options.spreadMs / 1000} s from` : "at"} ${dueAt.toISOString()}`,
  );
  const firstDue = Math.min(...due.values());
  const lastDue = Math.max(...due.values());

  // Count arrivals at the fake: reminder DMs name the event's number in their text.
  const marker = `#${event.number}`;
  const arrivals = new Map<string, number[]>();
  let counted = fake.calls.length;
  const count = () => {
    for (; counted < fake.calls.length; counted++) {
      const call = fake.calls[counted];
      if (call?.method !== "chat.postMessage" || call.error) continue;
      const channel = String(call.args.channel ?? "");
      if (!due.has(channel) || !String(call.args.text ?? "").includes(marker)) continue;
      const list = arrivals.get(channel) ?? [];
      list.push(call.at);
      arrivals.set(channel, list);
    }
    return arrivals.size;
  };
  const deadline = lastDue + 120_000;
  while (count() < due.size && Date.now() < deadline) await sleep(100);
  await sleep(bench.quick ? 300 : 1_000);
  count();

  const lateness: number[] = [];
  let lastArrival = 0;
  let total = 0;
  for (const [channel, times] of arrivals) {
    total += times.length;
    const first = Math.min(...times);
    lastArrival = Math.max(lastArrival, ...times);
    lateness.push((first - (due.get(channel) as number)) / 1000);
  }
  const figures: BurstFigures = {
    reminders: due.size,
    delivered: arrivals.size,
    lost: due.size - arrivals.size,
    duplicates: total - arrivals.size,
    allSentSeconds: round((lastArrival - firstDue) / 1000, 2),
    drainSecondsAfterLastDue: round((lastArrival - lastDue) / 1000, 2),
    latenessP50Seconds: round(percentile(lateness, 50), 2),
    latenessP99Seconds: round(percentile(lateness, 99), 2),
    latenessMaxSeconds: round(Math.max(...lateness), 2),
    messagesPerSecond: round(arrivals.size / Math.max(0.001, (lastArrival - firstDue) / 1000), 1),
  };
  bench.log(
    `reminders: ${options.label}: ${figures.delivered}/${figures.reminders} delivered, all sent ` +
      `${figures.allSentSeconds} s after the first was due, lateness p99 ${figures.latenessP99Seconds} s, ` +
      `duplicates ${figures.duplicates}`,
  );
  return figures;
}
