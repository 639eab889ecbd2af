/**
 * `npm run bench -- storm`: the morning storm. N complaints (1,000) are opened through the API
 * while no worker runs, each received ten working days ago, so its acknowledgement is overdue:
 * when a worker starts, every case opens and escalates at once, the backlog a worker meets at
 * 09:00 when a day's escalations fall due together (or after an outage). Measured from the
 * moment the worker polls until every case's escalation is in its timeline: the seconds, the CPU
 * each process spent per case (worker, Temporal, FerretDB, API), and, throughout, case views
 * (GET /api/complaints/:reference, which asks the workflow for its live state within the API's
 * query budget): their p95, the share answered with the live state, and that share among views of
 * cases already settled (a case whose own task is still queued behind the storm has none to give).
 *
 * Each variant runs against the same servers in the same run, in turns (the order rotates run
 * by run), on code taken from git (bench/lib/worker-process.ts), its worker in processes of its
 * own as production runs it:
 *   baseline  the code before one write per transition (BENCH_STORM_BASELINE, default e3c5b64)
 *   all       today's code, one worker process (WORKER_ROLE=all, the default)
 *   split     today's code, WORKER_ROLE=workflows and WORKER_ROLE=activities, two processes
 *   cache100  as all, its workflow cache 100 (WORKER_MAX_CACHED_WORKFLOWS): most tasks miss it
 *   slots20   as all, 20 activities at once (WORKER_MAX_CONCURRENT_ACTIVITIES)
 *   wft4      as all, 4 workflow tasks at once (WORKER_MAX_CONCURRENT_WORKFLOW_TASKS; default 40):
 *             a case view's Query waits behind fewer
 *   wft10     the same, 10
 *   pool4     as all, the worker's MongoDB driver pool bounded to 4 connections (`maxPoolSize`
 *             in MONGODB_URI; the driver's default is 100): FerretDB then serves at most 4 of its
 *             requests at once, each on a SQLite connection of its own
 *   pool10    the same, 10 connections
 * Every ratio is against the baseline of the same run.
 *
 *   BENCH_STORM_N (1000)  BENCH_STORM_RUNS (3)  BENCH_STORM_VARIANTS (baseline,all,split,cache100)
 *   BENCH_STORM_BASELINE (e3c5b64)  BENCH_STORM_CODE (HEAD)  BENCH_STORM_VIEWERS (2)  BENCH_TIMEOUT_S (3600)
 *   BENCH_STORM_PROFILE (1: a CPU profile of each worker, --cpu-prof, beside its log)
 *   BENCH_STORM_TEMPORAL_JOURNAL (wal: the dev server's file as npm start journals it; rollback:
 *     the CLI's own default, a journal synced on every commit; for a run to compare against)
 *   BENCH_STORM_TEMPORAL_EAGER (1: eager activities, as production's dynamic config has them; 0:
 *     off, the server's own default, for a run to compare against)
 */
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { setTimeout as delay } from 'node:timers/promises';
import { londonDate, subtractWorkingDays } from '../lib/calendar';
import { loadConfig } from '../lib/config';
import { cpuSince, cpuSnapshot, type CpuSnapshot } from './lib/cpu';
import { percentile, runPool } from './lib/measure';
import { Cleanups, startBenchStack, withPoolSize, type BenchStack } from './lib/stack';
import { codeAt, startWorkerProcess } from './lib/worker-process';
import { metricSum, readMetrics } from '../dev-servers/process';

