import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { stringify } from 'csv-stringify/sync';
import { createApiHarness, type ApiHarness } from '../helpers/api-harness';
import { eventually } from '../helpers/harness';
import { createServices, type Services } from '../../api/services';
import { TemporalCalls } from '../../api/temporal';
import { IMPORT_ACTOR, importFile } from '../../api/imports';
import { createComplaintBody } from '../../api/complaints/schemas';
import { hashOf } from '../../api/kernel/opening';
import { IMPORT_SHEETS } from '../../api/importers';
import { writeTemplate } from '../../api/import/template';
import { readSheets } from '../../api/import/read';
import type { ImportReport } from '../../api/import/engine';
import { londonDate, nextWorkingDay, workingHoursInstant } from '../../lib/calendar';
import { caseWorkflowId, type CaseSnapshot } from '../../contracts/kernel/case';
import { snapshotQuery as complaintSnapshot, type ComplaintState } from '../../contracts/complaint/definitions';
import { snapshotQuery as reviewSnapshot, type ReviewState } from '../../contracts/review/definitions';
import { snapshotQuery as planSnapshot, type ActionPlanState } from '../../contracts/action-plan/definitions';
import { snapshotQuery as visitSnapshot, type VisitState } from '../../contracts/visit/definitions';

/**
 * The import (api/import/, npm run import) against real servers: FerretDB, the Temporal dev
 * server and a worker. Dates are in the past (the import's rows describe cases already under way)
 * and every deadline below was counted by hand from them.
 */

let h: ApiHarness;
let services: Services;
let dir: string;

beforeAll(async () => {
  h = await createApiHarness('import');
  services = createServices({ models: h.models, temporal: h.env.client, taskQueue: h.taskQueue, referenceData: h.referenceData, calls: new TemporalCalls(h.env.client) });
  dir = await mkdtemp(path.join(tmpdir(), 'oversight-import-'));
});
afterAll(() => h?.teardown());

const run = (file: string, dryRun: boolean) => importFile({ services, models: h.models }, { file, dryRun });

/** The working morning after today: when whatever is already past acts, once. */
const actFrom = () => workingHoursInstant(nextWorkingDay(londonDate(Date.now()), []));

async function csv(name: string, header: string[], rows: Record<string, string>[]): Promise<string> {
  const sub = await mkdtemp(path.join(dir, 'f-'));
  const file = path.join(sub, `${name}.csv`);
  await writeFile(file, stringify([header, ...rows.map((r) => header.map((c) => r[c] ?? ''))]));
  return file;
}

const COMPLAINT_HEADER = IMPORT_SHEETS[0].columns.map((c) => c.name);
const REVIEW_HEADER = IMPORT_SHEETS[1].columns.map((c) => c.name);
const stamp = Date.now().toString(36);

const complaint = (overrides: Record<string, string>): Record<string, string> => ({
  providerCode: 'RJ2',
  receivedOn: '2026-11-30',
  source: 'complainant',
  summary: 'Discharged without medication.',
  consentToShare: 'yes',
  complainantName: 'Alex Example',
  ...overrides,
});

const review = (overrides: Record<string, string>): Record<string, string> => ({
  serviceName: 'Community diabetes clinic, Bexley',
  whatChanged: 'Clinic moved to the health centre.',
  goLiveOn: '2026-05-31',
  scheduledOn: '2026-06-01',
  ownerId: 'sam.officer',
  ownerName: 'Sam Officer',
  equalityImpactCompleted: 'yes',
  qualityImpactCompleted: 'yes',
  engagementLogCompleted: 'yes',
  patientEngagement: 'Two listening events and a survey.',
  ...overrides,
});

const written = async () => ({
  complaints: await h.models.Complaint.countDocuments(),
  reviews: await h.models.Review.countDocuments(),
  keys: await h.models.IdempotencyKey.countDocuments(),
  index: await h.models.CaseIndex.countDocuments(),
  timeline: await h.models.Timeline.countDocuments(),
});

const refusedRow = (report: ImportReport, row: number) => report.rows.find((r) => r.row === row)!;

