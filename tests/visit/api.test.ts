import { createApiHarness, type ApiHarness } from '../helpers/api-harness';
import { decodedPayloadText } from '../helpers/history';
import { createApp } from '../../api/app';
import supertest from 'supertest';
import { asCaller, STAFF, tokenFor } from '../helpers/auth';
import { formTokenFor, SESSION_COOKIE } from '../../web/session';
import { ReferenceData } from '../../api/reference-data';
import { addCalendarDays, addCalendarMonths, addWorkingDays, londonDate, subtractWorkingDays } from '../../lib/calendar';
import { caseWorkflowId } from '../../contracts/kernel/case';
import { actionPlanLinkId, type VisitWorkflowInput } from '../../contracts/visit/definitions';
import { reconcileActivities } from '../../activities/kernel/reconcile-activities';
import { visitReconcileTarget } from '../../activities/visit/reconcile';
import { VISIT_FINDINGS } from '../../contracts/visit/vocabulary';
import { ensureSchedules, RECONCILE_SCHEDULE_ID, REVIEW_RECONCILE_SCHEDULE_ID, VISIT_RECONCILE_SCHEDULE_ID } from '../../worker/schedules';
import { eventually } from '../helpers/harness';
import { prefixRange } from '../../models/case-index';

/** Every request signed in (see tests/helpers/auth.ts). */
const request = asCaller();

/** /api/visits against the real servers: the Temporal dev server, FerretDB from the global setup. */

let h: ApiHarness;
let app: ReturnType<typeof createApp>;
let referenceData: ReferenceData;
const today = () => londonDate(Date.now());
/** Who the app records as acting: a member of staff who sits on some of these panels. */
const actor = { id: 'qo-7', name: 'Sam Officer', role: 'quality_team' };
const visitWorkflowId = (reference: string) => caseWorkflowId('visit', reference);

beforeAll(async () => void ({ app, referenceData } = h = await createApiHarness('visit_api')));
afterAll(() => h?.teardown());

const plan = (overrides: Record<string, unknown> = {}) => ({
  providerCode: 'RJ2',
  service: 'Ward 7 (older people)',
  reasons: ['complaints', 'soft_intelligence'],
  concerns: 'Several families describe call bells unanswered at night',
  announced: true,
  visitDate: addCalendarDays(today(), 28),
  panel: [
    { name: 'Pat Lay', role: 'lay_member', email: 'pat.lay@example.org' },
    { name: 'Jo Representative', role: 'patient_representative' },
    { name: 'Sam Officer', role: 'quality_team', staffId: actor.id },
  ],
  ...overrides,
});
const create = (overrides: Record<string, unknown> = {}) => request(app).post('/api/visits').send(plan(overrides));
const post = (reference: string, event: string, payload: object) => request(app).post(`/api/visits/${reference}/${event}`).send(payload);

/** A complaint opened through its own API, to link visits to. */
async function complaint(): Promise<string> {
  const res = await request(app)
    .post('/api/complaints')
    .send({ providerCode: 'RJ2', receivedAt: today(), source: 'complainant', summary: 'Call bell not answered for 40 minutes', consentToShare: true });
  expect(res.status).toBe(201);
  return res.body.reference;
}

