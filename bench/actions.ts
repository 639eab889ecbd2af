/**
 * `npm run bench -- actions`: the CQRG chair's reads with 100,000 actions of one provider in the
 * database, through the API and through the driver doing the same queries, in turns.
 *
 * Plans and actions are seeded through the real shapes: each plan's workflow state is built as the
 * workflow holds it, then its record (`projection`), its actions' records (as the projection
 * writes them) and its list entries (`actionPlanIndexKeys`) come from the process's own
 * functions. Five years of plans of 100 actions each: most of the past ones complete, some
 * overdue, the rest due in the coming months. The other providers get a few plans too.
 *
 * Timed, each BENCH_ACTIONS_REPEAT times (30) after a warm-up, API and driver taking turns:
 * - the dashboard of one provider (counts by RAG and theme: 32 counts of ranges of the case index);
 * - the chair's list, first page of the provider's outstanding actions;
 * - the dashboard of every provider.
 * The ratio of the API's p95 to the driver's is printed for each; the target is ≤ 1.5.
 *
 *   BENCH_ACTIONS (100000)  BENCH_ACTIONS_OTHERS (20000)  BENCH_ACTIONS_REPEAT (30)  BENCH_API (inline | process)
 */
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import { randomBytes } from 'node:crypto';
import { projection } from '../activities/action-plan/activities';
import { actionPlanIndexKeys, actionRanges, amberUntil, dashboardRanges } from '../records/action-plan/lists';
import { addCalendarDays, londonDate } from '../lib/calendar';
import { loadConfig } from '../lib/config';
import { planDeadline } from '../lib/deadlines';
import { addIndexKeys, referenceOf, type KeyRange } from '../models/case-index';
import { REFERENCE_PROVIDERS } from '../models/seed';
import { actionId, type ActionPlanState, type ActionState, DEFAULTS, THEMES } from '../contracts/action-plan/definitions';
import type { Deadline } from '../contracts/kernel/case';
import { caseWorkflowId } from '../contracts/kernel/case';
import { timeEach, type Timing } from './lib/measure';
import { Cleanups, startBenchStack, type BenchStack } from './lib/stack';
import { runBench } from './lib/run';

const ACTIONS = Number(process.env.BENCH_ACTIONS ?? 100_000);
const OTHERS = Number(process.env.BENCH_ACTIONS_OTHERS ?? 20_000);
const REPEAT = Number(process.env.BENCH_ACTIONS_REPEAT ?? 30);
const API = process.env.BENCH_API === 'process' ? 'process' : 'inline';
const RUN = randomBytes(3).toString('hex');
const TODAY = londonDate(Date.now());
const PER_PLAN = 100;
const PROVIDER = 'RJ2';

const deadlines = new Map<string, Deadline>();
const deadlineOf = (dueOn: string) => {
  if (!deadlines.has(dueOn)) deadlines.set(dueOn, planDeadline({ id: 'action', from: addCalendarDays(dueOn, -60), dueOn, agreedWith: 'action owner', remindWorkingDaysBefore: [...DEFAULTS.remindWorkingDaysBefore], repeatEveryWorkingDays: 5 }));
  return deadlines.get(dueOn)!;
};

