/**
 * `npm run bench`: how fast the API opens cases compared with starting the same workflow bare.
 *
 *   bare  N × client.workflow.start(complaintWorkflow)            (the Temporal floor)
 *   api   N × POST /api/complaints  (Mongo writes + the same start) (what a user gets)
 *
 * Both run in one process against the same servers and task queue, with the same concurrency,
 * in BENCH_ROUNDS rounds (N split across them) ordered bare, api | api, bare | … so that drift
 * and a phase's position hit both.
 * rate/s is what each path opens per second (201s, or bare starts) while no worker polls: the
 * worker's work on a case is the same whichever path opened it, and run during the phases it
 * lands wherever the phase order puts it (a fast bare burst leaves its backlog to the next
 * phase). After each phase a worker runs until every workflow started has written its first
 * timeline entry: settled/s counts that time too, i.e. until the worker had done its part.
 * Every POST must answer 201 with a case reference no other answer named.
 *
 * Servers: see bench/lib/stack.ts (as `npm start` runs them, unless MONGODB_URI or
 * TEMPORAL_ADDRESS are set). BENCH_TEMPORAL_STORE=memory runs the dev server in memory.
 * The API runs in a process of its own, as in production (`npm run api`); BENCH_API=inline
 * runs it inside the bench process instead, beside the load generator, as `npm start` does.
 *
 *   BENCH_N (400)  BENCH_CONCURRENCY (16)  BENCH_ROUNDS (4)  BENCH_WARMUP (max(32, 2 × concurrency))  BENCH_TIMEOUT_S (1800)
 *   BENCH_IDEMPOTENCY_KEYS (1: each POST sends an Idempotency-Key; 0: none)
 *   BENCH_TEMPORAL_STORE (file | memory)  BENCH_API (process | inline)  LOG_LEVEL (warn)
 *   or positional: tsx bench/complaints.ts [N] [concurrency]
 *
 * Exit code 0 whatever the ratio (it is a measurement); 1 if any request or check failed,
 * 2 if the run outlasted BENCH_TIMEOUT_S.
 */
import { randomBytes } from 'node:crypto';
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import { setTimeout as delay } from 'node:timers/promises';
import type { Client } from '@temporalio/client';
import { londonDate } from '../lib/calendar';
import { loadConfig } from '../lib/config';
import type { Models } from '../models';
import { claimReferenceBlock, REFERENCE_BLOCK_SIZE } from '../models/references';
import { caseWorkflowId } from '../contracts/kernel/case';
import { cpuSince } from './lib/cpu';
import { BENCH_PROCESSES, type BenchProcess } from './lib/processes';
import { cpuTable, grouped, runPool, summarise, table, type Phase, type Started } from './lib/measure';
import { Cleanups, startBenchStack, type BenchStack } from './lib/stack';

// ---------------------------------------------------------------------------------------------
// Settings

function intSetting(name: string, positional: string | undefined, fallback: number, min: number): number {
  const raw = positional ?? process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min) throw new Error(`${name} must be an integer >= ${min}, got "${raw}"`);
  return value;
}

function choice<T extends string>(name: string, choices: readonly T[]): T {
  const raw = process.env[name] || choices[0];
  if (!choices.includes(raw as T)) throw new Error(`${name} must be one of ${choices.join(', ')}, got "${raw}"`);
  return raw as T;
}

