import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { Logger } from '../../lib/logger';
import type { Models } from '../../models';
import { appendAudit } from '../../models/audit';
import { holdForAudit } from './audit-hold';
import { HttpError } from '../errors';
import { seesPersonalDetails, setCaller } from '../kernel/request';
import type { CompiledPermission, RecordKind } from './permissions';
import { Unauthenticated, type Authenticator, type Principal } from './tokens';
import type { Role } from './roles';

/** RFC 7235: the scheme is case-insensitive; one or more spaces before the token. */
const BEARER = /^bearer +([A-Za-z0-9\-_]+\.[A-Za-z0-9\-_]+\.[A-Za-z0-9\-_]*) *$/i;

export interface GuardDeps {
  authenticator: Authenticator;
  models: Models;
  logger: Logger;
  /** The staff directory, told of every verified caller (api/staff/service.ts: it writes once in a few minutes). */
  staff?: { seen(who: Principal): Promise<void> };
}

/** What authenticate() found on a request: the bearer token's principal, or why there is none. */
interface Authentication {
  deps: GuardDeps;
  principal?: Principal;
  /** Why the Authorization header was not accepted (absent: no header was sent). */
  refused?: string;
  /** The token could not be checked (the revocation list unreachable): the route answers 503, not 401. */
  failed?: unknown;
}

/** Methods that change nothing (RFC 9110 §9.2.1): a change's line lets them in, and they are not entered as changes. */
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

const AUTHENTICATION = new WeakMap<Request, Authentication>();

/** What the route's check decided, kept on the request for the request's log line. */
export interface AccessDecision {
  route: string;
  caller?: string;
  role?: Role;
  outcome: 'allowed' | 'refused';
  status?: number;
}

const DECISIONS = new WeakMap<Request, AccessDecision>();

/** The check's decision on a request, if a route's check ran (api/app.ts logs it with the request). */
export function accessDecision(req: Request): AccessDecision | undefined {
  return DECISIONS.get(req);
}

function unauthenticated(message: string, invalid: boolean): HttpError {
  return new HttpError(401, 'unauthenticated', message, undefined, { 'WWW-Authenticate': invalid ? 'Bearer error="invalid_token"' : 'Bearer' });
}

/**
 * First for every request: verifies the bearer token it carries, if any, and keeps who it names
 * (or why it was refused) for the route's check and for the rate limit. It refuses nothing itself:
 * what a request may do is decided by its route (authorize), and a path no route serves is a 404
 * whoever asks.
 */
export function authenticate(deps: GuardDeps): RequestHandler {
  return async (req: Request, _res: Response, next: NextFunction) => {
    const found: Authentication = { deps };
    AUTHENTICATION.set(req, found);
    const header = req.get('Authorization');
    if (header !== undefined) {
      const token = BEARER.exec(header)?.[1];
      if (!token) found.refused = 'the Authorization header must be "Bearer <token>"';
      else {
        try {
          found.principal = await deps.authenticator.verify(token);
          // Not awaited: the directory never holds a request up, nor fails it.
          void deps.staff?.seen(found.principal);
        } catch (err) {
          if (err instanceof Unauthenticated) found.refused = 'the token is not valid (expired, revoked, not signed by the issuer, or for another audience)';
          else found.failed = err;
        }
      }
    }
    next();
  };
}

/** The verified bearer token's subject, for the rate limit (never the raw header: it can be spelled many ways). */
export function verifiedSubject(req: Request): string | undefined {
  return AUTHENTICATION.get(req)?.principal?.id;
}

/** The records a person is on, by kind: whom a record's per-record rights admit (permissions.ts RecordRule). */
const PEOPLE: Record<RecordKind, (models: Models, reference: string) => Promise<string[] | null>> = {
  visit: async (models, reference) => {
    const visit = await models.Visit.findById(reference, { panel: 1 }).lean();
    return visit ? visit.panel.flatMap((m) => (m.staffId ? [m.staffId] : [])) : null;
  },
  review: async (models, reference) => {
    const review = await models.Review.findById(reference, { owner: 1, delegates: 1 }).lean();
    return review ? [review.owner.id, ...(review.delegates ?? []).map((d) => d.id)] : null;
  },
  action_plan: async (models, reference) => {
    const plan = await models.ActionPlan.findById(reference, { chair: 1 }).lean();
    return plan ? [plan.chair.id] : null;
  },
};

const NOUN: Record<RecordKind, string> = { visit: 'visits whose panel you are on', review: 'reviews you own or were given', action_plan: 'plans you chair' };

/** The record a request is about: its route's first parameter (decoded by the router), else the line's path. */
function recordParam(req: Request): string | undefined {
  const first = Object.values(req.params ?? {})[0];
  return typeof first === 'string' && first ? first : undefined;
}

/** What a change did, in a word: an event's name, or the method and route. */
function actionOf(line: CompiledPermission, req: Request): string {
  if (line.path.endsWith('/:event') || line.path.endsWith('/:action')) return req.path.split('/').filter(Boolean).at(-1) ?? line.path;
  return `${line.method} ${line.path}`;
}