/** Plan p of a provider's five years: opened `age` days ago, its actions due over the year after. */
function seedPlan(p: number, plans: number, providerCode: string) {
  const reference = `CAP-${RUN}${providerCode}-${String(p).padStart(6, '0')}`;
  const age = Math.floor(((plans - p) / plans) * 1825);
  const openedOn = addCalendarDays(TODAY, -age);
  const theme = THEMES[p % THEMES.length];
  const actions: ActionState[] = [];
  const planDeadlines: Record<string, Deadline> = {};
  for (let i = 0; i < PER_PLAN; i++) {
    const n = i + 1;
    const dueOn = addCalendarDays(openedOn, 14 + ((i * 37 + p * 11) % 365));
    // Past due: complete but for one in seven, still open (red). Ahead: one in ten done early.
    const complete = dueOn < TODAY ? (i + p) % 7 !== 0 : (i + p) % 10 === 0;
    const completedOn = complete ? (dueOn < TODAY ? addCalendarDays(dueOn, -2) : TODAY) : undefined;
    actions.push({
      n,
      ownerId: `owner-${(p + i) % 40}`,
      dueOn,
      addedOn: openedOn,
      note: `note:${reference.replace(/-/g, '')}${n}`,
      status: complete ? 'complete' : 'open',
      rag: complete ? 'blue' : dueOn < TODAY ? 'red' : 'green',
      updates: i % 4,
      redated: i % 9 === 0 ? 1 : 0,
      ...(completedOn && { completedOn, evidence: [`note:${reference.replace(/-/g, '')}e${n}`] }),
    });
    if (!complete) planDeadlines[`action:${n}`] = { ...deadlineOf(dueOn), id: `action:${n}` };
  }
  const state: ActionPlanState = {
    reference,
    providerCode,
    theme,
    source: { kind: 'cqrg_meeting', meetingOn: openedOn },
    chairId: 'chair-1',
    openedOn,
    status: actions.every((a) => a.status === 'complete') ? 'closed' : 'in_progress',
    escalateEveryWorkingDays: 5,
    actions,
    deadlines: planDeadlines,
  };
  const record = {
    _id: reference,
    providerCode,
    theme,
    title: `Plan ${p}: ${theme.replace(/_/g, ' ')}`,
    source: state.source,
    chair: { id: 'chair-1', name: 'Chris Chair' },
    openedOn,
    workflowId: caseWorkflowId('action-plan', reference),
    workflowInput: { reference, providerCode },
    projectionVersion: 1 + actions.length,
    ...projection(state),
    indexKeys: actionPlanIndexKeys(state),
  };
  const actionRecords = actions.map((a) => ({
    _id: actionId(reference, a.n),
    reference,
    n: a.n,
    providerCode,
    theme,
    description: `Action ${a.n} of plan ${p}: audit the flagging of communication needs on the PAS and report at CQRG.`,
    owner: { id: a.ownerId, name: `Owner ${a.ownerId}` },
    addedOn: a.addedOn,
    dueOn: a.dueOn,
    status: a.status,
    updates: a.updates,
    redated: a.redated,
    ...(a.updates ? { lastUpdate: { on: a.addedOn, text: 'Audit under way; results to the next CQRG.' } } : {}),
    completedOn: a.completedOn ?? null,
    evidence: a.completedOn ? [{ description: 'Audit report tabled at CQRG', link: 'https://docs.example/audit' }] : [],
    projectionVersion: 1 + actions.length,
  }));
  return { record, actions: actionRecords };
}

async function seed(stack: BenchStack, providerCode: string, actions: number): Promise<void> {
  const { ActionPlan, Action, CaseIndex } = stack.models;
  const plans = Math.ceil(actions / PER_PLAN);
  for (let start = 0; start < plans; start += 10) {
    const batch = Array.from({ length: Math.min(10, plans - start) }, (_, k) => seedPlan(start + k, plans, providerCode));
    await ActionPlan.insertMany(batch.map((b) => ActionPlan.applyDefaults(ActionPlan.castObject(b.record))), { lean: true });
    await Action.insertMany(batch.flatMap((b) => b.actions.map((a) => Action.castObject(a))), { lean: true });
    await addIndexKeys(CaseIndex, batch.flatMap((b) => b.record.indexKeys));
  }
}

/** The driver alone: a count of each range, as countRange asks it, all at once as the service does. */
async function driverCounts(stack: BenchStack, ranges: KeyRange[]) {
  const db = stack.models.connection.db!;
  return Promise.all(ranges.map((r) => db.command({ count: 'case_index', query: { _id: { $gte: r.from, $lt: r.to } } })));
}

/** The driver alone, doing what the chair's list does for its first page: the count, the keys, the records. */
async function driverPage(stack: BenchStack, range: KeyRange, pageSize: number) {
  const db = stack.models.connection.db!;
  await driverCounts(stack, [range]);
  const keys = await db.collection<{ _id: string }>('case_index').find({ _id: { $gte: range.from, $lt: range.to } }).sort({ _id: 1 }).limit(pageSize).toArray();
  return db.collection<{ _id: string }>('actions').find({ _id: { $in: keys.map((k) => referenceOf(k._id)) } }).toArray();
}


