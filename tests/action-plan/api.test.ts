import { actionIndexKeys } from '../../records/action-plan/lists';
import { createCqrgPackActivities } from '../../activities/action-plan/pack';
import { createApp } from '../../api/app';
import { addCalendarDays, addWorkingDays, londonDate } from '../../lib/calendar';
import { addIndexKeys } from '../../models/case-index';
import { caseWorkflowId } from '../../contracts/kernel/case';
import { eventually } from '../helpers/harness';
import { createApiHarness, type ApiHarness } from '../helpers/api-harness';
import supertest from 'supertest';
import { asCaller, tokenFor, type Caller } from '../helpers/auth';
import { decodedPayloadText } from '../helpers/history';
import { SESSION_COOKIE } from '../../web/session';

/** The action plans' API against real servers: FerretDB, the Temporal dev server and a worker. */

let h: ApiHarness;
let app: ReturnType<typeof createApp>;
const today = () => londonDate(Date.now());
const officer = { id: 'qt-7', name: 'Quinn Officer', role: 'quality_team' };
const chair = { id: 'chair-rv5', name: 'Chris Chair', role: 'cqrg_chair' };
/** Every request signed in (see tests/helpers/auth.ts): the quality team (who may also run the reconciler), or the chair. */
const signedIn = asCaller({ id: officer.id, name: officer.name, roles: ['quality_team', 'administrator'] });
const asChair = asCaller({ id: chair.id, name: chair.name, roles: ['cqrg_chair'] });
const stamp = Date.now().toString(36);
/** Signed in as `caller` from within a test (asCaller signs its token in a beforeAll). */
const asCallerNow = async (caller: Caller) => {
  const token = await tokenFor(caller);
  return (a: typeof app) => supertest.agent(a).set('Authorization', `Bearer ${token}`);
};
const workflowOf = (reference: string) => h.env.client.workflow.getHandle(caseWorkflowId('action-plan', reference));

beforeAll(async () => void ({ app } = h = await createApiHarness('action_plan_api')));
afterAll(() => h?.teardown());

const due = (workingDays: number) => addWorkingDays(today(), workingDays).due;
const body = (overrides: Record<string, unknown> = {}) => ({
  providerCode: 'RV5',
  theme: 'accessible_information_standard',
  title: 'Accessible Information Standard: flag and meet communication needs',
  source: { kind: 'cqrg_meeting', meetingOn: today() },
  chair: { id: chair.id, name: chair.name },
  actions: [
    { description: 'Flag communication needs on the PAS for every outpatient', owner: { id: 'jo-bloggs', name: 'Jo Bloggs' }, dueOn: due(30) },
    { description: 'Easy read appointment letters', owner: { id: 'sam-lee', name: 'Sam Lee' }, dueOn: due(5) },
  ],
  ...overrides,
});
const open = (overrides: Record<string, unknown> = {}) => signedIn(app).post('/api/action-plans').send(body(overrides));
const post = (reference: string, event: string, payload: object, as = signedIn) => as(app).post(`/api/action-plans/${reference}/${event}`).send(payload);
const evidence = [{ description: 'Audit: 96% of outpatient records flagged', link: 'https://docs.example/audit' }];
const noteCount = () => h.models.ActionPlanNote.countDocuments();