describe('POST /api/visits', () => {
  test('plans a visit: 201 with its reference and a running workflow; the panel’s names stay in MongoDB', async () => {
    const res = await create();
    expect(res.status).toBe(201);
    expect(res.body.reference).toMatch(/^VIS-\d{4}-\d{6}$/);
    expect(res.headers.location).toBe(`/api/visits/${res.body.reference}`);
    expect(res.body).toMatchObject({ status: 'planned', providerCode: 'RJ2', announced: true, plannedOn: today(), visitDate: plan().visitDate, nextDueOn: plan().visitDate, nextDeadlineKind: 'visit', links: [] });
    const handle = h.env.client.workflow.getHandle(visitWorkflowId(res.body.reference));
    expect((await handle.describe()).status.name).toBe('RUNNING');
    // Decoded: what the workflow holds, encryption aside (tests/codec shows a raw history has none of it either).
    const history = await decodedPayloadText(handle);
    expect(history).toContain(res.body.reference);
    // The panel's names stay out; the member of staff who planned it is the case's actor (openedBy), as on every case.
    for (const name of ['Pat Lay', 'Jo Representative', 'call bells', 'pat.lay@example.org']) {
      expect(history).not.toContain(name);
      expect(history).not.toContain(Buffer.from(name).toString('base64').slice(0, 8));
    }
    const record = await h.models.Visit.findById(res.body.reference).lean();
    expect(record!.panel.map((m) => [m.id, m.name, m.role, m.email ?? null])).toEqual([
      ['member-1', 'Pat Lay', 'lay_member', 'pat.lay@example.org'],
      ['member-2', 'Jo Representative', 'patient_representative', null],
      [actor.id, 'Sam Officer', 'quality_team', null],
    ]);
  });

  test('a panel without a lay member and a patient representative is a 400 saying so; nothing is written', async () => {
    const before = await h.models.Visit.countDocuments();
    const res = await create({ panel: [{ name: 'Pat Lay', role: 'lay_member' }, { name: 'Dr Jones', role: 'clinician' }] });
    expect(res.status).toBe(400);
    expect(res.body.error.details).toEqual([
      { field: 'body.panel', reason: 'the panel must include at least one lay member and one patient representative: it has no patient representative' },
    ]);
    expect(res.body.error.message).toMatch(/lay member and one patient representative/);
    expect(await h.models.Visit.countDocuments()).toBe(before);
  });

  test('an inactive or unknown provider, and a complaint that does not exist, are 400s naming the field', async () => {
    await h.models.Provider.updateOne({ _id: 'RJ1' }, { $set: { active: false } });
    referenceData.clear();
    try {
      const inactive = await create({ providerCode: 'RJ1' });
      expect(inactive.status).toBe(400);
      expect(inactive.body.error.details).toEqual([{ field: 'body.providerCode', reason: 'no active provider with ODS code RJ1' }]);
    } finally {
      await h.models.Provider.updateOne({ _id: 'RJ1' }, { $set: { active: true } });
      referenceData.clear();
    }
    expect((await create({ providerCode: 'ZZZ' })).status).toBe(400);
    const existing = await complaint();
    const before = await h.models.Visit.countDocuments();
    const res = await create({ linkedComplaints: [existing, 'CMP-2020-999999'] });
    expect(res.status).toBe(400);
    expect(res.body.error.details).toEqual([{ field: 'body.linkedComplaints.1', reason: 'no complaint CMP-2020-999999' }]);
    expect(await h.models.Visit.countDocuments()).toBe(before);
    expect((await h.models.Complaint.findById(existing).lean())!.links).toEqual([]);
  });

  test('an unannounced visit may be logged up to 10 working days after it took place: its workflow starts due to be recorded; earlier, or announced, is a 400', async () => {
    const visitDate = subtractWorkingDays(today(), 3);
    const res = await create({ announced: false, visitDate });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ status: 'planned', plannedOn: today(), visitDate });
    const ref = res.body.reference;
    const planned = await eventually(async () => {
      const detail = await request(app).get(`/api/visits/${ref}`);
      expect(detail.body.nextDeadlineKind).toBe('visit');
      expect(detail.body.deadlines.visit.basis.rule).toMatch(/logged after it/);
      expect(detail.body.timeline).toHaveLength(1);
      return detail.body;
    });
    expect(planned).toMatchObject({ overdue: false, nextDueOn: addWorkingDays(today(), 0).due });
    const visited = await post(ref, 'took-place', { visitedOn: visitDate });
    expect(visited.status).toBe(200);
    expect(visited.body).toMatchObject({ status: 'visited', nextDeadlineKind: 'draft_report' });

    const limit = subtractWorkingDays(today(), 10);
    expect((await create({ announced: false, visitDate: limit })).status).toBe(201);
    const tooLate = await create({ announced: false, visitDate: subtractWorkingDays(today(), 11) });
    expect(tooLate.status).toBe(400);
    expect(tooLate.body.error.details).toEqual([{ field: 'body.visitDate', reason: `an unannounced visit may be logged up to 10 working days after it took place: from ${limit}` }]);
    const announced = await create({ announced: true, visitDate });
    expect(announced.status).toBe(400);
    expect(announced.body.error.details).toEqual([{ field: 'body.visitDate', reason: 'cannot be in the past: only an unannounced visit may be logged after it took place' }]);
  });

  test('the same Idempotency-Key answers the same visit and starts no second workflow; another request with it is a 422', async () => {
    const key = `visit-${Date.now()}`;
    const before = await h.models.Visit.countDocuments();
    const first = await create().set('Idempotency-Key', key);
    const second = await create().set('Idempotency-Key', key);
    expect([first.status, second.status]).toEqual([201, 201]);
    expect(second.headers['idempotent-replayed']).toBe('true');
    expect(second.body.reference).toBe(first.body.reference);
    expect(await h.models.Visit.countDocuments()).toBe(before + 1);
    expect((await create({ service: 'Ward 8' }).set('Idempotency-Key', key)).status).toBe(422);
  });
});

