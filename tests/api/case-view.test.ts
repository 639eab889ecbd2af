import supertest from 'supertest';
import { createApp } from '../../api/app';
import { DEFAULT_TEMPORAL_DEADLINES } from '../../api/temporal';
import { londonDate } from '../../lib/calendar';
import { createLogger } from '../../lib/logger';
import { seedReferenceData } from '../../models/seed';
import { SESSION_COOKIE } from '../../web/session';
import { asCaller, testAuthenticator, tokenFor, type Caller } from '../helpers/auth';
import { createLocalTemporal } from '../helpers/env';
import { createHarness, eventually, workerSwitch, type Harness } from '../helpers/harness';

/**
 * A case view answers from the read model at once, and adds the workflow's live state only when
 * its Query answers within the budget (150 ms by default): with no worker to answer, the view
 * still answers in well under the old 3 s, with the projected state, and says so.
 */
let h: Harness;
let app: ReturnType<typeof createApp>;
const OFFICER: Caller = { id: 'sam-officer-quality_team', name: 'Sam Officer', roles: ['quality_team'] };
const request = asCaller(OFFICER);
const BUDGET = DEFAULT_TEMPORAL_DEADLINES.liveBudgetMs;
/** What a view may add to the budget: the record and its timeline, read by _id on a shared machine. */
const READS_MS = 600;

const { start: startWorker, stop: stopWorker } = workerSwitch(() => h);

beforeAll(async () => {
  h = await createHarness('api_case_view', await createLocalTemporal());
  await seedReferenceData(h.db);
  await startWorker();
  // The default budget: what production runs with.
  app = createApp({ authenticator: testAuthenticator, models: h.models, temporal: h.env.client, taskQueue: h.taskQueue, logger: createLogger('silent'), rateLimitPerMinute: 100_000 });
});

afterAll(async () => {
  await stopWorker();
  await h?.teardown();
});

async function openComplaint(): Promise<string> {
  const res = await request(app)
    .post('/api/complaints')
    .send({ providerCode: 'RJ2', receivedAt: londonDate(Date.now()), source: 'complainant', category: 'communication', summary: 'Letters never arrived', consentToShare: true });
  expect(res.status).toBe(201);
  const reference: string = res.body.reference;
  await eventually(async () => expect((await h.models.Complaint.findById(reference).lean())?.projectionVersion).toBe(1));
  return reference;
}

test('the budget is at most 150 ms', () => {
  expect(BUDGET).toBeLessThanOrEqual(150);
});

test('with no worker, a case view answers within the budget from the read model, and says live state is absent', async () => {
  const reference = await openComplaint();
  await stopWorker();
  try {
    const started = Date.now();
    const res = await request(app).get(`/api/complaints/${reference}`);
    const took = Date.now() - started;
    expect(res.status).toBe(200);
    expect(took).toBeLessThan(BUDGET + READS_MS);
    expect(res.body.live).toBeNull();
    // What the page offers its events from: the state as last projected.
    expect(res.body.state).toMatchObject({ reference, status: 'received' });
    expect(res.body.freshness).toMatchObject({ live: false, projectionVersion: 1 });
    expect(typeof res.body.freshness.projectedAt).toBe('string');
    expect(res.body.freshness.projectionAgeSeconds).toBeGreaterThanOrEqual(0);
    expect(res.body.deadlines.acknowledgement.dueOn).toEqual(res.body.acknowledgeBy);

    // The page too: the events the projected state offers, and a word on how old it is.
    const pageStarted = Date.now();
    const page = await supertest(app).get(`/complaints/${reference}`).set('Cookie', `${SESSION_COOKIE}=${await tokenFor(OFFICER)}`);
    expect(page.status).toBe(200);
    expect(Date.now() - pageStarted).toBeLessThan(BUDGET + READS_MS + 400);
    expect(page.text).toContain(`/complaints/${reference}/acknowledge`);
    expect(page.text).toContain('id="freshness"');
  } finally {
    await startWorker();
  }
});

test('a case opened a while ago and never projected (its worker behind or down) is not waited for as a new one is', async () => {
  await stopWorker();
  try {
    const res = await request(app)
      .post('/api/complaints')
      .send({ providerCode: 'RJ2', receivedAt: londonDate(Date.now()), source: 'complainant', category: 'communication', summary: 'Letters never arrived', consentToShare: true });
    expect(res.status).toBe(201);
    const reference: string = res.body.reference;
    // A backlog's case: opened a minute ago, no projection yet.
    await h.models.Complaint.collection.updateOne({ _id: reference as never }, { $set: { createdAt: new Date(Date.now() - 60_000) } });
    const started = Date.now();
    const view = await request(app).get(`/api/complaints/${reference}`);
    expect(view.status).toBe(200);
    expect(Date.now() - started).toBeLessThan(BUDGET + READS_MS);
    expect(view.body.live).toBeNull();
    expect(view.body.freshness.live).toBe(false);
  } finally {
    await startWorker();
  }
});

test('with a worker, the live state is added when it answers in time', async () => {
  const reference = await openComplaint();
  // A generous budget, so that a loaded test machine still sees the Query answer.
  const patient = createApp({ authenticator: testAuthenticator, models: h.models, temporal: h.env.client, taskQueue: h.taskQueue, logger: createLogger('silent'), temporalDeadlines: { timeoutMs: 10_000, liveBudgetMs: 5_000 } });
  const res = await request(patient).get(`/api/complaints/${reference}`);
  expect(res.status).toBe(200);
  expect(res.body.live).toMatchObject({ reference, status: 'received' });
  expect(res.body.state).toEqual(res.body.live);
  expect(res.body.freshness.live).toBe(true);
});

test('a finished case is not asked: its projection is final', async () => {
  const reference = await openComplaint();
  // As if the workflow had run its course (the projection writes the final status).
  await h.models.Complaint.updateOne({ _id: reference }, { $set: { status: 'completed' } });
  const query = jest.spyOn(h.env.client.workflow, 'getHandle');
  try {
    const res = await request(app).get(`/api/complaints/${reference}`);
    expect(res.status).toBe(200);
    expect(res.body.live).toBeNull();
    expect(res.body.freshness.live).toBe(false);
    expect(query).not.toHaveBeenCalled();
  } finally {
    query.mockRestore();
  }
});
