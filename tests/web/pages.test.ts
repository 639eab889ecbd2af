import { generateKeyPairSync } from 'node:crypto';
import { once } from 'node:events';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { createApp } from '../../api/app';
import { ROLE_LABELS, type Role } from '../../api/auth/roles';
import { createComplaintBody } from '../../api/complaints/schemas';
import { hashOf } from '../../api/kernel/cases';
import { financialYearOf } from '../../api/reports/period';
import { addCalendarMonths, addWorkingDays, londonDate } from '../../lib/calendar';
import { longDate } from '../../web/render';
import { eventually } from '../helpers/harness';
import { asCaller, tokenFor, type Caller } from '../helpers/auth';
import { createApiHarness, type ApiHarness } from '../helpers/api-harness';
import { checkPage, launchChromium } from '../helpers/browser';

/**
 * The pages in a real browser (Debian's Chromium driven by Playwright) against the real stack:
 * FerretDB, the Temporal dev server and a worker. Each user group's main task end to end; axe-core
 * on every page; a screenshot of each.
 */

let h: ApiHarness;
let server: Server;
let base: string;
let browser: Browser;
let app: ReturnType<typeof createApp>;
const today = () => londonDate(Date.now());

beforeAll(async () => {
  h = await createApiHarness('web_pages');
  app = h.app;
  server = app.listen(0, '127.0.0.1');
  await once(server, 'listening');
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await new Promise((resolve) => server?.close(resolve));
  await h?.teardown();
});

const contexts: BrowserContext[] = [];
afterEach(async () => {
  await Promise.all(contexts.splice(0).map((c) => c.close()));
});

/** A browser of its own, signed in on the local sign-in page as `name` in `role`. */
async function signIn(name: string, role: Role, opts: { javaScript?: boolean } = {}): Promise<Page> {
  const context = await browser.newContext({ baseURL: base, javaScriptEnabled: opts.javaScript ?? true });
  contexts.push(context);
  // A step that cannot happen fails in seconds, not at the test's timeout.
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


/** Fill the design system's date input (day, month, year) whose legend is `legend`. */
async function fillDate(page: Page | Locator, legend: string | RegExp, iso: string) {
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

    // The KO41a coding, in the tables' own words.
    expect(await page.locator('dl').first().textContent()).toContain('Not coded yet');
    await page.getByRole('button', { name: 'Record the KO41a coding' }).click();
    await page.getByLabel('Subject').first().selectOption({ label: 'Communications' });
    await checkPage(page, 'quality-team-ko41a-coding');
    await page.getByRole('button', { name: 'Record the KO41a coding' }).click();
    await page.waitForURL(new RegExp(`/complaints/${reference}\\?done=coding$`));
    expect(await page.locator('dl').first().textContent()).toContain('Communications');

    await page.getByRole('link', { name: 'Complaints', exact: true }).click();
    const row = page.locator('tr', { hasText: reference });
    expect(await row.textContent()).toMatch(/working days? left|due today/);
    await checkPage(page, 'quality-team-work-queue');
  });
});

