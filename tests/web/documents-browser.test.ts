import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { Locator } from 'playwright-core';
import { addCalendarDays, londonDate } from '../../lib/calendar';
import { asCaller } from '../helpers/auth';
import { checkPage } from '../helpers/browser';
import { eventually } from '../helpers/harness';
import { browserApp } from '../pages/browser-app';
import type { AppPage } from '../pages/page';

/**
 * A case's documents and letters in a real browser (Debian's Chromium, Playwright) against the real
 * stack: signed in, a file uploaded on the case page and downloaded from it (the same SHA-256), and
 * an acknowledgement letter made from the page, in the large print the complainant needs, as the
 * page says; axe-core finds nothing on any page.
 */

const product = browserApp('web_documents');
const request = asCaller();
const today = () => londonDate(Date.now());
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

/** Click a download link; the name and bytes that arrive. */
async function downloaded(at: AppPage, link: Locator): Promise<{ name: string; bytes: Buffer }> {
  const [download] = await Promise.all([at.page.waitForEvent('download'), link.click()]);
  return { name: download.suggestedFilename(), bytes: await readFile((await download.path())!) };
}

test('signed in, a file uploaded on a case page downloads as the same bytes, and an acknowledgement letter is made from the page', async () => {
  const { h } = product;
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

  const at = await product.signIn('Sam Officer', 'quality_team');
  const kase = await product.caseAt(at, `/complaints/${reference}`);
  // The page says which format the complainant's letters take, and why.
  expect(await kase.page.locator('#letters ~ .nhsuk-inset-text').textContent()).toContain('Letters go in large print by default');
  await checkPage(kase.page, 'documents-case-before');

  // Upload: the design system's form on the case page.
  const bytes = Buffer.from(`%PDF-1.7\n%\u00e2\u00e3\u00cf\u00d3\n1 0 obj\n<<>>\nendobj\n${'x'.repeat(40_000)}\n%%EOF\n`, 'latin1');
  await kase.select('Kind of document', 'Complaint letter');
  await kase.fill('Note (optional)', 'Received by post');
  await kase.page.getByLabel('File').setInputFiles({ name: 'complaint letter.pdf', mimeType: 'application/pdf', buffer: bytes });
  await kase.press('Add the document');
  await kase.page.waitForURL(/\?done=document/);
  const got = await downloaded(kase, kase.page.getByRole('link', { name: 'complaint letter.pdf' }));
  expect(got.name).toBe('complaint letter.pdf');
  expect(sha(got.bytes)).toBe(sha(bytes));
  await checkPage(kase.page, 'documents-case-uploaded');

  // A letter: its form opens with the acknowledgement in large print chosen, and says why.
  const form = await kase.open('Make a letter');
  await form.page.waitForURL(/\/letters\?kind=acknowledgement&format=large_print$/);
  expect(await form.main()).toContain('the complainant’s recorded communication needs include large print');
  await checkPage(form.page, 'documents-make-letter');
  const made = await form.send();
  expect(await made.banner()).toContain('Letter made');
  const letter = await downloaded(made, made.page.getByRole('link', { name: `${reference} Acknowledgement letter (large print).pdf` }));
  expect(letter.bytes.subarray(0, 5).toString()).toBe('%PDF-');
  expect(await made.page.getByRole('link', { name: `${reference} Acknowledgement letter (large print).docx` }).count()).toBe(1);
  await checkPage(made.page, 'documents-letter-made');
});
