/**
 * Returns the terminal columns a string takes: Hangul, CJK ideographs and full-width forms take
 * two, other characters one. Without this, tables with Korean station names lose alignment.
 */
export function displayWidth(text: string): number {
  let width = 0;
  for (const character of text) {
    const code = character.codePointAt(0)!;
    const wide =
      (code >= 0x1100 && code <= 0x115f) ||
      (code >= 0x2e80 && code <= 0xa4cf) ||
      (code >= 0xac00 && code <= 0xd7a3) ||
      (code >= 0xf900 && code <= 0xfaff) ||
      (code >= 0xfe30 && code <= 0xfe4f) ||
      (code >= 0xff00 && code <= 0xff60) ||
      (code >= 0xffe0 && code <= 0xffe6);
    width += wide ? 2 : 1;
  }
  return width;
}

function pad(text: string, width: number, alignRight: boolean): string {
  const fill = ' '.repeat(Math.max(0, width - displayWidth(text)));
  return alignRight ? fill + text : text + fill;
}

/** Formats rows under a header and a dashed rule; columns listed in `rightAligned` are right-aligned. */
export function formatTextTable(header: string[], rows: string[][], rightAligned: ReadonlySet<number> = new Set()): string {
  const widths = header.map((title, column) => Math.max(displayWidth(title), ...rows.map((row) => displayWidth(row[column]))));
  const line = (cells: string[]) =>
    cells
      .map((cell, column) => pad(cell, widths[column], rightAligned.has(column)))
      .join('  ')
      .trimEnd();
  return [line(header), line(widths.map((width) => '-'.repeat(width))), ...rows.map(line)].join('\n');
}
