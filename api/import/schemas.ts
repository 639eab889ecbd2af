import { stringify } from 'csv-stringify/sync';
import { z } from '../../lib/zod';
import { inert } from '../reports/csv';

/** The form's fields beside the file (POST /api/imports, multipart). */
export const startImportFields = z
  .object({
    mode: z.enum(['dry-run', 'import'], { error: 'must be dry-run (check every row, write nothing) or import' }).openapi({ description: 'dry-run: check every row and write nothing; import: open the accepted rows' }),
  })
  .strict();

export const startImportBody = z
  .object({
    file: z.string().openapi({ type: 'string', format: 'binary', description: 'A workbook (.xlsx) with a sheet per process, or one CSV file named after its sheet (complaints.csv); at most 25 MB' }),
    mode: startImportFields.shape.mode,
    mapping: z.string().optional().openapi({ type: 'string', format: 'binary', description: "A mapping file (JSON) for a source system's own headings, words and date format, as docs/import.md describes; at most 100 kB" }),
  })
  .openapi('StartImport');

export const runIdParams = z.object({
  id: z.string().regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z-[a-f0-9]{8}$/, 'must be an import run id: when it began and eight hexadecimal characters'),
});

export const listImportsQuery = z.object({ limit: z.coerce.number().int().min(1).max(100).default(20) }).strict();

const problem = z.object({ field: z.string(), reason: z.string() });
const rowReport = z.object({
  sheet: z.string(),
  row: z.number().int(),
  sourceId: z.string().optional(),
  outcome: z.enum(['accepted', 'imported', 'already_imported', 'refused']),
  reference: z.string().optional(),
  problems: z.array(problem).optional(),
});

export const importRunView = z
  .object({
    id: z.string(),
    file: z.string(),
    dryRun: z.boolean(),
    mappedFrom: z.string().optional().openapi({ description: "The source system its mapping file names, when the file was read through one" }),
    status: z.enum(['running', 'finished', 'failed']).openapi({ description: 'running: under way (or its process stopped, and the next read takes it over); finished: its report is complete; failed: its file could not be read' }),
    startedAt: z.string(),
    finishedAt: z.string().optional(),
    progress: z.object({ done: z.number().int(), total: z.number().int() }).openapi({ description: 'Rows done of the rows read, written every few seconds' }),
    attempts: z.number().int().openapi({ description: 'How many API processes ran it: more than 1 when one stopped mid-run and another took it over' }),
    failure: z.string().optional(),
    counts: z.object({ rows: z.number(), accepted: z.number(), imported: z.number(), already_imported: z.number(), refused: z.number() }).optional(),
    sheets: z.array(z.object({ sheet: z.string(), process: z.string().optional(), rows: z.number(), ignoredColumns: z.array(z.string()), unknown: z.boolean().optional() })).optional(),
    rows: z.array(rowReport).optional().openapi({ description: 'Every row: accepted (dry run), imported, already_imported, or refused with each field and reason; absent from the list' }),
    report: z.string().openapi({ description: 'Where the report is downloaded as CSV' }),
  })
  .openapi('ImportRun');

export const importRunList = z.object({ items: z.array(importRunView) }).openapi('ImportRunList');

export type ImportRunView = z.infer<typeof importRunView>;

/** The kept report as CSV: a line per row, or per problem of a refused row. Source ids and reasons only. */
export function reportCsv(run: ImportRunView): string {
  const lines: (string | number)[][] = [['sheet', 'row', 'sourceId', 'outcome', 'reference', 'field', 'reason']];
  for (const r of run.rows ?? []) {
    // A refused row's source id and fields are as the file gave them: a spreadsheet must not take them for formulas.
    const base = [inert(r.sheet), r.row, inert(r.sourceId ?? ''), r.outcome, r.reference ?? ''];
    if (!r.problems?.length) lines.push([...base, '', '']);
    for (const p of r.problems ?? []) lines.push([...base, inert(p.field), inert(p.reason)]);
  }
  return stringify(lines);
}
