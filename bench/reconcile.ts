/**
 * `npm run bench -- reconcile`: the complaints' reconciler at 100,000 cases, a scheduled run
 * (scope `changes`) when 1 % of them changed since the last run, against a full pass over every
 * case measured in the same run (the baseline: what each run did before it read only changes).
 *
 * How it is built. 100,000 complaints are seeded straight into the database through the models
 * (bench/lib/seed-complaints.ts: records, list entries, timelines, each case's entry in the list of
 * changes), all finished (received 400 days to ten years ago), with no workflows: Temporal keeps a
 * finished case's history only for its retention period, and the reconciler reads no workflow for
 * a finished record. The reconciler's state is written as a run that had just finished would leave
 * it (its watermark now, the sweep at the first seeded case, 100,000 records in its last cycle). Then each
 * round opens BENCH_RECONCILE_CHANGED (1,000) complaints through the API, with the worker running,
 * so that each changed case is a real record, a real workflow and its projection; waits until every
 * one is projected and the grace period (BENCH_RECONCILE_GRACE s, 10) and the run's 5 s margin have
 * passed; and runs the reconciler workflow (scope `changes`, as the Schedule does) on the worker in
 * this process. Its wall time is from the start to the result; its report gives what it examined,
 * queried, described and listed. After the rounds, one full pass (scope `full`) over every case.
 *
 *   BENCH_RECONCILE_CASES (100000)  BENCH_RECONCILE_CHANGED (1000)  BENCH_RECONCILE_ROUNDS (3)
 *   BENCH_RECONCILE_GRACE (10)  LOG_LEVEL (warn)
 */
import { randomBytes } from 'node:crypto';
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import { setTimeout as delay } from 'node:timers/promises';
import { londonDate } from '../lib/calendar';
import { loadConfig } from '../lib/config';
import { findByIds } from '../models/case-index';
import { RECONCILE_WORKFLOW_TYPE, type ReconcileScope, type ReconcileSummary } from '../contracts/kernel/reconcile';
import { seedComplaints } from './lib/seed-complaints';
import { runBench } from './lib/run';
import { runPool } from './lib/measure';
import { Cleanups, startBenchStack, type BenchStack } from './lib/stack';

const CASES = Number(process.env.BENCH_RECONCILE_CASES ?? 100_000);
const CHANGED = Number(process.env.BENCH_RECONCILE_CHANGED ?? 1_000);
const ROUNDS = Number(process.env.BENCH_RECONCILE_ROUNDS ?? 3);
const GRACE = Number(process.env.BENCH_RECONCILE_GRACE ?? 10);
const TARGET_SECONDS = 10;
const RUN = randomBytes(3).toString('hex');

interface Measured {
  label: string;
  records: number;
  seconds: number;
  report: { cost: Record<string, number>; counts: Record<string, { found: number }>; attempt: number };
  rssMb: number;
}

async function openCases(stack: BenchStack, n: number): Promise<string[]> {
  const references: string[] = [];
  const { samples } = await runPool(n, 16, async () => {
    const res = await fetch(`${stack.apiUrl}/api/complaints`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: stack.authorization },
      body: JSON.stringify({ providerCode: 'RJ2', receivedAt: londonDate(Date.now()), source: 'healthwatch', category: 'discharge', summary: 'A changed case for the bench', consentToShare: true }),
    });
    if (res.status !== 201) return `POST /api/complaints answered ${res.status}`;
    references.push(((await res.json()) as { reference: string }).reference);
    return undefined;
  });
  const failed = samples.filter((s) => s.error);
  if (failed.length) throw new Error(`${failed.length} creates failed: ${failed[0].error}`);
  return references;
}

/** Until every one of them is projected: its workflow has run and written the record (and its entry in the list of changes). */
async function projected(stack: BenchStack, references: string[]): Promise<void> {
  for (;;) {
    const records = await findByIds<{ _id: string; projectionVersion?: number }>(stack.models.Complaint, references, { projectionVersion: 1 });
    if (records.every((r) => (r.projectionVersion ?? -1) >= 1)) return;
    await delay(500);
  }
}