describe('POST /api/action-plans', () => {
  test('opens a plan: 201 with a CAP reference, its actions listed; no description or name in the workflow history', async () => {
    const res = await open();
    expect(res.status).toBe(201);
    expect(res.body.reference).toMatch(/^CAP-\d{4}-\d{6}$/);
    expect(res.headers.location).toBe(`/api/action-plans/${res.body.reference}`);
    expect(res.body).toMatchObject({ providerCode: 'RV5', status: 'in_progress', counts: { actions: 2, open: 2, complete: 0 }, nextDueOn: due(5) });
    const detail = await eventually(async () => {
      const d = await signedIn(app).get(`/api/action-plans/${res.body.reference}`);
      expect(d.body.actions).toHaveLength(2);
      // The live state is a Temporal query: a first one, as the worker warms up, may miss its deadline.
      expect(d.body.live?.actions).toHaveLength(2);
      // The opening entry is written by an activity the committed task schedules: a moment after the state.
      expect(d.body.timeline[0]).toMatchObject({ type: 'opened', actor: officer });
      return d;
    });
    expect(detail.body.actions.map((a: { n: number; rag: string; description: string }) => [a.n, a.rag, a.description])).toEqual([
      [1, 'green', 'Flag communication needs on the PAS for every outpatient'],
      [2, 'amber', 'Easy read appointment letters'],
    ]);
    expect(detail.body.actions[0].owner).toEqual({ id: 'jo-bloggs', name: 'Jo Bloggs' });
    expect(Object.keys(detail.body.deadlines)).toEqual(['action:1', 'action:2']);
    expect(detail.body.timeline[0]).toMatchObject({ type: 'opened', actor: officer });
    // Read decoded: encryption alone would hide them too.
    const history = await decodedPayloadText(workflowOf(res.body.reference));
    expect(history).toContain(res.body.reference);
    for (const secret of ['Jo Bloggs', 'Easy read', 'communication needs on the PAS', 'Chris Chair']) {
      expect(history).not.toContain(secret);
      expect(history).not.toContain(Buffer.from(secret).toString('base64').slice(0, 8));
    }
  });

  test('the same Idempotency-Key answers the same plan, with no second workflow or notes; with another body a 422', async () => {
    const key = `plan-${stamp}-1`;
    const [plans, notes] = [await h.models.ActionPlan.countDocuments(), await noteCount()];
    const first = await open().set('Idempotency-Key', key);
    const second = await open().set('Idempotency-Key', key);
    expect([first.status, second.status]).toEqual([201, 201]);
    expect(second.headers['idempotent-replayed']).toBe('true');
    expect(second.body.reference).toBe(first.body.reference);
    expect(await h.models.ActionPlan.countDocuments()).toBe(plans + 1);
    expect(await noteCount()).toBe(notes + 2);
    const other = await open({ title: 'Another' }).set('Idempotency-Key', key);
    expect(other.status).toBe(422);
    expect(await noteCount()).toBe(notes + 2);
  });

  test('400 names each bad field and why, and writes nothing; an unknown provider or complaint is a 400', async () => {
    const [plans, notes] = [await h.models.ActionPlan.countDocuments(), await noteCount()];
    const res = await open({ theme: 'parking', actions: [{ description: '', owner: { id: 'Jo Bloggs', name: 'Jo' }, dueOn: '2026-02-30' }], source: { kind: 'complaint' } });
    expect(res.status).toBe(400);
    const fields = res.body.error.details.map((d: { field: string }) => d.field);
    expect(fields).toEqual(expect.arrayContaining(['body.theme', 'body.actions.0.description', 'body.actions.0.owner.id', 'body.actions.0.dueOn', 'body.source.reference']));
    const unknown = await open({ providerCode: 'ZZZ9' });
    expect(unknown.body.error.details).toEqual([{ field: 'body.providerCode', reason: 'no active provider with ODS code ZZZ9' }]);
    const noComplaint = await open({ source: { kind: 'complaint', reference: 'CMP-2026-999999' } });
    expect(noComplaint.body.error.details).toEqual([{ field: 'body.source.reference', reason: 'no complaint CMP-2026-999999' }]);
    expect([await h.models.ActionPlan.countDocuments(), await noteCount()]).toEqual([plans, notes]);
  });

  test('a plan from a complaint is linked both ways', async () => {
    const complaint = await signedIn(app).post('/api/complaints').send({ providerCode: 'RV5', receivedAt: today(), source: 'pals', summary: 'Letters not in easy read', consentToShare: true });
    expect(complaint.status).toBe(201);
    const res = await open({ source: { kind: 'complaint', reference: complaint.body.reference } });
    expect(res.status).toBe(201);
    expect(res.body.source).toEqual({ kind: 'complaint', reference: complaint.body.reference });
    expect((await h.models.Complaint.findById(complaint.body.reference).lean())?.links).toEqual([{ kind: 'action_plan', reference: res.body.reference }]);
  });

  test("a plan from an insight visit picks up the visit's request and is linked both ways", async () => {
    // A visit whose final report made recommendations, as the visit process leaves it.
    const visit = `VIS-2026-${String(Date.now() % 1_000_000).padStart(6, '0')}`;
    await h.models.Visit.create({ _id: visit, providerCode: 'RV5', service: 'Outpatients', announced: true, plannedOn: today(), visitDate: today(), status: 'completed', workflowId: `visit:${visit}`, links: [{ kind: 'action_plan', reference: `visit:${visit}` }] });
    await h.models.ActionPlanLink.create({ _id: `visit:${visit}`, source: { kind: 'visit', reference: visit }, providerCode: 'RV5', service: 'Outpatients', requestedOn: today(), recommendations: [{ n: 1, summary: 'Easy read letters', dueOn: due(20) }] });
    const awaiting = await signedIn(app).get('/api/action-plans/requests');
    expect(awaiting.body.items).toContainEqual(expect.objectContaining({ id: `visit:${visit}`, providerCode: 'RV5', recommendations: [{ n: 1, summary: 'Easy read letters', dueOn: due(20) }] }));
    expect((await open({ source: { kind: 'insight_visit', reference: 'VIS-2026-999999' } })).body.error.details).toEqual([{ field: 'body.source.reference', reason: 'no insight visit VIS-2026-999999' }]);

    const res = await open({ source: { kind: 'insight_visit', reference: visit } });
    expect(res.status).toBe(201);
    expect((await h.models.Visit.findById(visit).lean())?.links).toEqual([{ kind: 'action_plan', reference: `visit:${visit}` }, { kind: 'action_plan', reference: res.body.reference }]);
    expect(await h.models.ActionPlanLink.findById(`visit:${visit}`).lean()).toMatchObject({ status: 'planned', actionPlanReference: res.body.reference });
    expect((await signedIn(app).get('/api/action-plans/requests')).body.items.map((r: { id: string }) => r.id)).not.toContain(`visit:${visit}`);
  });
});

