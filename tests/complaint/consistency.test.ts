import { asCaller, STAFF, testAuthenticator } from '../helpers/auth';
import { createApp } from '../../api/app';
import { createComplaintBody } from '../../api/complaints/schemas';
import { hashOf } from '../../api/kernel/cases';
import { londonDate } from '../../lib/calendar';
import { createLogger } from '../../lib/logger';
import { seedReferenceData } from '../../models/seed';
import { snapshotQuery } from '../../contracts/complaint/definitions';
import { caseWorkflowId } from '../../contracts/kernel/case';

const complaintWorkflowId = (reference: string) => caseWorkflowId('complaint', reference);
import { createLocalTemporal } from '../helpers/env';
import { createHarness, eventually, workerSwitch, Harness } from '../helpers/harness';

/** Every request signed in (see tests/helpers/auth.ts). */
const request = asCaller();

/**
 * The record, the timeline and the workflow agree under the faults a real service meets:
 * concurrent events, workflow tasks that never commit, a worker that is away, an API that died
 * between the record and the start. Real dev server, real database.
 */
let h: Harness;
let app: ReturnType<typeof createApp>;
/** The same app with short deadlines, for the requests that are meant to time out. */
let quick: ReturnType<typeof createApp>;
const QUICK = { timeoutMs: 1_500, liveBudgetMs: 1_000 };
const today = () => londonDate(Date.now());

const { start: startWorker, stop: stopWorker } = workerSwitch(() => h);

beforeAll(async () => {
  h = await createHarness('complaint_consistency', await createLocalTemporal(), {
    workflowInterceptorModules: [require.resolve('./interceptors/fail-tasks')],
  });
  await seedReferenceData(h.db);
  await startWorker();
  const deps = { models: h.models, temporal: h.env.client, taskQueue: h.taskQueue, logger: createLogger('silent') };
  app = createApp({ authenticator: testAuthenticator, ...deps, temporalDeadlines: { timeoutMs: 30_000, liveBudgetMs: 5_000 } });
  quick = createApp({ authenticator: testAuthenticator, ...deps, temporalDeadlines: QUICK });
});

afterAll(async () => {
  await stopWorker();
  await h?.teardown();
});

const complaint = (overrides: Record<string, unknown> = {}) => ({
  providerCode: 'RJ2',
  receivedAt: today(),
  source: 'complainant',
  category: 'communication',
  summary: 'Not told about a change to an appointment',
  consentToShare: true,
  ...overrides,
});

/** Open a case through the API and wait for its workflow's first committed write. */
async function openCase(): Promise<string> {
  const res = await request(app).post('/api/complaints').send(complaint());
  expect(res.status).toBe(201);
  const reference: string = res.body.reference;
  await eventually(async () => expect((await h.models.Complaint.findById(reference).lean())?.projectionVersion).toBe(1));
  return reference;
}

const acknowledge = (target: typeof app, reference: string) =>
  request(target).post(`/api/complaints/${reference}/acknowledge`).send({ acknowledgedOn: today() });

/**
 * What an API killed between the record and the start leaves: a record under `year`'s series
 * (one no other test uses) whose workflow was never started. Answers its reference and input.
 */
async function recordWithoutWorkflow(year: number, sent = complaint()) {
  const first = await request(app).post('/api/complaints').send(sent);
  const template = (await h.models.Complaint.findById(first.body.reference).lean())!;
  const reference = `CMP-${year}-${String(Date.now() % 1_000_000).padStart(6, '0')}`;
  const workflowInput = { ...template.workflowInput, reference };
  await h.models.Complaint.create({ ...template, _id: reference, workflowId: complaintWorkflowId(reference), workflowInput, projectionVersion: -1 });
  return { reference, workflowInput };
}

const rows = (reference: string, type: string) => h.models.Timeline.countDocuments({ reference, type });

