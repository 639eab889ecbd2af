import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { once } from 'node:events';
import supertest from 'supertest';
import type { Browser } from 'playwright-core';
import { PackService } from '../../api/packs/service';
import { createReferenceData } from '../../api/reference-data';
import { SESSION_COOKIE } from '../../web/session';
import { seedPackData } from '../../bench/lib/seed-pack';
import { backfillReviewProviderKeys } from '../../activities/review/backfill';
import { backfillVisitIndexKeys } from '../../activities/visit/backfill';
import { checkPage, launchChromium } from '../helpers/browser';
import { tokenFor } from '../helpers/auth';
import { offlineApp, type OfflineApp } from '../helpers/offline-app';

/**
 * The CQRG pack (api/packs) on seeded records, each figure against a count made by hand below:
 * meeting 2026-12-08, the last one (a pack) 2026-11-10, so "since the last meeting" is 11 November
 * to 8 December and the last 12 months 9 December 2025 to 8 December 2026; today 5 December 2026.
 */
const CODE = 'RJ2';
const MEETING = '2026-12-08';
const TODAY = Date.parse('2026-12-05T12:00:00Z');

let offline: OfflineApp;
const chair = () => tokenFor({ id: 'chair-1', name: 'Chair', roles: ['cqrg_chair'] });

beforeAll(async () => {
  offline = await offlineApp('packs');
  await seedPackData(offline.models, CODE, {
    complaints: [
      // C1: since; acknowledged in time; its response date passed unanswered; open and overdue.
      { ref: 'CMP-2026-000001', receivedOn: '2026-11-12', acknowledgeBy: '2026-11-17', acknowledgedOn: '2026-11-14', status: 'acknowledged', nextDueOn: '2026-12-01', responseDueOn: '2026-12-01', subjects: ['appointments', 'communications'] },
      // C2: since; acknowledged late; response not yet due; open, not overdue.
      { ref: 'CMP-2026-000002', receivedOn: '2026-11-20', acknowledgeBy: '2026-11-25', acknowledgedOn: '2026-11-27', status: 'acknowledged', nextDueOn: '2027-01-05', responseDueOn: '2027-01-05', subjects: ['appointments'] },
      // C3: since; acknowledgement not yet due; uncoded.
      { ref: 'CMP-2026-000003', receivedOn: '2026-12-04', acknowledgeBy: '2026-12-09', status: 'received', nextDueOn: '2026-12-09' },
      // C4: received in the year, responded in time, closed upheld since the last meeting.
      { ref: 'CMP-2026-000004', receivedOn: '2026-06-01', acknowledgeBy: '2026-06-04', acknowledgedOn: '2026-06-03', responseDueOn: '2026-07-10', respondedOn: '2026-07-08', closedOn: '2026-11-15', outcome: 'upheld', status: 'completed', subjects: ['clinical_treatment'] },
      // C5: received in the year, responded late, closed not upheld in the year.
      { ref: 'CMP-2026-000005', receivedOn: '2026-03-01', acknowledgeBy: '2026-03-04', acknowledgedOn: '2026-03-02', responseDueOn: '2026-04-01', respondedOn: '2026-04-10', closedOn: '2026-05-01', outcome: 'not_upheld', status: 'completed', subjects: ['appointments'] },
      // C6: received before the year, closed partly upheld in it.
      { ref: 'CMP-2025-000006', receivedOn: '2025-10-01', acknowledgeBy: '2025-10-06', acknowledgedOn: '2025-10-02', closedOn: '2026-01-10', outcome: 'partly_upheld', status: 'completed' },
      // C8: received after the meeting: in neither period.
      { ref: 'CMP-2026-000008', receivedOn: '2026-12-09', acknowledgeBy: '2026-12-14', status: 'received', nextDueOn: '2026-12-14' },
    ],
    actions: [
      { id: 'CAP-2026-000001:1', theme: 'wres', dueOn: '2026-11-01' },
      { id: 'CAP-2026-000001:2', theme: 'wres', dueOn: '2026-12-07' },
      { id: 'CAP-2026-000002:1', theme: 'friends_and_family_test', dueOn: '2027-03-01' },
      { id: 'CAP-2026-000002:2', theme: 'friends_and_family_test', dueOn: '2026-11-01', completedOn: '2026-11-20' },
      { id: 'CAP-2026-000001:3', theme: 'wres', dueOn: '2026-01-20', completedOn: '2026-02-01' },
      { id: 'CAP-2025-000003:1', theme: 'friends_and_family_test', dueOn: '2025-05-01', completedOn: '2025-06-01' },
    ],
    visits: [
      { ref: 'VIS-2026-000001', status: 'planned', visitDate: '2027-01-10' },
      { ref: 'VIS-2026-000002', status: 'planned', visitDate: '2026-12-20' },
      { ref: 'VIS-2026-000003', status: 'completed', visitDate: '2026-10-01', finalReportOn: '2026-11-25', link: { status: 'awaiting_plan', recommendations: 3 } },
      { ref: 'VIS-2026-000004', status: 'completed', visitDate: '2026-02-01', finalReportOn: '2026-04-01', link: { status: 'planned', recommendations: 2 } },
      { ref: 'VIS-2023-000005', status: 'completed', visitDate: '2023-11-01', finalReportOn: '2024-01-01', link: { status: 'awaiting_plan', recommendations: 1 } },
      { ref: 'VIS-2026-000006', status: 'cancelled', visitDate: '2026-09-01' },
    ],
    reviews: [
      { ref: 'PIR-2026-000001', serviceName: 'Diabetes clinic', status: 'due', dueOn: '2026-12-20' },
      { ref: 'PIR-2026-000002', serviceName: 'Falls service', status: 'overdue', dueOn: '2026-11-01' },
      { ref: 'PIR-2026-000003', serviceName: 'Wound care', status: 'scheduled', dueOn: '2027-05-01' },
      { ref: 'PIR-2026-000004', serviceName: 'Podiatry', status: 'completed', dueOn: '2026-10-01' },
    ],
    packs: [
      { meetingOn: '2025-11-11', red: 9, amber: 9, green: 9 },
      { meetingOn: '2026-01-13', red: 1, amber: 2, green: 3 },
      { meetingOn: '2026-11-10', red: 2, amber: 1, green: 0 },
    ],
  });
  // Another provider's complaint, in the period: counted for it, never for RJ2.
  await seedPackData(offline.models, 'RXX', { complaints: [{ ref: 'CMP-2026-000007', receivedOn: '2026-11-20', acknowledgeBy: '2026-11-25', status: 'received', nextDueOn: '2026-11-25' }] });
});

