/**
 * `npm run bench`: how fast the API opens cases compared with starting the same workflow bare.
 *
 *   bare  N × client.workflow.start(complaintWorkflow)            (the Temporal floor)
 *   api   N × POST /api/complaints  (Mongo writes + the same start) (what a user gets)
 *
 * Both run in the same process against the same servers, the same worker and the same task
 * queue, with the same concurrency, alternating bare/api for BENCH_ROUNDS rounds (N split
 * across them) so drift hits both. The worker runs throughout, so each started workflow costs
 * the same background work in either phase; between phases the bench waits until every
 * workflow started so far has written its 'received' timeline entry, so one phase's backlog
 * does not slow the next. rate/s counts 201s (and bare starts) per second of the phase;
 * settled/s also counts that catch-up time, i.e. until the worker had done its part too.
 * Every POST must answer 201 with a case reference no other answer named.
 *
 * FerretDB and the Temporal dev server are started here (temp dir, in memory) unless
 * MONGODB_URI / TEMPORAL_ADDRESS are set; with those, the bench uses its own database and
 * task queue and terminates its workflows at the end.
 *
 *   BENCH_N (200)  BENCH_CONCURRENCY (16)  BENCH_ROUNDS (2)  BENCH_WARMUP (8)  BENCH_TIMEOUT_S (600)
 *   BENCH_IDEMPOTENCY_KEYS (1: each POST sends an Idempotency-Key; 0: none)  LOG_LEVEL (warn)
 *   or positional: tsx bench/complaints.ts [N] [concurrency]
 *
 * Exit code 0 whatever the ratio (it is a measurement); 1 if any request or check failed,
 * 2 if the run outlasted BENCH_TIMEOUT_S.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { setTimeout as delay } from 'node:timers/promises';
import { Client, Connection } from '@temporalio/client';
import { startApi, type RunningApi } from '../api/server';
import { londonDate } from '../lib/calendar';
import { loadConfig, type ResolvedConfig } from '../lib/config';
import { planDeadline } from '../lib/deadlines';
import { startFerretDb } from '../lib/servers/ferretdb';
import { startTemporalDevServer } from '../lib/servers/temporal';
import { createModels, type Models } from '../models';
import { connectDatabase } from '../models/connection';
import { REFERENCE_BLOCK_SIZE } from '../models/references';
import { seedReferenceData } from '../models/seed';
import { startWorker, type RunningWorker } from '../worker/run';
import { complaintWorkflow } from '../workflows/complaint/workflow';

// ---------------------------------------------------------------------------------------------
// Settings

function intSetting(name: string, positional: string | undefined, fallback: number, min: number): number {
  const raw = positional ?? process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min) throw new Error(`${name} must be an integer >= ${min}, got "${raw}"`);
  return value;
}

const argv = process.argv.slice(2);
const N = intSetting('BENCH_N', argv[0], 200, 1);
const CONCURRENCY = intSetting('BENCH_CONCURRENCY', argv[1], 16, 1);
const ROUNDS = Math.min(intSetting('BENCH_ROUNDS', undefined, 2, 1), N);
const WARMUP = intSetting('BENCH_WARMUP', undefined, 8, 0);
const TIMEOUT_S = intSetting('BENCH_TIMEOUT_S', undefined, 600, 10);
/** 1: each POST carries an Idempotency-Key, as a client that retries safely sends (2 more reads/writes). */
const IDEMPOTENCY_KEYS = intSetting('BENCH_IDEMPOTENCY_KEYS', undefined, 1, 0) !== 0;
const TARGET = 0.8;
/** After the last 'received' timeline entry, time for the projection update that follows it. */
const GRACE_MS = 300;
const REQUEST_TIMEOUT_MS = 30_000;

const RUN = randomBytes(3).toString('hex');
const today = londonDate(Date.now());

// ---------------------------------------------------------------------------------------------
// Measurement

interface Sample {
  ms: number;
  error?: string;
}

interface Started {
  reference: string;
  workflowId: string;
}

interface Phase {
  path: 'bare' | 'api';
  round: number;
  n: number;
  seconds: number;
  /** From the phase's end until the worker had run every started workflow's first activities. */
  catchUpSeconds?: number;
  latencies: number[];
  failures: string[];
  /** The workflows the phase started, and the case references they write their timeline under. */
  started: Started[];
}