/** The projection holds exactly the state the workflow answers with. */
async function expectProjectionMatchesWorkflow(reference: string) {
  const { meta: live, case: state } = await h.env.client.workflow.getHandle(complaintWorkflowId(reference)).query(snapshotQuery);
  const record = await h.models.Complaint.findById(reference).lean();
  expect(record?.projectionVersion).toBe(live.version);
  expect(record?.status).toBe(state.status);
  const timeline = await h.models.Timeline.find({ reference }, { seq: 1 }).sort({ seq: 1 }).lean();
  expect(timeline.map((e) => e.seq)).toEqual(Array.from({ length: live.seq }, (_, i) => i + 1));
}

describe('concurrent events on one case', () => {
  test('two identical acknowledgements sent together: one is applied, the other answers 409', async () => {
    const reference = await openCase();
    const statuses = (await Promise.all([acknowledge(app, reference), acknowledge(app, reference)])).map((r) => r.status);
    expect(statuses.sort()).toEqual([200, 409]);
    expect(await rows(reference, 'acknowledged')).toBe(1);
    await expectProjectionMatchesWorkflow(reference);
  });

  test('of ten concurrent acknowledgements exactly one wins, and the rest say why they lost', async () => {
    const reference = await openCase();
    const results = await Promise.all(Array.from({ length: 10 }, () => acknowledge(app, reference)));
    expect(results.filter((r) => r.status === 200)).toHaveLength(1);
    const refused = results.filter((r) => r.status !== 200);
    expect(refused.map((r) => r.status)).toEqual(Array(9).fill(409));
    for (const r of refused) expect(r.body.error.message).toMatch(/already acknowledged/);
    expect(await rows(reference, 'acknowledged')).toBe(1);
    await expectProjectionMatchesWorkflow(reference);
  });
});

describe('a workflow task that never commits', () => {
  test('writes nothing to the record or the timeline; the retried task that commits does', async () => {
    const reference = await openCase();
    const until = Date.now() + 3_000;
    // The fail-tasks interceptor fails each task running this Update until `until`, at the end
    // of the task, after its local activities have run.
    const pending = acknowledge(app, reference).set('Idempotency-Key', `fail-tasks-until-${until}`).then((r) => r);
    const statuses = new Set<string>();
    let acknowledgedRows = 0;
    while (Date.now() < until - 300) {
      statuses.add((await h.models.Complaint.findById(reference, { status: 1 }).lean())!.status);
      acknowledgedRows += await rows(reference, 'acknowledged');
      await new Promise((r) => setTimeout(r, 100));
    }
    expect([...statuses]).toEqual(['received']);
    expect(acknowledgedRows).toBe(0);

    const res = await pending;
    expect(res.status).toBe(200);
    expect(res.body.status).toBe('acknowledged');
    const history = await h.env.client.workflow.getHandle(complaintWorkflowId(reference)).fetchHistory();
    const failedTasks = history.events!.filter((e) => e.workflowTaskFailedEventAttributes);
    expect(failedTasks.length).toBeGreaterThan(0); // the injected failures did happen
    expect(await rows(reference, 'acknowledged')).toBe(1);
    await expectProjectionMatchesWorkflow(reference);
  });
});

describe('retries of an event', () => {
  test('while no worker runs: 503 "no worker" in time; the retry with the same key answers the one result', async () => {
    const reference = await openCase();
    await stopWorker();
    const key = `retry-${Date.now()}`;
    try {
      let started = Date.now();
      const first = await acknowledge(quick, reference).set('Idempotency-Key', key);
      expect(first.status).toBe(503);
      expect(first.body.error.code).toBe('worker_unavailable');
      expect(first.headers['retry-after']).toBeDefined();
      expect(Date.now() - started).toBeLessThan(QUICK.timeoutMs + 1_000);

      // A read still answers, from the record, within its own deadline.
      started = Date.now();
      const read = await request(quick).get(`/api/complaints/${reference}`);
      expect(read.status).toBe(200);
      expect(read.body.live).toBeNull();
      expect(Date.now() - started).toBeLessThan(QUICK.liveBudgetMs + 1_000);
    } finally {
      await startWorker();
    }

    // The first attempt is applied once a worker is back; retries answer its result.
    const second = await acknowledge(app, reference).set('Idempotency-Key', key);
    expect(second.status).toBe(200);
    expect(second.body.status).toBe('acknowledged');
    const third = await acknowledge(app, reference).set('Idempotency-Key', key);
    expect(third.status).toBe(200);
    expect(third.body.live).toEqual(second.body.live);
    expect(third.body.timeline).toEqual(second.body.timeline);
    // Without the key a repeat is a new event, which the case now refuses.
    expect((await acknowledge(app, reference)).status).toBe(409);
    expect(await rows(reference, 'acknowledged')).toBe(1);
    await expectProjectionMatchesWorkflow(reference);
  });

  test('the same key with another body is another request', async () => {
    const reference = await openCase();
    const key = `other-body-${Date.now()}`;
    expect((await acknowledge(app, reference).set('Idempotency-Key', key)).status).toBe(200);
    const consent = await request(app)
      .post(`/api/complaints/${reference}/consent`)
      .set('Idempotency-Key', key)
      .send({ consentToShare: false, recordedOn: today() });
    expect(consent.status).toBe(200);
    expect(consent.body.consentToShare).toBe(false);
  });
});