describe('links between complaints and visits', () => {
  test('a visit following up complaints is linked on both records, shown by both GETs, and written once', async () => {
    const [a, b] = [await complaint(), await complaint()];
    // Linked once each complaint's first projection has landed, as a visit follows complaints up days
    // later. On FerretDB a link written while that projection writes the record can be lost (its
    // update reads and writes the document whole); the visit reconciler repairs it
    // (complaint_link_missing). Seen in a fresh `npm test` on 2026-12-06; not fixed at the write yet.
    await eventually(async () => {
      for (const ref of [a, b]) expect((await h.models.Complaint.findById(ref, { projectionVersion: 1 }).lean())?.projectionVersion).toBeGreaterThanOrEqual(1);
    });
    const key = `linked-${Date.now()}`;
    const res = await create({ linkedComplaints: [a, b] }).set('Idempotency-Key', key);
    expect(res.status).toBe(201);
    const visit = res.body.reference;
    expect(res.body.links).toEqual([{ kind: 'complaint', reference: a }, { kind: 'complaint', reference: b }]);
    for (const ref of [a, b]) {
      const detail = await request(app).get(`/api/complaints/${ref}`);
      expect(detail.body.links).toEqual([{ kind: 'visit', reference: visit }]);
    }
    expect((await request(app).get(`/api/visits/${visit}`)).body.links).toEqual(res.body.links);

    // A request that died after the visit, before the complaints' side: its repeat completes it, once.
    await h.models.Complaint.updateOne({ _id: b }, { $set: { links: [] } });
    expect((await create({ linkedComplaints: [a, b] }).set('Idempotency-Key', key)).status).toBe(201);
    expect((await h.models.Complaint.findById(a).lean())!.links).toEqual([{ kind: 'visit', reference: visit }]);
    expect((await h.models.Complaint.findById(b).lean())!.links).toEqual([{ kind: 'visit', reference: visit }]);
    // A second visit for the same complaint is added beside the first.
    const other = (await create({ linkedComplaints: [a], announced: false })).body.reference;
    expect((await request(app).get(`/api/complaints/${a}`)).body.links).toEqual([{ kind: 'visit', reference: visit }, { kind: 'visit', reference: other }]);
  });
});