test('the template round trip: written as a workbook and CSV, read back, its example rows are accepted', async () => {
  const out = path.join(dir, 'template');
  const files = await writeTemplate(out, IMPORT_SHEETS);
  expect(files.map((f) => path.basename(f))).toEqual(['oversight-import.xlsx', 'complaints.csv', 'reviews.csv', 'action-plans.csv', 'visits.csv']);
  const sheets = await readSheets(files[0]);
  expect([...sheets.keys()]).toEqual(['README', 'complaints', 'reviews', 'action-plans', 'visits']);
  for (const { sheet, columns } of IMPORT_SHEETS) {
    const [example] = sheets.get(sheet)!;
    expect(example.row).toBe(2);
    expect(example.cells).toEqual(Object.fromEntries(columns.filter((c) => c.example).map((c) => [c.name, c.example])));
  }
  const before = await written();
  for (const file of files) {
    const report = await run(file, true);
    expect(report.rows.map((r) => [r.sheet, r.outcome, r.problems])).toEqual(file.endsWith('.xlsx') ? [['complaints', 'accepted', undefined], ['reviews', 'accepted', undefined], ['action-plans', 'accepted', undefined], ['visits', 'accepted', undefined]] : [[path.basename(file, '.csv'), 'accepted', undefined]]);
  }
  expect(await written()).toEqual(before);
});

test('a dry run of a file with many kinds of bad row gives each its field and reason, and opens nothing', async () => {
  const bad: [Record<string, string>, string, RegExp][] = [
    [complaint({ sourceId: '' }), 'sourceId', /is required/],
    [complaint({ sourceId: 'has space' }), 'sourceId', /letters, digits/],
    [complaint({ sourceId: `B3-${stamp}`, providerCode: 'rj 2' }), 'providerCode', /ODS code/],
    [complaint({ sourceId: `B4-${stamp}`, providerCode: 'ZZZ9' }), 'providerCode', /no active provider/],
    [complaint({ sourceId: `B5-${stamp}`, receivedOn: '31/11/2026' }), 'receivedOn', /YYYY-MM-DD/],
    [complaint({ sourceId: `B6-${stamp}`, receivedOn: '2099-01-01' }), 'receivedOn', /.+/],
    [complaint({ sourceId: `B7-${stamp}`, source: 'twitter' }), 'source', /.+/],
    [complaint({ sourceId: `B8-${stamp}`, summary: '' }), 'summary', /.+/],
    [complaint({ sourceId: `B9-${stamp}`, consentToShare: 'maybe' }), 'consentToShare', /.+/],
    [complaint({ sourceId: `B10-${stamp}`, complainantEmail: 'not-an-email' }), 'complainantEmail', /.+/],
    [complaint({ sourceId: `B11-${stamp}`, acknowledgedOn: '2026-11-29' }), 'acknowledgedOn', /before receipt/],
    [complaint({ sourceId: `B12-${stamp}`, responseDueOn: '2027-01-15' }), 'responseDueOn', /needs acknowledgedOn/],
    [complaint({ sourceId: `B13-${stamp}`, acknowledgedOn: '2026-12-01', responseDueOn: '2026-12-01' }), 'responseDueOn', /after the acknowledgement/],
    [complaint({ sourceId: `B14-${stamp}`, acknowledgedOn: '2026-12-01', providerAccountRequestedOn: '2026-12-02', consentToShare: 'no' }), 'providerAccountRequestedOn', /consent/],
    [complaint({ sourceId: `B15-${stamp}`, acknowledgedOn: '2026-12-01', providerAccountRequestedOn: '2026-12-02', providerAccountWorkingDays: 'ten' }), 'providerAccountWorkingDays', /whole number/],
    [complaint({ sourceId: `B16-${stamp}`, acknowledgedOn: '2026-12-01', providerAccountReceivedOn: '2026-12-02' }), 'providerAccountReceivedOn', /needs providerAccountRequestedOn/],
    [complaint({ sourceId: `B17-${stamp}`, acknowledgedOn: '2026-12-01', method: 'oral' }), 'acknowledgedOn', /reg 13\(2\)/],
    [complaint({ sourceId: `B18-${stamp}`, acknowledgedOn: '2026-12-01', matterOccurredOn: '2025-06-01' }), 'acknowledgedOn', /reg 12\(4\)/],
    [complaint({ sourceId: `B19-${stamp}`, acknowledgedOn: '2026-12-01', lastUpdateOn: '2026-11-30' }), 'lastUpdateOn', /before acknowledgement/],
    [complaint({ sourceId: `B20-${stamp}`, matterOccurredOn: '2026-12-01' }), 'matterOccurredOn', /after receipt/],
  ];
  const file = await csv('complaints', [...COMPLAINT_HEADER, 'Datix notes'], [...bad.map(([row]) => row), complaint({ sourceId: `OK-${stamp}`, 'Datix notes': 'seen by PALS' }), complaint({ sourceId: `OK-${stamp}` })]);
  const before = await written();
  const report = await run(file, true);
  bad.forEach(([, field, reason], k) => {
    const row = refusedRow(report, k + 2);
    expect(row.outcome).toBe('refused');
    expect(row.problems).toEqual(expect.arrayContaining([expect.objectContaining({ field, reason: expect.stringMatching(reason) })]));
  });
  expect(refusedRow(report, bad.length + 2).outcome).toBe('accepted');
  expect(refusedRow(report, bad.length + 3)).toMatchObject({ outcome: 'refused', problems: [{ field: 'sourceId', reason: expect.stringMatching(`row ${bad.length + 2}`) }] });
  expect(report.counts).toMatchObject({ rows: bad.length + 2, accepted: 1, refused: bad.length + 1, imported: 0 });
  expect(report.sheets).toEqual([expect.objectContaining({ sheet: 'complaints', ignoredColumns: ['Datix notes'] })]);
  expect(await written()).toEqual(before);
  // The report is kept, naming no one: source ids, fields and reasons only.
  const kept = await h.models.ImportRun.findById(report.runId).lean();
  expect(kept?.counts).toEqual(report.counts);
  expect(JSON.stringify(kept)).not.toContain('Alex Example');
});

