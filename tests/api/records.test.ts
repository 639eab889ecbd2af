import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { ACTION_PLAN_EVENTS } from '../../api/action-plans/events';
import { REVIEW_EVENTS } from '../../api/reviews/events';
import { VISIT_EVENTS } from '../../api/visits/events';
import { probeRecord } from '../../fuzz/access';
import supertest from 'supertest';
import { createApp } from '../../api/app';
import type { Role } from '../../api/auth/roles';
import { addCalendarDays, addWorkingDays, londonDate } from '../../lib/calendar';
import { createLogger } from '../../lib/logger';
import { reconcileChanges } from '../../models/audit';
import { changeEvidence } from '../../activities/kernel/reconcile';
import { formTokenFor, SESSION_COOKIE } from '../../web/session';
import { eventually } from '../helpers/harness';
import { STAFF, testAuthenticator, tokenFor } from '../helpers/auth';
import { createApiHarness, type ApiHarness } from '../helpers/api-harness';

/**
 * Per-record rights, over the API and the pages: a panel member sees only the visits whose panel
 * they sit on (any other is a 404, as if it did not exist); a commissioner reads every review and
 * changes only their own; a chair reads every plan and changes (and opens) only those they chair.
 * And the audit trail: every read of a case, every refusal, every change before it is answered.
 */

let h: ApiHarness;
let app: ReturnType<typeof createApp>;
const today = () => londonDate(Date.now());
const stamp = randomUUID().slice(0, 8);

const people = {
  panelIn: { id: `panel-in-${stamp}`, name: 'Pat Panel', roles: ['visit_panel'] as Role[] },
  panelOut: { id: `panel-out-${stamp}`, name: 'Kim Elsewhere', roles: ['visit_panel'] as Role[] },
  owner: { id: `comm-own-${stamp}`, name: 'Jo Owner', roles: ['commissioner'] as Role[] },
  otherCommissioner: { id: `comm-other-${stamp}`, name: 'Lee Other', roles: ['commissioner'] as Role[] },
  chair: { id: `chair-own-${stamp}`, name: 'Chris Chair', roles: ['cqrg_chair'] as Role[] },
  otherChair: { id: `chair-other-${stamp}`, name: 'Alex Chair', roles: ['cqrg_chair'] as Role[] },
  auditor: { id: `aud-${stamp}`, name: 'Ash Auditor', roles: ['auditor'] as Role[] },
};
type Who = keyof typeof people;
const tokens = {} as Record<Who | 'staff', string>;
const as = (who: Who | 'staff') => ({
  get: (path: string) => supertest(app).get(path).set('Authorization', `Bearer ${tokens[who]}`),
  post: (path: string, body: object = {}, key?: string) =>
    supertest(app).post(path).set('Authorization', `Bearer ${tokens[who]}`).set(key ? { 'Idempotency-Key': key } : {}).send(body),
  put: (path: string, body: object = {}, key?: string) =>
    supertest(app).put(path).set('Authorization', `Bearer ${tokens[who]}`).set(key ? { 'Idempotency-Key': key } : {}).send(body),
});
const page = (who: Who, path: string) => supertest(app).get(path).set('Cookie', `${SESSION_COOKIE}=${tokens[who]}`).set('Accept', 'text/html');
const postPage = (who: Who, path: string, form: Record<string, string>) =>
  supertest(app).post(path).set('Cookie', `${SESSION_COOKIE}=${tokens[who]}`).type('form').send({ ...form, _form: formTokenFor(tokens[who]) });

let visit: string;
let review: string;
let plan: string;

beforeAll(async () => {
  h = await createApiHarness('records_api', { app: { rateLimitPerMinute: 100_000 } });
  app = h.app;
  for (const [who, caller] of [...Object.entries(people), ['staff', STAFF] as const]) tokens[who as Who] = await tokenFor(caller);

  const visitRes = await as('staff').post('/api/visits', {
    providerCode: 'RJ2',
    service: 'Ward 7 (older people)',
    reasons: ['complaints'],
    announced: false,
    visitDate: addCalendarDays(today(), 28),
    panel: [
      { name: people.panelIn.name, role: 'lay_member', staffId: people.panelIn.id },
      { name: 'Jo Representative', role: 'patient_representative' },
      { name: 'Sam Officer', role: 'quality_team', staffId: STAFF.id },
    ],
  });
  expect(visitRes.body).toMatchObject({ reference: expect.any(String) });
  visit = visitRes.body.reference;
  const reviewRes = await as('staff').post('/api/reviews', {
    serviceName: 'Community diabetes clinic, Bexley',
    whatChanged: 'Clinics moved from the acute site to three GP hubs',
    goLiveOn: today(),
    owner: { id: people.owner.id, name: people.owner.name, email: 'jo.owner@nhs.example', lineManager: { name: 'Sam Lead' } },
    assessments: { equalityImpact: { completed: true }, qualityImpact: { completed: true }, engagementLog: { completed: true } },
    patientEngagement: 'Three listening events with Healthwatch',
  });
  expect(reviewRes.status).toBe(201);
  review = reviewRes.body.reference;
  const planRes = await as('staff').post('/api/action-plans', planBody(people.chair));
  expect(planRes.status).toBe(201);
  plan = planRes.body.reference;
});

