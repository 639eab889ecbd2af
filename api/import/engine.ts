import { randomUUID } from 'node:crypto';
import path from 'node:path';
import type { Actor } from '../../contracts/kernel/case';
import type { Models } from '../../models';
import type { CheckContext, Importer, Problem } from './importer';
import { mappedRows, type Mapping } from './mapping';
import { readSheets, type SheetRow } from './read';
import { README_SHEET } from './template';

/** What became of one row. */
export interface RowReport {
  sheet: string;
  row: number;
  sourceId?: string;
  outcome: 'accepted' | 'imported' | 'already_imported' | 'refused';
  reference?: string;
  problems?: Problem[];
}

export interface SheetReport {
  sheet: string;
  process?: string;
  rows: number;
  /** Headings the template does not have: ignored (a source's other columns), named so a typo shows. */
  ignoredColumns: string[];
  /** A sheet no process reads. */
  unknown?: boolean;
}

export interface ImportReport {
  runId: string;
  file: string;
  dryRun: boolean;
  startedAt: string;
  finishedAt: string;
  counts: Record<RowReport['outcome'], number> & { rows: number };
  sheets: SheetReport[];
  rows: RowReport[];
}

export interface ImportOptions {
  file: string;
  importers: Importer[];
  /** Check every row, write nothing. */
  dryRun: boolean;
  mapping?: Mapping;
  ctx: CheckContext;
  actor: Actor;
  /** The moment an imported case's clocks may first act: the working morning after the import. */
  actFrom: string;
  /** The run's id when its record was made as it started (a run from the page): the report is written onto it. */
  runId?: string;
  /** Where the report is kept; none for a dry run that keeps nothing. */
  models?: Pick<Models, 'ImportRun'>;
  onProgress?(p: { done: number; total: number }): void;
  /** Awaited just before the report is written to the run's record (the page's run stops its heartbeat there). */
  beforeSave?(): Promise<void>;
  /** Rows opened at once (each waits on its workflow's start). */
  concurrency?: number;
}

/**
 * Read a file, check each row of each process's sheet by the API's schemas and the process's
 * rules, and (unless a dry run) open each accepted row's case, keyed by its source id: a row
 * already imported answers the case it opened, so a rerun, or a run resumed after it was killed,
 * opens each case once. The report names every row.
 */
