/**
 * `npm run bench -- cqrg`: the CQRG pack (api/packs) for a provider with ten years of data (5,000
 * complaints, 2,000 actions, 200 visits, 120 meetings, 40 reviews) and the chair's provider page,
 * through the API, each against the raw driver doing the same queries for the same figures, in
 * turns (the baseline, measured in the same run). Targets: the pack built in ≤ 2 s and the provider
 * page rendered in ≤ 300 ms at p95, each ≤ 1.5× the driver's p95. Records are seeded as the API and
 * the projections leave them (./lib/seed-pack.ts), with another provider's share beside them.
 *
 *   BENCH_CQRG_REPEAT (10)  BENCH_API (inline | process)  LOG_LEVEL (warn)
 */
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import { randomBytes } from 'node:crypto';
import { addCalendarDays, addCalendarMonths, londonDate } from '../lib/calendar';
import { loadConfig } from '../lib/config';
import { referenceOf, type KeyRange } from '../models/case-index';
import { actionRanges, amberUntil, dashboardRanges, doneBetween, planListRange } from '../records/action-plan/lists';
import { providerRange } from '../records/complaint/lists';
import { providerReviewsRange } from '../records/review/lists';
import { plannedRange, reportsIssuedRange } from '../records/visit/lists';
import { heldRange, meetingsRange } from '../records/cqrg-meeting/lists';
import { THEMES } from '../contracts/action-plan/definitions';
import { PACK_COMPLAINT_FIELDS } from '../api/packs/complaints';
import { SESSION_COOKIE } from '../web/session';
import { timeEach, type Timing } from './lib/measure';
import { seedPackData, type SeedAction, type SeedComplaint, type SeedMeeting, type SeedVisit } from './lib/seed-pack';
import { Cleanups, startBenchStack, type BenchStack } from './lib/stack';
import { runBench } from './lib/run';

const REPEAT = Number(process.env.BENCH_CQRG_REPEAT ?? 10);
const API = process.env.BENCH_API === 'process' ? 'process' : 'inline';
const RUN = randomBytes(3).toString('hex').toUpperCase();
const TODAY = londonDate(Date.now());
const MEETING = addCalendarDays(TODAY, 3);
const PROVIDER = 'RJ2';
const DAYS = 3650;
const SUBJECTS = ['appointments', 'communications', 'clinical_treatment', 'values_and_behaviours', 'waiting_times'];
const OUTCOMES = ['upheld', 'partly_upheld', 'not_upheld'];
const seq = <T>(n: number, f: (i: number, all: { length: number }) => T): T[] => Array.from({ length: n }, (_, i) => f(i, { length: n }));

