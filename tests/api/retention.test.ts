import { ObjectId } from 'mongodb';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import supertest from 'supertest';
import type { Role } from '../../api/auth/roles';
import { addCalendarDays, addCalendarMonths, londonDate } from '../../lib/calendar';
import { auditOf } from '../../models/audit';
import { documentBucket } from '../../models/document';
import { STAFF, tokenFor } from '../helpers/auth';
import { offlineApp, type OfflineApp } from '../helpers/offline-app';

/**
 * The retention run against the real database (GridFS on FerretDB): only the documents of
 * complaints closed longer ago than the retention period (10 years by default, configurable) go,
 * listed first by a dry run, each case's removal audited; and GridFS files and chunks no document
 * names (an upload killed mid-stream) go once over an hour old, younger ones stay.
 */

let offline: OfflineApp;
let admin: string;
const today = londonDate(Date.now());
const yearsAgo = (years: number, days = 0) => addCalendarDays(addCalendarMonths(today, -12 * years), days);
const cases = {
  old: { _id: 'CMP-2015-000001', status: 'closed', workflow: { status: 'closed', closedOn: yearsAgo(10, -1) } },
  recent: { _id: 'CMP-2016-000002', status: 'completed', workflow: { status: 'completed', closedOn: yearsAgo(9) } },
  ombudsman: { _id: 'CMP-2015-000003', status: 'with_ombudsman', workflow: { status: 'with_ombudsman', closedOn: yearsAgo(11) } },
  open: { _id: 'CMP-2015-000004', status: 'acknowledged', workflow: { status: 'acknowledged' } },
  withdrawn: { _id: 'CMP-2014-000005', status: 'withdrawn', workflow: { status: 'withdrawn', withdrawnOn: yearsAgo(12) } },
};

/** The other processes' cases: finished 8 years ago, or still open. */
const others = {
  visit: { base: 'visits', model: 'Visit', _id: 'VIS-2018-000001', status: 'completed', workflow: { status: 'completed', finalReportOn: yearsAgo(8) } },
  openVisit: { base: 'visits', model: 'Visit', _id: 'VIS-2018-000002', status: 'planned', workflow: { status: 'planned' } },
  review: { base: 'reviews', model: 'Review', _id: 'PIR-2018-000001', status: 'cancelled', workflow: { status: 'cancelled', cancelledOn: yearsAgo(8) } },
  plan: { base: 'action-plans', model: 'ActionPlan', _id: 'CAP-2018-000001', status: 'closed', workflow: { status: 'closed', signedOffOn: yearsAgo(8) } },
} as const;

const upload = (reference: string, text: string, base = 'complaints') =>
  supertest(offline.app).post(`/api/${base}/${reference}/documents`).set('Authorization', `Bearer ${admin}`).field('kind', 'other').attach('file', Buffer.from(text), 'note.txt');
const run = (body: object, app = offline.app, token = admin) => supertest(app).post('/api/admin/retention').set('Authorization', `Bearer ${token}`).send(body);
const rows = (reference: string) => offline.models.CaseDocument.countDocuments({ reference });
const files = () => offline.db.collection('documents.files').countDocuments();

const hoursAgo = (h: number) => ObjectId.createFromTime(Math.floor((Date.now() - h * 3_600_000) / 1000));
const orphanFile = hoursAgo(2);
const orphanChunks = hoursAgo(3);
const freshChunks = new ObjectId();

beforeAll(async () => {
  offline = await offlineApp('retention');
  admin = await tokenFor(STAFF);
  for (const c of Object.values(cases)) await offline.models.Complaint.collection.insertOne(c as never);
  for (const c of Object.values(cases)) expect((await upload(c._id, `About ${c._id}\n`)).status).toBe(201);
  expect((await upload(cases.old._id, 'A second document\n')).status).toBe(201);
  for (const { base, model, ...c } of Object.values(others)) {
    await offline.models[model].collection.insertOne(c as never);
    expect((await upload(c._id, `About ${c._id}\n`, base)).status).toBe(201);
  }
  // What uploads killed mid-stream leave: a whole file no row names, chunks without their file (old and new).
  await pipeline(Readable.from([Buffer.from('orphaned bytes\n')]), documentBucket(offline.db).openUploadStreamWithId(orphanFile, 'lost.txt', { metadata: { reference: cases.open._id } }));
  const chunks = offline.db.collection('documents.chunks');
  await chunks.insertMany([
    { files_id: orphanChunks, n: 0, data: Buffer.alloc(1000, 1) },
    { files_id: orphanChunks, n: 1, data: Buffer.alloc(1000, 2) },
    { files_id: freshChunks, n: 0, data: Buffer.alloc(1000, 3) },
  ] as never[]);
});

afterAll(() => offline.close());

test('only an administrator runs it', async () => {
  const quality = await tokenFor({ id: 'qo-1', name: 'Sam', roles: ['quality_team'] as Role[] });
  expect((await run({ dryRun: true }, offline.app, quality)).status).toBe(403);
  expect((await run({ dryRun: 'yes' })).status).toBe(400);
});

