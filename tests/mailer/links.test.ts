import { Worker } from '@temporalio/worker';
import supertest from 'supertest';
import { createApp } from '../../api/app';
import { addCalendarDays, londonDate } from '../../lib/calendar';
import { createLogger } from '../../lib/logger';
import { seedReferenceData } from '../../models/seed';
import { renderEmail } from '../../mailer/render';
import { SESSION_COOKIE } from '../../web/session';
import { createHarness, eventually, type Harness } from '../helpers/harness';
import { STAFF, testAuthenticator, tokenFor } from '../helpers/auth';
import { createLocalTemporal } from '../helpers/env';

/**
 * The link in an email opens the case's page, not the JSON API: a real reminder's email, from its
 * outbox row as the mailer renders it, followed by a signed-in member of the quality team (the
 * page, 200) and by someone signed out (sign-in first, then back to it).
 */

let h: Harness;
let worker: Worker;
let running: Promise<void>;
let app: ReturnType<typeof createApp>;

beforeAll(async () => {
  h = await createHarness('mail_links', await createLocalTemporal());
  await seedReferenceData(h.db);
  worker = await h.createWorker();
  running = worker.run();
  app = createApp({ authenticator: testAuthenticator, models: h.models, temporal: h.env.client, taskQueue: h.taskQueue, logger: createLogger('silent') });
});

afterAll(async () => {
  worker?.shutdown();
  await running;
  await h?.teardown();
});

test("an email's link opens the case's page for a signed-in user", async () => {
  const token = await tokenFor(STAFF);
  // Received a fortnight ago: its acknowledgement is overdue, so an escalation is in the outbox at once.
  const opened = await supertest(app)
    .post('/api/complaints')
    .set('Authorization', `Bearer ${token}`)
    .send({ providerCode: 'RJ2', receivedAt: addCalendarDays(londonDate(Date.now()), -14), source: 'complainant', summary: 'Never acknowledged', consentToShare: true, complainant: { name: 'Ann Example' } });
  expect(opened.status).toBe(201);
  const reference = opened.body.reference as string;
  const row = await eventually(async () => {
    const found = await h.models.Notification.findOne({ reference }).lean();
    expect(found).toBeTruthy();
    return found!;
  });
  const email = renderEmail(row, { baseUrl: 'https://oversight.icb.example', detail: 'minimal' });
  const link = new URL(/Open it: (\S+)/.exec(email.text)![1]);
  expect(link.pathname).toBe(`/complaints/${reference}`);
  expect(email.html).toContain(`href="${link.href}"`);

  const page = await supertest(app).get(link.pathname).set('Cookie', `${SESSION_COOKIE}=${token}`).set('Accept', 'text/html');
  expect(page.status).toBe(200);
  expect(page.text).toContain(reference);
  const signedOut = await supertest(app).get(link.pathname).set('Accept', 'text/html');
  expect(signedOut.status).toBe(303);
  expect(signedOut.headers.location).toBe(`/sign-in?next=${encodeURIComponent(link.pathname)}`);
});

test('every process names a page for its emails, and a CQRG pack opens its provider', () => {
  const rendered = (caseType: string, reference: string, deadline: string) =>
    /Open it: (\S+)/.exec(renderEmail({ caseType, reference, deadline, kind: 'reminder', audience: 'quality_lead', dueOn: '2026-12-08', subject: 's' } as never, { baseUrl: 'https://o.example', detail: 'minimal' }).text)![1];
  expect(rendered('visit', 'VIS-2026-000001', 'visit')).toBe('https://o.example/visits/VIS-2026-000001');
  expect(rendered('review', 'PIR-2026-000001', 'review')).toBe('https://o.example/reviews/PIR-2026-000001');
  expect(rendered('action-plan', 'CAP-2026-000001', 'action:1')).toBe('https://o.example/action-plans/CAP-2026-000001');
  expect(rendered('cqrg-pack', 'RJ2:2026-12-08', 'cqrg_meeting')).toBe('https://o.example/providers/RJ2');
});
