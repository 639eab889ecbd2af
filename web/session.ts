import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import { admits, decide, type GuardDeps } from '../api/auth/middleware';
import type { Authenticator, Principal } from '../api/auth/tokens';
import { HttpError } from '../api/errors';
import { lineFor, permissionFor } from '../api/auth/permissions';

/**
 * Signing in to the pages: the same bearer token the API takes, kept in an HttpOnly,
 * SameSite=Lax cookie (a script cannot read it; another site's forms and requests do not carry
 * it, while a link to a case in an email, and the way back from the organisation's sign-in, do).
 * Every form carries a token only the signed-in browser can make (formToken). Every page
 * stands for an API route and is let through by the same line of the permission matrix
 * (api/auth/permissions.ts), audited the same way.
 */

export const SESSION_COOKIE = 'oversight_session';

const SESSION = new WeakMap<Request, { token: string; principal: Principal }>();

/** The signed-in person, when the cookie holds a token the authenticator accepts. */
export async function signedIn(deps: GuardDeps, req: Request): Promise<Principal | undefined> {
  const known = SESSION.get(req);
  if (known) return known.principal;
  const token: unknown = req.cookies?.[SESSION_COOKIE];
  if (typeof token !== 'string' || !token) return undefined;
  try {
    const principal = await deps.authenticator.verify(token);
    SESSION.set(req, { token, principal });
    // Into the staff directory, as the API's authentication does (not awaited: never in the way).
    void deps.staff?.seen(principal);
    return principal;
  } catch {
    return undefined;
  }
}

/** Who the request was signed in as (after signedIn has read the cookie). */
export function principalOf(req: Request): Principal | undefined {
  return SESSION.get(req)?.principal;
}

export function setSession(res: Response, token: string, secure: boolean): void {
  res.cookie(SESSION_COOKIE, token, { httpOnly: true, sameSite: 'lax', secure, path: '/', maxAge: 8 * 3600 * 1000 });
}

export function clearSession(res: Response, secure: boolean): void {
  res.clearCookie(SESSION_COOKIE, { httpOnly: true, sameSite: 'lax', secure, path: '/' });
}

/**
 * Sign out: the session's token revoked first, so that a copy of it (taken from this browser, or
 * used on the API) is refused too, not only forgotten here; then the cookie cleared. If the
 * revocation cannot be recorded the error goes on and the session stays, to be signed out again.
 */
export async function endSession(authenticator: Authenticator, req: Request, res: Response, secure: boolean): Promise<void> {
  const token: unknown = req.cookies?.[SESSION_COOKIE];
  if (typeof token === 'string' && token) await authenticator.revoke(token);
  clearSession(res, secure);
}

/**
 * The form token every page's form carries: derived from the session's token, which only the
 * signed-in browser holds, so a form posted from elsewhere cannot carry it (SameSite=Lax is
 * the first guard, this the second).
 */
export function formToken(req: Request): string {
  const session = SESSION.get(req);
  return session ? formTokenFor(session.token) : '';
}

/** The form token of a session's token (what a form carries; chaos/run.ts posts forms with it). */
export function formTokenFor(sessionToken: string): string {
  return createHash('sha256').update(`form:${sessionToken}`).digest('base64url');
}

export function checkFormToken(req: Request): void {
  checkFormFields(req, (req.body ?? {}) as Record<string, unknown>);
}

/** The form token among a form's fields (a multipart form's, read before its file). */
export function checkFormFields(req: Request, fields: Record<string, unknown>): void {
  const sent = typeof fields._form === 'string' ? Buffer.from(fields._form) : Buffer.alloc(0);
  const expected = Buffer.from(formToken(req));
  if (!expected.length || sent.length !== expected.length || !timingSafeEqual(sent, expected)) {
    throw new HttpError(403, 'forbidden', 'this form has expired or did not come from Oversight: go back, reload the page and send it again');
  }
}

/** The local sign-in form's own cookie: before signing in there is no session to derive a form token from. */
const SIGN_IN_FORM_COOKIE = 'oversight_sign_in_form';

