import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { repositoryRoot } from './helpers/import-fixtures.js';

/** Runs the time probe in a child process with the given TZ and returns its parsed output. */
function probe(timeZone: string): Record<string, unknown> {
  const result = spawnSync(process.execPath, ['--import', 'tsx', 'test/helpers/time-probe.ts'], {
    cwd: repositoryRoot,
    env: { ...process.env, TZ: timeZone },
    encoding: 'utf8',
  });
  if (result.status !== 0) throw new Error(`time probe failed under TZ=${timeZone}:\n${result.stderr}`);
  return JSON.parse(result.stdout.trim().split('\n').at(-1)!) as Record<string, unknown>;
}

describe('time parsing across TZ', () => {
  const utc = probe('UTC');
  const newYork = probe('America/New_York');

  it('runs under each zone', () => {
    expect(utc.timeZone).toBe('UTC');
    expect(newYork.timeZone).toBe('America/New_York');
  });

  it('gives KST instants under UTC', () => {
    const iso = (seconds: number) => new Date(seconds * 1000).toISOString();
    expect((utc.airKorea as number[]).map(iso)).toEqual([
      '2024-03-09T15:00:00.000Z',
      '2023-12-31T15:00:00.000Z',
      '2024-02-28T15:00:00.000Z',
      '2025-04-21T06:00:00.000Z',
    ]);
    // 2021-03-14 02:00 does not exist in New York (daylight saving starts) but does in KST.
    expect((utc.kma as number[]).map(iso)).toEqual(['2020-12-31T15:00:00.000Z', '2017-12-31T15:00:00.000Z', '2021-03-13T17:00:00.000Z']);
    expect((utc.excel as number[]).map(iso)).toEqual(['2010-12-31T15:00:00.000Z', '2014-12-31T16:00:00.000Z']);
    expect((utc.seoul as number[]).map(iso)).toEqual(['2008-12-31T15:00:00.000Z', '2009-01-01T14:00:00.000Z']);
    expect((utc.arguments as number[]).map(iso)).toEqual([
      '2024-03-08T15:00:00.000Z',
      '2024-03-09T04:00:00.000Z',
      '2024-03-09T04:00:00.000Z',
      '2024-11-02T16:30:00.000Z',
    ]);
    expect(utc.formatted).toEqual(['2024-03-10 00:00', '2024-01-01 00:00']);
  });

  it('matches UTC under New York', () => {
    for (const key of ['airKorea', 'kma', 'excel', 'seoul', 'mapping', 'arguments', 'formatted', 'parts']) {
      expect(newYork[key], key).toEqual(utc[key]);
    }
  });

  it('stores the same instants', () => {
    expect((utc.stored as unknown[]).length).toBe(5);
    expect(newYork.stored).toEqual(utc.stored);
  });
});
