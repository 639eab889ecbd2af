import { request as httpRequest, type Server } from 'node:http';
import { Writable } from 'node:stream';
import supertest from 'supertest';
import { NO_ROUTE, raw, routesOf, sample, spellings, walkRoutes, type Route } from '../../fuzz/access';
import type { AddressInfo } from 'node:net';
import { ACTION_PLAN_EVENTS } from '../../api/action-plans/events';
import { lineFor, permissionFor } from '../../api/auth/permissions';
import { ROLES, type Role } from '../../api/auth/roles';
import { COMPLAINT_EVENTS } from '../../api/complaints/events';
import { REVIEW_EVENTS } from '../../api/reviews/events';
import { VISIT_EVENTS } from '../../api/visits/events';
import { createLogger } from '../../lib/logger';
import { formTokenFor, SESSION_COOKIE } from '../../web/session';
import { tokenFor } from '../helpers/auth';
import { offlineApp, type OfflineApp } from '../helpers/offline-app';

/**
 * Access however a request is spelled. Every route of the OpenAPI document, and every page, is
 * asked as documented and then as an attacker spells it (case, slashes, encodings, dot segments,
 * `;params`, HEAD and OPTIONS), with no token, with a role its line refuses and with one it
 * allows. A variant either is no route (404/405, or 400 for what is no URL at all) or answers
 * exactly as the documented spelling does for the same caller; the documented spelling answers
 * as the matrix says. Requests go out raw (node:http), as a client sends them: nothing on the
 * way normalises the path.
 */

let offline: OfflineApp;
let server: Server;
let port: number;

beforeAll(async () => {
  offline = await offlineApp('access', { temporalDeadlines: { timeoutMs: 200, liveBudgetMs: 200 }, rateLimitPerMinute: 1_000_000 });
  server = offline.app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  port = (server.address() as AddressInfo).port;
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  await offline.close();
});

const REFERENCES: Record<string, string> = { complaints: 'CMP-2026-999999', reviews: 'PIR-2026-999999', visits: 'VIS-2026-999999', 'action-plans': 'CAP-2026-999999' };
const origin = () => ({ host: '127.0.0.1', port });
const send = (method: string, path: string, headers: Record<string, string> = {}, body?: string) => raw(origin(), method, path, headers, body);
const roleToken = (role: Role) => tokenFor({ id: `u-${role}`, name: role, roles: [role] });

/** A caller refused by `roles`, and one allowed: each a token. */
async function tokensFor(roles: readonly Role[]): Promise<Record<string, string | undefined>> {
  const refused = ROLES.find((r) => !roles.includes(r));
  return { 'no token': undefined, ...(refused && { [`as ${refused}`]: await roleToken(refused) }), [`as ${roles[0]}`]: await roleToken(roles[0]) };
}

async function apiRoutes(): Promise<Route[]> {
  const doc = await new Promise<{ paths: Record<string, Record<string, unknown>> }>((resolve, reject) => {
    httpRequest({ host: '127.0.0.1', port, path: '/api/openapi.json' }, (res) => {
      let text = '';
      res.on('data', (chunk: Buffer) => (text += chunk.toString()));
      res.on('end', () => resolve(JSON.parse(text) as { paths: Record<string, Record<string, unknown>> }));
    })
      .on('error', reject)
      .end();
  });
  return routesOf(doc);
}

test('every API route, however it is spelled, answers as its own line of the matrix or not at all', async () => {
  const { asked, wrong } = await walkRoutes(origin(), await apiRoutes(), roleToken);
  expect(wrong).toEqual([]);
  expect(asked).toBeGreaterThan(3_000);
});

