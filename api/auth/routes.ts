import { Router, type RequestHandler } from 'express';
import { canonicalReference } from '../../lib/zod';
import { authorize } from './middleware';
import { lineFor } from './permissions';

/** Routing as the permission matrix reads paths: `/api/X` is not `/api/x`, and `/x/` is not `/x`. */
export const ROUTING = { caseSensitive: true, strict: true } as const;

type Method = 'get' | 'post' | 'put' | 'delete';
type Register = (path: string, ...handlers: RequestHandler[]) => Router;

/**
 * A router whose every route is registered with its own line of the permission matrix: `base` is
 * where it is mounted (`/api/complaints`), and `router.get('/:reference', …)` runs the check of
 * `GET /api/complaints/:reference` before its handlers. A route with no line cannot be registered
 * (lineFor throws, so the app does not start). `all` stays open for the 405 answers (errors.ts).
 */
export function guardedRouter(base: string): Router {
  const router = Router(ROUTING);
  for (const method of ['get', 'post', 'put', 'delete'] as const satisfies readonly Method[]) {
    const register = (router[method] as Register).bind(router);
    router[method] = ((path: string, ...handlers: RequestHandler[]) => {
      if (typeof path !== 'string') throw new Error(`${base}: a guarded route's path is one string`);
      const full = path === '/' ? base : `${base}${path}`;
      return register(path, authorize(lineFor(method.toUpperCase(), full)), ...handlers);
    }) as never;
  }
  canonicalReferences(router);
  router.use = () => {
    throw new Error(`${base}: a guarded router takes routes only; middleware goes on the route, after its check`);
  };
  return router;
}

/** A router of routes open to anyone (liveness, readiness, the API's description), routed as strictly. */
export function openRouter(): Router {
  return Router(ROUTING);
}

/**
 * A route's `:reference` in the one form records hold it in (cmp-2026-000123 is CMP-2026-000123),
 * given before the route's permission check, so the check, the audit trail and the handler all read
 * the same record. With `redirect` (the pages), a GET of a reference typed in another form answers
 * 301 with the page's one address, its query kept.
 */
export function canonicalReferences(router: Router, { redirect = false } = {}): void {
  router.param('reference', (req, res, next, value: string) => {
    const canonical = canonicalReference(value);
    if (canonical !== value && redirect && (req.method === 'GET' || req.method === 'HEAD')) {
      const [, , ...rest] = req.path.split('/');
      const query = req.originalUrl.includes('?') ? req.originalUrl.slice(req.originalUrl.indexOf('?')) : '';
      return res.redirect(301, `${req.baseUrl}/${[canonical, ...rest].join('/')}${query}`);
    }
    req.params.reference = canonical;
    next();
  });
}