describe('insight visits', () => {
  test('the quality team plans a visit with its panel; a panel member records that it took place', async () => {
    const page = await signIn('Sam Officer', 'quality_team');
    await page.goto('/visits/new');
    await page.getByLabel('Provider ODS code').fill('RJ1');
    await page.getByLabel('Service or ward').fill('Ward 7 (older people’s care)');
    await page.getByRole('group', { name: /^Reasons/ }).getByLabel('Complaints').check();
    await page.getByRole('group', { name: /announced/ }).getByLabel('No').check();
    await fillDate(page, 'Visit date', today());
    const members = [['Lee Lay', 'Lay member'], ['Pat Rep', 'Patient representative']];
    for (const [i, [name, role]] of members.entries()) {
      const row = page.getByRole('group', { name: `Panel member ${i + 1}`, exact: true });
      await row.getByLabel('Name').fill(name);
      await row.getByLabel('Role').selectOption({ label: role });
    }
    // The member who will record the visit, by the staff id they sign in with: a panel member sees only their own visits.
    await page.getByRole('group', { name: 'Panel member 1', exact: true }).getByLabel('Staff id').fill('lee-lay-visit_panel');
    await checkPage(page, 'quality-team-plan-visit');
    await page.getByRole('button', { name: 'Plan an insight visit' }).click();
    await page.waitForURL(/\/visits\/VIS-\d{4}-\d{6}\?done=opened$/);
    const reference = /VIS-\d{4}-\d{6}/.exec(page.url())![0];
    const panel = page.locator('table', { hasText: 'Role on the panel' });
    expect(await panel.textContent()).toMatch(/Lee Lay\s*Lay member/);
    expect(await panel.textContent()).toMatch(/Pat Rep\s*Patient representative/);
    await checkPage(page, 'quality-team-visit');

    const member = await signIn('Lee Lay', 'visit_panel');
    expect(new URL(member.url()).pathname).toBe('/visits');
    expect(await member.locator('tr', { hasText: reference }).textContent()).toContain('Ward 7');
    await checkPage(member, 'visit-panel-queue');
    await member.goto(`/visits/${reference}`);
    await member.getByRole('button', { name: 'Record that the visit took place' }).click();
    await fillDate(member, 'Visited on', today());
    await member.getByRole('button', { name: 'Record that the visit took place' }).click();
    await member.waitForURL(new RegExp(`/visits/${reference}\\?done=took-place$`));
    expect(await member.textContent('main')).toContain('Draft report');
    await checkPage(member, 'visit-panel-visit');
  });
});

describe('commissioners', () => {
  test('schedule a six-month review, record it with "you said, we did" pairs, and download the year’s engagement report', async () => {
    const page = await signIn('Pat Commissioner', 'commissioner');
    expect(new URL(page.url()).pathname).toBe('/reviews');
    await checkPage(page, 'commissioner-reviews');
    await page.getByRole('button', { name: 'Schedule a six-month review' }).click();
    await page.getByLabel('Redesigned service').fill('Community diabetes clinic, Bexley');
    await page.getByLabel('What changed').fill('Clinics moved from the acute site to three GP hubs');
    const goLive = addCalendarMonths(today(), -6);
    await fillDate(page, 'Go-live date', goLive);
    await page.getByLabel('Owner’s name').fill('Pat Commissioner');
    for (const name of ['Equality impact', 'Quality impact', 'Engagement log']) {
      await page.getByRole('group', { name: new RegExp(`^${name}`) }).getByLabel('Yes').check();
    }
    await page.getByLabel('Patient engagement that shaped the redesign').fill('Three listening events with Healthwatch');
    await checkPage(page, 'commissioner-schedule-review');
    await page.getByRole('button', { name: 'Schedule a six-month review' }).click();
    await page.waitForURL(/\/reviews\/PIR-\d{4}-\d{6}\?done=opened$/);
    const reference = /PIR-\d{4}-\d{6}/.exec(page.url())![0];

    await page.getByRole('button', { name: 'Record the review' }).click();
    await fillDate(page, 'Reviewed on', today());
    await page.getByLabel('Access').fill('Waits down from 9 to 4 weeks');
    await page.getByLabel('Outcomes').fill('HbA1c checks up 12%');
    await page.getByLabel('Experience').fill('FFT positive up from 82% to 91%');
    // No pair: the API's rule, shown beside the field.
    await page.getByRole('button', { name: 'Record the review' }).click();
    expect(await page.locator('.nhsuk-error-summary').textContent()).toMatch(/You said, we did/);
    const first = page.getByRole('group', { name: '“You said, we did” 1', exact: true });
    await first.getByLabel('You said').fill('Clinics are too far away');
    await first.getByLabel('We did').fill('Three GP hubs, one on each bus route');
    await checkPage(page, 'commissioner-record-review');
    await page.getByRole('button', { name: 'Record the review' }).click();
    await page.waitForURL(new RegExp(`/reviews/${reference}\\?done=record$`));
    expect(await page.textContent('main')).toContain('Three GP hubs, one on each bus route');
    // Recorded, the one thing left is to feed "you said, we did" back to those who took part.
    expect(await page.locator('.oversight-actions a').allTextContents()).toEqual(['Record feedback given to those who took part']);
    await checkPage(page, 'commissioner-review');

    // The engagement report's year is the financial year (April to March) today falls in.
    await page.goto(`/reviews/engagement?year=${financialYearOf(today())}`);
    expect(await page.textContent('main')).toContain('Clinics are too far away');
    await checkPage(page, 'commissioner-engagement-report');
    const csv = await page.request.get(`/reviews/engagement.csv?year=${financialYearOf(today())}`);
    expect(csv.status()).toBe(200);
    expect(csv.headers()['content-type']).toMatch(/^text\/csv/);
    expect(await csv.text()).toContain(`${reference},"Community diabetes clinic, Bexley",${goLive},${today()},Pat Commissioner,`);
  });
});

