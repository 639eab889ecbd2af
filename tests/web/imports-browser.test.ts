import { readFile } from 'node:fs/promises';
import ExcelJS from 'exceljs';
import { stringify } from 'csv-stringify/sync';
import type { Locator } from 'playwright-core';
import { IMPORT_SHEETS } from '../../api/importers';
import { parseCsv } from '../../api/import/read';
import { browserApp } from '../pages/browser-app';
import type { AppPage } from '../pages/page';

/**
 * The administrator's import page in a real browser (Debian's Chromium) against the real stack:
 * the template downloaded, a file checked by a dry run, then imported; the run's page refreshing
 * itself until it is done, every row shown with its case or its reasons, the report downloaded;
 * a bad file refused on the form; and no page for anyone but an administrator. axe-core finds
 * nothing on any page.
 */

const product = browserApp('web_imports');
const stamp = Date.now().toString(36);
const HEADER = IMPORT_SHEETS[0].columns.map((c) => c.name);
const complaint = (sourceId: string, extra: Record<string, string> = {}): Record<string, string> => ({ sourceId, providerCode: 'RJ2', receivedOn: '2026-11-30', source: 'complainant', summary: 'Discharged without medication.', consentToShare: 'yes', complainantName: 'Alex Example', ...extra });
const csvOf = (rows: Record<string, string>[]) => Buffer.from(stringify([HEADER, ...rows.map((r) => HEADER.map((c) => r[c] ?? ''))]));

async function downloaded(at: AppPage, link: Locator): Promise<{ name: string; bytes: Buffer }> {
  const [download] = await Promise.all([at.page.waitForEvent('download'), link.click()]);
  return { name: download.suggestedFilename(), bytes: await readFile((await download.path())!) };
}

/** Send the file from the import page, as the choice says; answers when the run's page says it is done. */
async function start(at: AppPage, bytes: Buffer, mode: 'Dry run' | 'Import'): Promise<void> {
  await at.goto('/imports');
  await at.choose('What to do', mode === 'Dry run' ? 'Dry run: check every row, open no case' : 'Import: open a case for each accepted row');
  await at.page.getByLabel('File').setInputFiles({ name: 'complaints.csv', mimeType: 'text/csv', buffer: bytes });
  await at.press('Start');
  await at.page.waitForURL(/\/imports\/\d{4}-/);
  // The page refreshes itself (no script) until the run is done.
  await at.page.locator('#counts').waitFor({ timeout: 60_000 });
}

test('an administrator downloads the template, checks a file, imports it, and downloads the report', async () => {
  const at = await product.signIn('Ada Admin', 'administrator');
  await at.goto('/imports');
  expect(await at.heading()).toBe('Import cases');
  await at.check('imports-index');
  const template = await downloaded(at, at.page.getByRole('link', { name: 'Download the template (Excel workbook)' }));
  expect(template.name).toBe('oversight-import.xlsx');
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(template.bytes as unknown as ArrayBuffer);
  expect(workbook.worksheets.map((s) => s.name)).toContain('complaints');

  const file = csvOf([complaint(`WEB1-${stamp}`), complaint(`WEB2-${stamp}`), complaint(`WEB3-${stamp}`, { receivedOn: '31/11/2026' })]);
  await start(at, file, 'Dry run');
  expect(await at.page.locator('#counts').textContent()).toMatch(/Accepted \(dry run\)\s*2/);
  expect(await at.row('WEB3-').textContent()).toMatch(/refused[\s\S]*receivedOn: must be a real date as YYYY-MM-DD/i);
  await at.check('imports-dry-run');

  await start(at, file, 'Import');
  expect(await at.page.locator('#counts').textContent()).toMatch(/Imported\s*2/);
  const imported = at.row(`WEB1-${stamp}`).getByRole('link');
  expect(await imported.getAttribute('href')).toMatch(/^\/complaints\/CMP-/);
  const report = await downloaded(at, at.page.getByRole('link', { name: 'Download the report (CSV)' }));
  expect(report.name).toBe('import-report-complaints.csv');
  const lines = parseCsv(report.bytes.toString('utf8'));
  expect(lines.map((l) => l[3]).slice(1, 4)).toEqual(['imported', 'imported', 'refused']);
  expect(report.bytes.toString('utf8')).not.toContain('Alex Example');
  await at.check('imports-run');

  // The case it opened, from the link.
  await imported.click();
  await at.page.waitForURL(/\/complaints\/CMP-/);
  expect(await at.main()).toContain('Imported');
});

test('a file that is not a workbook or CSV is refused on the form, saying why', async () => {
  const at = await product.signIn('Ada Admin', 'administrator');
  await at.goto('/imports');
  await at.page.getByLabel('File').setInputFiles({ name: 'cases.txt', mimeType: 'text/plain', buffer: Buffer.from('a,b\n1,2\n') });
  await at.press('Start');
  expect(await at.errors()).toContain('must be a workbook (.xlsx) or a CSV file');
  await at.check('imports-refused');
});

test("a Datix export imported through the worked example's mapping, downloaded from the page", async () => {
  const at = await product.signIn('Ada Admin', 'administrator');
  await at.goto('/imports');
  const mapping = await downloaded(at, at.page.getByRole('link', { name: 'Download the worked example for a Datix complaints export' }));
  expect(mapping.name).toBe('datix-complaints.mapping.json');
  expect(JSON.parse(mapping.bytes.toString('utf8'))).toMatchObject({ source: 'Datix (DCIQ) complaints export' });
  const heading = ['Ref', 'Organisation code', 'Date received', 'Received from', 'Method of receipt', 'Description', 'Consent obtained', 'Complainant name'];
  const exported = Buffer.from(stringify([heading, [`DXW-${stamp}`, 'RJ2', '30/11/2026', 'Relative', 'Letter', 'Discharged without medication.', 'yes', 'Alex Example']]));
  await at.page.getByLabel('File').setInputFiles({ name: 'Complaints.csv', mimeType: 'text/csv', buffer: exported });
  await at.page.getByLabel('Mapping (optional)').setInputFiles({ name: 'datix.json', mimeType: 'application/json', buffer: mapping.bytes });
  await at.press('Start');
  await at.page.locator('#counts').waitFor({ timeout: 60_000 });
  expect(await at.page.locator('#mapped').textContent()).toContain('Datix (DCIQ) complaints export');
  expect(await at.page.locator('#counts').textContent()).toMatch(/Accepted \(dry run\)\s*1/);
  await at.check('imports-mapped');

  // A mapping that is not one comes back on the form, saying so.
  await at.goto('/imports');
  await at.page.getByLabel('File').setInputFiles({ name: 'Complaints.csv', mimeType: 'text/csv', buffer: exported });
  await at.page.getByLabel('Mapping (optional)').setInputFiles({ name: 'datix.json', mimeType: 'application/json', buffer: Buffer.from('not json') });
  await at.press('Start');
  expect(await at.errors()).toContain('must be a JSON mapping file');
});

test('no one but an administrator has the import pages', async () => {
  const at = await product.signIn('Sam Officer', 'quality_team');
  expect(await at.goto('/imports')).toBe(403);
  expect(await at.goto('/imports/template.xlsx')).toBe(403);
  expect(await at.page.getByRole('link', { name: 'Import cases' }).count()).toBe(0);
});
