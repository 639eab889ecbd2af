import { addWorkingDays, londonDate, subtractWorkingDays } from '../../lib/calendar';
import { eventually } from '../helpers/harness';
import { createApiHarness, type ApiHarness } from '../helpers/api-harness';
import { asCaller } from '../helpers/auth';
import { meetingRecord, meetingRequest } from '../../records/cqrg-meeting/opening';
import { caseWorkflowId } from '../../contracts/kernel/case';

/** A provider's reporting plan changed after its meetings opened, put with Temporal away, and put at once with a meeting opened by hand (real servers). */

let h: ApiHarness;
let app: ApiHarness['app'];
const today = () => londonDate(Date.now());
const asChair = asCaller({ id: 'chair-rp', name: 'Pat Chair', roles: ['cqrg_chair'] });
const asAdmin = asCaller({ id: 'admin-rp', name: 'Ada Admin', roles: ['administrator'] });
const day = (n: number) => addWorkingDays(today(), n).due;

beforeAll(async () => void ({ app } = h = await createApiHarness('cqrg_plan_change')));
afterAll(() => h?.teardown());

let providers = 0;
async function provider() {
  const code = `RP${String(++providers).padStart(2, '0')}`;
  await h.models.Provider.create({ _id: code, name: `Plan Change ${code} NHS Trust`, kind: 'acute' });
  return code;
}
const putPlan = (code: string, body: object, as = app) => asChair(as).put(`/api/providers/${code}/reporting-plan`).send(body);
const refs = (body: { meetings: { meetingOn: string; reference: string | null }[] }) => Object.fromEntries(body.meetings.map((m) => [m.meetingOn, m.reference]));
const reportsOf = async (reference: string) => (await asChair(app).get(`/api/cqrg-meetings/${reference}`)).body as { reports: { theme: string; dueOn: string; status: string }[]; deadlines: Record<string, unknown>; timeline: { type: string; data: Record<string, unknown> }[] };
async function reconcile() {
  const started = await asAdmin(app).post('/api/admin/reconciliation').send({ process: 'cqrg-meeting', graceSeconds: 0, scope: 'changes' });
  expect(started.status).toBe(202);
  const result = await h.env.client.workflow.getHandle(started.body.workflowId, started.body.runId).result();
  return { counts: result.counts, report: await h.models.Reconciliation.findById(result.id).lean() };
}

describe('a plan changed after its meeting opened', () => {
  test('reaches the open meeting: a report added is owed with its deadline, one removed no longer chased, changed days re-planned; put again, nothing more', async () => {
    const code = await provider();
    const next = day(30);
    const first = await putPlan(code, { meetings: [next], reports: [{ theme: 'friends_and_family_test', frequency: 'each_meeting' }, { theme: 'wres', frequency: 'each_meeting' }] });
    expect(first.status).toBe(201);
    const reference = refs(first.body)[next]!;
    await eventually(async () => expect((await reportsOf(reference)).reports.map((r) => r.dueOn)).toEqual([subtractWorkingDays(next, 10), subtractWorkingDays(next, 10)]));

    const changed = { meetings: [next], reports: [{ theme: 'friends_and_family_test', frequency: 'each_meeting', workingDaysBefore: 15 }, { theme: 'proms', frequency: 'each_meeting', workingDaysBefore: 5 }] };
    const put = await putPlan(code, changed);
    expect(put.status).toBe(200);
    expect(put.body.pending).toBeUndefined();
    const detail = await reportsOf(reference);
    expect(detail.reports.map((r) => [r.theme, r.dueOn, r.status])).toEqual([
      ['friends_and_family_test', subtractWorkingDays(next, 15), 'due'],
      ['proms', subtractWorkingDays(next, 5), 'due'],
    ]);
    expect(Object.keys(detail.deadlines).sort()).toEqual(['report:friends_and_family_test', 'report:proms']);
    expect(detail.timeline.filter((e) => e.type === 'reports_replanned').map((e) => e.data)).toEqual([
      { added: [{ theme: 'proms', dueOn: subtractWorkingDays(next, 5) }], removed: ['wres'], redated: [{ theme: 'friends_and_family_test', dueOn: subtractWorkingDays(next, 15) }] },
    ]);
    // Put again, twice at once: the meeting already owes just that.
    const again = await Promise.all([0, 1].map(() => putPlan(code, changed)));
    expect(again.map((r) => r.status)).toEqual([200, 200]);
    expect((await reportsOf(reference)).timeline.filter((e) => e.type === 'reports_replanned')).toHaveLength(1);
  });
});

