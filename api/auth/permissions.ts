import { sendersOf } from '../../contracts/kernel/events';
import { VOCABULARIES } from '../../contracts/vocabularies';
import { SEES_PERSONAL_DETAILS, type Role } from './roles';

/**
 * Whose records a role may touch on a line, when not all of them: the record's people (a visit's
 * panel, a review's owner, a plan's chair) decide. `hidden`: the caller may not know the record
 * exists (refused as 404, as if it did not); `read_only`: they may read it but not change it (403).
 */
export type RecordKind = 'visit' | 'review' | 'action_plan';
export interface RecordRule {
  kind: RecordKind;
  /** The roles held to the records they are on, and how a refusal answers. */
  only: Partial<Record<Role, 'hidden' | 'read_only'>>;
}

/**
 * The permission matrix: every route of the API and the roles that may call it, in one table,
 * enforced on each route (./routes.ts, ./middleware.ts) and walked by tests/api/permissions.test.ts and tests/api/access.test.ts, which also
 * check that every route in the OpenAPI document has a line here. docs/security.md shows it.
 * `audit`: `change` records every successful call, before it is answered; `personal` records every
 * read of a complainant's or patient's details, and `read` every read of a case (both before they
 * are sent). Every refusal is recorded whatever the line says.
 */
export interface Permission {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** Express-style: `:name` is one path segment. */
  path: string;
  roles: readonly Role[];
  audit?: 'change' | 'personal' | 'read';
  /** Per-record rights for some of the roles (see RecordRule). */
  record?: RecordRule;
}

const ALL: readonly Role[] = ['quality_team', 'commissioner', 'cqrg_chair', 'visit_panel', 'auditor', 'administrator'];
const READERS: readonly Role[] = ['quality_team', 'commissioner', 'cqrg_chair', 'auditor', 'administrator'];
const QUALITY: readonly Role[] = ['quality_team', 'administrator'];
const COMMISSIONING: readonly Role[] = ['commissioner', 'administrator'];
const ADMIN: readonly Role[] = ['administrator'];
/**
 * Who may send a process's events: everyone some row of its table names (contracts/<p>/events.ts);
 * a row that names fewer is held to them as the event is sent (api/kernel/events.ts).
 */
const SENDERS = (caseType: string): readonly Role[] => sendersOf(VOCABULARIES[caseType].events);