describe('events', () => {
  test('add, update (its text in MongoDB only), re-date with a reason, complete with evidence, then the chair signs off', async () => {
    const { reference } = (await open()).body;
    const added = await post(reference, 'add-action', { addedOn: today(), description: 'Train reception staff in BSL basics', owner: { id: 'kim-ray', name: 'Kim Ray' }, dueOn: due(40) });
    expect(added.status).toBe(200);
    expect(added.body.actions.map((a: { n: number }) => a.n)).toEqual([1, 2, 3]);
    expect(added.body.actions[2]).toMatchObject({ description: 'Train reception staff in BSL basics', rag: 'green', owner: { name: 'Kim Ray' } });

    const text = 'PAS change request CR-2291 raised; supplier testing in January';
    const updated = await post(reference, 'update-action', { action: 1, updatedOn: today(), text });
    expect(updated.status).toBe(200);
    expect(updated.body.actions[0]).toMatchObject({ updates: 1, lastUpdate: { on: today(), text } });
    expect(updated.body.live.actions[0]).toMatchObject({ updates: 1, lastUpdate: { on: today() } });
    const decoded = await decodedPayloadText(workflowOf(reference));
    expect(decoded).toContain(reference);
    expect(decoded).not.toContain('CR-2291');
    // The timeline gives every update's text, from MongoDB, beside who recorded it.
    expect(updated.body.timeline.at(-1)).toMatchObject({ type: 'action_updated', actor: officer, data: { action: 1, notes: [{ text }] } });

    const reason = 'Supplier release moved to February';
    const redated = await post(reference, 'redate-action', { action: 1, redatedOn: today(), dueOn: due(50), reason });
    expect(redated.status).toBe(200);
    expect(redated.body.actions[0]).toMatchObject({ dueOn: due(50), redated: 1 });
    expect(redated.body.timeline.at(-1)).toMatchObject({ type: 'action_redated', actor: officer, data: { action: 1, dueOn: due(50), reason } });

    const noEvidence = await post(reference, 'complete-action', { action: 2, completedOn: today(), evidence: [] });
    expect(noEvidence.status).toBe(400);
    expect(noEvidence.body.error.details).toEqual([{ field: 'body.evidence', reason: 'an action is completed only with evidence' }]);
    for (const n of [1, 2, 3]) expect((await post(reference, 'complete-action', { action: n, completedOn: today(), evidence }).set('Idempotency-Key', `done-${stamp}-${n}`)).status).toBe(200);
    for (const n of [1, 2, 3]) expect((await post(reference, 'accept-evidence', { action: n, acceptedOn: today() }, asChair)).status).toBe(200);
    // The same request again answers the first attempt's result, and writes no second note.
    const notes = await noteCount();
    const again = await post(reference, 'complete-action', { action: 3, completedOn: today(), evidence }).set('Idempotency-Key', `done-${stamp}-3`);
    expect(again.status).toBe(200);
    expect(await noteCount()).toBe(notes);

    const detail = (await signedIn(app).get(`/api/action-plans/${reference}`)).body;
    expect(detail.status).toBe('awaiting_sign_off');
    expect(detail.actions.map((a: { rag: string }) => a.rag)).toEqual(['blue', 'blue', 'blue']);
    expect(detail.actions[1].evidence).toEqual(evidence);
    expect(detail.timeline.find((e: { type: string; data: { action?: number } }) => e.type === 'evidence_submitted' && e.data.action === 2).data.notes).toEqual([{ text: evidence[0].description, link: evidence[0].link }]);

    const byOfficer = await post(reference, 'sign-off', { signedOffOn: today() });
    expect(byOfficer.status).toBe(409);
    expect(byOfficer.body.error.message).toMatch(/only the CQRG chair \(chair-rv5\)/);
    const signed = await post(reference, 'sign-off', { signedOffOn: today(), note: 'Evidence seen at CQRG' }, asChair);
    expect(signed.status).toBe(200);
    expect(signed.body).toMatchObject({ status: 'closed', signedOffOn: today() });
    expect(signed.body.timeline.at(-1)).toMatchObject({ type: 'signed_off', actor: chair });
    await eventually(async () => expect((await workflowOf(reference).describe()).status.name).toBe('COMPLETED'));
    expect((await post(reference, 'add-action', { addedOn: today(), description: 'x', owner: { id: 'kim-ray', name: 'Kim' }, dueOn: due(5) })).status).toBe(409);
  });

  test.each([
    ['a local sign-in with a dot (npm run token)', 'sam.officer'],
    ['an Entra ID object id', '0f8fad5b-d9cb-469f-a165-70867728950e'],
    ['an e-mail-like subject in capitals', 'Sam.Officer@ICB.nhs.uk'],
  ])('a chair signed in with %s opens a plan naming themselves, owners named as their tokens name them, and signs it off', async (_kind, subject) => {
    const me = await asCallerNow({ id: subject, name: 'Sam Officer', roles: ['cqrg_chair'] });
    const opened = await me(app)
      .post('/api/action-plans')
      .send(body({ chair: { id: subject, name: 'Sam Officer' }, actions: [{ description: 'Easy read letters', owner: { id: 'Jo.Bloggs@provider.nhs.uk', name: 'Jo Bloggs' }, dueOn: due(20) }] }));
    expect(opened.status).toBe(201);
    expect(opened.body.chair).toEqual({ id: subject, name: 'Sam Officer' });
    const { reference } = opened.body;
    expect((await post(reference, 'complete-action', { action: 1, completedOn: today(), evidence }, me)).status).toBe(200);
    expect((await post(reference, 'accept-evidence', { action: 1, acceptedOn: today() }, me)).status).toBe(200);
    const signed = await post(reference, 'sign-off', { signedOffOn: today() }, me);
    expect(signed.status).toBe(200);
    expect(signed.body.status).toBe('closed');
    expect(signed.body.actions[0].owner.id).toBe('Jo.Bloggs@provider.nhs.uk');
    // Compared exactly: the same letters in another case are someone else.
    const other = await open({ chair: { id: subject.toUpperCase() === subject ? subject.toLowerCase() : subject.toUpperCase(), name: 'Sam Officer' } });
    expect((await post(other.body.reference, 'complete-action', { action: 1, completedOn: today(), evidence }, me)).status).toBe(403);
  });

  test("evidence is the chair's to accept or return: submitted, the action is outstanding (amber or red by its date, in the pack); returned with a reason, open; accepted, complete", async () => {
    const code = 'RPG';
    const { reference } = (await open({ providerCode: code, actions: [
      { description: 'Easy read letters', owner: { id: 'jo-bloggs', name: 'Jo Bloggs' }, dueOn: due(3) },
      { description: 'Flag needs on the PAS', owner: { id: 'sam-lee', name: 'Sam Lee' }, dueOn: due(40) },
    ] })).body;
    const submitted = await post(reference, 'complete-action', { action: 1, completedOn: today(), evidence });
    expect(submitted.status).toBe(200);
    expect(submitted.body.actions[0]).toMatchObject({ status: 'evidence_submitted', rag: 'amber', evidenceSubmittedOn: today(), completedOn: null, evidence });
    expect(submitted.body).toMatchObject({ status: 'in_progress', counts: { actions: 2, open: 2, complete: 0 } });
    expect(submitted.body.timeline.at(-1)).toMatchObject({ type: 'evidence_submitted', actor: officer });
    const outstanding = await signedIn(app).get(`/api/providers/${code}/actions`).query({ outstanding: 'true' });
    expect(outstanding.body.items.filter((a: { reference: string }) => a.reference === reference).map((a: { n: number; status: string; rag: string }) => [a.n, a.status, a.rag])).toEqual([[1, 'evidence_submitted', 'amber'], [2, 'open', 'green']]);

    // The pack before the next meeting counts it as outstanding, and says it awaits the chair.
    // A meeting rule whose next meeting is after the action's date and within the pack's 15 working days.
    let ahead = 4;
    while (Number(due(ahead).slice(8, 10)) > 28) ahead += 1;
    const meetingOn = due(ahead);
    const weekday = (['monday', 'tuesday', 'wednesday', 'thursday', 'friday'] as const)[new Date(`${meetingOn}T12:00:00Z`).getUTCDay() - 1];
    const pack = await createCqrgPackActivities({ models: h.models }).produceCqrgPack({ providerCode: code, meetings: { weekday, nth: Math.ceil(Number(meetingOn.slice(8, 10)) / 7) }, packWorkingDaysBefore: 15, chairId: chair.id, at: new Date().toISOString() });
    expect(pack).toMatchObject({ produced: true, meetingOn });
    const stored = await h.models.CqrgPack.findById(`${code}:${meetingOn}`).lean();
    expect(stored?.counts).toMatchObject({ outstanding: 1, amber: 1, evidenceSubmitted: 1 });
    expect(stored?.actions.map((a: { id: string; status: string }) => [a.id, a.status])).toEqual([[`${reference}:1`, 'evidence_submitted']]);

    const byOfficer = await post(reference, 'accept-evidence', { action: 1, acceptedOn: today() });
    expect(byOfficer.status).toBe(409);
    expect(byOfficer.body.error.message).toMatch(/only the CQRG chair \(chair-rv5\) accepts or returns evidence/);
    expect((await post(reference, 'return-evidence', { action: 1, returnedOn: today() }, asChair)).body.error.details).toEqual([{ field: 'body.reason', reason: expect.any(String) }]);
    const reason = 'The audit covers one ward of six';
    const returned = await post(reference, 'return-evidence', { action: 1, returnedOn: today(), reason }, asChair);
    expect(returned.status).toBe(200);
    expect(returned.body.actions[0]).toMatchObject({ status: 'open', evidence: [], evidenceSubmittedOn: null });
    expect(returned.body.timeline.at(-1)).toMatchObject({ type: 'evidence_returned', actor: chair, data: { action: 1, reason } });
    expect((await post(reference, 'accept-evidence', { action: 1, acceptedOn: today() }, asChair)).body.error.message).toMatch(/action 1 has no evidence awaiting the chair \(it is open\)/);

    expect((await post(reference, 'complete-action', { action: 1, completedOn: today(), evidence })).status).toBe(200);
    const accepted = await post(reference, 'accept-evidence', { action: 1, acceptedOn: today(), note: 'Seen at CQRG' }, asChair);
    expect(accepted.status).toBe(200);
    expect(accepted.body.actions[0]).toMatchObject({ status: 'complete', rag: 'blue', completedOn: today(), evidence });
    expect(accepted.body.counts).toEqual({ actions: 2, open: 1, complete: 1 });
    expect(accepted.body.timeline.at(-1)).toMatchObject({ type: 'evidence_accepted', actor: chair, data: { action: 1, note: 'Seen at CQRG' } });
  });

  test('409 when the state refuses an event, and its note is not kept; 404, 400 and 405 as for every case', async () => {
    const { reference } = (await open()).body;
    const notes = await noteCount();
    const refused = await post(reference, 'update-action', { action: 9, updatedOn: today(), text: 'No such action' });
    expect(refused.status).toBe(409);
    expect(refused.body.error.message).toMatch(/has no action 9/);
    expect(await noteCount()).toBe(notes);
    expect((await post(reference, 'sign-off', { signedOffOn: today() }, asChair)).body.error.message).toMatch(/still open: 1, 2/);
    expect((await post(reference, 'redate-action', { action: 1, redatedOn: today(), dueOn: addCalendarDays(today(), -1), reason: 'x' })).status).toBe(409);
    expect((await signedIn(app).get('/api/action-plans/CAP-2026-999999')).status).toBe(404);
    expect((await post('CAP-2026-999999', 'update-action', { action: 1, updatedOn: today(), text: 'x' })).status).toBe(404);
    expect(await noteCount()).toBe(notes);
    expect((await signedIn(app).get('/api/action-plans/CMP-2026-000001')).status).toBe(400);
    expect((await signedIn(app).delete('/api/action-plans/dashboard')).status).toBe(405);
  });
});

