import { readFile } from 'node:fs/promises';
import { z } from '../../lib/zod';
import type { Column } from './importer';
import type { SheetRow, Sheets } from './read';

/**
 * A source system's export read as the template: which of its sheets is which process's, its
 * headings as the template's columns, its words as the template's values, and how it writes dates
 * (docs/import.md has a Datix export's as the worked example).
 */
export const mappingFile = z
  .object({
    source: z.string().min(1).max(100),
    /** How the source writes a date: ISO (the template's), or day first as the UK writes it. */
    dateFormat: z.enum(['YYYY-MM-DD', 'DD/MM/YYYY']).default('YYYY-MM-DD'),
    sheets: z.record(
      z.string(),
      z
        .object({
          /** The source's sheet (or CSV file name) holding this process's rows; default the template's own name. */
          from: z.string().min(1).optional(),
          /** Source heading → template column; headings not named are kept as they are. */
          columns: z.record(z.string(), z.string()).default({}),
          /** Template column → (source value → template value). */
          values: z.record(z.string(), z.record(z.string(), z.string())).default({}),
        })
        .strict(),
    ),
  })
  .strict();

export type Mapping = z.infer<typeof mappingFile>;

/** A mapping file's text: JSON, then the mapping. The one parser of the upload and the command line. */
export const mappingText = z
  .string()
  .transform((text, ctx) => {
    try {
      return JSON.parse(text) as unknown;
    } catch {
      ctx.addIssue({ code: 'custom', message: 'must be a JSON mapping file (docs/import.md)' });
      return z.NEVER;
    }
  })
  .pipe(mappingFile);

export async function readMapping(file: string): Promise<Mapping> {
  const parsed = mappingText.safeParse(await readFile(file, 'utf8'));
  if (!parsed.success) throw new Error(`mapping ${file}: ${parsed.error.issues.map((i) => `${i.path.join('.') || '(file)'}: ${i.message}`).join('; ')}`);
  return parsed.data;
}

const DAY_FIRST = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/;

/** A day-first date (5/1/2027) as YYYY-MM-DD; anything else unchanged, for the schema to judge. */
function isoOf(value: string): string {
  const m = DAY_FIRST.exec(value);
  return m ? `${m[3]}-${m[2].padStart(2, '0')}-${m[1].padStart(2, '0')}` : value;
}

/** One sheet's rows as the template's, by the mapping (none: as read). */
export function mappedRows(sheets: Sheets, sheet: string, columns: Column[], mapping?: Mapping): SheetRow[] | undefined {
  const map = mapping?.sheets[sheet];
  const rows = sheets.get(map?.from ?? sheet);
  if (!rows) return undefined;
  const dates = new Set(columns.filter((c) => c.date).map((c) => c.name));
  return rows.map(({ row, cells }) => {
    const out: Record<string, string> = {};
    for (const [heading, value] of Object.entries(cells)) {
      const column = map?.columns[heading] ?? heading;
      let v = map?.values[column]?.[value] ?? value;
      if (dates.has(column) && mapping?.dateFormat === 'DD/MM/YYYY') v = isoOf(v);
      out[column] = v;
    }
    return { row, cells: out };
  });
}
