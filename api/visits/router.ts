import { guardedRouter } from '../auth/routes';
import { Router } from 'express';
import { validate } from '../validate';
import { visitController } from './controller';
import { VISIT_EVENTS } from './events';
import { createVisitBody, listVisitsQuery, referenceParams } from './schemas';
import { VisitService } from './service';

export function visitsRouter(service: VisitService): Router {
  const c = visitController(service);
  const router = guardedRouter('/api/visits');
  router.post('/', validate({ body: createVisitBody }), c.create);
  router.get('/', validate({ query: listVisitsQuery }), c.list);
  router.get('/:reference', validate({ params: referenceParams }), c.get);
  for (const event of VISIT_EVENTS) {
    router.post(`/:reference/${event.path}`, validate({ params: referenceParams }), c.event(event));
  }
  return router;
}