export async function runImport(opts: ImportOptions): Promise<ImportReport> {
  const startedAt = new Date();
  const sheets = await readSheets(opts.file);
  const file = path.basename(opts.file);
  const sheetReports: SheetReport[] = [];
  /** One case's rows: one row, or the rows an importer groups (an action plan's actions). */
  const work: { importer: Importer; rows: SheetRow[] }[] = [];
  const read = new Set<string>();
  for (const importer of opts.importers) {
    const rows = mappedRows(sheets, importer.sheet, importer.columns, opts.mapping);
    if (!rows) continue;
    read.add(opts.mapping?.sheets[importer.sheet]?.from ?? importer.sheet);
    const known = new Set(importer.columns.map((c) => c.name));
    const ignored = new Set(rows.flatMap((r) => Object.keys(r.cells).filter((k) => !known.has(k))));
    sheetReports.push({ sheet: importer.sheet, process: importer.process, rows: rows.length, ignoredColumns: [...ignored] });
    const groups = new Map<string, SheetRow[]>();
    for (const r of rows) {
      const key = importer.groupBy && r.cells[importer.groupBy];
      if (!key) work.push({ importer, rows: [r] });
      else if (groups.has(key)) groups.get(key)!.push(r);
      else {
        const group = [r];
        groups.set(key, group);
        work.push({ importer, rows: group });
      }
    }
  }
  for (const name of sheets.keys()) if (!read.has(name) && name !== README_SHEET) sheetReports.push({ sheet: name, rows: sheets.get(name)!.length, ignoredColumns: [], unknown: true });

  const reports: RowReport[][] = new Array(work.length);
  const total = work.reduce((n, w) => n + w.rows.length, 0);
  // The first row of a source id wins, in file order, whatever order the rows are checked in.
  const seen = new Map<string, number>();
  const firstOf = work.map(({ importer, rows: [{ row, cells }] }) => {
    const key = !importer.groupBy && cells.sourceId && `${importer.process}|${cells.sourceId}`;
    if (!key) return undefined;
    const first = seen.get(key);
    if (first === undefined) seen.set(key, row);
    return first;
  });
  let done = 0;
  let next = 0;
  const one = async (k: number) => {
    const { importer, rows } = work[k];
    const sheet = importer.sheet;
    const row = rows[0].row;
    const checked = await importer.check(rows.map((r) => r.cells), opts.ctx);
    const sourceId = checked.sourceId;
    // Every row of a case has its outcome; a problem naming one of its rows goes to that row alone.
    const each = (r: Omit<RowReport, 'row' | 'sheet'>) =>
      rows.map(({ row: n }, i) => {
        const problems = r.problems?.filter((p) => p.row === undefined || p.row === i).map(({ field, reason }) => ({ field, reason }));
        return { sheet, row: n, ...r, ...(r.problems && { problems }) };
      });
    const first = firstOf[k];
    if (first !== undefined) {
      reports[k] = each({ sourceId, outcome: 'refused', problems: [{ field: 'sourceId', reason: `the same source id as row ${first}: each case is imported once` }] });
    } else if (!checked.ok) {
      reports[k] = each({ ...(sourceId && { sourceId }), outcome: 'refused', problems: checked.problems });
    } else if (opts.dryRun) {
      reports[k] = each({ sourceId, outcome: 'accepted' });
    } else {
      try {
        const from = { file, sheet, row, sourceId: checked.sourceId };
        const { reference, replayed } = await checked.value({ from, actFrom: opts.actFrom }, opts.actor);
        reports[k] = each({ sourceId, outcome: replayed ? 'already_imported' : 'imported', reference });
      } catch (err) {
        reports[k] = each({ sourceId, outcome: 'refused', problems: [problemOf(err)] });
      }
    }
    done += rows.length;
    opts.onProgress?.({ done, total });
  };
  const worker = async () => {
    while (next < work.length) await one(next++);
  };
  await Promise.all(Array.from({ length: Math.max(1, opts.concurrency ?? 4) }, worker));

  const rowReports = reports.flat().sort((a, b) => (a.sheet === b.sheet ? a.row - b.row : 0));
  const counts = { rows: rowReports.length, accepted: 0, imported: 0, already_imported: 0, refused: 0 };
  for (const r of rowReports) counts[r.outcome]++;
  const report: ImportReport = {
    runId: opts.runId ?? newRunId(startedAt),
    file,
    dryRun: opts.dryRun,
    startedAt: startedAt.toISOString(),
    finishedAt: new Date().toISOString(),
    counts,
    sheets: sheetReports,
    rows: rowReports,
  };
  if (opts.models) {
    await opts.beforeSave?.();
    // A run begun on the page keeps the moment it began, however many attempts it took.
    const { startedAt: _, ...rest } = report;
    await opts.models.ImportRun.updateOne({ _id: report.runId }, { $set: { ...rest, status: 'finished', finishedAt: new Date(report.finishedAt) }, $setOnInsert: { startedAt } }, { upsert: true });
  }
  return report;
}

/** A run's id: when it began, and enough randomness that two begun together differ. */
export function newRunId(at = new Date()): string {
  return `${at.toISOString()}-${randomUUID().slice(0, 8)}`;
}

/** A failure opening a row's case, as a problem: the API's own refusals say which field. */
function problemOf(err: unknown): Problem {
  const e = err as { status?: number; code?: string; message?: string; details?: { field?: string; path?: string }[] };
  if (e?.code === 'idempotency_key_reused') return { field: 'sourceId', reason: 'a case was imported under this source id from a row that said otherwise: correct the case in Oversight, not the file' };
  if (e?.code === 'in_progress') return { field: 'sourceId', reason: 'this row was being imported by a run that stopped; run the import again in a minute' };
  return { field: '(row)', reason: e?.message ?? String(err) };
}
