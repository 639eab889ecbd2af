import { randomUUID } from 'node:crypto';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { bundleWorkflowCode, Worker, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { addWorkingDays, londonDate, subtractWorkingDays, workingDayOnOrAfter, workingHoursInstant } from '../../lib/calendar';
import { planRepeat } from '../../lib/deadlines';
import type { Alarm, TimelineEntry } from '../../contracts/kernel/case';
import type { CommitInput, CommitResult } from '../../contracts/kernel/commit';
import { WORKFLOW_BUNDLE_OPTIONS } from '../../worker/bundle-options';
import { createTimeSkippingTemporal, testDataConverter } from '../helpers/env';
import { addActionUpdate, completeUpdate, followUpWorkflow, snapshotQuery, stateQuery, type FollowUpState } from './fixture/workflows';
import { applied } from '../helpers/events';

/**
 * The kernel alone, driven through a small process of its own (fixture/workflows.ts) with fake
 * activities (one write per transition, which plans a repeat as the real one does); deadlines are
 * planned in the workflow on working days, at 09:00 London. What is under test is the
 * kernel's bookkeeping over time: reminders, repeats, keyed deadlines, continue-as-new.
 */
let env: TestWorkflowEnvironment;
let bundle: WorkflowBundleWithSourceMap;
const DAY = 86_400_000;

beforeAll(async () => {
  env = await createTimeSkippingTemporal();
  bundle = await bundleWorkflowCode({
    workflowsPath: require.resolve('./fixture/workflows'),
    ...WORKFLOW_BUNDLE_OPTIONS,
    logger: { trace() {}, debug() {}, info() {}, warn() {}, error() {}, log() {} },
  });
});

// A case left open has timers with no worker to take them, which stops the server skipping time.
const started: string[] = [];
afterEach(async () => {
  await Promise.all(started.splice(0).map((id) => env.client.workflow.getHandle(id).terminate('test over').catch(() => undefined)));
});

afterAll(async () => {
  await env?.teardown();
});

const actor = { id: 'officer-1', name: 'Test Officer', role: 'quality_team' };

/** Working days from a date (negative: before it), on the statutory calendar (no closure days here). */
const wd = (date: string, days: number) => (days >= 0 ? addWorkingDays(date, days).due : subtractWorkingDays(date, -days));
const at9 = (date: string) => workingHoursInstant(date);
const londonToday = async () => londonDate(await env.currentTimeMs());

/** What the fake activities were asked to do, in order. */
interface Calls {
  notified: Alarm[];
  entries: TimelineEntry[];
  commits: CommitInput<FollowUpState>[];
  /** The local closure days the closureDays activity answers, and how often it was asked. */
  closures: string[];
  closureReads: number;
}

async function withWorker<R>(fn: (calls: Calls, taskQueue: string) => Promise<R>): Promise<R> {
  const calls: Calls = { notified: [], entries: [], commits: [], closures: [], closureReads: 0 };
  const taskQueue = `kernel-${randomUUID()}`;
  const worker = await Worker.create({
    connection: env.nativeConnection,
    taskQueue,
    workflowBundle: bundle,
    dataConverter: testDataConverter(),
    activities: {
      async closureDays(): Promise<string[]> {
        calls.closureReads += 1;
        return calls.closures;
      },
      // One write per transition: its entry, its outbox rows, and a repeat planned as the real one does.
      async 'fixture.commit'(input: CommitInput<FollowUpState>): Promise<CommitResult> {
        calls.commits.push(input);
        calls.notified.push(...(input.notify ?? []));
        calls.entries.push(...input.entries);
        return input.repeats ? { repeats: input.repeats.map((r) => planRepeat(r)) } : {};
      },
    },
  });
  return worker.runUntil(fn(calls, taskQueue));
}

/** Move the server's clock to 08:00 London on the next working day (today if it is one and not yet 08:00). */
async function toWorkingMorning() {
  const today = await londonToday();
  const day = workingDayOnOrAfter(today);
  const morning = Date.parse(workingHoursInstant(day, '08:00'));
  const target = morning > (await env.currentTimeMs()) ? morning : Date.parse(workingHoursInstant(wd(day, 1), '08:00'));
  await env.sleep(target - (await env.currentTimeMs()));
}

async function start(taskQueue: string, historyLimit?: number, openedWorkingDaysAgo = 0, closures?: string[]) {
  const openedOn = wd(await londonToday(), -openedWorkingDaysAgo);
  const reference = `FUP-${randomUUID().slice(0, 8)}`;
  const handle = await env.client.workflow.start(followUpWorkflow, {
    workflowId: `fixture:${reference}`,
    taskQueue,
    args: [{ reference, openedOn, ...(historyLimit ? { historyLimit } : {}), ...(closures && { closures }) }],
  });
  started.push(handle.workflowId);
  return { handle, openedOn, dueOn: wd(openedOn, 20) };
}

/** Move the server's clock to an hour after an instant. */
async function sleepUntil(instant: string) {
  const ms = Date.parse(instant) - (await env.currentTimeMs()) + 3_600_000;
  if (ms > 0) await env.sleep(ms);
}

async function settled<T>(read: () => T, expected: T) {
  for (let i = 0; i < 100 && JSON.stringify(read()) !== JSON.stringify(expected); i++) await new Promise((r) => setTimeout(r, 50));
  expect(read()).toEqual(expected);
}

const keys = (alarms: Alarm[]) => alarms.map((a) => a.key);

test('reminders, then the escalation and its repeats every N working days, once each, until the deadline is met', async () => {
  await withWorker(async (calls, taskQueue) => {
    const { handle, dueOn } = await start(taskQueue);
    const review = (await handle.query(stateQuery)).deadlines.review!;
    // Planned in the workflow, on working days, at 09:00 London.
    expect(review.reminders).toEqual([at9(wd(dueOn, -15)), at9(wd(dueOn, -5))]);
    expect(review.escalateAt).toBe(at9(wd(dueOn, 1)));

    await sleepUntil(at9(wd(dueOn, 1 + 3 + 3)));
    const fired = [`review:${dueOn}:reminder`, `review:${dueOn}:reminder:2`, `review:${dueOn}:escalation`, `review:${dueOn}:escalation:2`, `review:${dueOn}:escalation:3`];
    await settled(() => keys(calls.notified), fired);
    expect(calls.notified.map((a) => a.at)).toEqual([at9(wd(dueOn, -15)), at9(wd(dueOn, -5)), at9(wd(dueOn, 1)), at9(wd(dueOn, 4)), at9(wd(dueOn, 7))]);
    // The next repeat is planned (by the escalation's own write), and armed, only once the last has fired.
    expect((await handle.query(stateQuery)).deadlines.review!.repeats).toEqual([at9(wd(dueOn, 4)), at9(wd(dueOn, 7)), at9(wd(dueOn, 10))]);
    // One write per transition: each alarm's entry and its outbox row in one commit.
    expect(calls.commits.map((c) => [c.entries.map((e) => e.type).join(), (c.notify ?? []).map((a) => a.key)])).toEqual([
      ['opened', []],
      ['reminded', [fired[0]]],
      ['reminded', [fired[1]]],
      ['escalated', [fired[2]]],
      ['escalated', [fired[3]]],
      ['escalated', [fired[4]]],
    ]);
    // The opening gives the whole state; every later write only what moved, from the version before.
    expect(calls.commits[0]).toMatchObject({ version: 1, state: expect.objectContaining({ reference: expect.any(String) }) });
    expect(calls.commits.slice(1).every((c, i) => c.state === undefined && c.version === i + 2 && c.base === undefined)).toBe(true);

    const today = await londonToday();
    // The Update answers with a receipt: its change is written, at this version.
    expect(await handle.executeUpdate(completeUpdate, { args: [{ actor, doneOn: today }] })).toEqual({ committed: 7 });
    const state = await handle.query(stateQuery);
    expect(state).toEqual(expect.objectContaining({ status: 'done', doneOn: today }));
    expect(state).not.toHaveProperty('fired'); // what clients see carries no bookkeeping
    await env.sleep(20 * DAY);
    expect(keys(calls.notified)).toEqual(fired);
    expect((await handle.describe()).status.name).toBe('COMPLETED');
    // Who acted is on the entry, not in its data; alarms are the system's.
    const completed = calls.entries.find((e) => e.type === 'completed')!;
    expect(completed).toMatchObject({ actor, data: { doneOn: today } });
    expect(calls.entries.filter((e) => e.type === 'escalated').every((e) => e.actor === undefined)).toBe(true);
    expect(calls.entries.map((e) => e.seq)).toEqual(calls.entries.map((_, i) => i + 1));
  });
});

test('a case opened late sends no reminder whose day is over, only what is still to come: a reminder of today, a missed date escalated', async () => {
  await withWorker(async (calls, taskQueue) => {
    await toWorkingMorning();
    const today = await londonToday();
    // Due in five working days: its first reminder (15 before) went by ten days ago, its second (5 before) is today's.
    const soon = await start(taskQueue, undefined, 15);
    await sleepUntil(at9(today));
    await settled(() => keys(calls.notified), [`review:${soon.dueOn}:reminder:2`]);
    await settled(() => calls.entries.map((e) => e.type), ['opened', 'reminded']);
    expect(calls.entries[0]).toMatchObject({ type: 'opened', data: { remindersSkipped: [`review:${soon.dueOn}:reminder`] } });
    await applied(soon.handle, completeUpdate, { actor, doneOn: today });
  });
  await withWorker(async (calls, taskQueue) => {
    // Due five working days ago: both reminders' days are over, and the missed date is escalated at once.
    const late = await start(taskQueue, undefined, 25);
    await settled(() => keys(calls.notified), [`review:${late.dueOn}:escalation`]);
    await settled(() => calls.entries.map((e) => e.type), ['opened', 'escalated']);
    // Already due as it opened: escalated in the opening's one write.
    expect(calls.commits.map((c) => c.entries.map((e) => e.type))).toEqual([['opened', 'escalated']]);
    expect(calls.entries[0].data.remindersSkipped).toEqual([`review:${late.dueOn}:reminder`, `review:${late.dueOn}:reminder:2`]);
    expect((await late.handle.query(snapshotQuery)).meta.fired).toEqual([`review:${late.dueOn}:reminder`, `review:${late.dueOn}:reminder:2`, `review:${late.dueOn}:escalation`]);
  });
});

test('deadlines are keyed by id: each action has its own reminder and escalation', async () => {
  await withWorker(async (calls, taskQueue) => {
    const { handle, openedOn } = await start(taskQueue);
    await applied(handle, addActionUpdate, { actor, id: 'a', from: openedOn });
    await applied(handle, addActionUpdate, { actor, id: 'b', from: wd(openedOn, 2) });
    await sleepUntil(at9(wd(openedOn, 2 + 5 + 1)));
    const actions = () => keys(calls.notified.filter((a) => a.deadline.startsWith('action:')));
    await settled(actions, [
      `action:a:${wd(openedOn, 5)}:reminder`,
      `action:b:${wd(openedOn, 7)}:reminder`,
      `action:a:${wd(openedOn, 5)}:escalation`,
      `action:b:${wd(openedOn, 7)}:escalation`,
    ]);
    await expect(applied(handle, addActionUpdate, { actor, id: 'a', from: openedOn })).rejects.toThrow();
  });
});

test('continue-as-new in the middle of a case keeps its state, its fired alarms and its pending timers', async () => {
  await withWorker(async (calls, taskQueue) => {
    // A history this short continues as new after the first few changes.
    const { handle, dueOn, openedOn } = await start(taskQueue, 25);
    await applied(handle, addActionUpdate, { actor, id: 'a', from: openedOn });
    await sleepUntil(at9(wd(dueOn, -5)));
    await settled(() => calls.notified.length, 4);
    const before = await handle.query(snapshotQuery);
    const firstRun = handle.firstExecutionRunId;
    const latest = env.client.workflow.getHandle(handle.workflowId);
    expect((await latest.describe()).runId).not.toBe(firstRun);
    expect((await env.client.workflow.getHandle(handle.workflowId, firstRun).describe()).status.name).toBe('CONTINUED_AS_NEW');

    // The state and the alarms already acted on came across; the next timer still fires, once.
    expect(before.meta.fired).toEqual(keys(calls.notified));
    expect(before.case.deadlines['action:a']).toBeDefined();
    await sleepUntil(at9(wd(dueOn, 1)));
    await settled(() => calls.notified.length, 5);
    expect(calls.notified[4].key).toBe(`review:${dueOn}:escalation`);
    expect(new Set(keys(calls.notified)).size).toBe(5);

    // Events still apply, numbered on from where the first run stopped.
    const today = await londonToday();
    await applied(latest, completeUpdate, { actor, doneOn: today });
    expect(calls.entries.map((e) => e.seq)).toEqual(calls.entries.map((_, i) => i + 1));
    const after = await latest.query(snapshotQuery);
    expect(after.meta.version).toBeGreaterThan(before.meta.version);
    expect(after.case.status).toBe('done');
  });
});

test('deadlines are planned in the workflow with the closure days passed in at start, and read once by an event that plans', async () => {
  await withWorker(async (calls, taskQueue) => {
    const openedOn = wd(await londonToday(), 0);
    // A closure day inside the review's 20 working days, passed in as the API does: no activity reads it.
    const closed = wd(openedOn, 4);
    const { handle } = await start(taskQueue, undefined, 0, [closed]);
    const review = (await handle.query(stateQuery)).deadlines.review!;
    expect(review.dueOn).toBe(addWorkingDays(openedOn, 20, { closures: [closed] }).due);
    expect(review.basis.skipped).toContainEqual(expect.objectContaining({ date: closed, reason: 'closure' }));
    expect(calls.closureReads).toBe(0);
    // An action added after an administrator closed another day: read once, as the action is planned.
    const later = wd(openedOn, 2);
    calls.closures = [later];
    await applied(handle, addActionUpdate, { actor, id: 'a', from: openedOn });
    expect((await handle.query(stateQuery)).deadlines['action:a']!.dueOn).toBe(addWorkingDays(openedOn, 5, { closures: [later] }).due);
    expect(calls.closureReads).toBe(1);
    // An event that plans nothing reads nothing.
    await applied(handle, completeUpdate, { actor, doneOn: await londonToday() });
    expect(calls.closureReads).toBe(1);
  });
});