describe('a meeting taken off the plan after it opened', () => {
  const both = [{ theme: 'friends_and_family_test', frequency: 'each_meeting' }, { theme: 'wres', frequency: 'each_meeting' }];
  const pdf = Buffer.concat([Buffer.from('%PDF-1.7\n1 0 obj\n<<>>\nendobj\n', 'latin1'), Buffer.alloc(2000, 0x20), Buffer.from('\n%%EOF\n')]);
  const replanned = async (reference: string) => (await reportsOf(reference)).timeline.filter((e) => e.type === 'reports_replanned').map((e) => e.data);

  async function twoMeetings() {
    const code = await provider();
    const [kept, dropped] = [day(12), day(20)];
    const first = await putPlan(code, { meetings: [kept, dropped], reports: both });
    expect(first.status).toBe(201);
    const { [kept]: keptRef, [dropped]: droppedRef } = refs(first.body);
    expect([keptRef, droppedRef]).toEqual([expect.stringMatching(/^CQM-/), expect.stringMatching(/^CQM-/)]);
    await eventually(async () => expect(Object.keys((await reportsOf(droppedRef!)).deadlines)).toHaveLength(2));
    return { code, kept, dropped, keptRef: keptRef!, droppedRef: droppedRef! };
  }

  test('is owed nothing more: its reports not in are no longer chased, one received stays received; put again or reconciled, nothing more', async () => {
    const { code, kept, keptRef, droppedRef } = await twoMeetings();
    const upload = await asChair(app).post(`/api/cqrg-meetings/${droppedRef}/documents`).field('kind', 'provider_report').attach('file', pdf, 'wres.pdf');
    expect(upload.status).toBe(201);
    expect((await asChair(app).post(`/api/cqrg-meetings/${droppedRef}/receive-report`).send({ theme: 'wres', receivedOn: today(), documents: [upload.body.id] })).status).toBe(200);

    const put = await putPlan(code, { meetings: [kept], reports: both });
    expect(put.status).toBe(200);
    expect(put.body.pending).toBeUndefined();
    const detail = await reportsOf(droppedRef);
    expect(detail.reports.map((r) => [r.theme, r.status])).toEqual([['wres', 'received']]);
    expect(detail.deadlines['report:friends_and_family_test']).toBeUndefined();
    expect(await replanned(droppedRef)).toEqual([{ added: [], removed: ['friends_and_family_test'], redated: [] }]);
    // The meeting still on the plan owes what it did.
    expect((await reportsOf(keptRef)).reports.map((r) => r.theme)).toEqual(['friends_and_family_test', 'wres']);
    expect(await replanned(keptRef)).toEqual([]);

    // Put again, twice at once, then reconciled: nothing more to change.
    const again = await Promise.all([0, 1].map(() => putPlan(code, { meetings: [kept], reports: both })));
    expect(again.map((r) => r.status)).toEqual([200, 200]);
    expect((await reconcile()).counts.meeting_reports_behind_plan).toBeUndefined();
    expect(await replanned(droppedRef)).toHaveLength(1);
  });

  test('taken off while Temporal is unreachable: the put says so (202), and the reconciler stops its chasing, once and explained', async () => {
    const { code, kept, droppedRef } = await twoMeetings();
    const { app: offline, close } = await h.offlineApp({ retries: false });
    try {
      const put = await putPlan(code, { meetings: [kept], reports: both }, offline);
      expect(put.status).toBe(202);
      expect(put.body.pending).toMatchObject({ opening: [], reports: [droppedRef] });
    } finally {
      await close();
    }
    const applied = await reconcile();
    expect(applied.counts.meeting_reports_behind_plan).toEqual({ found: 1, repaired: 1 });
    expect(applied.report?.explained?.meeting_reports_behind_plan).toMatch(/taken off/);
    const detail = await reportsOf(droppedRef);
    expect([detail.reports, Object.keys(detail.deadlines)]).toEqual([[], []]);
    expect((await reconcile()).counts.meeting_reports_behind_plan).toBeUndefined();
  });

  test('taken off, put back, taken off again (A, B, A, B): each change reaches the meeting', async () => {
    const { code, kept, dropped, droppedRef } = await twoMeetings();
    const A = { meetings: [kept, dropped], reports: both };
    const B = { meetings: [kept], reports: both };
    for (const [plan, owed] of [[B, []], [A, ['friends_and_family_test', 'wres']], [B, []]] as const) {
      expect((await putPlan(code, plan)).status).toBe(200);
      expect((await reportsOf(droppedRef)).reports.map((r) => r.theme)).toEqual(owed);
    }
    expect((await replanned(droppedRef)).map((d) => [(d.added as unknown[]).length, (d.removed as unknown[]).length])).toEqual([[0, 2], [2, 0], [0, 2]]);
  });
});