describe('evidence documents (issue 26)', () => {
  const upload = (reference: string, name: string) =>
    signedIn(app).post(`/api/action-plans/${reference}/documents`).field('kind', 'evidence').attach('file', Buffer.from(`Audit of ${name}\n`), name);

  test("completing an action names documents already uploaded to its plan, by id: another plan's is a 400 naming it; the chair's view links them; no name in the history", async () => {
    const { reference } = (await open()).body;
    const other = (await open()).body.reference;
    const mine = await upload(reference, 'flag-audit-q3.txt');
    const theirs = await upload(other, 'other-plan.txt');
    expect([mine.status, theirs.status]).toEqual([201, 201]);
    const foreign = await post(reference, 'complete-action', { action: 1, completedOn: today(), evidence, documents: [theirs.body.id] });
    expect(foreign.status).toBe(400);
    expect(foreign.body.error.details[0]).toMatchObject({ field: 'body.documents.0' });
    expect((await post(reference, 'complete-action', { action: 1, completedOn: today(), evidence, documents: ['not-an-id'] })).status).toBe(400);
    const done = await post(reference, 'complete-action', { action: 1, completedOn: today(), evidence, documents: [mine.body.id] });
    expect(done.status).toBe(200);
    expect(done.body.live.actions[0]).toMatchObject({ status: 'evidence_submitted', documents: [mine.body.id] });
    const shown = await eventually(async () => {
      const d = (await asChair(app).get(`/api/action-plans/${reference}`)).body;
      expect(d.actions[0].documents).toEqual([{ id: mine.body.id, filename: 'flag-audit-q3.txt', download: `/api/documents/${mine.body.id}` }]);
      return d;
    });
    expect(shown.actions[0].status).toBe('evidence_submitted');
    expect(await decodedPayloadText(workflowOf(reference))).not.toContain('flag-audit-q3');
    // The chair, accepting, has the document in front of them, and it stays with the action.
    expect((await post(reference, 'accept-evidence', { action: 1, acceptedOn: today() }, asChair)).status).toBe(200);
    await eventually(async () => expect((await asChair(app).get(`/api/action-plans/${reference}`)).body.actions[0]).toMatchObject({ rag: 'blue', documents: [{ id: mine.body.id }] }));
    // The plan's page links the document beside the action it is evidence of.
    const html = (await supertest(app).get(`/action-plans/${reference}`).set('Cookie', `${SESSION_COOKIE}=${await tokenFor({ id: chair.id, name: chair.name, roles: ['cqrg_chair'] })}`)).text;
    expect(html).toContain(`<a href="/documents/${mine.body.id}">flag-audit-q3.txt</a>`);
  });
});

