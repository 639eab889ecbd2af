import mongoose from 'mongoose';
import { createComplaintActivities } from '../../activities/complaint/activities';
import { planDeadline } from '../../lib/deadlines';
import { createModels, ensureIndexes, Models } from '../../models';
import { initialState } from '../../workflows/complaint/case';
import { caseWorkflowId } from '../../contracts/kernel/case';
import { testDatabase } from '../helpers/env';

/** Temporal retries activities: each write must land once, and an old write must not undo a new one. */
let db: mongoose.Connection;
let models: Models;
let acts: ReturnType<typeof createComplaintActivities>;

const database = testDatabase('complaint_activities');

beforeAll(async () => {
  db = database.db;
  models = createModels(db);
  await ensureIndexes(models);
  acts = createComplaintActivities({ models });
});

const reference = 'CMP-2026-000042';
const acknowledgement = planDeadline({ id: 'acknowledgement', from: '2026-12-23', workingDays: 3 });

beforeEach(async () => {
  await Promise.all([models.Complaint.deleteMany({}), models.Timeline.deleteMany({}), models.Notification.deleteMany({})]);
  await models.Complaint.create({
    _id: reference,
    providerCode: 'RJZ',
    source: 'pals',
    receivedOn: '2026-12-23',
    category: 'access',
    summary: 'x',
    consentToShare: true,
    communicationNeeds: ['bsl_interpreter'],
    status: 'received',
    acknowledgeBy: acknowledgement.dueOn,
    workflowId: caseWorkflowId('complaint', reference),
  });
});

test('the acknowledgement deadline skips Christmas and says so', () => {
  expect(acknowledgement.dueOn).toBe('2026-12-30');
  expect(acknowledgement.basis.skipped.map((d) => d.date)).toEqual(['2026-12-25', '2026-12-28']);
  expect(acknowledgement.escalateAt).toBe('2026-12-31T09:00:00.000Z');
});

test('a local closure day added by an administrator moves the deadline', async () => {
  await models.ClosureDay.create({ _id: '2026-12-29', reason: 'Office move' });
  const due = await acts.planDeadline({ id: 'acknowledgement', from: '2026-12-23', workingDays: 3 });
  expect(due.dueOn).toBe('2026-12-31');
  expect(due.basis.skipped.map((d) => d.reason)).toEqual(['bank-holiday', 'bank-holiday', 'closure']);
  await models.ClosureDay.deleteMany({});
});

test('a date outside the calendar fails for good, not retried forever', async () => {
  await expect(acts.planDeadline({ id: 'response', from: '2035-12-20', workingDays: 25 })).rejects.toMatchObject({
    nonRetryable: true,
    type: 'CalendarRangeError',
  });
});

test('timeline events and notifications written twice are stored once', async () => {
  const entry = { seq: 1, type: 'received', at: '2026-12-23T10:00:00.000Z', data: {} };
  await acts.recordTimeline({ reference, entry });
  await acts.recordTimeline({ reference, entry });
  expect(await models.Timeline.countDocuments({ reference })).toBe(1);

  const alarm = { key: `acknowledgement:${acknowledgement.dueOn}:escalation`, deadline: 'acknowledgement', action: 'escalation', at: acknowledgement.escalateAt, dueOn: acknowledgement.dueOn };
  await acts.notify({ reference, alarm, at: acknowledgement.escalateAt });
  await acts.notify({ reference, alarm, at: acknowledgement.escalateAt });
  const sent = await models.Notification.find({ reference }).lean();
  expect(sent).toHaveLength(1);
  expect(sent[0]).toMatchObject({ audience: 'quality_lead', communicationNeeds: ['bsl_interpreter'], dueOn: '2026-12-30' });
});

test('the projection only moves forward', async () => {
  const state = initialState({ reference, providerCode: 'RJZ', receivedOn: '2026-12-23', consentToShare: true, acknowledgement });
  const meta = { seq: 0, fired: [] };
  await acts.projectComplaint({ snapshot: { meta: { ...meta, version: 2 }, case: { ...state, status: 'acknowledged' } } });
  await acts.projectComplaint({ snapshot: { meta: { ...meta, version: 1 }, case: { ...state, status: 'received' } } }); // a late retry
  const record = await models.Complaint.findById(reference).lean();
  expect(record).toMatchObject({ status: 'acknowledged', projectionVersion: 2 });
});