describe('a plan put while Temporal is unreachable', () => {
  test('is saved and says so (202): nothing of a meeting is half-written; the reconciler opens the meeting and applies a change, each once', async () => {
    const code = await provider();
    const next = day(30);
    const { app: offline, close } = await h.offlineApp({ retries: false });
    try {
      const res = await putPlan(code, { meetings: [next], reports: [{ theme: 'eds2', frequency: 'each_meeting' }] }, offline);
      expect(res.status).toBe(202);
      expect(res.body.pending).toMatchObject({ opening: [next], reports: [], message: expect.stringMatching(/saved.*reconciler/) });
      expect(refs(res.body)[next]).toBeNull();
      expect(await h.models.CqrgMeeting.countDocuments({ providerCode: code })).toBe(0);
      expect(await h.models.IdempotencyKey.countDocuments({ _id: { $regex: `:${code}:` } })).toBe(0);
      expect((await h.models.ReportingPlan.findById(code).lean())?.reports.map((r) => r.theme)).toEqual(['eds2']);

      const opened = await reconcile();
      expect(opened.counts.meeting_not_opened).toEqual({ found: 1, repaired: 1 });
      // Every finding kind of the report either repaired or explained.
      expect(opened.report?.explained?.meeting_not_opened).toMatch(/opened/);
      const reference = refs((await asChair(app).get(`/api/providers/${code}/reporting-plan`)).body)[next]!;
      await eventually(async () => expect((await reportsOf(reference)).reports.map((r) => [r.theme, r.dueOn])).toEqual([['eds2', subtractWorkingDays(next, 10)]]));

      // Changed while Temporal is away: saved, the change left to the reconciler.
      const change = await putPlan(code, { meetings: [next], reports: [{ theme: 'eds2', frequency: 'each_meeting', workingDaysBefore: 12 }] }, offline);
      expect(change.status).toBe(202);
      expect(change.body.pending).toMatchObject({ opening: [], reports: [reference] });
      const applied = await reconcile();
      expect(applied.counts.meeting_reports_behind_plan).toEqual({ found: 1, repaired: 1 });
      expect(applied.report?.explained?.meeting_reports_behind_plan).toMatch(/reporting plan/);
      await eventually(async () => expect((await reportsOf(reference)).reports.map((r) => r.dueOn)).toEqual([subtractWorkingDays(next, 12)]));
      expect((await reconcile()).counts.meeting_reports_behind_plan).toBeUndefined();
    } finally {
      await close();
    }
  });
});

describe('a plan put at once with a meeting opened by hand, or with another put', () => {
  test('each answers a 2xx and there is exactly one meeting per date, however often it is tried', async () => {
    for (let round = 0; round < 20; round++) {
      const code = await provider();
      const next = day(12);
      const body = { meetings: [next, day(20)], reports: [{ theme: 'friends_and_family_test', frequency: 'each_meeting' }] };
      // The plan is there (written before meetings opened from it): none of its meetings is open yet.
      await h.models.ReportingPlan.create({ _id: code, ...body });
      const answers = await Promise.all(
        [0, 1, 2].flatMap(() => [putPlan(code, body), asChair(app).post('/api/cqrg-meetings').send({ providerCode: code, meetingOn: next })]),
      );
      expect(answers.filter((r) => r.status >= 300).map((r) => [r.status, r.body])).toEqual([]);
      const meetings = await h.models.CqrgMeeting.find({ providerCode: code }, { meetingOn: 1 }).lean();
      expect(meetings.map((m) => m.meetingOn).sort()).toEqual([next, day(20)]);
    }
  });

  test('while another opening of the meeting holds its key (a slow one, or the reconciler), a put and a hand-opening wait for its case and answer it', async () => {
    const code = await provider();
    const next = day(12);
    const body = { meetings: [next], reports: [{ theme: 'wres', frequency: 'each_meeting' }] };
    await h.models.ReportingPlan.create({ _id: code, ...body });
    // Another opening claimed the meeting's key a moment ago and has not written its case yet.
    const reference = `CQM-2099-${String(providers).padStart(6, '0')}`;
    const { keyRow, requestHash } = meetingRequest(code, next);
    await h.models.IdempotencyKey.create({ _id: keyRow, requestHash, reference, createdAt: new Date() });
    const answers = Promise.all([putPlan(code, body), asChair(app).post('/api/cqrg-meetings').send({ providerCode: code, meetingOn: next })]);
    // It writes its case two seconds on (longer than a request waited for it before).
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    const plan = { meetings: body.meetings, reports: [{ theme: 'wres' as const, frequency: 'each_meeting' as const }] };
    await h.models.CqrgMeeting.create(meetingRecord({ plan, providerCode: code, meetingOn: next, openedOn: today() })(reference, caseWorkflowId('cqrg-meeting', reference)));
    const [put, post] = await answers;
    expect([put.status, put.body.error ?? null, post.status, post.body.reference ?? post.body.error]).toEqual([200, null, 200, reference]);
    expect(refs(put.body)[next]).toBe(reference);
    expect(await h.models.CqrgMeeting.countDocuments({ providerCode: code })).toBe(1);
  });
});