/** Ten years of one provider: spread evenly back from today, the last few weeks' still open. */
function tenYears(code: string, scale: number) {
  const ago = (i: number, n: number) => addCalendarDays(TODAY, -Math.floor(((n - i) / n) * DAYS));
  const complaints: SeedComplaint[] = seq(5000 * scale, (i, a) => {
    const receivedOn = ago(i, a.length);
    const open = receivedOn > addCalendarDays(TODAY, -40);
    return {
      ref: `CMP-${RUN}${code}-${String(i).padStart(6, '0')}`, receivedOn, acknowledgeBy: addCalendarDays(receivedOn, 5), acknowledgedOn: addCalendarDays(receivedOn, i % 9 === 0 ? 7 : 2),
      responseDueOn: addCalendarDays(receivedOn, 40), ...(open ? { status: 'acknowledged', nextDueOn: addCalendarDays(receivedOn, 40) } : { status: 'completed', respondedOn: addCalendarDays(receivedOn, i % 5 === 0 ? 45 : 35), closedOn: addCalendarDays(receivedOn, 50), outcome: OUTCOMES[i % 3] }),
      subjects: [SUBJECTS[i % SUBJECTS.length], ...(i % 4 === 0 ? [SUBJECTS[(i + 1) % SUBJECTS.length]] : [])],
    };
  });
  const actions: SeedAction[] = seq(2000 * scale, (i, a) => {
    const dueOn = addCalendarDays(ago(i, a.length), 60);
    const done = dueOn < TODAY && i % 8 !== 0;
    return { id: `CAP-${RUN}${code}-${String(Math.floor(i / 10)).padStart(6, '0')}:${(i % 10) + 1}`, theme: THEMES[i % THEMES.length], dueOn, ...(done && { completedOn: addCalendarDays(dueOn, -1) }) };
  });
  const visits: SeedVisit[] = seq(200 * scale, (i, a) => {
    const visitDate = addCalendarDays(ago(i, a.length), 20);
    const held = visitDate < addCalendarDays(TODAY, -40);
    return { ref: `VIS-${RUN}${code}-${String(i).padStart(6, '0')}`, visitDate, status: held ? 'completed' : 'planned', ...(held && { finalReportOn: addCalendarDays(visitDate, 35), link: { status: i % 6 === 0 ? ('awaiting_plan' as const) : ('planned' as const), recommendations: 1 + (i % 4) } }) };
  });
  const reviews = seq(40 * scale, (i, a) => ({ ref: `PIR-${RUN}${code}-${String(i).padStart(6, '0')}`, serviceName: `Service ${i}`, dueOn: addCalendarDays(ago(i, a.length), 180), status: i % 10 === 0 ? 'overdue' : 'completed' }));
  const packs = Array.from({ length: 120 * scale }, (_, i) => ({ meetingOn: addCalendarMonths(TODAY, -(i + 1)), red: i % 7, amber: i % 5, green: 10 + (i % 3) }));
  // A meeting a month, its FFT report in with its figures and three decisions applied; the next one to come.
  const meetings: SeedMeeting[] = [
    { ref: `CQM-${RUN}${code}-NEXT`, meetingOn: MEETING, held: false, fft: { dueOn: addCalendarDays(MEETING, -14), percent: 0, responses: 0 } },
    ...packs.map((p, i) => ({ ref: `CQM-${RUN}${code}-${String(i).padStart(6, '0')}`, meetingOn: p.meetingOn, held: true, fft: { dueOn: addCalendarDays(p.meetingOn, -14), receivedOn: addCalendarDays(p.meetingOn, -15), percent: 85 + (i % 10), responses: 1000 + i }, decisions: 3 })),
  ];
  return { complaints, actions, visits, reviews, packs, meetings };
}

/** The raw driver asking what the pack asks: every range counted or read, the records by `_id`. */
async function driverPack(stack: BenchStack) {
  const db = stack.models.connection.db!;
  const index = db.collection<{ _id: string }>('case_index');
  const amber = amberUntil(TODAY, []);
  const yearFrom = addCalendarDays(addCalendarMonths(MEETING, -12), 1);
  const end = addCalendarDays(MEETING, 1);
  const count = (r: KeyRange) => db.command({ count: 'case_index', query: { _id: { $gte: r.from, $lt: r.to } } });
  const keys = async (r: KeyRange) => (await index.find({ _id: { $gte: r.from, $lt: r.to } }, { projection: { _id: 1 } }).sort({ _id: 1 }).toArray()).map((k) => referenceOf(k._id));
  const byId = (collection: string, ids: string[], projection: Record<string, 1>) => db.collection<{ _id: string }>(collection).find({ _id: { $in: ids } }, { projection }).toArray();
  // The last meeting held before this one (the meeting record's `held` range), then its record.
  const held = heldRange(PROVIDER, MEETING);
  const [lastKey] = await index.find({ _id: { $gte: held.from, $lt: held.to } }, { projection: { _id: 1 } }).sort({ _id: -1 }).limit(1).toArray();
  const [last] = lastKey ? await byId('cqrg_meetings', [referenceOf(lastKey._id)], {}) : [];
  const lastOn = (last as { meetingOn?: string } | undefined)?.meetingOn;
  const since = lastOn ? addCalendarDays(lastOn, 1) : yearFrom;
  const meetingsBetween = async (from: string, to: string) => byId('cqrg_meetings', await keys(meetingsRange(PROVIDER, from, addCalendarDays(to, 1))), {});
  await Promise.all([
    (async () => {
      const [r, c] = await Promise.all([keys(providerRange('received', PROVIDER, yearFrom, end)), keys(providerRange('closed', PROVIDER, yearFrom, end))]);
      const ids = [...new Set([...r, ...c])];
      await Promise.all(Array.from({ length: Math.ceil(ids.length / 500) }, (_, i) => byId('complaints', ids.slice(i * 500, i * 500 + 500), PACK_COMPLAINT_FIELDS)));
    })(),
    Promise.all(dashboardRanges(PROVIDER, TODAY, amber).filter((c) => c.rag !== 'blue').map((c) => count(c.range))),
    Promise.all(THEMES.flatMap((t) => [count(doneBetween(PROVIDER, t, since, end)), count(doneBetween(PROVIDER, t, yearFrom, end))])),
    keys(actionRanges({ provider: PROVIDER, outstanding: true }, TODAY, amber)[0]).then((ids) => byId('actions', ids.slice(0, 500), {})),
    count(plannedRange(PROVIDER)),
    count(reportsIssuedRange(PROVIDER, since, end)),
    count(reportsIssuedRange(PROVIDER, yearFrom, end)),
    keys(reportsIssuedRange(PROVIDER)).then((ids) => byId('action_plan_links', ids.map((r) => `visit:${r}`), { status: 1, recommendations: 1 })),
    keys(providerReviewsRange(PROVIDER)).then((ids) => byId('reviews', ids, { serviceName: 1, status: 1, dueOn: 1 })),
    db.collection<{ _id: string; meetingOn: string }>('cqrg_packs').find({ _id: { $gte: `${PROVIDER}:${yearFrom}`, $lte: `${PROVIDER}:${MEETING}` } }, { projection: { meetingOn: 1, counts: 1 } }).sort({ _id: 1 }).toArray(),
    // The meeting record: this meeting's reports due, the last one's decisions, a year of FFT.
    meetingsBetween(MEETING, MEETING),
    lastOn ? meetingsBetween(lastOn, lastOn) : Promise.resolve([]),
    meetingsBetween(yearFrom, MEETING),
  ]);
}

