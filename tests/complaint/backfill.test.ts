import mongoose from 'mongoose';
import { backfillComplaintIndexKeys } from '../../activities/complaint/backfill';
import { complaintIndexKeys } from '../../records/complaint/lists';
import { ReportService } from '../../api/reports/service';
import { createModels, ensureIndexes, Models } from '../../models';
import { addIndexKeys } from '../../models/case-index';
import { testDatabase } from '../helpers/env';

/** Cases projected before the report's keys existed are given them once, and then counted. */
let db: mongoose.Connection;
let models: Models;

const database = testDatabase('complaint_backfill');

beforeAll(async () => {
  db = database.db;
  models = createModels(db);
  await ensureIndexes(models);
});

/** A record as the projection left it before the report keys: its six list entries only. */
async function oldRecord(reference: string, status: string, receivedOn: string, workflow: Record<string, unknown>) {
  const listed = { reference, providerCode: 'RJ2', status, nextDueOn: null };
  const keys = complaintIndexKeys(listed); // no dates given: no report keys, as before them
  await models.Complaint.create({
    _id: reference, providerCode: 'RJ2', source: 'pals', receivedOn, summary: 'x', consentToShare: true,
    status, acknowledgeBy: receivedOn, workflowId: `complaint:${reference}`, projectionVersion: 5, indexKeys: keys,
    workflow: { reference, receivedOn, status, ...workflow },
  });
  await addIndexKeys(models.CaseIndex, keys);
  return keys;
}

test('every record gets the entries its fields put it under, once; the report then counts it', async () => {
  const before = await oldRecord('CMP-2025-000001', 'completed', '2025-06-01', { closedOn: '2026-05-01', outcome: 'upheld', lessonsLearned: 'Call back within a day' });
  await oldRecord('CMP-2025-000002', 'referred_to_ombudsman', '2026-04-01', { closedOn: '2026-06-01', outcome: 'not_upheld', referredOn: '2026-07-01' });
  await oldRecord('CMP-2025-000003', 'withdrawn', '2026-05-01', { withdrawnOn: '2026-05-02' });
  const report = new ReportService(models);
  expect((await report.complaints(2026)).received.total).toBe(0);

  expect(await backfillComplaintIndexKeys(models)).toEqual({ checked: 3, moved: 3 });
  const first = await models.Complaint.findById('CMP-2025-000001', { indexKeys: 1 }).lean();
  // The report's keys, and the KO41a return's stock key (left the unresolved on closure, received before).
  expect(first?.indexKeys).toEqual([...before, 'complaint|rcv|2025-06-01|CMP-2025-000001', 'complaint|cls|2026-05-01|CMP-2025-000001', 'complaint|k41|2026-05-01|2025-06-01|CMP-2025-000001', 'complaint|prcv|RJ2|2025-06-01|CMP-2025-000001', 'complaint|pcls|RJ2|2026-05-01|CMP-2025-000001']);
  expect(await models.CaseIndex.countDocuments({ _id: { $gte: 'complaint|cls|', $lt: 'complaint|cls|~' } })).toBe(2);

  const fy = await report.complaints(2026);
  expect([fy.received.total, fy.wellFounded.upheld, fy.notUpheld, fy.withdrawn, fy.referredToOmbudsman, fy.lessons.length]).toEqual([2, 1, 1, 1, 1, 2]);
  // KO41a 2026/27: case 1 brought forward and resolved; 2 and 3 new, one resolved, one withdrawn.
  expect((await report.ko41a(2026)).summary).toEqual({ broughtForward: 1, received: 2, resolved: { upheld: 1, partlyUpheld: 0, notUpheld: 1, total: 2 }, closedWithoutOutcome: 1, carriedForward: 0 });
  expect(await backfillComplaintIndexKeys(models)).toEqual({ checked: 3, moved: 0 });
});
