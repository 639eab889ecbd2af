import type { NextFunction, Request, Response, Router } from 'express';
import { HttpError, malformedPath, pathDecodes, toHttpError } from '../api/errors';
import { loggedUrl, type Logger } from '../lib/logger';
import { principalOf } from './session';
import type { Web } from './web';

const TITLES: Record<number, string> = {
  401: 'Sign in to continue',
  403: 'You do not have access to this page',
  404: 'Page not found',
  429: 'Too many requests',
  503: 'Sorry, the service is unavailable',
};

/**
 * After the pages: an address that is no page, asked for by a browser, is the design system's
 * "Page not found"; a page's failures are pages (the API's stay JSON: it is not under this router).
 */
export function setUpPageErrors(pages: Router, web: Web, logger: Logger): void {
  pages.use((req, _res, next) => {
    if ((req.method === 'GET' || req.method === 'HEAD') && !req.path.startsWith('/api/') && req.accepts(['json', 'html']) === 'html') {
      return next(pathDecodes(req.path) ? new HttpError(404, 'not_found', `no page ${req.path}`) : malformedPath());
    }
    next();
  });
  pages.use((err: unknown, req: Request, res: Response, _next: NextFunction) => {
    const http = toHttpError(err);
    if (http.status >= 500) logger.error({ err, method: req.method, url: loggedUrl(req.originalUrl) }, 'page failed');
    const message = http.status === 404 ? 'If you typed the web address, check it is correct.' : http.status >= 500 && http.status !== 503 ? 'Something went wrong. Nothing was changed: try again.' : http.message;
    web.render(req, res, 'error.njk', { title: TITLES[http.status] ?? (http.status >= 500 ? 'Sorry, there is a problem with the service' : 'There is a problem'), message, signIn: http.status === 403 && !!principalOf(req) }, http.status);
  });
}
