/**
 * CSV (RFC 4180) for every report: a header row of column names, one line per row, CRLF-free
 * `\n` line ends. Text cells that a spreadsheet would run as a formula are prefixed with `'`.
 */
export type CsvValue = string | number | boolean | null | undefined;

function cell(v: CsvValue): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : '';
  let s = String(v);
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\n\r]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

export function toCsv(columns: readonly string[], rows: ReadonlyArray<readonly CsvValue[]>): string {
  return `${[columns.join(','), ...rows.map((r) => r.map(cell).join(','))].join('\n')}\n`;
}

/** One CSV line (no line end), for reports made of several tables. */
export function csvRow(values: readonly CsvValue[]): string {
  return values.map(cell).join(',');
}
