import ExcelJS from 'exceljs';
import { ObjectId, GridFSBucket } from 'mongodb';
import { stringify } from 'csv-stringify/sync';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import supertest from 'supertest';
import { createApiHarness, type ApiHarness } from '../helpers/api-harness';
import { eventually } from '../helpers/harness';
import { tokenFor, type Caller } from '../helpers/auth';
import { IMPORT_SHEETS } from '../../api/importers';
import { importFile } from '../../api/imports';
import { newRunId } from '../../api/import/engine';
import { STALE_MS } from '../../api/import/runs';
import { createServices } from '../../api/services';
import { TemporalCalls } from '../../api/temporal';
import { parseCsv } from '../../api/import/read';
import { caseWorkflowId } from '../../contracts/kernel/case';

/**
 * The import from the API (/api/imports, api/import/runs.ts) against real servers: an
 * administrator's only; a file posted is checked or imported in the background, its record
 * showing progress then every row; the report downloads as CSV; and a run whose API process died
 * mid-run is taken over when its record is next read, importing each row once.
 */

let h: ApiHarness;
const ADMIN: Caller = { id: 'ada-admin', name: 'Ada Admin', roles: ['administrator'] };
const OFFICER: Caller = { id: 'sam-officer', name: 'Sam Officer', roles: ['quality_team'] };
const tokens: Record<string, string> = {};
const stamp = Date.now().toString(36);

beforeAll(async () => {
  h = await createApiHarness('import_api');
  tokens.admin = await tokenFor(ADMIN);
  tokens.officer = await tokenFor(OFFICER);
});
afterAll(() => h?.teardown());

const HEADER = IMPORT_SHEETS[0].columns.map((c) => c.name);
const complaint = (sourceId: string, extra: Record<string, string> = {}) => ({ sourceId, providerCode: 'RJ2', receivedOn: '2026-11-30', source: 'complainant', summary: 'Discharged without medication.', consentToShare: 'yes', complainantName: 'Alex Example', ...extra });
const complaintsCsv = (rows: Record<string, string>[]) => Buffer.from(stringify([HEADER, ...rows.map((r) => HEADER.map((c) => r[c] ?? ''))]));

const get = (who: string, url: string) => supertest(h.app).get(url).set('Authorization', `Bearer ${tokens[who]}`);
const post = (who: string, file: Buffer, filename: string, mode = 'dry-run') => supertest(h.app).post('/api/imports').set('Authorization', `Bearer ${tokens[who]}`).field('mode', mode).attach('file', file, filename);
const finished = (id: string) => eventually(async () => {
  const res = await get('admin', `/api/imports/${encodeURIComponent(id)}`);
  expect(res.body.status).toBe('finished');
  return res.body;
}, 60_000);

test('the template downloads as the workbook the command writes; only an administrator may have it', async () => {
  const res = await get('admin', '/api/imports/template').buffer(true).parse((r, done) => {
    const chunks: Buffer[] = [];
    r.on('data', (c: Buffer) => chunks.push(c));
    r.on('end', () => done(null, Buffer.concat(chunks)));
  });
  expect(res.status).toBe(200);
  expect(res.headers['content-disposition']).toContain('oversight-import.xlsx');
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(res.body as ArrayBuffer);
  expect(workbook.worksheets.map((s) => s.name)).toEqual(['README', 'complaints', 'reviews', 'action-plans', 'visits']);
  expect((await get('officer', '/api/imports/template')).status).toBe(403);
  expect((await post('officer', complaintsCsv([complaint(`X-${stamp}`)]), 'complaints.csv')).status).toBe(403);
  expect((await get('officer', '/api/imports')).status).toBe(403);
});

