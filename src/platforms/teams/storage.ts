// botbuilder Storage on our database (table bot_state), so a dialog started on
// one replica continues on another and survives restarts. Writes honour eTags:
// a write with a stale eTag fails instead of silently overwriting.
import { randomUUID } from "node:crypto";
import type { Storage, StoreItems } from "botbuilder";
import type { Db } from "../../core/db.js";
import { isUniqueViolation } from "../../core/db.js";

export class PrismaStorage implements Storage {
  /** Rows read ahead by the turn (see turn-load.ts): the next read of that key takes it instead of a query. */
  private readonly primed = new Map<string, { value: Record<string, unknown>; eTag: string } | null>();

  constructor(private readonly prisma: Db) {}

  /** The row of `key` as the turn just read it (null: none); the next read of that key alone uses it. */
  prime(key: string, row: { value: Record<string, unknown>; eTag: string } | null): void {
    this.primed.set(key, row);
  }

  /** Drop a primed row the turn did not use. */
  unprime(key: string): void {
    this.primed.delete(key);
  }

  async read(keys: string[]): Promise<StoreItems> {
    if (keys.length === 0) return {};
    const key = keys[0] as string;
    if (keys.length === 1 && this.primed.has(key)) {
      const row = this.primed.get(key);
      this.primed.delete(key);
      return row ? { [key]: { ...row.value, eTag: row.eTag } } : {};
    }
    const rows = await this.prisma.botStateEntry.findMany({ where: { key: { in: keys } } });
    const items: StoreItems = {};
    for (const row of rows) items[row.key] = { ...(row.value as Record<string, unknown>), eTag: row.eTag };
    return items;
  }

  async write(changes: StoreItems): Promise<void> {
    for (const [key, item] of Object.entries(changes)) {
      const { eTag, ...value } = (item ?? {}) as { eTag?: string } & Record<string, unknown>;
      const next = randomUUID();
      if (!eTag || eTag === "*") {
        await this.prisma.botStateEntry.upsert({
          where: { key },
          create: { key, value: value as never, eTag: next },
          update: { value: value as never, eTag: next },
        });
        continue;
      }
      const updated = await this.prisma.botStateEntry.updateMany({
        where: { key, eTag },
        data: { value: value as never, eTag: next },
      });
      if (updated.count === 0) {
        // New key written with an eTag it never had, or someone else wrote first.
        const exists = await this.prisma.botStateEntry.findUnique({ where: { key }, select: { key: true } });
        if (exists) throw new Error(`Storage: eTag conflict for ${key}`);
        try {
          await this.prisma.botStateEntry.create({ data: { key, value: value as never, eTag: next } });
        } catch (err) {
          if (isUniqueViolation(err)) throw new Error(`Storage: eTag conflict for ${key}`);
          throw err;
        }
      }
    }
  }

  async delete(keys: string[]): Promise<void> {
    if (keys.length) await this.prisma.botStateEntry.deleteMany({ where: { key: { in: keys } } });
  }
}
