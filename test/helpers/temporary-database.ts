import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase, type DustcastDatabase } from '../../src/db/database.js';

/** A real SQLite file in a fresh temporary folder; `remove` closes it and deletes the folder. */
export interface TemporaryDatabase {
  database: DustcastDatabase;
  folder: string;
  remove(): void;
}

export function createTemporaryDatabase(prefix = 'dustcast-test-'): TemporaryDatabase {
  const folder = mkdtempSync(join(tmpdir(), prefix));
  const database = openDatabase(join(folder, 'dustcast.sqlite'));
  return {
    database,
    folder,
    remove: () => {
      database.close();
      rmSync(folder, { recursive: true, force: true });
    },
  };
}
