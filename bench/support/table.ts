/** Plain-text tables for benchmark output (right-aligned numbers, left-aligned text). */

export type Cell = string | number;

function format(cell: Cell, digits: number): string {
  if (typeof cell === 'string') return cell;
  if (!Number.isFinite(cell)) return '-';
  // Small non-zero values keep two decimals, so 0.28 decisions/s does not print as 0.
  const d = cell !== 0 && Math.abs(cell) < 10 ? Math.max(digits, 2) : digits;
  return cell.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d });
}

/** Formats rows under headers; numbers get `digits` decimals (per column when an array is given). */
export function renderTable(headers: string[], rows: Cell[][], digits: number | number[] = 1): string {
  const digitsOf = (col: number): number => (Array.isArray(digits) ? (digits[col] ?? 1) : digits);
  const text = rows.map((row) => row.map((cell, col) => format(cell, digitsOf(col))));
  const widths = headers.map((h, col) => Math.max(h.length, ...text.map((r) => (r[col] ?? '').length)));
  const line = (cells: string[], numeric: boolean[]): string =>
    cells.map((c, col) => (numeric[col] ? c.padStart(widths[col]) : c.padEnd(widths[col]))).join('  ');
  const numericCols = headers.map((_, col) => rows.some((r) => typeof r[col] === 'number'));
  return [
    line(headers, numericCols),
    widths.map((w) => '-'.repeat(w)).join('  '),
    ...text.map((r) => line(r, numericCols)),
  ].join('\n');
}
