import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { Logger } from '../../lib/logger';
import type { Models } from '../../models';
import { appendAudit } from '../../models/audit';
import { HttpError } from '../errors';
import { seesPersonalDetails, setCaller } from '../kernel/request';
import { permissionFor, PUBLIC_PATHS, type CompiledPermission } from './permissions';
import type { Authenticator, Principal } from './tokens';
import type { Role } from './roles';

const BEARER = /^Bearer ([A-Za-z0-9\-_]+\.[A-Za-z0-9\-_]+\.[A-Za-z0-9\-_]*)$/;

function unauthenticated(message: string, invalid: boolean): HttpError {
  return new HttpError(401, 'unauthenticated', message, undefined, { 'WWW-Authenticate': invalid ? 'Bearer error="invalid_token"' : 'Bearer' });
}

/**
 * The record a request is about: its path's first parameter, or (a create) the Location it
 * answered. `path` is the request's full path, taken before routers rewrite it.
 */
function recordOf(permission: CompiledPermission, path: string, res?: Response): string {
  const names = permission.path.split('/');
  const values = path.split('/');
  const at = names.findIndex((segment) => segment.startsWith(':'));
  if (at >= 0 && values[at]) return decodeURIComponent(values[at]);
  const location = res?.getHeader('Location');
  return typeof location === 'string' ? location.split('/').at(-1)! : permission.path;
}

/** What a change did, in a word: an event's name, or the method and route. */
function actionOf(permission: CompiledPermission, path: string): string {
  if (permission.path.endsWith('/:event')) return path.split('/').at(-1)!;
  return `${permission.method} ${permission.path}`;
}

export interface GuardDeps {
  authenticator: Authenticator;
  models: Models;
  logger: Logger;
}

/**
 * Let `principal` do `method path`, a route of the permission matrix, or throw a 403: the caller
 * becomes the request's actor (in the role that allowed it), and the audit trail gets what the
 * route's line asks for. The guard below calls it for every API request; the pages (web/) call
 * it with the API route each page stands for, so both answer to the one table.
 */
export async function admit(deps: GuardDeps, req: Request, res: Response, principal: Principal, method: string, path: string): Promise<void> {
  const permission = permissionFor(method, path);
  // No line: not a route of the API (404) or not this method (405), answered after this.
  const role: Role | undefined = permission ? principal.roles.find((r) => permission.roles.includes(r)) : principal.roles[0];
  if (permission && !role) {
    throw new HttpError(403, 'forbidden', `needs one of the roles ${permission.roles.join(', ')}; the token has ${principal.roles.join(', ') || 'none'}`);
  }
  setCaller(req, principal, role);
  const entry = { actor: { id: principal.id, name: principal.name }, role: role!, method, path };
  if (permission?.audit === 'personal') {
    // Recorded before anything is sent: a read the trail cannot hold is not answered.
    await appendAudit(deps.models.Audit, {
      ...entry,
      record: recordOf(permission, path),
      at: new Date(),
      action: seesPersonalDetails(req) ? 'read personal details' : 'read (personal details withheld)',
    });
  } else if (permission?.audit === 'change') {
    res.on('finish', () => {
      if (res.statusCode >= 400) return;
      appendAudit(deps.models.Audit, {
        ...entry,
        record: recordOf(permission, path, res),
        at: new Date(),
        action: actionOf(permission, path),
        status: res.statusCode,
      }).catch((err: unknown) => deps.logger.error({ err, path }, 'audit entry not written'));
    });
  }
}

/**
 * The one place who may do what is decided. Every `/api` route but the public ones needs a valid
 * bearer token (401 without: missing, expired, badly signed, for another audience or issuer); its
 * line of the permission matrix (./permissions.ts) names the roles allowed (403 for any other).
 * The caller becomes the actor on what they do (the role that allowed it), and the audit trail
 * records every change they make and every read of personal details.
 */
export function guard(deps: GuardDeps): RequestHandler {
  return async (req: Request, res: Response, next: NextFunction) => {
    try {
      const path = req.path;
      // A CORS preflight carries no credentials and returns no data: the request it precedes is checked.
      if (!path.startsWith('/api/') || PUBLIC_PATHS.includes(path) || req.method === 'OPTIONS') return next();
      const header = req.get('Authorization');
      if (!header) throw unauthenticated('sign in: this route needs a bearer token', false);
      const token = BEARER.exec(header)?.[1];
      if (!token) throw unauthenticated('the Authorization header must be "Bearer <token>"', true);
      let principal: Principal;
      try {
        principal = await deps.authenticator.verify(token);
      } catch {
        throw unauthenticated('the token is not valid (expired, not signed by the issuer, or for another audience)', true);
      }
      await admit(deps, req, res, principal, req.method, path);
      next();
    } catch (err) {
      next(err);
    }
  };
}