describe("the chair's view", () => {
  const code = 'RJZ';
  let reference: string;

  beforeAll(async () => {
    const res = await open({ providerCode: code, theme: 'friends_and_family_test', actions: [
      { description: 'Amber one', owner: { id: 'jo-bloggs', name: 'Jo' }, dueOn: due(3) },
      { description: 'Green one', owner: { id: 'jo-bloggs', name: 'Jo' }, dueOn: due(30) },
      { description: 'Done one', owner: { id: 'jo-bloggs', name: 'Jo' }, dueOn: due(20) },
    ] });
    reference = res.body.reference;
    await eventually(async () => expect(await h.models.Action.countDocuments({ reference })).toBe(3));
    expect((await post(reference, 'complete-action', { action: 3, completedOn: today(), evidence })).status).toBe(200);
    expect((await post(reference, 'accept-evidence', { action: 3, acceptedOn: today() }, asChair)).status).toBe(200);
    // An action carried forward from an older plan, due last month: seeded through the real shapes.
    const old = 'CAP-2025-000001:4';
    await h.models.Action.create({ _id: old, reference: 'CAP-2025-000001', n: 4, providerCode: code, theme: 'proms', description: 'Carried forward', owner: { id: 'jo-bloggs', name: 'Jo' }, addedOn: '2025-10-01', dueOn: addCalendarDays(today(), -30), status: 'open' });
    await addIndexKeys(h.models.CaseIndex, actionIndexKeys({ id: old, providerCode: code, theme: 'proms', dueOn: addCalendarDays(today(), -30) }));
  });

  const ids = (res: { body: { items: { id: string }[] } }) => res.body.items.map((a: { id: string }) => a.id);

  test("outstanding actions by due date with today's RAG; by RAG; by theme; completed ones", async () => {
    const outstanding = await signedIn(app).get(`/api/providers/${code}/actions`).query({ outstanding: 'true' });
    expect(outstanding.status).toBe(200);
    expect(ids(outstanding)).toEqual(['CAP-2025-000001:4', `${reference}:1`, `${reference}:2`]);
    expect(outstanding.body.items.map((a: { rag: string }) => a.rag)).toEqual(['red', 'amber', 'green']);
    expect(outstanding.body.total).toBe(3);
    expect(ids(await signedIn(app).get(`/api/providers/${code}/actions`).query({ rag: 'red' }))).toEqual(['CAP-2025-000001:4']);
    expect(ids(await signedIn(app).get(`/api/providers/${code}/actions`).query({ rag: 'blue' }))).toEqual([`${reference}:3`]);
    expect(ids(await signedIn(app).get(`/api/providers/${code}/actions`).query({ theme: 'proms' }))).toEqual(['CAP-2025-000001:4']);
    expect(ids(await signedIn(app).get(`/api/providers/${code}/actions`))).toEqual(['CAP-2025-000001:4', `${reference}:1`, `${reference}:2`, `${reference}:3`]);
    expect(ids(await signedIn(app).get(`/api/providers/${code}/actions`).query({ pageSize: 2, page: 2 }))).toEqual([`${reference}:2`, `${reference}:3`]);
    expect((await signedIn(app).get(`/api/providers/${code}/actions`).query({ outstanding: 'true', rag: 'blue' })).status).toBe(400);
    expect((await signedIn(app).get('/api/providers/ZZZ9/actions')).status).toBe(404);
  });

  test('the dashboard counts by RAG and theme, per provider and for all', async () => {
    const one = await signedIn(app).get(`/api/providers/${code}/actions/dashboard`);
    expect(one.status).toBe(200);
    expect(one.body.total).toEqual({ red: 1, amber: 1, green: 1, blue: 1 });
    expect(one.body.byTheme.friends_and_family_test).toEqual({ red: 0, amber: 1, green: 1, blue: 1 });
    expect(one.body.byTheme.proms).toEqual({ red: 1, amber: 0, green: 0, blue: 0 });
    const all = await signedIn(app).get('/api/action-plans/dashboard');
    expect(all.body.providers.map((p: { providerCode: string }) => p.providerCode)).toEqual(['RJ1', 'RJ2', 'RJZ', 'RPG', 'RV5']);
    expect(all.body.providers.find((p: { providerCode: string }) => p.providerCode === code).total).toEqual(one.body.total);
    const list = await signedIn(app).get('/api/action-plans').query({ provider: code, status: 'open' });
    expect(list.body.items.map((p: { reference: string }) => p.reference)).toEqual([reference]);
  });
});