describe('a create whose API died between the record and the start', () => {
  test('its repeat starts the missing workflow before it answers', async () => {
    // What a killed API leaves: the record and its Idempotency-Key row, and no workflow.
    const sent = complaint({ category: 'orphan' });
    const key = `orphan-${Date.now()}`;
    const { reference } = await recordWithoutWorkflow(2015, sent);
    await h.models.IdempotencyKey.create({
      _id: `complaints:${key}`,
      requestHash: hashOf({ body: createComplaintBody.parse(sent), by: STAFF.id }),
      reference,
      createdAt: new Date(),
    });

    const repeat = await request(app).post('/api/complaints').set('Idempotency-Key', key).send(sent);
    expect(repeat.status).toBe(201);
    expect(repeat.headers['idempotent-replayed']).toBe('true');
    expect(repeat.body.reference).toBe(reference);
    const description = await h.env.client.workflow.getHandle(complaintWorkflowId(reference)).describe();
    expect(description.status.name).toBe('RUNNING');
    await eventually(async () => expect(await rows(reference, 'received')).toBe(1));
    // Again: the running workflow is used as it is, not started twice.
    expect((await request(app).post('/api/complaints').set('Idempotency-Key', key).send(sent)).status).toBe(201);
    const runs = await h.env.client.workflow.list({ query: `WorkflowId = '${complaintWorkflowId(reference)}'` });
    let count = 0;
    for await (const _ of runs) count += 1;
    expect(count).toBe(1);
  });
});