const argv = process.argv.slice(2);
const N = intSetting('BENCH_N', argv[0], 400, 1);
const CONCURRENCY = intSetting('BENCH_CONCURRENCY', argv[1], 16, 1);
const ROUNDS = Math.min(intSetting('BENCH_ROUNDS', undefined, 4, 1), N);
/** Enough to open every connection the pools will use at this concurrency, on both paths. */
const WARMUP = intSetting('BENCH_WARMUP', undefined, Math.max(32, 2 * CONCURRENCY), 0);
const TIMEOUT_S = intSetting('BENCH_TIMEOUT_S', undefined, 1800, 10);
/** 1: each POST carries an Idempotency-Key, as a client that retries safely sends (2 more reads/writes). */
const IDEMPOTENCY_KEYS = intSetting('BENCH_IDEMPOTENCY_KEYS', undefined, 1, 0) !== 0;
const TEMPORAL_STORE = choice('BENCH_TEMPORAL_STORE', ['file', 'memory'] as const);
const API = choice('BENCH_API', ['process', 'inline'] as const);
const TARGET = 0.85;
/** Which processes to open (BENCH_PROCESSES, comma-separated; all four by default). */
const PROCESSES = BENCH_PROCESSES.filter((p) => (process.env.BENCH_PROCESSES ?? 'complaint,visit,review,action-plan').split(',').includes(p.name));
/** After the last 'received' timeline entry, time for the projection update that follows it. */
const GRACE_MS = 300;
const REQUEST_TIMEOUT_MS = 30_000;

const RUN = randomBytes(3).toString('hex');
const today = londonDate(Date.now());

// ---------------------------------------------------------------------------------------------
// The two paths

let bareCount = 0;

/** A bare start of the process's workflow, with the input the API kept on a case it opened (`template`). */
function bareOp(client: Client, taskQueue: string, started: Started[], proc: BenchProcess, template: Record<string, unknown>) {
  return async (): Promise<undefined> => {
    const i = bareCount++;
    const reference = `BENCH-${RUN}-${String(i).padStart(6, '0')}`;
    const workflowId = `bench-bare:${RUN}:${proc.name}:${i}`;
    await client.workflow.start(proc.workflowType, { workflowId, taskQueue, args: [{ ...template, reference }] });
    started.push({ reference, workflowId });
    return undefined;
  };
}

let apiCount = 0;

function apiOp(apiUrl: string, authorization: string, started: Started[], proc: BenchProcess) {
  return async (): Promise<string | undefined> => {
    const i = apiCount++;
    const res = await fetch(`${apiUrl}${proc.path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization, ...(IDEMPOTENCY_KEYS ? { 'idempotency-key': `bench-${RUN}-${i}` } : {}) },
      body: JSON.stringify(proc.body(i, RUN, today)),
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    });
    const text = await res.text();
    if (res.status !== 201) return `HTTP ${res.status}: ${text.slice(0, 300)}`;
    const { reference } = JSON.parse(text) as { reference: string };
    started.push({ reference, workflowId: caseWorkflowId(proc.name, reference) });
    return undefined;
  };
}

async function runPhase(
  stack: BenchStack,
  kind: Phase['path'],
  round: number,
  n: number,
  op: (started: Started[]) => (i: number) => Promise<string | undefined>,
): Promise<Phase> {
  const started: Started[] = [];
  const before = stack.cpu();
  const { seconds, samples } = await runPool(n, CONCURRENCY, op(started));
  const cpu = cpuSince(before, stack.cpu());
  const failures = samples.filter((s) => s.error).map((s) => s.error!);
  const latencies = samples.filter((s) => !s.error).map((s) => s.ms);
  return { path: kind, round, n, seconds, latencies, failures, started, cpu };
}

/**
 * Runs a worker until each workflow has written its 'received' timeline entry (its first
 * activities done), then a short grace for the projection update that follows. Looks entries
 * up by _id, the one filter FerretDB hands to SQLite, so the polling adds little load.
 */
async function drain(stack: BenchStack, models: Models, started: Started[], label: string): Promise<number | string> {
  const pending = new Set(started.map((s) => s.reference));
  const total = pending.size;
  const t0 = performance.now();
  const deadline = Date.now() + Math.max(30_000, total * 100);
  return stack.withWorker(async () => {
    while (pending.size > 0) {
      const references = [...pending];
      await runPool(references.length, 8, async (i) => {
        if (await models.Timeline.exists({ _id: `${references[i]}:1` })) pending.delete(references[i]);
        return undefined;
      });
      if (pending.size === 0) break;
      if (Date.now() > deadline) {
        return `${label}: after ${((performance.now() - t0) / 1000).toFixed(0)} s only ${total - pending.size} of ${total} cases have their workflow's first timeline entry`;
      }
      await delay(100);
    }
    const seconds = (performance.now() - t0) / 1000;
    await delay(GRACE_MS);
    return seconds;
  });
}

