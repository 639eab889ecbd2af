import { createHash } from 'node:crypto';
import { once } from 'node:events';
import { readFile } from 'node:fs/promises';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { ROLE_LABELS, type Role } from '../../api/auth/roles';
import { addCalendarDays, londonDate } from '../../lib/calendar';
import { createApiHarness, type ApiHarness } from '../helpers/api-harness';
import { asCaller } from '../helpers/auth';
import { checkPage, launchChromium } from '../helpers/browser';
import { eventually } from '../helpers/harness';

/**
 * A case's documents and letters in a real browser (Debian's Chromium, Playwright) against the real
 * stack: signed in, a file uploaded on the case page and downloaded from it (the same SHA-256), and
 * an acknowledgement letter made from the page, in the large print the complainant needs, as the
 * page says; axe-core finds nothing on any page.
 */

let h: ApiHarness;
let server: Server;
let base: string;
let browser: Browser;
let context: BrowserContext;
const request = asCaller();
const today = () => londonDate(Date.now());
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

beforeAll(async () => {
  h = await createApiHarness('web_documents');
  server = h.app.listen(0, '127.0.0.1');
  await once(server, 'listening');
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  browser = await launchChromium();
});

afterAll(async () => {
  await context?.close();
  await browser?.close();
  await new Promise((resolve) => server?.close(resolve));
  await h?.teardown();
});

async function signIn(name: string, role: Role): Promise<Page> {
  context = await browser.newContext({ baseURL: base, acceptDownloads: true });
  context.setDefaultTimeout(15_000);
  const page = await context.newPage();
  await page.goto('/');
  await page.waitForURL(/\/sign-in/);
  await page.getByLabel('Your name').fill(name);
  await page.getByLabel(ROLE_LABELS[role]).check();
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForLoadState();
  return page;
}

/** Click a download link; the bytes that arrive. */
async function downloaded(page: Page, link: ReturnType<Page['getByRole']>): Promise<{ name: string; bytes: Buffer }> {
  const [download] = await Promise.all([page.waitForEvent('download'), link.click()]);
  return { name: download.suggestedFilename(), bytes: await readFile((await download.path())!) };
}

test('signed in, a file uploaded on a case page downloads as the same bytes, and an acknowledgement letter is made from the page', async () => {
  const opened = await request(h.app)
    .post('/api/complaints')
    .send({
      providerCode: 'RJ2',
      receivedAt: addCalendarDays(today(), -1),
      source: 'complainant',
      summary: 'Discharged without medication',
      consentToShare: true,
      complainant: { name: 'Alex Example', address: '1 High Street, Lewisham, SE13 5AB' },
      communicationNeeds: ['large_print'],
    });
  expect(opened.status).toBe(201);
  const reference = opened.body.reference as string;
  await eventually(async () => expect((await h.models.Complaint.findById(reference).lean())?.workflow).toBeTruthy());
  expect((await request(h.app).post(`/api/complaints/${reference}/acknowledge`).send({ acknowledgedOn: today() })).status).toBe(200);

  const page = await signIn('Sam Officer', 'quality_team');
  await page.goto(`/complaints/${reference}`);
  // The page says which format the complainant's letters take, and why.
  expect(await page.locator('#letters ~ .nhsuk-inset-text').textContent()).toContain('Letters go in large print by default');
  await checkPage(page, 'documents-case-before');

  // Upload: the design system's form on the case page.
  const bytes = Buffer.from(`%PDF-1.7\n%\u00e2\u00e3\u00cf\u00d3\n1 0 obj\n<<>>\nendobj\n${'x'.repeat(40_000)}\n%%EOF\n`, 'latin1');
  await page.getByLabel('Kind of document').selectOption({ label: 'Complaint letter' });
  await page.getByLabel('Note (optional)').fill('Received by post');
  await page.getByLabel('File').setInputFiles({ name: 'complaint letter.pdf', mimeType: 'application/pdf', buffer: bytes });
  await page.getByRole('button', { name: 'Add the document' }).click();
  await page.waitForURL(/\?done=document/);
  const got = await downloaded(page, page.getByRole('link', { name: 'complaint letter.pdf' }));
  expect(got.name).toBe('complaint letter.pdf');
  expect(sha(got.bytes)).toBe(sha(bytes));
  await checkPage(page, 'documents-case-uploaded');

  // A letter: its form chooses large print already, and says why.
  await page.getByRole('button', { name: 'Make a letter' }).click();
  await page.waitForURL(/\/letters\?kind=acknowledgement&format=large_print$/);
  expect(await page.textContent('main')).toContain('the complainant’s recorded communication needs include large print');
  await checkPage(page, 'documents-make-letter');
  await page.getByRole('button', { name: 'Make a letter' }).click();
  await page.waitForURL(/\?done=letter/);
  const pdfName = `${reference} Acknowledgement letter (large print).pdf`;
  const letter = await downloaded(page, page.getByRole('link', { name: pdfName }));
  expect(letter.bytes.subarray(0, 5).toString()).toBe('%PDF-');
  expect(await page.getByRole('link', { name: `${reference} Acknowledgement letter (large print).docx` }).count()).toBe(1);
  await checkPage(page, 'documents-letter-made');
});