describe('a visit through its events', () => {
  test('each event moves the visit on; refused events answer 409; the final report’s recommendations link an action plan', async () => {
    const { body: created } = await create({ visitDate: today() });
    const ref = created.reference;
    let res = await post(ref, 'draft-report', { sentOn: today() });
    expect(res.status).toBe(409);
    expect(res.body.error.message).toMatch(/follows the visit/);
    expect((await post(ref, 'took-place', { visitedOn: addCalendarDays(today(), 1) })).status).toBe(400);

    res = await post(ref, 'took-place', { visitedOn: today() });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: 'visited', nextDeadlineKind: 'draft_report' });
    res = await post(ref, 'draft-report', { sentOn: today() });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: 'draft_issued', nextDeadlineKind: 'factual_accuracy' });
    expect(res.body.deadlines.factual_accuracy.basis.workingDays).toBe(10);
    expect((await post(ref, 'provider-comments', { receivedOn: today() })).status).toBe(200);

    // The acting user sat on the panel: refused, saying why; someone else may review.
    res = await post(ref, 'comments-review', { reviewedOn: today(), changesMade: true });
    expect(res.status).toBe(409);
    expect(res.body.error.message).toBe('qo-7 sat on the visit’s panel: factual-accuracy comments are reviewed by someone who was not on it');
    res = await post(ref, 'comments-review', { reviewedOn: today(), changesMade: true, reviewerId: 'qo-11' });
    expect(res.status).toBe(200);
    expect(res.body.live.review).toEqual({ reviewedOn: today(), reviewerId: 'qo-11', changesMade: true });

    res = await post(ref, 'final-report', { publishedOn: today(), recommendations: [{ summary: 'Call bells answered within 5 minutes', dueOn: addCalendarMonths(today(), 3) }] });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: 'completed', nextDueOn: null });
    // The request for a plan is written with the change the Update answered for; the visit links
    // only real cases, so the plan once it is opened, never the request.
    expect(await h.models.ActionPlanLink.findById(actionPlanLinkId(ref)).lean()).toMatchObject({ status: 'awaiting_plan', providerCode: 'RJ2', recommendations: [{ n: 1 }] });
    expect(res.body.links).toEqual([]);
    expect((await h.models.Visit.findById(ref).lean())!.links).toEqual([]);
    const plan = await request(app).post('/api/action-plans').send({
      providerCode: 'RJ2',
      theme: 'other',
      title: 'Call bells on Ward 7',
      source: { kind: 'insight_visit', reference: ref },
      chair: { id: 'chair-rj2', name: 'Chris Chair' },
      actions: [{ description: 'Call bells answered within 5 minutes', owner: { id: 'jo-bloggs', name: 'Jo Bloggs' }, dueOn: addCalendarMonths(today(), 3) }],
    });
    expect(plan.status).toBe(201);
    expect((await request(app).get(`/api/visits/${ref}`)).body.links).toEqual([{ kind: 'action_plan', reference: plan.body.reference }]);
    expect((await post(ref, 'cancel', { cancelledOn: today(), reason: 'too late' })).status).toBe(409);

    const detail = await request(app).get(`/api/visits/${ref}`);
    expect(detail.status).toBe(200);
    expect(detail.body.panel.map((m: { name: string }) => m.name)).toEqual(['Pat Lay', 'Jo Representative', 'Sam Officer']);
    expect(detail.body.concerns).toMatch(/call bells/);
    expect(detail.body.timeline.map((e: { type: string }) => e.type)).toEqual(expect.arrayContaining([
      'planned', 'visit_took_place', 'draft_report_sent', 'provider_comments_received', 'comments_reviewed', 'final_report_published',
    ]));
    expect(detail.body.timeline.filter((e: { actor?: unknown }) => e.actor).every((e: { actor: unknown }) => JSON.stringify(e.actor) === JSON.stringify(actor))).toBe(true);
  });

  test('a postponement moves the visit and its notice; an announced visit’s information, an unannounced one refused', async () => {
    const { body: created } = await create({ visitDate: addCalendarDays(today(), 7) });
    const newVisitDate = addCalendarDays(today(), 60);
    const res = await post(created.reference, 'postpone', { postponedOn: today(), newVisitDate, reason: 'Ward closed (norovirus)' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ visitDate: newVisitDate, live: { postponements: [{ from: created.visitDate, to: newVisitDate }] } });
    expect(res.body.deadlines[`provider_notice:${newVisitDate}`].dueOn).toBe(subtractWorkingDays(newVisitDate, 10));
    expect(res.body.deadlines[`provider_notice:${created.visitDate}`]).toBeUndefined();
    expect((await request(app).get(`/api/visits?month=${newVisitDate.slice(0, 7)}`)).body.items.map((v: { reference: string }) => v.reference)).toContain(created.reference);
    expect((await post(created.reference, 'postpone', { postponedOn: today(), newVisitDate, reason: 'again' })).status).toBe(409);

    const unannounced = (await create({ announced: false })).body.reference;
    const refused = await post(unannounced, 'information', { receivedOn: today() });
    expect(refused.status).toBe(409);
    expect(refused.body.error.message).toMatch(/unannounced/);
  });

  test('a visit takes place on its date: recorded on another day it is a 409 saying to re-date it; brought forward inside the notice with a reason, it is recorded', async () => {
    const { body: created } = await create({ visitDate: addCalendarDays(today(), 28) });
    const ref = created.reference;
    const early = await post(ref, 'took-place', { visitedOn: today() });
    expect(early.status).toBe(409);
    expect(early.body.error.message).toBe(`the visit is planned for ${created.visitDate}, not ${today()}: a visit takes place on its date; to record it on another day, re-date it first (postpone, with a reason)`);
    expect((await request(app).get(`/api/visits/${ref}`)).body).toMatchObject({ status: 'planned', visitDate: created.visitDate });

    const forward = { postponedOn: today(), newVisitDate: today(), reason: 'Held early at the ward manager’s request' };
    const unexplained = await post(ref, 'postpone', forward);
    expect(unexplained.status).toBe(409);
    expect(unexplained.body.error.message).toMatch(/inside the provider’s notice period of 10 working days.*shortNoticeReason/);
    const res = await post(ref, 'postpone', { ...forward, shortNoticeReason: 'Concerns about night staffing could not wait' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ visitDate: today(), live: { postponements: [{ from: created.visitDate, to: today(), shortNoticeReason: 'Concerns about night staffing could not wait' }] } });
    // The provider's notice is re-planned for the new date, due at once.
    expect(res.body.deadlines[`provider_notice:${today()}`].dueOn).toBe(today());
    // The notice, now due at once, may already have been sent when the answer is read: the
    // re-dating is then followed by the provider's notification, and by nothing else.
    const types: string[] = res.body.timeline.map((entry: { type: string }) => entry.type);
    const at = types.lastIndexOf('brought_forward');
    expect(res.body.timeline[at]).toMatchObject({ type: 'brought_forward', data: { previousVisitDate: created.visitDate } });
    expect(types.slice(at + 1).filter((type) => type !== 'provider_notified')).toEqual([]);
    const visited = await post(ref, 'took-place', { visitedOn: today() });
    expect(visited.status).toBe(200);
    expect(visited.body).toMatchObject({ status: 'visited', visitDate: today(), live: { visitedOn: today() } });
  });

  test('404 for an unknown reference, 400 for a malformed one or body', async () => {
    expect((await request(app).get('/api/visits/VIS-2020-999999')).status).toBe(404);
    expect((await post('VIS-2020-999999', 'took-place', { visitedOn: today() })).status).toBe(404);
    expect((await request(app).get('/api/visits/CMP-2026-000001')).status).toBe(400);
    const { body: created } = await create();
    const res = await post(created.reference, 'took-place', { visitedOn: today(), extra: 1 });
    expect(res.status).toBe(400);
  });
});