describe('CQRG Schedules and packs', () => {
  const code = 'RJ1';
  /** A rule whose next meeting is within 15 working days, so that its pack is due today. */
  function dueRule() {
    for (let ahead = 1; ; ahead++) {
      const day = addWorkingDays(today(), ahead).due;
      const dom = Number(day.slice(8, 10));
      if (dom > 28) continue;
      const weekday = (['monday', 'tuesday', 'wednesday', 'thursday', 'friday'] as const)[new Date(`${day}T12:00:00Z`).getUTCDay() - 1];
      return { weekday, nth: Math.ceil(dom / 7) };
    }
  }

  afterAll(async () => {
    await h.env.client.schedule.getHandle(`cqrg-pack-${code}`).delete().catch(() => undefined);
  });

  test('created, described, changed, paused, listed; a run the Schedule starts stores the pack and notifies the chair', async () => {
    expect((await signedIn(app).get(`/api/providers/${code}/cqrg-schedule`)).status).toBe(404);
    const created = await signedIn(app).put(`/api/providers/${code}/cqrg-schedule`).send({ meetings: { weekday: 'tuesday', nth: 2 }, chair: 'chair-rj1' });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ providerCode: code, paused: false, packWorkingDaysBefore: 5, chair: 'chair-rj1', meetings: { weekday: 'tuesday', nth: 2 } });
    expect(created.body.nextPackOn).toBe(addWorkingDays(created.body.nextPackOn, 0).due);
    expect(addWorkingDays(created.body.nextPackOn, 5).due).toBe(created.body.nextMeetingOn);
    // Every weekday at 09:00 London.
    for (const run of created.body.nextRuns) {
      expect(new Date(run).toLocaleString('en-GB', { timeZone: 'Europe/London', hour: '2-digit', minute: '2-digit' })).toBe('09:00');
      expect([1, 2, 3, 4, 5]).toContain(new Date(run).getUTCDay());
    }

    const changed = await signedIn(app).put(`/api/providers/${code}/cqrg-schedule`).send({ meetings: dueRule(), packWorkingDaysBefore: 15, chair: 'chair-rj1b' });
    expect(changed.status).toBe(200);
    expect(changed.body).toMatchObject({ chair: 'chair-rj1b', packWorkingDaysBefore: 15 });
    expect(changed.body.nextPackOn <= today()).toBe(true);

    const paused = await signedIn(app).post(`/api/providers/${code}/cqrg-schedule/pause`).send({ note: 'Meetings stood down over Christmas' });
    expect(paused.body).toMatchObject({ paused: true, note: 'Meetings stood down over Christmas' });
    expect((await signedIn(app).post(`/api/providers/${code}/cqrg-schedule/unpause`).send({})).body.paused).toBe(false);
    const listed = await signedIn(app).get('/api/cqrg-schedules');
    expect(listed.body.items.map((s: { providerCode: string }) => s.providerCode)).toEqual([code]);

    // An outstanding action, then the Schedule's action run now (as at 09:00 on a working day).
    const plan = (await open({ providerCode: code, chair: { id: 'chair-rj1b', name: 'Chris' } })).body.reference;
    await eventually(async () => expect(await h.models.Action.countDocuments({ reference: plan })).toBe(2));
    await h.env.client.schedule.getHandle(`cqrg-pack-${code}`).trigger();
    const meetingOn = changed.body.nextMeetingOn;
    const pack = await eventually(async () => {
      const res = await signedIn(app).get(`/api/providers/${code}/cqrg-packs/${meetingOn}`);
      expect(res.status).toBe(200);
      return res.body;
    }, 30_000);
    expect(pack).toMatchObject({ providerCode: code, meetingOn, producedOn: today(), chairId: 'chair-rj1b' });
    const inPack = pack.actions.map((a: { id: string }) => a.id);
    for (const a of (await signedIn(app).get(`/api/providers/${code}/actions`).query({ outstanding: 'true' })).body.items) {
      expect(inPack.includes(a.id)).toBe(a.dueOn <= meetingOn);
    }
    expect(await h.models.Notification.findById(`cqrg-pack:${code}:${meetingOn}`).lean()).toMatchObject({ audience: 'cqrg_chair', kind: 'pack' });
    // The link in the chair's email: the pack by its key.
    expect((await signedIn(app).get(`/api/cqrg-packs/${encodeURIComponent(`${code}:${meetingOn}`)}`)).body).toEqual(pack);
    expect((await signedIn(app).get(`/api/providers/${code}/cqrg-packs`)).body.items.map((p: { meetingOn: string }) => p.meetingOn)).toEqual([meetingOn]);
    expect((await signedIn(app).put(`/api/providers/${code}/cqrg-schedule`).send({ meetings: { weekday: 'sunday', nth: 5 } })).status).toBe(400);
    expect((await signedIn(app).get('/api/providers/ZZZ9/cqrg-schedule')).status).toBe(404);
  });
});

