import { addWorkingDays, londonDate, subtractWorkingDays } from '../../lib/calendar';
import { caseWorkflowId } from '../../contracts/kernel/case';
import { hashOf } from '../../records/kernel/claim';
import { eventually } from '../helpers/harness';
import { createApiHarness, type ApiHarness } from '../helpers/api-harness';
import { asCaller } from '../helpers/auth';

/** The CQRG meetings' API against real servers: the reporting plan, reports received, the meeting's record and its decisions. */

let h: ApiHarness;
let app: ApiHarness['app'];
const today = () => londonDate(Date.now());
const chair = { id: 'chair-rj1', name: 'Chris Chair', role: 'cqrg_chair' };
const asChair = asCaller({ id: chair.id, name: chair.name, roles: ['cqrg_chair'] });
const asAdmin = asCaller({ id: 'admin-1', name: 'Ada Admin', roles: ['administrator'] });
const asAuditor = asCaller({ id: 'aud-1', name: 'Ann Auditor', roles: ['auditor'] });
const CODE = 'RJ1';
const meetingOn = () => addWorkingDays(today(), 25).due;
const laterMeeting = () => addWorkingDays(today(), 45).due;

beforeAll(async () => void ({ app } = h = await createApiHarness('cqrg_meeting_api')));
afterAll(() => h?.teardown());

const plan = () => ({
  meetings: [meetingOn(), laterMeeting()],
  reports: [
    { theme: 'friends_and_family_test', frequency: 'each_meeting' },
    { theme: 'complaints_and_compliments', frequency: 'each_meeting', workingDaysBefore: 5 },
    { theme: 'wres', frequency: 'yearly', month: Number(meetingOn().slice(5, 7)) },
  ],
});
const pdf = Buffer.concat([Buffer.from('%PDF-1.7\n1 0 obj\n<<>>\nendobj\n', 'latin1'), Buffer.alloc(2000, 0x20), Buffer.from('\n%%EOF\n')]);

/** The plan put opens the next meeting by itself: opened by hand after, the same case answers (200). */
async function openMeeting(code = CODE) {
  const put = await asChair(app).put(`/api/providers/${code}/reporting-plan`).send(plan());
  const opened = put.body.meetings[0].reference;
  expect(opened).toMatch(/^CQM-\d{4}-\d{6}$/);
  const res = await asChair(app).post('/api/cqrg-meetings').send({ providerCode: code, meetingOn: meetingOn() });
  expect(res.status).toBe(200);
  expect(res.headers['idempotent-replayed']).toBe('true');
  expect(res.body.reference).toBe(opened);
  await eventually(async () => expect((await asChair(app).get(`/api/cqrg-meetings/${res.body.reference}`)).body.reports[0].dueOn).toBeTruthy());
  return res.body.reference as string;
}

describe('the reporting plan', () => {
  test('set by the chair: each meeting with the reports due for it (yearly only at the first meeting of its month); a bad line is a 400 naming it; an unknown provider 404', async () => {
    const res = await asChair(app).put(`/api/providers/${CODE}/reporting-plan`).send(plan());
    expect(res.status).toBe(201);
    expect(res.body.meetings[0]).toEqual({ meetingOn: meetingOn(), reference: expect.stringMatching(/^CQM-/), opensOn: expect.any(String), reports: [
      { theme: 'friends_and_family_test', workingDaysBefore: 10 },
      { theme: 'complaints_and_compliments', workingDaysBefore: 5 },
      { theme: 'wres', workingDaysBefore: 10 },
    ] });
    // The later meeting opens by itself a fortnight of working days before its first report's first reminder (10 + 5 + 10 before it).
    expect(res.body.meetings[1]).toMatchObject({ reference: null, opensOn: subtractWorkingDays(laterMeeting(), 25) });
    expect((await asChair(app).put(`/api/providers/${CODE}/reporting-plan`).send(plan())).status).toBe(200);
    expect(res.body.meetings[1].reports.map((r: { theme: string }) => r.theme)).not.toContain('wres');
    const bad = await asChair(app).put(`/api/providers/${CODE}/reporting-plan`).send({ ...plan(), reports: [{ theme: 'wres', frequency: 'yearly' }] });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details).toContainEqual(expect.objectContaining({ field: 'body.reports.0.month' }));
    expect((await asChair(app).put('/api/providers/ZZZ9/reporting-plan').send(plan())).status).toBe(404);
    // An auditor reads it but may not change it.
    expect((await asAuditor(app).get(`/api/providers/${CODE}/reporting-plan`)).status).toBe(200);
    expect((await asAuditor(app).put(`/api/providers/${CODE}/reporting-plan`).send(plan())).status).toBe(403);
  });
});