afterAll(async () => {
  await h?.teardown();
});

function planBody(chair: { id: string; name: string }) {
  return {
    providerCode: 'RV5',
    theme: 'accessible_information_standard',
    title: 'Accessible Information Standard',
    source: { kind: 'cqrg_meeting', meetingOn: today() },
    chair: { id: chair.id, name: chair.name },
    actions: [{ description: 'Flag communication needs on the PAS', owner: { id: 'jo-bloggs', name: 'Jo Bloggs' }, dueOn: addWorkingDays(today(), 30).due }],
  };
}

const trail = async (record: string) => (await as('auditor').get(`/api/audit?record=${encodeURIComponent(record)}`)).body.entries as { actor: { id: string }; action: string; status: number | null; method: string }[];

describe('a visit panel member sees only the visits whose panel they sit on', () => {
  test('API: theirs is read, another is a 404 (read or change), and their list holds only theirs', async () => {
    expect((await as('panelIn').get(`/api/visits/${visit}`)).status).toBe(200);
    const hidden = await as('panelOut').get(`/api/visits/${visit}`);
    expect(hidden.status).toBe(404);
    expect(JSON.stringify(hidden.body)).not.toContain(people.panelIn.name);
    expect((await as('panelOut').post(`/api/visits/${visit}/postpone`, { visitDate: addCalendarDays(today(), 40), reason: 'x' })).status).toBe(404);
    const mine = await as('panelIn').get('/api/visits?status=open');
    expect(mine.body.items.map((v: { reference: string }) => v.reference)).toEqual([visit]);
    expect((await as('panelOut').get('/api/visits?status=open')).body).toMatchObject({ items: [], total: 0 });
    // The quality team lists every visit.
    expect((await as('staff').get('/api/visits?status=open')).body.items.map((v: { reference: string }) => v.reference)).toContain(visit);
  });

  test('pages: the visit page is 404 for a member not on its panel, and its work queue leaves it out', async () => {
    expect((await page('panelIn', `/visits/${visit}`)).status).toBe(200);
    expect((await page('panelOut', `/visits/${visit}`)).status).toBe(404);
    expect((await page('panelOut', `/visits/${visit}/postpone`)).status).toBe(404);
    expect((await page('panelOut', '/visits')).text).not.toContain(visit);
    expect((await page('panelIn', '/visits')).text).toContain(visit);
  });
});

describe('a commissioner reads every review and changes only their own', () => {
  test('API: another commissioner reads it but is refused a change (403); the owner changes it', async () => {
    expect((await as('otherCommissioner').get(`/api/reviews/${review}`)).status).toBe(200);
    const reschedule = { rescheduledOn: today(), dueOn: addCalendarDays(today(), 200), reason: 'Go-live slipped' };
    const refused = await as('otherCommissioner').post(`/api/reviews/${review}/reschedule`, reschedule);
    expect(refused.status).toBe(403);
    expect(refused.body.error.message).toMatch(/reviews you own/);
    const moved = await as('owner').post(`/api/reviews/${review}/reschedule`, reschedule);
    expect(moved.status).toBe(200);
  });

  test('an administrator gives the review to another commissioner, who may then change it; the gift is audited', async () => {
    const reschedule = { rescheduledOn: today(), dueOn: addCalendarDays(today(), 210), reason: 'Owner on leave' };
    expect((await as('otherCommissioner').put(`/api/reviews/${review}/delegates`, { delegates: [] })).status).toBe(403);
    const given = await as('staff').put(`/api/reviews/${review}/delegates`, { delegates: [{ id: people.otherCommissioner.id, name: people.otherCommissioner.name }] });
    expect(given.status).toBe(200);
    expect(given.body.delegates).toEqual([{ id: people.otherCommissioner.id, name: people.otherCommissioner.name }]);
    expect((await as('otherCommissioner').post(`/api/reviews/${review}/reschedule`, reschedule)).status).toBe(200);
    expect(await trail(review)).toEqual(expect.arrayContaining([expect.objectContaining({ method: 'PUT', action: 'PUT /api/reviews/:reference/delegates', status: 200 })]));
    // Taken back: refused again.
    expect((await as('staff').put(`/api/reviews/${review}/delegates`, { delegates: [] })).status).toBe(200);
    expect((await as('otherCommissioner').post(`/api/reviews/${review}/reschedule`, { ...reschedule, dueOn: addCalendarDays(today(), 220) })).status).toBe(403);
  });

  test('pages: the event form is refused to another commissioner', async () => {
    expect((await page('otherCommissioner', `/reviews/${review}`)).status).toBe(200);
    expect((await page('otherCommissioner', `/reviews/${review}/cancel`)).status).toBe(403);
    expect((await postPage('otherCommissioner', `/reviews/${review}/cancel`, { reason: 'Not needed', _key: `cancel-${stamp}` })).status).toBe(403);
    expect((await page('owner', `/reviews/${review}/cancel`)).status).toBe(200);
  });
});

