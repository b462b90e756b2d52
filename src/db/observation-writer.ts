import type Database from 'better-sqlite3';
import {
  POLLUTANTS,
  WEATHER_FIELDS,
  WEATHER_QC_FIELDS,
  type AirObservationRecord,
  type StationDescriptor,
  type WeatherObservationRecord,
} from '../sources/records.js';
import { nowSeconds } from '../time/kst.js';
import type { DustcastDatabase } from './database.js';

/** Outcome of writing a batch: new rows, replaced values and rows identical to what was stored. */
export interface UpsertCounts {
  inserted: number;
  updated: number;
  unchanged: number;
}

export function emptyCounts(): UpsertCounts {
  return { inserted: 0, updated: 0, unchanged: 0 };
}

export function addCounts(total: UpsertCounts, part: UpsertCounts): UpsertCounts {
  total.inserted += part.inserted;
  total.updated += part.updated;
  total.unchanged += part.unchanged;
  return total;
}

const snakeCase = (name: string) => name.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`);

const airValueColumns = [...POLLUTANTS, ...POLLUTANTS.map((pollutant) => `${pollutant}Flag`)] as (keyof AirObservationRecord)[];
const weatherValueColumns = [...WEATHER_FIELDS, ...WEATHER_QC_FIELDS] as (keyof WeatherObservationRecord)[];

/** Rows per multi-row statement: 512 rows of the widest table use 13,824 of SQLite's 32,766 parameters. */
const BATCH_ROWS = 512;

/** Page cache during a write transaction, in SQLite's negative-KiB form: 64 MiB. */
const WRITE_CACHE_SIZE = -65536;

/** Packs (station id, hour) into one number; hours before 2106 fit below 2^32 seconds. */
const KEY_STRIDE = 2 ** 32;

/**
 * Builds the upsert statement for a table, for `rows` rows at once. An existing row is rewritten
 * only when a value differs, which bumps revision_count. RETURNING distinguishes new rows
 * (revision 0) from revised ones, and an unchanged row returns nothing. Parameters are positional
 * (key columns, value columns, then the ingest time twice), because binding arrays is faster than
 * binding named objects.
 */
function buildUpsert(sqlite: Database.Database, table: string, valueColumns: string[], rows = 1): Database.Statement {
  const sqlColumns = ['station_id', 'observed_at', 'source', ...valueColumns.map(snakeCase)];
  const sqlValues = valueColumns.map(snakeCase);
  const rowPlaceholders = `(${sqlColumns.map(() => '?').join(', ')}, ?, ?, 0)`;
  const text = `
    INSERT INTO ${table} (${sqlColumns.join(', ')}, first_ingested_at, last_ingested_at, revision_count)
    VALUES ${new Array(rows).fill(rowPlaceholders).join(', ')}
    ON CONFLICT (station_id, observed_at, source) DO UPDATE SET
      ${sqlValues.map((column) => `${column} = excluded.${column}`).join(',\n      ')},
      last_ingested_at = excluded.last_ingested_at,
      revision_count = ${table}.revision_count + 1
    WHERE ${sqlValues.map((column) => `${table}.${column} IS NOT excluded.${column}`).join(' OR ')}
    RETURNING revision_count`;
  return sqlite.prepare(text).pluck();
}

/**
 * Builds the plain multi-row insert used when no stored row can conflict. It skips the upsert's
 * RETURNING, which costs about a fifth of the write time on new rows.
 */
function buildInsert(sqlite: Database.Database, table: string, valueColumns: string[], rows: number): Database.Statement {
  const sqlColumns = ['station_id', 'observed_at', 'source', ...valueColumns.map(snakeCase)];
  const rowPlaceholders = `(${sqlColumns.map(() => '?').join(', ')}, ?, ?, 0)`;
  return sqlite.prepare(`
    INSERT INTO ${table} (${sqlColumns.join(', ')}, first_ingested_at, last_ingested_at, revision_count)
    VALUES ${new Array(rows).fill(rowPlaceholders).join(', ')}`);
}

/**
 * Counts the rows of a chunk that are stored with the same values, taking the parameters of the
 * chunk's upsert. A chunk whose every row is unchanged then needs no write at all, which on a
 * re-import costs about a fifth less than the upsert finding nothing to change.
 */
function buildUnchangedCount(sqlite: Database.Database, table: string, valueColumns: string[], rows: number): Database.Statement {
  const width = valueColumns.length + 5;
  const keys = new Array(rows).fill(`(${new Array(width).fill('?').join(', ')})`).join(', ');
  const same = valueColumns.map((column, index) => `stored.${snakeCase(column)} IS keys.column${index + 4}`).join(' AND ');
  return sqlite
    .prepare(
      `SELECT count(*) FROM (VALUES ${keys}) AS keys
       JOIN ${table} AS stored ON stored.station_id = keys.column1 AND stored.observed_at = keys.column2 AND stored.source = keys.column3
       WHERE ${same}`,
    )
    .pluck();
}

/**
 * Counts the stored rows among `rows` keys, given as (station id, hour) pairs and then the source.
 * Each key is one probe of the primary key.
 */
function buildStoredCount(sqlite: Database.Database, table: string, rows: number): Database.Statement {
  const keys = new Array(rows).fill('(?, ?)').join(', ');
  return sqlite
    .prepare(
      `SELECT count(*) FROM (VALUES ${keys}) AS keys
       JOIN ${table} AS stored ON stored.station_id = keys.column1 AND stored.observed_at = keys.column2 AND stored.source = ?`,
    )
    .pluck();
}

function upsertStatements(sqlite: Database.Database, table: string, valueColumns: string[]): UpsertStatements {
  return {
    single: buildUpsert(sqlite, table, valueColumns),
    batch: buildUpsert(sqlite, table, valueColumns, BATCH_ROWS),
    batchInsert: buildInsert(sqlite, table, valueColumns, BATCH_ROWS),
    storedCount: buildStoredCount(sqlite, table, BATCH_ROWS),
    unchangedCount: buildUnchangedCount(sqlite, table, valueColumns, BATCH_ROWS),
  };
}

/**
 * The one write path for observations, shared by file importers and API clients. Statements are
 * prepared once; callers wrap batches in a transaction (see `transaction`).
 */
export class ObservationWriter {
  private readonly airUpsert: UpsertStatements;
  private readonly weatherUpsert: UpsertStatements;
  private readonly stationSelect: Database.Statement;
  private readonly stationInsert: Database.Statement;
  private readonly stationUpdate: Database.Statement;
  private readonly stationIds = new Map<string, number>();

  constructor(private readonly database: DustcastDatabase) {
    const sqlite = database.sqlite;
    this.airUpsert = upsertStatements(sqlite, 'air_observations', airValueColumns as string[]);
    this.weatherUpsert = upsertStatements(sqlite, 'weather_observations', weatherValueColumns as string[]);
    this.stationSelect = sqlite.prepare('SELECT id FROM stations WHERE provider = ? AND provider_code = ?');
    this.stationInsert = sqlite.prepare(`
      INSERT INTO stations (provider, provider_code, name, kind, latitude, longitude, address, weather_station_code, created_at, updated_at)
      VALUES (@provider, @providerCode, @name, @kind, @latitude, @longitude, @address, @weatherStationCode, @now, @now)
      RETURNING id`);
    // Only fills in the details the new description contains, so an import without coordinates keeps stored ones.
    this.stationUpdate = sqlite.prepare(`
      UPDATE stations SET
        name = @name,
        kind = COALESCE(@kind, kind),
        latitude = COALESCE(@latitude, latitude),
        longitude = COALESCE(@longitude, longitude),
        address = COALESCE(@address, address),
        weather_station_code = COALESCE(@weatherStationCode, weather_station_code),
        updated_at = @now
      WHERE id = @id AND (name IS NOT @name
        OR (@kind IS NOT NULL AND kind IS NOT @kind)
        OR (@latitude IS NOT NULL AND latitude IS NOT @latitude)
        OR (@longitude IS NOT NULL AND longitude IS NOT @longitude)
        OR (@address IS NOT NULL AND address IS NOT @address)
        OR (@weatherStationCode IS NOT NULL AND weather_station_code IS NOT @weatherStationCode))`);
  }

  /** Returns the row id of a station, or undefined when no row has this provider and code. */
  findStation(provider: string, providerCode: string): number | undefined {
    return (this.stationSelect.get(provider, providerCode) as { id: number } | undefined)?.id;
  }

  /** Returns the station's row id, creating the row or filling in new details as needed. */
  ensureStation(descriptor: StationDescriptor): number {
    const cacheKey = `${descriptor.provider}\u0000${descriptor.providerCode}`;
    const parameters = {
      provider: descriptor.provider,
      providerCode: descriptor.providerCode,
      name: descriptor.name,
      kind: descriptor.kind ?? null,
      latitude: descriptor.latitude ?? null,
      longitude: descriptor.longitude ?? null,
      address: descriptor.address ?? null,
      weatherStationCode: descriptor.weatherStationCode ?? null,
      now: nowSeconds(),
    };
    const cached = this.stationIds.get(cacheKey);
    const hasDetails =
      parameters.kind !== null || parameters.latitude !== null || parameters.address !== null || parameters.weatherStationCode !== null;
    if (cached !== undefined && !hasDetails) return cached;
    const existing = (cached !== undefined ? { id: cached } : this.stationSelect.get(descriptor.provider, descriptor.providerCode)) as
      | { id: number }
      | undefined;
    if (existing) {
      this.stationUpdate.run({ ...parameters, id: existing.id });
      this.stationIds.set(cacheKey, existing.id);
      return existing.id;
    }
    const inserted = this.stationInsert.get(parameters) as { id: number };
    this.stationIds.set(cacheKey, inserted.id);
    return inserted.id;
  }

  writeAir(records: Iterable<AirObservationRecord>, ingestedAt = nowSeconds()): UpsertCounts {
    return this.write(this.airUpsert, airValueColumns, records, ingestedAt);
  }

  writeWeather(records: Iterable<WeatherObservationRecord>, ingestedAt = nowSeconds()): UpsertCounts {
    return this.write(this.weatherUpsert, weatherValueColumns, records, ingestedAt);
  }

  /**
   * Runs `work` in one transaction: everything it writes lands, or nothing does. An import writes
   * each station's rows into its own key range, so the page cache is raised to 64 MiB meanwhile
   * to keep those B-tree pages in memory, where SQLite's default 2 MiB would re-read them. The
   * connection's own size comes back afterwards, so readers such as the window builder keep the
   * smaller cache.
   */
  transaction<T>(work: () => T): T {
    const sqlite = this.database.sqlite;
    const cacheSize = sqlite.pragma('cache_size', { simple: true }) as number;
    sqlite.pragma(`cache_size = ${WRITE_CACHE_SIZE}`);
    try {
      return sqlite.transaction(work)();
    } finally {
      sqlite.pragma(`cache_size = ${cacheSize}`);
    }
  }

  /**
   * Upserts records in chunks of BATCH_ROWS through the multi-row statement and the rest one by
   * one. A chunk never contains the same station, hour and source twice, because SQLite rejects an
   * upsert that touches one row twice, so a repeat closes the chunk first. A full chunk none of
   * whose keys is stored cannot conflict, so it goes in as a plain insert.
   */
  private write<T extends { stationId: number; observedAt: number; source: string }>(
    statements: UpsertStatements,
    valueColumns: readonly (keyof T)[],
    records: Iterable<T>,
    ingestedAt: number,
  ): UpsertCounts {
    const counts = emptyCounts();
    const width = valueColumns.length + 5;
    const parameters: unknown[] = new Array(width * BATCH_ROWS);
    const keys = new Set<number>();
    const keyParameters: unknown[] = new Array(2 * BATCH_ROWS + 1);
    let pending = 0;
    let chunkSource: string | undefined;

    const flush = () => {
      keyParameters[2 * BATCH_ROWS] = chunkSource;
      const stored = pending === BATCH_ROWS ? (statements.storedCount.get(keyParameters) as number) : -1;
      if (stored === 0) {
        statements.batchInsert.run(parameters);
        counts.inserted += BATCH_ROWS;
      } else if (stored === BATCH_ROWS && statements.unchangedCount.get(parameters) === BATCH_ROWS) {
        counts.unchanged += BATCH_ROWS;
      } else if (pending === BATCH_ROWS) {
        const revisions = statements.batch.all(parameters) as number[];
        for (const revision of revisions) {
          if (revision === 0) counts.inserted += 1;
          else counts.updated += 1;
        }
        counts.unchanged += BATCH_ROWS - revisions.length;
      } else {
        for (let row = 0; row < pending; row += 1) {
          const revision = statements.single.get(parameters.slice(row * width, (row + 1) * width)) as number | undefined;
          if (revision === undefined) counts.unchanged += 1;
          else if (revision === 0) counts.inserted += 1;
          else counts.updated += 1;
        }
      }
      pending = 0;
      keys.clear();
    };

    for (const record of records) {
      const key = record.stationId * KEY_STRIDE + record.observedAt;
      if (pending > 0 && (keys.has(key) || record.source !== chunkSource)) flush();
      keys.add(key);
      chunkSource = record.source;
      keyParameters[2 * pending] = record.stationId;
      keyParameters[2 * pending + 1] = record.observedAt;
      let offset = pending * width;
      parameters[offset++] = record.stationId;
      parameters[offset++] = record.observedAt;
      parameters[offset++] = record.source;
      for (let index = 0; index < valueColumns.length; index += 1) parameters[offset++] = record[valueColumns[index]] ?? null;
      parameters[offset++] = ingestedAt;
      parameters[offset] = ingestedAt;
      pending += 1;
      if (pending === BATCH_ROWS) flush();
    }
    if (pending > 0) flush();
    return counts;
  }
}

/** The statements that write one table. */
interface UpsertStatements {
  /** One-row upsert, for the rest of a write that does not fill a chunk. */
  single: Database.Statement;
  /** BATCH_ROWS-row upsert. */
  batch: Database.Statement;
  /** BATCH_ROWS-row insert, for chunks none of whose keys is stored. */
  batchInsert: Database.Statement;
  /** Count of the stored rows among a chunk's keys. */
  storedCount: Database.Statement;
  /** Count of a chunk's rows stored with the same values. */
  unchangedCount: Database.Statement;
}
