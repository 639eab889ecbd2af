import type { Request, RequestHandler, Response, Router } from 'express';
import type { ZodType } from 'zod';
import type { Actor } from '../../contracts/kernel/case';
import { guardedRouter } from '../auth/routes';
import { validate } from '../validate';
import type { CaseEvent } from './events';
import { actorOf, idempotencyKey } from './request';

/** What a process's service does for the routes every case has. */
export interface CaseRouteService<S, Body> {
  create(body: Body, actor: Actor, idempotencyKey?: string): Promise<{ replayed: boolean; view: { reference: string } }>;
  event(event: CaseEvent<S>, reference: string, req: Request): Promise<unknown>;
}

/** A process's case routes: its base path, schemas, events, and the routes of its own. */
export interface CaseRoutes<S, Body> {
  /** Where the router is mounted, such as `/api/visits`. */
  base: string;
  service: CaseRouteService<S, Body>;
  schemas: { create: ZodType; list: ZodType; reference: ZodType };
  events: readonly CaseEvent<S>[];
  /** The list's answer (a caller may narrow it: a panel member sees their own visits). */
  list(req: Request): Promise<unknown>;
  /** One case's answer. */
  get(req: Request): Promise<unknown>;
  /** Routes on the whole collection (`/dashboard`), registered before `/:reference` would take them. */
  collection?(router: Router): void;
  /** The process's own routes on one case (`/:reference/coding`), beside its events. */
  item?(router: Router): void;
}

/** `res.json` of what a handler answers; Express 5 hands a rejection to the error handler. */
export function answer(handler: (req: Request) => Promise<unknown>): RequestHandler {
  return async (req: Request, res: Response) => void res.json(await handler(req));
}

/** One POST `/:reference/<path>` per event of the process's table, each sent by `send`. */
export function eventRoutes<S>(router: Router, events: readonly CaseEvent<S>[], reference: ZodType, send: (event: CaseEvent<S>, reference: string, req: Request) => Promise<unknown>): void {
  for (const event of events) {
    router.post(`/:reference/${event.path}`, validate({ params: reference }), answer((req) => send(event, req.params.reference as string, req)));
  }
}

/**
 * The routes every process's cases have, in the order Express must see them: open one (201 with
 * its Location, or the first answer again for a repeated Idempotency-Key), the list, the
 * process's collection routes, one case, its own routes, and one POST per event of its table.
 */
export function caseRouter<S, Body>(routes: CaseRoutes<S, Body>): Router {
  const { base, service, schemas } = routes;
  const router = guardedRouter(base);
  router.post('/', validate({ body: schemas.create }), async (req: Request, res: Response) => {
    const { replayed, view } = await service.create(req.body as Body, actorOf(req), idempotencyKey(req));
    if (replayed) res.setHeader('Idempotent-Replayed', 'true');
    res.status(201).location(`${base}/${view.reference}`).json(view);
  });
  router.get('/', validate({ query: schemas.list }), answer(routes.list));
  routes.collection?.(router);
  router.get('/:reference', validate({ params: schemas.reference }), answer(routes.get));
  routes.item?.(router);
  eventRoutes(router, routes.events, schemas.reference, (event, reference, req) => service.event(event, reference, req));
  return router;
}