/** The bench's sign-in (its stack's token), set once the stack is up. */
let authorization = '';

async function get(url: string): Promise<unknown> {
  const res = await fetch(url, { headers: { authorization } });
  if (!res.ok) throw new Error(`GET ${url} answered ${res.status}: ${(await res.text()).slice(0, 200)}`);
  return res.json();
}

async function main(): Promise<number> {
  const cleanups = new Cleanups();
  try {
    const env = loadConfig({ ...process.env, LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn' });
    const stack = await startBenchStack(env, { run: RUN, temporalStore: 'file', api: API }, cleanups);
    authorization = stack.authorization;
    console.log(`Oversight action-plan bench: run ${RUN}, ${os.cpus().length} CPUs, node ${process.version}, API ${API === 'inline' ? 'in this process, as npm start runs it' : 'in a process of its own'}`);
    console.log(`  MongoDB   ${stack.describe.mongo}\n  Temporal  ${stack.describe.temporal}\n  each query ${REPEAT} times after one warm-up; ms`);
    const t0 = performance.now();
    await seed(stack, PROVIDER, ACTIONS);
    const others = REFERENCE_PROVIDERS.map((p) => p._id).filter((p) => p !== PROVIDER);
    for (const code of others) await seed(stack, code, Math.floor(OTHERS / others.length));
    console.log(`  seeded ${ACTIONS} actions of ${PROVIDER} and ${OTHERS} of ${others.join(', ')} (${(ACTIONS + OTHERS) / PER_PLAN} plans, ${2 * (ACTIONS + OTHERS)} action index entries) in ${((performance.now() - t0) / 1000).toFixed(0)} s`);

    const amber = amberUntil(TODAY, []);
    const api = stack.apiUrl;
    const one = (await get(`${api}/api/providers/${PROVIDER}/actions/dashboard`)) as { total: Record<string, number> };
    console.log(`  ${PROVIDER} today: ${JSON.stringify(one.total)}`);
    const cells = (code: string) => dashboardRanges(code, TODAY, amber).map((c) => c.range);
    const [outstanding] = actionRanges({ provider: PROVIDER, outstanding: true }, TODAY, amber);
    const rows: { query: string; api: Timing; driver: Timing }[] = [];
    const pair = async (query: string, viaApi: () => Promise<unknown>, viaDriver: () => Promise<unknown>) => {
      const [a, d] = await timeEach(REPEAT, viaApi, viaDriver);
      rows.push({ query, api: a, driver: d });
    };
    await pair(`dashboard: ${PROVIDER} (8 themes x 4 RAG)`, () => get(`${api}/api/providers/${PROVIDER}/actions/dashboard`), () => driverCounts(stack, cells(PROVIDER)));
    await pair(`chair's list: ${PROVIDER} outstanding, page 1`, () => get(`${api}/api/providers/${PROVIDER}/actions?outstanding=true`), () => driverPage(stack, outstanding, 25));
    await pair(`dashboard: all ${REFERENCE_PROVIDERS.length} providers`, () => get(`${api}/api/action-plans/dashboard`), () => Promise.all(REFERENCE_PROVIDERS.map((p) => driverCounts(stack, cells(p._id)))));

    const fmt = (n: number) => n.toFixed(1).padStart(8);
    console.log(`\n${'query'.padEnd(40)} ${'api p50'.padStart(8)} ${'api p95'.padStart(8)} ${'drv p50'.padStart(8)} ${'drv p95'.padStart(8)} ${'p95 ratio'.padStart(9)}  target`);
    let missed = 0;
    for (const r of rows) {
      const ratio = r.api.p95 / r.driver.p95;
      if (ratio > 1.5) missed += 1;
      console.log(`${r.query.padEnd(40)} ${fmt(r.api.p50)} ${fmt(r.api.p95)} ${fmt(r.driver.p50)} ${fmt(r.driver.p95)} ${ratio.toFixed(2).padStart(9)}  ≤ 1.5×${ratio > 1.5 ? '  MISSED' : ''}`);
    }
    console.log(missed ? `\n${missed} target(s) missed` : '\nevery target met');
    return 0;
  } finally {
    await cleanups.runAll();
  }
}

runBench(main);