const env = process.env;
const N = Number(env.BENCH_STORM_N ?? 1000);
const RUNS = Number(env.BENCH_STORM_RUNS ?? 3);
const VARIANTS = (env.BENCH_STORM_VARIANTS ?? 'baseline,all,split,cache100').split(',');
const VIEWERS = Number(env.BENCH_STORM_VIEWERS ?? 2);
const JOURNAL = env.BENCH_STORM_TEMPORAL_JOURNAL === 'rollback' ? 'rollback' : 'wal';
/** Eager activities as production's dynamic config has them (on), or off (BENCH_STORM_TEMPORAL_EAGER=0) to compare. */
const EAGER = env.BENCH_STORM_TEMPORAL_EAGER !== '0';
const TIMEOUT_S = Number(env.BENCH_TIMEOUT_S ?? 3600);
const WORKERS: Record<string, Record<string, string>[]> = {
  baseline: [{}],
  all: [{ WORKER_ROLE: 'all' }],
  split: [{ WORKER_ROLE: 'workflows' }, { WORKER_ROLE: 'activities' }],
  cache100: [{ WORKER_ROLE: 'all', WORKER_MAX_CACHED_WORKFLOWS: '100' }],
  slots20: [{ WORKER_ROLE: 'all', WORKER_MAX_CONCURRENT_ACTIVITIES: '20' }],
  wft4: [{ WORKER_ROLE: 'all', WORKER_MAX_CONCURRENT_WORKFLOW_TASKS: '4' }],
  wft10: [{ WORKER_ROLE: 'all', WORKER_MAX_CONCURRENT_WORKFLOW_TASKS: '10' }],
  pool4: [{ WORKER_ROLE: 'all', MONGO_POOL: '4' }],
  pool10: [{ WORKER_ROLE: 'all', MONGO_POOL: '10' }],
};

/** A worker's settings: MONGO_POOL bounds its driver's pool, in the URI as an operator would. */
function workerEnv(stack: BenchStack, { MONGO_POOL, ...extra }: Record<string, string>): Record<string, string> {
  return MONGO_POOL ? { ...extra, MONGODB_URI: withPoolSize(stack.config.MONGODB_URI, MONGO_POOL) } : extra;
}

interface Result {
  variant: string;
  seconds: number;
  cpuPerCase: CpuSnapshot;
  views: number;
  viewP95: number;
  liveShare: number;
  /** The share of views with the live state among views of cases whose escalation was already recorded. */
  liveShareSettled: number;
  /** The share of views that read a case whose own work was still queued (it cannot have a live state yet). */
  queuedShare: number;
  /** Activities the server handed out eagerly (in its answer to a workflow task), per case. */
  eagerPerCase: number;
}

/** The activities the Temporal server has started eagerly so far (its `activity_eager_execution` counter, summed). */
async function eagerActivities(stack: BenchStack): Promise<number> {
  return metricSum((await readMetrics(stack.temporalMetricsUrl)) ?? '', 'activity_eager_execution(?:_total)?') ?? 0;
}

/** Open N complaints through the API, received ten working days ago; no worker runs meanwhile. */
async function openCases(stack: BenchStack, run: number, variant: string): Promise<string[]> {
  const receivedAt = subtractWorkingDays(londonDate(Date.now()), 10);
  const references: string[] = [];
  const { samples } = await runPool(N, 16, async (i) => {
    const res = await fetch(`${stack.apiUrl}/api/complaints`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: stack.authorization, 'idempotency-key': `storm-${run}-${variant}-${i}` },
      body: JSON.stringify({ providerCode: 'RJ2', receivedAt, source: 'complainant', category: 'communication', summary: `Storm case ${i}`, consentToShare: true }),
    });
    const text = await res.text();
    if (res.status !== 201) return `HTTP ${res.status}: ${text.slice(0, 200)}`;
    references.push((JSON.parse(text) as { reference: string }).reference);
    return undefined;
  });
  const failed = samples.filter((s) => s.error);
  if (failed.length) throw new Error(`${failed.length} of ${N} creates failed, e.g. ${failed[0].error}`);
  return references;
}

/**
 * Until every case's second timeline entry (its escalation, after its opening) is written; `settled`
 * gets the moment each was first seen written (polled every 200 ms: up to that much late).
 */
async function allRecorded(stack: BenchStack, references: string[], settled: Map<string, number>): Promise<void> {
  const pending = new Set(references);
  const deadline = Date.now() + TIMEOUT_S * 1000;
  while (pending.size) {
    const ids = [...pending].map((r) => `${r}:2`);
    for (let i = 0; i < ids.length; i += 500) {
      const rows = await stack.models.Timeline.find({ _id: { $in: ids.slice(i, i + 500) } }, { _id: 1 }).lean<{ _id: string }[]>();
      for (const row of rows) {
        const reference = row._id.slice(0, row._id.lastIndexOf(':'));
        pending.delete(reference);
        if (!settled.has(reference)) settled.set(reference, performance.now());
      }
    }
    if (Date.now() > deadline) throw new Error(`${pending.size} of ${references.length} cases not recorded after ${TIMEOUT_S} s`);
    if (pending.size) await delay(200);
  }
}

