/**
 * `npm run bench -- reads`: lists, counts, the dashboard, a case and an event at 10,000 and
 * 100,000 complaints, through the API and through the driver doing the same queries.
 *
 * Records are seeded through the models (cast by their schemas, with their list index entries
 * and timelines as the projection writes them) in the shape a service holds after ten years:
 * received 2016–2026 across the seeded providers, most completed, the recent ones open. A few
 * cases are then opened through the API with their workflows running, for the case view and the
 * event. Each query runs BENCH_READS_REPEAT times (30); p50 and p95 are printed, and the ratio of
 * the API's p95 to the driver's.
 *
 * The API runs in the bench's process, as `npm start` runs it (beside the worker), so that what
 * is measured is its own cost and not a third process's turn on two cores; BENCH_API=process
 * runs it in a process of its own instead.
 *
 *   BENCH_READS_SIZES (10000,100000)  BENCH_READS_REPEAT (30)  BENCH_API (inline | process)  LOG_LEVEL (warn)
 */
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import { randomBytes } from 'node:crypto';
import { complaintDashboardRanges, complaintListRanges } from '../records/complaint/lists';
import { londonDate } from '../lib/calendar';
import { loadConfig } from '../lib/config';
import { KEY_END, referenceOf, type KeyRange } from '../models/case-index';
import { REFERENCE_PROVIDERS } from '../models/seed';
import { encodeCursor } from '../api/kernel/cursor';
import { timeEach } from './lib/measure';
import { seedComplaints } from './lib/seed-complaints';
import { Cleanups, startBenchStack, type BenchStack } from './lib/stack';
import { runBench } from './lib/run';

const SIZES = (process.env.BENCH_READS_SIZES ?? '10000,100000').split(',').map(Number);
const REPEAT = Number(process.env.BENCH_READS_REPEAT ?? 30);
const API = process.env.BENCH_API === 'process' ? 'process' : 'inline';
const RUN = randomBytes(3).toString('hex');
const TODAY = londonDate(Date.now());
const PROVIDERS = REFERENCE_PROVIDERS.map((p) => p._id);

/** The driver alone: a count of each range, as the service's countRange asks it. */
async function driverCount(stack: BenchStack, ranges: KeyRange[]) {
  const db = stack.models.connection.db!;
  return Promise.all(ranges.map((r) => db.command({ count: 'case_index', query: { _id: { $gte: r.from, $lt: r.to } } })));
}

/** The driver alone, doing what the service does for a page within a list's first range: counts, the keys, the records. */
async function driverPage(stack: BenchStack, ranges: KeyRange[], pageSize: number, skip = 0) {
  const db = stack.models.connection.db!;
  const counts = await driverCount(stack, ranges);
  const keys = await db.collection<{ _id: string }>('case_index').find({ _id: { $gte: ranges[0].from, $lt: ranges[0].to } }).sort({ _id: 1 }).skip(skip).limit(pageSize).toArray();
  const refs = keys.map((k) => referenceOf(k._id));
  const records = await db.collection<{ _id: string }>('complaints').find({ _id: { $in: refs } }).toArray();
  return counts.length + records.length;
}


/** An API query and the driver doing the same, timed in turns. */
async function pair(size: number, query: string, target: number, api: () => Promise<unknown>, driver: () => Promise<unknown>, ratioTarget?: number): Promise<Row> {
  const [a, d] = await timeEach(REPEAT, api, driver);
  return { size, query, api: a, driver: d, target, ratioTarget };
}

/** The bench's sign-in (its stack's token), set once the stack is up. */
let authorization = '';

async function get(url: string): Promise<unknown> {
  const res = await fetch(url, { headers: { authorization } });
  if (!res.ok) throw new Error(`GET ${url} answered ${res.status}: ${(await res.text()).slice(0, 200)}`);
  return res.json();
}

async function post(url: string, body: unknown): Promise<unknown> {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', authorization }, body: JSON.stringify(body) });
  if (!res.ok) throw new Error(`POST ${url} answered ${res.status}: ${(await res.text()).slice(0, 200)}`);
  return res.json();
}

interface Row {
  size: number;
  query: string;
  api: { p50: number; p95: number };
  driver?: { p50: number; p95: number };
  target: number;
  /** The API's p95 may be at most this many times the driver's (lists, counts, the dashboard). */
  ratioTarget?: number;
}

