import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { asCaller } from '../helpers/auth';
import { createApiHarness, type ApiHarness } from '../helpers/api-harness';
import { eventually } from '../helpers/harness';
import { replayHistoryBytes } from '../helpers/history';
import { londonDate } from '../../lib/calendar';
import { caseWorkflowId } from '../../contracts/kernel/case';
import { RECONCILE_WORKFLOW_TYPE, type ReconcileInput, type ReconcileSummary } from '../../contracts/kernel/reconcile';
import { ensureSchedules, reconcilerSchedule } from '../../worker/schedules';

/**
 * The kernel's reconciler pass (activities/kernel/reconcile.ts) through its workflow, on the dev
 * server with the file's worker: one case whose query cannot be answered is that case's finding
 * and the pass goes on; what is younger than the grace period is not a finding; a scheduled run
 * examines what changed since the last, not every case; the Schedules' timing and policies.
 * A worker killed mid-pass: tests/kernel/reconcile-restart.test.ts.
 */
let h: ApiHarness;
const request = asCaller({ id: 'qt-1', name: 'Quinn Officer', roles: ['quality_team', 'administrator'] });
const today = () => londonDate(Date.now());
const complaintWorkflowId = (reference: string) => caseWorkflowId('complaint', reference);
/** Each run's workflow, saved for tests/replay under `npm run replay:record`. */
const runs: { name: string; workflowId: string; runId: string }[] = [];

beforeAll(async () => {
  h = await createApiHarness('reconcile_pass');
});

afterAll(async () => {
  if (process.env.RECORD_REPLAY_HISTORIES) {
    for (const run of runs) {
      const file = path.join(__dirname, '../replay/histories', `reconcile-cases-${run.name}.binpb`);
      await writeFile(file, await replayHistoryBytes(h.env.client.workflow.getHandle(run.workflowId, run.runId)));
    }
  }
  await h?.teardown();
});

async function open(): Promise<string> {
  const res = await request(h.app)
    .post('/api/complaints')
    .send({ providerCode: 'RJ2', receivedAt: today(), source: 'complainant', category: 'communication', summary: 'Letters never arrived', consentToShare: true });
  expect(res.status).toBe(201);
  await eventually(async () => expect((await h.models.Complaint.findById(res.body.reference).lean())?.projectionVersion).toBe(1));
  return res.body.reference;
}

/** One run of the reconciler workflow, as its Schedule or the admin API starts it; its report from MongoDB. */
async function reconcile(input: Omit<ReconcileInput, 'process'> & { process?: string }, name?: string) {
  const workflowId = `reconcile-test-${Date.now()}-${Math.random().toString(36).slice(2, 6)}`;
  const handle = await h.env.client.workflow.start(RECONCILE_WORKFLOW_TYPE, { workflowId, taskQueue: h.taskQueue, args: [{ process: 'complaint', ...input }] });
  const summary = (await handle.result()) as ReconcileSummary;
  if (name) runs.push({ name, workflowId, runId: handle.firstExecutionRunId });
  const report = (await h.models.Reconciliation.findById(summary.id).lean())!;
  const found = (problem: string) => (report.findings as { reference: string; problem: string }[]).filter((f) => f.problem === problem).map((f) => f.reference);
  return { summary, report, found };
}

test("one case whose workflow cannot answer (its worker away) is that case's finding; the pass finishes, repairs the others and doubts it again next run", async () => {
  const behind = await open();
  const away = await open();
  // The away case's workflow runs on a task queue no worker polls, as a case whose worker is gone.
  const record = (await h.models.Complaint.findById(away).lean())!;
  await h.env.client.workflow.getHandle(complaintWorkflowId(away)).terminate('moved to a queue no worker polls');
  await h.env.client.workflow.start('complaintWorkflow', {
    workflowId: complaintWorkflowId(away),
    taskQueue: `${h.taskQueue}-away`,
    workflowIdReusePolicy: 'ALLOW_DUPLICATE',
    args: [record.workflowInput],
  });
  // Both records never projected, as far as they say: both doubted, both queried.
  for (const reference of [behind, away]) {
    await h.models.Complaint.updateOne({ _id: reference }, { $set: { projectionVersion: 0, status: 'nonsense' } }, { timestamps: false });
  }

  const { summary, report, found } = await reconcile({ scope: 'changes', graceSeconds: 0 });
  expect(found('case_unchecked')).toEqual([away]);
  expect(report.findings.find((f: { reference: string }) => f.reference === away)).toMatchObject({ repaired: false, detail: expect.stringMatching(/query failed/) });
  expect(found('projection_behind')).toEqual([behind]);
  expect((await h.models.Complaint.findById(behind).lean())?.status).toBe('received');
  expect(report.explained.case_unchecked).toMatch(/looked at again at the next run/);
  expect(summary.cost).toMatchObject({ queried: 2 });
  expect(report.scope).toBe('changes');
  const state = await h.models.ReconcilerState.findById('complaint').lean();
  expect(state?.doubts.map((d: { reference: string }) => d.reference)).toEqual([away]);

  // Back on a queue a worker polls: the next run looks at it again, though nothing changed, and finds it answers.
  await h.env.client.workflow.getHandle(complaintWorkflowId(away)).terminate('back to its own queue');
  await h.env.client.workflow.start('complaintWorkflow', { workflowId: complaintWorkflowId(away), taskQueue: h.taskQueue, workflowIdReusePolicy: 'ALLOW_DUPLICATE', args: [record.workflowInput] });
  await eventually(async () => expect((await h.models.Complaint.findById(away).lean())?.projectionVersion).toBe(1));
  const again = await reconcile({ scope: 'changes', graceSeconds: 0 });
  expect(again.found('case_unchecked')).toEqual([]);
  expect((await h.models.ReconcilerState.findById('complaint').lean())?.doubts).toEqual([]);
});

