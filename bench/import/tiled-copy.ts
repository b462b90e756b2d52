import { readFileSync, writeFileSync } from 'node:fs';

/**
 * Writes `copies` copies of an AirKorea CSV's rows into `target`, each copy with its dataTime
 * year moved back by its index, so the file is `copies` times larger with real content and no
 * repeated station-hour across copies.
 */
export function writeTiledCopy(source: string, copies: number, target: string): void {
  const [header, ...rows] = readFileSync(source, 'utf8').split('\n').filter((line) => line !== '');
  const timeColumn = header.split(',').indexOf('dataTime');
  const output: string[] = [header];
  for (let copy = 0; copy < copies; copy += 1) {
    for (const row of rows) {
      const cells = row.split(',');
      cells[timeColumn] = `${Number(cells[timeColumn].slice(0, 4)) - copy}${cells[timeColumn].slice(4)}`;
      output.push(cells.join(','));
    }
  }
  writeFileSync(target, `${output.join('\n')}\n`);
}