describe('the reconciler', () => {
  test("starts a plan's missing workflow from the input its record keeps, and writes a projection behind forward, its actions' records too", async () => {
    // A record whose workflow was never started (the API died between the two), an hour old.
    const orphan = `CAP-2016-${String(Date.now() % 1_000_000).padStart(6, '0')}`;
    await h.models.ActionPlanNote.create({ _id: `note:orphan${stamp}`, kind: 'action', text: 'Orphaned action', ownerName: 'Jo', createdAt: new Date() });
    const input = { reference: orphan, providerCode: 'RV5', theme: 'wres', source: { kind: 'cqrg_meeting', meetingOn: today() }, chairId: chair.id, openedOn: today(), actions: [{ ownerId: 'jo-bloggs', dueOn: due(20), note: `note:orphan${stamp}` }] };
    await h.models.ActionPlan.create({
      _id: orphan, providerCode: 'RV5', theme: 'wres', title: 'WRES', source: input.source, chair: { id: chair.id, name: chair.name }, openedOn: today(), status: 'in_progress',
      workflowId: caseWorkflowId('action-plan', orphan), workflowInput: input, createdAt: new Date(Date.now() - 3_600_000),
    });
    const behind = (await open()).body.reference;
    await eventually(async () => expect((await h.models.ActionPlan.findById(behind).lean())?.projectionVersion).toBeGreaterThan(0));
    await eventually(async () => expect(await h.models.Action.countDocuments({ reference: behind })).toBe(2));
    await h.models.ActionPlan.updateOne({ _id: behind }, { $set: { projectionVersion: 0, status: 'nonsense' } }, { timestamps: false });
    await h.models.Action.updateOne({ _id: `${behind}:1` }, { $set: { projectionVersion: 0, dueOn: '2016-01-01', status: 'nonsense' } });

    const started = await signedIn(app).post('/api/admin/reconciliation').send({ process: 'action-plan', graceSeconds: 0 });
    expect(started.status).toBe(202);
    expect(started.body.workflowId).toBe('reconcile-action-plans-now');
    const result = await h.env.client.workflow.getHandle(started.body.workflowId, started.body.runId).result();
    expect(result.counts).toMatchObject({ record_without_workflow: { found: 1, repaired: 1 }, projection_behind: { found: 1, repaired: 1 } });
    expect((await workflowOf(orphan).describe()).status.name).toBe('RUNNING');
    expect((await h.models.ActionPlan.findById(behind).lean())?.status).toBe('in_progress');
    expect(await h.models.Action.findById(`${behind}:1`).lean()).toMatchObject({ dueOn: due(30), status: 'open' });
    await eventually(async () => expect((await h.models.Action.findById(`${orphan}:1`).lean())?.description).toBe('Orphaned action'));
  });
});