afterAll(async () => {
  await offline.close();
});

describe('the pack’s figures against a hand count', () => {
  let pack: Awaited<ReturnType<PackService['build']>>;
  beforeAll(async () => {
    pack = await new PackService({ models: offline.models, referenceData: createReferenceData(offline.models) }).build(CODE, MEETING, TODAY);
  });

  it('takes its periods from the last meeting', () => {
    expect(pack.lastMeetingOn).toBe('2026-11-10');
    expect(pack.since).toEqual({ from: '2026-11-11', to: MEETING });
    expect(pack.year).toEqual({ from: '2025-12-09', to: MEETING });
  });

  it('counts complaints since the last meeting', () => {
    const s = pack.complaints.sinceLastMeeting;
    expect([s.received, s.open, s.overdue, s.closed]).toEqual([3, 3, 1, 1]);
    expect(s.closedByOutcome).toEqual({ upheld: 1, partly_upheld: 0, not_upheld: 0 });
    expect(s.acknowledgedWithin3WorkingDays).toEqual({ n: 1, of: 2, percent: 50 });
    expect(s.respondedByAgreedDate).toEqual({ n: 0, of: 1, percent: 0 });
    expect(s.themes).toEqual([{ subject: 'appointments', n: 2 }, { subject: 'communications', n: 1 }, { subject: 'uncoded', n: 1 }]);
  });

  it('counts complaints over the last 12 months', () => {
    const y = pack.complaints.last12Months;
    expect([y.received, y.open, y.overdue, y.closed]).toEqual([5, 3, 1, 3]);
    expect(y.closedByOutcome).toEqual({ upheld: 1, partly_upheld: 1, not_upheld: 1 });
    expect(y.acknowledgedWithin3WorkingDays).toEqual({ n: 3, of: 4, percent: 75 });
    expect(y.respondedByAgreedDate).toEqual({ n: 1, of: 3, percent: 33 });
    expect(y.themes).toEqual([{ subject: 'appointments', n: 3 }, { subject: 'clinical_treatment', n: 1 }, { subject: 'communications', n: 1 }, { subject: 'uncoded', n: 1 }]);
    const months = Object.fromEntries(pack.complaints.perMonth.map((m) => [m.month, m.n]));
    expect(pack.complaints.perMonth.map((m) => m.month)).toEqual(['2026-01', '2026-02', '2026-03', '2026-04', '2026-05', '2026-06', '2026-07', '2026-08', '2026-09', '2026-10', '2026-11', '2026-12']);
    expect(months).toMatchObject({ '2026-03': 1, '2026-06': 1, '2026-11': 2, '2026-12': 1, '2026-01': 0 });
  });

  it('counts actions by theme and RAG, and those closed', () => {
    const wres = pack.actions.byTheme.find((t) => t.theme === 'wres')!;
    const fft = pack.actions.byTheme.find((t) => t.theme === 'friends_and_family_test')!;
    expect(wres).toMatchObject({ red: 1, amber: 1, green: 0, closedSinceLastMeeting: 0, closedLast12Months: 1 });
    expect(fft).toMatchObject({ red: 0, amber: 0, green: 1, closedSinceLastMeeting: 1, closedLast12Months: 1 });
    expect(pack.actions.total).toEqual({ red: 1, amber: 1, green: 1, outstanding: 3, closedSinceLastMeeting: 1, closedLast12Months: 2 });
    expect(pack.actions.outstanding.map((a) => a.id)).toEqual(['CAP-2026-000001:1', 'CAP-2026-000001:2', 'CAP-2026-000002:1']);
  });

  it('counts visits, reviews and the RAG over meetings', () => {
    expect(pack.visits).toEqual({ planned: 2, reportsIssued: { sinceLastMeeting: 1, last12Months: 2 }, awaitingPlan: { visits: 2, recommendations: 4, references: ['VIS-2023-000005', 'VIS-2026-000003'] } });
    expect(pack.reviews).toEqual({ due: 1, overdue: 1, items: [{ reference: 'PIR-2026-000002', serviceName: 'Falls service', dueOn: '2026-11-01', overdue: true }, { reference: 'PIR-2026-000001', serviceName: 'Diabetes clinic', dueOn: '2026-12-20', overdue: false }] });
    expect(pack.charts.meetings).toEqual([{ meetingOn: '2026-01-13', red: 1, amber: 2, green: 3, outstanding: 6 }, { meetingOn: '2026-11-10', red: 2, amber: 1, green: 0, outstanding: 3 }]);
    // No meeting kept in the meeting record for this provider: its sections are empty.
    expect([pack.meetingRecord, pack.reportsDue, pack.decisions, pack.charts.fft]).toEqual([true, [], [], []]);
  });
});