async function measure(stack: BenchStack, size: number, live: string[]): Promise<Row[]> {
  const api = stack.apiUrl;
  const target = size <= 10_000 ? 150 : 500;
  const open = complaintListRanges({ status: 'open', provider: 'RJ2' }, TODAY);
  const dashboard = [undefined, ...PROVIDERS].flatMap((p) => Object.values(complaintDashboardRanges(p, TODAY)).flat());
  const rows: Row[] = [
    await pair(size, 'list page: open, RJ2', target, () => get(`${api}/api/complaints?status=open&provider=RJ2`), () => driverPage(stack, open, 25), 1.5),
    await pair(
      size,
      'list page 40: completed',
      target,
      () => get(`${api}/api/complaints?status=completed&page=40`),
      () => driverPage(stack, complaintListRanges({ status: 'completed' }, TODAY), 25, 975),
      1.5,
    ),
    // What the list does for a count: the count, and a page of one.
    await pair(
      size,
      'filtered count: overdue open, RJ2',
      target,
      () => get(`${api}/api/complaints?status=open&provider=RJ2&overdue=true&pageSize=1`),
      () => driverPage(stack, complaintListRanges({ status: 'open', provider: 'RJ2', overdue: true }, TODAY), 1),
      1.5,
    ),
    await pair(size, `dashboard: ${PROVIDERS.length} providers + all`, target, () => get(`${api}/api/complaints/dashboard`), () => driverCount(stack, dashboard), 1.5),
    // The API also asks the workflow for its live state (a Temporal query), which the driver cannot.
    await pair(
      size,
      'case view (live case)',
      100,
      () => get(`${api}/api/complaints/${live[0]}`),
      async () => {
        const db = stack.models.connection.db!;
        await db.collection<{ _id: string }>('complaints').findOne({ _id: live[0] });
        await db.collection<{ _id: string }>('timeline').find({ _id: { $gte: `${live[0]}:`, $lt: `${live[0]}:${KEY_END}` } }).toArray();
      },
    ),
  ];
  let consent = false;
  const [posted] = await timeEach(REPEAT, async () => {
    consent = !consent;
    await post(`${api}/api/complaints/${live[1]}/consent`, { consentToShare: consent, recordedOn: TODAY });
  });
  rows.push({ size, query: 'event POST (consent)', api: posted, target: 100 });
  return rows;
}

const seed = (stack: BenchStack, from: number, to: number, total: number) => seedComplaints(stack, { run: RUN, from, to, total });

/** The deep page: where page DEEP_PAGE of the whole list starts, at 25 a page. */
const DEEP_PAGE = Number(process.env.BENCH_READS_DEEP_PAGE ?? 340);

/**
 * Page 1 of every complaint, against page DEEP_PAGE reached as a client following `next` reaches
 * it (its cursor: the key the page before ended at) and as `page=` reaches it (skipping), in turns.
 * Prints the p50 ratios to page 1 of the same run.
 */
async function deepPages(stack: BenchStack, size: number): Promise<Row[]> {
  const api = stack.apiUrl;
  const all = complaintListRanges({}, TODAY)[0];
  const db = stack.models.connection.db!;
  const [before] = await db.collection<{ _id: string }>('case_index').find({ _id: { $gte: all.from, $lt: all.to } }).sort({ _id: 1 }).skip((DEEP_PAGE - 1) * 25 - 1).limit(1).toArray();
  if (!before) return [];
  const cursor = encodeCursor({ after: before._id, page: DEEP_PAGE });
  const [first, byKey, bySkip] = await timeEach(
    REPEAT,
    () => get(`${api}/api/complaints`),
    () => get(`${api}/api/complaints?cursor=${cursor}`),
    () => get(`${api}/api/complaints?page=${DEEP_PAGE}`),
  );
  console.log(
    `  ${size}: page ${DEEP_PAGE} of every complaint, p50 against page 1's (${first.p50.toFixed(1)} ms): by cursor ${(byKey.p50 / first.p50).toFixed(2)}, by page= (skipping) ${(bySkip.p50 / first.p50).toFixed(2)}`,
  );
  return [
    { size, query: 'list page 1: all', api: first, target: size <= 10_000 ? 150 : 500 },
    { size, query: `list page ${DEEP_PAGE}: all, by cursor`, api: byKey, target: size <= 10_000 ? 150 : 500 },
    { size, query: `list page=${DEEP_PAGE}: all, skipping`, api: bySkip, target: size <= 10_000 ? 150 : 500 },
  ];
}