describe('OpenAPI and Temporal away', () => {
  test('the document lists the action plan, provider and schedule routes', async () => {
    const doc = await signedIn(app).get('/api/openapi.json');
    expect(Object.keys(doc.body.paths)).toEqual(
      expect.arrayContaining([
        '/api/action-plans',
        '/api/action-plans/dashboard',
        '/api/action-plans/{reference}',
        ...['add-action', 'redate-action', 'update-action', 'complete-action', 'accept-evidence', 'return-evidence', 'sign-off'].map((e) => `/api/action-plans/{reference}/${e}`),
        '/api/providers/{code}/actions',
        '/api/providers/{code}/actions/dashboard',
        '/api/providers/{code}/cqrg-schedule',
        '/api/providers/{code}/cqrg-schedule/pause',
        '/api/providers/{code}/cqrg-packs/{meetingOn}',
        '/api/cqrg-schedules',
      ]),
    );
    expect(Object.keys(doc.body.paths['/api/providers/{code}/cqrg-schedule'])).toEqual(['get', 'put']);
  });

  test('503 when Temporal is unreachable, and nothing is left behind: no plan, no notes, no list entries, no key', async () => {
    const { app: offline, close } = await h.offlineApp({ retries: false });
    const counts = () => Promise.all([h.models.ActionPlan.countDocuments(), noteCount(), h.models.CaseIndex.countDocuments({ _id: { $gte: 'action-plan|', $lt: 'action-plan|~' } })]);
    const before = await counts();
    const res = await signedIn(offline).post('/api/action-plans').set('Idempotency-Key', `offline-${stamp}`).send(body());
    expect(res.status).toBe(503);
    expect(res.body.error.code).toBe('temporal_unavailable');
    expect(await counts()).toEqual(before);
    expect(await h.models.IdempotencyKey.countDocuments({ _id: `action-plans:offline-${stamp}` })).toBe(0);
    expect((await signedIn(offline).get(`/api/providers/RJ1/cqrg-schedule`)).status).toBe(503);
    await close();
  });
});