/** The chair as the local sign-in names them: the staff id a plan's chair is given. */
const CHAIR: Caller = { id: 'chris-chair-cqrg_chair', name: 'Chris Chair', roles: ['cqrg_chair'] };
const asOfficer = asCaller({ id: 'sam-officer', name: 'Sam Officer', roles: ['quality_team'] });
const asChair = asCaller(CHAIR);

describe('CQRG chairs', () => {
  test('pick a provider, see outstanding actions by RAG and theme, the chart of recent meetings with its table, the latest pack, and sign off a plan', async () => {
    const code = 'RV5';
    const plan = (actions: { description: string; dueOn: string }[]) =>
      asOfficer(app)
        .post('/api/action-plans')
        .send({
          providerCode: code,
          theme: 'accessible_information_standard',
          title: 'Accessible Information Standard',
          source: { kind: 'cqrg_meeting', meetingOn: today() },
          chair: { id: CHAIR.id, name: CHAIR.name },
          actions: actions.map((a) => ({ ...a, owner: { id: 'jo-bloggs', name: 'Jo Bloggs' } })),
        });
    const open = await plan([{ description: 'Flag communication needs on the PAS', dueOn: addWorkingDays(today(), 30).due }]);
    expect(open.status).toBe(201);
    const done = await plan([{ description: 'Easy read appointment letters', dueOn: addWorkingDays(today(), 5).due }]);
    expect(done.status).toBe(201);
    const evidence = [{ description: 'Letters audited: 40 of 40 in easy read', link: 'https://docs.example/audit' }];
    expect((await asOfficer(app).post(`/api/action-plans/${done.body.reference}/complete-action`).send({ action: 1, completedOn: today(), evidence })).status).toBe(200);
    // The chair accepts the evidence at the CQRG; then the plan awaits their sign-off.
    expect((await asChair(app).post(`/api/action-plans/${done.body.reference}/accept-evidence`).send({ action: 1, acceptedOn: today() })).status).toBe(200);
    // Three past meetings' packs, as the provider's CQRG Schedule stored them.
    const meetings = [addCalendarMonths(today(), -3), addCalendarMonths(today(), -2), addCalendarMonths(today(), -1)];
    await h.models.CqrgPack.insertMany(
      meetings.map((meetingOn, i) => ({
        _id: `${code}:${meetingOn}`,
        providerCode: code,
        meetingOn,
        packOn: meetingOn,
        producedOn: meetingOn,
        chairId: CHAIR.id,
        counts: { outstanding: 6 - i, red: 3 - i, amber: 2, green: 1 },
        actions: [],
      })),
    );

    const page = await signIn(CHAIR.name, 'cqrg_chair');
    expect(new URL(page.url()).pathname).toBe('/providers');
    await checkPage(page, 'cqrg-chair-providers');
    await page.getByLabel('Provider ODS code').fill(code);
    await page.getByRole('button', { name: 'Show the provider' }).click();
    await page.waitForURL(new RegExp(`/providers/${code}$`));
    const byTheme = page.locator('table', { hasText: 'All themes' });
    expect(await byTheme.textContent()).toMatch(/Accessible information standard/);
    // The chart, and the table that is its text alternative, give the same figures.
    const chart = page.getByRole('img', { name: /Outstanding actions by RAG at each of the last 3 CQRG meetings/ });
    expect(await chart.locator('rect').count()).toBe(9);
    const figures = page.getByRole('table', { name: 'Outstanding actions by RAG at recent CQRG meetings' });
    expect(await figures.locator('tbody tr').evaluateAll((rows) => rows.map((r) => [...r.children].map((c) => c.textContent?.trim()).join(' ')))).toEqual([
      `${longDate(meetings[0])} 3 2 1 6`,
      `${longDate(meetings[1])} 2 2 1 5`,
      `${longDate(meetings[2])} 1 2 1 4`,
    ]);
    expect(await page.locator('dl', { hasText: 'Meeting' }).textContent()).toContain(longDate(meetings[2]));
    expect(await page.textContent('main')).toContain('Flag communication needs on the PAS');
    await checkPage(page, 'cqrg-chair-provider');

    await page.getByRole('link', { name: done.body.reference }).click();
    await page.getByRole('button', { name: 'Sign off the plan' }).click();
    await fillDate(page, 'Signed off on', today());
    await page.getByLabel('Note (optional)').fill('Evidence seen at CQRG');
    await checkPage(page, 'cqrg-chair-sign-off');
    await page.getByRole('button', { name: 'Sign off the plan' }).click();
    await page.waitForURL(new RegExp(`/action-plans/${done.body.reference}\\?done=sign-off$`));
    expect(await page.locator('h1 + p').textContent()).toContain('Closed');
    expect(await page.locator('.oversight-actions').count()).toBe(0);
    await checkPage(page, 'cqrg-chair-plan');
  });
});

