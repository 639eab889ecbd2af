import ExcelJS from 'exceljs';
import { IMPORT_SHEETS } from '../api/importers';
import { caseWorkflowId } from '../contracts/kernel/case';
import type { Models } from '../models';
import type { Client } from '@temporalio/client';
import type { ChaosStack } from './stack';
import { pause } from './stack';

/** What of chaos/run.ts's Run this scenario uses. */
export interface ChaosRun {
  stack: ChaosStack;
  models: Models;
  client: Client;
  url(path: string): string;
  expect(what: string, ok: boolean, detail: string): void;
  check(scenario: string): Promise<void>;
}

// Complaints only: the consistency check (chaos/check.ts) reads complaints' records, index and outbox.
const ROWS = { complaints: 200 };
const PROCESS_OF: Record<string, string> = { complaints: 'complaint' };

/** A workbook of complaints (half of them acknowledged), every row importable, each with a source id of this run's. */
async function workbook(tag: string): Promise<Buffer> {
  const book = new ExcelJS.Workbook();
  const rows: Record<string, (i: number) => Record<string, string>> = {
    complaints: (i) => ({ sourceId: `${tag}-C${i}`, providerCode: 'RJ2', receivedOn: '2026-11-30', source: 'complainant', summary: 'Chaos: imported while the API dies', consentToShare: 'yes', ...(i % 2 ? { acknowledgedOn: '2026-12-01' } : {}) }),
  };
  for (const [sheet, count] of Object.entries(ROWS)) {
    const columns = IMPORT_SHEETS.find((s) => s.sheet === sheet)!.columns.map((c) => c.name);
    const ws = book.addWorksheet(sheet);
    ws.addRow(columns);
    for (let i = 0; i < count; i++) ws.addRow(columns.map((c) => rows[sheet](i)[c] ?? ''));
  }
  return Buffer.from(await book.xlsx.writeBuffer());
}

interface RunView {
  id: string;
  status: string;
  attempts: number;
  counts?: Record<string, number>;
  rows?: { sheet: string; sourceId?: string; outcome: string; reference?: string }[];
}

/**
 * 8. The API killed (SIGKILL) at about 40% of an import begun from the page's engine
 * (POST /api/imports): restarted, the run taken over when its heartbeat is a minute old (the next
 * read of its record), and finished. Each row is one case: one key, one record, one workflow,
 * one `imported` timeline entry; the report has every row imported or already imported.
 */
export async function apiKilledMidImport(run: ChaosRun, bearer: string): Promise<void> {
  console.log('\n8. the API killed at 40% of an import from the page, restarted, the run taken over');
  const tag = `CHAOS${Date.now().toString(36)}`;
  const total = ROWS.complaints;
  const form = new FormData();
  form.set('mode', 'import');
  form.set('file', new Blob([await workbook(tag)]), 'chaos-import.xlsx');
  const began = await fetch(run.url('/api/imports'), { method: 'POST', headers: { authorization: bearer }, body: form });
  const id = ((await began.json()) as RunView).id;
  // Rows done, by the keys the import writes as it opens each case.
  const keys = () => run.models.IdempotencyKey.countDocuments({ _id: { $regex: `^complaints:import:${tag}-` } });
  const started = Date.now();
  let done = 0;
  while ((done = await keys()) < 0.4 * total && Date.now() - started < 300_000) await pause(50);
  await run.stack.kill('api');
  const killedAt = Date.now();
  console.log(`  killed the API with ${done} of ${total} rows' keys written (${Math.round((100 * done) / total)}%), ${((killedAt - started) / 1000).toFixed(1)} s in`);
  await run.stack.startApi();

  let view: RunView | undefined;
  const deadline = Date.now() + 300_000;
  while (Date.now() < deadline) {
    const res = await fetch(run.url(`/api/imports/${encodeURIComponent(id)}`), { headers: { authorization: bearer } }).catch(() => undefined);
    view = res?.ok ? ((await res.json()) as RunView) : view;
    if (view?.status !== 'running') break;
    await pause(1_000);
  }
  const seconds = ((Date.now() - killedAt) / 1000).toFixed(0);
  const counts = view?.counts ?? {};
  run.expect(
    'the run taken over and finished, every row imported or found imported',
    view?.status === 'finished' && (view.attempts ?? 0) >= 2 && counts.rows === total && counts.imported + counts.already_imported === total && counts.refused === 0,
    `${view?.status} after ${view?.attempts} attempts, ${seconds} s after the kill; ${JSON.stringify(counts)}`,
  );
  const rows = view?.rows ?? [];
  const references = rows.map((r) => r.reference).filter((r): r is string => !!r);
  // The timelines are the projection's: given time to catch up with the workflows (two minutes at most).
  const entriesOf = () =>
    run.models.Timeline.aggregate<{ _id: string; n: number }>([
      { $match: { type: 'imported', 'data.importedFrom.sourceId': { $regex: `^${tag}-` } } },
      { $group: { _id: '$data.importedFrom.sourceId', n: { $sum: 1 } } },
    ]);
  let entries = await entriesOf();
  for (const until = Date.now() + 120_000; entries.length < total && Date.now() < until; entries = await entriesOf()) await pause(2_000);
  const records = await run.models.Complaint.countDocuments({ _id: { $in: references } });
  let workflows = 0;
  for (const r of rows) {
    if (!r.reference) continue;
    const described = await run.client.workflow.getHandle(caseWorkflowId(PROCESS_OF[r.sheet], r.reference)).describe().catch(() => undefined);
    if (described) workflows++;
  }
  run.expect(
    'each row imported exactly once',
    new Set(references).size === total && (await keys()) === total && records === total && workflows === total && entries.length === total && entries.every((e) => e.n === 1),
    `${new Set(references).size} references, ${await keys()} keys, ${records} records, ${workflows} workflows, ${entries.length} imported entries (${entries.filter((e) => e.n > 1).length} twice) for ${total} rows`,
  );
  await run.check('API killed at 40% of an import');
}
