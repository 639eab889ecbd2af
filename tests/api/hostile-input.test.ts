import supertest from 'supertest';
import { addCalendarDays, addWorkingDays, londonDate } from '../../lib/calendar';
import { seedReferenceData } from '../../models/seed';
import { SESSION_COOKIE } from '../../web/session';
import { STAFF, tokenFor } from '../helpers/auth';
import { offlineApp, type OfflineApp } from '../helpers/offline-app';

/**
 * What an attacker sends that no form would: refused at the edge with a 400 that says why,
 * never a 500, and before anything reaches Temporal (which is never reachable here).
 */

let offline: OfflineApp;
let app: OfflineApp['app'];
let token: string;

beforeAll(async () => {
  offline = await offlineApp('hostile_input');
  app = offline.app;
  await seedReferenceData(offline.db);
  token = await tokenFor(STAFF);
});

afterAll(() => offline.close());

const api = () => supertest.agent(app).set('Authorization', `Bearer ${token}`);

describe('malformed percent-encoding in a path', () => {
  test.each([
    ['GET', '/api/complaints/%E0%A4%A'],
    ['GET', '/api/reviews/%E0%A4%A'],
    ['POST', '/api/complaints/%E0%A4%A/acknowledge'],
    ['PUT', '/api/closure-days/%ZZ'],
    ['GET', '/api/no-such-route/%E0%A4%A'],
  ])('the API: %s %s is a 400 naming the path', async (method, path) => {
    const res = await api()[method.toLowerCase() as 'get' | 'post' | 'put'](path).send(method === 'GET' ? undefined : {});
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ code: 'bad_request', details: [{ field: 'path', reason: expect.stringMatching(/percent-encoding/) }] });
  });

  test.each(['/api/search?q=%ff', '/api/complaints?status=%E0%A4%A', '/api/search?q=%ZZ'])('the API: a query that does not decode, %s, is a 400 naming the query', async (path) => {
    const res = await api().get(path);
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ code: 'bad_request', details: [{ field: 'query', reason: expect.stringMatching(/percent-encoding/) }] });
  });

  test.each(['/complaints/%E0%A4%A', '/complaints/%E0%A4%A/extend', '/visits/%E0%A4%A', '/%E0%A4%A'])('a page: %s is a 400 page, signed in or not', async (path) => {
    for (const cookie of [`${SESSION_COOKIE}=${token}`, '']) {
      const res = await supertest(app).get(path).set('Cookie', cookie).set('Accept', 'text/html');
      expect(res.status).toBe(400);
      expect(res.type).toBe('text/html');
      expect(res.text).toContain('There is a problem');
    }
  });

  test('an asset: a 400 as well', async () => {
    expect((await supertest(app).get('/assets/images/%E0%A4%A')).status).toBe(400);
  });
});

describe('bidirectional control characters in free text', () => {
  const today = () => londonDate(Date.now());
  const REASON = 'must not contain bidirectional control characters';
  /** A filename that reads as a PDF and is an executable (U+202E, right-to-left override). */
  const spoof = 'See the attached invoice_\u202Efdp.exe';

  // One free-text field of each process's create body; each body otherwise valid.
  test.each<[string, string, Record<string, unknown>, string]>([
    ['/api/complaints', 'complaints', { providerCode: 'RJ1', receivedAt: today(), source: 'complainant', summary: spoof, consentToShare: false }, 'body.summary'],
    [
      '/api/visits',
      'visits',
      {
        providerCode: 'RJ1',
        service: 'Ward 7',
        reasons: ['complaints'],
        announced: false,
        visitDate: addCalendarDays(today(), 14),
        panel: [{ name: 'Pat Lay', role: 'lay_member' }, { name: `Jo \u2067Representative\u2069`, role: 'patient_representative' }],
      },
      'body.panel.1.name',
    ],
    [
      '/api/reviews',
      'reviews',
      {
        serviceName: 'Community diabetes clinic',
        whatChanged: 'Clinics moved to GP hubs',
        goLiveOn: today(),
        owner: { id: 'jo-bloggs', name: 'Jo Bloggs' },
        assessments: { equalityImpact: { completed: false }, qualityImpact: { completed: false }, engagementLog: { completed: false } },
        patientEngagement: `Listening events\u200F`,
      },
      'body.patientEngagement',
    ],
    [
      '/api/action-plans',
      'action-plans',
      {
        providerCode: 'RJ1',
        theme: 'accessible_information_standard',
        title: `Flag needs\u061C on the PAS`,
        source: { kind: 'cqrg_meeting', meetingOn: today() },
        chair: { id: 'chris-chair', name: 'Chris Chair' },
        actions: [{ description: 'Flag communication needs', owner: { id: 'jo-bloggs', name: 'Jo Bloggs' }, dueOn: addWorkingDays(today(), 20).due }],
      },
      'body.title',
    ],
  ])('POST %s (%s): a 400 naming the field', async (path, _process, body, field) => {
    const res = await api().post(path).send(body);
    expect(res.status).toBe(400);
    expect(res.body.error.details).toEqual([{ field, reason: REASON }]);
  });

  test.each(['202A', '202B', '202C', '202D', '202E', '2066', '2067', '2068', '2069', '200E', '200F', '061C'])('U+%s is refused', async (code) => {
    const body = { providerCode: 'RJ1', receivedAt: today(), source: 'complainant', summary: 'x', consentToShare: false, complainant: { name: `Alex${String.fromCodePoint(parseInt(code, 16))}` } };
    const res = await api().post('/api/complaints').send(body);
    expect(res.body.error.details).toEqual([{ field: 'body.complainant.name', reason: REASON }]);
  });

  test('an event’s free text and a link are refused too; Arabic and Hebrew themselves are welcome', async () => {
    const hold = await api().post('/api/complaints/CMP-2026-999999/hold').send({ heldOn: today(), reason: 'police', note: 'x\u202Ey' });
    expect(hold.status).toBe(400);
    expect(hold.body.error.details).toEqual(expect.arrayContaining([{ field: 'body.note', reason: REASON }]));
    const evidence = { action: 1, completedOn: today(), evidence: [{ description: 'Audit', link: 'https://docs.example/\u202Efdp.exe' }] };
    const complete = await api().post('/api/action-plans/CAP-2026-999999/complete-action').send(evidence);
    expect(complete.status).toBe(400);
    expect(complete.body.error.details).toEqual([{ field: 'body.evidence.0.link', reason: REASON }]);
    // Text in a right-to-left script needs no control characters: it passes validation (and the
    // request goes on, to a case that does not exist).
    const rtl = await api().post('/api/complaints/CMP-2026-999999/complainant-update').send({ sentOn: today(), note: 'تم الإرسال · נשלח' });
    expect(rtl.status).not.toBe(400);
  });
});