/** A refusal goes in the trail too: who tried what on which record, and why not. */
async function recordRefusal(deps: GuardDeps, req: Request, line: CompiledPermission, principal: Principal | undefined, status: number, why: string, record = recordParam(req)): Promise<void> {
  DECISIONS.set(req, { route: `${line.method} ${line.path}`, caller: principal?.id, outcome: 'refused', status });
  await appendAudit(deps.models.Audit, {
    record: record ?? line.path,
    at: new Date(),
    actor: { id: principal?.id ?? 'anonymous', name: principal?.name ?? '' },
    role: 'none',
    action: `refused: ${why}`,
    method: req.method,
    path: line.path,
    status,
  }).catch((err: unknown) => deps.logger.error({ err, path: line.path }, 'refusal not recorded in the audit trail'));
}

/**
 * Let `principal` do what `line` (a line of the permission matrix) allows on the request's record,
 * or throw: 403 without one of its roles; for a role held to its own records (line.record), 404
 * for a record they may not know of, 403 for one they may only read. The caller becomes the
 * request's actor in the role that allowed it (a role free of record rules first), and the audit
 * trail gets what the line asks for: reads before they are answered, changes before they are
 * answered (see holdForAudit), refusals always.
 */
export async function decide(deps: GuardDeps, req: Request, res: Response, principal: Principal, line: CompiledPermission, on = recordParam(req)): Promise<void> {
  const allowed = principal.roles.filter((r) => line.roles.includes(r));
  if (!allowed.length) {
    await recordRefusal(deps, req, line, principal, 403, 'role', on);
    throw new HttpError(403, 'forbidden', `needs one of the roles ${line.roles.join(', ')}; the token has ${principal.roles.join(', ') || 'none'}`);
  }
  const record = on;
  let role: Role | undefined = allowed.find((r) => !line.record?.only[r]);
  if (!role && line.record) {
    const rule = line.record;
    const people = record ? await PEOPLE[rule.kind](deps.models, record) : null;
    role = people?.includes(principal.id) ? allowed[0] : undefined;
    if (!role) {
      const hidden = !people || allowed.every((r) => rule.only[r] === 'hidden');
      await recordRefusal(deps, req, line, principal, hidden ? 404 : 403, `not on the record (${rule.kind})`, on);
      if (hidden) throw new HttpError(404, 'not_found', `no case ${record ?? ''}`.trim());
      throw new HttpError(403, 'forbidden', `as ${allowed.join(', ')} you may change only the ${NOUN[rule.kind]}`);
    }
  }
  setCaller(req, principal, role);
  DECISIONS.set(req, { route: `${line.method} ${line.path}`, caller: principal.id, role, outcome: 'allowed' });
  const entry = { actor: { id: principal.id, name: principal.name }, role: role!, method: req.method, path: line.path };
  if (line.audit === 'personal' || line.audit === 'read') {
    // Recorded before anything is sent: a read the trail cannot hold is not answered.
    const action = line.audit === 'read' ? 'read' : seesPersonalDetails(req) ? 'read personal details' : 'read (personal details withheld)';
    await appendAudit(deps.models.Audit, { ...entry, record: record ?? line.path, at: new Date(), action });
  } else if (line.audit === 'change' && !SAFE_METHODS.has(req.method)) {
    // A page's form for a change is let in on the change's line, but showing it changes nothing.
    await holdForAudit(deps, req, res, line, { ...entry, action: actionOf(line, req) }, record);
  }
}

/**
 * Whether `decide` would let `principal` through `line` on `record`, asked without a request and
 * written nowhere: what a page asks before offering a form only a record's people may send.
 */
export async function admits(models: Models, principal: Principal | undefined, line: CompiledPermission, record: string): Promise<boolean> {
  const allowed = principal?.roles.filter((r) => line.roles.includes(r)) ?? [];
  if (!principal || !allowed.length) return false;
  if (!line.record || allowed.some((r) => !line.record?.only[r])) return true;
  return !!(await PEOPLE[line.record.kind](models, record))?.includes(principal.id);
}

/**
 * The check a route is registered with (api/auth/routes.ts): a valid bearer token (401 without:
 * missing, malformed, expired, revoked, badly signed, for another audience or issuer), then
 * `decide` on the route's own line of the permission matrix. A request reaches a handler only
 * through its own route's check, however its path was spelled.
 */
export function authorize(line: CompiledPermission): RequestHandler {
  return async (req: Request, res: Response, next: NextFunction) => {
    try {
      const found = AUTHENTICATION.get(req);
      // Default deny: a route mounted where authenticate() did not run refuses everything.
      if (!found) throw new Error('authenticate() is not mounted before the routes');
      if (found.failed) throw found.failed;
      if (!found.principal) {
        await recordRefusal(found.deps, req, line, undefined, 401, found.refused ? 'invalid token' : 'no token');
        throw found.refused ? unauthenticated(found.refused, true) : unauthenticated('sign in: this route needs a bearer token', false);
      }
      await decide(found.deps, req, res, found.principal, line);
      next();
    } catch (err) {
      next(err);
    }
  };
}

/**
 * A second check inside a handler, for what only the record tells (a document's case): `line` on
 * `record`, for the caller the route's own check let in.
 */
export async function decideAlso(req: Request, res: Response, line: CompiledPermission, record: string, signedIn?: Principal): Promise<void> {
  const found = AUTHENTICATION.get(req);
  const principal = found?.principal ?? signedIn;
  if (!found || !principal) throw new Error('decideAlso runs after the route has been let in');
  await decide(found.deps, req, res, principal, line, record);
}
