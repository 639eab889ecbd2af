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
 * The most a workbook may unpack to, all its parts together, and the most cells its sheets may
 * hold. ExcelJS unpacks and parses a workbook whole, in memory, and an .xlsx is a zip: 25 MB of it
 * (IMPORT_MAX_BYTES) can unpack to gigabytes, and each cell costs ExcelJS about 330 bytes of heap
 * (measured: 500,000 cells, 164 MB), so 100 MB of the smallest cells would take it 1.6 GB. A real
 * import is far below both: 50,000 complaints of 15 columns are 750,000 cells.
 */
export const WORKBOOK_LIMITS = { unpackedBytes: 100_000_000, cells: 1_000_000 };

const unreadable = (err: unknown) => new Error(`the file is not an Excel workbook (.xlsx) that can be read (${(err as Error).message}); nothing was imported`);

/** A cell's element in a sheet's XML (`<c r="A1" …>`, `<c>`, `<c/>`), not `<col>` or `<cfRule>`. */
const CELL = /<c[\s>/]/g;
const SHEET_PART = /^xl\/worksheets\/[^/]+\.xml$/i;

/**
 * Refuse a workbook past its limits before ExcelJS unpacks it. Each part the zip's directory names
 * is inflated as a stream, as ExcelJS's own unzip (JSZip) names and reads it, its bytes and a sheet's
 * cells counted as they come, and the stream stopped at the limit: the sizes a zip declares can
 * lie, and parts may share their compressed bytes, so neither is trusted. (A part JSZip names twice
 * is one part to it, and to ExcelJS.)
 */
async function assertWithinLimits(bytes: Buffer, limits: typeof WORKBOOK_LIMITS): Promise<void> {
  const refused = (why: string) => new Error(`the workbook ${why}, more than an import of cases holds: split it; nothing was imported`);
  let zip: JSZip;
  try {
    zip = await JSZip.loadAsync(bytes);
  } catch (err) {
    throw unreadable(err);
  }
  let total = 0;
  let cells = 0;
  for (const part of Object.values(zip.files)) {
    if (part.dir) continue;
    const sheet = SHEET_PART.test(part.name);
    await new Promise<void>((resolve, reject) => {
      const stream = part.nodeStream('nodebuffer');
      let tail = '';
      const stop = (err: Error) => {
        // What is left of the part is never inflated.
        stream.removeAllListeners('data');
        (stream as unknown as { destroy?: () => void }).destroy?.();
        reject(err);
      };
      stream
        .on('data', (chunk: Buffer) => {
          total += chunk.length;
          if (sheet) {
            // Latin-1: one character a byte, so a `<c` split between chunks is found across them.
            const text = tail + chunk.toString('latin1');
            cells += text.match(CELL)?.length ?? 0;
            tail = text.slice(-2);
          }
          if (total > limits.unpackedBytes) stop(refused(`unpacks to more than ${Math.round(limits.unpackedBytes / 1e6)} MB`));
          else if (cells > limits.cells) stop(refused(`holds more than ${limits.cells.toLocaleString('en-GB')} cells`));
        })
        .on('error', (err: Error) => stop(unreadable(err)))
        .on('end', () => resolve());
    });
  }
}

/**
 * A file's sheets by name: each sheet of a workbook (.xlsx), or one CSV file named after its
 * sheet (complaints.csv is the sheet `complaints`).
 */
export async function readSheets(file: string, limits: Partial<typeof WORKBOOK_LIMITS> = {}): Promise<Sheets> {
  const sheets: Sheets = new Map();
  const bytes = await readFile(file);
  if (path.extname(file).toLowerCase() === '.csv') {
    sheets.set(path.basename(file, path.extname(file)), rowsOf(parseCsv(csvText(bytes))));
    return sheets;
  }
  await assertWithinLimits(bytes, { ...WORKBOOK_LIMITS, ...limits });
  const workbook = new ExcelJS.Workbook();
  // ExcelJS's own types want its older Buffer: the bytes are the same.
  await workbook.xlsx.load(bytes as unknown as ExcelJS.Buffer).catch((err: unknown) => {
    throw unreadable(err);
  });
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
