/**
 * `npm run bench -- import`: the import from the administrator's page, at scale.
 *
 * Each run (BENCH_IMPORT_RUNS, 3) posts a workbook of BENCH_IMPORT_ROWS (10,000) rows across the
 * four processes (complaints 40%, reviews, action plans and visits 20% each: the template's
 * example rows with their own source ids) to POST /api/imports and reads the run's record until
 * it has finished, then until the worker has opened every case (its `imported` timeline entry):
 * rows per second to each, and the resident memory
 * (VmRSS) of the API's and the worker's own processes, idle before and at their peak. The
 * baseline, in the same run just before: BENCH_IMPORT_BASELINE (500) complaints opened through
 * POST /api/complaints, 4 at a time as the import opens rows, cases per second. Then the morning
 * after (./lib/import-morning.ts): overdue cases imported on the time-skipping server, time moved
 * past the next working morning, the emails each overdue deadline sent counted.
 *
 *   BENCH_IMPORT_ROWS (10000)  BENCH_IMPORT_RUNS (3)  BENCH_IMPORT_BASELINE (500)  BENCH_IMPORT_OVERDUE (300)
 *
 * Servers: bench/lib/stack.ts (FerretDB and Temporal dev server started here), the API and the
 * worker in processes of their own. Exit 1 if a row was not imported or an email went twice.
 */
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { setTimeout as delay } from 'node:timers/promises';
import { loadConfig } from '../lib/config';
import { benchWorkbook, split } from './lib/import-rows';
import { morningAfter } from './lib/import-morning';
import { runPool } from './lib/measure';
import { runBench } from './lib/run';
import { Cleanups, startBenchStack, type BenchStack } from './lib/stack';
import { memoryMiB, startWorkerProcess } from './lib/worker-process';

const env = process.env;
const ROWS = Number(env.BENCH_IMPORT_ROWS ?? 10_000);
const RUNS = Number(env.BENCH_IMPORT_RUNS ?? 3);
const BASELINE = Number(env.BENCH_IMPORT_BASELINE ?? 500);
const OVERDUE = Number(env.BENCH_IMPORT_OVERDUE ?? 300);

interface RunFigures {
  rowsPerSecond: number;
  /** Until the worker had opened every case (its `imported` timeline entry written): what the worker sustains. */
  settledPerSecond: number;
  baselinePerSecond: number;
  seconds: number;
  counts: Record<string, number>;
  idle: { api: number; worker: number };
  peak: { api: number; worker: number };
}

const stats = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return `min ${s[0].toFixed(1)}, median ${s[Math.floor(s.length / 2)].toFixed(1)}, max ${s[s.length - 1].toFixed(1)}`;
};

/** Opening BASELINE complaints through the API's own create, 4 at a time: cases per second. */
async function baseline(stack: BenchStack, tag: string): Promise<number> {
  const headers = { 'content-type': 'application/json', authorization: stack.authorization };
  const { seconds, samples } = await runPool(BASELINE, 4, async (i) => {
    const body = { providerCode: 'RJ2', receivedAt: '2026-11-02', source: 'complainant', summary: 'Discharged without medication.', consentToShare: true, category: `${tag}-${i}` };
    const res = await fetch(`${stack.apiUrl}/api/complaints`, { method: 'POST', headers, body: JSON.stringify(body) });
    return res.status === 201 ? undefined : `create answered ${res.status}`;
  });
  const failed = samples.filter((s) => s.error).length;
  if (failed) throw new Error(`${failed} of ${BASELINE} baseline creates failed: ${samples.find((s) => s.error)?.error}`);
  return BASELINE / seconds;
}