/**
 * Case views while `until` runs: each one's latency, whether it came with the live state, and the
 * case it read and when (to tell views of cases already settled from those whose work was queued).
 */
async function viewsDuring<T>(stack: BenchStack, references: string[], until: Promise<T>) {
  const samples: { ms: number; live: boolean; reference: string; at: number }[] = [];
  let done = false;
  void until.finally(() => (done = true)).catch(() => undefined);
  const viewer = async () => {
    while (!done) {
      const reference = references[Math.floor(Math.random() * references.length)];
      const t0 = performance.now();
      const res = await fetch(`${stack.apiUrl}/api/complaints/${reference}`, { headers: { authorization: stack.authorization } });
      const body = (await res.json()) as { live?: unknown };
      samples.push({ ms: performance.now() - t0, live: res.ok && body.live !== null && body.live !== undefined, reference, at: t0 });
    }
  };
  const [result] = await Promise.all([until, ...Array.from({ length: VIEWERS }, viewer)]);
  return { result, samples };
}

async function runVariant(stack: BenchStack, trees: Record<string, string>, run: number, variant: string, logDir: string): Promise<Result> {
  const references = await openCases(stack, run, variant);
  const tree = variant === 'baseline' ? trees.baseline : trees.code;
  const workers = [];
  // BENCH_STORM_PROFILE=1: each worker writes a CPU profile (--cpu-prof) into the log directory as it stops.
  const profile = env.BENCH_STORM_PROFILE === '1' ? ['--cpu-prof', `--cpu-prof-dir=${path.join(logDir, `profile-${run}-${variant}`)}`] : [];
  for (const [i, extra] of WORKERS[variant].entries()) workers.push(await startWorkerProcess(tree, stack.config, path.join(logDir, `worker-${run}-${variant}-${i}.log`), workerEnv(stack, extra), profile));
  // The reconcilers' Schedules (made by the first worker) would compare every record mid-storm.
  for await (const schedule of stack.client.schedule.list()) await stack.client.schedule.getHandle(schedule.scheduleId).pause('storm bench');
  try {
    const pids = Object.fromEntries(workers.map((w, i) => [`worker${i ? i + 1 : ''}`, w.child.pid]));
    const snap = () => ({ ...cpuSnapshot(pids), ...stack.cpu() });
    const before = snap();
    const eagerBefore = await eagerActivities(stack);
    const t0 = performance.now();
    const settled = new Map<string, number>();
    const { samples } = await viewsDuring(stack, references, allRecorded(stack, references, settled));
    const seconds = (performance.now() - t0) / 1000;
    const cpu = cpuSince(before, snap());
    const worker = Object.entries(cpu).filter(([k]) => k.startsWith('worker')).reduce((s, [, ms]) => s + ms, 0);
    const cpuPerCase: CpuSnapshot = { worker: worker / N, temporal: cpu.temporal / N, ferretdb: cpu.ferretdb / N, api: cpu.api / N, bench: cpu.bench / N };
    const ms = samples.map((s) => s.ms).sort((a, b) => a - b);
    // A view of a case whose escalation was not yet seen written asked a workflow whose own task
    // was still queued behind the storm: no Query can answer before that task runs.
    const ofSettled = samples.filter((s) => (settled.get(s.reference) ?? Infinity) <= s.at);
    const share = (of: typeof samples) => of.filter((s) => s.live).length / Math.max(1, of.length);
    return {
      variant,
      seconds,
      cpuPerCase,
      views: samples.length,
      viewP95: percentile(ms, 95),
      liveShare: share(samples),
      liveShareSettled: share(ofSettled),
      queuedShare: 1 - ofSettled.length / Math.max(1, samples.length),
      eagerPerCase: ((await eagerActivities(stack)) - eagerBefore) / N,
    };
  } finally {
    for (const w of workers) await w.stop(30_000);
  }
}

const spread = (values: number[], digits = 1) => {
  const v = [...values].sort((a, b) => a - b);
  return `${v[0].toFixed(digits)} / ${percentile(v, 50).toFixed(digits)} / ${v.at(-1)!.toFixed(digits)}`;
};