describe('a CQRG chair reads every plan and changes only the plans they chair', () => {
  test('API: another chair reads it, is refused a change, and cannot open a plan naming someone else as chair', async () => {
    expect((await as('otherChair').get(`/api/action-plans/${plan}`)).status).toBe(200);
    const refused = await as('otherChair').post(`/api/action-plans/${plan}/update-action`, { actionId: `${plan}:1`, progress: 'on_track', note: 'Going well' });
    expect(refused.status).toBe(403);
    expect(refused.body.error.message).toMatch(/plans you chair/);
    const naming = await as('otherChair').post('/api/action-plans', planBody(people.chair));
    expect(naming.status).toBe(403);
    expect((await as('otherChair').post('/api/action-plans', planBody(people.otherChair))).status).toBe(201);
  });

  test("one caller's refused request never removes another's notes, though it came with the same key and body", async () => {
    const key = `complete-${stamp}`;
    const complete = { action: 1, completedOn: today(), evidence: [{ description: 'Audit: 96% of records flagged', link: 'https://docs.example/audit' }] };
    expect((await as('chair').post(`/api/action-plans/${plan}/complete-action`, complete, key)).status).toBe(200);
    const notes = await h.models.ActionPlanNote.countDocuments();
    // The same request from the quality team: the action is complete already, so refused (409).
    expect((await as('staff').post(`/api/action-plans/${plan}/complete-action`, complete, key)).status).toBe(409);
    expect(await h.models.ActionPlanNote.countDocuments()).toBe(notes);
    const detail = await as('chair').get(`/api/action-plans/${plan}`);
    expect(JSON.stringify(detail.body)).toContain('Audit: 96% of records flagged');
  });

  test('pages: the event form is refused to another chair', async () => {
    expect((await page('otherChair', `/action-plans/${plan}`)).status).toBe(200);
    expect((await page('otherChair', `/action-plans/${plan}/sign-off`)).status).toBe(403);
    expect((await page('chair', `/action-plans/${plan}/add-action`)).status).toBe(200);
  });
});

test('each per-record refusal holds however the request is spelled', async () => {
  const server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  try {
    const origin = { host: '127.0.0.1', port: (server.address() as AddressInfo).port };
    const events = (base: string, list: { path: string }[]) => list.map((e) => ({ method: 'POST', path: `${base}/{reference}/${e.path}` }));
    const probes = [
      await probeRecord(origin, [{ method: 'GET', path: '/api/visits/{reference}' }, ...events('/api/visits', VISIT_EVENTS)], tokens.panelOut, visit, 404),
      await probeRecord(origin, events('/api/reviews', REVIEW_EVENTS), tokens.otherCommissioner, review, 403),
      await probeRecord(origin, events('/api/action-plans', ACTION_PLAN_EVENTS), tokens.otherChair, plan, 403),
    ];
    expect(probes.flatMap((p) => p.wrong)).toEqual([]);
    expect(probes.reduce((n, p) => n + p.asked, 0)).toBeGreaterThan(300);
  } finally {
    await new Promise((resolve) => server.close(resolve));
  }
});

