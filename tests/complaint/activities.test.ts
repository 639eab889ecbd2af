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
