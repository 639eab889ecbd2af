import { request as httpRequest } from 'node:http';
import { lineFor } from '../api/auth/permissions';
import { ROLES, type Role } from '../api/auth/roles';

/**
 * Access probes, as an attacker spells requests: shared by `npm run fuzz` (against a running
 * stack) and tests/api/access.test.ts (against the app in-process). Requests go out raw
 * (node:http): nothing on the way normalises the path.
 */

export interface Answer {
  status: number;
  location?: string;
}

/** One request exactly as written: method and path untouched. */
export function raw(origin: { host: string; port: number }, method: string, path: string, headers: Record<string, string> = {}, body?: string): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ ...origin, method, path, headers: { ...headers, ...(body !== undefined && { 'content-length': String(Buffer.byteLength(body)) }) }, agent: false }, (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode ?? 0, location: res.headers.location }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** The ways a client (or an attacker) can spell one path. */
export function spellings(path: string): Record<string, string> {
  const segments = path.split('/');
  const capital = (s: string) => (s ? s[0].toUpperCase() + s.slice(1) : s);
  const at = path.search(/[a-z]/);
  const encoded = (hex: string) => (at < 0 ? path : `${path.slice(0, at)}%${hex}${path.slice(at + 1)}`);
  return {
    'upper case': path.toUpperCase(),
    'each segment capitalised': segments.map(capital).join('/'),
    'second segment capitalised': segments.map((s, i) => (i === 2 ? capital(s) : s)).join('/'),
    'first segment capitalised': segments.map((s, i) => (i === 1 ? capital(s) : s)).join('/'),
    'last segment upper case': segments.map((s, i) => (i === segments.length - 1 ? s.toUpperCase() : s)).join('/'),
    'trailing slash': `${path}/`,
    'leading double slash': `/${path}`,
    'inner double slash': path.replace(/^(\/[^/]+)\//, '$1//'),
    '%2F for the last slash': path.replace(/\/([^/]*)$/, '%2F$1'),
    '%2f for the second slash': path.replace(/^(\/[^/]+)\//, '$1%2f'),
    'a letter percent-encoded': encoded(at < 0 ? '' : path.charCodeAt(at).toString(16)),
    'a letter percent-encoded, upper-case hex': encoded(at < 0 ? '' : path.charCodeAt(at).toString(16).toUpperCase()),
    'dot segment': path.replace(/^(\/[^/]+)\//, '$1/./'),
    'dot-dot segment': path.replace(/^(\/[^/]+)\//, '$1/x/../'),
    'encoded dot-dot': path.replace(/^(\/[^/]+)\//, '$1/x/%2e%2e/'),
    ';param on the first segment': path.replace(/^(\/[^/]+)/, '$1;x=1'),
    ';param at the end': `${path};jsessionid=1`,
    backslash: path.replace(/^(\/[^/]+)\//, '$1\\'),
    'query string': `${path}?x=1`,
  };
}

/** What a variant may answer besides the documented spelling's answer: no route, or no URL. */
export const NO_ROUTE = [400, 404, 405];

const REFERENCES: Record<string, string> = {
  complaints: 'CMP-2026-999999',
  reviews: 'PIR-2026-999999',
  visits: 'VIS-2026-999999',
  'action-plans': 'CAP-2026-999999',
};
const SAMPLES: Record<string, string> = { date: '2026-12-28', id: 'CMP-2026-999999:response:2026-12-01:escalation', code: 'RJ2', meetingOn: '2026-12-08', action: 'pause' };

/** A path of the OpenAPI document with its parameters filled (`references` for real records). */
export function sample(path: string, references: Record<string, string> = {}): string {
  const process = path.split('/')[2];
  return path.replace(/\{(\w+)\}/g, (_m, name: string) => (name === 'reference' ? (references[process] ?? REFERENCES[process] ?? 'x') : (SAMPLES[name] ?? 'x')));
}

export interface Route {
  method: string;
  /** As the OpenAPI document has it: `/api/complaints/{reference}`. */
  path: string;
}

/** Every operation of an OpenAPI document. */
export function routesOf(doc: { paths: Record<string, Record<string, unknown>> }): Route[] {
  return Object.entries(doc.paths).flatMap(([p, ops]) => Object.keys(ops).map((method) => ({ method: method.toUpperCase(), path: p })));
}

const PUBLIC = ['/healthz', '/readyz', '/api/openapi.json'];

/**
 * Every route, as documented and in every spelling (and HEAD, OPTIONS), with no token, a role its
 * line refuses and one it allows (`tokenFor` signs one for a role). The documented spelling must
 * answer as the matrix says (401 / 403 / neither); every variant must be no route or answer as
 * the documented spelling did for the same caller. Returns what was asked and what was wrong.
 */
export async function walkRoutes(
  origin: { host: string; port: number },
  routes: Route[],
  tokenFor: (role: Role) => Promise<string>,
  references: Record<string, string> = {},
): Promise<{ asked: number; wrong: string[] }> {
  const wrong: string[] = [];
  let asked = 0;
  for (const route of routes) {
    if (PUBLIC.includes(route.path)) continue;
    const line = lineFor(route.method, route.path.replace(/\{(\w+)\}/g, ':$1'));
    const path = sample(route.path, references);
    const body = route.method === 'GET' || route.method === 'DELETE' ? undefined : '{}';
    const refused = ROLES.find((r) => !line.roles.includes(r));
    const callers: [string, Role | undefined][] = [['no token', undefined], ...(refused ? [[`as ${refused}`, refused] as [string, Role]] : []), [`as ${line.roles[0]}`, line.roles[0]]];
    for (const [who, role] of callers) {
      const token = role && (await tokenFor(role));
      const headers: Record<string, string> = { ...(token && { authorization: `Bearer ${token}` }), ...(body && { 'content-type': 'application/json' }) };
      const documented = await raw(origin, route.method, path, headers, body);
      asked++;
      const allowed = !!role && line.roles.includes(role);
      const asMatrix = !token ? documented.status === 401 : allowed ? ![401, 403].includes(documented.status) : documented.status === 403;
      if (!asMatrix) wrong.push(`${route.method} ${path} ${who}: ${documented.status}`);
      const variants: [string, string, string][] = [
        ...Object.entries(spellings(path)).map(([how, p]) => [how, route.method, p] as [string, string, string]),
        ...(route.method === 'GET' ? [['HEAD', 'HEAD', path] as [string, string, string]] : []),
        ['OPTIONS', 'OPTIONS', path],
      ];
      for (const [how, method, variant] of variants) {
        const answer = await raw(origin, method, variant, headers, method === 'HEAD' || method === 'OPTIONS' ? undefined : body);
        asked++;
        // The codec's CORS preflight answers 204 with nothing in it, to anyone (the request it precedes is checked).
        const preflight = method === 'OPTIONS' && route.path.startsWith('/api/codec/') && answer.status === 204;
        if (answer.status !== documented.status && !NO_ROUTE.includes(answer.status) && !preflight) {
          wrong.push(`${method} ${variant} (${how}) ${who}: ${answer.status}, documented spelling ${documented.status}`);
        }
      }
    }
  }
  return { asked, wrong };
}

/**
 * A caller held to their own records, probing one they are not on: every route about it, in every
 * spelling, must refuse (`refusal`: 404 where they may not know it exists, 403 where they may
 * read it) or be no route; never a 2xx. `routes` are the record's own (its read and its events).
 */
export async function probeRecord(
  origin: { host: string; port: number },
  routes: Route[],
  token: string,
  reference: string,
  refusal: 403 | 404,
): Promise<{ asked: number; wrong: string[] }> {
  const wrong: string[] = [];
  let asked = 0;
  for (const route of routes) {
    const path = route.path.replace('{reference}', reference);
    const body = route.method === 'GET' ? undefined : '{}';
    const headers: Record<string, string> = { authorization: `Bearer ${token}`, ...(body && { 'content-type': 'application/json' }) };
    // The reference typed another way names the same record: refused exactly as it is.
    const sameRecord = {
      'reference in lower case': route.path.replace('{reference}', reference.toLowerCase()),
      'reference with a space before it': route.path.replace('{reference}', `%20${reference}`),
    };
    for (const [how, variant] of [['as documented', path], ...Object.entries(sameRecord), ...Object.entries(spellings(path))]) {
      const answer = await raw(origin, route.method, variant, headers, body);
      asked++;
      const exact = how === 'as documented' || how in sameRecord;
      const ok = exact ? answer.status === refusal : answer.status === refusal || NO_ROUTE.includes(answer.status);
      if (!ok) wrong.push(`${route.method} ${variant} (${how}): ${answer.status}, expected ${refusal}`);
    }
  }
  return { asked, wrong };
}