/** Every page, as a person's browser asks for it; the API route each stands for decides. */
function pageRoutes(): { method: 'GET' | 'POST'; path: string; stands: { method: string; route: string } }[] {
  const pages: ReturnType<typeof pageRoutes> = [];
  const processes = [
    { base: '/complaints', api: '/api/complaints', events: COMPLAINT_EVENTS, list: true },
    { base: '/visits', api: '/api/visits', events: VISIT_EVENTS, list: true },
    { base: '/reviews', api: '/api/reviews', events: REVIEW_EVENTS, list: true },
    { base: '/action-plans', api: '/api/action-plans', events: ACTION_PLAN_EVENTS, list: false },
  ];
  for (const p of processes) {
    const reference = REFERENCES[p.api.split('/')[2]];
    if (p.list) pages.push({ method: 'GET', path: p.base, stands: { method: 'GET', route: p.api } });
    for (const method of ['GET', 'POST'] as const) {
      pages.push({ method, path: `${p.base}/new`, stands: { method: 'POST', route: p.api } });
      for (const event of p.events) pages.push({ method, path: `${p.base}/${reference}/${event.path}`, stands: { method: 'POST', route: `${p.api}/:reference/${event.path}` } });
    }
    pages.push({ method: 'GET', path: `${p.base}/${reference}`, stands: { method: 'GET', route: `${p.api}/:reference` } });
  }
  for (const method of ['GET', 'POST'] as const) pages.push({ method, path: '/complaints/CMP-2026-999999/coding', stands: { method: 'PUT', route: '/api/complaints/:reference/coding' } });
  pages.push({ method: 'GET', path: '/reviews/engagement', stands: { method: 'GET', route: '/api/reports/engagement' } });
  pages.push({ method: 'GET', path: '/reviews/engagement.csv?year=2026', stands: { method: 'GET', route: '/api/reports/engagement' } });
  pages.push({ method: 'GET', path: '/providers', stands: { method: 'GET', route: '/api/action-plans/dashboard' } });
  pages.push({ method: 'GET', path: '/providers/RJ2', stands: { method: 'GET', route: '/api/providers/:code/actions/dashboard' } });
  return pages;
}

test('every page, however it is spelled, answers as the API route it stands for or not at all', async () => {
  const wrong: string[] = [];
  for (const page of pageRoutes()) {
    const line = lineFor(page.stands.method, page.stands.route);
    for (const [who, token] of Object.entries(await tokensFor(line.roles))) {
      const form = token ? `_form=${encodeURIComponent(formTokenFor(token))}&_key=access-test-key-1` : '';
      const headers: Record<string, string> = { accept: 'text/html', ...(token && { cookie: `${SESSION_COOKIE}=${token}` }), ...(page.method === 'POST' && { 'content-type': 'application/x-www-form-urlencoded' }) };
      const body = page.method === 'POST' ? form : undefined;
      const documented = await send(page.method, page.path, headers, body);
      const allowed = !!token && line.roles.some((r) => who === `as ${r}`);
      const toSignIn = documented.status === 303 && !!documented.location?.startsWith('/sign-in');
      const expected = !token ? toSignIn : allowed ? documented.status !== 403 && !toSignIn : documented.status === 403;
      if (!expected) wrong.push(`${page.method} ${page.path} ${who}: ${documented.status} ${documented.location ?? ''}`);
      const [path, query] = page.path.split('?');
      const variants = { ...spellings(path), ...(page.method === 'GET' && { HEAD: path }) };
      for (const [how, variant] of Object.entries(variants)) {
        const method = how === 'HEAD' ? 'HEAD' : page.method;
        const answer = await send(method, query ? `${variant}${variant.includes('?') ? '&' : '?'}${query}` : variant, headers, method === 'HEAD' ? undefined : body);
        if (answer.status !== documented.status && !NO_ROUTE.includes(answer.status)) wrong.push(`${method} ${variant} (${how}) ${who}: ${answer.status}, documented spelling ${documented.status}`);
      }
    }
  }
  expect(wrong).toEqual([]);
});

test('a route without a line of the matrix cannot be registered, and no line goes without a route', async () => {
  expect(() => lineFor('DELETE', '/api/complaints/:reference')).toThrow(/no line of the permission matrix/);
  expect(() => lineFor('GET', '/api/complaints/:reference/secret/:x')).toThrow(/no line/);
  const documented = new Set((await apiRoutes()).map((r) => `${r.method} ${permissionFor(r.method, sample(r.path))?.path}`));
  expect(documented.has('undefined')).toBe(false);
});

test("the check's decision is on the request's log line: the route's line, who, in which role, allowed or refused", async () => {
  const lines: string[] = [];
  const sink = new Writable({ write: (chunk, _enc, done) => (lines.push(String(chunk)), done()) });
  const logged = offline.another({ logger: createLogger('info', 'api', sink), rateLimitPerMinute: 1_000 });
  await supertest(logged).get('/api/closure-days').set('Authorization', `Bearer ${await roleToken('auditor')}`);
  await supertest(logged).put('/api/closure-days/2031-12-30').set('Authorization', `Bearer ${await roleToken('auditor')}`).send({ reason: 'x' });
  const access = lines.map((l) => (JSON.parse(l) as { access?: unknown }).access).filter(Boolean);
  expect(access).toEqual([
    { route: 'GET /api/closure-days', caller: 'u-auditor', role: 'auditor', outcome: 'allowed' },
    { route: 'PUT /api/closure-days/:date', caller: 'u-auditor', outcome: 'refused', status: 403 },
  ]);
});
