import { and, desc, eq, isNotNull } from 'drizzle-orm';
import type { DustcastDatabase } from '../db/database.js';
import { models } from '../db/schema.js';
import type { ModelManifest } from './manifest.js';

export type ModelRow = typeof models.$inferSelect;

/**
 * Lifecycle of a version: candidate after training, champion when promoted, retired when a
 * newer champion replaces it, and rejected when it lost the promotion rule or was rolled back.
 * A deleted version lost its artifact to retention, but its row keeps the metrics for history.
 */
export type ModelStatus = 'candidate' | 'champion' | 'retired' | 'rejected' | 'deleted';

/** A version name, command or state that the registry cannot act on. */
export class ModelRegistryError extends Error {
  /** True when a retry cannot help until someone acts, which makes a queue job fail at once. */
  readonly permanent: boolean;

  constructor(message: string, options: { permanent?: boolean } = {}) {
    super(message);
    this.name = 'ModelRegistryError';
    this.permanent = options.permanent ?? false;
  }
}

/** Inserts the `candidate` row of a freshly written artifact. */
export function insertCandidate(database: DustcastDatabase, manifest: ModelManifest, artifactPath: string): void {
  database.orm
    .insert(models)
    .values({
      version: manifest.version,
      createdAt: manifest.createdAt,
      status: 'candidate',
      artifactPath,
      features: JSON.stringify(manifest.spec.featureNames),
      horizons: JSON.stringify(manifest.spec.horizons),
      targets: JSON.stringify(manifest.spec.targets),
      stationIds: JSON.stringify(manifest.stationIds),
      trainFrom: manifest.ranges.train.from,
      trainTo: manifest.ranges.train.to,
      testFrom: manifest.ranges.test.from,
      testTo: manifest.ranges.test.to,
      metrics: JSON.stringify(manifest.evaluation),
      score: manifest.evaluation.pm25MeanRmse,
      backend: manifest.backend.name,
      weightsSha256: manifest.weights.sha256,
    })
    .run();
}

/** Returns every version, newest first. */
export function listModels(database: DustcastDatabase): ModelRow[] {
  return database.orm.select().from(models).orderBy(desc(models.createdAt), desc(models.version)).all();
}

export function findModel(database: DustcastDatabase, version: string): ModelRow | undefined {
  return database.orm.select().from(models).where(eq(models.version, version)).get();
}

/** Returns a version's row or throws naming the version and how to list the known ones. */
export function requireModel(database: DustcastDatabase, version: string): ModelRow {
  const row = findModel(database, version);
  if (!row) throw new ModelRegistryError(`model version ${version} not found; run \`dustcast models list\` to see the stored versions`);
  return row;
}

export function findChampion(database: DustcastDatabase): ModelRow | undefined {
  return database.orm.select().from(models).where(eq(models.status, 'champion')).get();
}

/** Returns the champion before the current one: the retired version promoted most recently. */
export function findPreviousChampion(database: DustcastDatabase): ModelRow | undefined {
  return database.orm
    .select()
    .from(models)
    .where(and(eq(models.status, 'retired'), isNotNull(models.promotedAt)))
    .orderBy(desc(models.promotedAt))
    .limit(1)
    .get();
}

/** Returns the newest version still waiting for the promotion rule. */
export function findLatestCandidate(database: DustcastDatabase): ModelRow | undefined {
  return database.orm.select().from(models).where(eq(models.status, 'candidate')).orderBy(desc(models.createdAt), desc(models.version)).limit(1).get();
}

export function setStatus(database: DustcastDatabase, version: string, status: ModelStatus): void {
  database.orm.update(models).set({ status }).where(eq(models.version, version)).run();
}

/**
 * Makes `version` the champion in one transaction: the current champion becomes retired (and
 * so the rollback target). Promoting the champion again changes nothing.
 */
export function promote(database: DustcastDatabase, version: string, now = Math.floor(Date.now() / 1000)): { previousChampion: string | null } {
  return database.sqlite.transaction(() => {
    const row = requireModel(database, version);
    if (row.status === 'champion') return { previousChampion: null };
    if (row.status === 'deleted') {
      throw new ModelRegistryError(`model version ${version} cannot be promoted because retention deleted its artifact; train a new version`);
    }
    const champion = findChampion(database);
    if (champion) setStatus(database, champion.version, 'retired');
    database.orm.update(models).set({ status: 'champion', promotedAt: now }).where(eq(models.version, version)).run();
    return { previousChampion: champion?.version ?? null };
  })();
}

/**
 * Puts the previous champion back in one transaction. The current one becomes rejected, so a
 * second rollback steps one champion further back.
 */
export function rollback(database: DustcastDatabase): { restored: string; demoted: string } {
  return database.sqlite.transaction(() => {
    const champion = findChampion(database);
    if (!champion) throw new ModelRegistryError('there is no champion to roll back; promote a version with `dustcast models promote VERSION`');
    const previous = findPreviousChampion(database);
    if (!previous) throw new ModelRegistryError(`champion ${champion.version} has no previous champion to roll back to`);
    setStatus(database, champion.version, 'rejected');
    database.orm.update(models).set({ status: 'champion' }).where(eq(models.version, previous.version)).run();
    return { restored: previous.version, demoted: champion.version };
  })();
}