async function reconcile(stack: BenchStack, label: string, scope: ReconcileScope, records: number): Promise<Measured> {
  const t0 = performance.now();
  const summary = (await stack.client.workflow.execute(RECONCILE_WORKFLOW_TYPE, {
    workflowId: `bench-reconcile-${RUN}-${label}`,
    taskQueue: stack.config.TEMPORAL_TASK_QUEUE,
    args: [{ process: 'complaint', scope, graceSeconds: GRACE }],
  })) as ReconcileSummary;
  const seconds = (performance.now() - t0) / 1000;
  const report = (await stack.models.Reconciliation.findById(summary.id).lean()) as unknown as Measured['report'];
  return { label, records, seconds, report, rssMb: process.memoryUsage().rss / 2 ** 20 };
}

function print(rows: Measured[]): void {
  const cols = ['run', 'records', 'changed', 'swept', 'examined', 'queried', 'described', 'listed', 'findings', 'attempt', 'seconds', 'RSS MB'];
  console.log(`\n${cols.map((c, i) => (i ? c.padStart(9) : c.padEnd(10))).join(' ')}`);
  for (const r of rows) {
    const c = r.report.cost;
    const findings = Object.values(r.report.counts).reduce((n, x) => n + x.found, 0);
    const cells = [r.records, c.changed, c.swept, c.examined, c.queried, c.described, c.listed, findings, r.report.attempt, r.seconds.toFixed(2), r.rssMb.toFixed(0)];
    console.log([r.label.padEnd(10), ...cells.map((v) => String(v).padStart(9))].join(' '));
  }
}

async function main(): Promise<number> {
  const cleanups = new Cleanups();
  try {
    const env = loadConfig({ ...process.env, LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn' });
    const stack = await startBenchStack(env, { run: RUN, temporalStore: 'file', api: 'inline' }, cleanups);
    console.log(`Oversight reconciler bench: run ${RUN}, ${os.cpus().length} CPUs, node ${process.version}, ${new Date().toISOString()}`);
    console.log(`  MongoDB   ${stack.describe.mongo}\n  Temporal  ${stack.describe.temporal}`);
    console.log(`  ${CASES} finished complaints seeded, then ${ROUNDS} rounds of ${CHANGED} opened through the API and a scheduled run; grace ${GRACE} s`);
    const t0 = performance.now();
    await seedComplaints(stack, { run: RUN, from: 0, to: CASES, total: CASES, newestDays: 400 });
    const now = new Date();
    // As a run that had just finished would leave it: its watermark now, the sweep at the seeded cases (so that its slices read them).
    const sweep = { cursor: `CMP-${RUN}-`, cycleStartedAt: now, seen: 0, total: CASES };
    await stack.models.ReconcilerState.create({ _id: 'complaint', watermark: now, sweep, doubts: [], updatedAt: now });
    console.log(`  seeded in ${((performance.now() - t0) / 1000).toFixed(0)} s`);
    const rows: Measured[] = [];
    await stack.withWorker(async () => {
      let records = CASES;
      for (let round = 1; round <= ROUNDS; round++) {
        const opened = await openCases(stack, CHANGED);
        records += opened.length;
        await projected(stack, opened);
        // Every change older than the grace period and the run's margin: all in this run's window, none in the next's.
        await delay((GRACE + 6) * 1000);
        rows.push(await reconcile(stack, `changes ${round}`, 'changes', records));
        print(rows.slice(-1));
      }
      rows.push(await reconcile(stack, 'full', 'full', records));
    });
    print(rows);
    const changes = rows.filter((r) => r.label.startsWith('changes')).map((r) => r.seconds).sort((a, b) => a - b);
    const full = rows.find((r) => r.label === 'full')!;
    const stat = (xs: number[]) => `${xs[0].toFixed(2)} / ${xs[Math.floor(xs.length / 2)].toFixed(2)} / ${xs[xs.length - 1].toFixed(2)}`;
    console.log(`\nscheduled run, ${CHANGED} of ~${CASES} changed: min / median / max ${stat(changes)} s (target ≤ ${TARGET_SECONDS} s)${changes[changes.length - 1] <= TARGET_SECONDS ? '' : '  MISSED'}`);
    console.log(`full pass over ${full.records} cases: ${full.seconds.toFixed(1)} s, ${((full.seconds * 10_000) / full.records).toFixed(2)} s per 10,000 cases`);
    console.log(`ratio scheduled run / full pass (the baseline): ${stat(changes.map((s) => s / full.seconds))}`);
    return 0;
  } finally {
    await cleanups.runAll();
  }
}

runBench(main);