/** A case view with no worker polling: the read model answers, the Query given up within its budget. */
async function viewWithoutWorker(stack: BenchStack, size: number, live: string): Promise<Row> {
  const [view] = await timeEach(REPEAT, async () => {
    const body = (await get(`${stack.apiUrl}/api/complaints/${live}`)) as { freshness?: { live: boolean } };
    if (body.freshness?.live) throw new Error('a view with no worker answered live state');
  });
  return { size, query: 'case view, no worker', api: view, target: 300 };
}

async function main(): Promise<number> {
  const cleanups = new Cleanups();
  try {
    const env = loadConfig({ ...process.env, LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn' });
    const stack = await startBenchStack(env, { run: RUN, temporalStore: 'file', api: API }, cleanups);
    authorization = stack.authorization;
    console.log(`Oversight reads bench: run ${RUN}, ${os.cpus().length} CPUs, node ${process.version}, API ${API === 'inline' ? 'in this process, as npm start runs it' : 'in a process of its own'}`);
    console.log(`  MongoDB   ${stack.describe.mongo}\n  Temporal  ${stack.describe.temporal}\n  each query ${REPEAT} times after one warm-up; ms`);
    const rows: Row[] = [];
    let seeded = 0;
    const total = Math.max(...SIZES);
    for (const size of SIZES) {
      const t0 = performance.now();
      await seed(stack, seeded, size, total);
      seeded = size;
      console.log(`  seeded ${size} complaints (${size * 6} index entries, ~${size * 4} timeline rows) in ${((performance.now() - t0) / 1000).toFixed(0)} s`);
      // Cases with running workflows, for the case view and the event.
      const live = await stack.withWorker(async () => {
        const refs: string[] = [];
        for (let k = 0; k < 2; k++) {
          const created = (await post(`${stack.apiUrl}/api/complaints`, {
            providerCode: 'RJ2',
            receivedAt: TODAY,
            source: 'healthwatch',
            category: 'discharge',
            summary: 'A live case for the bench',
            consentToShare: false,
          })) as { reference: string };
          refs.push(created.reference);
        }
        await post(`${stack.apiUrl}/api/complaints/${refs[0]}/acknowledge`, { acknowledgedOn: TODAY });
        return refs;
      });
      rows.push(...(await stack.withWorker(() => measure(stack, size, live))));
      rows.push(await viewWithoutWorker(stack, size, live[0]), ...(await deepPages(stack, size)));
    }
    const fmt = (n: number) => n.toFixed(1).padStart(8);
    console.log(`\n${'records'.padStart(8)}  ${'query'.padEnd(34)} ${'api p50'.padStart(8)} ${'api p95'.padStart(8)} ${'drv p50'.padStart(8)} ${'drv p95'.padStart(8)} ${'p95 ratio'.padStart(9)}  target`);
    let missed = 0;
    for (const r of rows) {
      const ratio = r.driver ? r.api.p95 / r.driver.p95 : undefined;
      const met = r.api.p95 <= r.target && (ratio === undefined || r.ratioTarget === undefined || ratio <= r.ratioTarget);
      if (!met) missed += 1;
      console.log(
        `${String(r.size).padStart(8)}  ${r.query.padEnd(34)} ${fmt(r.api.p50)} ${fmt(r.api.p95)} ${r.driver ? fmt(r.driver.p50) : '       -'} ${r.driver ? fmt(r.driver.p95) : '       -'} ${ratio === undefined ? '        -' : ratio.toFixed(2).padStart(9)}  p95 ≤ ${r.target}${r.ratioTarget ? `, ≤ ${r.ratioTarget}×` : ''}${met ? '' : '  MISSED'}`,
      );
    }
    console.log(missed ? `\n${missed} target(s) missed` : '\nevery target met');
    return 0;
  } finally {
    await cleanups.runAll();
  }
}

runBench(main);
