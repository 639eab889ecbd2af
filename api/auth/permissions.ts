import type { Role } from './roles';

/**
 * The permission matrix: every route of the API and the roles that may call it, in one table,
 * enforced in one place (./middleware.ts) and walked by tests/api/permissions.test.ts, which also
 * checks that every route in the OpenAPI document has a line here. The README shows it.
 * `audit`: `change` records every successful call; `personal` records every read of a
 * complainant's or patient's details (before they are sent).
 */
export interface Permission {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** Express-style: `:name` is one path segment. */
  path: string;
  roles: readonly Role[];
  audit?: 'change' | 'personal';
}

const ALL: readonly Role[] = ['quality_team', 'commissioner', 'cqrg_chair', 'visit_panel', 'auditor', 'administrator'];
const READERS: readonly Role[] = ['quality_team', 'commissioner', 'cqrg_chair', 'auditor', 'administrator'];
const QUALITY: readonly Role[] = ['quality_team', 'administrator'];
const COMMISSIONING: readonly Role[] = ['commissioner', 'administrator'];
const ADMIN: readonly Role[] = ['administrator'];

export const PERMISSIONS: readonly Permission[] = [
  // Escalated complaints: worked by the quality team; read by those who oversee providers.
  { method: 'POST', path: '/api/complaints', roles: QUALITY, audit: 'change' },
  { method: 'GET', path: '/api/complaints', roles: READERS },
  { method: 'GET', path: '/api/complaints/dashboard', roles: READERS },
  { method: 'GET', path: '/api/complaints/:reference', roles: READERS, audit: 'personal' },
  { method: 'PUT', path: '/api/complaints/:reference/coding', roles: QUALITY, audit: 'change' },
  { method: 'POST', path: '/api/complaints/:reference/:event', roles: QUALITY, audit: 'change' },
  { method: 'GET', path: '/api/reports/complaints', roles: ['quality_team', 'commissioner', 'auditor', 'administrator'] },
  // Six-month reviews: scheduled and recorded by commissioners.
  { method: 'POST', path: '/api/reviews', roles: COMMISSIONING, audit: 'change' },
  { method: 'GET', path: '/api/reviews', roles: READERS },
  { method: 'GET', path: '/api/reviews/calendar.ics', roles: READERS },
  { method: 'GET', path: '/api/reviews/:reference', roles: READERS },
  { method: 'POST', path: '/api/reviews/:reference/:event', roles: COMMISSIONING, audit: 'change' },
  { method: 'GET', path: '/api/reports/engagement', roles: READERS },
  // Insight visits: planned by the quality team; the panel records the visit and its reports.
  { method: 'POST', path: '/api/visits', roles: QUALITY, audit: 'change' },
  { method: 'GET', path: '/api/visits', roles: [...READERS, 'visit_panel'] },
  { method: 'GET', path: '/api/visits/:reference', roles: [...READERS, 'visit_panel'] },
  { method: 'POST', path: '/api/visits/:reference/:event', roles: ['quality_team', 'visit_panel', 'administrator'], audit: 'change' },
  // CQRG action plans: kept by the quality team, commissioners and the CQRG chair (only a plan's own
  // chair signs it off: the workflow checks); the chair's provider views and meeting Schedules.
  { method: 'POST', path: '/api/action-plans', roles: ['quality_team', 'commissioner', 'cqrg_chair', 'administrator'], audit: 'change' },
  { method: 'GET', path: '/api/action-plans', roles: READERS },
  { method: 'GET', path: '/api/action-plans/dashboard', roles: READERS },
  { method: 'GET', path: '/api/action-plans/requests', roles: READERS },
  { method: 'GET', path: '/api/action-plans/:reference', roles: READERS },
  { method: 'POST', path: '/api/action-plans/:reference/:event', roles: ['quality_team', 'commissioner', 'cqrg_chair', 'administrator'], audit: 'change' },
  { method: 'GET', path: '/api/providers/:code/actions', roles: READERS },
  { method: 'GET', path: '/api/providers/:code/actions/dashboard', roles: READERS },
  { method: 'GET', path: '/api/providers/:code/cqrg-schedule', roles: READERS },
  { method: 'PUT', path: '/api/providers/:code/cqrg-schedule', roles: ['cqrg_chair', 'administrator'], audit: 'change' },
  { method: 'POST', path: '/api/providers/:code/cqrg-schedule/:action', roles: ['cqrg_chair', 'administrator'], audit: 'change' },
  { method: 'GET', path: '/api/cqrg-schedules', roles: READERS },
  { method: 'GET', path: '/api/providers/:code/cqrg-packs', roles: READERS },
  { method: 'GET', path: '/api/providers/:code/cqrg-packs/:meetingOn', roles: READERS },
  { method: 'GET', path: '/api/cqrg-packs/:id', roles: READERS },
  // Reference data and operations.
  { method: 'GET', path: '/api/closure-days', roles: ALL },
  { method: 'PUT', path: '/api/closure-days/:date', roles: ADMIN, audit: 'change' },
  { method: 'DELETE', path: '/api/closure-days/:date', roles: ADMIN, audit: 'change' },
  { method: 'GET', path: '/api/notifications', roles: ['quality_team', 'auditor', 'administrator'] },
  { method: 'POST', path: '/api/notifications/:id/retry', roles: QUALITY, audit: 'change' },
  { method: 'GET', path: '/api/admin/reconciliation', roles: ['auditor', 'administrator'] },
  { method: 'POST', path: '/api/admin/reconciliation', roles: ADMIN, audit: 'change' },
  { method: 'GET', path: '/api/audit', roles: ['auditor'] },
  // The Temporal UI's codec (it passes the signed-in user's token): decrypted histories hold staff notes.
  { method: 'POST', path: '/api/codec/decode', roles: ['auditor', 'administrator'] },
  { method: 'POST', path: '/api/codec/encode', roles: ADMIN },
];

/** Paths open to anyone: liveness, readiness and the API's own description. */
export const PUBLIC_PATHS: readonly string[] = ['/healthz', '/readyz', '/api/openapi.json'];

export interface CompiledPermission extends Permission {
  pattern: RegExp;
}

const compile = (p: Permission): CompiledPermission => ({
  ...p,
  pattern: new RegExp(`^${p.path.replace(/[.]/g, '\\.').replace(/:[A-Za-z]+/g, '[^/]+')}/?$`),
});

const COMPILED = PERMISSIONS.map(compile);
const parameters = (p: Permission) => (p.path.match(/:/g) ?? []).length;

/**
 * The line of the table a request falls under. Literal segments win over parameters, so
 * `/api/complaints/dashboard` is never read as a case reference.
 */
export function permissionFor(method: string, path: string): CompiledPermission | undefined {
  let best: CompiledPermission | undefined;
  for (const p of COMPILED) {
    if (p.method === method && p.pattern.test(path) && (!best || parameters(p) < parameters(best))) best = p;
  }
  return best;
}
