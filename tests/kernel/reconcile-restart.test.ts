import { complaintSearchDoc } from '../../records/complaint/search';
import type { ComplaintRecord } from '../../models/complaint';
import { searchKeysOf } from '../../records/search/index';
import { addIndexKeys } from '../../models/case-index';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { ScheduleHandle } from '@temporalio/client';
import { bundleWorkflowCode } from '@temporalio/worker';
import { spawnServer, type ChildServer } from '../../dev-servers/process';
import { WORKFLOW_CONVERTERS } from '../../lib/payload-codec';
import { withDatabase } from '../../models/connection';
import type { Checkpoint } from '../../activities/kernel/reconcile';
import { changedKey } from '../../records/kernel/changes';
import { caseWorkflowId } from '../../contracts/kernel/case';
import type { ReconcileSummary } from '../../contracts/kernel/reconcile';
import { reconcilerSchedule } from '../../worker/schedules';
import { createLocalTemporal, testCodec, testCodecKeys } from '../helpers/env';
import { createHarness, eventually, type Harness } from '../helpers/harness';

/**
 * A worker killed (SIGKILL, a real child process) in the middle of a scheduled reconciler pass:
 * the server notices within the heartbeat timeout, the next attempt runs on the next worker from
 * the last checkpoint the server holds, the pass finishes within a minute of the kill, and the
 * Schedule (the production policies) misses no run. Real dev server and database.
 */
jest.setTimeout(300_000);

const CASES = 8_000;
let h: Harness;
let dir: string;
let bundlePath: string;
const workers: ChildServer[] = [];

beforeAll(async () => {
  h = await createHarness('reconcile_restart', await createLocalTemporal());
  dir = await mkdtemp(path.join(tmpdir(), 'oversight-restart-'));
  const bundle = await bundleWorkflowCode({ workflowsPath: require.resolve('../../workflows'), ...WORKFLOW_CONVERTERS, logger: { trace() {}, debug() {}, info() {}, warn() {}, error() {}, log() {} } });
  bundlePath = path.join(dir, 'workflow-bundle.js');
  await writeFile(bundlePath, bundle.code);
  await seed();
});

afterAll(async () => {
  await Promise.all(workers.map((w) => w.stop()));
  await h?.teardown();
  if (dir) await rm(dir, { recursive: true, force: true });
});

/** Finished complaints as the projection left them ten minutes ago, each with its timeline and search entries: all in the list of changes. */
async function seed() {
  const at = new Date(Date.now() - 10 * 60_000);
  for (let from = 1; from <= CASES; from += 1_000) {
    const references = Array.from({ length: Math.min(1_000, CASES - from + 1) }, (_, i) => `CMP-2025-${String(from + i).padStart(6, '0')}`);
    const keys = references.map((reference) => changedKey('complaint', reference, at));
    const records = references.map((reference, i) => ({
      // Its search entries as the projection leaves them (written below).
      searchKeys: searchKeysOf(complaintSearchDoc({ _id: reference, status: 'completed' } as ComplaintRecord)),
      _id: reference,
      status: 'completed',
      workflowId: caseWorkflowId('complaint', reference),
      projectionVersion: 1,
      projectedSeq: 1,
      changedKey: keys[i],
      indexKeys: [],
      createdAt: at,
      updatedAt: at,
    }));
    await h.models.Complaint.collection.insertMany(records as never[]);
    await addIndexKeys(h.models.SearchIndex, records.flatMap((r) => r.searchKeys));
    await h.models.CaseIndex.collection.insertMany(keys.map((_id) => ({ _id })) as never[]);
    const rows = references.map((reference) => ({ _id: `${reference}:1`, caseType: 'complaint', reference, seq: 1, type: 'received', at, data: {} }));
    await h.models.Timeline.collection.insertMany(rows as never[]);
  }
}

