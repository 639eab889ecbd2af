import { addWorkingDays, londonDate } from '../../lib/calendar';
import { longDate } from '../../web/render';

import { asCaller, type Caller } from '../helpers/auth';
import { browserApp } from '../pages/browser-app';
import { CasePage } from '../pages/page';

/**
 * The CQRG meeting's pages in Chromium over the real stack: the chair's provider page with its
 * meeting cycle, the reporting plan's form, the meeting the plan opens (the same one opened by
 * hand), its page with the reports due, the record's form, and the last meeting's decisions on the
 * provider page; axe-core on each.
 */

const web = browserApp('cqrg_meeting_pages');
const today = () => londonDate(Date.now());
const CHAIR: Caller = { id: 'chris-chair-cqrg_chair', name: 'Chris Chair', roles: ['cqrg_chair'] };
const asChair = asCaller(CHAIR);
const CODE = 'RPG';
const meetingOn = () => addWorkingDays(today(), 25).due;
const pdf = Buffer.concat([Buffer.from('%PDF-1.7\n1 0 obj\n<<>>\nendobj\n', 'latin1'), Buffer.alloc(2000, 0x20), Buffer.from('\n%%EOF\n')]);

test('the chair sets the reporting plan, which opens the next meeting (opened by hand, the same one answers), sees its reports, and after the meeting its decisions', async () => {
  const chair = await web.signIn(CHAIR.name, 'cqrg_chair');
  await chair.goto(`/providers/${CODE}`);
  const cycle = chair.page.locator('#meeting-cycle');
  expect(await cycle.count()).toBe(1);
  expect(await chair.main()).toContain(`${CODE} has no reporting plan yet`);
  await chair.check('cqrg-meeting-provider-no-plan');
  await chair.page.getByRole('link', { name: 'Set its reporting plan' }).click();
  await chair.page.waitForURL(new RegExp(`/cqrg-meetings/reporting-plan/${CODE}$`));
  expect(await chair.heading()).toContain('Set the reporting plan');
  await chair.check('cqrg-meeting-reporting-plan-form');

  const plan = await asChair(web.h.app).put(`/api/providers/${CODE}/reporting-plan`).send({
    meetings: [meetingOn()],
    reports: [{ theme: 'friends_and_family_test', frequency: 'each_meeting' }, { theme: 'complaints_and_compliments', frequency: 'each_meeting', workingDaysBefore: 5 }],
  });
  expect(plan.status).toBe(201);
  // The plan opens its next meeting by itself: its reports are chased without a button pressed.
  const reference = plan.body.meetings[0].reference as string;
  expect(reference).toMatch(/^CQM-/);
  await chair.goto(`/providers/${CODE}`);
  expect(await chair.main()).not.toContain('not yet opened');
  expect(await chair.main()).toContain(reference);
  // Opened by hand as well, the form lands on the same meeting.
  await chair.goto(`/cqrg-meetings/new?providerCode=${CODE}&meetingOn=${meetingOn()}`);
  const open = chair.form('Open a CQRG meeting');
  await open.date('Meeting date', meetingOn());
  await open.check('cqrg-meeting-open-form');
  const meeting = await open.send();
  expect(meeting.reference).toBe(reference);
  expect(await meeting.heading()).toContain(reference);
  const reports = meeting.page.getByRole('table', { name: 'The provider’s reports for this meeting' });
  expect(await reports.textContent()).toContain('Friends and Family Test');
  expect(await meeting.offered()).toEqual(['Record a report received from the provider', 'Record the meeting']);
  await meeting.check('cqrg-meeting-page');

  const doc = await asChair(web.h.app).post(`/api/cqrg-meetings/${reference}/documents`).field('kind', 'provider_report').attach('file', pdf, 'fft.pdf');
  expect(doc.status).toBe(201);
  const received = await asChair(web.h.app).post(`/api/cqrg-meetings/${reference}/receive-report`).send({ theme: 'friends_and_family_test', receivedOn: today(), documents: [doc.body.id], figures: { fftRecommendPercent: 94, fftResponses: 1200 } });
  expect(received.status).toBe(200);
  await chair.goto(`/providers/${CODE}`);
  const due = chair.page.getByRole('table', { name: 'Reports due for the next meeting' });
  expect(await due.textContent()).toMatch(/Received/);
  expect(await due.textContent()).toMatch(/94/);
  await chair.check('cqrg-meeting-provider-next');

  await chair.goto(`/cqrg-meetings/${reference}`);
  const form = await new CasePage(chair.page).open('Record the meeting');
  expect(await form.heading()).toContain('Record the meeting');
  await form.check('cqrg-meeting-record-form');

  const recorded = await asChair(web.h.app).post(`/api/cqrg-meetings/${reference}/record`).send({
    heldOn: today(),
    attendance: [{ role: 'cqrg_chair', count: 1 }, { role: 'healthwatch', count: 1 }],
    items: [{ title: 'Friends and Family Test', discussion: 'Recommend rate steady at 94%.' }],
    decisions: [{ kind: 'request_visit', service: 'Older adults ward', summary: 'Soft intelligence about night staffing' }],
  });
  expect(recorded.status).toBe(200);
  await chair.goto(`/providers/${CODE}`);
  const decisions = chair.page.getByRole('table', { name: 'Decisions of the last meeting' });
  expect(await decisions.textContent()).toContain('Soft intelligence about night staffing');
  expect(await chair.main()).toContain(`Held ${longDate(today())}`);
  await chair.check('cqrg-meeting-provider-last');
  await chair.goto(`/cqrg-meetings/${reference}`);
  expect(await new CasePage(chair.page).changeable()).toBe(false);
  await chair.check('cqrg-meeting-page-recorded');
});

test('the provider page charts the last six packs, oldest first, and names the latest: not every pack the provider has had', async () => {
  const code = 'RJZ';
  const meetings = Array.from({ length: 8 }, (_, i) => `2026-${String(i + 1).padStart(2, '0')}-14`);
  await web.h.models.CqrgPack.insertMany(
    meetings.map((meetingOn, i) => ({ _id: `${code}:${meetingOn}`, providerCode: code, meetingOn, packOn: meetingOn, producedOn: meetingOn.replace(/-14$/, '-01'), chairId: CHAIR.id, counts: { red: i, amber: 1, green: 2, outstanding: i + 3 } })),
  );
  const chair = await web.signIn(CHAIR.name, 'cqrg_chair');
  await chair.goto(`/providers/${code}`);
  const table = chair.page.getByRole('table', { name: 'Outstanding actions by RAG at recent CQRG meetings' });
  const rows = await table.locator('tbody tr th').allTextContents();
  expect(rows).toEqual(meetings.slice(2).map(longDate));
  expect(await chair.page.locator('svg[aria-labelledby="rag-chart-title"] rect').count()).toBeGreaterThan(0);
  const latest = await chair.main();
  expect(latest).toContain('Latest pre-meeting pack');
  expect(latest).toMatch(new RegExp(`Meeting\\s*${longDate(meetings[7])}`));
  expect(latest).toMatch(new RegExp(`Produced\\s*${longDate('2026-08-01')}`));
  expect(latest).toContain('10 (7 red, 1 amber, 2 green)');
});
