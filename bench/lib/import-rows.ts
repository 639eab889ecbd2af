import ExcelJS from 'exceljs';
import { IMPORT_SHEETS } from '../../api/importers';

/** Each sheet's share of a bench file's rows: complaints 40%, reviews, action plans (two actions a plan) and visits 20% each. */
const SHARES: Record<string, number> = { complaints: 0.4, reviews: 0.2, 'action-plans': 0.2, visits: 0.2 };

/** The template's example row of a sheet (every one accepted: tests/import/import.test.ts's round trip). */
const exampleOf = (sheet: string) => Object.fromEntries(IMPORT_SHEETS.find((s) => s.sheet === sheet)!.columns.map((c) => [c.name, c.example]));
const columnsOf = (sheet: string) => IMPORT_SHEETS.find((s) => s.sheet === sheet)!.columns.map((c) => c.name);

/** A surname of letters only for row `i` (Exa, Exb, …), so no two rows name the same person. */
const surnameOf = (i: number): string => {
  let name = '';
  for (let n = i; ; n = Math.floor(n / 26) - 1) {
    name = String.fromCharCode(97 + (n % 26)) + name;
    if (n < 26) break;
  }
  return `Ex${name}`;
};

/**
 * The rows of a sheet: the example, each with its own source id (`tag` keeps runs apart) and, for
 * a complaint, its own complainant: opening a complaint looks up the complainant's earlier
 * complaints ("possibly related"), and 10,000 rows about one person made each row read every row
 * before it (the rate fell from 6.7 to 0.5 rows/s by the 1,300th row).
 */
export function benchRows(sheet: string, count: number, tag: string): Record<string, string>[] {
  const example = exampleOf(sheet);
  return Array.from({ length: count }, (_, i) =>
    sheet === 'action-plans'
      ? { ...example, planSourceId: `${tag}-P${Math.floor(i / 2)}`, description: `Action ${i % 2 ? 'two' : 'one'}` }
      : sheet === 'complaints'
        ? { ...example, sourceId: `${tag}-C${i}`, complainantName: `Alex ${surnameOf(i)} ${tag.replace(/[^A-Za-z]/g, '')}`, complainantEmail: `alex.${i}.${tag}@example.org` }
        : { ...example, sourceId: `${tag}-${sheet[0].toUpperCase()}${i}` },
  );
}

/** How many rows each sheet has of `total` (an even number of action-plan rows: whole plans). */
export function split(total: number): Record<string, number> {
  const counts = Object.fromEntries(Object.entries(SHARES).map(([s, share]) => [s, Math.floor(total * share)]));
  counts['action-plans'] -= counts['action-plans'] % 2;
  counts.complaints += total - Object.values(counts).reduce((a, b) => a + b, 0);
  return counts;
}

/** A workbook of `total` rows across the four processes, as an administrator would upload it. */
export async function benchWorkbook(total: number, tag: string, rowsOf: (sheet: string, count: number) => Record<string, string>[] = (s, n) => benchRows(s, n, tag)): Promise<Buffer> {
  const book = new ExcelJS.Workbook();
  for (const [sheet, count] of Object.entries(split(total))) {
    if (!count) continue;
    const columns = columnsOf(sheet);
    const ws = book.addWorksheet(sheet);
    ws.addRow(columns);
    for (const row of rowsOf(sheet, count)) ws.addRow(columns.map((c) => row[c] ?? ''));
  }
  return Buffer.from(await book.xlsx.writeBuffer());
}
