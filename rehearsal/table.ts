import type { Row } from './scenario';

const WIDTHS = [52, 5, 6, 6, 6, 6, 4, 8];

function line(cells: (string | number)[]): string {
  return cells.map((c, i) => (i === 0 ? String(c).padEnd(WIDTHS[i]) : String(c).padStart(WIDTHS[i]))).join('  ');
}

/** The scenarios' counts, one line each, then each one's own figures. */
export function printTable(rows: Row[]): void {
  console.log(`\n${line(['scenario', 'ok', 'sent', 'acked', 'stored', 'dupl.', 'lost', 'seconds'])}`);
  console.log(WIDTHS.map((w) => '-'.repeat(w)).join('  '));
  for (const r of rows) console.log(line([r.scenario.slice(0, WIDTHS[0]), r.skipped ? 'skip' : r.ok ? 'yes' : 'NO', r.sent, r.acknowledged, r.stored, r.duplicates, r.lost, r.seconds.toFixed(1)]));
  for (const r of rows) if (r.skipped) console.log(`  ${r.scenario.split('.')[0]}: not run: ${r.skipped}`);
  for (const r of rows) if (Object.keys(r.figures).length) console.log(`  ${r.scenario.split('.')[0]}: ${Object.entries(r.figures).map(([k, v]) => `${k} ${v}`).join(', ')}`);
}