const signInFormCookie = (secure: boolean) => ({ httpOnly: true, sameSite: 'strict', secure, path: '/sign-in' }) as const;

/**
 * The token the local sign-in form carries (double submit): a random value, also in a cookie that
 * only /sign-in receives, only from this site (SameSite=Strict), and no script reads. Another
 * site's form cannot know it and its post carries no such cookie, so it cannot sign a browser in
 * as someone of the attacker's choosing (login CSRF). A cookie already set is kept: two tabs work.
 */
export function signInFormToken(req: Request, res: Response, secure: boolean): string {
  const kept: unknown = req.cookies?.[SIGN_IN_FORM_COOKIE];
  const token = typeof kept === 'string' && /^[A-Za-z0-9_-]{43}$/.test(kept) ? kept : randomBytes(32).toString('base64url');
  res.cookie(SIGN_IN_FORM_COOKIE, token, { ...signInFormCookie(secure), maxAge: 3600 * 1000 });
  return token;
}

/** True when the sign-in form posted the token its cookie holds (compared in constant time). */
export function signInFormTokenMatches(req: Request): boolean {
  const kept: unknown = req.cookies?.[SIGN_IN_FORM_COOKIE];
  const sent: unknown = req.body?._form;
  if (typeof kept !== 'string' || !kept || typeof sent !== 'string') return false;
  const [a, b] = [Buffer.from(kept), Buffer.from(sent)];
  return a.length === b.length && timingSafeEqual(a, b);
}

/** Signed in: the sign-in form's cookie has done its work. */
export function clearSignInFormToken(res: Response, secure: boolean): void {
  res.clearCookie(SIGN_IN_FORM_COOKIE, signInFormCookie(secure));
}

/**
 * The API route a page stands for, as the permission matrix spells it (`/api/complaints/:reference`):
 * the page answers to that line, on the record its own route names (its first parameter).
 */
export interface Stands {
  method: 'GET' | 'POST' | 'PUT';
  route: string;
  /** A file upload: its form token comes in the multipart body, checked before the file is read (checkFormFields). */
  multipart?: boolean;
}

/**
 * Signed in (else to the sign-in page, coming back here after), and allowed as the API route
 * the page stands for allows, on the page's record (else a 403 or 404 page), before the page's
 * own work. The line is found as the page is registered: a page standing for no line does not start.
 */
export function requireAccess(deps: GuardDeps, stands: Stands) {
  const line = lineFor(stands.method, stands.route);
  return async (req: Request, res: Response, next: NextFunction) => {
    try {
      const principal = await signedIn(deps, req);
      if (!principal) {
        const back = req.method === 'GET' ? req.originalUrl : '/';
        return res.redirect(303, `/sign-in?next=${encodeURIComponent(back)}`);
      }
      if (req.method === 'POST' && !stands.multipart) checkFormToken(req);
      await decide(deps, req, res, principal, line);
      next();
    } catch (err) {
      next(err);
    }
  };
}

/**
 * Whether `principal` may do `method path` on `record` as the route's own check would decide, its
 * record rule included (a commissioner on the reviews they own or were given): the buttons a case
 * page offers. Written nowhere; each line of the matrix asked once (a case's events share one, and
 * its record rule reads the record's people).
 */
export function mayOn(models: GuardDeps['models'], principal: Principal | undefined, record: string): (method: string, path: string) => Promise<boolean> {
  const asked = new Map<NonNullable<ReturnType<typeof permissionFor>>, Promise<boolean>>();
  return (method, path) => {
    const permission = permissionFor(method, path);
    if (!permission) return Promise.resolve(false);
    if (!asked.has(permission)) asked.set(permission, admits(models, principal, permission, record));
    return asked.get(permission)!;
  };
}

/** Whether `principal` may do `method path`: what decides which buttons and links a page shows. */
export function may(principal: Principal | undefined, method: string, path: string): boolean {
  const permission = permissionFor(method, path);
  return !!principal && !!permission && principal.roles.some((r) => permission.roles.includes(r));
}