async function main(): Promise<void> {
  const cleanups = new Cleanups();
  const watchdog = setTimeout(() => {
    console.error(`bench: still running after ${TIMEOUT_S} s; giving up`);
    process.exit(2);
  }, TIMEOUT_S * 1000);
  watchdog.unref();
  try {
    const work = mkdtempSync(path.join(os.tmpdir(), 'oversight-storm-'));
    const baselineRef = env.BENCH_STORM_BASELINE ?? 'e3c5b64';
    const code = await codeAt(env.BENCH_STORM_CODE ?? 'HEAD', path.join(work, 'code'));
    const baseline = VARIANTS.includes('baseline') ? await codeAt(baselineRef, path.join(work, 'baseline')) : undefined;
    console.log(`Oversight storm bench: ${N} complaints per variant, ${RUNS} runs, ${os.cpus().length} CPUs, node ${process.version}, ${new Date().toISOString()}`);
    console.log(`  code ${code.commit}${baseline ? `, baseline ${baseline.commit}` : ''}; Temporal dev server journal ${JOURNAL}, eager activities ${EAGER ? 'on' : 'off'}; variants ${VARIANTS.join(', ')}; ${VIEWERS} case viewers; logs in ${work}`);
    const results: Result[][] = [];
    for (let run = 1; run <= RUNS; run++) {
      const stack = await startBenchStack(loadConfig({ ...process.env, LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn' }), { run: `storm${run}`, temporalStore: 'file', api: 'process', temporalJournal: JOURNAL, temporalDynamicConfig: EAGER ? undefined : { 'system.enableActivityEagerExecution': false } }, cleanups);
      const order = VARIANTS.map((_, i) => VARIANTS[(i + run - 1) % VARIANTS.length]);
      const rows: Result[] = [];
      for (const variant of order) {
        const r = await runVariant(stack, { code: code.dir, baseline: baseline?.dir ?? code.dir }, run, variant, work);
        rows.push(r);
        console.log(
          `  run ${run} ${variant.padEnd(8)} ${r.seconds.toFixed(1).padStart(6)} s  CPU ms/case worker ${r.cpuPerCase.worker.toFixed(1)} temporal ${r.cpuPerCase.temporal.toFixed(1)}` +
            ` ferretdb ${r.cpuPerCase.ferretdb.toFixed(1)} api ${r.cpuPerCase.api.toFixed(1)}  views ${r.views} p95 ${r.viewP95.toFixed(0)} ms live ${(100 * r.liveShare).toFixed(0)}%` +
            ` (of settled cases ${(100 * r.liveShareSettled).toFixed(0)}%; ${(100 * r.queuedShare).toFixed(0)}% of views read a case still queued)  eager activities/case ${r.eagerPerCase.toFixed(2)}`,
        );
      }
      results.push(rows);
      await cleanups.runAll();
    }
    console.log(`\nmin / median / max of ${RUNS} runs (ratio: seconds against the baseline of the same run)`);
    for (const variant of VARIANTS) {
      const rs = results.map((rows) => rows.find((r) => r.variant === variant)!);
      const base = results.map((rows) => rows.find((r) => r.variant === 'baseline'));
      const ratio = base.every(Boolean) ? `  ratio ${spread(rs.map((r, i) => r.seconds / base[i]!.seconds), 2)}` : '';
      console.log(`  ${variant.padEnd(8)} seconds ${spread(rs.map((r) => r.seconds))}${ratio}`);
      for (const p of ['worker', 'temporal', 'ferretdb', 'api'] as const) console.log(`           CPU ms/case ${p.padEnd(8)} ${spread(rs.map((r) => r.cpuPerCase[p]))}`);
      console.log(`           case view p95 ms ${spread(rs.map((r) => r.viewP95), 0)}  live share % ${spread(rs.map((r) => 100 * r.liveShare), 0)}  views ${spread(rs.map((r) => r.views), 0)}`);
      console.log(`           live share % of views of settled cases ${spread(rs.map((r) => 100 * r.liveShareSettled), 0)}  views of cases still queued % ${spread(rs.map((r) => 100 * r.queuedShare), 0)}`);
    }
  } finally {
    await cleanups.runAll();
    clearTimeout(watchdog);
  }
}

void main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(`bench failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    process.exit(1);
  },
);
