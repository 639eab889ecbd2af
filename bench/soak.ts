/**
 * `npm run bench -- soak`: a working day's background work, repeated, watched for what grows.
 *
 * The API and the worker run as production runs them (processes of their own: `npm run api`'s
 * api/main.ts, `npm run worker`'s worker/main.ts, which also keeps the reconcilers' Schedules),
 * on FerretDB and the Temporal dev server on files. For BENCH_SOAK_MINUTES (60):
 *   - a steady trickle of requests through the API (BENCH_SOAK_PER_MINUTE, 60): cases of the
 *     four processes opened in turn, complaints acknowledged, progress recorded on plans'
 *     actions, and case views;
 *   - a storm at the start of each simulated morning (every BENCH_SOAK_DAY_MINUTES, 10):
 *     BENCH_SOAK_STORM (200) complaints opened received ten working days ago, so each one's
 *     acknowledgement is already overdue and escalates at once, timed until all are escalated;
 *   - the worker restarted every BENCH_SOAK_RESTART_MINUTES (10; SIGTERM as a deploy does, or
 *     SIGKILL with BENCH_SOAK_KILL=1), a minute into each day so a storm is under way;
 *   - the reconcilers' scheduled passes as production runs them (each process every 10 minutes);
 *   - with BENCH_SOAK_STEADY=1, a steady caseload: every case is closed once it has been open a
 *     simulated day, as its users close it (a complaint withdrawn, a visit or review cancelled, a
 *     plan's action evidenced, accepted by its chair and the plan signed off), so cases finish as
 *     fast as they open and what grows is not the data;
 *   - BENCH_SOAK_TEMPORAL_CACHE: the Temporal server's history cache bounded to so many workflows
 *     (history.hostLevelCacheMaxSize; else production's 4,096, scripts/temporal/dynamicconfig.yaml). Its occupancy is
 *     sampled with the RSS: the server's memory grows with it until the cache is full.
 *   - BENCH_SOAK_FERRETDB_CACHE_KIB: FerretDB's SQLite page cache per connection, in KiB (SQLite's
 *     default 2,000). The SQLite connections FerretDB holds open (its own metrics) are sampled with
 *     the RSS.
 *   - BENCH_SOAK_MONGO_POOL: the MongoDB driver's pool in each process (API, worker, the soak's
 *     own) bounded to so many connections (`maxPoolSize` in the URI; the driver's default 100).
 *   - BENCH_SOAK_FERRETDB_GOGC: Go's GOGC for FerretDB (Go's default 100). FerretDB's Go heap (in
 *     use, and the collector's goal) is sampled with the RSS.
 *   - BENCH_SOAK_WARMUP_DAYS (2): the simulated days not judged for memory. The open caseload is
 *     steady from the first day, but the servers' caches fill over the first two (in six soaks of
 *     2026-12-07 the Temporal server's RSS rose for 20 minutes, 235 to 280 MB, then stayed
 *     within 272-297 MB).
 * Then a full reconciler pass per process (the admin API), and the report: every process's RSS
 * through the run (its peak per simulated day, flat after warm-up: no whole day after it more than
 * 10 % above the first day after it),
 * each storm's time, the history size of the cases opened (events and bytes per process), every
 * pass's duration against its interval, and the findings: a finding left unrepaired that the
 * final full pass does not find again is a contradiction. The report is also written as JSON
 * (.data/bench/soak-<time>.json).
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { temporal } from '@temporalio/proto';
import { londonDate, subtractWorkingDays } from '../lib/calendar';
import { loadConfig } from '../lib/config';
import { localBearer } from '../dev-servers/auth';
import { ferretDbHeap, sqliteConnections, type SqliteConnections } from '../dev-servers/ferretdb';
import { readMetrics, spawnServer, type ChildServer } from '../dev-servers/process';
import { percentile, runPool } from './lib/measure';
import { BENCH_PROCESSES } from './lib/processes';
import { runBench } from './lib/run';
import { Cleanups, serverEnv, startBenchStack, type BenchStack } from './lib/stack';

const env = process.env;
const MINUTES = Number(env.BENCH_SOAK_MINUTES ?? 60);
const DAY_MINUTES = Number(env.BENCH_SOAK_DAY_MINUTES ?? 10);
const STORM = Number(env.BENCH_SOAK_STORM ?? 200);
const PER_MINUTE = Number(env.BENCH_SOAK_PER_MINUTE ?? 60);
const RESTART_MINUTES = Number(env.BENCH_SOAK_RESTART_MINUTES ?? 10);
const KILL = env.BENCH_SOAK_KILL === '1';
const SAMPLE_S = Number(env.BENCH_SOAK_SAMPLE_S ?? 15);
const STEADY = env.BENCH_SOAK_STEADY === '1';
/** The Temporal dev server's history cache bound (workflows' mutable state; else production's 4,096), if set. */
const TEMPORAL_CACHE = env.BENCH_SOAK_TEMPORAL_CACHE ? Number(env.BENCH_SOAK_TEMPORAL_CACHE) : undefined;
/** FerretDB's SQLite page cache per connection in KiB (SQLite's default: 2,000), if set. */
const FERRETDB_CACHE_KIB = env.BENCH_SOAK_FERRETDB_CACHE_KIB ? Number(env.BENCH_SOAK_FERRETDB_CACHE_KIB) : undefined;
/** The driver's connection pool per process (`maxPoolSize`; the driver's default: 100), if set. */
const MONGO_POOL = env.BENCH_SOAK_MONGO_POOL ? Number(env.BENCH_SOAK_MONGO_POOL) : undefined;
/** Go's GOGC for FerretDB (Go's default 100), if set. */
const FERRETDB_GOGC = env.BENCH_SOAK_FERRETDB_GOGC ? Number(env.BENCH_SOAK_FERRETDB_GOGC) : undefined;
/** Simulated days of warm-up, not judged for memory. */
const WARMUP_DAYS = Number(env.BENCH_SOAK_WARMUP_DAYS ?? 2);
const RECONCILE_INTERVAL_S = 600;
const PERSISTENT = new Set(['timeline_gap', 'record_open_but_workflow_closed']);