test('a reference typed in lower case or with spaces is the same record: the API answers for it, a page redirects to its one address', async () => {
  const lower = visit.toLowerCase();
  const read = await as('panelIn').get(`/api/visits/${lower}`);
  expect(read.status).toBe(200);
  expect(read.body.reference).toBe(visit);
  expect((await as('panelOut').get(`/api/visits/${lower}`)).status).toBe(404);
  expect((await as('staff').get(`/api/visits/%20${lower}%20`)).body.reference).toBe(visit);
  // Another process's reference, or none, is still refused with the reason.
  expect((await as('staff').get(`/api/visits/${review.toLowerCase()}`)).body.error.details).toEqual([{ field: 'params.reference', reason: 'must be a case reference such as VIS-2026-000123' }]);
  const moved = await page('panelIn', `/visits/${lower}/postpone?from=queue`);
  expect(moved.status).toBe(301);
  expect(moved.headers.location).toBe(`/visits/${visit}/postpone?from=queue`);
  expect((await page('panelOut', `/visits/${lower}`)).status).toBe(301); // to the page it is then refused (404)
  expect((await page('chair', `/action-plans/${plan.toLowerCase()}`)).headers.location).toBe(`/action-plans/${plan}`);
  // The trail names the record as it is held.
  expect((await trail(visit)).some((e) => e.actor.id === people.panelIn.id && e.method === 'GET')).toBe(true);
  expect(await trail(lower)).toEqual(await trail(visit));
});

describe('the audit trail', () => {
  test('every read of a case is in it, in every process, and every refusal, with who tried', async () => {
    await as('otherChair').get(`/api/action-plans/${plan}`);
    await as('panelOut').get(`/api/visits/${visit}`);
    await supertest(app).get(`/api/reviews/${review}`);
    await as('auditor').post(`/api/visits/${visit}/cancel`, { reason: 'no' });
    expect(await trail(plan)).toEqual(expect.arrayContaining([expect.objectContaining({ actor: expect.objectContaining({ id: people.otherChair.id }), action: 'read' })]));
    const visitTrail = await trail(visit);
    expect(visitTrail).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ actor: expect.objectContaining({ id: people.panelIn.id }), action: 'read' }),
        expect.objectContaining({ actor: expect.objectContaining({ id: people.panelOut.id }), action: 'refused: not on the record (visit)', status: 404 }),
        expect.objectContaining({ actor: expect.objectContaining({ id: people.auditor.id }), action: 'refused: role', status: 403 }),
      ]),
    );
    expect(await trail(review)).toEqual(expect.arrayContaining([expect.objectContaining({ actor: expect.objectContaining({ id: 'anonymous' }), status: 401 })]));
  });

  test('a change is answered only once its entry is written: the entry is there when the answer arrives', async () => {
    const key = `closure-${stamp}`;
    const res = await as('staff').put('/api/closure-days/2031-12-29', { reason: 'Christmas closure' }, key);
    expect(res.status).toBe(201);
    const entries = await trail('2031-12-29');
    expect(entries.filter((e) => e.method === 'PUT')).toEqual([expect.objectContaining({ actor: expect.objectContaining({ id: STAFF.id }), status: 201 })]);
    expect(await h.models.PendingChange.countDocuments()).toBe(0);
  });

  test('a change whose entry cannot be written is answered 503, its note kept; sent again with its key it is recorded once', async () => {
    const key = `ack-${stamp}`;
    const opened = await as('staff').post('/api/complaints', {
      providerCode: 'RJ2',
      receivedAt: today(),
      source: 'complainant',
      summary: 'Discharged without a care plan',
      consentToShare: true,
      complainant: { name: 'Ann Example' },
    });
    expect(opened.status).toBe(201);
    const reference = opened.body.reference as string;
    const insert = h.models.Audit.collection.insertOne.bind(h.models.Audit.collection);
    const spy = jest.spyOn(h.models.Audit.collection, 'insertOne').mockImplementation(async (doc) => {
      if (String((doc as unknown as { _id: string })._id).startsWith(`${reference}|`) && (doc as unknown as { status?: number }).status === 200) throw new Error('audit database unreachable');
      return insert(doc);
    });
    try {
      const failed = await as('staff').post(`/api/complaints/${reference}/acknowledge`, { acknowledgedOn: today() }, key);
      expect(failed.status).toBe(503);
      expect(failed.headers['retry-after']).toBe('5');
      expect(failed.body.error.code).toBe('unavailable');
      expect(await h.models.PendingChange.countDocuments({ record: reference })).toBe(1);
    } finally {
      spy.mockRestore();
    }
    const again = await as('staff').post(`/api/complaints/${reference}/acknowledge`, { acknowledgedOn: today() }, key);
    expect(again.status).toBe(200);
    const changes = (await trail(reference)).filter((e) => e.action === 'acknowledge');
    expect(changes).toHaveLength(1);
    expect(await h.models.PendingChange.countDocuments({ record: reference })).toBe(0);
  });

  test('the reconciler records a change whose request died after it was made, and drops an attempt that changed nothing', async () => {
    const opened = await as('staff').post('/api/complaints', { providerCode: 'RJ2', receivedAt: today(), source: 'pals', summary: 'Lost property', consentToShare: true, complainant: { name: 'Bo Example' } });
    const reference = opened.body.reference as string;
    const at = new Date(Date.now() - 60_000);
    const entry = { actor: { id: STAFF.id, name: STAFF.name }, role: 'quality_team', method: 'POST', path: '/api/complaints/:reference/:event', action: 'acknowledge' };
    // As a request leaves it when it dies after its Update, before its entry: the event in the timeline, the note open.
    await h.models.PendingChange.create({ _id: `died-${stamp}`, at, record: reference, base: '/api/complaints', entry });
    expect((await as('staff').post(`/api/complaints/${reference}/acknowledge`, { acknowledgedOn: today() })).status).toBe(200);
    await h.models.Audit.deleteMany({ _id: { $regex: `^${reference}\\|` }, action: 'acknowledge' });
    // And one that died before its Update reached the case: nothing in the timeline by its actor.
    const other = await as('staff').post('/api/complaints', { providerCode: 'RJ2', receivedAt: today(), source: 'pals', summary: 'Parking', consentToShare: true, complainant: { name: 'Cy Example' } });
    await h.models.PendingChange.create({ _id: `never-${stamp}`, at: new Date(), record: other.body.reference, base: '/api/complaints', entry: { ...entry, actor: { id: 'someone-else', name: 'X' } } });
    await eventually(async () => expect((await as('staff').get(`/api/complaints/${reference}`)).body.timeline.map((e: { type: string }) => e.type)).toContain('acknowledged'));
    const result = await reconcileChanges(h.models, changeEvidence(h.models), 0, new Date(Date.now() + 1_000));
    expect(result).toMatchObject({ recorded: 1, notMade: 1 });
    expect((await trail(reference)).filter((e) => e.action === 'acknowledge')).toEqual([expect.objectContaining({ status: 200 })]);
    expect((await trail(other.body.reference)).filter((e) => e.method === 'POST' && e.action === 'acknowledge')).toEqual([]);
    expect(await h.models.PendingChange.countDocuments({ _id: { $in: [`died-${stamp}`, `never-${stamp}`] } })).toBe(0);
  });
});

