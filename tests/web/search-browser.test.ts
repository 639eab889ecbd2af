import { addCalendarDays, londonDate } from '../../lib/calendar';
import { asCaller } from '../helpers/auth';
import { eventually } from '../helpers/harness';
import { browserApp } from '../pages/browser-app';
import { nhsNumber, seedComplaint } from '../search/fixtures';

/**
 * Search in a real browser against the real stack: the header's search box on every page, the
 * results page with its filters and marked words, and a new complaint's "possibly related" panel,
 * linked in one click and shown on both cases; a commissioner's search for a name finds nothing and
 * says only that. axe-core finds nothing on any page.
 */

const product = browserApp('web_search');
const request = asCaller();
const today = () => londonDate(Date.now());
const NHS = nhsNumber('943476591');

test('the header search finds a patient by NHS number; a new complaint shows the earlier one, linked in one click on both', async () => {
  const { h } = product;
  await seedComplaint(h.models, 'CMP-2026-000501', { receivedOn: addCalendarDays(today(), -90), providerCode: 'RJ2', summary: 'Waited nine hours in the emergency department', patient: { name: "Zoë O'Neill", nhsNumber: NHS } });
  const opened = await request(h.app)
    .post('/api/complaints')
    .send({ providerCode: 'RJ2', receivedAt: addCalendarDays(today(), -1), source: 'complainant', summary: 'The same ward again', consentToShare: true, madeBy: 'patient', complainant: { name: "Zoe O'Neill" }, patient: { name: "Zoe O'Neill", nhsNumber: NHS } });
  expect(opened.status).toBe(201);
  const reference = opened.body.reference as string;
  expect(opened.body.possiblyRelated.map((r: { reference: string }) => r.reference)).toEqual(['CMP-2026-000501']);
  await eventually(async () => expect((await h.models.Complaint.findById(reference, { searchKeys: 1 }).lean())?.searchKeys?.length).toBeGreaterThan(0));

  const at = await product.signIn('Sam Officer', 'quality_team');
  await at.goto('/complaints');
  await at.page.getByRole('searchbox', { name: 'Search cases' }).fill(`${NHS.slice(0, 3)} ${NHS.slice(3, 6)} ${NHS.slice(6)}`);
  await at.page.getByRole('button', { name: 'Search', exact: true }).first().click();
  await at.page.waitForURL(/\/search\?q=/);
  const results = at.page.locator('#results');
  expect((await results.getByRole('link').allTextContents()).sort()).toEqual([reference, 'CMP-2026-000501'].sort());
  await at.check('search-results');

  // A name, with a filter: the older case only; the matched word marked.
  await at.goto(`/search?q=${encodeURIComponent('zoe emergency')}&to=${addCalendarDays(today(), -30)}`);
  expect(await results.getByRole('link').allTextContents()).toEqual(['CMP-2026-000501']);
  expect(await results.locator('mark').allTextContents()).toContain('emergency');
  await at.goto('/search?q=x&from=2026-13-01');
  expect(await at.page.locator('.nhsuk-error-summary').textContent()).toContain('from');
  await at.check('search-bad-filter');

  // The new case's page: possibly related, linked in one click, then shown on both.
  const kase = await product.caseAt(at, `/complaints/${reference}`);
  expect(await kase.page.locator('#possibly-related').textContent()).toMatch(/CMP-2026-000501, \d+ months? apart, same provider; same NHS number/);
  await kase.check('search-possibly-related');
  await kase.press('Link CMP-2026-000501 as related');
  await kase.page.waitForURL(/\?done=related/);
  expect(await kase.page.locator('#possibly-related').textContent()).toContain('Linked');
  expect(await kase.page.locator('main').textContent()).toContain('CMP-2026-000501 (Related complaint)');
  await kase.goto('/complaints/CMP-2026-000501');
  expect(await kase.page.locator('main').textContent()).toContain(`${reference} (Related complaint)`);

  const commissioner = await product.signIn('Casey Commissioner', 'commissioner');
  await commissioner.goto(`/search?q=${encodeURIComponent("Zoë O'Neill")}`);
  expect(await commissioner.page.locator('#nothing-found').textContent()).toBe('Nothing found.');
  await commissioner.check('search-nothing-found');
}, 120_000);
