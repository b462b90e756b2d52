import { and, eq, gte, lte, sql } from 'drizzle-orm';
import type { DustcastDatabase } from '../../db/database.js';
import { deferredHours, sourceBlocks } from '../../db/schema.js';
import { HOUR_SECONDS, nowSeconds } from '../../time/kst.js';
import type { HourRange } from '../source.js';

/** A source's active quota block. */
export interface SourceBlock {
  blockedUntil: number;
  providerCode: string;
  message: string;
}

/** Returns the block on `source` that is still in force at `now`, if any. */
export function activeBlock(database: DustcastDatabase, source: string, now: number): SourceBlock | undefined {
  const row = database.orm.select().from(sourceBlocks).where(eq(sourceBlocks.source, source)).get();
  if (!row || row.blockedUntil <= now) return undefined;
  return { blockedUntil: row.blockedUntil, providerCode: row.providerCode, message: row.message };
}

/** Blocks `source` until `blockedUntil`, replacing any earlier block. */
export function blockSource(database: DustcastDatabase, source: string, block: SourceBlock): void {
  const values = { source, ...block, createdAt: nowSeconds() };
  database.orm.insert(sourceBlocks).values(values).onConflictDoUpdate({ target: sourceBlocks.source, set: values }).run();
}

/** Records every hour of `range` as deferred for the target; hours already recorded keep their first reason. */
export function deferHours(database: DustcastDatabase, source: string, target: string, range: HourRange, reason: string): number {
  const deferredAt = nowSeconds();
  const rows = [];
  for (let hour = range.from; hour <= range.to; hour += HOUR_SECONDS) rows.push({ source, target, hourAt: hour, reason, deferredAt });
  if (rows.length === 0) return 0;
  database.orm.insert(deferredHours).values(rows).onConflictDoNothing().run();
  return rows.length;
}

/** Returns the oldest deferred hour of the target, or null. */
export function oldestDeferredHour(database: DustcastDatabase, source: string, target: string): number | null {
  const row = database.orm
    .select({ oldest: sql<number | null>`min(${deferredHours.hourAt})` })
    .from(deferredHours)
    .where(and(eq(deferredHours.source, source), eq(deferredHours.target, target)))
    .get();
  return row?.oldest ?? null;
}

/** Removes deferred hours of the target inside `range`, once a pull has covered them. */
export function clearDeferredRange(database: DustcastDatabase, source: string, target: string, range: HourRange): void {
  database.orm
    .delete(deferredHours)
    .where(and(eq(deferredHours.source, source), eq(deferredHours.target, target), gte(deferredHours.hourAt, range.from), lte(deferredHours.hourAt, range.to)))
    .run();
}

/** Removes the given deferred hours of the target, for sources that cannot choose the hours they return. */
export function clearDeferredHours(database: DustcastDatabase, source: string, target: string, hours: Iterable<number>): void {
  for (const hour of hours) clearDeferredRange(database, source, target, { from: hour, to: hour });
}