test('bad input is refused at the edge with its field and reason, and keeps no file', async () => {
  const files = () => h.db.collection('imports.files').countDocuments();
  const before = await files();
  const badMode = await post('admin', complaintsCsv([complaint(`M-${stamp}`)]), 'complaints.csv', 'sometimes');
  expect(badMode.status).toBe(400);
  expect(badMode.body.error.details).toEqual([expect.objectContaining({ field: 'body.mode', reason: expect.stringMatching(/dry-run/) })]);
  const badName = await post('admin', Buffer.from('a,b\n1,2\n'), 'cases.txt');
  expect(badName.status).toBe(400);
  expect(badName.body.error.details).toEqual([expect.objectContaining({ field: 'body.file', reason: expect.stringMatching(/\.xlsx/) })]);
  const noFile = await supertest(h.app).post('/api/imports').set('Authorization', `Bearer ${tokens.admin}`).field('mode', 'import');
  expect(noFile.status).toBe(400);
  expect(noFile.body.error.details).toEqual([{ field: 'body.file', reason: 'attach a file' }]);
  const empty = await post('admin', Buffer.alloc(0), 'complaints.csv');
  expect(empty.status).toBe(400);
  expect(empty.body.error.details).toEqual([{ field: 'body.file', reason: 'the file is empty' }]);
  const badId = await get('admin', '/api/imports/not-a-run');
  expect(badId.status).toBe(400);
  expect(badId.body.error.details[0]).toMatchObject({ field: 'params.id' });
  expect((await get('admin', `/api/imports/${newRunId()}`)).status).toBe(404);
  expect(await files()).toBe(before);
});

test('a dry run and then an import from the API: progress, every row reported, the report as CSV, the file gone after', async () => {
  const rows = [complaint(`API1-${stamp}`), complaint(`API2-${stamp}`), complaint(`API3-${stamp}`, { providerCode: 'ZZZ9' })];
  const dry = await post('admin', complaintsCsv(rows), 'complaints.csv', 'dry-run');
  expect(dry.status).toBe(202);
  expect(dry.headers.location).toBe(`/api/imports/${encodeURIComponent(dry.body.id)}`);
  expect(dry.body).toMatchObject({ status: 'running', dryRun: true, file: 'complaints.csv' });
  const checked = await finished(dry.body.id);
  expect(checked.counts).toMatchObject({ rows: 3, accepted: 2, refused: 1, imported: 0 });
  expect(await importedEntries(rows.map((r) => r.sourceId))).toBe(0);

  const real = await post('admin', complaintsCsv(rows), 'complaints.csv', 'import');
  const run = await finished(real.body.id);
  expect(run.counts).toMatchObject({ rows: 3, imported: 2, refused: 1 });
  expect(run.progress).toEqual({ done: 3, total: 3 });
  expect(run.rows.find((r: { row: number }) => r.row === 4)).toMatchObject({ outcome: 'refused', problems: [{ field: 'providerCode', reason: expect.stringMatching(/no active provider/) }] });
  const csv = await get('admin', run.report);
  expect(csv.status).toBe(200);
  expect(csv.headers['content-type']).toMatch(/text\/csv/);
  const lines = parseCsv(csv.text);
  expect(lines[0]).toEqual(['sheet', 'row', 'sourceId', 'outcome', 'reference', 'field', 'reason']);
  expect(lines.filter((l) => l[3] === 'imported')).toHaveLength(2);
  expect(csv.text).not.toContain('Alex Example');
  expect(await h.db.collection('imports.files').countDocuments({ _id: new ObjectId(await fileIdOf(real.body.id)) })).toBe(0);
  const list = await get('admin', '/api/imports?limit=5');
  expect(list.body.items.map((i: { id: string }) => i.id)).toContain(real.body.id);
  expect(list.body.items[0].rows).toBeUndefined();
});