test('a real run opens complaints and reviews at their states with their deadlines; past ones act once, the next working morning; a rerun imports none', async () => {
  const ids = { received: `R-${stamp}`, late: `L-${stamp}`, ack: `A-${stamp}`, overdue: `O-${stamp}`, review: `V-${stamp}`, agreed: `W-${stamp}` };
  const complaints = await csv('complaints', COMPLAINT_HEADER, [
    complaint({ sourceId: ids.received, receivedOn: '2026-12-03' }),
    complaint({ sourceId: ids.late, receivedOn: '2026-11-20' }),
    // Acknowledged, the response date agreed, the provider's account asked for: the complainant's
    // next update counts 20 working days over Christmas (25 Dec, the 28th for Boxing Day, 1 Jan).
    complaint({ sourceId: ids.ack, receivedOn: '2026-11-30', acknowledgedOn: '2026-12-02', responseDueOn: '2027-01-15', providerAccountRequestedOn: '2026-12-03' }),
    // Long overdue: 25 working days from 28 August skip the bank holiday of 31 August.
    complaint({ sourceId: ids.overdue, receivedOn: '2026-08-27', acknowledgedOn: '2026-08-28', providerAccountRequestedOn: '2026-08-28', lastUpdateOn: '2026-11-02' }),
  ]);
  const reviews = await csv('reviews', REVIEW_HEADER, [review({ sourceId: ids.review }), review({ sourceId: ids.agreed, goLiveOn: '2026-10-01', scheduledOn: '2026-10-02', dueOn: '2027-01-15' })]);

  const first = [await run(complaints, false), await run(reviews, false)];
  expect(first.map((r) => r.counts)).toEqual([
    { rows: 4, accepted: 0, imported: 4, already_imported: 0, refused: 0 },
    { rows: 2, accepted: 0, imported: 2, already_imported: 0, refused: 0 },
  ]);
  const ref = Object.fromEntries([...first[0].rows, ...first[1].rows].map((r) => [r.sourceId, r.reference!]));
  const complaintOf = (id: string) => h.env.client.workflow.getHandle(caseWorkflowId('complaint', ref[id])).query(complaintSnapshot) as Promise<CaseSnapshot<ComplaintState>>;
  const reviewOf = (id: string) => h.env.client.workflow.getHandle(caseWorkflowId('review', ref[id])).query(reviewSnapshot) as Promise<CaseSnapshot<ReviewState>>;
  const morning = actFrom();

  const received = (await complaintOf(ids.received)).case;
  expect(received.status).toBe('received');
  // 3 statutory working days after Thursday 3 December: 4, 7, 8.
  expect(received.deadlines.acknowledgement).toMatchObject({ dueOn: '2026-12-08', escalateAt: '2026-12-09T09:00:00.000Z' });

  const late = (await complaintOf(ids.late)).case;
  // Due 25 November, already past: escalated once, the working morning after the import; its reminder dropped.
  expect(late.deadlines.acknowledgement).toMatchObject({ dueOn: '2026-11-25', reminders: [], escalateAt: morning });

  const ack = (await complaintOf(ids.ack)).case;
  expect(ack).toMatchObject({ status: 'acknowledged', acknowledgedOn: '2026-12-02', providerAccountRequestedOn: '2026-12-03', responsePeriod: 'agreed' });
  expect(ack.deadlines.response).toMatchObject({ dueOn: '2027-01-15', reminders: ['2027-01-08T09:00:00.000Z'], escalateAt: '2027-01-18T09:00:00.000Z' });
  // 10 local working days after 3 December: 4, 7-11, 14-17.
  expect(ack.deadlines.provider_account).toMatchObject({ dueOn: '2026-12-17', reminders: ['2026-12-15T09:00:00.000Z'], escalateAt: '2026-12-18T09:00:00.000Z' });
  expect(ack.deadlines.complainant_update).toMatchObject({ dueOn: '2027-01-04' });
  expect(ack.deadlines.acknowledgement).toBeUndefined();

  const overdue = (await complaintOf(ids.overdue)).case;
  expect(overdue.deadlines.response).toMatchObject({ dueOn: '2026-10-05', reminders: [], escalateAt: morning });
  expect(overdue.deadlines.provider_account).toMatchObject({ dueOn: '2026-09-14', reminders: [], escalateAt: morning });
  expect(overdue.updates).toEqual([{ sentOn: '2026-11-02' }]);

  const scheduled = await reviewOf(ids.review);
  expect(scheduled.case).toMatchObject({ status: 'scheduled', goLiveOn: '2026-05-31', scheduledOn: '2026-06-01' });
  // Six calendar months after 31 May is 30 November (already past): due and escalated, each once, next morning.
  expect(scheduled.case.deadlines.review).toMatchObject({ dueOn: '2026-11-30', reminders: [], escalateAt: morning });
  expect(scheduled.case.deadlines.review_overdue).toMatchObject({ dueOn: '2026-11-30', escalateAt: morning });
  const agreed = (await reviewOf(ids.agreed)).case;
  expect(agreed.deadlines.review).toMatchObject({ dueOn: '2027-01-15', basis: expect.objectContaining({ rule: expect.stringMatching(/agreed/) }) });

  // The timeline's first entry says where each case came from; the record is listed at its state.
  const entry = await eventually(async () => {
    const e = await h.models.Timeline.findById(`${ref[ids.ack]}:1`).lean<{ type: string; data: Record<string, unknown> }>();
    expect(e).toBeTruthy();
    return e!;
  });
  expect(entry).toMatchObject({ type: 'imported', data: { importedFrom: { file: 'complaints.csv', sheet: 'complaints', row: 4, sourceId: ids.ack }, status: 'acknowledged', responseDueOn: '2027-01-15' } });
  await eventually(async () => expect(await h.models.Complaint.findById(ref[ids.overdue]).lean()).toMatchObject({ status: 'acknowledged', nextDueOn: '2026-09-14' }));
  // Nothing has gone out while importing: whatever is overdue waits for the morning.
  expect(await h.models.Notification.countDocuments({ _id: { $regex: `^(${Object.values(ref).join('|')}):` } })).toBe(0);

  // The same files again: every row answers the case it opened.
  const again = [await run(complaints, false), await run(reviews, false)];
  expect(again.map((r) => [r.counts.imported, r.counts.already_imported])).toEqual([[0, 4], [0, 2]]);
  expect([...again[0].rows, ...again[1].rows].map((r) => r.reference)).toEqual(Object.values(ref));
});

