import type { Request, Response, Router } from 'express';
import { ROLE_LABELS, ROLES, type Role } from '../api/auth/roles';
import type { Authenticator } from '../api/auth/tokens';
import { HttpError } from '../api/errors';
import type { Logger } from '../lib/logger';
import type { PageSignIn, SignInTransaction } from './oidc';
import { clearSignInFormToken, endSession, setSession, signInFormToken, signInFormTokenMatches } from './session';
import { START, type Web } from './web';

const NAME = /^[\p{L}\p{M}' .-]{2,80}$/u;

export interface SignInDeps {
  authenticator: Authenticator;
  logger: Logger;
  /** Sign-in through the organisation's OIDC provider; without it, the local sign-in (when the key is local). */
  pageSignIn?: PageSignIn;
  /** Session cookies marked Secure (behind TLS). */
  secure: boolean;
}

/**
 * Signing in and out: the local sign-in page (a name and a role, its form guarded against login
 * CSRF), or the organisation's OpenID Connect provider (off to it, back with the API's access
 * token); signing out revokes the session's token.
 */
export function setUpSignIn(pages: Router, web: Web, deps: SignInDeps): void {
  const { secure } = deps;
  const signInPage = (req: Request, res: Response, values: Record<string, string>, problems: Record<string, string>, status = 200) =>
    web.render(req, res, 'sign-in.njk', {
      title: 'Sign in',
      local: deps.authenticator.signsLocally,
      signInToken: deps.authenticator.signsLocally ? signInFormToken(req, res, secure) : undefined,
      organisation: !!deps.pageSignIn,
      next: safeNext(values.next),
      values,
      problems,
      errors: Object.entries(problems).map(([field, text]) => ({ text, href: `#${field}` })),
      roles: ROLES.map((r) => ({ value: r, text: ROLE_LABELS[r], checked: values.role === r })),
    }, status);
  pages.get('/sign-in', (req, res) => signInPage(req, res, { next: String(req.query.next ?? '') }, {}));
  pages.post('/sign-in', async (req, res) => {
    if (!deps.authenticator.signsLocally) return signInPage(req, res, {}, {}, 404);
    const values = { name: String(req.body?.name ?? '').trim(), role: String(req.body?.role ?? ''), next: String(req.body?.next ?? '') };
    if (!signInFormTokenMatches(req)) {
      // Not from this site's sign-in page (or from one open too long): nobody is signed in by it.
      return signInPage(req, res, values, { 'sign-in-form': 'This sign-in form has expired or did not come from Oversight. Check your details and sign in again.' }, 403);
    }
    const problems: Record<string, string> = {};
    if (!NAME.test(values.name)) problems.name = 'Enter your name, 2 to 80 letters';
    if (!(ROLES as readonly string[]).includes(values.role)) problems.role = 'Select your role';
    if (Object.keys(problems).length) return signInPage(req, res, values, problems, 400);
    const role = values.role as Role;
    // A staff id as the processes take one (a-z 0-9 _ -): the name's letters and the role.
    const id = `${values.name.toLowerCase().normalize('NFKD').replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 40) || 'staff'}-${role}`;
    setSession(res, await deps.authenticator.signInLocally({ id, name: values.name, roles: [role] }), secure);
    clearSignInFormToken(res, secure);
    res.redirect(303, safeNext(values.next) || START[role]);
  });

  // The organisation's sign-in: off to its provider, and back with the API's access token.
  const signIn = deps.pageSignIn;
  const TRANSACTION = 'oversight_sign_in';
  const transactionCookie = { httpOnly: true, sameSite: 'lax', secure, path: '/sign-in' } as const;
  pages.get('/sign-in/start', async (req, res) => {
    if (!signIn) throw new HttpError(404, 'not_found', 'sign-in is local here');
    let started: Awaited<ReturnType<PageSignIn['start']>>;
    try {
      started = await signIn.start(safeNext(req.query.next));
    } catch (err) {
      deps.logger.error({ err }, 'the identity provider could not be reached');
      throw new HttpError(503, 'unavailable', 'Your organisation’s sign-in could not be reached. Try again in a few minutes.');
    }
    res.cookie(TRANSACTION, JSON.stringify(started.transaction), { ...transactionCookie, maxAge: 10 * 60 * 1000 });
    res.redirect(303, started.url);
  });
  pages.get('/sign-in/callback', async (req, res) => {
    if (!signIn) throw new HttpError(404, 'not_found', 'sign-in is local here');
    const transaction = parseTransaction(req.cookies?.[TRANSACTION]);
    res.clearCookie(TRANSACTION, transactionCookie);
    if (!transaction) throw new HttpError(400, 'bad_request', 'Sign-in did not complete (it took too long, or was started elsewhere). Sign in again.');
    let token: string;
    try {
      token = await signIn.finish(req, transaction);
    } catch (err) {
      deps.logger.warn({ err: err instanceof Error ? err.message : String(err) }, 'sign-in refused');
      throw new HttpError(400, 'bad_request', 'Sign-in did not complete. Sign in again.');
    }
    const principal = await deps.authenticator.verify(token).catch(() => undefined);
    if (!principal) throw new HttpError(403, 'forbidden', 'Your organisation signed you in, but not for Oversight. Ask your administrator for access.');
    if (!principal.roles.length) throw new HttpError(403, 'forbidden', 'Your account has no Oversight role. Ask your administrator for one.');
    setSession(res, token, secure);
    res.redirect(303, transaction.next || START[principal.roles[0]]);
  });
  pages.post('/sign-out', async (req, res) => {
    // The header's sign-out form can carry no form token: another site's post is told by its origin.
    if (fromAnotherSite(req)) throw new HttpError(403, 'forbidden', 'this sign-out did not come from Oversight: you are still signed in');
    await endSession(deps.authenticator, req, res, secure);
    res.redirect(303, '/sign-in');
  });

}

/**
 * A request another site's page sent. A browser says where it came from (Sec-Fetch-Site:
 * `same-origin` for this site's own form); one that does not is judged by its Origin, when it names
 * a host other than the one it was sent to (as this server, or a proxy before it, was asked). An
 * Origin of `null` proves nothing: Chromium sends it for this site's own forms under the pages'
 * `Referrer-Policy: no-referrer`.
 */
function fromAnotherSite(req: Request): boolean {
  const site = req.get('Sec-Fetch-Site');
  if (site !== undefined) return site !== 'same-origin' && site !== 'none';
  const origin = req.get('Origin');
  if (origin === undefined || origin === 'null') return false;
  let host: string;
  try {
    host = new URL(origin).host;
  } catch {
    return true;
  }
  return ![req.get('Host'), req.get('X-Forwarded-Host')].some((h) => h !== undefined && h.toLowerCase() === host);
}

function parseTransaction(raw: unknown): SignInTransaction | undefined {
  if (typeof raw !== 'string') return undefined;
  try {
    const t = JSON.parse(raw) as Partial<SignInTransaction>;
    return typeof t.state === 'string' && typeof t.nonce === 'string' && typeof t.verifier === 'string' ? { state: t.state, nonce: t.nonce, verifier: t.verifier, next: safeNext(t.next) } : undefined;
  } catch {
    return undefined;
  }
}

/** Only a path of this site, never another site's address, is somewhere to go after signing in. */
function safeNext(next: unknown): string {
  return typeof next === 'string' && /^\/(?![/\\])[\x21-\x7e]*$/.test(next) && !next.startsWith('/sign-') ? next : '';
}