describe('the visit’s pages', () => {
  /** A page as a signed-in browser asks for it, and a form as it posts one (fields by their names). */
  const page = async (path: string) => supertest(app).get(path).set('Cookie', `${SESSION_COOKIE}=${await tokenFor(STAFF)}`);
  const submit = async (path: string, fields: Record<string, string>) => {
    const session = await tokenFor(STAFF);
    return supertest(app).post(path).set('Cookie', `${SESSION_COOKIE}=${session}`).type('form').send({ _form: formTokenFor(session), ...fields });
  };
  const dateFields = (name: string, iso: string) => {
    const [y, m, d] = iso.split('-');
    return { [`${name}[day]`]: String(Number(d)), [`${name}[month]`]: String(Number(m)), [`${name}[year]`]: y };
  };

  test('the re-dating form asks for a short notice’s reason; recording the visit on another day comes back to the form saying to re-date it', async () => {
    const { body: created } = await create({ visitDate: addCalendarDays(today(), 28) });
    const ref = created.reference;
    const visit = await page(`/visits/${ref}`);
    expect(visit.status).toBe(200);
    expect(visit.text).toContain('Re-date the visit');
    const redate = await page(`/visits/${ref}/postpone`);
    expect(redate.status).toBe(200);
    expect(redate.text).toMatch(/name="shortNoticeReason"/);
    const refused = await submit(`/visits/${ref}/took-place`, dateFields('visitedOn', today()));
    expect(refused.status).toBe(409);
    expect(refused.text).toContain(`the visit is planned for ${created.visitDate}, not ${today()}`);
    const short = await submit(`/visits/${ref}/postpone`, { ...dateFields('postponedOn', today()), ...dateFields('newVisitDate', today()), reason: 'Held early' });
    expect(short.status).toBe(409);
    expect(short.text).toMatch(/inside the provider’s notice period/);
  });

  test('a visit not yet projected has its page, without letters until it is, never an error', async () => {
    const { body: created } = await create({ announced: true });
    const ref = created.reference;
    // As a page read straight after opening finds it: the record written, its state not yet.
    await eventually(async () => expect((await h.models.Visit.findById(ref).lean())?.workflow).toBeDefined());
    await h.models.Visit.updateOne({ _id: ref }, { $unset: { workflow: 1 } });
    const visit = await page(`/visits/${ref}`);
    expect(visit.status).toBe(200);
    expect(visit.text).toContain(ref);
  });

  test('the visit’s page links the cases it names, never its own request for a plan', async () => {
    const { body: created } = await create({ announced: false });
    const ref = created.reference;
    await h.models.Visit.updateOne({ _id: ref }, { $set: { links: [{ kind: 'action_plan', reference: actionPlanLinkId(ref) }, { kind: 'action_plan', reference: 'CAP-2026-000042' }] } });
    const visit = await page(`/visits/${ref}`);
    expect(visit.status).toBe(200);
    expect(visit.text).toContain('href="/action-plans/CAP-2026-000042"');
    expect(visit.text).not.toContain(`/action-plans/${actionPlanLinkId(ref)}`);
  });

  test('the planning form takes an unannounced visit logged after it took place, and says how long after', async () => {
    const form = await page('/visits/new');
    expect(form.status).toBe(200);
    expect(form.text).toContain('an unannounced visit may be logged up to 10 working days after it took place');
    const visitDate = subtractWorkingDays(today(), 2);
    const plan = {
      providerCode: 'RJ2', service: 'Ward 9', reasons: 'soft_intelligence', announced: 'false', ...dateFields('visitDate', visitDate),
      'panel.0.name': 'Lee Lay', 'panel.0.role': 'lay_member', 'panel.1.name': 'Pat Rep', 'panel.1.role': 'patient_representative',
    };
    const planned = await submit('/visits/new', plan);
    expect(planned.status).toBe(303);
    const ref = /VIS-\d{4}-\d{6}/.exec(planned.headers.location)![0];
    expect((await request(app).get(`/api/visits/${ref}`)).body).toMatchObject({ visitDate, announced: false, status: 'planned' });
    const announced = await submit('/visits/new', { ...plan, announced: 'true' });
    expect(announced.status).toBe(400);
    expect(announced.text).toContain('only an unannounced visit may be logged after it took place');
  });
});