test('a dry run (the default) lists the documents of complaints closed over 10 years ago and the orphans over an hour old, and removes nothing', async () => {
  const before = await files();
  const res = await run({});
  expect(res.status).toBe(200);
  expect(res.body.dryRun).toBe(true);
  // The Code gives no period this service cites for the other processes: unless configured, theirs are kept.
  expect(res.body.periods).toEqual([
    { caseType: 'complaint', years: 10, closedOnOrBefore: yearsAgo(10) },
    { caseType: 'visit', years: null, closedOnOrBefore: null },
    { caseType: 'review', years: null, closedOnOrBefore: null },
    { caseType: 'action-plan', years: null, closedOnOrBefore: null },
  ]);
  expect(res.body.cases.map((c: { reference: string; documents: number }) => [c.reference, c.documents]).sort()).toEqual([
    [cases.withdrawn._id, 1],
    [cases.old._id, 2],
  ]);
  expect(res.body.orphans.files).toEqual([orphanFile.toHexString()]);
  expect(res.body.orphans.chunksOf).toEqual([orphanChunks.toHexString()]);
  expect(res.body.removed).toEqual({ documents: 0, files: 0, orphanFiles: 0, orphanChunksOf: 0 });
  expect(await files()).toBe(before);
  expect(await rows(cases.old._id)).toBe(2);
});

test('the retention period is configuration: 8 years takes the complaint closed 9 years ago too', async () => {
  const res = await run({ dryRun: true }, offline.another({ retentionComplaintYears: 8 }));
  expect(res.body.cases.map((c: { reference: string }) => c.reference).sort()).toEqual([cases.withdrawn._id, cases.recent._id, cases.old._id].sort());
});

test('a run removes those documents (rows and GridFS bytes) and the old orphans, audited per case; everything else stays', async () => {
  const listed = (await run({ dryRun: true })).body.cases.flatMap((c: { files: string[] }) => c.files) as string[];
  const res = await run({ dryRun: false });
  expect(res.status).toBe(200);
  expect(res.body.removed).toEqual({ documents: 3, files: 3, orphanFiles: 1, orphanChunksOf: 1 });
  expect(await rows(cases.old._id)).toBe(0);
  expect(await rows(cases.withdrawn._id)).toBe(0);
  for (const c of [cases.recent, cases.ombudsman, cases.open]) expect(await rows(c._id)).toBe(1);
  const gone = listed.map((id) => new ObjectId(id));
  expect(await offline.db.collection('documents.files').countDocuments({ _id: { $in: [...gone, orphanFile] } })).toBe(0);
  expect(await offline.db.collection('documents.chunks').countDocuments({ files_id: { $in: [...gone, orphanFile, orphanChunks] } })).toBe(0);
  // An upload still under way (chunks younger than an hour) is left alone.
  expect(await offline.db.collection('documents.chunks').countDocuments({ files_id: freshChunks })).toBe(1);
  const trail = await auditOf(offline.models.Audit, cases.old._id, 50);
  expect(trail.map((e) => e.action)).toContain(`retention: 2 documents removed, 10 years after closure on ${cases.old.workflow.closedOn}`);
  // Run again: nothing left to remove.
  expect((await run({ dryRun: false })).body.removed).toEqual({ documents: 0, files: 0, orphanFiles: 0, orphanChunksOf: 0 });
});

test("every process's documents, each by its own configured period: a visit, a review and a plan finished 8 years ago go with 7 years, audited; an open visit's stay; a dry run first", async () => {
  const configured = offline.another({ retentionYears: { visit: 7, review: 7, actionPlan: 7 } });
  const dry = await run({}, configured);
  expect(dry.body.periods.slice(1)).toEqual(['visit', 'review', 'action-plan'].map((caseType) => ({ caseType, years: 7, closedOnOrBefore: yearsAgo(7) })));
  const finished = [others.visit, others.review, others.plan].map((c) => c._id);
  expect(dry.body.cases.map((c: { reference: string }) => c.reference).sort()).toEqual([...finished].sort());
  for (const reference of finished) expect(await rows(reference)).toBe(1);
  // Eight years is not past a period of nine.
  expect((await run({ dryRun: true }, offline.another({ retentionYears: { visit: 9 } }))).body.cases).toEqual([]);
  const res = await run({ dryRun: false }, configured);
  expect(res.body.removed).toMatchObject({ documents: 3, files: 3 });
  for (const reference of finished) expect(await rows(reference)).toBe(0);
  expect(await rows(others.openVisit._id)).toBe(1);
  const trail = await auditOf(offline.models.Audit, others.plan._id, 50);
  expect(trail.map((e) => e.action)).toContain(`retention: 1 document removed, 7 years after closure on ${others.plan.workflow.signedOffOn}`);
});
