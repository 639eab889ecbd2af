import { Writable } from 'node:stream';
import supertest from 'supertest';
import { createLogger, loggedUrl } from '../../lib/logger';
import { SESSION_COOKIE } from '../../web/session';
import { STAFF, tokenFor } from '../helpers/auth';
import { offlineApp, type OfflineApp } from '../helpers/offline-app';

test('log lines never carry a bearer token, a cookie or a complainant’s details', () => {
  const lines: string[] = [];
  const sink = new Writable({ write: (chunk, _enc, done) => (lines.push(String(chunk)), done()) });
  const logger = createLogger('info', 'api', sink);
  logger.info({ req: { method: 'GET', url: '/api/complaints', headers: { authorization: 'Bearer eyJhbGciOi.secret.sig', cookie: 's=1' } } }, 'request');
  logger.error({ err: { message: 'x' }, body: { complainant: { name: 'Alex Example' }, summary: 'Discharged', providerCode: 'RJ2' } }, 'failed');
  const out = lines.join('');
  expect(out).not.toMatch(/eyJhbGciOi|s=1|Alex Example|Discharged/);
  expect(out).toContain('RJ2');
  expect(out).toContain('[redacted]');
});

describe('a request’s log line', () => {
  let offline: OfflineApp;
  beforeAll(async () => {
    offline = await offlineApp('request_logs');
  });
  afterAll(() => offline.close());

  test('keeps the path and the names of the query’s parameters, never what was typed in them', async () => {
    const lines: string[] = [];
    const sink = new Writable({ write: (chunk, _enc, done) => (lines.push(String(chunk)), done()) });
    const app = offline.another({ logger: createLogger('info', 'api', sink) });
    const token = await tokenFor(STAFF);
    await supertest(app).get('/api/search?q=943%20476%205919&q2=O%27Neill').set('Authorization', `Bearer ${token}`);
    await supertest(app).get('/search?q=Alice+Secretname').set('Cookie', `${SESSION_COOKIE}=${token}`).set('Accept', 'text/html');
    const requests = lines.map((l) => JSON.parse(l) as { req?: { url?: string; query?: unknown } }).filter((l) => l.req);
    expect(requests.map((l) => l.req!.url)).toEqual(['/api/search?q=[redacted]&q2=[redacted]', '/search?q=[redacted]']);
    expect(requests.every((l) => l.req!.query === undefined)).toBe(true);
    expect(lines.join('')).not.toMatch(/943|5919|Neill|Secretname|Alice/);
  });

  test('loggedUrl: the path alone when there is no query; each name once', () => {
    expect(loggedUrl('/api/complaints/CMP-2026-000001')).toBe('/api/complaints/CMP-2026-000001');
    expect(loggedUrl('/api/complaints?status=open&status=closed&x')).toBe('/api/complaints?status=[redacted]&x=[redacted]');
  });
});
