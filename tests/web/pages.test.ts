import { generateKeyPairSync } from 'node:crypto';
import { createComplaintBody } from '../../api/complaints/schemas';
import { hashOf } from '../../api/kernel/cases';
import { financialYearOf } from '../../api/reports/period';
import { addCalendarMonths, addWorkingDays, londonDate } from '../../lib/calendar';
import { longDate } from '../../web/render';
import { eventually } from '../helpers/harness';
import { asCaller, tokenFor, type Caller } from '../helpers/auth';
import { browserApp } from '../pages/browser-app';
import { AppPage, CasePage } from '../pages/page';

/**
 * The pages in a real browser (Debian's Chromium driven by Playwright) against the real stack:
 * FerretDB, the Temporal dev server and a worker. Each user group's main task end to end; axe-core
 * on every page; a screenshot of each.
 */

const web = browserApp('web_pages');
const today = () => londonDate(Date.now());
const signIn = web.signIn;

describe('quality team', () => {
  test('signs in, opens a complaint (errors first, then a case), acknowledges it, sees its deadlines and their working, and finds it in the work queue', async () => {
    const page = await signIn('Sam Officer', 'quality_team');
    expect(page.path).toBe('/complaints');

    await page.press('Open a complaint case');
    await page.page.waitForURL(/\/complaints\/new$/);
    await page.check('quality-team-open-complaint');

    // Sent empty: the design system's error summary, each problem beside its field.
    const open = page.form('Open a complaint case');
    const problems = await open.refused();
    expect(problems).toContain('There is a problem');
    expect(problems).toContain('Enter provider ODS code');
    expect(await page.page.title()).toMatch(/^Error: /);
    expect(await page.page.locator('#f-providerCode-error, .nhsuk-error-message').count()).toBeGreaterThan(0);
    await page.check('quality-team-open-complaint-errors');

    await open.fill('Provider ODS code', 'RJ1');
    await open.date('Date received', today());
    await open.choose('Source', 'Complainant');
    await open.fill('The complaint, in the complainant’s words', 'My father waited nine hours in the emergency department without pain relief.');
    await open.choose(/consented/, 'Yes');
    await open.fill('Name', 'Alex Example', open.group(/^Complainant/));
    const kase = await open.send();
    expect(await kase.errors()).toBe('');
    expect(kase.page.url()).toMatch(/\/complaints\/CMP-\d{4}-\d{6}\?done=opened$/);
    const reference = kase.reference;
    expect(await kase.heading()).toContain(reference);
    expect(await kase.main()).toContain('Alex Example');
    await kase.check('quality-team-complaint-case');

    // Only the events a received case takes are offered.
    const offered = await kase.offered();
    expect(offered).toContain('Record the acknowledgement');
    expect(offered).not.toContain('Close the case');
    expect(offered).not.toContain('Record the response');

    const acknowledge = await kase.open('Record the acknowledgement');
    await acknowledge.check('quality-team-acknowledge');
    await acknowledge.date('Acknowledged on', today());
    const acknowledged = await acknowledge.send();
    expect(acknowledged.page.url()).toMatch(new RegExp(`/complaints/${reference}\\?done=acknowledge$`));
    expect(await acknowledged.banner()).toContain('Recorded');
    // The response deadline, and how its date was worked out.
    const response = acknowledged.deadline('Response to the complainant');
    await expect(response.count()).resolves.toBe(1);
    await response.getByText('How this date was worked out').click();
    expect(await response.textContent()).toMatch(/Working days\s*25/);
    expect(await response.textContent()).toContain('Counted from');
    const now = await acknowledged.offered();
    expect(now).toEqual(expect.arrayContaining(['Record the response', 'Put on hold', 'Extend the response date']));
    expect(now).not.toContain('Record the acknowledgement');
    expect(await acknowledged.timeline()).toContain('Acknowledged');

    // The KO41a coding, in the tables' own words.
    expect(await acknowledged.details().textContent()).toContain('Not coded yet');
    const coding = await acknowledged.open('Record the KO41a coding');
    // Each aspect of the complaint is a row of its own: the first one's subject.
    await coding.select('Subject', 'Communications', coding.group(/aspect of the complaint.* 1$/));
    await coding.check('quality-team-ko41a-coding');
    const coded = await coding.send();
    expect(coded.page.url()).toMatch(new RegExp(`/complaints/${reference}\\?done=coding$`));
    expect(await coded.details().textContent()).toContain('Communications');

    await coded.page.getByRole('link', { name: 'Complaints', exact: true }).click();
    expect(await coded.row(reference).textContent()).toMatch(/working days? left|due today/);
    await coded.check('quality-team-work-queue');
  });
});

