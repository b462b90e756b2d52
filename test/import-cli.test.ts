import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildProgram } from '../src/cli/program.js';
import { displayWidth, formatTextTable } from '../src/cli/text-table.js';
import { openDatabase } from '../src/db/database.js';
import { fixturePath, repositoryRoot } from './helpers/import-fixtures.js';
import { createTemporaryDatabase, type TemporaryDatabase } from './helpers/temporary-database.js';

describe('dustcast import and stations', () => {
  let temporary: TemporaryDatabase;
  let databasePath: string;

  const dustcast = (...args: string[]) =>
    spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], {
      cwd: repositoryRoot,
      env: { ...process.env, DUSTCAST_DATABASE_PATH: databasePath, DUSTCAST_LOG_LEVEL: 'silent' },
      encoding: 'utf8',
    });

  beforeAll(() => {
    temporary = createTemporaryDatabase();
    databasePath = join(temporary.folder, 'cli.sqlite');
  });

  afterAll(() => temporary.remove());

  it('prints the summary table', () => {
    const result = dustcast('import', fixturePath('airkorea-urban25-slice.csv'), fixturePath('kma-surface-asos-108-2018-slice.csv'));
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    const lines = result.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^file\s+format\s+source\s+encoding\s+read\s+inserted\s+updated\s+unchanged\s+duplicate\s+missing\s+rejected/);
    expect(lines[2]).toMatch(/^airkorea-urban25-slice\.csv\s+airkorea\s+airkorea-file\s+utf-8\s+75\s+50\s+0\s+0\s+25\s+0\s+0\s+2025-04-21 15:00\s+2025-06-28 15:00\s+succeeded$/);
    expect(lines[3]).toMatch(/^kma-surface-asos-108-2018-slice\.csv\s+kma-asos\s+kma-asos-file\s+cp949\s+24\s+24\s/);
  });

  it('exits 1 naming the bad row', () => {
    const lines = readFileSync(fixturePath('airkorea-urban25-slice.csv'), 'utf8').split('\n');
    lines[4] = lines[4].replace(',2025-04-21 15:00,', ',2025-04-21 1500,');
    const path = join(temporary.folder, 'broken.csv');
    writeFileSync(path, lines.join('\n'));
    const result = dustcast('import', path);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('broken.csv, line 5: field "dataTime" has invalid value "2025-04-21 1500"');
    expect(result.stdout).toMatch(/broken\.csv\s+airkorea\s+airkorea-file\s+utf-8\s+4\s+0\s+0\s+0\s+0\s+0\s+1\s.*failed$/m);
  });

  it('sets and lists the weather station', () => {
    const set = dustcast('stations', 'set-weather', '중구', '108');
    expect(set.status).toBe(0);
    expect(set.stdout).toMatch(/now uses KMA station 108$/m);
    const list = dustcast('stations', 'list', '--provider', 'airkorea');
    expect(list.status).toBe(0);
    expect(list.stdout).toMatch(/중구.*kma:108 \(set to 108\)/);
    const database = openDatabase(databasePath);
    const code = database.sqlite.prepare("SELECT weather_station_code FROM stations WHERE provider = 'airkorea' AND provider_code = '중구'").pluck().get();
    database.close();
    expect(code).toBe('108');
  });

  it('shows help for each command', () => {
    // Help text is built in-process: spawning the CLI once per command would only repeat start-up.
    const program = buildProgram();
    const find = (path: string[]) => path.reduce<Command | undefined>((command, name) => command?.commands.find((child) => child.name() === name), program);
    for (const path of [['import'], ['stations'], ['stations', 'list'], ['stations', 'set-weather']]) {
      const command = find(path);
      expect(command, path.join(' ')).toBeDefined();
      expect(command!.helpInformation(), path.join(' ')).toContain(`Usage: dustcast ${path.join(' ')}`);
    }
    expect(find(['import'])!.helpInformation()).toContain('--encoding <encoding>');
    expect(find(['stations', 'set-weather'])!.helpInformation()).toContain('KMA ASOS station number');
  });
});

describe('formatTextTable', () => {
  it('aligns Korean names by display width', () => {
    const table = formatTextTable(['code', 'kind'], [['강남구', 'urban'], ['108', 'asos']]).split('\n');
    expect(table[0]).toBe('code    kind');
    expect(table[2]).toBe('강남구  urban');
    expect(table[3]).toBe('108     asos');
  });

  it('counts wide characters twice', () => {
    expect(displayWidth('중구')).toBe(4);
    expect(displayWidth('㎍/㎥')).toBe(5);
    expect(displayWidth('pm25')).toBe(4);
  });
});