/** The raw driver asking what the chair's provider page asks: the dashboard, a page of outstanding actions, the last six packs, the open plans, the meeting cycle. */
async function driverProviderPage(stack: BenchStack) {
  const db = stack.models.connection.db!;
  const amber = amberUntil(TODAY, []);
  const count = (r: KeyRange) => db.command({ count: 'case_index', query: { _id: { $gte: r.from, $lt: r.to } } });
  const page = async (r: KeyRange, collection: string) => {
    await count(r);
    const keys = await db.collection<{ _id: string }>('case_index').find({ _id: { $gte: r.from, $lt: r.to } }).sort({ _id: 1 }).limit(101).toArray();
    return db.collection<{ _id: string }>(collection).find({ _id: { $in: keys.slice(0, 100).map((k) => referenceOf(k._id)) } }).toArray();
  };
  await Promise.all([
    Promise.all(dashboardRanges(PROVIDER, TODAY, amber).map((c) => count(c.range))),
    page(actionRanges({ provider: PROVIDER, outstanding: true }, TODAY, amber)[0], 'actions'),
    // The last six packs' meetings and counts (the chart and the latest pack).
    db.collection<{ _id: string }>('cqrg_packs').find({ _id: { $gte: `${PROVIDER}:`, $lt: `${PROVIDER}:~` } }, { projection: { _id: 0, meetingOn: 1, producedOn: 1, counts: 1 } }).sort({ _id: -1 }).limit(6).toArray(),
    page(planListRange({ provider: PROVIDER, status: 'open' }), 'action_plans'),
    // The meeting cycle: the last meeting held and its record, the next few and theirs, the reporting plan.
    (async () => {
      const held = heldRange(PROVIDER);
      const [last] = await db.collection<{ _id: string }>('case_index').find({ _id: { $gte: held.from, $lt: held.to } }).sort({ _id: -1 }).limit(1).toArray();
      if (last) await db.collection<{ _id: string }>('cqrg_meetings').findOne({ _id: referenceOf(last._id) });
    })(),
    (async () => {
      const next = meetingsRange(PROVIDER, TODAY);
      const keys = await db.collection<{ _id: string }>('case_index').find({ _id: { $gte: next.from, $lt: meetingsRange(PROVIDER).to } }).sort({ _id: 1 }).limit(5).toArray();
      await db.collection<{ _id: string }>('cqrg_meetings').find({ _id: { $in: keys.map((k) => referenceOf(k._id)) } }).toArray();
    })(),
    db.collection<{ _id: string }>('reporting_plans').findOne({ _id: PROVIDER }),
  ]);
}

