// Prints every time conversion the importers make, as JSON, so a test can run this script under
// several TZ settings and compare the outputs.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from '../../src/db/database.js';
import { importFile } from '../../src/importers/import-file.js';
import { excelSerialToEpochSeconds } from '../../src/importers/kma-asos-file.js';
import { parseKmaDateTime } from '../../src/importers/kma-asos-values.js';
import { compileTimeFormat } from '../../src/importers/mapping-file.js';
import { parseSeoulMeasuredAt } from '../../src/importers/seoul-openapi-rows.js';
import { parseAirKoreaDataTime } from '../../src/sources/values.js';
import { epochSecondsToKstParts, formatKst, parseKstDateArgument } from '../../src/time/kst.js';
import { fixturePath } from './import-fixtures.js';

const folder = mkdtempSync(join(tmpdir(), 'dustcast-time-probe-'));
const database = openDatabase(join(folder, 'probe.sqlite'));
try {
  for (const fixture of ['airkorea-urban25-slice.csv', 'kma-surface-asos-108-2021-resaved-slice.csv', 'seoul-openapi-gangbuk-slice.csv', 'seoul-bike-weather-slice.csv', 'seoul-citywide-slice.csv']) {
    importFile(database, fixturePath(fixture));
  }
  const stored = database.sqlite
    .prepare(
      `SELECT source, COUNT(*) AS rows, MIN(observed_at) AS first, MAX(observed_at) AS last, SUM(observed_at % 86400) AS secondsOfDay
       FROM (SELECT source, observed_at FROM air_observations UNION ALL SELECT source, observed_at FROM weather_observations)
       GROUP BY source ORDER BY source`,
    )
    .all();
  const output = {
    timeZone: Intl.DateTimeFormat().resolvedOptions().timeZone,
    airKorea: ['2024-03-09 24:00', '2023-12-31 24:00', '2024-02-28 24:00', '2025-04-21 15:00'].map(parseAirKoreaDataTime),
    kma: ['2021-01-01 0:00', '2018-01-01 00:00', '2021-03-14 02:00'].map(parseKmaDateTime),
    excel: [40544, 42005.041666666664].map(excelSerialToEpochSeconds),
    seoul: ['200901010000', '200901012300'].map(parseSeoulMeasuredAt),
    mapping: compileTimeFormat('DD/MM/YYYY')('01/12/2017'),
    arguments: ['2024-03-09', '2024-03-09 13:00', '2024-03-09T13:00:00+09:00', '2024-11-03 01:30'].map(parseKstDateArgument),
    formatted: [1709996400, 1704034800].map(formatKst),
    parts: epochSecondsToKstParts(1709996400),
    stored,
  };
  console.log(JSON.stringify(output));
} finally {
  database.close();
  rmSync(folder, { recursive: true, force: true });
}