describe('GET /api/providers/:code/pack', () => {
  const get = async (path: string, accept = 'application/json', token?: string) => supertest(offline.app).get(path).set('Authorization', `Bearer ${token ?? (await chair())}`).set('Accept', accept);

  it('answers JSON, CSV and PDF by Accept', async () => {
    const json = await get(`/api/providers/${CODE}/pack?meeting=${MEETING}`);
    expect(json.status).toBe(200);
    expect(json.body.complaints.sinceLastMeeting.received).toBe(3);
    expect(JSON.stringify(json.body)).not.toMatch(/seeded/); // no complaint text
    const csv = await get(`/api/providers/${CODE}/pack?meeting=${MEETING}`, 'text/csv');
    expect(csv.status).toBe(200);
    expect(csv.text.split('\r\n')[0]).toBe('section,table,row,column,value');
    expect(csv.text).toContain('complaints,complaints-figures,Received,Since last meeting,3');
    expect(csv.text).toContain('complaints,complaints-figures,Received,Last 12 months,5');
    expect(csv.text).toContain('visits,visits-figures,Recommendations awaiting a plan,Count,4');
    const pdf = await supertest(offline.app).get(`/api/providers/${CODE}/pack?meeting=${MEETING}`).set('Authorization', `Bearer ${await chair()}`).set('Accept', 'application/pdf').buffer(true).parse((res, cb) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => cb(null, Buffer.concat(chunks)));
    });
    expect(pdf.status).toBe(200);
    expect((pdf.body as Buffer).subarray(0, 5).toString()).toBe('%PDF-');
    expect((await get(`/api/providers/${CODE}/pack?meeting=${MEETING}`, 'image/png')).status).toBe(406);
  });

  it('a provider with no meeting before answers lastMeetingOn null, which its OpenAPI document allows (fuzzing found it refused)', async () => {
    const first = await get(`/api/providers/${CODE}/pack?meeting=2025-01-07`);
    expect(first.status).toBe(200);
    expect(first.body.lastMeetingOn).toBeNull();
    const spec = (await get('/api/openapi.json')).body;
    expect(spec.components.schemas.CqrgPackFigures.properties.lastMeetingOn).toMatchObject({ type: 'string', nullable: true });
  });

  it('refuses a bad meeting date with the field and why, an unknown provider as 404, a visit panel member as 403', async () => {
    const bad = await get(`/api/providers/${CODE}/pack?meeting=2026-13-01`);
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).toContain('meeting');
    expect((await get(`/api/providers/${CODE}/pack`)).status).toBe(400);
    expect((await get(`/api/providers/ZZZ9/pack?meeting=${MEETING}`)).status).toBe(404);
    const panel = await tokenFor({ id: 'p-1', name: 'Panel', roles: ['visit_panel'] });
    expect((await get(`/api/providers/${CODE}/pack?meeting=${MEETING}`, 'application/json', panel)).status).toBe(403);
  });
});