// ---------------------------------------------------------------------------------------------

const cleanups = new Cleanups();

/** One process's rounds: its bare starts against its API creates, and their ratios. */
async function benchProcess(stack: BenchStack, proc: BenchProcess, started: Started[]) {
  const { config, models, client } = stack;
  const remember = (p: Phase) => started.push(...p.started);
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
  const settle = async (phaseStarted: Started[], label: string): Promise<number | undefined> => {
    const drained = await drain(stack, models, phaseStarted, label);
    if (typeof drained === 'string') {
      problems.push(drained);
      failed += 1;
      return undefined;
    }
    return drained;
  };

  // Warm-up: connections, JIT, the worker's first workflow tasks. Not measured, but checked. The
  // API's first case gives the bare path its input: the same workflow, started with the same.
  const viaApi = (s: Started[]) => apiOp(stack.apiUrl, stack.authorization, s, proc);
  const first = await runPhase(stack, 'api', 0, Math.max(1, WARMUP), viaApi);
  remember(first);
  check(first, `${proc.name} warm-up api`);
  const opened = first.started[0] && (await models.connection.db!.collection<{ _id: string; workflowInput?: Record<string, unknown> }>(proc.collection).findOne({ _id: first.started[0].reference }));
  if (!opened?.workflowInput) {
    problems.push(`${proc.name}: no case opened in the warm-up to take the bare start's input from`);
    return { proc, ratio: NaN, settled: NaN, failed: failed + 1, problems };
  }
  const template = opened.workflowInput;
  const bare = (s: Started[]) => bareOp(client, config.TEMPORAL_TASK_QUEUE, s, proc, template);
  if (WARMUP > 0) {
    const warm = await runPhase(stack, 'bare', 0, WARMUP, bare);
    remember(warm);
    check(warm, `${proc.name} warm-up bare`);
  }
  await settle(started.slice(-2 * WARMUP), `${proc.name} warm-up`);

  const phases: Phase[] = [];
  const sizes = Array.from({ length: ROUNDS }, (_, r) => Math.floor(N / ROUNDS) + (r < N % ROUNDS ? 1 : 0));
  for (let r = 0; r < ROUNDS; r++) {
    // bare, api | api, bare | …: whatever a phase's position costs falls on both paths alike.
    for (const kind of r % 2 === 0 ? (['bare', 'api'] as const) : (['api', 'bare'] as const)) {
      const label = `${proc.name} round ${r + 1} ${kind}`;
      const phase = await runPhase(stack, kind, r + 1, sizes[r], kind === 'bare' ? bare : viaApi);
      remember(phase);
      phases.push(phase);
      check(phase, label);
      phase.catchUpSeconds = await settle(phase.started, label);
      const ok = phase.n - phase.failures.length;
      const caughtUp = phase.catchUpSeconds === undefined ? 'worker did not catch up' : `worker then took ${phase.catchUpSeconds.toFixed(1)} s`;
      console.log(`  ${label.padEnd(24)} ${ok}/${phase.n} ok in ${phase.seconds.toFixed(2)} s = ${(ok / phase.seconds).toFixed(1)}/s (${caughtUp})`);
    }
  }

  console.log(`\n${proc.name}:`);
  const bareTotal = summarise('bare', phases.filter((p) => p.path === 'bare'));
  const apiTotal = summarise('api', phases.filter((p) => p.path === 'api'));
  console.log(table([bareTotal, apiTotal], CONCURRENCY));
  console.log(`\nCPU ms per case while opening it (each process's user + system time over the phase, / n):`);
  console.log(cpuTable([bareTotal, apiTotal]));
  const ratio = apiTotal.rate / bareTotal.rate;
  const perRound = Array.from({ length: ROUNDS }, (_, r) => {
    const inRound = (path: Phase['path']) => summarise(path, phases.filter((p) => p.round === r + 1 && p.path === path));
    return (inRound('api').rate / inRound('bare').rate).toFixed(2);
  });
  console.log(
    `\nratio api/bare = ${ratio.toFixed(2)} (target >= ${TARGET.toFixed(2)})` +
      `${ROUNDS > 1 ? `  [per round: ${perRound.join(', ')}]` : ''}` +
      `${ratio >= TARGET ? '' : '  BELOW TARGET'}`,
  );
  const settled = apiTotal.settledRate / bareTotal.settledRate;
  console.log(`settled ratio = ${settled.toFixed(2)}` + ' (settled/s: cases per second until the worker had also run their first activities)\n');
  return { proc, ratio, settled, failed, problems };
}