async function startWorker(): Promise<ChildServer> {
  const env = {
    ...process.env,
    ...testCodecKeys(),
    MONGODB_URI: withDatabase(process.env.MONGODB_URI!, h.db.name),
    TEMPORAL_ADDRESS: h.env.address,
    TEMPORAL_TASK_QUEUE: h.taskQueue,
    WORKFLOW_BUNDLE: bundlePath,
  };
  const worker = spawnServer('worker', process.execPath, ['--import', 'tsx', path.join(__dirname, 'worker-process.ts')], path.join(dir, 'worker.log'), env);
  workers.push(worker);
  await eventually(async () => {
    if (worker.exitStatus()) throw new Error(`worker exited: ${worker.exitStatus()}\n${worker.logTail()}`);
    expect(worker.logTail()).toContain('worker running');
  }, 120_000);
  return worker;
}

test('a worker killed mid-pass: the pass resumes on the next worker from its checkpoint within a minute and finishes; the Schedule misses no run', async () => {
  const first = await startWorker();
  const production = reconcilerSchedule('complaint', h.taskQueue);
  // The production Schedule's policies and action; every minute instead of ten, and checkpoints every 5 cases, so that the pass lasts long enough to be killed in.
  const schedule: ScheduleHandle = await h.env.client.schedule.create({
    ...production,
    scheduleId: `${production.scheduleId}-restart-test`,
    spec: { intervals: [{ every: '1 minute' }] },
    action: { ...production.action, args: [{ process: 'complaint', scope: 'changes', batch: 5 }] },
  });
  try {
    await schedule.trigger('BUFFER_ONE');
    const run = await eventually(async () => (await schedule.describe()).info.runningActions[0]!.workflow, 30_000);
    const handle = h.env.client.workflow.getHandle(run.workflowId, run.firstExecutionRunId);
    // Mid-pass: the server holds a checkpoint inside the changes' phase.
    const held = await eventually(async () => {
      const payloads = (await handle.describe()).raw.pendingActivities?.[0]?.heartbeatDetails?.payloads;
      expect(payloads?.length).toBe(1);
      const [decoded] = await testCodec().decode(payloads!);
      return JSON.parse(Buffer.from(decoded.data!).toString('utf8')) as Checkpoint;
    }, 60_000);
    first.child.kill('SIGKILL');
    expect(`${held.phase}:${held.cursor}`).toMatch(/^changes:CMP-2025-/);
    const killedAt = Date.now();
    await eventually(async () => expect(first.exitStatus()).toBe('killed by SIGKILL'), 30_000);

    await startWorker();
    // The server gives the pass to the next worker once its heartbeat is 30 s late.
    await eventually(async () => expect((await handle.describe()).raw.pendingActivities?.[0]?.attempt).toBe(2), 60_000);
    const resumedIn = (Date.now() - killedAt) / 1000;
    const summary = (await handle.result()) as ReconcileSummary;
    const finishedIn = (Date.now() - killedAt) / 1000;
    expect(resumedIn).toBeLessThan(60);
    expect(finishedIn).toBeLessThan(60);
    expect(summary.attempt).toBe(2);
    const report = (await h.models.Reconciliation.findById(summary.id).lean())!;
    // Resumed from a checkpoint, not from the start, and every case examined once.
    expect(report.resumedFrom).toMatch(/^changes:CMP-2025-0\d{5}$/);
    expect(report.cost).toMatchObject({ changed: CASES, examined: CASES, queried: 0 });
    expect(report.findings).toEqual([]);

    // The next run falls due on the minute, during the pass or after it: taken, never skipped.
    await eventually(async () => expect((await schedule.describe()).info.recentActions.length).toBeGreaterThanOrEqual(2), 90_000);
    const info = (await schedule.describe()).info;
    const next = info.recentActions[1].action.workflow;
    await h.env.client.workflow.getHandle(next.workflowId, next.firstExecutionRunId).result();
    expect(info.numActionsSkippedOverlap).toBe(0);
    expect(info.numActionsMissedCatchupWindow).toBe(0);
    console.log(`reconcile-restart: killed after checkpoint ${held.cursor}; resumed ${resumedIn.toFixed(1)} s and finished ${finishedIn.toFixed(1)} s after the kill, attempt ${summary.attempt}, resumed from ${report.resumedFrom}`);
  } finally {
    await schedule.delete();
  }
});