describe('the pack’s page', () => {
  const page = async (path: string) => supertest(offline.app).get(path).set('Cookie', `${SESSION_COOKIE}=${await chair()}`);

  it('shows every section, each chart with its table, and links its PDF and CSV', async () => {
    const res = await page(`/providers/${CODE}/pack?meeting=${MEETING}`);
    expect(res.status).toBe(200);
    for (const heading of ['Action plans: outstanding and recently closed', 'reports due for this meeting', 'last meeting’s decisions', `Escalated complaints about ${CODE}`, 'Insight visits', 'Six-month reviews', 'Friends and Family Test'])
      expect(res.text).toContain(heading);
    expect(res.text.match(/<svg xmlns="http:\/\/www.w3.org\/2000\/svg" role="img"/g)).toHaveLength(2);
    expect(res.text).toContain('Escalated complaints received each month');
    expect(res.text).toContain(`/providers/${CODE}/pack.pdf?meeting=${MEETING}`);
    expect((await page(`/providers/${CODE}/pack.csv?meeting=${MEETING}`)).text).toContain('section,table,row,column,value');
    expect((await page(`/providers/${CODE}/pack.pdf?meeting=${MEETING}`)).headers['content-type']).toBe('application/pdf');
  });

  it('passes axe (WCAG 2.2 AA) in Chromium', async () => {
    const server: Server = offline.app.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    let browser: Browser | undefined;
    try {
      browser = await launchChromium();
      const context = await browser.newContext();
      await context.addCookies([{ name: SESSION_COOKIE, value: await chair(), url: base }]);
      const tab = await context.newPage();
      await tab.goto(`${base}/providers/${CODE}/pack?meeting=${MEETING}`);
      await checkPage(tab, 'cqrg-pack');
    } finally {
      await browser?.close();
      await new Promise((resolve) => server.close(resolve));
    }
  }, 60_000);
});

describe('npm run backfill:index-keys', () => {
  it('gives a visit of before its report entry and a review its provider entry, once', async () => {
    const { Visit, Review, CaseIndex } = offline.models;
    await Visit.collection.insertOne({ _id: 'VIS-2020-000009', providerCode: 'RBF', status: 'completed', visitDate: '2020-01-10', indexKeys: [], projectionVersion: 3, workflow: { finalReportOn: '2020-03-01' } } as never);
    await Review.collection.insertOne({ _id: 'PIR-2020-000009', providerCode: 'RBF', serviceName: 'Old', status: 'due', dueOn: '2020-06-01' } as never);
    expect((await backfillVisitIndexKeys(offline.models)).moved).toBeGreaterThanOrEqual(1);
    expect(await CaseIndex.exists({ _id: 'visit|prpt|RBF|2020-03-01|VIS-2020-000009' })).toBeTruthy();
    expect((await Visit.findById('VIS-2020-000009', { indexKeys: 1 }).lean<{ indexKeys: string[] }>())?.indexKeys).toContain('visit|prpt|RBF|2020-03-01|VIS-2020-000009');
    await backfillReviewProviderKeys(offline.models);
    await backfillReviewProviderKeys(offline.models);
    expect(await CaseIndex.countDocuments({ _id: 'review|prv|RBF|PIR-2020-000009' })).toBe(1);
    // A second run moves nothing.
    const again = await backfillVisitIndexKeys(offline.models);
    expect(again.moved).toBe(0);
  });
});
