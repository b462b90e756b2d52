import { mkdtempSync, rmSync, truncateSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTrainingWindowSet } from '../src/windows/build-window-set.js';
import { loadWindowSet, saveWindowSet } from '../src/windows/window-set-file.js';
import { fillBatch, type WindowSet } from '../src/windows/window-set.js';
import { importSeoulRealtime, seoulRealtimeAvailable } from './windows-support/seoul-realtime.js';
import { createTemporaryDatabase, type TemporaryDatabase } from './windows-support/temporary-database.js';

describe.skipIf(!seoulRealtimeAvailable)('window set files', () => {
  let temporary: TemporaryDatabase;
  let set: WindowSet;
  let folder: string;

  beforeAll(() => {
    temporary = createTemporaryDatabase();
    importSeoulRealtime(temporary.database, { stationNames: ['마포구', '송파구'], fromDataTime: '2025-06-01 01:00', toDataTime: '2025-06-20 24:00' });
    set = buildTrainingWindowSet(temporary.database, {
      windowHours: 12,
      horizons: [1, 6],
      targets: ['pm25', 'pm10'],
      maxGapHours: 2,
      features: [],
      neighbourFeatures: 'on',
      validationFraction: 0.2,
      testFraction: 0.2,
    });
    folder = mkdtempSync(join(tmpdir(), 'dustcast-window-file-'));
  });

  afterAll(() => {
    temporary?.remove();
    if (folder) rmSync(folder, { recursive: true, force: true });
  });

  it('round-trips every field', () => {
    const target = join(folder, 'set');
    saveWindowSet(set, target);
    const loaded = loadWindowSet(target);
    expect(loaded.spec).toEqual(set.spec);
    expect(loaded.blocks).toEqual(set.blocks);
    expect(loaded.ranges).toEqual(set.ranges);
    expect(loaded.stationIds).toEqual(set.stationIds);
    expect(loaded.rowCount).toBe(set.rowCount);
    expect(Array.from(loaded.features)).toEqual(Array.from(set.features));
    expect(Array.from(loaded.targetValues)).toEqual(Array.from(set.targetValues));
    expect(Array.from(loaded.samples.train)).toEqual(Array.from(set.samples.train));
    expect(Array.from(loaded.samples.test)).toEqual(Array.from(set.samples.test));
    expect(Array.from(loaded.featureScaler.stds)).toEqual(Array.from(set.featureScaler.stds));
    expect(Array.from(loaded.targetScaler.means)).toEqual(Array.from(set.targetScaler.means));
  });

  it('fills the same batch after loading', () => {
    const target = join(folder, 'batch');
    saveWindowSet(set, target);
    const loaded = loadWindowSet(target);
    const size = 8 * set.spec.windowHours * set.featureCount;
    const before = new Float32Array(size);
    const after = new Float32Array(size);
    const targetsBefore = new Float32Array(8 * 4);
    const targetsAfter = new Float32Array(8 * 4);
    fillBatch(set, set.samples.validation, 0, 8, before, targetsBefore);
    fillBatch(loaded, loaded.samples.validation, 0, 8, after, targetsAfter);
    expect(Array.from(after)).toEqual(Array.from(before));
    expect(Array.from(targetsAfter)).toEqual(Array.from(targetsBefore));
  });

  it('replaces an existing folder whole', () => {
    const target = join(folder, 'replace');
    saveWindowSet(set, target);
    saveWindowSet(set, target);
    expect(loadWindowSet(target).rowCount).toBe(set.rowCount);
  });

  it('rejects a truncated array file', () => {
    const target = join(folder, 'damaged');
    saveWindowSet(set, target);
    truncateSync(join(target, 'features.f32'), 100);
    expect(() => loadWindowSet(target)).toThrow(/features\.f32 has 100 bytes/);
  });

  it('rejects a folder without a header', () => {
    const target = join(folder, 'missing');
    expect(existsSync(target)).toBe(false);
    expect(() => loadWindowSet(target)).toThrow(/window-set\.json not found/);
  });
});