describe('GET /api/visits', () => {
  test('filters by provider, status and month; sorted by next deadline, or by visit date within a month', async () => {
    const month = addCalendarMonths(today(), 4).slice(0, 7);
    const day = (d: number) => `${month}-${String(d).padStart(2, '0')}`;
    const refs = [];
    for (const [providerCode, d] of [['RPG', 20], ['RPG', 5], ['RV5', 12]] as const) {
      const res = await create({ providerCode, visitDate: day(d), announced: false });
      expect(res.status).toBe(201);
      refs.push(res.body.reference);
    }
    await post(refs[0], 'cancel', { cancelledOn: today(), reason: 'Provider merged the wards' });
    const list = async (query: string) => (await request(app).get(`/api/visits?${query}`)).body;
    expect((await list(`month=${month}`)).items.map((v: { reference: string }) => v.reference)).toEqual([refs[1], refs[2], refs[0]]);
    expect((await list(`month=${month}&provider=RPG`)).items.map((v: { visitDate: string }) => v.visitDate)).toEqual([day(5), day(20)]);
    expect((await list(`month=${month}&status=open`)).total).toBe(2);
    expect((await list(`month=${month}&provider=RPG&status=cancelled`)).items.map((v: { reference: string }) => v.reference)).toEqual([refs[0]]);
    const rpg = await list('provider=RPG&status=planned');
    expect(rpg.items.map((v: { reference: string }) => v.reference)).toEqual([refs[1]]);
    expect((await list('status=open')).items.every((v: { status: string }) => v.status !== 'cancelled')).toBe(true);
    const all = (await list('pageSize=100')).items.map((v: { nextDueOn: string | null }) => v.nextDueOn ?? '');
    expect(all).toEqual([...all].sort());
    expect((await request(app).get('/api/visits?month=2026-13')).status).toBe(400);
    expect((await request(app).get(`/api/visits?month=${month}&overdue=true`)).status).toBe(400);
  });
});

describe('the contract', () => {
  test('the OpenAPI document has the visit routes; a wrong method is a 405', async () => {
    const doc = (await request(app).get('/api/openapi.json')).body;
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining([
      '/api/visits', '/api/visits/{reference}', '/api/visits/{reference}/took-place', '/api/visits/{reference}/comments-review', '/api/visits/{reference}/final-report',
    ]));
    expect(doc.components.schemas.CreateVisit.properties.panel).toBeDefined();
    const res = await request(app).delete('/api/visits');
    expect([res.status, res.headers.allow]).toEqual([405, 'GET, HEAD, POST']);
  });

  test('503 when Temporal is unreachable: no visit, no list entry, no complaint link is left behind', async () => {
    const linked = await complaint();
    const { app: offline, close } = await h.offlineApp();
    const before = await h.models.Visit.countDocuments();
    // The visits' own list entries: the linked complaint's projection may still move its own meanwhile.
    const visitEntries = () => h.models.CaseIndex.countDocuments({ _id: { $gte: prefixRange('visit').from, $lt: prefixRange('visit').to } });
    const entries = await visitEntries();
    const res = await request(offline).post('/api/visits').set('Idempotency-Key', `offline-${Date.now()}`).send(plan({ linkedComplaints: [linked] }));
    expect(res.status).toBe(503);
    expect(res.body.error.code).toBe('temporal_unavailable');
    expect(await h.models.Visit.countDocuments()).toBe(before);
    await eventually(async () => expect(await visitEntries()).toBe(entries));
    expect(await h.models.IdempotencyKey.countDocuments({ _id: /offline/ })).toBe(0);
    expect((await h.models.Complaint.findById(linked).lean())!.links).toEqual([]);
    // A visit already planned still reads, without its live state; an event on it is a 503, nothing done.
    const { body: planned } = await create();
    await eventually(async () => expect((await request(app).get(`/api/visits/${planned.reference}`)).body.timeline).toHaveLength(1));
    const read = await request(offline).get(`/api/visits/${planned.reference}`);
    expect(read.status).toBe(200);
    expect(read.body).toMatchObject({ reference: planned.reference, live: null, timeline: [expect.objectContaining({ type: 'planned' })] });
    const event = await request(offline).post(`/api/visits/${planned.reference}/took-place`).send({ visitedOn: today() });
    expect([event.status, event.body.error.code]).toEqual([503, 'temporal_unavailable']);
    expect((await request(app).get(`/api/visits/${planned.reference}`)).body.status).toBe('planned');
    expect((await request(offline).get('/readyz')).status).toBe(503);
    await close();
  });
});

