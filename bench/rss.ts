/**
 * `npm run bench -- rss`: the worker's memory with many open cases. Complaints are started
 * (bare workflow starts, received today, so each opens and then waits on its timers) in steps
 * up to 2,000, 5,000 and 10,000 (BENCH_RSS_SIZES) against one worker process of today's code;
 * after each step, once every new case has written its opening, the worker's resident memory
 * (VmRSS) and its peak (VmHWM). Then the worker is restarted and measured again, with every case
 * still open and none in its cache. BENCH_RSS_RUNS (3) runs, each on fresh servers; the workflow
 * cache is WORKER_MAX_CACHED_WORKFLOWS (BENCH_RSS_CACHE, default the worker's own).
 */
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { londonDate } from '../lib/calendar';
import { loadConfig } from '../lib/config';
import { planDeadline } from '../lib/deadlines';
import { COMPLAINT } from '../contracts/complaint/definitions';
import { caseWorkflowId } from '../contracts/kernel/case';
import { percentile, runPool } from './lib/measure';
import { Cleanups, startBenchStack, type BenchStack } from './lib/stack';
import { codeAt, memoryMiB, startWorkerProcess } from './lib/worker-process';

const SIZES = (process.env.BENCH_RSS_SIZES ?? '2000,5000,10000').split(',').map(Number);
const RUNS = Number(process.env.BENCH_RSS_RUNS ?? 3);
const CACHE = process.env.BENCH_RSS_CACHE;

async function opened(stack: BenchStack, references: string[]): Promise<void> {
  const pending = new Set(references);
  while (pending.size) {
    const ids = [...pending].map((r) => `${r}:1`);
    for (let i = 0; i < ids.length; i += 500) {
      const rows = await stack.models.Timeline.find({ _id: { $in: ids.slice(i, i + 500) } }, { _id: 1 }).lean<{ _id: string }[]>();
      for (const row of rows) pending.delete(row._id.slice(0, -2));
    }
    if (pending.size) await delay(500);
  }
}

async function main(): Promise<void> {
  const cleanups = new Cleanups();
  const work = mkdtempSync(path.join(os.tmpdir(), 'oversight-rss-'));
  const code = await codeAt(process.env.BENCH_STORM_CODE ?? 'HEAD', path.join(work, 'code'));
  const today = londonDate(Date.now());
  const acknowledgement = planDeadline({ id: 'acknowledgement', from: today, workingDays: 3, calendar: 'statutory', remindWorkingDaysBefore: [0] });
  const extra: Record<string, string> = CACHE ? { WORKER_MAX_CACHED_WORKFLOWS: CACHE } : {};
  console.log(`worker memory: code ${code.commit}, sizes ${SIZES.join(', ')}, ${RUNS} runs, cache ${CACHE ?? 'the worker default'}, ${new Date().toISOString()}`);
  const rows: Record<string, number[]> = {};
  const note = (label: string, mib: number) => (rows[label] ??= []).push(mib);
  try {
    for (let run = 1; run <= RUNS; run++) {
      const stack = await startBenchStack(loadConfig({ ...process.env, LOG_LEVEL: 'warn' }), { run: `rss${run}`, temporalStore: 'file', api: 'inline' }, cleanups);
      let worker = await startWorkerProcess(code.dir, stack.config, path.join(work, `worker-${run}.log`), extra);
      note('idle', memoryMiB(worker.child.pid).rss);
      let total = 0;
      for (const size of SIZES) {
        const references = Array.from({ length: size - total }, (_, i) => `RSS-${run}-${String(total + i).padStart(6, '0')}`);
        const t0 = Date.now();
        await runPool(references.length, 16, async (i) => {
          const reference = references[i];
          await stack.client.workflow.start(COMPLAINT.workflowType, {
            workflowId: caseWorkflowId(COMPLAINT.name, reference),
            taskQueue: stack.config.TEMPORAL_TASK_QUEUE,
            args: [{ reference, providerCode: 'RJ2', receivedOn: today, consentToShare: true, acknowledgement }],
          });
          return undefined;
        });
        await opened(stack, references);
        total = size;
        await delay(5_000);
        const m = memoryMiB(worker.child.pid);
        note(`${size} open`, m.rss);
        note(`${size} open (peak)`, m.peak);
        console.log(`  run ${run}: ${size} open after ${((Date.now() - t0) / 1000).toFixed(0)} s, worker RSS ${m.rss.toFixed(0)} MiB (peak ${m.peak.toFixed(0)})`);
      }
      await worker.stop(30_000);
      worker = await startWorkerProcess(code.dir, stack.config, path.join(work, `worker-${run}-restarted.log`), extra);
      await delay(10_000);
      const m = memoryMiB(worker.child.pid);
      note(`restarted, ${total} open`, m.rss);
      console.log(`  run ${run}: restarted with ${total} open, worker RSS ${m.rss.toFixed(0)} MiB`);
      await worker.stop(30_000);
      await cleanups.runAll();
    }
    console.log('\nworker RSS MiB, min / median / max');
    for (const [label, v] of Object.entries(rows)) {
      const s = [...v].sort((a, b) => a - b);
      console.log(`  ${label.padEnd(24)} ${s[0].toFixed(0)} / ${percentile(s, 50).toFixed(0)} / ${s.at(-1)!.toFixed(0)}`);
    }
  } finally {
    await cleanups.runAll();
  }
}

void main().then(() => process.exit(0), (err: unknown) => {
  console.error(err);
  process.exit(1);
});
