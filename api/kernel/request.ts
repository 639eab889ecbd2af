import type { Request } from 'express';
import type { Principal } from '../auth/tokens';
import type { Role } from '../auth/roles';
import { SEES_PERSONAL_DETAILS } from '../auth/roles';
import type { Actor } from '../../contracts/kernel/case';
import { badRequest } from '../errors';

const IDEMPOTENCY_KEY = /^[A-Za-z0-9._:-]{8,200}$/;

/** The request's Idempotency-Key, if it sent one that is well formed. */
export function idempotencyKey(req: Request): string | undefined {
  const key = req.get('Idempotency-Key');
  if (key !== undefined && !IDEMPOTENCY_KEY.test(key)) {
    throw badRequest('header.Idempotency-Key', 'must be 8-200 characters of A-Z a-z 0-9 . _ : -');
  }
  return key;
}

interface Caller {
  principal: Principal;
  /** The role the permission matrix let this request through on. */
  role?: Role;
}

const CALLERS = new WeakMap<Request, Caller>();

/** Who is calling: set in one place, by the guard (../auth/middleware.ts), from the verified token. */
export function setCaller(req: Request, principal: Principal, role?: Role): void {
  CALLERS.set(req, { principal, role });
}

/** Who is acting on an event: the token's subject and name, in the role that allowed it. */
export function actorOf(req: Request): Actor {
  const caller = CALLERS.get(req);
  if (!caller) throw new Error('no caller on the request: the app mounts guard() before its routes');
  return { id: caller.principal.id, name: caller.principal.name, role: caller.role ?? caller.principal.roles[0] ?? 'none' };
}

/** True when the caller may see a complainant's and patient's own details. */
export function seesPersonalDetails(req: Request): boolean {
  const caller = CALLERS.get(req);
  return !!caller && caller.principal.roles.some((r) => SEES_PERSONAL_DETAILS.includes(r));
}

/** True when the caller holds one of these roles (an event's own senders, narrower than its line). */
export function callerHolds(req: Request, roles: readonly Role[]): boolean {
  const caller = CALLERS.get(req);
  return !!caller && caller.principal.roles.some((r) => roles.includes(r));
}