describe('the reconciler', () => {
  const HOUR_AGO = new Date(Date.now() - 3_600_000);

  async function runReconciler() {
    const started = await request(app).post('/api/admin/reconciliation').send({ graceSeconds: 0 });
    expect(started.status).toBe(202);
    await h.env.client.workflow.getHandle(started.body.workflowId, started.body.runId).result();
    const res = await request(app).get('/api/admin/reconciliation');
    expect(res.status).toBe(200);
    expect(res.body.latest.id).toContain(started.body.runId);
    return res.body.latest;
  }

  test('repairs a record without its workflow, a workflow without its record, projections behind and ahead', async () => {
    // A record whose workflow was never started (the API died between the two).
    const { reference: orphanRecord, workflowInput } = await recordWithoutWorkflow(2016);
    // A workflow whose record is gone (a failed create whose clean-up did not reach Temporal).
    const orphanWorkflow = `CMP-2017-${String(Date.now() % 1_000_000).padStart(6, '0')}`;
    await h.env.client.workflow.start('complaintWorkflow', {
      workflowId: complaintWorkflowId(orphanWorkflow),
      taskQueue: h.taskQueue,
      args: [{ ...workflowInput, reference: orphanWorkflow }],
    });
    await eventually(async () => expect(await rows(orphanWorkflow, 'received')).toBe(1));
    // A projection behind its workflow, and one ahead of it with timeline rows never committed.
    const behind = await openCase();
    await h.models.Complaint.updateOne({ _id: behind }, { $set: { projectionVersion: 0, status: 'nonsense' } }, { timestamps: false });
    const ahead = await openCase();
    await h.models.Complaint.updateOne(
      { _id: ahead },
      { $set: { projectionVersion: 9, status: 'responded', updatedAt: HOUR_AGO } },
      { timestamps: false },
    );
    await h.models.Timeline.insertMany(
      [2, 3].map((seq) => ({ _id: `${ahead}:${seq}`, caseType: 'complaint', reference: ahead, seq, type: 'acknowledged', at: HOUR_AGO })),
    );

    const report = await runReconciler();
    const found = (problem: string) => report.findings.filter((f: { problem: string }) => f.problem === problem).map((f: { reference: string }) => f.reference);
    expect(found('record_without_workflow')).toEqual([orphanRecord]);
    expect(found('workflow_without_record')).toEqual([orphanWorkflow]);
    expect(found('projection_behind')).toEqual([behind]);
    expect(found('projection_ahead')).toEqual([ahead]);
    expect(found('timeline_uncommitted')).toEqual([ahead]);
    expect(report.findings.every((f: { repaired: boolean }) => f.repaired)).toBe(true);

    expect((await h.env.client.workflow.getHandle(complaintWorkflowId(orphanRecord)).describe()).status.name).toBe('RUNNING');
    expect((await h.env.client.workflow.getHandle(complaintWorkflowId(orphanWorkflow)).describe()).status.name).toBe('TERMINATED');
    expect(await h.models.Timeline.countDocuments({ reference: orphanWorkflow })).toBe(0);
    await eventually(() => expectProjectionMatchesWorkflow(orphanRecord));
    await expectProjectionMatchesWorkflow(behind);
    await expectProjectionMatchesWorkflow(ahead);

    // Idempotent: a second run finds nothing left to do.
    const again = await runReconciler();
    expect(again.findings).toEqual([]);
  });

  test('its Schedule is created once, however many workers start', async () => {
    const { ensureSchedules, RECONCILE_SCHEDULE_ID } = await import('../../worker/schedules');
    expect(await ensureSchedules(h.env.client, h.taskQueue)).toBe('created');
    expect(await ensureSchedules(h.env.client, h.taskQueue)).toBe('exists');
    const handle = h.env.client.schedule.getHandle(RECONCILE_SCHEDULE_ID);
    try {
      const description = await handle.describe();
      expect(description.spec.intervals?.[0].every).toBe(10 * 60 * 1000);
      expect(description.policies.overlap).toBe('BUFFER_ONE');
    } finally {
      await handle.delete();
    }
  });
});

describe('a create whose API died between the Idempotency-Key and the record', () => {
  const write = async (key: string, ageMs: number) =>
    h.models.IdempotencyKey.create({
      _id: `complaints:${key}`,
      requestHash: hashOf({ body: createComplaintBody.parse(complaint({ category: 'stale' })), by: STAFF.id }),
      reference: 'CMP-2018-000001',
      createdAt: new Date(Date.now() - ageMs),
    });

  test('while the first request could still be alive, a repeat answers 409 in_progress', async () => {
    const key = `young-${Date.now()}`;
    await write(key, 1_000);
    const res = await request(app).post('/api/complaints').set('Idempotency-Key', key).send(complaint({ category: 'stale' }));
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('in_progress');
    expect(res.headers['retry-after']).toBe('1');
  });

  test('once no live request can hold it, the stale key is withdrawn and the repeat opens the case', async () => {
    const key = `stale-${Date.now()}`;
    await write(key, 10 * 60_000);
    const res = await request(app).post('/api/complaints').set('Idempotency-Key', key).send(complaint({ category: 'stale' }));
    expect(res.status).toBe(201);
    expect(res.headers['idempotent-replayed']).toBeUndefined();
    expect(res.body.reference).not.toBe('CMP-2018-000001');
    const again = await request(app).post('/api/complaints').set('Idempotency-Key', key).send(complaint({ category: 'stale' }));
    expect(again.body.reference).toBe(res.body.reference);
    expect(await h.models.IdempotencyKey.countDocuments({ _id: `complaints:${key}` })).toBe(1);
  });
});