describe('the reconciler', () => {
  test('a visit whose create died between its record and its workflow gets its workflow, once', async () => {
    // As the API leaves it when it dies after the insert: the record, with the input it keeps, and no workflow.
    const reference = `VIS-2019-${String(Date.now() % 1_000_000).padStart(6, '0')}`;
    const workflowInput: VisitWorkflowInput = {
      reference,
      providerCode: 'RJ2',
      plannedOn: today(),
      announced: false,
      reasons: ['cqrg_concern'],
      linkedComplaints: [],
      visitDate: addCalendarDays(today(), 20),
      panel: [{ id: 'member-1', role: 'lay_member' }, { id: 'member-2', role: 'patient_representative' }],
      settings: { noticeWorkingDays: 10, draftReportWorkingDays: 15, factualAccuracyWorkingDays: 10 },
    };
    const old = new Date(Date.now() - 10 * 60_000);
    await h.models.Visit.collection.insertOne({
      _id: reference as never,
      providerCode: 'RJ2', service: 'Ward 3', reasons: ['cqrg_concern'], announced: false, plannedOn: today(), visitDate: workflowInput.visitDate,
      panel: [], links: [], status: 'planned', workflowId: visitWorkflowId(reference), workflowInput, projectionVersion: -1, indexKeys: [], createdAt: old, updatedAt: old,
    });
    // Through the administrator's route, as at its next scheduled run.
    const started = await request(app).post('/api/admin/reconciliation').send({ process: 'visit', graceSeconds: 60 });
    expect(started.status).toBe(202);
    expect(started.body.workflowId).toBe('reconcile-visits-now');
    const first = await h.env.client.workflow.getHandle(started.body.workflowId, started.body.runId).result();
    expect(first.counts.record_without_workflow).toEqual({ found: 1, repaired: 1 });
    const { latest } = (await request(app).get('/api/admin/reconciliation')).body;
    expect(latest.findings).toContainEqual(expect.objectContaining({ reference, problem: 'record_without_workflow', repaired: true }));
    expect((await h.env.client.workflow.getHandle(visitWorkflowId(reference)).describe()).status.name).toBe('RUNNING');
    await eventually(async () => expect((await request(app).get(`/api/visits/${reference}`)).body.timeline.map((e: { type: string }) => e.type)).toEqual(['planned']));
    const { reconcileVisits } = reconcileActivities({ models: h.models, temporal: { client: h.env.client, taskQueue: h.taskQueue } }, visitReconcileTarget);
    const again = await reconcileVisits({ id: `test-${reference}-again`, graceSeconds: 60 });
    expect(again.counts.record_without_workflow).toBeUndefined();
  });

  test('a complaint that does not name the visit following it up gets its side of the link, once the create is past its grace', async () => {
    const linked = await complaint();
    const { body: visit } = await create({ linkedComplaints: [linked] });
    // As a create that died after the visit and its workflow, before the complaint's side (sent without a key).
    await h.models.Complaint.updateOne({ _id: linked }, { $set: { links: [] } });
    const { reconcileVisits } = reconcileActivities({ models: h.models, temporal: { client: h.env.client, taskQueue: h.taskQueue } }, visitReconcileTarget);
    // Within the grace period the create may still fail and withdraw the visit: nothing is written.
    expect((await reconcileVisits({ id: `links-${visit.reference}-1`, graceSeconds: 60 })).counts.complaint_link_missing).toBeUndefined();
    expect((await h.models.Complaint.findById(linked).lean())!.links).toEqual([]);
    await new Promise((r) => setTimeout(r, 1_100));
    const repaired = await reconcileVisits({ id: `links-${visit.reference}-2`, graceSeconds: 1 });
    expect(repaired.counts.complaint_link_missing).toEqual({ found: 1, repaired: 1 });
    // The report says what the finding means and that it was repaired.
    expect((await h.models.Reconciliation.findById(repaired.id).lean())!.explained.complaint_link_missing).toBe(VISIT_FINDINGS.complaint_link_missing);
    expect((await request(app).get(`/api/complaints/${linked}`)).body.links).toEqual([{ kind: 'visit', reference: visit.reference }]);
    expect((await reconcileVisits({ id: `links-${visit.reference}-3`, graceSeconds: 1 })).counts.complaint_link_missing).toBeUndefined();
  });

  test('a visit recorded with a link to its own request for a plan (as final reports once wrote it) shows only real cases, and the reconciler removes it', async () => {
    const { body: created } = await create({ announced: false });
    const ref = created.reference;
    const stray = { kind: 'action_plan', reference: actionPlanLinkId(ref) };
    await h.models.Visit.updateOne({ _id: ref }, { $set: { links: [stray, { kind: 'action_plan', reference: 'CAP-2026-000042' }] } });
    expect((await request(app).get(`/api/visits/${ref}`)).body.links).toEqual([{ kind: 'action_plan', reference: 'CAP-2026-000042' }]);
    expect((await request(app).get('/api/visits').query({ provider: 'RJ2', pageSize: 100 })).body.items.find((v: { reference: string }) => v.reference === ref).links).toEqual([{ kind: 'action_plan', reference: 'CAP-2026-000042' }]);
    const { reconcileVisits } = reconcileActivities({ models: h.models, temporal: { client: h.env.client, taskQueue: h.taskQueue } }, visitReconcileTarget);
    const result = await reconcileVisits({ id: `stray-${ref}`, graceSeconds: 60 });
    expect(result.counts.stray_plan_link).toEqual({ found: 1, repaired: 1 });
    expect((await h.models.Reconciliation.findById(result.id).lean())!.explained.stray_plan_link).toBe(VISIT_FINDINGS.stray_plan_link);
    expect((await h.models.Visit.findById(ref).lean())!.links).toEqual([{ kind: 'action_plan', reference: 'CAP-2026-000042' }]);
    expect((await reconcileVisits({ id: `stray-${ref}-again`, graceSeconds: 60 })).counts.stray_plan_link).toBeUndefined();
  });

  test('its Schedule is created beside the complaints\' one, once', async () => {
    expect(await ensureSchedules(h.env.client, h.taskQueue)).toBe('created');
    expect(await ensureSchedules(h.env.client, h.taskQueue)).toBe('exists');
    const visits = h.env.client.schedule.getHandle(VISIT_RECONCILE_SCHEDULE_ID);
    try {
      const description = await visits.describe();
      expect(description.action).toMatchObject({ type: 'startWorkflow', workflowType: 'reconcileCasesWorkflow', workflowId: 'reconcile-visits', args: [{ process: 'visit' }] });
      expect(description.policies.overlap).toBe('BUFFER_ONE');
    } finally {
      await visits.delete();
      await h.env.client.schedule.getHandle(RECONCILE_SCHEDULE_ID).delete();
    }
  });

  test('a Schedule made before the kernel\'s reconciler is moved to it, and what it starts runs', async () => {
    await ensureSchedules(h.env.client, h.taskQueue);
    const visits = h.env.client.schedule.getHandle(VISIT_RECONCILE_SCHEDULE_ID);
    await visits.delete();
    // As the worker made it before: the visits' own workflow type, with no arguments of note.
    await h.env.client.schedule.create({
      scheduleId: VISIT_RECONCILE_SCHEDULE_ID,
      spec: { intervals: [{ every: '10 minutes' }] },
      action: { type: 'startWorkflow', workflowType: 'reconcileVisitsWorkflow', workflowId: 'reconcile-visits', taskQueue: h.taskQueue, args: [{}] },
      policies: { overlap: 'SKIP', catchupWindow: '1 minute' },
    });
    try {
      expect(await ensureSchedules(h.env.client, h.taskQueue)).toBe('moved');
      expect(await ensureSchedules(h.env.client, h.taskQueue)).toBe('exists');
      const description = await visits.describe();
      expect(description.action).toMatchObject({ workflowType: 'reconcileCasesWorkflow', workflowId: 'reconcile-visits', taskQueue: h.taskQueue, args: [{ process: 'visit' }] });
      expect(description.policies.overlap).toBe('BUFFER_ONE');
      await visits.trigger();
      const run = await eventually(async () => (await visits.describe()).info.recentActions[0]!.action.workflow);
      const result = await h.env.client.workflow.getHandle(run.workflowId, run.firstExecutionRunId).result();
      expect(run.workflowId).toMatch(/^reconcile-visits/);
      expect(result.id).toBe(`${run.workflowId}:${run.firstExecutionRunId}`);
    } finally {
      const ids = [VISIT_RECONCILE_SCHEDULE_ID, RECONCILE_SCHEDULE_ID, REVIEW_RECONCILE_SCHEDULE_ID, 'oversight-reconcile-action-plans'];
      await Promise.all(ids.map((id) => h.env.client.schedule.getHandle(id).delete()));
    }
  });
});