describe('insight visits', () => {
  test('the quality team plans a visit with its panel; a panel member records that it took place', async () => {
    const page = await signIn('Sam Officer', 'quality_team');
    await page.goto('/visits/new');
    const plan = page.form('Plan an insight visit');
    await plan.fill('Provider ODS code', 'RJ1');
    await plan.fill('Service or ward', 'Ward 7 (older people’s care)');
    await plan.choose(/^Reasons/, 'Complaints');
    await plan.choose(/announced/, 'No');
    await plan.date('Visit date', today());
    const members = [['Lee Lay', 'Lay member'], ['Pat Rep', 'Patient representative']];
    for (const [i, [name, role]] of members.entries()) {
      const seat = plan.group(`Panel member ${i + 1}`, true);
      await plan.fill('Name', name, seat);
      await plan.select('Role', role, seat);
    }
    // The member who will record the visit, by the staff id they sign in with: a panel member sees only their own visits.
    await plan.fill('Staff id', 'lee-lay-visit_panel', plan.group('Panel member 1', true));
    await plan.check('quality-team-plan-visit');
    const visit = await plan.send();
    expect(visit.page.url()).toMatch(/\/visits\/VIS-\d{4}-\d{6}\?done=opened$/);
    const reference = visit.reference;
    const panel = visit.page.locator('table', { hasText: 'Role on the panel' });
    expect(await panel.textContent()).toMatch(/Lee Lay\s*Lay member/);
    expect(await panel.textContent()).toMatch(/Pat Rep\s*Patient representative/);
    await visit.check('quality-team-visit');

    const member = await signIn('Lee Lay', 'visit_panel');
    expect(member.path).toBe('/visits');
    expect(await member.row(reference).textContent()).toContain('Ward 7');
    await member.check('visit-panel-queue');
    const theirs = await web.caseAt(member, `/visits/${reference}`);
    const tookPlace = await theirs.open('Record that the visit took place');
    await tookPlace.date('Visited on', today());
    const visited = await tookPlace.send();
    expect(visited.page.url()).toMatch(new RegExp(`/visits/${reference}\\?done=took-place$`));
    expect(await visited.main()).toContain('Draft report');
    await visited.check('visit-panel-visit');
  });
});

