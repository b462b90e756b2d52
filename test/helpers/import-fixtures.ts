import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const repositoryRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

/** Absolute path of a fixture under test/fixtures/import. */
export function fixturePath(name: string): string {
  return resolve(repositoryRoot, 'test/fixtures/import', name);
}

/** Returns the shared real-data folder next to the repository, or null (with a warning) when it is absent. */
export function sharedDataFolder(): string | null {
  const folder = resolve(repositoryRoot, '../shared/data');
  if (existsSync(resolve(folder, 'README.md'))) return folder;
  console.warn(`skipping tests on full real files: ${folder} is absent (the fixtures under test/fixtures/import still run)`);
  return null;
}

export { repositoryRoot };