/** One write per transition (activities/kernel/commit.ts): the change applied to the record's state, keyed, forward only. */
describe('a transition written by one commit', () => {
  const commit = (input: Parameters<typeof acts.commit>[0]) => acts.commit(input);
  const state = () => initialState({ reference, providerCode: 'RJZ', receivedOn: '2026-12-23', consentToShare: true, acknowledgement });
  const entry = (seq: number, type: string) => ({ seq, type, at: `2026-12-3${seq % 2}T09:00:00.000Z`, data: {} });
  const alarm = { key: `acknowledgement:${acknowledgement.dueOn}:escalation`, deadline: 'acknowledgement', action: 'escalation', at: acknowledgement.escalateAt, dueOn: acknowledgement.dueOn };

  test('the opening gives the whole state; a later change only what moved; a retry changes nothing', async () => {
    expect(await commit({ reference, entries: [entry(1, 'received')], version: 1, state: state() })).toEqual({});
    const acknowledged = { ...state(), status: 'acknowledged' as const, acknowledgedOn: '2026-12-24' };
    const change = { set: [[['status'], 'acknowledged'], [['acknowledgedOn'], '2026-12-24']] as [string[], unknown][] };
    for (let i = 0; i < 2; i++) expect(await commit({ reference, entries: [entry(2, 'acknowledged')], version: 2, change })).toEqual({});
    const record = await models.Complaint.findById(reference).lean();
    expect(record).toMatchObject({ status: 'acknowledged', projectionVersion: 2, workflow: acknowledged });
    expect(await models.Timeline.countDocuments({ reference })).toBe(2);
  });

  test('an alarm: its entry, its outbox row and its next repeat, planned with the closure days of the day, once on a retry', async () => {
    const s = { ...state(), deadlines: { acknowledgement: { ...acknowledgement, repeatEveryWorkingDays: 2 } } };
    await commit({ reference, entries: [entry(1, 'received')], version: 1, state: s });
    await models.ClosureDay.create({ _id: '2027-01-04', reason: 'Office move' });
    const input = { reference, entries: [entry(2, 'acknowledgement_overdue')], version: 2, change: {}, notify: [alarm], repeats: [{ deadline: 'acknowledgement', after: acknowledgement.escalateAt, workingDays: 2 }] };
    const first = await commit(input);
    // 31 December, then 1 January (a bank holiday), the weekend and the closure day on 4 January: 6 January.
    expect(first).toEqual({ repeats: ['2027-01-06T09:00:00.000Z'] });
    expect(await commit(input)).toEqual(first);
    await models.ClosureDay.deleteMany({});
    expect(await models.Notification.countDocuments({ reference })).toBe(1);
    const record = await models.Complaint.findById(reference).lean<{ workflow: typeof s }>();
    expect(record!.workflow.deadlines.acknowledgement!.repeats).toEqual(['2027-01-06T09:00:00.000Z']);
  });

  test('several entries in one commit, retried after a crash wrote one of them: each stored once, the search index and the record whole', async () => {
    await commit({ reference, entries: [entry(1, 'received')], version: 1, state: state() });
    const keys = (await models.Complaint.findById(reference).lean<{ searchKeys: string[] }>())!.searchKeys;
    expect(keys.length).toBeGreaterThan(0);
    // The crash: the second of three entries written, nothing after it.
    await models.Timeline.create({ _id: `${reference}:3`, caseType: 'complaint', reference, seq: 3, type: 'acknowledged', at: new Date(entry(3, 'x').at), data: {} });
    const input = { reference, entries: [entry(2, 'acknowledgement_overdue'), entry(3, 'acknowledged'), entry(4, 'lessons_recorded')], version: 4, change: { set: [[['status'], 'acknowledged'], [['lessonsLearned'], 'Interpreters booked at triage']] as [string[], unknown][] } };
    for (let i = 0; i < 2; i++) expect(await commit(input)).toEqual({});
    const rows = await models.Timeline.find({ reference }).sort({ seq: 1 }).lean();
    expect(rows.map((r) => [r.seq, r.type])).toEqual([[1, 'received'], [2, 'acknowledgement_overdue'], [3, 'acknowledged'], [4, 'lessons_recorded']]);
    // The search entries follow the record: the lessons' words added to those it had, named on it.
    const after = (await models.Complaint.findById(reference).lean<{ searchKeys: string[]; projectionVersion: number }>())!;
    expect(after.projectionVersion).toBe(4);
    expect(after.searchKeys).toEqual(expect.arrayContaining([...keys, expect.stringContaining('interpreters')]));
    expect(await models.SearchIndex.countDocuments({ _id: { $in: after.searchKeys } })).toBe(after.searchKeys.length);
  });

  test('a record not at the version the change was made from: nothing written, the whole state asked for', async () => {
    await commit({ reference, entries: [entry(1, 'received')], version: 1, state: state() });
    expect(await commit({ reference, entries: [entry(4, 'responded')], version: 4, change: { set: [[['status'], 'responded']] } })).toEqual({ gap: true });
    expect(await models.Timeline.countDocuments({ reference })).toBe(1);
    expect(await commit({ reference, entries: [entry(4, 'responded')], version: 4, state: { ...state(), status: 'responded' } })).toEqual({});
    expect(await models.Complaint.findById(reference).lean()).toMatchObject({ status: 'responded', projectionVersion: 4 });
  });
});
