import { generateKeyPairSync } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import supertest from 'supertest';
import { permissionMatrixMarkdown } from '../../api/auth/matrix';
import { PERMISSIONS, permissionFor } from '../../api/auth/permissions';
import { ROLES } from '../../api/auth/roles';
import { STAFF, tokenFor } from '../helpers/auth';
import { offlineApp, type OfflineApp } from '../helpers/offline-app';

/**
 * The permission matrix walked: every route in the OpenAPI document has a line in it, and every
 * route answers every role as its line says; no route answers without a valid token.
 */

let offline: OfflineApp;
let app: OfflineApp['app'];

beforeAll(async () => {
  offline = await offlineApp('permissions');
  app = offline.app;
});

afterAll(() => offline.close());

const SAMPLE: Record<string, string> = { reference: 'CMP-2026-999999', date: '2026-12-28', id: 'CMP-2026-999999:response:2026-12-01:escalation' };

async function routes(): Promise<{ method: string; path: string; sample: string }[]> {
  const doc = (await supertest(app).get('/api/openapi.json')).body as { paths: Record<string, Record<string, unknown>> };
  return Object.entries(doc.paths).flatMap(([p, ops]) =>
    Object.keys(ops).map((method) => ({
      method: method.toUpperCase(),
      path: p,
      sample: p.replace(/\{(\w+)\}/g, (_m, name: string) => (p.startsWith('/api/reviews') && name === 'reference' ? 'PIR-2026-999999' : (SAMPLE[name] ?? 'x'))),
    })),
  );
}

const send = (method: string, path: string, token?: string) => {
  const req = supertest(app)[method.toLowerCase() as 'get' | 'post' | 'put' | 'delete'](path);
  return (token ? req.set('Authorization', `Bearer ${token}`) : req).send(method === 'GET' || method === 'DELETE' ? undefined : {});
};

test('every route in the OpenAPI document has its line in the matrix, and every line a route', async () => {
  const all = await routes();
  const unlisted = all.filter((r) => !['/healthz', '/readyz', '/api/openapi.json'].includes(r.path) && !permissionFor(r.method, r.sample));
  expect(unlisted).toEqual([]);
  const documented = new Set(all.map((r) => `${r.method} ${permissionFor(r.method, r.sample)?.path}`));
  expect(PERMISSIONS.map((p) => `${p.method} ${p.path}`).filter((line) => !documented.has(line))).toEqual([]);
});

test('every route answers every role as the matrix says: 403 without the role, past the guard with it', async () => {
  const tokens = Object.fromEntries(await Promise.all(ROLES.map(async (role) => [role, await tokenFor({ id: `u-${role}`, name: role, roles: [role] })] as const)));
  const wrong: string[] = [];
  for (const route of await routes()) {
    const line = permissionFor(route.method, route.sample);
    if (!line) continue;
    for (const role of ROLES) {
      const res = await send(route.method, route.sample, tokens[role]);
      const allowed = line.roles.includes(role);
      if (allowed ? [401, 403].includes(res.status) : res.status !== 403) wrong.push(`${route.method} ${route.path} as ${role}: ${res.status}`);
    }
  }
  expect(wrong).toEqual([]);
});

test('no route answers without a valid token: missing, expired, without an expiry, wrongly signed, for another audience or issuer', async () => {
  const other = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey;
  const bad = {
    missing: undefined,
    expired: await tokenFor(STAFF, { expiresAt: Math.floor(Date.now() / 1000) - 120 }),
    'no expiry': await tokenFor(STAFF, { expiresAt: false }),
    'wrong signature': await tokenFor(STAFF, { key: other }),
    'wrong audience': await tokenFor(STAFF, { audience: 'another-api' }),
    'wrong issuer': await tokenFor(STAFF, { issuer: 'https://login.example/other' }),
    'not yet valid': await tokenFor(STAFF, { notBefore: Math.floor(Date.now() / 1000) + 3600 }),
    garbage: 'not.a.jwt',
  };
  const wrong: string[] = [];
  for (const route of await routes()) {
    if (!permissionFor(route.method, route.sample)) continue;
    for (const [why, token] of Object.entries(bad)) {
      const res = await send(route.method, route.sample, token);
      if (res.status !== 401 || !res.headers['www-authenticate']?.startsWith('Bearer')) wrong.push(`${route.method} ${route.path} ${why}: ${res.status}`);
    }
  }
  expect(wrong).toEqual([]);
  // Health and the API's own description stay open.
  expect((await supertest(app).get('/healthz')).status).toBe(200);
  expect((await supertest(app).get('/api/openapi.json')).status).toBe(200);
});

test('a token with no known role is refused everywhere', async () => {
  const token = await tokenFor({ id: 'x', name: 'Nobody', roles: [] });
  const res = await send('GET', '/api/complaints', token);
  expect(res.status).toBe(403);
  expect(res.body.error.message).toMatch(/the token has none/);
});

describe('hardening', () => {
  test('security headers, no-store on case data, and no CORS unless an origin is configured', async () => {
    const token = await tokenFor(STAFF);
    const res = await supertest(app).get('/api/complaints').set('Authorization', `Bearer ${token}`).set('Origin', 'https://evil.example');
    expect(res.status).toBe(200);
    expect(res.headers).toMatchObject({ 'x-content-type-options': 'nosniff', 'x-frame-options': 'SAMEORIGIN', 'cache-control': 'no-store' });
    expect(res.headers['strict-transport-security']).toBeDefined();
    expect(res.headers['content-security-policy']).toBeDefined();
    expect(res.headers['access-control-allow-origin']).toBeUndefined();
    expect(res.headers['x-powered-by']).toBeUndefined();

    const open = offline.another({ corsOrigins: ['https://oversight.icb.example'] });
    const preflight = await supertest(open).options('/api/complaints').set('Origin', 'https://oversight.icb.example').set('Access-Control-Request-Method', 'POST');
    expect(preflight.headers['access-control-allow-origin']).toBe('https://oversight.icb.example');
    const elsewhere = await supertest(open).options('/api/complaints').set('Origin', 'https://evil.example').set('Access-Control-Request-Method', 'POST');
    expect(elsewhere.headers['access-control-allow-origin']).toBeUndefined();
  });

  test('a rate limit per token: past it a 429 with Retry-After; another token is not held back', async () => {
    const limited = offline.another({ rateLimitPerMinute: 3 });
    const [a, b] = await Promise.all([tokenFor(STAFF), tokenFor({ ...STAFF, id: 'other' })]);
    const statuses = [];
    for (let i = 0; i < 4; i++) statuses.push((await supertest(limited).get('/api/closure-days').set('Authorization', `Bearer ${a}`)).status);
    expect(statuses).toEqual([200, 200, 200, 429]);
    const refused = await supertest(limited).get('/api/closure-days').set('Authorization', `Bearer ${a}`);
    expect(refused.headers['retry-after']).toBe('60');
    expect(refused.body.error.code).toBe('busy');
    expect((await supertest(limited).get('/api/closure-days').set('Authorization', `Bearer ${b}`)).status).toBe(200);
  });
});

test('docs/security.md shows the permission matrix as it is', () => {
  const doc = readFileSync(path.join(__dirname, '../../docs/security.md'), 'utf8');
  expect(doc).toContain(permissionMatrixMarkdown());
});