describe('the rate limit counts verified callers, never the raw header', () => {
  const limitedApp = () => createApp({ authenticator: testAuthenticator, models: h.models, temporal: h.env.client, taskQueue: h.taskQueue, logger: createLogger('silent'), rateLimitPerMinute: 5 });

  test('forged tokens are counted against the address, not given a bucket each; re-encodings of a valid one against its caller', async () => {
    let limited = limitedApp();
    const token = tokens.staff;
    const signature = token.length - 10;
    const forged: number[] = [];
    for (const c of 'ABCDEFGHIJKLMNOP') {
      const bad = `${token.slice(0, signature)}${c === token[signature] ? 'z' : c}${token.slice(signature + 1)}`;
      forged.push((await supertest(limited).get('/api/closure-days').set('Authorization', `Bearer ${bad}`)).status);
    }
    expect(forged).toEqual([...Array(5).fill(401), ...Array(11).fill(429)]);
    // Another verified caller has a bucket of their own.
    expect((await supertest(limited).get('/api/closure-days').set('Authorization', `Bearer ${tokens.auditor}`)).status).toBe(200);

    // The last character of a signature can be spelled several ways that decode alike: one caller still.
    limited = limitedApp();
    const respelled: number[] = [];
    for (const c of 'ABCDEFGHIJKLMNOP') {
      respelled.push((await supertest(limited).get('/api/closure-days').set('Authorization', `Bearer ${token.slice(0, -1)}${c}`)).status);
    }
    expect(respelled.filter((s) => s === 200).length).toBeLessThanOrEqual(5);
    expect(respelled.filter((s) => s !== 429).length).toBeLessThanOrEqual(10);
  });

  test('junk in the Authorization header of a page request does not escape the per-address limit', async () => {
    const limited = limitedApp();
    const statuses: number[] = [];
    for (let i = 0; i < 7; i++) statuses.push((await supertest(limited).get('/sign-in').set('Authorization', `Bearer junk-${i}`)).status);
    expect(statuses).toEqual([...Array(5).fill(200), 429, 429]);
  });
});
