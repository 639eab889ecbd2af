import { guardedRouter } from '../auth/routes';
import { Router } from 'express';
import { validate } from '../validate';
import { codingBody } from './coding';
import { linkRelatedBody } from './related';
import { complaintController } from './controller';
import { COMPLAINT_EVENTS } from './events';
import { complaintDashboardQuery, createComplaintBody, listComplaintsQuery, referenceParams } from './schemas';
import { ComplaintService } from './service';

export function complaintsRouter(service: ComplaintService): Router {
  const c = complaintController(service);
  const router = guardedRouter('/api/complaints');
  router.post('/', validate({ body: createComplaintBody }), c.create);
  router.get('/', validate({ query: listComplaintsQuery }), c.list);
  // Before /:reference, which it would otherwise be taken for.
  router.get('/dashboard', validate({ query: complaintDashboardQuery }), c.dashboard);
  router.get('/:reference', validate({ params: referenceParams }), c.get);
  router.post('/:reference/related', validate({ params: referenceParams, body: linkRelatedBody }), c.linkRelated);
  router.put('/:reference/coding', validate({ params: referenceParams, body: codingBody }), c.coding);
  for (const event of COMPLAINT_EVENTS) {
    router.post(`/:reference/${event.path}`, validate({ params: referenceParams }), c.event(event));
  }
  return router;
}
