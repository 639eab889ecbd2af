import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { stringify } from 'csv-stringify/sync';
import type { Importer } from './importer';

/** The sheet that documents the others: the import reads no rows from it. */
export const README_SHEET = 'README';

/** The template as one workbook: a README sheet saying what each column means, then a sheet per process (headings, an example row). */
export function templateWorkbook(importers: Pick<Importer, 'sheet' | 'columns'>[]): ExcelJS.Workbook {
  const workbook = new ExcelJS.Workbook();
  const readme = workbook.addWorksheet(README_SHEET);
  readme.addRow(['sheet', 'column', 'required', 'meaning', 'example']);
  for (const importer of importers) {
    const sheet = workbook.addWorksheet(importer.sheet);
    sheet.addRow(importer.columns.map((c) => c.name)).font = { bold: true };
    sheet.addRow(importer.columns.map((c) => c.example));
    // Text cells throughout: a date typed as 2026-11-04 stays what it says.
    importer.columns.forEach((_, k) => (sheet.getColumn(k + 1).numFmt = '@'));
    for (const c of importer.columns) readme.addRow([importer.sheet, c.name, c.required ? 'yes' : 'no', c.description + (c.date ? ' (YYYY-MM-DD)' : ''), c.example]);
  }
  return workbook;
}

/**
 * The import's template, made from the processes' own columns: the workbook (templateWorkbook)
 * and the same sheets as CSV files. Answers the files written.
 */
export async function writeTemplate(dir: string, importers: Pick<Importer, 'sheet' | 'columns'>[]): Promise<string[]> {
  await mkdir(dir, { recursive: true });
  const written: string[] = [];
  for (const importer of importers) {
    const csv = path.join(dir, `${importer.sheet}.csv`);
    await writeFile(csv, stringify([importer.columns.map((c) => c.name), importer.columns.map((c) => c.example)]));
    written.push(csv);
  }
  const xlsx = path.join(dir, 'oversight-import.xlsx');
  await templateWorkbook(importers).xlsx.writeFile(xlsx);
  return [xlsx, ...written];
}