/** Runs op(0..n-1) with at most `concurrency` in flight; wall time and each op's latency. */
async function runPool(
  n: number,
  concurrency: number,
  op: (i: number) => Promise<string | undefined>,
): Promise<{ seconds: number; samples: Sample[] }> {
  const samples: Sample[] = new Array(n);
  let next = 0;
  const lane = async () => {
    for (let i = next++; i < n; i = next++) {
      const t0 = performance.now();
      let error: string | undefined;
      try {
        error = await op(i);
      } catch (err) {
        error = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
      }
      samples[i] = { ms: performance.now() - t0, error };
    }
  };
  const t0 = performance.now();
  await Promise.all(Array.from({ length: Math.min(concurrency, n) }, lane));
  return { seconds: (performance.now() - t0) / 1000, samples };
}

/** Nearest-rank percentile of sorted values. */
function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

// ---------------------------------------------------------------------------------------------
// The two paths

const acknowledgement = planDeadline({ kind: 'acknowledgement', from: today, workingDays: 3 });
let bareCount = 0;

function bareOp(client: Client, taskQueue: string, started: Started[]) {
  return async (): Promise<undefined> => {
    const i = bareCount++;
    const reference = `BENCH-${RUN}-${String(i).padStart(6, '0')}`;
    const workflowId = `bench-bare:${RUN}:${i}`;
    await client.workflow.start(complaintWorkflow, {
      workflowId,
      taskQueue,
      args: [{ reference, providerCode: 'RJ2', receivedOn: today, consentToShare: true, acknowledgement }],
    });
    started.push({ reference, workflowId });
    return undefined;
  };
}

let apiCount = 0;

function apiOp(apiUrl: string, started: Started[]) {
  return async (): Promise<string | undefined> => {
    const i = apiCount++;
    const res = await fetch(`${apiUrl}/api/complaints`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(IDEMPOTENCY_KEYS ? { 'idempotency-key': `bench-${RUN}-${i}` } : {}) },
      body: JSON.stringify({
        providerCode: 'RJ2',
        receivedAt: today,
        source: 'complainant',
        category: 'communication',
        summary: `Benchmark case ${i}: letters about the appointment never arrived.`,
        consentToShare: true,
      }),
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    });
    const text = await res.text();
    if (res.status !== 201) return `HTTP ${res.status}: ${text.slice(0, 300)}`;
    const { reference } = JSON.parse(text) as { reference: string };
    started.push({ reference, workflowId: `complaint:${reference}` });
    return undefined;
  };
}

async function runPhase(
  kind: Phase['path'],
  round: number,
  n: number,
  op: (started: Started[]) => (i: number) => Promise<string | undefined>,
): Promise<Phase> {
  const started: Started[] = [];
  const { seconds, samples } = await runPool(n, CONCURRENCY, op(started));
  const failures = samples.filter((s) => s.error).map((s) => s.error!);
  const latencies = samples.filter((s) => !s.error).map((s) => s.ms);
  return { path: kind, round, n, seconds, latencies, failures, started };
}

/**
 * Waits until each workflow has written its 'received' timeline entry (its first activities
 * done), then a short grace for the projection update that follows, so the worker is idle.
 */
async function drain(models: Models, started: Started[], label: string): Promise<number | string> {
  const references = [...new Set(started.map((s) => s.reference))];
  const t0 = performance.now();
  const deadline = Date.now() + Math.max(30_000, references.length * 100);
  for (;;) {
    const done = await models.Timeline.countDocuments({ reference: { $in: references }, seq: 1 });
    if (done >= references.length) break;
    if (Date.now() > deadline) {
      return `${label}: after ${((performance.now() - t0) / 1000).toFixed(0)} s only ${done} of ${references.length} cases have their workflow's first timeline entry`;
    }
    await delay(100);
  }
  const seconds = (performance.now() - t0) / 1000;
  await delay(GRACE_MS);
  return seconds;
}

// ---------------------------------------------------------------------------------------------
// Report

function row(cells: (string | number)[], widths: number[]): string {
  return cells.map((c, i) => (i === 0 ? String(c).padEnd(widths[i]) : String(c).padStart(widths[i]))).join('  ');
}