export const PERMISSIONS: readonly Permission[] = [
  // Escalated complaints: worked by the quality team; read by those who oversee providers.
  { method: 'POST', path: '/api/complaints', roles: QUALITY, audit: 'change' },
  { method: 'GET', path: '/api/complaints', roles: READERS },
  { method: 'GET', path: '/api/complaints/dashboard', roles: READERS },
  { method: 'GET', path: '/api/complaints/:reference', roles: READERS, audit: 'personal' },
  { method: 'PUT', path: '/api/complaints/:reference/coding', roles: QUALITY, audit: 'change' },
  { method: 'POST', path: '/api/complaints/:reference/:event', roles: SENDERS('complaint'), audit: 'change' },
  { method: 'GET', path: '/api/reports/complaints', roles: ['quality_team', 'commissioner', 'auditor', 'administrator'] },
  { method: 'GET', path: '/api/reports/ko41a', roles: ['quality_team', 'commissioner', 'auditor', 'administrator'] },
  // Six-month reviews: scheduled and recorded by commissioners.
  { method: 'POST', path: '/api/reviews', roles: COMMISSIONING, audit: 'change' },
  { method: 'GET', path: '/api/reviews', roles: READERS },
  { method: 'GET', path: '/api/reviews/calendar.ics', roles: READERS },
  { method: 'GET', path: '/api/reviews/:reference', roles: READERS, audit: 'read' },
  // A commissioner changes only the reviews they own; every commissioner reads them all.
  { method: 'POST', path: '/api/reviews/:reference/:event', roles: SENDERS('review'), audit: 'change', record: { kind: 'review', only: { commissioner: 'read_only' } } },
  { method: 'PUT', path: '/api/reviews/:reference/delegates', roles: ADMIN, audit: 'change' },
  // The assessment's form, a document of the review: as the review's events.
  { method: 'PUT', path: '/api/reviews/:reference/assessments/:assessment', roles: COMMISSIONING, audit: 'change', record: { kind: 'review', only: { commissioner: 'read_only' } } },
  { method: 'GET', path: '/api/reports/engagement', roles: READERS },
  // Insight visits: planned by the quality team; the panel records the visit and its reports.
  { method: 'POST', path: '/api/visits', roles: QUALITY, audit: 'change' },
  { method: 'GET', path: '/api/visits', roles: [...READERS, 'visit_panel'] },
  // A panel member sees only the visits whose panel they sit on.
  { method: 'GET', path: '/api/visits/:reference', roles: [...READERS, 'visit_panel'], audit: 'read', record: { kind: 'visit', only: { visit_panel: 'hidden' } } },
  { method: 'POST', path: '/api/visits/:reference/:event', roles: SENDERS('visit'), audit: 'change', record: { kind: 'visit', only: { visit_panel: 'hidden' } } },
  // CQRG action plans: kept by the quality team, commissioners and the CQRG chair (only a plan's own
  // chair signs it off: the workflow checks); the chair's provider views and meeting Schedules.
  { method: 'POST', path: '/api/action-plans', roles: ['quality_team', 'commissioner', 'cqrg_chair', 'administrator'], audit: 'change' },
  { method: 'GET', path: '/api/action-plans', roles: READERS },
  { method: 'GET', path: '/api/action-plans/dashboard', roles: READERS },
  { method: 'GET', path: '/api/action-plans/requests', roles: READERS },
  { method: 'GET', path: '/api/action-plans/:reference', roles: READERS, audit: 'read' },
  // A chair reads every plan, and changes only the plans they chair.
  { method: 'POST', path: '/api/action-plans/:reference/:event', roles: SENDERS('action-plan'), audit: 'change', record: { kind: 'action_plan', only: { cqrg_chair: 'read_only' } } },
  { method: 'GET', path: '/api/providers/:code/actions', roles: READERS },
  { method: 'GET', path: '/api/providers/:code/actions/dashboard', roles: READERS },
  { method: 'GET', path: '/api/providers/:code/cqrg-schedule', roles: READERS },
  { method: 'PUT', path: '/api/providers/:code/cqrg-schedule', roles: ['cqrg_chair', 'administrator'], audit: 'change' },
  { method: 'POST', path: '/api/providers/:code/cqrg-schedule/:action', roles: ['cqrg_chair', 'administrator'], audit: 'change' },
  { method: 'GET', path: '/api/cqrg-schedules', roles: READERS },
  { method: 'GET', path: '/api/providers/:code/cqrg-packs', roles: READERS },
  { method: 'GET', path: '/api/providers/:code/cqrg-packs/:meetingOn', roles: READERS },
  // The pack from every process: complaint figures are counts, no personal details.
  { method: 'GET', path: '/api/providers/:code/pack', roles: READERS },
  { method: 'GET', path: '/api/cqrg-packs/:id', roles: READERS },
  // CQRG meetings: the chair (and the quality team) keep a provider's reporting plan, open its
  // meetings, receive its reports and record each meeting; the quality team sees the visits asked
  // for, the quality lead the escalations to the quality committee.
  { method: 'GET', path: '/api/providers/:code/reporting-plan', roles: READERS },
  { method: 'PUT', path: '/api/providers/:code/reporting-plan', roles: ['cqrg_chair', 'quality_team', 'administrator'], audit: 'change' },
  { method: 'GET', path: '/api/providers/:code/cqrg-meetings', roles: READERS },
  { method: 'POST', path: '/api/cqrg-meetings', roles: ['cqrg_chair', 'quality_team', 'administrator'], audit: 'change' },
  { method: 'GET', path: '/api/cqrg-meetings/visit-requests', roles: READERS },
  { method: 'GET', path: '/api/cqrg-meetings/escalations', roles: READERS },
  { method: 'GET', path: '/api/cqrg-meetings/:reference', roles: READERS, audit: 'read' },
  { method: 'POST', path: '/api/cqrg-meetings/:reference/:event', roles: SENDERS('cqrg-meeting'), audit: 'change' },
  // Documents kept with a case: a complaint's hold personal details, which no redaction can take
  // out of a letter or a scan, so only those who see them (the quality team and administrators);
  // the others' as their case. A download answers to its case's line too.
  { method: 'POST', path: '/api/complaints/:reference/documents', roles: QUALITY, audit: 'change' },
  { method: 'GET', path: '/api/complaints/:reference/documents', roles: SEES_PERSONAL_DETAILS, audit: 'personal' },
  { method: 'POST', path: '/api/visits/:reference/documents', roles: ['quality_team', 'visit_panel', 'administrator'], audit: 'change', record: { kind: 'visit', only: { visit_panel: 'hidden' } } },
  { method: 'GET', path: '/api/visits/:reference/documents', roles: [...READERS, 'visit_panel'], audit: 'read', record: { kind: 'visit', only: { visit_panel: 'hidden' } } },
  { method: 'POST', path: '/api/reviews/:reference/documents', roles: COMMISSIONING, audit: 'change', record: { kind: 'review', only: { commissioner: 'read_only' } } },
  { method: 'GET', path: '/api/reviews/:reference/documents', roles: READERS, audit: 'read' },
  { method: 'POST', path: '/api/action-plans/:reference/documents', roles: ['quality_team', 'commissioner', 'cqrg_chair', 'administrator'], audit: 'change', record: { kind: 'action_plan', only: { cqrg_chair: 'read_only' } } },
  { method: 'GET', path: '/api/action-plans/:reference/documents', roles: READERS, audit: 'read' },
  { method: 'POST', path: '/api/cqrg-meetings/:reference/documents', roles: ['cqrg_chair', 'quality_team', 'administrator'], audit: 'change' },
  { method: 'GET', path: '/api/cqrg-meetings/:reference/documents', roles: READERS, audit: 'read' },
  { method: 'GET', path: '/api/documents/:id', roles: ALL },
  // Letters generated from a case, kept as its documents: by those who keep its documents.
  { method: 'POST', path: '/api/complaints/:reference/letters', roles: QUALITY, audit: 'change' },
  { method: 'POST', path: '/api/visits/:reference/letters', roles: QUALITY, audit: 'change' },
  // The staff directory: read by the pickers of chairs and owners; an administrator adds people.
  { method: 'GET', path: '/api/staff', roles: READERS },
  { method: 'PUT', path: '/api/staff/:id', roles: ADMIN, audit: 'change' },
  // Search across every process: everyone; what each role finds is the search's own business
  // (personal details only for those who may see them; a panel member, their visits). It audits itself.
  { method: 'GET', path: '/api/search', roles: ALL },
  // Link a complaint to a possibly related one (on both records).
  { method: 'POST', path: '/api/complaints/:reference/related', roles: QUALITY, audit: 'change' },
  // Reference data and operations.
  { method: 'GET', path: '/api/closure-days', roles: ALL },
  { method: 'PUT', path: '/api/closure-days/:date', roles: ADMIN, audit: 'change' },
  { method: 'DELETE', path: '/api/closure-days/:date', roles: ADMIN, audit: 'change' },
  { method: 'GET', path: '/api/notifications', roles: ['quality_team', 'auditor', 'administrator'] },
  { method: 'POST', path: '/api/notifications/:id/retry', roles: QUALITY, audit: 'change' },
  { method: 'GET', path: '/api/admin/reconciliation', roles: ['auditor', 'administrator'] },
  { method: 'POST', path: '/api/admin/reconciliation', roles: ADMIN, audit: 'change' },
  { method: 'POST', path: '/api/admin/retention', roles: ADMIN, audit: 'change' },
  // The import of another system's open cases (docs/import.md): an administrator's; its report holds source ids and reasons only.
  { method: 'GET', path: '/api/imports/template', roles: ADMIN },
  { method: 'GET', path: '/api/imports', roles: ADMIN },
  { method: 'POST', path: '/api/imports', roles: ADMIN, audit: 'change' },
  { method: 'GET', path: '/api/imports/:id', roles: ADMIN },
  { method: 'GET', path: '/api/imports/:id/report.csv', roles: ADMIN },
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
  pattern: new RegExp(`^${p.path.replace(/[.]/g, '\\.').replace(/:[A-Za-z]+/g, '[^/]+')}$`),
});