test("a Datix workbook read through the worked example's mapping: real date cells and day-first text alike, its words mapped", async () => {
  const ExcelJS = (await import('exceljs')).default;
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('Complaints');
  sheet.addRow(['Ref', 'Organisation code', 'Date received', 'Received from', 'Method of receipt', 'Description', 'Consent obtained', 'Complainant name', 'Acknowledged date', 'Handler']);
  sheet.addRow([`DX-A-${stamp}`, 'RJ2', new Date(Date.UTC(2026, 10, 30)), 'Relative', 'Letter', 'Discharged without medication.', 'Y', 'Alex Example', '02/12/2026', 'Jo']);
  sheet.addRow([`DX-B-${stamp}`, 'RJ2', '30/11/2026', 'Patient', 'Fax', 'Discharged without medication.', 'Y', 'Alex Example', '', 'Jo']);
  const file = path.join(await mkdtemp(path.join(dir, 'datix-')), 'datix-export.xlsx');
  await workbook.xlsx.writeFile(file);
  const { readMapping } = await import('../../api/import/mapping');
  const mapping = await readMapping(path.join(__dirname, '../../docs/import/datix-complaints.mapping.json'));
  const report = await importFile({ services, models: h.models }, { file, dryRun: true, mapping });
  expect(report.rows.map((r) => [r.row, r.outcome, r.problems])).toEqual([
    [2, 'accepted', undefined],
    [3, 'refused', [{ field: 'method', reason: expect.stringMatching(/oral|written|electronic/) }]],
  ]);
  expect(report.sheets).toEqual([expect.objectContaining({ sheet: 'complaints', ignoredColumns: ['Handler'] })]);
});