describe('CQRG chairs open plans', () => {
  test('a chair opens a plan from the provider page; it is theirs to sign off, its action on the chair’s list', async () => {
    // The owner, at the provider, is in the staff directory (an administrator added them).
    await h.models.Staff.updateOne({ _id: 'jo.bloggs@provider.nhs.uk' }, { $set: { name: 'Jo Bloggs', roles: [] } }, { upsert: true });
    const page = await signIn(CHAIR.name, 'cqrg_chair');
    await page.goto('/providers/RJ2');
    await page.getByRole('button', { name: 'Open an action plan' }).click();
    await page.waitForURL(/\/action-plans\/new\?providerCode=RJ2$/);
    expect(await page.getByLabel('Provider ODS code').inputValue()).toBe('RJ2');
    await page.getByLabel('Theme').selectOption({ label: 'Accessible information standard' });
    await page.getByLabel('Title').fill('Flag communication needs');
    await page.getByRole('group', { name: /^Where the plan comes from/ }).getByLabel('CQRG meeting').check();
    await fillDate(page, 'CQRG meeting date', today());
    const first = page.getByRole('group', { name: 'Action 1', exact: true });
    await first.getByLabel('Description').fill('Flag needs on the PAS for every outpatient');
    // People are picked from the directory, never typed: the chair chairs it unless they pick another.
    expect(await page.getByLabel('Who chairs it').inputValue()).toBe(CHAIR.id);
    await first.getByLabel('Who owns it').selectOption({ label: 'Jo Bloggs' });
    await fillDate(first, 'Due date', addWorkingDays(today(), 20).due);
    await checkPage(page, 'cqrg-chair-open-plan');
    await page.getByRole('button', { name: 'Open an action plan' }).click();
    await page.waitForURL(/\/action-plans\/CAP-\d{4}-\d{6}\?done=opened$/);
    expect(await page.locator('dl', { hasText: 'CQRG chair' }).textContent()).toContain(CHAIR.name);
    const offered = await page.locator('.oversight-actions a').allTextContents();
    expect(offered).toEqual(expect.arrayContaining(['Add an action', 'Submit evidence that an action is done']));
    expect(offered).not.toContain('Sign off the plan');
    await page.goto('/providers/RJ2');
    expect(await page.textContent('main')).toContain('Flag needs on the PAS for every outpatient');
  });
});

