import path from 'node:path';
import { readFile } from 'node:fs/promises';
import ExcelJS from 'exceljs';
import JSZip from 'jszip';
import { utf8Text } from '../setup/body-encoding';

/** One row of a sheet: its number as a spreadsheet shows it (headings are row 1) and its cells by heading. */
export interface SheetRow {
  row: number;
  cells: Record<string, string>;
}

export type Sheets = Map<string, SheetRow[]>;

const pad = (n: number) => String(n).padStart(2, '0');

/** A cell as text: a date as YYYY-MM-DD (as Excel holds it, a UTC midnight), a formula as its result. */
function cellText(value: ExcelJS.CellValue): string {
  if (value === null || value === undefined) return '';
  if (value instanceof Date) return `${value.getUTCFullYear()}-${pad(value.getUTCMonth() + 1)}-${pad(value.getUTCDate())}`;
  if (typeof value === 'object') {
    if ('result' in value) return cellText(value.result as ExcelJS.CellValue);
    if ('richText' in value) return value.richText.map((t) => t.text).join('');
    if ('text' in value) return String(value.text);
    return '';
  }
  return String(value);
}

/** RFC 4180 CSV: quoted fields may hold commas, quotes ("") and line breaks. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  const src = text.replace(/^\uFEFF/, '');
  for (let i = 0; i < src.length; i++) {
    const c = src[i];
    if (quoted) {
      if (c === '"' && src[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && src[i + 1] === '\n') i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else field += c;
  }
  if (field !== '' || row.length) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}

/** Rows under a heading row, blank rows left out; every value trimmed, empty cells absent. */
function rowsOf(table: string[][]): SheetRow[] {
  const [headings = [], ...rest] = table;
  const names = headings.map((h) => h.trim());
  return rest
    .map((cells, i) => ({ row: i + 2, cells: Object.fromEntries(names.flatMap((name, k) => (name && cells[k]?.trim() ? [[name, cells[k].trim()]] : []))) }))
    .filter((r) => Object.keys(r.cells).length > 0);
}

/**
 * A CSV file's text: UTF-8 or refused. Excel's plain "CSV" is Windows-1252, whose accents read as
 * UTF-8 became U+FFFD in every name and summary imported, a character nobody wrote, and no one told.
 */
function csvText(bytes: Buffer): string {
  const text = utf8Text(bytes);
  if (text === undefined) throw new Error('the CSV file is not UTF-8 text (Excel\'s plain "CSV" is not): save it as "CSV UTF-8" and import it again; nothing was imported');
  return text;
}

/**
 * The most a workbook may unpack to, all its parts together. ExcelJS unpacks and parses a workbook
 * whole, in memory, and an .xlsx is a zip: 25 MB of it (IMPORT_MAX_BYTES) can unpack to gigabytes.
 * A real one is far below: 50,000 complaints with their summaries are about 50 MB of sheet XML.
 */
export const WORKBOOK_MAX_UNPACKED_BYTES = 100_000_000;

/**
 * Refuse a workbook that unpacks to more than `most` bytes, before ExcelJS unpacks it. Each part
 * the zip's directory names is inflated as a stream, as ExcelJS's own unzip (JSZip) would read it,
 * and its bytes counted as they come: the sizes a zip declares can lie, and parts may share their
 * compressed bytes (one 40 KB stream named a thousand times), so neither is trusted.
 */
async function assertUnpackedSize(bytes: Buffer, most: number): Promise<void> {
  const tooLarge = () => new Error(`the workbook unpacks to more than ${Math.round(most / 1e6)} MB, more than an import of cases holds; nothing was imported`);
  let zip: JSZip;
  try {
    zip = await JSZip.loadAsync(bytes);
  } catch (err) {
    throw new Error(`the file is not an Excel workbook (.xlsx) that can be read (${(err as Error).message}); nothing was imported`);
  }
  let total = 0;
  for (const part of Object.values(zip.files)) {
    if (part.dir) continue;
    await new Promise<void>((resolve, reject) => {
      const stream = part.nodeStream('nodebuffer');
      stream
        .on('data', (chunk: Buffer) => {
          total += chunk.length;
          if (total > most) {
            // Stopped here: what is left of the part is never inflated.
            stream.pause();
            reject(tooLarge());
          }
        })
        .on('error', reject)
        .on('end', () => resolve());
    });
  }
}

/**
 * A file's sheets by name: each sheet of a workbook (.xlsx), or one CSV file named after its
 * sheet (complaints.csv is the sheet `complaints`).
 */
export async function readSheets(file: string, opts: { mostUnpackedBytes?: number } = {}): Promise<Sheets> {
  const sheets: Sheets = new Map();
  const bytes = await readFile(file);
  if (path.extname(file).toLowerCase() === '.csv') {
    sheets.set(path.basename(file, path.extname(file)), rowsOf(parseCsv(csvText(bytes))));
    return sheets;
  }
  await assertUnpackedSize(bytes, opts.mostUnpackedBytes ?? WORKBOOK_MAX_UNPACKED_BYTES);
  const workbook = new ExcelJS.Workbook();
  // ExcelJS's own types want its older Buffer: the bytes are the same.
  await workbook.xlsx.load(bytes as unknown as ExcelJS.Buffer);
  workbook.eachSheet((sheet) => {
    const table: string[][] = [];
    sheet.eachRow({ includeEmpty: true }, (row, n) => {
      const values = row.values as ExcelJS.CellValue[]; // 1-based
      table[n - 1] = values.slice(1).map(cellText);
    });
    sheets.set(sheet.name, rowsOf(Array.from(table, (r) => r ?? [])));
  });
  return sheets;
}