function summarise(label: string, phases: Phase[]) {
  const n = phases.reduce((s, p) => s + p.n, 0);
  const failed = phases.reduce((s, p) => s + p.failures.length, 0);
  const seconds = phases.reduce((s, p) => s + p.seconds, 0);
  const latencies = phases.flatMap((p) => p.latencies).sort((a, b) => a - b);
  return {
    label,
    n,
    failed,
    seconds,
    /** Cases (workflows) actually opened per second: failed requests do not count. */
    rate: (n - failed) / seconds,
    /** The same, until the worker had also run their first activities (start + catch-up). */
    settledRate: (n - failed) / (seconds + phases.reduce((s, p) => s + (p.catchUpSeconds ?? NaN), 0)),
    p50: percentile(latencies, 50),
    p95: percentile(latencies, 95),
  };
}

function printTable(rows: ReturnType<typeof summarise>[]): void {
  const widths = [6, 5, 6, 11, 8, 8, 8, 8, 9];
  const out = [row(['path', 'n', 'failed', 'concurrency', 'seconds', 'rate/s', 'p50 ms', 'p95 ms', 'settled/s'], widths)];
  out.push(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const r of rows) {
    out.push(
      row(
        [r.label, r.n, r.failed, CONCURRENCY, r.seconds.toFixed(2), r.rate.toFixed(1), r.p50.toFixed(1), r.p95.toFixed(1), r.settledRate.toFixed(1)],
        widths,
      ),
    );
  }
  console.log(out.join('\n'));
}

/** Failure messages grouped, most frequent first. */
function grouped(failures: string[], limit = 5): string[] {
  const counts = new Map<string, number>();
  for (const f of failures) counts.set(f, (counts.get(f) ?? 0) + 1);
  return [...counts]
    .sort((a, b) => b[1] - a[1])
    .slice(0, limit)
    .map(([message, count]) => `${count} × ${message}`);
}

// ---------------------------------------------------------------------------------------------
// Stack

const cleanups: { name: string; run: () => Promise<void> }[] = [];