async function main(): Promise<number> {
  const env = loadConfig({ ...process.env, LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn' });
  const t0 = performance.now();
  const stack = await startBenchStack(env, { run: RUN, temporalStore: TEMPORAL_STORE, api: API }, cleanups);
  const { config, models, client } = stack;
  if (stack.externalTemporal) {
    // complaint:CMP-<year>-<seq> ids must not repeat an earlier run's workflows on that server,
    // where the API would refuse to start them: claim a reference block at a random point.
    const block = Math.floor((100_000 + Math.random() * 800_000) / REFERENCE_BLOCK_SIZE);
    for (const proc of PROCESSES) await claimReferenceBlock(models.ReferenceBlock, `${proc.name}:${today.slice(0, 4)}`, block);
  }
  const started: Started[] = []; // to terminate on an external server
  if (stack.externalTemporal) {
    cleanups.add('bench workflows', async () => {
      await runPool(started.length, 32, async (i) => {
        await client.workflow.getHandle(started[i].workflowId).terminate('benchmark finished').catch(() => undefined);
        return undefined;
      });
    });
  }
  const setupSeconds = (performance.now() - t0) / 1000;


  console.log(
    [
      `Oversight bench: run ${RUN}, ${os.cpus().length} CPUs, node ${process.version}`,
      `  MongoDB   ${stack.describe.mongo}`,
      `  Temporal  ${stack.describe.temporal}`,
      `  API ${API === 'process' ? 'in a process of its own, as in production' : 'in this process'}; worker in this process;` +
        ` task queue ${config.TEMPORAL_TASK_QUEUE}; setup took ${setupSeconds.toFixed(1)} s`,
      `  N=${N} per path, concurrency ${CONCURRENCY}, ${ROUNDS} round(s) ordered bare/api, api/bare …, warm-up ${WARMUP} of each;` +
        ` POSTs ${IDEMPOTENCY_KEYS ? 'with' : 'without'} Idempotency-Key`,
      `  rate/s: cases opened per second, no worker polling; settled/s: until a worker, started after`,
      `  the phase, had also run every new workflow's first activities.`,
    ].join('\n'),
  );

  const results = [];
  for (const proc of PROCESSES) results.push(await benchProcess(stack, proc, started));
  console.log(`ratio api/bare by process (target >= ${TARGET.toFixed(2)}), and the settled ratio:`);
  for (const r of results) console.log(`  ${r.proc.name.padEnd(12)} ${r.ratio.toFixed(2)}  settled ${r.settled.toFixed(2)}${r.ratio >= TARGET ? '' : '  BELOW TARGET'}`);
  const failed = results.reduce((n, r) => n + r.failed, 0);
  const problems = results.flatMap((r) => r.problems);
  if (failed) {
    console.error(`\nFAILED: ${failed} request(s) or check(s) failed (rates count successful requests only):`);
    for (const line of problems) console.error(`  ${line}`);
    console.error('  The API logs each 500 with its cause above (LOG_LEVEL=warn, the default here).');
  }
  return failed ? 1 : 0;
}

const watchdog = setTimeout(() => {
  console.error(`bench: still running after ${TIMEOUT_S} s (BENCH_TIMEOUT_S); giving up`);
  process.exit(2); // the exit hook in dev-servers/process.ts kills the servers started here
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
    await cleanups.runAll();
    clearTimeout(watchdog);
    process.exit(code);
  });