const COMPILED = PERMISSIONS.map(compile);
const parameters = (p: Permission) => (p.path.match(/:/g) ?? []).length;

/**
 * The line of the table a request falls under, matched exactly as routes are (case-sensitive,
 * no trailing slash). Literal segments win over parameters, so `/api/complaints/dashboard` is
 * never read as a case reference. The pages ask it which buttons to show; what a request may do
 * is decided by the line its route was registered with (lineFor).
 */
export function permissionFor(method: string, path: string): CompiledPermission | undefined {
  let best: CompiledPermission | undefined;
  for (const p of COMPILED) {
    if (p.method === method && p.pattern.test(path) && (!best || parameters(p) < parameters(best))) best = p;
  }
  return best;
}

/**
 * The line a route is registered with: `path` is the route's own pattern (`/api/complaints/:reference/acknowledge`),
 * each of its segments the line's, or a literal where the line has a parameter (an event's path
 * under `:event`). Throws when there is none: a route without a line cannot be registered.
 */
export function lineFor(method: string, path: string): CompiledPermission {
  const segments = path.split('/');
  let best: CompiledPermission | undefined;
  for (const p of COMPILED) {
    const own = p.path.split('/');
    if (p.method !== method || own.length !== segments.length) continue;
    const fits = own.every((s, i) => s === segments[i] || (s.startsWith(':') && !!segments[i]));
    if (fits && (!best || parameters(p) < parameters(best))) best = p;
  }
  if (!best) throw new Error(`no line of the permission matrix for ${method} ${path}: add one to api/auth/permissions.ts`);
  return best;
}