test('a run stopped partway resumes: the rows it opened answer their cases, a row it left claimed is taken over, the rest open', async () => {
  const rows = Array.from({ length: 6 }, (_, k) => complaint({ sourceId: `S${k}-${stamp}`, receivedOn: '2026-12-01' }));
  const half = await csv('complaints', COMPLAINT_HEADER, rows.slice(0, 3));
  expect((await run(half, false)).counts.imported).toBe(3);
  // Killed between claiming row 4's key and writing its case: a key naming no record, older than any live request.
  // (Its hash is the one the run would have written: the request as the API parsed it, by the import.)
  const body = createComplaintBody.parse({ providerCode: 'RJ2', receivedAt: '2026-12-01', source: 'complainant', summary: 'Discharged without medication.', consentToShare: true, complainant: { name: 'Alex Example' } });
  const requestHash = hashOf({ body: { ...body, importedAt: {} }, by: IMPORT_ACTOR.id });
  await h.models.IdempotencyKey.create({ _id: `complaints:import:S3-${stamp}`, requestHash, reference: 'CMP-2026-999999', createdAt: new Date(Date.now() - 3_600_000) });
  const whole = await csv('complaints', COMPLAINT_HEADER, rows);
  const resumed = await run(whole, false);
  expect(resumed.rows.map((r) => r.outcome)).toEqual(['already_imported', 'already_imported', 'already_imported', 'imported', 'imported', 'imported']);
  expect(new Set(resumed.rows.map((r) => r.reference)).size).toBe(6);
  expect(await h.models.Complaint.countDocuments({ _id: { $in: resumed.rows.map((r) => r.reference!) } })).toBe(6);
});

const PLAN_HEADER = IMPORT_SHEETS[2].columns.map((c) => c.name);
const plan = (id: string, overrides: Record<string, string>): Record<string, string> => ({
  planSourceId: id,
  ownerId: 'owner.rj2',
  ownerName: 'Olu Owner',
  description: 'Flag communication needs on the PAS',
  ...overrides,
});
const planHead = { providerCode: 'RJ2', theme: 'accessible_information_standard', title: 'AIS: flagging needs', sourceKind: 'cqrg_meeting', meetingOn: '2026-10-14', chairId: 'chair.rj2', chairName: 'Dr Chris Chair', openedOn: '2026-10-15' };