describe('commissioners', () => {
  test('schedule a six-month review, record it with "you said, we did" pairs, and download the year’s engagement report', async () => {
    const page = await signIn('Pat Commissioner', 'commissioner');
    expect(page.path).toBe('/reviews');
    await page.check('commissioner-reviews');
    await page.press('Schedule a six-month review');
    const schedule = page.form('Schedule a six-month review');
    await schedule.fill('Redesigned service', 'Community diabetes clinic, Bexley');
    await schedule.fill('What changed', 'Clinics moved from the acute site to three GP hubs');
    const goLive = addCalendarMonths(today(), -6);
    await schedule.date('Go-live date', goLive);
    await schedule.fill('Owner’s name', 'Pat Commissioner');
    for (const name of ['Equality impact', 'Quality impact', 'Engagement log']) await schedule.choose(new RegExp(`^${name}`), 'Yes');
    await schedule.fill('Patient engagement that shaped the redesign', 'Three listening events with Healthwatch');
    await schedule.check('commissioner-schedule-review');
    const review = await schedule.send();
    expect(review.page.url()).toMatch(/\/reviews\/PIR-\d{4}-\d{6}\?done=opened$/);
    const reference = review.reference;

    const record = await review.open('Record the review');
    await record.date('Reviewed on', today());
    await record.fill('Access', 'Waits down from 9 to 4 weeks');
    await record.fill('Outcomes', 'HbA1c checks up 12%');
    await record.fill('Experience', 'FFT positive up from 82% to 91%');
    // No pair: the API's rule, shown beside the field.
    expect(await record.refused()).toMatch(/You said, we did/);
    const first = record.group('“You said, we did” 1', true);
    await record.fill('You said', 'Clinics are too far away', first);
    await record.fill('We did', 'Three GP hubs, one on each bus route', first);
    await record.check('commissioner-record-review');
    const recorded = await record.send();
    expect(recorded.page.url()).toMatch(new RegExp(`/reviews/${reference}\\?done=record$`));
    expect(await recorded.main()).toContain('Three GP hubs, one on each bus route');
    // Recorded, what is left is to feed "you said, we did" back to those who took part, and notes.
    expect(await recorded.offered()).toEqual(['Record feedback given to those who took part', 'Add a note']);
    await recorded.check('commissioner-review');

    // The engagement report's year is the financial year (April to March) today falls in.
    await page.goto(`/reviews/engagement?year=${financialYearOf(today())}`);
    expect(await page.main()).toContain('Clinics are too far away');
    await page.check('commissioner-engagement-report');
    const csv = await page.page.request.get(`/reviews/engagement.csv?year=${financialYearOf(today())}`);
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
      asOfficer(web.h.app)
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
    expect((await asOfficer(web.h.app).post(`/api/action-plans/${done.body.reference}/complete-action`).send({ action: 1, completedOn: today(), evidence })).status).toBe(200);
    // The chair accepts the evidence at the CQRG; then the plan awaits their sign-off.
    expect((await asChair(web.h.app).post(`/api/action-plans/${done.body.reference}/accept-evidence`).send({ action: 1, acceptedOn: today() })).status).toBe(200);
    // Three past meetings' packs, as the provider's CQRG Schedule stored them.
    const meetings = [addCalendarMonths(today(), -3), addCalendarMonths(today(), -2), addCalendarMonths(today(), -1)];
    await web.h.models.CqrgPack.insertMany(
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

    const chair = await signIn(CHAIR.name, 'cqrg_chair');
    expect(chair.path).toBe('/providers');
    await chair.check('cqrg-chair-providers');
    await chair.fill('Provider ODS code', code);
    await chair.press('Show the provider');
    const page = chair.page;
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
    await chair.check('cqrg-chair-provider');

    await page.getByRole('link', { name: done.body.reference }).click();
    const signOff = await new CasePage(page).open('Sign off the plan');
    await signOff.date('Signed off on', today());
    await signOff.fill('Note (optional)', 'Evidence seen at CQRG');
    await signOff.check('cqrg-chair-sign-off');
    const closed = await signOff.send();
    expect(closed.page.url()).toMatch(new RegExp(`/action-plans/${done.body.reference}\\?done=sign-off$`));
    expect(await page.locator('h1 + p').textContent()).toContain('Closed');
    expect(await closed.changeable()).toBe(false);
    await closed.check('cqrg-chair-plan');
  });
});

describe('CQRG chairs open plans', () => {
  test('a chair opens a plan from the provider page; it is theirs to sign off, its action on the chair’s list', async () => {
    // The owner, at the provider, is in the staff directory (an administrator added them).
    await web.h.models.Staff.updateOne({ _id: 'jo.bloggs@provider.nhs.uk' }, { $set: { name: 'Jo Bloggs', roles: [] } }, { upsert: true });
    const page = await signIn(CHAIR.name, 'cqrg_chair');
    await page.goto('/providers/RJ2');
    await page.press('Open an action plan');
    await page.page.waitForURL(/\/action-plans\/new\?providerCode=RJ2$/);
    const open = page.form('Open an action plan');
    expect(await open.page.getByLabel('Provider ODS code').inputValue()).toBe('RJ2');
    await open.select('Theme', 'Accessible information standard');
    await open.fill('Title', 'Flag communication needs');
    await open.choose(/^Where the plan comes from/, 'CQRG meeting');
    await open.date('CQRG meeting date', today());
    const first = open.group('Action 1', true);
    await open.fill('Description', 'Flag needs on the PAS for every outpatient', first);
    // People are picked from the directory, never typed: the chair chairs it unless they pick another.
    expect(await open.page.getByLabel('Who chairs it').inputValue()).toBe(CHAIR.id);
    await open.select('Who owns it', 'Jo Bloggs', first);
    await open.date('Due date', addWorkingDays(today(), 20).due, first);
    await open.check('cqrg-chair-open-plan');
    const plan = await open.send();
    expect(plan.page.url()).toMatch(/\/action-plans\/CAP-\d{4}-\d{6}\?done=opened$/);
    expect(await plan.details('CQRG chair').textContent()).toContain(CHAIR.name);
    const offered = await plan.offered();
    expect(offered).toEqual(expect.arrayContaining(['Add an action', 'Submit evidence that an action is done']));
    expect(offered).not.toContain('Sign off the plan');
    await page.goto('/providers/RJ2');
    expect(await page.main()).toContain('Flag needs on the PAS for every outpatient');
  });
});

describe('every page respects the roles', () => {
  let reference: string;
  beforeAll(async () => {
    const res = await asOfficer(web.h.app)
      .post('/api/complaints')
      .send({ providerCode: 'RJ1', receivedAt: today(), source: 'complainant', summary: 'Discharged without a care plan', consentToShare: true, complainant: { name: 'Robin Private' } });
    expect(res.status).toBe(201);
    reference = res.body.reference;
  });

  test('a commissioner reads a complaint without the complainant’s details and without buttons to change it', async () => {
    const page = await signIn('Pat Commissioner', 'commissioner');
    const kase = await web.caseAt(page, `/complaints/${reference}`);
    const main = await kase.main();
    expect(main).toContain(reference);
    expect(main).toContain('only the quality team sees the complainant’s and patient’s details');
    expect(main).not.toContain('Robin Private');
    expect(main).not.toContain('Discharged without a care plan');
    expect(await kase.changeable()).toBe(false);
    await kase.check('commissioner-complaint-redacted');
    // Nor can the form be reached or sent by address.
    expect(await page.goto(`/complaints/${reference}/acknowledge`)).toBe(403);
    await page.goto('/complaints');
    expect(await page.page.getByRole('button', { name: 'Open a complaint case' }).count()).toBe(0);
  });

  test('a visit panel member is refused the complaints, with a page that says so; signing out ends the session', async () => {
    const page = await signIn('Lee Lay', 'visit_panel');
    expect(await page.goto('/complaints')).toBe(403);
    expect(await page.heading()).toBe('You do not have access to this page');
    expect(await page.page.locator('nav a', { hasText: 'Complaints' }).count()).toBe(0);
    await page.check('visit-panel-forbidden');
    expect(await page.goto('/visits/VIS-2000-000001')).toBe(404);
    expect(await page.heading()).toBe('Page not found');
    await page.check('not-found');
    expect(await page.goto('/no-such-page')).toBe(404);
    expect(await page.heading()).toBe('Page not found');
    await page.press('Sign out');
    await page.page.waitForURL(/\/sign-in$/);
    await page.check('sign-in');
    await page.goto('/visits');
    await page.page.waitForURL(/\/sign-in\?next=%2Fvisits$/);
  });

  test('the audit trail records the pages’ reads of personal details and their changes, as it does the API’s', async () => {
    const page = await signIn('Sam Officer', 'quality_team');
    const kase = await web.caseAt(page, `/complaints/${reference}`);
    const consent = await kase.open('Record consent');
    await consent.choose(/^Consent to share/, 'Yes');
    await consent.date('Recorded on', today());
    expect((await consent.send()).page.url()).toMatch(new RegExp(`/complaints/${reference}\\?done=consent$`));
    await eventually(async () => {
      const entries = await web.h.models.Audit.find({ record: reference, 'actor.id': 'sam-officer-quality_team' }).lean();
      expect(entries.map((e) => e.action)).toEqual(expect.arrayContaining(['read personal details', 'consent']));
    });
  });
});

describe('forms without JavaScript', () => {
  test('a complaint is opened, its errors shown and corrected, with scripts off', async () => {
    const page = await signIn('Sam Officer', 'quality_team', { javaScript: false });
    await page.goto('/complaints/new');
    const open = page.form('Open a complaint case');
    await open.fill('Provider ODS code', 'rj1!');
    const summary = await open.refused();
    expect(summary).toContain('Provider ODS code: must be an ODS code such as RJ2');
    expect(summary).toContain('Enter date received');
    expect(summary).toContain('Select source');
    // zod's words are the API's; the page says what to do.
    expect(summary).not.toMatch(/Invalid|expected/);
    // What was typed is kept.
    expect(await open.page.getByLabel('Provider ODS code').inputValue()).toBe('rj1!');
    await open.fill('Provider ODS code', 'RJ1');
    await open.date('Date received', today());
    await open.choose('Source', 'Healthwatch');
    await open.fill('The complaint, in the complainant’s words', 'Not told about the change of ward');
    await open.choose(/consented/, 'No');
    expect((await open.send()).page.url()).toMatch(/\/complaints\/CMP-\d{4}-\d{6}\?done=opened$/);
  });
});

describe('as an adversary would', () => {
  test('a form posted without its form token (from another site) is refused and writes nothing', async () => {
    const { page } = await signIn('Sam Officer', 'quality_team');
    const before = await web.h.models.Complaint.countDocuments();
    const res = await page.request.post('/complaints/new', {
      form: { providerCode: 'RJ1', 'receivedAt[day]': '1', 'receivedAt[month]': '11', 'receivedAt[year]': '2026', source: 'mp', summary: 'x', consentToShare: 'false' },
      maxRedirects: 0,
    });
    expect(res.status()).toBe(403);
    expect(await web.h.models.Complaint.countDocuments()).toBe(before);
  });

  test('the same form sent twice at once (a double click) opens one case', async () => {
    const { page } = await signIn('Sam Officer', 'quality_team');
    await page.goto('/complaints/new');
    const form = Object.fromEntries(
      await page.locator('#main-form input[type=hidden]').evaluateAll((inputs) => inputs.map((i) => [i.getAttribute('name'), i.getAttribute('value')])),
    ) as Record<string, string>;
    const [d, m, y] = [today().slice(8), today().slice(5, 7), today().slice(0, 4)];
    const body = { ...form, providerCode: 'RJ1', 'receivedAt[day]': d, 'receivedAt[month]': m, 'receivedAt[year]': y, source: 'mp', summary: 'Sent twice', consentToShare: 'false' };
    const before = await web.h.models.Complaint.countDocuments();
    const [a, b] = await Promise.all([1, 2].map(() => page.request.post('/complaints/new', { form: body, maxRedirects: 0 })));
    expect([a.status(), b.status()]).toEqual([303, 303]);
    expect(a.headers().location).toMatch(/^\/complaints\/CMP-\d{4}-\d{6}\?done=opened$/);
    expect(b.headers().location).toBe(a.headers().location);
    expect(await web.h.models.Complaint.countDocuments()).toBe(before + 1);
  });

  test('a form whose first send died mid-way says so in words and is opened by sending it again; changed, it gets a new key', async () => {
    const { page } = await signIn('Sam Officer', 'quality_team');
    await page.goto('/complaints/new');
    const hidden = Object.fromEntries(
      await page.locator('#main-form input[type=hidden]').evaluateAll((inputs) => inputs.map((i) => [i.getAttribute('name'), i.getAttribute('value')])),
    ) as Record<string, string>;
    const fields = { providerCode: 'RJ1', receivedAt: today(), source: 'mp', summary: 'Sent as the API died', consentToShare: false };
    const [d, m, y] = [today().slice(8), today().slice(5, 7), today().slice(0, 4)];
    const form = (summary = fields.summary) => ({ ...hidden, providerCode: 'RJ1', 'receivedAt[day]': d, 'receivedAt[month]': m, 'receivedAt[year]': y, source: 'mp', summary, consentToShare: 'false' });
    // The first send claimed the form's key and died before writing the case (kill -9 there).
    const died = { _id: `complaints:${hidden._key}`, requestHash: hashOf({ body: createComplaintBody.parse(fields), by: 'sam-officer-quality_team' }), reference: 'CMP-2026-999999', createdAt: new Date() };
    await web.h.models.IdempotencyKey.collection.insertOne(died as never);

    const resent = await page.request.post('/complaints/new', { form: form(), maxRedirects: 0 });
    expect(resent.status()).toBe(409);
    const html = await resent.text();
    expect(html).toContain('This form was sent a moment ago and is still being processed. Wait a few seconds, then send it again.');
    expect(html).not.toContain('Idempotency-Key');
    expect(html).toContain(`name="_key" value="${hidden._key}"`);

    // Long enough after: the dead send's key is withdrawn, and the same form opens the case.
    await web.h.models.IdempotencyKey.collection.updateOne({ _id: died._id } as never, { $set: { createdAt: new Date(Date.now() - 120_000) } });
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
    const { page } = await signIn('Sam Officer', 'quality_team');
    let dialogs = 0;
    page.on('dialog', (d) => {
      dialogs++;
      void d.dismiss();
    });
    const hostile = '<script>alert(1)</script><img src=x onerror=alert(2)>';
    const at = new AppPage(page);
    await at.goto('/complaints/new');
    const open = at.form('Open a complaint case');
    await open.fill('Provider ODS code', 'RJ1');
    await open.date('Date received', today());
    await open.choose('Source', 'Complainant');
    await open.fill('The complaint, in the complainant’s words', hostile);
    await open.choose(/consented/, 'No');
    const opened = await open.send();
    expect(opened.page.url()).toMatch(/\/complaints\/CMP-\d{4}-\d{6}\?done=opened$/);
    expect(await opened.main()).toContain(hostile);
    expect(await page.locator('main script, main img').count()).toBe(0);
    expect(dialogs).toBe(0);

    const { page: other } = await web.anonymous();
    await other.goto('/sign-in?next=//evil.example/steal');
    await other.getByLabel('Your name').fill('Sam Officer');
    await other.getByLabel('Quality team').check();
    await other.getByRole('button', { name: 'Sign in' }).click();
    await other.waitForLoadState();
    expect(new URL(other.url()).origin).toBe(web.base);
    expect(new URL(other.url()).pathname).toBe('/complaints');
  });

  test('a forged or altered session cookie signs no one in', async () => {
    const { page } = await web.anonymous();
    const forged = await tokenFor({ id: 'x', name: 'Mallory', roles: ['administrator'] }, { key: generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey });
    await page.context().addCookies([{ name: 'oversight_session', value: forged, url: web.base }]);
    await page.goto('/complaints');
    expect(new URL(page.url()).pathname).toBe('/sign-in');
  });
});