describe('every page respects the roles', () => {
  let reference: string;
  beforeAll(async () => {
    const res = await asOfficer(app)
      .post('/api/complaints')
      .send({ providerCode: 'RJ1', receivedAt: today(), source: 'complainant', summary: 'Discharged without a care plan', consentToShare: true, complainant: { name: 'Robin Private' } });
    expect(res.status).toBe(201);
    reference = res.body.reference;
  });

  test('a commissioner reads a complaint without the complainant’s details and without buttons to change it', async () => {
    const page = await signIn('Pat Commissioner', 'commissioner');
    await page.goto(`/complaints/${reference}`);
    const main = await page.textContent('main');
    expect(main).toContain(reference);
    expect(main).toContain('only the quality team sees the complainant’s and patient’s details');
    expect(main).not.toContain('Robin Private');
    expect(main).not.toContain('Discharged without a care plan');
    expect(await page.locator('.oversight-actions').count()).toBe(0);
    await checkPage(page, 'commissioner-complaint-redacted');
    // Nor can the form be reached or sent by address.
    expect((await page.goto(`/complaints/${reference}/acknowledge`))!.status()).toBe(403);
    await page.goto('/complaints');
    expect(await page.getByRole('button', { name: 'Open a complaint case' }).count()).toBe(0);
  });

  test('a visit panel member is refused the complaints, with a page that says so; signing out ends the session', async () => {
    const page = await signIn('Lee Lay', 'visit_panel');
    const res = await page.goto('/complaints');
    expect(res!.status()).toBe(403);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('You do not have access to this page');
    expect(await page.locator('nav a', { hasText: 'Complaints' }).count()).toBe(0);
    await checkPage(page, 'visit-panel-forbidden');
    expect((await page.goto('/visits/VIS-2000-000001'))!.status()).toBe(404);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Page not found');
    await checkPage(page, 'not-found');
    expect((await page.goto('/no-such-page'))!.status()).toBe(404);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Page not found');
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL(/\/sign-in$/);
    await checkPage(page, 'sign-in');
    await page.goto('/visits');
    await page.waitForURL(/\/sign-in\?next=%2Fvisits$/);
  });

  test('the audit trail records the pages’ reads of personal details and their changes, as it does the API’s', async () => {
    const page = await signIn('Sam Officer', 'quality_team');
    await page.goto(`/complaints/${reference}`);
    await page.getByRole('button', { name: 'Record consent' }).click();
    await page.getByRole('group', { name: /^Consent to share/ }).getByLabel('Yes').check();
    await fillDate(page, 'Recorded on', today());
    await page.getByRole('button', { name: 'Record consent' }).click();
    await page.waitForURL(new RegExp(`/complaints/${reference}\\?done=consent$`));
    await eventually(async () => {
      const entries = await h.models.Audit.find({ record: reference, 'actor.id': 'sam-officer-quality_team' }).lean();
      expect(entries.map((e) => e.action)).toEqual(expect.arrayContaining(['read personal details', 'consent']));
    });
  });
});