test('an action plan, one row per action: completed ones complete with their evidence, open ones due as their rows say, an overdue one escalated once next morning', async () => {
  const id = `AP-${stamp}`;
  const bad = `AP-BAD-${stamp}`;
  const file = await csv('action-plans', PLAN_HEADER, [
    plan(id, { ...planHead, dueOn: '2026-11-13', completedOn: '2026-11-20', evidence: 'PAS flag live on all wards' }),
    plan(id, { dueOn: '2026-11-30' }),
    plan(id, { dueOn: '2027-01-29' }),
    plan(bad, { ...planHead, dueOn: '2026-11-13', completedOn: '2026-11-20' }),
    plan(bad, { providerCode: 'RVR', dueOn: 'soon' }),
  ]);
  const dry = await run(file, true);
  expect(dry.rows.map((r) => [r.row, r.outcome, r.problems])).toEqual([
    [2, 'accepted', undefined],
    [3, 'accepted', undefined],
    [4, 'accepted', undefined],
    [5, 'refused', [{ field: 'evidence', reason: 'an action is completed only with evidence of it' }]],
    [6, 'refused', [{ field: 'providerCode', reason: expect.stringMatching(/first row says RJ2/) }, { field: 'dueOn', reason: expect.stringMatching(/YYYY-MM-DD/) }]],
  ]);
  const report = await run(file, false);
  expect(report.counts).toMatchObject({ imported: 3, refused: 2 });
  const reference = report.rows[0].reference!;
  expect(report.rows.slice(0, 3).map((r) => r.reference)).toEqual([reference, reference, reference]);
  const { case: s } = (await h.env.client.workflow.getHandle(caseWorkflowId('action-plan', reference)).query(planSnapshot)) as CaseSnapshot<ActionPlanState>;
  expect(s).toMatchObject({ status: 'in_progress', openedOn: '2026-10-15' });
  expect(s.actions.map((a) => [a.n, a.status, a.rag, a.completedOn])).toEqual([
    [1, 'complete', 'blue', '2026-11-20'],
    [2, 'open', 'red', undefined],
    [3, 'open', 'green', undefined],
  ]);
  expect(s.deadlines['action:1']).toBeUndefined();
  expect(s.deadlines['action:2']).toMatchObject({ dueOn: '2026-11-30', reminders: [], escalateAt: actFrom() });
  // Ten and two working days before Friday 29 January; escalated the Monday after.
  expect(s.deadlines['action:3']).toMatchObject({ dueOn: '2027-01-29', reminders: ['2027-01-15T09:00:00.000Z', '2027-01-27T09:00:00.000Z'], escalateAt: '2027-02-01T09:00:00.000Z' });
  const evidence = await h.models.ActionPlanNote.findById(s.actions[0].evidence![0]).lean<{ kind: string; text: string }>();
  expect(evidence).toMatchObject({ kind: 'evidence', text: 'PAS flag live on all wards' });
  await eventually(async () => expect(await h.models.ActionPlan.findById(reference).lean()).toMatchObject({ nextDueOn: '2026-11-30', counts: { actions: 3, open: 2, complete: 1 } }));
  const again = await run(file, false);
  expect(again.counts).toMatchObject({ imported: 0, already_imported: 3, refused: 2 });
});