async function stopAll(): Promise<void> {
  for (const { name, run } of cleanups.reverse()) {
    try {
      await run();
    } catch (err) {
      console.error(`bench: stopping ${name} failed: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
  cleanups.length = 0;
}

/** `mongodb://host:port[/db][?opts]` with the database replaced. */
function withDatabase(uri: string, database: string): string {
  const match = /^(mongodb(?:\+srv)?:\/\/[^/?]+)(?:\/[^?]*)?(\?.*)?$/.exec(uri);
  if (!match) throw new Error(`MONGODB_URI is not a mongodb:// URI: ${uri}`);
  return `${match[1]}/${database}${match[2] ?? ''}`;
}

async function main(): Promise<number> {
  const env = loadConfig({ ...process.env, LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn' });
  const externalMongo = !!env.MONGODB_URI;
  const externalTemporal = !!env.TEMPORAL_ADDRESS;
  const tempDir = mkdtempSync(path.join(os.tmpdir(), 'oversight-bench-'));
  cleanups.push({ name: 'temp dir', run: async () => rmSync(tempDir, { recursive: true, force: true }) });

  const t0 = performance.now();
  let mongoUri: string;
  if (externalMongo) {
    // Never the application's own database: a throwaway one on the same server.
    mongoUri = withDatabase(env.MONGODB_URI!, `oversight_bench_${RUN}`);
  } else {
    const ferretDb = await startFerretDb({ dataDir: path.join(tempDir, 'ferretdb'), logFile: path.join(tempDir, 'ferretdb.log') });
    cleanups.push({ name: 'FerretDB', run: () => ferretDb.stop() });
    mongoUri = withDatabase(ferretDb.uri, 'oversight_bench');
  }
  let temporalAddress: string;
  if (externalTemporal) {
    temporalAddress = env.TEMPORAL_ADDRESS!;
  } else {
    const temporal = await startTemporalDevServer({ headless: true, namespace: env.TEMPORAL_NAMESPACE, logFile: path.join(tempDir, 'temporal.log') });
    cleanups.push({ name: 'Temporal dev server', run: () => temporal.stop() });
    temporalAddress = temporal.address;
  }
  const config: ResolvedConfig = {
    ...env,
    PORT: 0,
    MONGODB_URI: mongoUri,
    TEMPORAL_ADDRESS: temporalAddress,
    // Our own queue, so only the worker started here picks these workflows up.
    TEMPORAL_TASK_QUEUE: externalTemporal ? `oversight-bench-${RUN}` : env.TEMPORAL_TASK_QUEUE,
  };

  const db = await connectDatabase(config.MONGODB_URI);
  cleanups.push({ name: 'bench database connection', run: () => db.close() });
  const models = createModels(db);
  await seedReferenceData(db);
  if (externalTemporal) {
    // complaint:CMP-<year>-<seq> ids must not repeat an earlier run's workflows on that server,
    // where the API would refuse to start them: claim a reference block at a random point.
    const series = `complaint:${today.slice(0, 4)}`;
    const block = Math.floor((100_000 + Math.random() * 800_000) / REFERENCE_BLOCK_SIZE);
    await models.ReferenceBlock.create({ _id: `${series}:${block}`, series, block, claimedAt: new Date() });
  }
  if (externalMongo) cleanups.push({ name: 'bench database', run: async () => void (await db.dropDatabase()) });

  const worker: RunningWorker = await startWorker(config);
  cleanups.push({ name: 'worker', run: () => worker.shutdown() });
  worker.done.catch((err: unknown) => console.error('bench: worker failed:', err));
  const api: RunningApi = await startApi(config);
  cleanups.push({ name: 'API', run: () => api.close() });
  // startApi answers http://localhost:port but listens on 0.0.0.0: avoid a ::1 attempt first.
  const apiUrl = api.url.replace('//localhost:', '//127.0.0.1:');

  const connection = await Connection.connect({ address: config.TEMPORAL_ADDRESS });
  cleanups.push({ name: 'bench Temporal connection', run: () => connection.close() });
  const client = new Client({ connection, namespace: config.TEMPORAL_NAMESPACE });
  const started: Started[] = []; // to terminate on an external server
  if (externalTemporal) {
    cleanups.push({
      name: 'bench workflows',
      run: async () => {
        await runPool(started.length, 32, async (i) => {
          await client.workflow.getHandle(started[i].workflowId).terminate('benchmark finished').catch(() => undefined);
          return undefined;
        });
      },
    });
  }
  const setupSeconds = (performance.now() - t0) / 1000;

  const bare = (s: Started[]) => bareOp(client, config.TEMPORAL_TASK_QUEUE, s);
  const viaApi = (s: Started[]) => apiOp(apiUrl, s);
  const remember = (p: Phase) => started.push(...p.started);

  console.log(
    [
      `Oversight bench: run ${RUN}, ${os.cpus().length} CPUs, node ${process.version}`,
      `  MongoDB   ${externalMongo ? `${mongoUri} (MONGODB_URI)` : `FerretDB started here (${tempDir})`}`,
      `  Temporal  ${externalTemporal ? `${temporalAddress} (TEMPORAL_ADDRESS)` : 'Temporal dev server started here (in memory, headless)'}`,
      `  worker + API in this process, task queue ${config.TEMPORAL_TASK_QUEUE}; setup took ${setupSeconds.toFixed(1)} s`,
      `  N=${N} per path, concurrency ${CONCURRENCY}, ${ROUNDS} round(s) alternating bare/api, warm-up ${WARMUP} of each;` +
        ` POSTs ${IDEMPOTENCY_KEYS ? 'with' : 'without'} Idempotency-Key`,
      `  The worker runs during both paths (each started workflow costs it the same work);`,
      `  after each phase the bench waits until the worker has run every workflow's first activities.`,
    ].join('\n'),
  );

  const problems: string[] = [];
  let failed = 0;
  const seenApiReferences = new Set<string>();
  /** Counts a phase's failures, and any case reference two 201 answers both named. */
  const check = (p: Phase, label: string) => {
    failed += p.failures.length;
    if (p.failures.length) problems.push(`${label}: ${p.failures.length} of ${p.n} failed`, ...grouped(p.failures).map((g) => `  ${g}`));
    if (p.path !== 'api') return;
    const duplicates = p.started.filter((s) => {
      if (seenApiReferences.has(s.reference)) return true;
      seenApiReferences.add(s.reference);
      return false;
    });
    if (duplicates.length) {
      // Not a case opened: count it against the rate like any other failure.
      failed += duplicates.length;
      p.failures.push(...duplicates.map((d) => `201 naming ${d.reference}, which another 201 already named`));
      problems.push(`${label}: ${duplicates.length} answer(s) 201 named a case another 201 already named (e.g. ${duplicates[0].reference})`);
    }
  };
  const settle = async (started: Started[], label: string): Promise<number | undefined> => {
    const drained = await drain(models, started, label);
    if (typeof drained === 'string') {
      problems.push(drained);
      failed += 1;
      return undefined;
    }
    return drained;
  };

  // Warm-up: connections, JIT, the worker's first workflow tasks. Not measured, but checked.
  if (WARMUP > 0) {
    const warm = [await runPhase('bare', 0, WARMUP, bare), await runPhase('api', 0, WARMUP, viaApi)];
    for (const p of warm) {
      remember(p);
      check(p, `warm-up ${p.path}`);
    }
    await settle(warm.flatMap((p) => p.started), 'warm-up');
  }

  const phases: Phase[] = [];
  const sizes = Array.from({ length: ROUNDS }, (_, r) => Math.floor(N / ROUNDS) + (r < N % ROUNDS ? 1 : 0));
  for (let r = 0; r < ROUNDS; r++) {
    for (const kind of ['bare', 'api'] as const) {
      const label = `round ${r + 1} ${kind}`;
      const phase = await runPhase(kind, r + 1, sizes[r], kind === 'bare' ? bare : viaApi);
      remember(phase);
      phases.push(phase);
      check(phase, label);
      phase.catchUpSeconds = await settle(phase.started, label);
      const ok = phase.n - phase.failures.length;
      const caughtUp = phase.catchUpSeconds === undefined ? 'worker did not catch up' : `worker caught up ${phase.catchUpSeconds.toFixed(1)} s later`;
      console.log(`  ${label.padEnd(12)} ${ok}/${phase.n} ok in ${phase.seconds.toFixed(2)} s = ${(ok / phase.seconds).toFixed(1)}/s (${caughtUp})`);
    }
  }

  console.log('');
  const bareTotal = summarise('bare', phases.filter((p) => p.path === 'bare'));
  const apiTotal = summarise('api', phases.filter((p) => p.path === 'api'));
  printTable([bareTotal, apiTotal]);
  const ratio = apiTotal.rate / bareTotal.rate;
  const perRound = Array.from({ length: ROUNDS }, (_, r) => {
    const [b, a] = [summarise('bare', [phases[2 * r]]), summarise('api', [phases[2 * r + 1]])];
    return (a.rate / b.rate).toFixed(2);
  });
  console.log(
    `\nratio api/bare = ${ratio.toFixed(2)} (target >= ${TARGET.toFixed(2)})` +
      `${ROUNDS > 1 ? `  [per round: ${perRound.join(', ')}]` : ''}` +
      `${ratio >= TARGET ? '' : '  BELOW TARGET'}`,
  );
  console.log(
    `settled ratio = ${(apiTotal.settledRate / bareTotal.settledRate).toFixed(2)}` +
      ' (settled/s: cases per second until the worker had also run their first activities)',
  );
  if (failed) {
    console.error(`\nFAILED: ${failed} request(s) or check(s) failed (rates count successful requests only):`);
    for (const line of problems) console.error(`  ${line}`);
    console.error('  The API logs each 500 with its cause above (LOG_LEVEL=warn, the default here).');
  }
  return failed ? 1 : 0;
}

const watchdog = setTimeout(() => {
  console.error(`bench: still running after ${TIMEOUT_S} s (BENCH_TIMEOUT_S); giving up`);
  process.exit(2); // the exit hook in lib/servers/process.ts kills the servers started here
}, TIMEOUT_S * 1000);
watchdog.unref();

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => process.exit(130));
}

void main()
  .catch((err: unknown) => {
    console.error(`bench failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    return 1;
  })
  .then(async (code) => {
    await stopAll();
    clearTimeout(watchdog);
    process.exit(code);
  });