interface Opened {
  process: string;
  reference: string;
  at: number;
  acknowledged?: boolean;
  /** Being closed (steady mode), or closed: no more events are sent to it. */
  closing?: boolean;
  /** Steady mode: the closing steps already answered (a plan takes three). */
  closedSteps?: number;
}

function rssMb(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined;
  try {
    const line = readFileSync(`/proc/${pid}/status`, 'utf8').match(/^VmRSS:\s+(\d+) kB/m);
    return line ? Math.round(Number(line[1]) / 1024) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The Temporal server's history cache: workflows' mutable state it holds (`cache_usage`) and may
 * hold (`cache_size`). It keeps each workflow touched for an hour (history.cacheTTL) and evicts
 * only when full, so the server's memory grows with the workflows it has seen until the cache is full.
 */
async function temporalCache(stack: BenchStack): Promise<{ held: number; bound: number } | undefined> {
  const text = await readMetrics(stack.temporalMetricsUrl);
  if (text === undefined) return undefined;
  const gauge = (name: string) => Number(text.match(new RegExp(`^${name}\\{cache_type="mutablestate",service_name="history"\\} (\\S+)$`, 'm'))?.[1] ?? NaN);
  return { held: gauge('cache_usage'), bound: gauge('cache_size') };
}

/** worker/main.ts as a process of its own, with the settings the API runs on. */
async function startWorker(stack: BenchStack, logFile: string): Promise<ChildServer> {
  const worker = spawnServer('worker', process.execPath, ['--import', 'tsx', path.join(__dirname, '..', 'worker', 'main.ts')], logFile, { ...serverEnv(stack.config), LOG_LEVEL: 'info' });
  for (let waited = 0; !worker.logTail().includes('worker running'); waited += 250) {
    if (worker.exitStatus()) throw new Error(`worker exited: ${worker.exitStatus()}\n${worker.logTail()}`);
    if (waited > 180_000) throw new Error(`worker not running after 180 s\n${worker.logTail()}`);
    await delay(250);
  }
  return worker;
}

async function send(stack: BenchStack, method: string, url: string, body?: unknown, authorization = stack.authorization, idempotencyKey?: string): Promise<{ status: number; json: Record<string, unknown> }> {
  const res = await fetch(`${stack.apiUrl}${url}`, {
    method,
    headers: { authorization, 'content-type': 'application/json', ...(idempotencyKey && { 'idempotency-key': idempotencyKey }) },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(30_000),
  });
  const text = await res.text();
  return { status: res.status, json: text.startsWith('{') ? (JSON.parse(text) as Record<string, unknown>) : {} };
}

/** One request of the trickle, the i-th: opens, events and views in turn. */
async function trickleStep(stack: BenchStack, i: number, opened: Opened[], counts: Record<string, Record<string, number>>) {
  const today = londonDate(Date.now());
  const kind = i % 7;
  let op: string;
  let res: { status: number; json: Record<string, unknown> };
  if (kind < 4) {
    const proc = BENCH_PROCESSES[kind];
    op = `open ${proc.name}`;
    res = await send(stack, 'POST', proc.path, proc.body(i, 'soak', today));
    if (res.status === 201 || res.status === 202) opened.push({ process: proc.name, reference: String(res.json.reference), at: Date.now() });
  } else if (kind === 4) {
    const plans = opened.filter((o) => o.process === 'action-plan' && !o.closing);
    const plan = plans[Math.floor(Math.random() * plans.length)];
    if (!plan) return;
    op = 'update-action';
    res = await send(stack, 'POST', `/api/action-plans/${plan.reference}/update-action`, { action: 1, updatedOn: today, text: `Progress ${i}` });
  } else if (kind === 5) {
    const complaint = opened.find((o) => o.process === 'complaint' && !o.acknowledged && !o.closing);
    if (!complaint) return;
    op = 'acknowledge';
    complaint.acknowledged = true;
    res = await send(stack, 'POST', `/api/complaints/${complaint.reference}/acknowledge`, { acknowledgedOn: today });
  } else {
    const last = opened.at(-1);
    if (!last) return;
    op = 'view';
    const proc = BENCH_PROCESSES.find((p) => p.name === last.process)!;
    res = await send(stack, 'GET', `${proc.path}/${last.reference}`);
  }
  count(counts, op, res.status);
}

function count(counts: Record<string, Record<string, number>>, op: string, status: number | string) {
  const byStatus = (counts[op] ??= {});
  byStatus[status] = (byStatus[status] ?? 0) + 1;
}

/**
 * Steady mode: a case closed as its users close it. A plan takes three requests: evidence for its
 * one action, the chair's acceptance and sign-off, the last two signed in as the plan's chair.
 */
async function closeCase(stack: BenchStack, chair: string, c: Opened, counts: Record<string, Record<string, number>>): Promise<void> {
  const today = londonDate(Date.now());
  const proc = BENCH_PROCESSES.find((p) => p.name === c.process)!;
  const at = `${proc.path}/${c.reference}`;
  const steps: [string, unknown, string?][] =
    c.process === 'complaint'
      ? [['withdraw', { withdrawnOn: today, reason: 'The complainant withdrew (soak)' }]]
      : c.process === 'action-plan'
        ? [
            ['complete-action', { action: 1, completedOn: today, evidence: [{ description: 'Easy read letters in use (soak)' }] }],
            ['accept-evidence', { action: 1, acceptedOn: today }, chair],
            ['sign-off', { signedOffOn: today }, chair],
          ]
        : [['cancel', { cancelledOn: today, reason: 'No longer needed (soak)' }]];
  for (const [event, body, authorization] of steps.slice(c.closedSteps ?? 0)) {
    // With an Idempotency-Key, as a careful client sends an event: a 503 while the worker restarts
    // may still have been applied, and the same request sent again answers as that one did.
    const res = await send(stack, 'POST', `${at}/${event}`, body, authorization, `soak-${c.reference}-${event}`);
    count(counts, `close: ${c.process} ${event}`, res.status);
    // Refused while the worker restarts (503): sent again on the closer's next round, as a user would.
    if (res.status >= 500) c.closing = false;
    if (res.status >= 300) return;
    c.closedSteps = (c.closedSteps ?? 0) + 1;
  }
}

/** Steady mode: cases open a simulated day are closed, four at a time, until the soak ends. */
async function closer(stack: BenchStack, opened: Opened[], counts: Record<string, Record<string, number>>, end: number) {
  const chair = await localBearer(stack.config.AUTH_LOCAL_KEY_FILE!, ['cqrg_chair'], { sub: 'bench-chair', name: 'Chris Chair' });
  while (Date.now() < end) {
    const due = opened.filter((o) => !o.closing && o.at < Date.now() - DAY_MINUTES * 60_000);
    for (const c of due) c.closing = true;
    await runPool(due.length, 4, async (i) => {
      await closeCase(stack, chair, due[i], counts).catch((err: Error) => count(counts, 'close failed', err.name));
      return undefined;
    });
    await delay(5_000);
  }
}

/** A morning: STORM complaints whose acknowledgement is overdue, timed until each is escalated. */
async function storm(stack: BenchStack, day: number, opened: Opened[]): Promise<{ day: number; opened: number; seconds: number | null }> {
  const receivedAt = subtractWorkingDays(londonDate(Date.now()), 10);
  const references: string[] = [];
  await runPool(STORM, 8, async (i) => {
    const res = await send(stack, 'POST', '/api/complaints', {
      providerCode: 'RJ2',
      receivedAt,
      source: 'complainant',
      category: 'communication',
      summary: `Soak storm ${day}.${i}`,
      consentToShare: true,
    });
    if (res.status === 201 || res.status === 202) references.push(String(res.json.reference));
    return res.status < 300 ? undefined : `${res.status}`;
  });
  const started = Date.now();
  for (const reference of references) opened.push({ process: 'complaint', reference, at: started, acknowledged: true });
  for (;;) {
    const escalated = await escalatedOf(stack, references);
    if (escalated.size === references.length) return { day, opened: references.length, seconds: (Date.now() - started) / 1000 };
    if (Date.now() - started > DAY_MINUTES * 60_000) return { day, opened: references.length, seconds: null };
    await delay(1_000);
  }
}

/**
 * Which of `references` have their escalation in their timeline: read by `_id` range (a row is
 * `reference:seq`), as the product reads a timeline, so the check costs what the storm wrote. Asked
 * by `reference` and `type` instead, FerretDB (which pushes down only `_id` to SQLite) decoded
 * every timeline row ever written, once a second through each storm: a peak in its memory that grew
 * with each simulated day's rows, the instrument's and not the product's.
 */
async function escalatedOf(stack: BenchStack, references: string[]): Promise<Set<string>> {
  if (!references.length) return new Set();
  const sorted = [...references].sort();
  const rows = await stack.models.Timeline.find({ _id: { $gte: `${sorted[0]}:`, $lt: `${sorted.at(-1)};` } }, { reference: 1, type: 1 }).lean();
  const wanted = new Set(references);
  return new Set(rows.filter((r) => r.type === 'escalated' && wanted.has(r.reference)).map((r) => r.reference));
}

/** Events and bytes of the histories of up to 40 cases of each process opened here. */
async function historySizes(stack: BenchStack, opened: Opened[]) {
  const sizes: Record<string, { cases: number; eventsP50: number; eventsMax: number; kbP50: number; kbMax: number }> = {};
  for (const proc of BENCH_PROCESSES) {
    const refs = opened.filter((o) => o.process === proc.name).slice(-40);
    const events: number[] = [];
    const kb: number[] = [];
    for (const { reference } of refs) {
      const record = await stack.models.connection.collection(proc.collection).findOne({ _id: reference as never }, { projection: { workflowId: 1 } });
      if (!record?.workflowId) continue;
      const history = await stack.client.workflow.getHandle(String(record.workflowId)).fetchHistory();
      events.push(history.events?.length ?? 0);
      kb.push(temporal.api.history.v1.History.encode(history).finish().length / 1024);
    }
    events.sort((a, b) => a - b);
    kb.sort((a, b) => a - b);
    sizes[proc.name] = { cases: events.length, eventsP50: percentile(events, 50), eventsMax: events.at(-1) ?? 0, kbP50: Math.round(percentile(kb, 50)), kbMax: Math.round(kb.at(-1) ?? 0) };
  }
  return sizes;
}

/** A full pass of each process's reconciler, through the admin API, after the scheduled ones. */
async function finalPasses(stack: BenchStack) {
  const since = new Date();
  for (const proc of BENCH_PROCESSES) {
    for (let tries = 0; ; tries++) {
      const res = await send(stack, 'POST', '/api/admin/reconciliation', { process: proc.name, scope: 'full' });
      if (res.status === 202) break;
      if (tries > 60) throw new Error(`the full pass of ${proc.name} was refused: ${res.status} ${JSON.stringify(res.json)}`);
      await delay(5_000); // a scheduled run of the same reconciler still running
    }
    for (;;) {
      const done = await stack.models.Reconciliation.findOne({ startedAt: { $gte: since }, scope: 'full', _id: new RegExp(`${proc.name}`) }).lean();
      if (done) break;
      await delay(2_000);
    }
  }
}

interface Pass {
  _id: string;
  startedAt: Date;
  finishedAt: Date;
  scope?: string;
  findings: { reference: string; problem: string; repaired: boolean }[];
}

function judgePasses(passes: Pass[]) {
  const scheduled = passes.filter((p) => p.scope !== 'full');
  const finals = passes.filter((p) => p.scope === 'full');
  const seconds = scheduled.map((p) => (p.finishedAt.getTime() - p.startedAt.getTime()) / 1000).sort((a, b) => a - b);
  const findings: Record<string, number> = {};
  for (const p of scheduled) for (const f of p.findings) findings[f.problem] = (findings[f.problem] ?? 0) + 1;
  const stillFound = new Set(finals.flatMap((p) => p.findings.map((f) => `${f.reference}|${f.problem}`)));
  const contradicted = scheduled.flatMap((p) => p.findings.filter((f) => PERSISTENT.has(f.problem) && !f.repaired && !stillFound.has(`${f.reference}|${f.problem}`)));
  return {
    scheduledPasses: scheduled.length,
    passSeconds: { min: seconds[0] ?? 0, p50: percentile(seconds, 50), max: seconds.at(-1) ?? 0 },
    longerThanInterval: seconds.filter((s) => s > RECONCILE_INTERVAL_S).length,
    findings,
    finalFullPasses: finals.map((p) => ({ id: p._id, seconds: (p.finishedAt.getTime() - p.startedAt.getTime()) / 1000, findings: p.findings.length, kinds: p.findings.map((f) => `${f.problem}${f.repaired ? ' (repaired)' : ''}`) })),
    contradicted: contradicted.map((f) => `${f.reference} ${f.problem}`),
  };
}

/**
 * Each process's peak RSS per simulated day; flat if no whole day after warm-up peaks more than
 * 10 % above the first day after it, and not flat with fewer than two such days to judge (a fall is the collector at work, not a leak; the final passes after the
 * last whole day are reported but not judged).
 */
function judgeMemory(samples: { at: number; rss: Record<string, number | undefined> }[], start: number) {
  const names = new Set(samples.flatMap((s) => Object.keys(s.rss)));
  const peaks = Object.fromEntries([...names].map((name) => [name, peakOfDay(samples, start, (s) => s.rss[name])]));
  // The most any judged day rose above the first judged day; undefined with fewer than two to judge.
  const driftFrom = (days: number[], from: number) => {
    const judged = days.slice(from, Math.floor(MINUTES / DAY_MINUTES)).filter((d) => d !== undefined);
    if (judged.length < 2) return undefined;
    return Math.max(0, ...judged.map((d) => (d - judged[0]) / judged[0]));
  };
  const round = (drift: number | undefined) => (drift === undefined ? null : Math.round(drift * 100) / 100);
  return Object.fromEntries(
    Object.entries(peaks).map(([name, days]) => {
      const drift = driftFrom(days, WARMUP_DAYS);
      // The rule before the warm-up was a setting (one day), reported beside it to compare.
      const firstDay = driftFrom(days, 1);
      return [name, { peakMbPerDay: days, driftAfterWarmup: round(drift), flat: drift !== undefined && drift <= 0.1, driftAfterFirstDay: round(firstDay), flatAfterFirstDay: firstDay !== undefined && firstDay <= 0.1 }];
    }),
  );
}

/** The largest sampled value in each simulated day. */
function peakOfDay<S extends { at: number }>(samples: S[], start: number, value: (sample: S) => number | undefined): number[] {
  const days: number[] = [];
  for (const sample of samples) {
    const v = value(sample);
    const day = Math.floor((sample.at - start) / (DAY_MINUTES * 60_000));
    if (v !== undefined) days[day] = Math.max(days[day] ?? 0, v);
  }
  return days;
}

/** A sampled value at the end of each simulated day (the last sample in it that has one). */
function endOfDay<S extends { at: number }, T>(samples: S[], start: number, value: (sample: S) => T | undefined): T[] {
  const days: T[] = [];
  for (const sample of samples) {
    const v = value(sample);
    if (v !== undefined) days[Math.floor((sample.at - start) / (DAY_MINUTES * 60_000))] = v;
  }
  return days;
}

async function main(): Promise<number> {
  const cleanups = new Cleanups();
  try {
    const stack = await startBenchStack(
      loadConfig(),
      { run: `soak-${Date.now()}`, temporalStore: 'file', api: 'process', temporalDynamicConfig: TEMPORAL_CACHE ? { 'history.hostLevelCacheMaxSize': TEMPORAL_CACHE } : undefined, ferretDbCacheKiB: FERRETDB_CACHE_KIB, ferretDbGogc: FERRETDB_GOGC, mongoPoolSize: MONGO_POOL },
      cleanups,
    );
    const logDir = path.join('.data', 'bench');
    mkdirSync(logDir, { recursive: true });
    let worker = await startWorker(stack, path.join(logDir, 'soak-worker.log'));
    cleanups.add('worker', () => worker.stop());
    console.log(`soak: ${MINUTES} min, a day every ${DAY_MINUTES} min with a storm of ${STORM}, ${PER_MINUTE} requests a minute, the worker ${KILL ? 'killed' : 'restarted'} every ${RESTART_MINUTES} min${STEADY ? ', each case closed after a day' : ''}`);

    const start = Date.now();
    const end = start + MINUTES * 60_000;
    const opened: Opened[] = [];
    const counts: Record<string, Record<string, number>> = {};
    const samples: { at: number; rss: Record<string, number | undefined>; openCases: number; ferretdbConnections?: SqliteConnections; ferretdbHeap?: { inUse: number; goal: number }; temporalCache?: { held: number; bound: number } }[] = [];
    const storms: Awaited<ReturnType<typeof storm>>[] = [];
    const restarts: { at: number; secondsToRunning: number }[] = [];
    const sampler = setInterval(() => {
      const rss: Record<string, number | undefined> = { bench: Math.round(process.memoryUsage.rss() / 1048576), worker: rssMb(worker.child.pid) };
      for (const [name, pid] of Object.entries(stack.pids)) rss[name] = rssMb(pid);
      const sample: (typeof samples)[number] = { at: Date.now(), rss, openCases: opened.filter((o) => !o.closing).length };
      samples.push(sample);
      void temporalCache(stack).then((cache) => Object.assign(sample, cache && { temporalCache: cache }));
      void sqliteConnections(stack.ferretDbMetricsUrl).then((connections) => Object.assign(sample, connections && { ferretdbConnections: connections }));
      void ferretDbHeap(stack.ferretDbMetricsUrl).then((heap) => Object.assign(sample, heap && { ferretdbHeap: heap }));
    }, SAMPLE_S * 1000);

    const trickle = (async () => {
      for (let i = 0; Date.now() < end; i++) {
        const next = start + (i * 60_000) / PER_MINUTE;
        if (next > Date.now()) await delay(next - Date.now());
        await trickleStep(stack, i, opened, counts).catch((err: Error) => {
          const failed = (counts.failed ??= {});
          failed[err.name] = (failed[err.name] ?? 0) + 1;
        });
      }
    })();
    const mornings = (async () => {
      for (let day = 0; start + day * DAY_MINUTES * 60_000 < end; day++) {
        const at = start + day * DAY_MINUTES * 60_000;
        if (at > Date.now()) await delay(at - Date.now());
        storms.push(await storm(stack, day, opened));
        console.log(`soak: day ${day}: storm of ${storms.at(-1)?.opened} escalated in ${storms.at(-1)?.seconds ?? 'more than a day'} s`);
      }
    })();
    const deploys = (async () => {
      for (let n = 0; ; n++) {
        const at = start + 60_000 + (n + 1) * RESTART_MINUTES * 60_000;
        if (at >= end) return;
        await delay(at - Date.now());
        const before = Date.now();
        if (KILL) worker.child.kill('SIGKILL');
        await worker.stop();
        worker = await startWorker(stack, path.join(logDir, 'soak-worker.log'));
        restarts.push({ at: (before - start) / 1000, secondsToRunning: (Date.now() - before) / 1000 });
      }
    })();
    await Promise.all([trickle, mornings, deploys, STEADY ? closer(stack, opened, counts, end) : undefined]);
    clearInterval(sampler);

    console.log('soak: the full passes');
    await finalPasses(stack);
    const passes = await stack.models.Reconciliation.find({ startedAt: { $gte: new Date(start) } }).sort({ startedAt: 1 }).lean<Pass[]>();
    const report = {
      settings: { MINUTES, DAY_MINUTES, STORM, PER_MINUTE, RESTART_MINUTES, KILL, STEADY, TEMPORAL_CACHE, FERRETDB_CACHE_KIB, FERRETDB_GOGC, MONGO_POOL, WARMUP_DAYS },
      requests: counts,
      openCasesPerDay: endOfDay(samples, start, (s) => s.openCases),
      // The Temporal server's history cache: workflows held / its bound.
      temporalCachePerDay: endOfDay(samples, start, (s) => s.temporalCache && `${s.temporalCache.held}/${s.temporalCache.bound}`),
      // FerretDB's SQLite connections (its own metrics): the most open in each day, and how many
      // it had closed for idling by each day's end.
      ferretdbConnectionsPerDay: {
        peakOpen: peakOfDay(samples, start, (s) => s.ferretdbConnections?.open),
        idleClosed: endOfDay(samples, start, (s) => s.ferretdbConnections?.idleClosed),
      },
      ferretdbHeapMbPerDay: {
        peakInUse: peakOfDay(samples, start, (s) => s.ferretdbHeap?.inUse),
        peakGoal: peakOfDay(samples, start, (s) => s.ferretdbHeap?.goal),
      },
      storms,
      restarts,
      memory: judgeMemory(samples, start),
      histories: await historySizes(stack, opened),
      reconciler: judgePasses(passes),
    };
    const file = path.join(logDir, `soak-${new Date(start).toISOString().replace(/[:.]/g, '-')}.json`);
    writeFileSync(file, JSON.stringify({ ...report, samples }, null, 2));
    console.log(JSON.stringify(report, null, 2));
    console.log(`soak: written to ${file}`);
    const flat = Object.values(report.memory).every((m) => m.flat);
    return flat && report.reconciler.longerThanInterval === 0 && report.reconciler.contradicted.length === 0 ? 0 : 1;
  } finally {
    await cleanups.runAll();
  }
}

runBench(main);