test('visits planned: an announced one whose provider was told keeps only its information and visit dates; one whose notice day has passed tells the provider next morning', async () => {
  const header = IMPORT_SHEETS[3].columns.map((c) => c.name);
  const visit = (overrides: Record<string, string>) => ({
    providerCode: 'RJ2',
    service: 'Ward 7',
    reasons: 'complaints; cqrg_concern',
    announced: 'yes',
    plannedOn: '2026-11-16',
    panel: 'lay_member: Lee Lay; patient_representative: Pat Rep',
    ...overrides,
  });
  const told = `IV-T-${stamp}`;
  const untold = `IV-U-${stamp}`;
  const file = await csv('visits', header, [
    visit({ sourceId: told, visitDate: '2027-01-20', providerNotifiedOn: '2026-11-20' }),
    visit({ sourceId: untold, visitDate: '2026-12-14' }),
    visit({ sourceId: `IV-B-${stamp}`, visitDate: '2027-01-20', panel: 'lay_member: Lee Lay; ward_cat: Tom' }),
    visit({ sourceId: `IV-C-${stamp}`, visitDate: '2027-01-20', announced: 'no', providerNotifiedOn: '2026-11-20' }),
    visit({ sourceId: `IV-D-${stamp}`, visitDate: '2026-12-01', announced: 'no' }),
    visit({ sourceId: `IV-H-${stamp}`, visitDate: '2026-11-25', visitedOn: '2026-11-25', plannedOn: '2026-10-20' }),
    visit({ sourceId: `IV-S-${stamp}`, visitDate: '2026-11-02', visitedOn: '2026-11-02', draftSentOn: '2026-11-16', plannedOn: '2026-10-01' }),
    visit({ sourceId: `IV-X-${stamp}`, visitDate: '2026-11-03', visitedOn: '2026-11-02', plannedOn: '2026-10-01' }),
    visit({ sourceId: `IV-Y-${stamp}`, visitDate: '2026-11-02', visitedOn: '2026-11-02', draftSentOn: '2026-10-30', plannedOn: '2026-10-01' }),
  ]);
  const report = await run(file, false);
  expect(report.rows.map((r) => [r.row, r.outcome])).toEqual([[2, 'imported'], [3, 'imported'], [4, 'refused'], [5, 'refused'], [6, 'refused'], [7, 'imported'], [8, 'imported'], [9, 'refused'], [10, 'refused']]);
  expect(report.rows[2].problems).toEqual([{ field: 'panel', reason: expect.stringMatching(/expected one of "lay_member"/) }]);
  expect(report.rows[3].problems).toEqual([{ field: 'providerNotifiedOn', reason: 'an unannounced visit gives the provider no notice' }]);
  expect(report.rows[4].problems).toEqual([{ field: 'visitDate', reason: 'a visit whose date has passed imports as held: give the day it took place (visitedOn)' }]);
  expect(report.rows[7].problems).toEqual([{ field: 'visitDate', reason: 'a visit takes place on its date: its visitDate must be the day it took place (2026-11-02)' }]);
  expect(report.rows[8].problems).toEqual([{ field: 'draftSentOn', reason: 'cannot be before the visit (2026-11-02)' }]);
  const stateOf = async (row: number) =>
    ((await h.env.client.workflow.getHandle(caseWorkflowId('visit', report.rows[row].reference!)).query(visitSnapshot)) as CaseSnapshot<VisitState>).case;
  const a = await stateOf(0);
  expect(a).toMatchObject({ status: 'planned', plannedOn: '2026-11-16', providerNotifiedOn: '2026-11-20', providerNotifiedFor: '2027-01-20' });
  // Five and one working days before Wednesday 20 January; the information three before it (Friday 15th), reminded two before that.
  expect(a.deadlines.visit).toMatchObject({ dueOn: '2027-01-20', reminders: ['2027-01-13T09:00:00.000Z', '2027-01-19T09:00:00.000Z'], escalateAt: '2027-01-21T09:00:00.000Z' });
  expect(a.deadlines.information).toMatchObject({ dueOn: '2027-01-15', reminders: ['2027-01-13T09:00:00.000Z'] });
  const b = await stateOf(1);
  expect(b.providerNotifiedOn).toBeUndefined();
  // Ten working days before Monday 14 December is 30 November, gone: the provider is told next working morning.
  expect(b.deadlines['provider_notice:2026-12-14' as keyof VisitState['deadlines']]).toMatchObject({ dueOn: '2026-11-30', escalateAt: actFrom() });
  // Held on Wednesday 25 November: the draft report due fifteen working days on (Wednesday 16 December), reminded three before.
  const held = await stateOf(5);
  expect(held).toMatchObject({ status: 'visited', visitedOn: '2026-11-25' });
  expect(held.deadlines.draft_report).toMatchObject({ dueOn: '2026-12-16', reminders: ['2026-12-11T09:00:00.000Z'] });
  expect(held.deadlines.visit).toBeUndefined();
  // Its draft sent Monday 16 November: the provider's ten working days ended 30 November, gone, so the
  // window acts next working morning; the final report is due ten working days after it (14 December).
  const sent = await stateOf(6);
  expect(sent).toMatchObject({ status: 'draft_issued', visitedOn: '2026-11-02', draftSentOn: '2026-11-16' });
  expect(sent.deadlines.factual_accuracy).toMatchObject({ dueOn: '2026-11-30' });
  expect(sent.deadlines.final_report).toMatchObject({ dueOn: '2026-12-14' });
  await eventually(async () => expect(await h.models.Visit.findById(report.rows[6].reference).lean()).toMatchObject({ status: 'draft_issued' }));
  expect((await run(file, false)).counts).toMatchObject({ imported: 0, already_imported: 4, refused: 5 });
});