describe('forms without JavaScript', () => {
  test('a complaint is opened, its errors shown and corrected, with scripts off', async () => {
    const page = await signIn('Sam Officer', 'quality_team', { javaScript: false });
    await page.goto('/complaints/new');
    await page.getByLabel('Provider ODS code').fill('rj1!');
    await page.getByRole('button', { name: 'Open a complaint case' }).click();
    const summary = await page.locator('.nhsuk-error-summary').textContent();
    expect(summary).toContain('Provider ODS code: must be an ODS code such as RJ2');
    expect(summary).toContain('Enter date received');
    expect(summary).toContain('Select source');
    // zod's words are the API's; the page says what to do.
    expect(summary).not.toMatch(/Invalid|expected/);
    // What was typed is kept.
    expect(await page.getByLabel('Provider ODS code').inputValue()).toBe('rj1!');
    await page.getByLabel('Provider ODS code').fill('RJ1');
    await fillDate(page, 'Date received', today());
    await page.getByRole('group', { name: 'Source' }).getByLabel('Healthwatch').check();
    await page.getByLabel('The complaint, in the complainant’s words').fill('Not told about the change of ward');
    await page.getByRole('group', { name: /consented/ }).getByLabel('No').check();
    await page.getByRole('button', { name: 'Open a complaint case' }).click();
    await page.waitForURL(/\/complaints\/CMP-\d{4}-\d{6}\?done=opened$/);
  });
});

