import { Client, Connection } from '@temporalio/client';
import mongoose from 'mongoose';
import { asCaller, testAuthenticator } from '../helpers/auth';
import { createApp } from '../../api/app';
import { createReferenceData, ReferenceData } from '../../api/reference-data';
import { createLogger } from '../../lib/logger';
import { freePort } from '../../dev-servers/process';
import { createModels, Models } from '../../models';
import { testDatabase } from '../helpers/env';

/** Every request signed in (see tests/helpers/auth.ts). */
const request = asCaller();

// Closure days touch only the database; the complaint tests show a new case's deadline skipping one.
let db: mongoose.Connection;
let models: Models;
let connection: Connection;
let referenceData: ReferenceData;
let app: ReturnType<typeof createApp>;

const database = testDatabase('closure_days');

beforeAll(async () => {
  db = database.db;
  models = createModels(db);
  // Never dialled: no route here reaches Temporal.
  connection = Connection.lazy({ address: `127.0.0.1:${await freePort()}` });
  referenceData = createReferenceData(models, 60_000);
  app = createApp({ authenticator: testAuthenticator, models, temporal: new Client({ connection }), taskQueue: 'unused', logger: createLogger('silent'), referenceData });
});

afterEach(async () => {
  await models.ClosureDay.deleteMany({});
  referenceData.clear();
});

afterAll(() => connection.close());

const put = (date: string, reason: unknown) => request(app).put(`/api/closure-days/${date}`).send({ reason });

test('PUT adds a closure day (201), again changes its reason (200), GET lists them by date', async () => {
  const added = await put('2027-03-03', 'Office move: building closed');
  expect(added.status).toBe(201);
  expect(added.headers.location).toBe('/api/closure-days/2027-03-03');
  expect(added.body).toMatchObject({ date: '2027-03-03', reason: 'Office move: building closed' });
  expect(Date.parse(added.body.createdAt)).not.toBeNaN();

  const changed = await put('2027-03-03', 'Office move (second floor)');
  expect(changed.status).toBe(200);
  expect(changed.body).toMatchObject({ date: '2027-03-03', reason: 'Office move (second floor)', createdAt: added.body.createdAt });
  expect(await models.ClosureDay.countDocuments()).toBe(1);

  expect((await put('2026-12-29', 'Christmas shutdown')).status).toBe(201);
  const list = await request(app).get('/api/closure-days');
  expect(list.status).toBe(200);
  expect(list.body.items.map((d: { date: string }) => d.date)).toEqual(['2026-12-29', '2027-03-03']);
  const from = await request(app).get('/api/closure-days?from=2027-01-01');
  expect(from.body.items.map((d: { date: string }) => d.date)).toEqual(['2027-03-03']);
  const to = await request(app).get('/api/closure-days?to=2026-12-31');
  expect(to.body.items.map((d: { date: string }) => d.date)).toEqual(['2026-12-29']);
});

test('the same PUT sent several times at once: one 201, the rest 200, never a 500', async () => {
  // On FerretDB the upserts' inserts met each other (E11000, a 500) until its fourth patch.
  const dates = ['2027-04-06', '2027-04-07', '2027-04-08', '2027-04-09', '2027-04-12', '2027-04-13', '2027-04-14', '2027-04-15'];
  for (const date of dates) {
    const answers = await Promise.all(Array.from({ length: 10 }, () => put(date, 'Staff training day')));
    expect(answers.map((a) => a.status).sort()).toEqual([200, 200, 200, 200, 200, 200, 200, 200, 200, 201]);
  }
  expect(await models.ClosureDay.countDocuments({ _id: { $in: dates } })).toBe(dates.length);
});

test('the app sees a change at once, through the cache the complaints use', async () => {
  expect(await referenceData.closureDates()).toEqual([]); // cached for a minute from here
  await put('2027-03-03', 'Office move: building closed');
  expect(await referenceData.closureDates()).toEqual(['2027-03-03']);
  await request(app).delete('/api/closure-days/2027-03-03');
  expect(await referenceData.closureDates()).toEqual([]);
});

test('DELETE removes a closure day (204); an unknown one is a 404', async () => {
  await put('2027-03-03', 'Office move: building closed');
  expect((await request(app).delete('/api/closure-days/2027-03-03')).status).toBe(204);
  expect(await models.ClosureDay.countDocuments()).toBe(0);
  const again = await request(app).delete('/api/closure-days/2027-03-03');
  expect(again.status).toBe(404);
  expect(again.body.error.code).toBe('not_found');
});

test.each([
  ['2027-03-06', 'date', 'is a Saturday, never a working day'],
  ['2026-12-25', 'date', 'is a bank holiday (Christmas Day), never a working day'],
  ['2026-12-28', 'date', 'is a bank holiday (Boxing Day (substitute day)), never a working day'],
  ['2027-02-30', 'date', 'must be a real date as YYYY-MM-DD'],
  ['27-03-03', 'date', 'must be a real date as YYYY-MM-DD'],
])('400 for %s: %s %s, and nothing written', async (date, field, reason) => {
  const res = await put(date, 'Office move: building closed');
  expect(res.status).toBe(400);
  expect(res.body.error.details).toContainEqual({ field: `params.${field}`, reason });
  expect(await models.ClosureDay.countDocuments()).toBe(0);
});

test('400 for a missing, short or unexpected body field', async () => {
  for (const body of [{}, { reason: 'x' }, { reason: 'Office move', by: 'someone' }]) {
    const res = await request(app).put('/api/closure-days/2027-03-03').send(body);
    expect(res.status).toBe(400);
    expect(res.body.error.details[0].field).toMatch(/^body/);
  }
  expect((await request(app).get('/api/closure-days?from=2027-02-01&to=2027-01-01')).body.error.details).toEqual([
    { field: 'query.to', reason: 'from must not be after to' },
  ]);
  expect(await models.ClosureDay.countDocuments()).toBe(0);
});

test('the OpenAPI document describes the closure-day routes', async () => {
  const doc = await request(app).get('/api/openapi.json');
  expect(doc.body.paths['/api/closure-days']).toHaveProperty('get');
  expect(doc.body.paths['/api/closure-days/{date}']).toHaveProperty('put');
  expect(doc.body.paths['/api/closure-days/{date}']).toHaveProperty('delete');
});