async function importRun(stack: BenchStack, workerPid: number, round: number): Promise<RunFigures> {
  const tag = `B${round}${randomBytes(3).toString('hex')}`;
  const baselinePerSecond = await baseline(stack, tag);
  const file = await benchWorkbook(ROWS, tag);
  await delay(2_000);
  const idle = { api: memoryMiB(stack.apiPid).rss, worker: memoryMiB(workerPid).rss };
  const peak = { ...idle };
  const sampler = setInterval(() => {
    peak.api = Math.max(peak.api, memoryMiB(stack.apiPid).rss);
    peak.worker = Math.max(peak.worker, memoryMiB(workerPid).rss);
  }, 250);
  const t0 = performance.now();
  const form = new FormData();
  form.set('mode', 'import');
  form.set('file', new Blob([new Uint8Array(file)]), `bench-${tag}.xlsx`);
  const headers = { authorization: stack.authorization };
  const began = await fetch(`${stack.apiUrl}/api/imports`, { method: 'POST', headers, body: form });
  if (began.status !== 202) throw new Error(`POST /api/imports answered ${began.status}: ${await began.text()}`);
  const id = ((await began.json()) as { id: string }).id;
  let view: { status: string; counts?: Record<string, number>; progress: { done: number; total: number } };
  let said = 0;
  for (;;) {
    view = (await (await fetch(`${stack.apiUrl}/api/imports/${encodeURIComponent(id)}`, { headers })).json()) as typeof view;
    if (view.status !== 'running') break;
    if (performance.now() - said > 30_000) {
      said = performance.now();
      console.log(`    ${view.progress.done} of ${view.progress.total} rows, ${((performance.now() - t0) / 1000).toFixed(0)} s`);
    }
    await delay(500);
  }
  const seconds = (performance.now() - t0) / 1000;
  if (view.status !== 'finished') throw new Error(`the run ended ${view.status}`);
  // The API answers a row once its workflow has started; the worker opens it after: wait for that.
  const cases = ROWS - split(ROWS)['action-plans'] / 2;
  const opened = () => stack.models.Timeline.countDocuments({ type: 'imported', 'data.importedFrom.file': `bench-${tag}.xlsx` });
  while ((await opened()) < cases) await delay(1_000);
  const settled = (performance.now() - t0) / 1000;
  clearInterval(sampler);
  return { rowsPerSecond: ROWS / seconds, settledPerSecond: ROWS / settled, baselinePerSecond, seconds, counts: view.counts ?? {}, idle, peak };
}

async function main(): Promise<number> {
  const cleanups = new Cleanups();
  try {
    const stack = await startBenchStack(loadConfig({ ...env, LOG_LEVEL: env.LOG_LEVEL ?? 'warn' }), { run: randomBytes(3).toString('hex'), temporalStore: 'memory', api: 'process' }, cleanups);
    const worker = await startWorkerProcess(path.resolve(__dirname, '..'), stack.config, path.join(stack.config.AUTH_LOCAL_KEY_FILE, '..', 'worker.log'));
    cleanups.add('worker', () => worker.stop());
    const workerPid = worker.child.pid!;
    console.log(`import bench: ${ROWS} rows a run, ${RUNS} runs, baseline ${BASELINE} creates, ${new Date().toISOString()}`);
    console.log(`  database: ${stack.describe.mongo}; Temporal: ${stack.describe.temporal}`);
    const runs: RunFigures[] = [];
    let failed = false;
    for (let round = 1; round <= RUNS; round++) {
      const r = await importRun(stack, workerPid, round);
      runs.push(r);
      const ok = r.counts.imported === ROWS && r.counts.refused === 0;
      failed ||= !ok;
      console.log(
        `  run ${round}: ${r.rowsPerSecond.toFixed(1)} rows/s answered, ${r.settledPerSecond.toFixed(1)} rows/s opened by the worker (${r.seconds.toFixed(0)} s; ${JSON.stringify(r.counts)})${ok ? '' : ' NOT ALL IMPORTED'}; baseline ${r.baselinePerSecond.toFixed(1)} creates/s; ` +
          `RSS API ${r.idle.api.toFixed(0)} → peak ${r.peak.api.toFixed(0)} MiB, worker ${r.idle.worker.toFixed(0)} → peak ${r.peak.worker.toFixed(0)} MiB`,
      );
    }
    console.log(`rows/s opened: ${stats(runs.map((r) => r.settledPerSecond))}; answered: ${stats(runs.map((r) => r.rowsPerSecond))}; baseline creates/s: ${stats(runs.map((r) => r.baselinePerSecond))}`);
    console.log(`import (opened)/baseline: ${stats(runs.map((r) => r.settledPerSecond / r.baselinePerSecond))}`);
    console.log(`peak RSS MiB: API ${stats(runs.map((r) => r.peak.api))}; worker ${stats(runs.map((r) => r.peak.worker))}`);
    await worker.stop();
    const morning = await morningAfter(stack.config.MONGODB_URI, OVERDUE);
    console.log(`the morning after (${OVERDUE} overdue cases, time-skipping server): ${morning.whileImporting} emails while importing; ${morning.emails} emails for ${morning.deadlines} overdue deadlines, at most ${morning.mostPerDeadline} per deadline; ${morning.dayAfter} more a day later`);
    failed ||= morning.whileImporting > 0 || morning.mostPerDeadline > 1 || morning.emails !== morning.deadlines || morning.dayAfter > 0;
    return failed ? 1 : 0;
  } finally {
    await cleanups.runAll();
  }
}

runBench(main);