test('a missing timeline entry younger than the grace period is not a finding; the same gap, older, is', async () => {
  const reference = await open();
  expect((await request(h.app).post(`/api/complaints/${reference}/acknowledge`).send({ acknowledgedOn: today() })).status).toBe(200);
  expect((await request(h.app).post(`/api/complaints/${reference}/consent`).send({ consentToShare: false, recordedOn: today() })).status).toBe(200);
  await eventually(async () => expect((await h.models.Complaint.findById(reference).lean())?.projectedSeq).toBe(3));
  await h.models.Timeline.deleteOne({ _id: `${reference}:2` });

  const fresh = await reconcile({ scope: 'full', graceSeconds: 60 });
  expect(fresh.found('timeline_gap')).toEqual([]);
  expect(fresh.report.deferred).toBeGreaterThanOrEqual(1);

  await new Promise((r) => setTimeout(r, 1_100));
  const old = await reconcile({ scope: 'full', graceSeconds: 1 });
  expect(old.found('timeline_gap')).toEqual([reference]);
  expect(old.report.findings.find((f: { problem: string }) => f.problem === 'timeline_gap')).toMatchObject({ repaired: false, detail: 'missing entries 2 of 3' });
  expect(old.report.explained.timeline_gap).toMatch(/only in the workflow's history/);
  // Read from the record and its timeline: no query was needed to see it.
  expect(old.summary.cost?.queried).toBe(0);
});

test('a scheduled run examines what changed since the last, and queries none of it unless in doubt', async () => {
  const quiet = await Promise.all([open(), open(), open()]);
  // Older than the margin a run reads back before its watermark.
  await new Promise((r) => setTimeout(r, 6_000));
  await reconcile({ scope: 'changes', graceSeconds: 0 });
  const changed = await open();
  const { report } = await reconcile({ scope: 'changes', graceSeconds: 0 });
  expect(report.cost.changed).toBe(1);
  expect(report.cost.queried).toBe(0);
  expect(report.window.from < report.window.until).toBe(true);
  expect(report.findings.filter((f: { reference: string }) => [changed, ...quiet].includes(f.reference))).toEqual([]);
  // Beside the changes, one slice of the day's sweep (from where the last run's ended), which leaves out what the changes named.
  expect(report.sweep.size).toBeGreaterThanOrEqual(100);
  expect(report.cost.examined).toBe(report.cost.changed + report.cost.swept - 1);
});

test("every process's pass runs through the kernel's workflow, as its Schedule runs it and as an administrator does", async () => {
  for (const process of ['complaint', 'review', 'visit', 'action-plan']) {
    for (const scope of ['changes', 'full'] as const) {
      const { summary, report } = await reconcile({ process, scope }, `${process}-${scope}`);
      expect(summary.attempt).toBe(1);
      expect(report.scope).toBe(scope);
    }
  }
});

test("each process's Schedule runs at its own point of the interval, never two runs at once and none dropped; one made before is moved", async () => {
  const ids = ['complaint', 'review', 'visit', 'action-plan'].map((p) => reconcilerSchedule(p, h.taskQueue).scheduleId);
  try {
    expect(await ensureSchedules(h.env.client, h.taskQueue)).toBe('created');
    const described = await Promise.all(ids.map((id) => h.env.client.schedule.getHandle(id).describe()));
    expect(described.map((d) => d.spec.intervals?.[0].offset ?? 0)).toEqual([0, 150_000, 300_000, 450_000]);
    for (const d of described) {
      expect(d.spec.intervals?.[0].every).toBe(600_000);
      expect(d.policies).toMatchObject({ overlap: 'BUFFER_ONE', catchupWindow: 600_000 });
      expect(d.action).toMatchObject({ workflowType: 'reconcileCasesWorkflow', args: [{ scope: 'changes' }] });
    }
    // As an earlier version made it: every process at the same minute, SKIP, no scope.
    const reviews = h.env.client.schedule.getHandle(ids[1]);
    await reviews.update((s) => ({ ...s, spec: { intervals: [{ every: '10 minutes' }] }, policies: { ...s.policies, overlap: 'SKIP', catchupWindow: '1 minute' }, action: { ...s.action, args: [{ process: 'review' }] } }));
    expect(await ensureSchedules(h.env.client, h.taskQueue)).toBe('moved');
    expect(await ensureSchedules(h.env.client, h.taskQueue)).toBe('exists');
    expect(await reviews.describe()).toMatchObject({ spec: { intervals: [{ offset: 150_000 }] }, policies: { overlap: 'BUFFER_ONE' }, action: { args: [{ process: 'review', scope: 'changes' }] } });
  } finally {
    await Promise.all(ids.map((id) => h.env.client.schedule.getHandle(id).delete().catch(() => undefined)));
  }
});