test("a source system's export through its mapping file, sent with the run: its headings and words read as the template's, the mapping named on the run", async () => {
  const datix = await readFile(path.join(__dirname, '../../docs/import/datix-complaints.mapping.json'));
  const heading = ['Ref', 'Organisation code', 'Date received', 'Received from', 'Method of receipt', 'Description', 'Consent obtained', 'Complainant name'];
  const exported = Buffer.from(stringify([heading, [`DX1-${stamp}`, 'RJ2', '30/11/2026', 'Relative', 'Letter', 'Discharged without medication.', 'yes', 'Alex Example'], [`DX2-${stamp}`, 'RJ2', '30/11/2026', 'Patient', 'Fax', 'Discharged without medication.', 'yes', 'Alex Example']]));
  const send = (mapping: Buffer, mode = 'dry-run') => supertest(h.app).post('/api/imports').set('Authorization', `Bearer ${tokens.admin}`).field('mode', mode).attach('mapping', mapping, 'datix.json').attach('file', exported, 'Complaints.csv');
  const checked = await finished((await send(datix)).body.id);
  expect(checked).toMatchObject({ mappedFrom: 'Datix (DCIQ) complaints export', counts: { rows: 2, accepted: 1, refused: 1 } });
  expect(checked.rows.map((r: { outcome: string; problems?: unknown }) => [r.outcome, r.problems])).toEqual([
    ['accepted', undefined],
    ['refused', [{ field: 'method', reason: expect.stringMatching(/oral|written|electronic/) }]],
  ]);
  // Read without it, the same file is no process's sheet.
  const unmapped = await finished((await post('admin', exported, 'Complaints.csv')).body.id);
  expect(unmapped.counts.rows).toBe(0);
  // (A finished run's file goes just after its report is written.)
  await eventually(async () => expect(await h.models.ImportRun.findById(unmapped.id).lean()).not.toHaveProperty('fileId'), 10_000);
  // A bad mapping is refused at the edge, saying where, and keeps no file.
  const files = await h.db.collection('imports.files').countDocuments();
  const notJson = await send(Buffer.from('{ "source": '));
  expect(notJson.status).toBe(400);
  expect(notJson.body.error.details).toEqual([{ field: 'body.mapping', reason: expect.stringMatching(/JSON/) }]);
  const wrong = await send(Buffer.from(JSON.stringify({ source: 'Datix', dateFormat: 'MM/DD/YYYY', sheets: {} })));
  expect(wrong.status).toBe(400);
  expect(wrong.body.error.details).toEqual([expect.objectContaining({ field: 'body.mapping.dateFormat' })]);
  const huge = await send(Buffer.alloc(200_000, 32));
  expect(huge.status).toBe(400);
  expect(huge.body.error.details).toEqual([{ field: 'body.mapping', reason: expect.stringMatching(/at most 100 kB/) }]);
  expect(await h.db.collection('imports.files').countDocuments()).toBe(files);
});

/** The cases opened from these source ids, by their timelines' opening entries. */
const importedEntries = (sourceIds: string[]) => h.models.Timeline.countDocuments({ type: 'imported', 'data.importedFrom.sourceId': { $in: sourceIds } });

/** What the run's record kept of its file (nothing once finished). */
async function fileIdOf(id: string): Promise<string> {
  const run = await h.models.ImportRun.findById(id).lean<{ fileId?: ObjectId }>();
  return String(run?.fileId ?? new ObjectId());
}

test('a run whose API process died halfway is taken over when its record is read, and imports each row once', async () => {
  const rows = Array.from({ length: 8 }, (_, k) => complaint(`DIE${k}-${stamp}`));
  const bytes = complaintsCsv(rows);
  // As the dead process left it: the file kept, the record running with a heartbeat long gone,
  // and the first half of the rows imported before it died.
  const fileId = new ObjectId();
  await new Promise<void>((resolve, reject) => new GridFSBucket(h.db.db!, { bucketName: 'imports' }).openUploadStreamWithId(fileId, 'complaints.csv').end(bytes, () => resolve()).on('error', reject));
  const services = createServices({ models: h.models, temporal: h.env.client, taskQueue: h.taskQueue, referenceData: h.referenceData, calls: new TemporalCalls(h.env.client) });
  const dir = await mkdtemp(path.join(tmpdir(), 'oversight-import-api-'));
  await writeFile(path.join(dir, 'complaints.csv'), complaintsCsv(rows.slice(0, 4)));
  const actor = { id: ADMIN.id, name: ADMIN.name, role: 'administrator' };
  expect((await importFile({ services, models: h.models }, { file: path.join(dir, 'complaints.csv'), dryRun: false, actor })).counts.imported).toBe(4);
  const startedAt = new Date(Date.now() - 5 * STALE_MS);
  const id = newRunId(startedAt);
  await h.models.ImportRun.create({ _id: id, file: 'complaints.csv', dryRun: false, status: 'running', startedAt, fileId, actor, progress: { done: 4, total: 8 }, heartbeatAt: new Date(Date.now() - 2 * STALE_MS), attempts: 1 });

  const run = await finished(id);
  expect(run).toMatchObject({ attempts: 2, counts: { rows: 8, imported: 4, already_imported: 4, refused: 0 } });
  expect(run.startedAt).toBe(startedAt.toISOString());
  // Each row one case: one record, one workflow, one `imported` entry opening its timeline.
  const references: string[] = run.rows.map((r: { reference: string }) => r.reference);
  expect(new Set(references).size).toBe(8);
  expect(await h.models.Complaint.countDocuments({ _id: { $in: references } })).toBe(8);
  await eventually(async () => expect(await importedEntries(rows.map((r) => r.sourceId))).toBe(8));
  for (const reference of references) expect((await h.env.client.workflow.getHandle(caseWorkflowId('complaint', reference)).describe()).status.name).toBe('RUNNING');
});