async function main(): Promise<number> {
  const cleanups = new Cleanups();
  try {
    const env = loadConfig({ ...process.env, LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn' });
    const stack = await startBenchStack(env, { run: RUN, temporalStore: 'file', api: API }, cleanups);
    console.log(`Oversight CQRG bench: run ${RUN}, ${os.cpus().length} CPUs, node ${process.version}; meeting ${MEETING}; each query ${REPEAT} times after one warm-up; ms`);
    const t0 = performance.now();
    await seedPackData(stack.models, PROVIDER, tenYears(PROVIDER, 1));
    await seedPackData(stack.models, 'RYJ', tenYears('RYJ', 1));
    console.log(`  seeded ten years of ${PROVIDER} and of RYJ (each 5,000 complaints, 2,000 actions, 200 visits, 120 meetings with their packs and records, 40 reviews) in ${((performance.now() - t0) / 1000).toFixed(0)} s`);
    const token = stack.authorization.replace(/^Bearer /, '');
    const fetchOk = async (url: string, headers: Record<string, string>) => {
      const res = await fetch(url, { headers });
      if (!res.ok) throw new Error(`GET ${url} answered ${res.status}: ${(await res.text()).slice(0, 200)}`);
      return res.arrayBuffer();
    };
    const api = stack.apiUrl;
    const pack = JSON.parse(Buffer.from(await fetchOk(`${api}/api/providers/${PROVIDER}/pack?meeting=${MEETING}`, { authorization: stack.authorization })).toString()) as { complaints: { last12Months: { received: number } }; actions: { total: object }; reportsDue: unknown[]; decisions: unknown[]; charts: { fft: unknown[] } };
    console.log(`  the pack: ${pack.complaints.last12Months.received} complaints in 12 months; actions ${JSON.stringify(pack.actions.total)}; ${pack.reportsDue.length} report(s) due, ${pack.decisions.length} decisions of the last meeting, ${pack.charts.fft.length} months of FFT`);
    // The PDF's ratio is shown, not held to 1.5×: laying out a PDF is work the driver's queries do not do.
    const rows: { query: string; api: Timing; driver: Timing; target: number; ratioHeld: boolean }[] = [];
    const pair = async (query: string, target: number, viaApi: () => Promise<unknown>, viaDriver: () => Promise<unknown>, ratioHeld = true) => {
      const [a, d] = await timeEach(REPEAT, viaApi, viaDriver);
      rows.push({ query, api: a, driver: d, target, ratioHeld });
    };
    await pair('the pack (JSON)', 2000, () => fetchOk(`${api}/api/providers/${PROVIDER}/pack?meeting=${MEETING}`, { authorization: stack.authorization }), () => driverPack(stack));
    await pair('the pack page (HTML)', 2000, () => fetchOk(`${api}/providers/${PROVIDER}/pack?meeting=${MEETING}`, { cookie: `${SESSION_COOKIE}=${token}` }), () => driverPack(stack));
    await pair('the pack (PDF)', 2000, () => fetchOk(`${api}/api/providers/${PROVIDER}/pack?meeting=${MEETING}`, { authorization: stack.authorization, accept: 'application/pdf' }), () => driverPack(stack), false);
    await pair("the chair's provider page", 300, () => fetchOk(`${api}/providers/${PROVIDER}`, { cookie: `${SESSION_COOKIE}=${token}` }), () => driverProviderPage(stack));

    const fmt = (n: number) => n.toFixed(1).padStart(8);
    console.log(`\n${'query'.padEnd(28)} ${'api p50'.padStart(8)} ${'api p95'.padStart(8)} ${'drv p50'.padStart(8)} ${'drv p95'.padStart(8)} ${'p95 ratio'.padStart(9)}  targets`);
    let missed = 0;
    for (const r of rows) {
      const ratio = r.api.p95 / r.driver.p95;
      const miss = r.api.p95 > r.target || (r.ratioHeld && ratio > 1.5);
      if (miss) missed += 1;
      console.log(`${r.query.padEnd(28)} ${fmt(r.api.p50)} ${fmt(r.api.p95)} ${fmt(r.driver.p50)} ${fmt(r.driver.p95)} ${ratio.toFixed(2).padStart(9)}  p95 ≤ ${r.target} ms${r.ratioHeld ? ', ≤ 1.5×' : ''}${miss ? '  MISSED' : ''}`);
    }
    console.log(missed ? `\n${missed} target(s) missed` : '\nevery target met');
    return 0;
  } finally {
    await cleanups.runAll();
  }
}

runBench(main);
