import { execFile } from 'node:child_process';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { stringify } from 'csv-stringify/sync';
import { createApiHarness, type ApiHarness } from '../helpers/api-harness';
import { IMPORT_SHEETS } from '../../api/importers';
import { withDatabase } from '../../models/connection';
import type { ImportReport } from '../../api/import/engine';

/** `npm run import` as an administrator runs it: against the harness's servers, its worker opening the cases. */

const run = promisify(execFile);
let h: ApiHarness;
let dir: string;

beforeAll(async () => {
  h = await createApiHarness('import_cli');
  dir = await mkdtemp(path.join(tmpdir(), 'oversight-import-cli-'));
});
afterAll(() => h?.teardown());

async function cli(args: string[]): Promise<{ stdout: string; stderr: string; code: number }> {
  const env = {
    ...process.env,
    MONGODB_URI: withDatabase(process.env.MONGODB_URI!, h.db.name),
    TEMPORAL_ADDRESS: h.env.connection.options.address,
    TEMPORAL_TASK_QUEUE: h.taskQueue,
  };
  try {
    const { stdout, stderr } = await run(path.join(__dirname, '../../node_modules/.bin/tsx'), [path.join(__dirname, '../../scripts/import.ts'), ...args], { env, cwd: dir, timeout: 120_000 });
    return { stdout, stderr, code: 0 };
  } catch (err) {
    const e = err as { stdout: string; stderr: string; code: number };
    return { stdout: e.stdout, stderr: e.stderr, code: e.code };
  }
}

test('a dry run, then the run, then the run again: a progress line, a summary, the report as JSON; the second run imports none', async () => {
  const header = IMPORT_SHEETS[0].columns.map((c) => c.name);
  const stamp = Date.now().toString(36);
  const row = (id: string, extra: Partial<Record<string, string>> = {}) => {
    const cells: Record<string, string> = { sourceId: id, providerCode: 'RJ2', receivedOn: '2026-12-01', source: 'complainant', summary: 'Discharged without medication.', consentToShare: 'yes', ...extra };
    return header.map((c) => cells[c] ?? '');
  };
  const file = path.join(dir, 'complaints.csv');
  await writeFile(file, stringify([header, row(`C1-${stamp}`), row(`C2-${stamp}`, { acknowledgedOn: '2026-12-02' }), row(`C3-${stamp}`, { source: 'twitter' })]));

  const dry = await cli([file, '--dry-run', '--report', 'dry.json']);
  expect(dry.code).toBe(2);
  expect(dry.stderr).toMatch(/\] 3\/3 rows +[\d.]+ rows\/s +\d+s left/);
  expect(dry.stdout).toMatch(/dry run of complaints.csv: 3 rows; 2 accepted, 1 refused/);
  expect(dry.stdout).toMatch(/complaints row 4 \(C3-.*\): source: /);
  expect(await h.models.Complaint.countDocuments()).toBe(0);

  const real = await cli([file, '--report', 'real.json']);
  expect(real.stdout).toMatch(/import of complaints.csv: 3 rows; 2 imported, 0 imported before, 1 refused/);
  const report = JSON.parse(await readFile(path.join(dir, 'real.json'), 'utf8')) as ImportReport;
  expect(report.rows.map((r) => r.outcome)).toEqual(['imported', 'imported', 'refused']);
  expect(await h.models.ImportRun.countDocuments()).toBe(2);

  const again = await cli([file, '--report', 'again.json']);
  expect(again.stdout).toMatch(/import of complaints.csv: 3 rows; 0 imported, 2 imported before, 1 refused/);
  expect(await h.models.Complaint.countDocuments()).toBe(2);
}, 180_000);