describe('as an adversary would', () => {
  test('a form posted without its form token (from another site) is refused and writes nothing', async () => {
    const page = await signIn('Sam Officer', 'quality_team');
    const before = await h.models.Complaint.countDocuments();
    const res = await page.request.post('/complaints/new', {
      form: { providerCode: 'RJ1', 'receivedAt[day]': '1', 'receivedAt[month]': '11', 'receivedAt[year]': '2026', source: 'mp', summary: 'x', consentToShare: 'false' },
      maxRedirects: 0,
    });
    expect(res.status()).toBe(403);
    expect(await h.models.Complaint.countDocuments()).toBe(before);
  });

  test('the same form sent twice at once (a double click) opens one case', async () => {
    const page = await signIn('Sam Officer', 'quality_team');
    await page.goto('/complaints/new');
    const form = Object.fromEntries(
      await page.locator('#main-form input[type=hidden]').evaluateAll((inputs) => inputs.map((i) => [i.getAttribute('name'), i.getAttribute('value')])),
    ) as Record<string, string>;
    const [d, m, y] = [today().slice(8), today().slice(5, 7), today().slice(0, 4)];
    const body = { ...form, providerCode: 'RJ1', 'receivedAt[day]': d, 'receivedAt[month]': m, 'receivedAt[year]': y, source: 'mp', summary: 'Sent twice', consentToShare: 'false' };
    const before = await h.models.Complaint.countDocuments();
    const [a, b] = await Promise.all([1, 2].map(() => page.request.post('/complaints/new', { form: body, maxRedirects: 0 })));
    expect([a.status(), b.status()]).toEqual([303, 303]);
    expect(a.headers().location).toMatch(/^\/complaints\/CMP-\d{4}-\d{6}\?done=opened$/);
    expect(b.headers().location).toBe(a.headers().location);
    expect(await h.models.Complaint.countDocuments()).toBe(before + 1);
  });

  test('a form whose first send died mid-way says so in words and is opened by sending it again; changed, it gets a new key', async () => {
    const page = await signIn('Sam Officer', 'quality_team');
    await page.goto('/complaints/new');
    const hidden = Object.fromEntries(
      await page.locator('#main-form input[type=hidden]').evaluateAll((inputs) => inputs.map((i) => [i.getAttribute('name'), i.getAttribute('value')])),
    ) as Record<string, string>;
    const fields = { providerCode: 'RJ1', receivedAt: today(), source: 'mp', summary: 'Sent as the API died', consentToShare: false };
    const [d, m, y] = [today().slice(8), today().slice(5, 7), today().slice(0, 4)];
    const form = (summary = fields.summary) => ({ ...hidden, providerCode: 'RJ1', 'receivedAt[day]': d, 'receivedAt[month]': m, 'receivedAt[year]': y, source: 'mp', summary, consentToShare: 'false' });
    // The first send claimed the form's key and died before writing the case (kill -9 there).
    const died = { _id: `complaints:${hidden._key}`, requestHash: hashOf({ body: createComplaintBody.parse(fields), by: 'sam-officer-quality_team' }), reference: 'CMP-2026-999999', createdAt: new Date() };
    await h.models.IdempotencyKey.collection.insertOne(died as never);

    const resent = await page.request.post('/complaints/new', { form: form(), maxRedirects: 0 });
    expect(resent.status()).toBe(409);
    const html = await resent.text();
    expect(html).toContain('This form was sent a moment ago and is still being processed. Wait a few seconds, then send it again.');
    expect(html).not.toContain('Idempotency-Key');
    expect(html).toContain(`name="_key" value="${hidden._key}"`);

    // Long enough after: the dead send's key is withdrawn, and the same form opens the case.
    await h.models.IdempotencyKey.collection.updateOne({ _id: died._id } as never, { $set: { createdAt: new Date(Date.now() - 120_000) } });
    const opened = await page.request.post('/complaints/new', { form: form(), maxRedirects: 0 });
    expect(opened.status()).toBe(303);
    expect(opened.headers().location).toMatch(/^\/complaints\/CMP-\d{4}-\d{6}\?done=opened$/);

    const changed = await page.request.post('/complaints/new', { form: form('Sent again with other words'), maxRedirects: 0 });
    expect(changed.status()).toBe(409);
    const again = await changed.text();
    expect(again).toContain('This form was sent before with other details, and that may have gone through: check before sending it again.');
    expect(again).not.toContain(`name="_key" value="${hidden._key}"`);
  });

  test('markup typed into a form is shown as text, never run; a sign-in cannot send anyone to another site', async () => {
    const page = await signIn('Sam Officer', 'quality_team');
    let dialogs = 0;
    page.on('dialog', (d) => {
      dialogs++;
      void d.dismiss();
    });
    const hostile = '<script>alert(1)</script><img src=x onerror=alert(2)>';
    await page.goto('/complaints/new');
    await page.getByLabel('Provider ODS code').fill('RJ1');
    await fillDate(page, 'Date received', today());
    await page.getByRole('group', { name: 'Source' }).getByLabel('Complainant').check();
    await page.getByLabel('The complaint, in the complainant’s words').fill(hostile);
    await page.getByRole('group', { name: /consented/ }).getByLabel('No').check();
    await page.getByRole('button', { name: 'Open a complaint case' }).click();
    await page.waitForURL(/\/complaints\/CMP-\d{4}-\d{6}\?done=opened$/);
    expect(await page.textContent('main')).toContain(hostile);
    expect(await page.locator('main script, main img').count()).toBe(0);
    expect(dialogs).toBe(0);

    const away = await browser.newContext({ baseURL: base });
    contexts.push(away);
    const other = await away.newPage();
    await other.goto('/sign-in?next=//evil.example/steal');
    await other.getByLabel('Your name').fill('Sam Officer');
    await other.getByLabel('Quality team').check();
    await other.getByRole('button', { name: 'Sign in' }).click();
    await other.waitForLoadState();
    expect(new URL(other.url()).origin).toBe(base);
    expect(new URL(other.url()).pathname).toBe('/complaints');
  });

  test('a forged or altered session cookie signs no one in', async () => {
    const context = await browser.newContext({ baseURL: base });
    contexts.push(context);
    const forged = await tokenFor({ id: 'x', name: 'Mallory', roles: ['administrator'] }, { key: generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey });
    await context.addCookies([{ name: 'oversight_session', value: forged, url: base }]);
    const page = await context.newPage();
    await page.goto('/complaints');
    expect(new URL(page.url()).pathname).toBe('/sign-in');
  });
});