describe('a meeting and its reports', () => {
  test('opened once per provider and date, its reports deadlines; a date not on the cycle is a 400', async () => {
    const reference = await openMeeting();
    const again = await asChair(app).post('/api/cqrg-meetings').send({ providerCode: CODE, meetingOn: meetingOn() });
    expect(again.status).toBe(200);
    expect(again.body.reference).toBe(reference);
    const off = await asChair(app).post('/api/cqrg-meetings').send({ providerCode: CODE, meetingOn: addWorkingDays(today(), 26).due });
    expect(off.status).toBe(400);
    expect(off.body.error.details[0].field).toBe('body.meetingOn');
    const detail = (await asChair(app).get(`/api/cqrg-meetings/${reference}`)).body;
    expect(Object.keys(detail.deadlines).sort()).toEqual(['report:complaints_and_compliments', 'report:friends_and_family_test', 'report:wres']);
    expect(detail.reports.map((r: { status: string }) => r.status)).toEqual(['due', 'due', 'due']);
  });

  test('a report received with its document and headline figures; a figure of another theme or a document not of the meeting is a 400', async () => {
    const reference = await openMeeting();
    const upload = await asChair(app).post(`/api/cqrg-meetings/${reference}/documents`).field('kind', 'provider_report').attach('file', pdf, 'fft.pdf');
    expect(upload.status).toBe(201);
    const wrongFigure = await asChair(app).post(`/api/cqrg-meetings/${reference}/receive-report`).send({ theme: 'friends_and_family_test', receivedOn: today(), documents: [upload.body.id], figures: { compliments: 3 } });
    expect(wrongFigure.status).toBe(400);
    expect(wrongFigure.body.error.details[0].field).toBe('body.figures.compliments');
    const notOurs = await asChair(app).post(`/api/cqrg-meetings/${reference}/receive-report`).send({ theme: 'friends_and_family_test', receivedOn: today(), documents: ['b'.repeat(24)] });
    expect(notOurs.status).toBe(400);
    expect(notOurs.body.error.details[0].field).toBe('body.documents.0');
    const res = await asChair(app).post(`/api/cqrg-meetings/${reference}/receive-report`).send({ theme: 'friends_and_family_test', receivedOn: today(), documents: [upload.body.id], figures: { fftRecommendPercent: 93.5, fftResponses: 1840 } });
    expect(res.status).toBe(200);
    expect(res.body.reports[0]).toMatchObject({ theme: 'friends_and_family_test', status: 'received', receivedLate: false, documents: [upload.body.id], figures: { fftRecommendPercent: 93.5, fftResponses: 1840 } });
    const twice = await asChair(app).post(`/api/cqrg-meetings/${reference}/receive-report`).send({ theme: 'friends_and_family_test', receivedOn: today(), documents: [upload.body.id] });
    expect(twice.status).toBe(409);

    // The meeting's pack reads the same record: the reports due, the FFT received and its figures.
    const pack = (await asChair(app).get(`/api/providers/${CODE}/pack?meeting=${meetingOn()}`)).body;
    expect(pack.meetingRecord).toBe(true);
    expect(pack.reportsDue.find((r: { theme: string }) => r.theme === 'friends_and_family_test')).toMatchObject({ status: 'received', receivedOn: today() });
    expect(pack.reportsDue.find((r: { theme: string }) => r.theme === 'complaints_and_compliments')).toMatchObject({ status: 'due' });
    expect(pack.charts.fft).toEqual([{ month: meetingOn().slice(0, 7), percentRecommend: 93.5, responses: 1840 }]);
  });
});

