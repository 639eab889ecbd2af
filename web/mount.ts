import { Router } from 'express';
import type { GuardDeps } from '../api/auth/middleware';
import { ROUTING } from '../api/auth/routes';
import type { Services } from '../api/services';
import type { PageSignIn } from './oidc';
import type { OpenApiDocument } from './forms';
import { setUpPageErrors } from './errors';
import { actionPlanPages, chairPages } from './pages/chair';
import { packPages } from './pages/pack';
import { complaintPages } from './pages/complaints';
import { cqrgMeetingPages } from './pages/cqrg-meetings';
import { reviewPages } from './pages/reviews';
import { visitPages } from './pages/visits';
import { importPages } from './pages/imports';
import { createViews, renderPage } from './render';
import { principalOf, requireAccess, signedIn } from './session';
import { documentProcesses, letterSources } from '../api/mount';
import { sendDocument } from '../api/documents/router';
import { setUpAssets } from './setup/assets';
import { setUpSession } from './setup/session';
import { setUpSignIn } from './sign-in';
import { searchPages } from './search';
import { START, type Web } from './web';

export interface WebDeps {
  services: Services;
  /** The API's OpenAPI document: the pages' forms are made from its request schemas. */
  openapi: unknown;
  /** The API's guard: the same authenticator (with its revocations), models and logger. */
  guard: GuardDeps;
  /** Session cookies marked Secure (behind TLS). */
  secureCookies?: boolean;
  /** Sign-in through the organisation's OIDC provider; without it, the local sign-in (when the key is local). */
  pageSignIn?: PageSignIn;
  /** Requests a minute per signed-in person (per address without one); 600 by default. */
  rateLimitPerMinute?: number;
}

/**
 * The pages: server-rendered with the NHS.UK frontend's Nunjucks macros, its CSS and JavaScript
 * served from the package, over the services the API's routes use. Every form works without
 * JavaScript.
 */
export function mountWeb(deps: WebDeps): Router {
  const views = createViews();
  const { guard } = deps;
  const web: Web = {
    services: deps.services,
    documents: documentProcesses(guard.models),
    letters: letterSources(guard.models),
    openapi: deps.openapi as OpenApiDocument,
    guard,
    render: (req, res, view, data, status) => renderPage(views, req, res, view, data, status),
  };
  const router = Router(ROUTING);
  setUpAssets(router);

  const pages = Router(ROUTING);
  setUpSession(pages, guard, deps.rateLimitPerMinute);
  pages.get('/', async (req, res) => {
    const principal = await signedIn(guard, req);
    res.redirect(303, principal ? START[principal.roles[0] ?? 'auditor'] : '/sign-in');
  });
  setUpSignIn(pages, web, { authenticator: guard.authenticator, logger: guard.logger, pageSignIn: deps.pageSignIn, secure: !!deps.secureCookies });
  // A document kept with a case, downloaded from its page (standing for GET /api/documents/:id).
  pages.get('/documents/:id', requireAccess(guard, { method: 'GET', route: '/api/documents/:id' }), (req, res) =>
    sendDocument(web.services.documents, web.documents, String(req.params.id), req, res, principalOf(req)),
  );
  pages.use('/search', searchPages(web));
  pages.use('/complaints', complaintPages(web));
  pages.use('/visits', visitPages(web));
  pages.use('/reviews', reviewPages(web));
  pages.use('/providers', packPages(web));
  pages.use('/providers', chairPages(web));
  pages.use('/action-plans', actionPlanPages(web));
  pages.use('/cqrg-meetings', cqrgMeetingPages(web));
  pages.use('/imports', importPages(web));
  setUpPageErrors(pages, web, guard.logger);

  router.use(pages);
  return router;
}
