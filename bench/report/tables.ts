import type { TrainingRow } from '../training/training-bench.js';
import { formatNumber, markdownTable, mean, median } from './statistics.js';

/** Median over rounds of Dustcast's figure divided by the peer's figure in the same round. */
function medianRatio(dustcast: number[], peer: number[]): number {
  return median(dustcast.map((value, round) => value / peer[round]));
}

export function trainingSection(result: { torch: string; rows: TrainingRow[] }): string {
  const table = markdownTable(
    ['Architecture', 'Variant', 'Batch', 'Samples/s (median)', 'x PyTorch (median of rounds)', 'x PyTorch 1 thread', 'Samples per CPU-s (best)', 'Load average (min to max)'],
    result.rows.map((row) => [
      row.architecture,
      row.variant,
      String(row.batchSize),
      formatNumber(row.medianSamplesPerSecond),
      row.variant === 'PyTorch peer' ? '1.00' : formatNumber(row.ratioToPeer, 2),
      row.variant.startsWith('PyTorch') ? '–' : formatNumber(row.ratioToSingleThreadPeer, 2),
      formatNumber(row.samplesPerCpuSecond.length > 0 ? Math.max(...row.samplesPerCpuSecond) : null),
      `${formatNumber(Math.min(...row.loadAverages))} to ${formatNumber(Math.max(...row.loadAverages))}`,
    ]),
  );
  return `## Training throughput (torch ${result.torch})\n\n${table}`;
}

/** Test RMSE per output: PM2.5 at every horizon, then PM10 at the first and last when trained. */
export function accuracySection(result: { torch: string; epochs: number; rows: TrainingRow[] }): string {
  const rows = result.rows;
  const first = rows.find((row) => row.testRmse);
  const horizons = first?.testRmse ? first.testRmse.length / first.targets : 0;
  const pm25 = (row: TrainingRow, horizon: number) => row.testRmse?.[horizon * row.targets];
  const pm10 = (row: TrainingRow, horizon: number) => (row.targets > 1 ? row.testRmse?.[horizon * row.targets + 1] : undefined);
  const horizonIndexes = Array.from({ length: horizons }, (_, index) => index);
  const table = markdownTable(
    ['Architecture', 'Variant', 'Batch', 'Learning rate', ...horizonIndexes.map((index) => `PM2.5 output ${index + 1}`), 'PM2.5 mean', 'PM10 first', 'PM10 last'],
    rows.map((row) => [
      row.architecture,
      row.variant,
      String(row.batchSize),
      formatNumber(row.learningRate, 4),
      ...horizonIndexes.map((index) => formatNumber(pm25(row, index), 2)),
      formatNumber(mean(horizonIndexes.map((index) => pm25(row, index) ?? Number.NaN)), 2),
      formatNumber(pm10(row, 0), 1),
      formatNumber(pm10(row, horizons - 1), 1),
    ]),
  );
  return `## Test RMSE in µg/m³ after ${result.epochs} epochs (torch ${result.torch})\n\n${table}`;
}

interface RoundsPart {
  rounds: Array<Record<string, unknown>>;
}

export function windowsSection(result: { dustcast: RoundsPart; peer: RoundsPart }): string {
  const seconds = (part: RoundsPart, key: string) => part.rounds.map((round) => Number(round[key]));
  const dustcastSeconds = seconds(result.dustcast, 'buildSeconds');
  const peerSeconds = seconds(result.peer, 'seconds');
  const dustcastRss = seconds(result.dustcast, 'peakRssMb');
  const peerRss = seconds(result.peer, 'peakRssMb');
  const table = markdownTable(
    ['Builder', 'Seconds (median)', 'Peak RSS MB (median)', 'Time, peer / Dustcast', 'Peak RSS, peer / Dustcast'],
    [
      ['Dustcast buildTrainingWindowSet', formatNumber(median(dustcastSeconds), 2), formatNumber(median(dustcastRss), 0), formatNumber(medianRatio(peerSeconds, dustcastSeconds), 2), formatNumber(medianRatio(peerRss, dustcastRss), 2)],
      ['numpy peer, all windows in one array', formatNumber(median(peerSeconds), 2), formatNumber(median(peerRss), 0), '1.00', '1.00'],
    ],
  );
  return `## Window building, 2.2 M station-hours\n\n${table}`;
}

interface ImportFileResult {
  label: string;
  file: string;
  worker: RoundsPart;
  inThread: RoundsPart;
  peer: RoundsPart;
}

export function importSection(result: { files: ImportFileResult[] }): string {
  const rates = (part: RoundsPart, pass: string) => part.rounds.map((round) => Number((round[pass] as { rowsPerSecond: number }).rowsPerSecond));
  const rows = result.files.flatMap((file) => {
    const rowsRead = (file.peer.rounds[0]?.first as { rows?: number; counts?: { read: number } } | undefined)?.rows;
    const name = `${file.label}${rowsRead ? `, ${formatNumber(rowsRead, 0)} rows` : ''}`;
    const row = (importer: string, part: RoundsPart, isPeer: boolean) => [
      importer,
      name,
      formatNumber(median(rates(part, 'first')), 0),
      isPeer ? '1.00' : formatNumber(medianRatio(rates(part, 'first'), rates(file.peer, 'first')), 2),
      formatNumber(median(rates(part, 'again')), 0),
      isPeer ? '1.00' : formatNumber(medianRatio(rates(part, 'again'), rates(file.peer, 'again')), 2),
    ];
    return [
      row('Dustcast importFile, parse worker (default)', file.worker, false),
      row('Dustcast importFile, one thread', file.inThread, false),
      row('Python csv + sqlite3 executemany upsert', file.peer, true),
    ];
  });
  const table = markdownTable(['Importer', 'File', 'First import rows/s', 'x peer', 'Re-import rows/s', 'x peer'], rows);
  return `## Import and upsert, AirKorea urban file\n\n${table}`;
}

export function cycleSection(result: Record<string, unknown>): string {
  const rounds = result.rounds as Array<{ stored: number; stations: number; rows: number }>;
  const seconds = (name: string) => formatNumber(Number(result[name]), 2);
  const table = markdownTable(
    ['Items stored', 'Stations forecast', 'Forecast rows', 'Ingest s', 'Forecast s', 'Total s (median)'],
    [[String(rounds[0].stored), String(rounds[0].stations), String(rounds[0].rows), seconds('medianIngestSeconds'), seconds('medianForecastSeconds'), seconds('medianTotalSeconds')]],
  );
  return `## Hourly cycle, nationwide\n\n${table}`;
}
