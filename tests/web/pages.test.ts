import { once } from 'node:events';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Worker } from '@temporalio/worker';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { createApp } from '../../api/app';
import { londonDate } from '../../lib/calendar';
import { createLogger } from '../../lib/logger';
import { seedReferenceData } from '../../models/seed';
import { createHarness, type Harness } from '../complaint/harness';
import { testAuthenticator } from '../helpers/auth';
import { checkPage, launchChromium } from '../helpers/browser';
import { createLocalTemporal } from '../helpers/env';

/**
 * The pages in a real browser (Debian's Chromium driven by Playwright) against the real stack:
 * FerretDB, the Temporal dev server and a worker. Each user group's main task end to end; axe-core
 * on every page; a screenshot of each.
 */

let h: Harness;
let worker: Worker;
let running: Promise<void>;
let server: Server;
let base: string;
let browser: Browser;
let app: ReturnType<typeof createApp>;
const logger = createLogger('silent');
const today = () => londonDate(Date.now());

beforeAll(async () => {
  h = await createHarness('web_pages', await createLocalTemporal());
  await seedReferenceData(h.db);
  worker = await h.createWorker();
  running = worker.run();
  app = createApp({ authenticator: testAuthenticator, models: h.models, temporal: h.env.client, taskQueue: h.taskQueue, logger });
  server = app.listen(0, '127.0.0.1');
  await once(server, 'listening');
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await new Promise((resolve) => server?.close(resolve));
  worker?.shutdown();
  await running;
  await h?.teardown();
});

const contexts: BrowserContext[] = [];
afterEach(async () => {
  await Promise.all(contexts.splice(0).map((c) => c.close()));
});

/** A browser of its own, signed in on the local sign-in page as `name` in `role`. */
async function signIn(name: string, role: string, opts: { javaScript?: boolean } = {}): Promise<Page> {
  const context = await browser.newContext({ baseURL: base, javaScriptEnabled: opts.javaScript ?? true });
  contexts.push(context);
  const page = await context.newPage();
  await page.goto('/');
  await page.waitForURL(/\/sign-in/);
  await page.getByLabel('Your name').fill(name);
  await page.getByLabel(roleLabel[role]).check();
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForLoadState();
  return page;
}

const roleLabel: Record<string, string> = {
  quality_team: 'Quality team',
  commissioner: 'Commissioner',
  cqrg_chair: 'CQRG chair',
  visit_panel: 'Visit panel member',
  auditor: 'Auditor (read only)',
  administrator: 'Administrator',
};

/** Fill the design system's date input (day, month, year) whose legend is `legend`. */
async function fillDate(page: Page, legend: string | RegExp, iso: string) {
  const group = page.getByRole('group', { name: legend });
  const [y, m, d] = iso.split('-');
  await group.getByLabel('Day').fill(String(Number(d)));
  await group.getByLabel('Month').fill(String(Number(m)));
  await group.getByLabel('Year').fill(y);
}

describe('quality team', () => {
  test('signs in, opens a complaint (errors first, then a case), acknowledges it, sees its deadlines and their working, and finds it in the work queue', async () => {
    const page = await signIn('Sam Officer', 'quality_team');
    expect(new URL(page.url()).pathname).toBe('/complaints');
    await checkPage(page, 'quality-team-work-queue');

    await page.getByRole('button', { name: 'Open a complaint case' }).click();
    await page.waitForURL(/\/complaints\/new$/);
    await checkPage(page, 'quality-team-open-complaint');

    // Sent empty: the design system's error summary, each problem beside its field.
    await page.getByRole('button', { name: 'Open a complaint case' }).click();
    const summary = page.locator('.nhsuk-error-summary');
    await expect(summary.getByRole('link', { name: /Provider ODS code/ })).toBeTruthy();
    expect(await summary.textContent()).toContain('There is a problem');
    expect(await page.title()).toMatch(/^Error: /);
    expect(await page.locator('#f-providerCode-error, .nhsuk-error-message').count()).toBeGreaterThan(0);
    await checkPage(page, 'quality-team-open-complaint-errors');

    await page.getByLabel('Provider ODS code').fill('RJ1');
    await fillDate(page, 'Date received', today());
    await page.getByRole('group', { name: 'Source' }).getByLabel('Complainant').check();
    await page.getByLabel('The complaint, in the complainant’s words').fill('My father waited nine hours in the emergency department without pain relief.');
    await page.getByRole('group', { name: /consented/ }).getByLabel('Yes').check();
    await page.getByRole('group', { name: /^Complainant/ }).getByLabel('Name').fill('Alex Example');
    await page.getByRole('button', { name: 'Open a complaint case' }).click();
    await page.waitForLoadState();
    expect(await page.locator('.nhsuk-error-summary').count().then(async (n) => (n ? page.locator('.nhsuk-error-summary').textContent() : ''))).toBe('');
    await page.waitForURL(/\/complaints\/CMP-\d{4}-\d{6}\?done=opened$/);
    const reference = /CMP-\d{4}-\d{6}/.exec(page.url())![0];
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toContain(reference);
    expect(await page.textContent('main')).toContain('Alex Example');
    await checkPage(page, 'quality-team-complaint-case');

    // Only the events a received case takes are offered.
    const offered = await page.locator('.oversight-actions a').allTextContents();
    expect(offered).toContain('Record the acknowledgement');
    expect(offered).not.toContain('Close the case');
    expect(offered).not.toContain('Record the response');

    await page.getByRole('button', { name: 'Record the acknowledgement' }).click();
    await checkPage(page, 'quality-team-acknowledge');
    await fillDate(page, 'Acknowledged on', today());
    await page.getByRole('button', { name: 'Record the acknowledgement' }).click();
    await page.waitForURL(new RegExp(`/complaints/${reference}\\?done=acknowledge$`));
    expect(await page.locator('.nhsuk-notification-banner').textContent()).toContain('Recorded');
    // The response deadline, and how its date was worked out.
    const response = page.locator('.oversight-deadlines li', { hasText: 'Response to the complainant' });
    await expect(response.count()).resolves.toBe(1);
    await response.getByText('How this date was worked out').click();
    expect(await response.textContent()).toMatch(/Working days\s*25/);
    expect(await response.textContent()).toContain('Counted from');
    const now = await page.locator('.oversight-actions a').allTextContents();
    expect(now).toEqual(expect.arrayContaining(['Record the response', 'Put on hold', 'Extend the response date']));
    expect(now).not.toContain('Record the acknowledgement');
    expect(await page.textContent('.oversight-timeline')).toContain('Acknowledged');

    await page.getByRole('link', { name: 'Complaints', exact: true }).click();
    const row = page.locator('tr', { hasText: reference });
    expect(await row.textContent()).toMatch(/working days? left|due today/);
  });
});
