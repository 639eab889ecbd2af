import { Router, type RequestHandler } from 'express';
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
  router.use = () => {
    throw new Error(`${base}: a guarded router takes routes only; middleware goes on the route, after its check`);
  };
  return router;
}

/** A router of routes open to anyone (liveness, readiness, the API's description), routed as strictly. */
export function openRouter(): Router {
  return Router(ROUTING);
}
