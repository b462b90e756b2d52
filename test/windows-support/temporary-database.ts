import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase, type DustcastDatabase } from '../../src/db/database.js';

/** A migrated SQLite file in a fresh temporary folder; `remove` closes it and deletes the folder. */
export interface TemporaryDatabase {
  database: DustcastDatabase;
  directory: string;
  remove(): void;
}

export function createTemporaryDatabase(prefix = 'dustcast-windows-'): TemporaryDatabase {
  const directory = mkdtempSync(join(tmpdir(), prefix));
  const database = openDatabase(join(directory, 'test.sqlite'));
  return {
    database,
    directory,
    remove: () => {
      database.close();
      rmSync(directory, { recursive: true, force: true });
    },
  };
}
