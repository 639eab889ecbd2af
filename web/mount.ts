import path from 'node:path';
import cookieParser from 'cookie-parser';
import express, { Router, type NextFunction, type Request, type Response } from 'express';
import type { Services } from '../api/app';
import type { GuardDeps } from '../api/auth/middleware';
import { rateLimiter } from '../api/auth/rate-limit';
import { ROUTING } from '../api/auth/routes';
import { ROLE_LABELS, ROLES, type Role } from '../api/auth/roles';
import type { Authenticator } from '../api/auth/tokens';
import { HttpError, malformedPath, pathDecodes, toHttpError } from '../api/errors';
import type { Logger } from '../lib/logger';
import type { Models } from '../models';
import type { OpenApiDocument } from './forms';
import { createViews, FRONTEND_DIST, renderPage } from './render';
import type { PageSignIn, SignInTransaction } from './oidc';
import { clearSignInFormToken, endSession, principalOf, setSession, signedIn, signInFormToken, signInFormTokenMatches } from './session';
import { actionPlanPages, chairPages } from './pages/chair';
import { complaintPages } from './pages/complaints';
import { reviewPages } from './pages/reviews';
import { visitPages } from './pages/visits';

export interface WebDeps {
  services: Services;
  /** The API's OpenAPI document: the pages' forms are made from its request schemas. */
  openapi: unknown;
  authenticator: Authenticator;
  models: Models;
  logger: Logger;
  /** Session cookies marked Secure (behind TLS). */
  secureCookies?: boolean;
  /** Sign-in through the organisation's OIDC provider; without it, the local sign-in (when the key is local). */
  pageSignIn?: PageSignIn;
  /** Requests a minute per signed-in person (per address without one); 600 by default. */
  rateLimitPerMinute?: number;
}

/** What each page module gets: the services, the forms' document, the guard and the renderer. */
export interface Web {
  services: Services;
  openapi: OpenApiDocument;
  guard: GuardDeps;
  render(req: Request, res: Response, view: string, data: Record<string, unknown>, status?: number): void;
}

/** The first page each role works from. */
const START: Record<Role, string> = {
  quality_team: '/complaints',
  commissioner: '/reviews',
  cqrg_chair: '/providers',
  visit_panel: '/visits',
  auditor: '/complaints',
  administrator: '/complaints',
};

const NAME = /^[\p{L}\p{M}' .-]{2,80}$/u;

/**
 * The pages: server-rendered with the NHS.UK frontend's Nunjucks macros, its CSS and JavaScript
 * served from the package, over the services the API's routes use. Every form works without
 * JavaScript.
 */
export function mountWeb(deps: WebDeps): Router {
  const views = createViews();
  const guard: GuardDeps = { authenticator: deps.authenticator, models: deps.models, logger: deps.logger };
  const web: Web = {
    services: deps.services,
    openapi: deps.openapi as OpenApiDocument,
    guard,
    render: (req, res, view, data, status) => renderPage(views, req, res, view, data, status),
  };
  const secure = !!deps.secureCookies;
  const router = Router(ROUTING);

  // The design system's own files, as the package ships them; the pages' one script.
  const assets = { immutable: false, maxAge: '1h', fallthrough: false } as const;
  router.use('/assets/images', express.static(path.join(FRONTEND_DIST, 'nhsuk/assets/images'), assets));
  router.get('/assets/nhsuk-frontend.min.css', (_req, res) => res.sendFile(path.join(FRONTEND_DIST, 'nhsuk/nhsuk-frontend.min.css')));
  router.get('/assets/nhsuk-frontend.min.js', (_req, res) => res.type('text/javascript').sendFile(path.join(FRONTEND_DIST, 'nhsuk/nhsuk-frontend.min.js')));
  router.get('/assets/manifest.json', (_req, res) => res.sendFile(path.join(FRONTEND_DIST, 'nhsuk/assets/manifest.json')));
  router.get('/assets/app.mjs', (_req, res) => res.type('text/javascript').sendFile(path.join(__dirname, 'public/app.mjs')));

  // Pages are personal too: never kept by a browser or a proxy.
  const pages = Router(ROUTING);
  pages.use((_req, res, next) => {
    res.setHeader('Cache-Control', 'no-store');
    next();
  });
  pages.use(cookieParser());
  pages.use(express.urlencoded({ extended: false, limit: '100kb', parameterLimit: 2000 }));
  // Who is signed in, for every page (the header names them, even on "Page not found").
  pages.use(async (req, _res, next) => {
    await signedIn(guard, req);
    next();
  });
  // Per signed-in person (a team behind one address is many people), else per address.
  pages.use(rateLimiter(deps.rateLimitPerMinute, (req) => {
    const principal = principalOf(req);
    return principal ? `s:${principal.id}` : undefined;
  }));

  pages.get('/', async (req, res) => {
    const principal = await signedIn(guard, req);
    res.redirect(303, principal ? START[principal.roles[0] ?? 'auditor'] : '/sign-in');
  });

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
    await endSession(deps.authenticator, req, res, secure);
    res.redirect(303, '/sign-in');
  });

  pages.use('/complaints', complaintPages(web));
  pages.use('/visits', visitPages(web));
  pages.use('/reviews', reviewPages(web));
  pages.use('/providers', chairPages(web));
  pages.use('/action-plans', actionPlanPages(web));

  // An address that is no page, asked for by a browser: the design system's "Page not found".
  pages.use((req, _res, next) => {
    if ((req.method === 'GET' || req.method === 'HEAD') && !req.path.startsWith('/api/') && req.accepts(['json', 'html']) === 'html') {
      return next(pathDecodes(req.path) ? new HttpError(404, 'not_found', `no page ${req.path}`) : malformedPath());
    }
    next();
  });

  // A page's failures as pages (the API's stay JSON: it is not under this router).
  pages.use((err: unknown, req: Request, res: Response, _next: NextFunction) => {
    const http = toHttpError(err);
    if (http.status >= 500) deps.logger.error({ err, method: req.method, url: req.originalUrl }, 'page failed');
    const titles: Record<number, string> = {
      401: 'Sign in to continue',
      403: 'You do not have access to this page',
      404: 'Page not found',
      429: 'Too many requests',
      503: 'Sorry, the service is unavailable',
    };
    const message = http.status === 404 ? 'If you typed the web address, check it is correct.' : http.status >= 500 && http.status !== 503 ? 'Something went wrong. Nothing was changed: try again.' : http.message;
    web.render(req, res, 'error.njk', { title: titles[http.status] ?? (http.status >= 500 ? 'Sorry, there is a problem with the service' : 'There is a problem'), message, signIn: http.status === 403 && !!principalOf(req) }, http.status);
  });

  router.use(pages);
  return router;
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