describe("the meeting's record", () => {
  test('decisions open, close and re-date actions, open a plan, request a visit and escalate, each once when the record is sent twice at once; minutes kept as a document', async () => {
    const reference = await openMeeting('RJZ');
    const due = (n: number) => addWorkingDays(today(), n).due;
    const created = await asChair(app).post('/api/action-plans').send({
      providerCode: 'RJZ', theme: 'friends_and_family_test', title: 'FFT response rates', source: { kind: 'cqrg_meeting', meetingOn: today() }, chair: { id: chair.id, name: chair.name },
      actions: [
        { description: 'Text-message FFT in outpatients', owner: { id: 'jo-bloggs', name: 'Jo Bloggs' }, dueOn: due(15) },
        { description: 'FFT cards in maternity', owner: { id: 'sam-lee', name: 'Sam Lee' }, dueOn: due(20) },
      ],
    });
    expect(created.status).toBe(201);
    const cap = created.body.reference as string;
    await eventually(async () => expect((await asChair(app).get(`/api/action-plans/${cap}`)).body.state?.actions).toHaveLength(2));
    const evidence = await asChair(app).post(`/api/action-plans/${cap}/complete-action`).send({ action: 1, completedOn: today(), evidence: [{ description: 'Audit: live in all clinics' }] });
    expect(evidence.status).toBe(200);

    const record = {
      heldOn: today(),
      attendance: [{ role: 'cqrg_chair', count: 1 }, { role: 'provider_representative', count: 2 }, { role: 'lay_member', count: 1 }],
      items: [{ title: 'Friends and Family Test', discussion: 'Response rate up; maternity still low.' }],
      decisions: [
        { kind: 'open_action', plan: cap, summary: 'Volunteers to collect FFT on the postnatal ward', owner: { id: 'sam-lee', name: 'Sam Lee' }, dueOn: due(30) },
        { kind: 'accept_evidence', plan: cap, action: 1, summary: 'Audit shows it live in every clinic' },
        { kind: 'redate_action', plan: cap, action: 2, dueOn: due(40), summary: 'Cards delayed by the printer' },
        { kind: 'open_action', planTheme: 'complaints_and_compliments', planTitle: 'Complaint response times', summary: 'Weekly review of open complaints', owner: { id: 'jo-bloggs', name: 'Jo Bloggs' }, dueOn: due(20) },
        { kind: 'request_visit', service: 'Maternity', summary: 'FFT and complaints suggest the postnatal ward is struggling' },
        { kind: 'escalate_to_committee', summary: 'Maternity staffing below establishment for three months' },
      ],
    };
    const [a, b] = await Promise.all([0, 1].map(() => asChair(app).post(`/api/cqrg-meetings/${reference}/record`).send(record)));
    expect([a.status, b.status]).toEqual([200, 200]);
    const meeting = (await asChair(app).get(`/api/cqrg-meetings/${reference}`)).body;
    expect(meeting.status).toBe('recorded');
    expect(meeting.decisions.map((d: { outcome: { status: string } }) => d.outcome.status)).toEqual(['applied', 'applied', 'applied', 'applied', 'applied', 'applied']);
    expect(meeting.decisions[0].outcome).toEqual({ status: 'applied', reference: cap, action: 3 });
    expect(meeting.reports.every((r: { status: string }) => r.status === 'missing')).toBe(true);

    const plan = (await asChair(app).get(`/api/action-plans/${cap}`)).body;
    expect(plan.actions.map((x: { n: number; status: string; dueOn: string }) => [x.n, x.status, x.dueOn])).toEqual([[1, 'complete', due(15)], [2, 'open', due(40)], [3, 'open', due(30)]]);
    const types = plan.timeline.map((e: { type: string }) => e.type);
    expect(types.filter((t: string) => t === 'action_added')).toHaveLength(1);
    expect(types.filter((t: string) => t === 'evidence_accepted')).toHaveLength(1);
    expect(types.filter((t: string) => t === 'action_redated')).toHaveLength(1);
    const newPlans = (await asChair(app).get(`/api/action-plans?provider=RJZ`)).body.items.filter((p: { title: string }) => p.title === 'Complaint response times');
    expect(newPlans).toHaveLength(1);
    expect(meeting.decisions[3].outcome.reference).toBe(newPlans[0].reference);

    const visits = (await asChair(app).get('/api/cqrg-meetings/visit-requests')).body.items.filter((r: { meeting: string }) => r.meeting === reference);
    expect(visits).toMatchObject([{ kind: 'visit', providerCode: 'RJZ', service: 'Maternity', decision: 5 }]);
    const escalations = (await asChair(app).get('/api/cqrg-meetings/escalations')).body.items.filter((r: { meeting: string }) => r.meeting === reference);
    expect(escalations).toHaveLength(1);
    await eventually(async () => expect(await h.models.Notification.countDocuments({ reference, audience: 'quality_lead' })).toBe(1));

    expect(meeting.minutes).toMatch(/^[a-f0-9]{24}$/);
    const minutes = await asChair(app).get(`/api/documents/${meeting.minutes}`);
    expect(minutes.status).toBe(200);
    expect(minutes.text).toContain('Escalated to the commissioner');
    expect((await asChair(app).get(`/api/cqrg-meetings/${reference}/documents`)).body.documents.filter((d: { kind: string }) => d.kind === 'minutes')).toHaveLength(1);

    // The chair's cycle: this meeting is the last, with its decisions.
    const cycle = (await asChair(app).get(`/api/providers/RJZ/cqrg-meetings`)).body;
    expect(cycle.last.reference).toBe(reference);
    expect(cycle.last.decisions).toHaveLength(6);
    // The next meeting's pack: this meeting's decisions, with what became of each.
    const pack = (await asChair(app).get(`/api/providers/RJZ/pack?meeting=${laterMeeting()}`)).body;
    expect(pack.lastMeetingOn).toBe(meetingOn());
    expect(pack.decisions.slice(0, 4).map((d: { kind: string; outcome: string }) => [d.kind, d.outcome])).toEqual([
      ['open_action', `Applied: ${cap}, action 3`],
      ['accept_evidence', `Applied: ${cap}, action 1`],
      ['redate_action', `Applied: ${cap}, action 2`],
      ['open_action', `Applied: ${newPlans[0].reference}, action 1`],
    ]);
    // Recorded, the meeting takes no report, and its workflow has ended.
    expect((await h.env.client.workflow.getHandle(caseWorkflowId('cqrg-meeting', reference)).describe()).status.name).toBe('COMPLETED');
  });

  test('a decision naming a plan of another provider, or a new plan without a valid theme, is a 400 and nothing is recorded', async () => {
    const reference = await openMeeting('RPG');
    const bad = await asChair(app).post(`/api/cqrg-meetings/${reference}/record`).send({
      heldOn: today(), attendance: [{ role: 'cqrg_chair', count: 1 }], items: [],
      decisions: [{ kind: 'open_action', planTheme: 'nonsense', planTitle: 'X', summary: 'Y', owner: { id: 'a', name: 'A' }, dueOn: today() }],
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details[0].field).toBe('body.decisions.0.planTheme');
    const missing = await asChair(app).post(`/api/cqrg-meetings/${reference}/record`).send({ heldOn: today(), attendance: [], items: [], decisions: [{ kind: 'redate_action', summary: 'later' }] });
    expect(missing.status).toBe(400);
    expect(missing.body.error.details.map((d: { field: string }) => d.field)).toEqual(expect.arrayContaining(['body.attendance', 'body.decisions.0.plan', 'body.decisions.0.action', 'body.decisions.0.dueOn']));
    expect((await asChair(app).get(`/api/cqrg-meetings/${reference}`)).body.status).toBe('scheduled');
  });
});

describe('meetings opened from the plan', () => {
  const near = () => addWorkingDays(today(), 12).due;
  const soon = () => addWorkingDays(today(), 20).due;
  const far = () => addWorkingDays(today(), 60).due;
  const cycle = () => ({ meetings: [far(), soon(), near()], reports: [{ theme: 'friends_and_family_test', frequency: 'each_meeting' }, { theme: 'proms', frequency: 'quarterly', workingDaysBefore: 15 }] });

  test('putting the plan opens the next meeting and those whose reports draw near, with their deadlines; put twice at once, then again, each is opened once; by hand, the same case answers', async () => {
    const code = 'RXP';
    await h.models.Provider.create({ _id: code, name: 'Plan Test NHS Trust', kind: 'acute' });
    const [a, b] = await Promise.all([0, 1].map(() => asChair(app).put(`/api/providers/${code}/reporting-plan`).send(cycle())));
    expect([a.status, b.status].sort()).toEqual([200, 201]);
    const opened = refs(a.body);
    expect(refs(b.body)).toEqual(opened);
    // The next meeting, and the one 20 working days out (its FFT report's first reminder is 15 before it): not the one 60 out.
    expect(opened[near()]).toMatch(/^CQM-/);
    expect(opened[soon()]).toMatch(/^CQM-/);
    expect(opened[soon()]).not.toBe(opened[near()]);
    expect(opened[far()]).toBeNull();
    const again = await asChair(app).put(`/api/providers/${code}/reporting-plan`).send(cycle());
    expect(again.status).toBe(200);
    expect(refs(again.body)).toEqual(opened);
    expect(await h.models.CqrgMeeting.countDocuments({ providerCode: code })).toBe(2);

    // Its reports are deadlines of the kernel, chased without anyone opening the meeting.
    await eventually(async () => {
      const d = (await asChair(app).get(`/api/cqrg-meetings/${opened[near()]}`)).body;
      expect(Object.keys(d.deadlines).sort()).toEqual(['report:friends_and_family_test', 'report:proms']);
      expect(d.reports.map((r: { theme: string; dueOn: string }) => [r.theme, r.dueOn])).toEqual([
        ['friends_and_family_test', subtractWorkingDays(near(), 10)],
        ['proms', today()], // 15 working days before a meeting 12 away: never before the day it opened
      ]);
    });
    const soonDetail = await eventually(async () => {
      const d = (await asChair(app).get(`/api/cqrg-meetings/${opened[soon()]}`)).body;
      expect(d.reports[0].dueOn).toBeTruthy();
      return d;
    });
    // PROMs is quarterly: owed at the first meeting of the quarter only.
    expect(soonDetail.reports.map((r: { theme: string }) => r.theme)).toEqual(sameQuarter(near(), soon()) ? ['friends_and_family_test'] : ['friends_and_family_test', 'proms']);

    // By hand, the meeting already open answers (200), twice at once too; a date not open yet opens (201).
    const byHand = await Promise.all([0, 1].map(() => asChair(app).post('/api/cqrg-meetings').send({ providerCode: code, meetingOn: near() })));
    expect(byHand.map((r) => [r.status, r.body.reference])).toEqual([[200, opened[near()]], [200, opened[near()]]]);
    // The plan put again as the same meeting is opened by hand: still the one case.
    const [put, post] = await Promise.all([asChair(app).put(`/api/providers/${code}/reporting-plan`).send(cycle()), asChair(app).post('/api/cqrg-meetings').send({ providerCode: code, meetingOn: soon() })]);
    expect([put.status, post.status, post.body.reference]).toEqual([200, 200, opened[soon()]]);
    const farOpened = await asChair(app).post('/api/cqrg-meetings').send({ providerCode: code, meetingOn: far() });
    expect(farOpened.status).toBe(201);
    expect(refs((await asChair(app).get(`/api/providers/${code}/reporting-plan`)).body)[far()]).toBe(farOpened.body.reference);
    expect(await h.models.CqrgMeeting.countDocuments({ providerCode: code })).toBe(3);
  });
});

/** Each meeting of a plan's view, and its case (null until opened). */
const refs = (body: { meetings: { meetingOn: string; reference: string | null }[] }) => Object.fromEntries(body.meetings.map((m) => [m.meetingOn, m.reference]));
const sameQuarter = (x: string, y: string) => x.slice(0, 4) === y.slice(0, 4) && Math.floor((Number(x.slice(5, 7)) - 1) / 3) === Math.floor((Number(y.slice(5, 7)) - 1) / 3);

describe('the reconciler', () => {
  test('its run opens the meeting a plan should have open and does not, once', async () => {
    const code = 'RXR';
    const next = addWorkingDays(today(), 15).due;
    await h.models.Provider.create({ _id: code, name: 'Reconciler Test NHS Trust', kind: 'acute' });
    // A plan put before meetings opened from it (written straight to the database): none is open.
    await h.models.ReportingPlan.create({ _id: code, meetings: [next, addWorkingDays(today(), 80).due], reports: [{ theme: 'wres', frequency: 'each_meeting' }] });
    expect(await h.models.CqrgMeeting.countDocuments({ providerCode: code })).toBe(0);
    // As its Schedule runs it (scope changes).
    const run = async () => {
      const started = await asAdmin(app).post('/api/admin/reconciliation').send({ process: 'cqrg-meeting', graceSeconds: 0, scope: 'changes' });
      expect(started.status).toBe(202);
      return h.env.client.workflow.getHandle(started.body.workflowId, started.body.runId).result();
    };
    const first = await run();
    expect(first.counts).toMatchObject({ meeting_not_opened: { found: 1, repaired: 1 } });
    const reference = refs((await asChair(app).get(`/api/providers/${code}/reporting-plan`)).body)[next];
    expect(reference).toMatch(/^CQM-/);
    const detail = await eventually(async () => {
      const d = (await asChair(app).get(`/api/cqrg-meetings/${reference}`)).body;
      expect(Object.keys(d.deadlines)).toEqual(['report:wres']);
      expect(d.reports[0]).toMatchObject({ theme: 'wres', dueOn: subtractWorkingDays(next, 10), status: 'due' });
      return d;
    });
    expect(detail.timeline[0].actor).toBeUndefined();
    // Run again, and by hand: the same meeting, never a second.
    expect((await run()).counts.meeting_not_opened).toBeUndefined();
    const byHand = await asChair(app).post('/api/cqrg-meetings').send({ providerCode: code, meetingOn: next });
    expect([byHand.status, byHand.body.reference]).toEqual([200, reference]);
    expect(await h.models.CqrgMeeting.countDocuments({ providerCode: code })).toBe(1);
  });

  test('an opening that died between its key and its case is taken over once the key is stale; one under way is left to finish', async () => {
    const code = 'RXS';
    const next = addWorkingDays(today(), 15).due;
    await h.models.Provider.create({ _id: code, name: 'Stale Key Test NHS Trust', kind: 'acute' });
    await h.models.ReportingPlan.create({ _id: code, meetings: [next], reports: [{ theme: 'eds2', frequency: 'each_meeting' }] });
    const row = { _id: `cqrg-meetings:cqrg-meeting:${code}:${next}`, requestHash: hashOf({ body: { providerCode: code, meetingOn: next }, by: 'cqrg-meeting-cycle' }), reference: 'CQM-2000-999999' };
    const run = async () => {
      const started = await asAdmin(app).post('/api/admin/reconciliation').send({ process: 'cqrg-meeting', graceSeconds: 0 });
      return (await h.env.client.workflow.getHandle(started.body.workflowId, started.body.runId).result()).counts;
    };
    // Written a moment ago: another opening holds it, and is left to it.
    await h.models.IdempotencyKey.create({ ...row, createdAt: new Date() });
    expect((await run()).meeting_not_opened).toBeUndefined();
    expect(await h.models.CqrgMeeting.countDocuments({ providerCode: code })).toBe(0);
    // Ten minutes old and naming no case: its opening died; the reconciler opens the meeting.
    await h.models.IdempotencyKey.updateOne({ _id: row._id }, { $set: { createdAt: new Date(Date.now() - 10 * 60_000) } });
    expect((await run()).meeting_not_opened).toEqual({ found: 1, repaired: 1 });
    const [meeting] = await h.models.CqrgMeeting.find({ providerCode: code }).lean();
    expect(meeting.meetingOn).toBe(next);
    expect((await h.models.IdempotencyKey.findById(row._id).lean())?.reference).toBe(meeting._id);
    const byHand = await asChair(app).post('/api/cqrg-meetings').send({ providerCode: code, meetingOn: next });
    expect([byHand.status, byHand.body.reference]).toEqual([200, meeting._id]);
  });

  test('an administrator runs it over the meetings: a projection behind its workflow is written forward', async () => {
    const behind = await openMeeting('RV5');
    await eventually(async () => expect((await h.models.CqrgMeeting.findById(behind).lean())?.projectionVersion).toBeGreaterThanOrEqual(1));
    await h.models.CqrgMeeting.updateOne({ _id: behind }, { $set: { projectionVersion: 0, reports: [] } });
    const started = await asAdmin(app).post('/api/admin/reconciliation').send({ process: 'cqrg-meeting', graceSeconds: 0 });
    expect(started.status).toBe(202);
    expect(started.body.workflowId).toBe('reconcile-cqrg-meetings-now');
    const result = await h.env.client.workflow.getHandle(started.body.workflowId, started.body.runId).result();
    expect(result.counts).toMatchObject({ projection_behind: { found: 1, repaired: 1 } });
    expect((await h.models.CqrgMeeting.findById(behind).lean())?.reports).toHaveLength(3);
  });
});
