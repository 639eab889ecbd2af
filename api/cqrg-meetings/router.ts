import type { Request, Response, Router } from 'express';
import { guardedRouter } from '../auth/routes';
import { openMeetingBody, reportingPlanBody } from '../../contracts/cqrg-meeting/inputs';
import type { CqrgMeetingState } from '../../contracts/cqrg-meeting/definitions';
import { answer, eventRoutes } from '../kernel/case-router';
import type { CaseEvent } from '../kernel/events';
import { actorOf } from '../kernel/request';
import { validate } from '../validate';
import { sendMeetingEvent } from './record';
import { emptyQuery, providerParams, referenceParams } from './schemas';
import type { CqrgMeetingService } from './service';

/** /api/cqrg-meetings: open a meeting of a provider's cycle, read one, its events, what meetings asked of others. */
export function cqrgMeetingsRouter(service: CqrgMeetingService, events: CaseEvent<CqrgMeetingState>[]): Router {
  const router = guardedRouter('/api/cqrg-meetings');
  router.post('/', validate({ body: openMeetingBody }), async (req: Request, res: Response) => {
    const { replayed, view } = await service.open(req.body, actorOf(req));
    if (replayed) res.setHeader('Idempotent-Replayed', 'true');
    res.status(replayed ? 200 : 201).location(`/api/cqrg-meetings/${view.reference}`).json(view);
  });
  // Before /:reference, which they would otherwise be taken for.
  router.get('/visit-requests', validate({ query: emptyQuery }), answer(() => service.requests('visit')));
  router.get('/escalations', validate({ query: emptyQuery }), answer(() => service.requests('committee')));
  router.get('/:reference', validate({ params: referenceParams }), answer((req) => service.get(req.params.reference as string)));
  eventRoutes(router, events, referenceParams, (event, reference, req) => sendMeetingEvent(service, event, reference, req));
  return router;
}

/** /api/providers/:code/…: a provider's reporting plan and its meeting cycle. */
export function providerMeetingsRouter(service: CqrgMeetingService): Router {
  const router = guardedRouter('/api/providers');
  router.get('/:code/reporting-plan', validate({ params: providerParams }), answer((req) => service.plan(req.params.code as string)));
  router.put('/:code/reporting-plan', validate({ params: providerParams, body: reportingPlanBody }), async (req, res) => {
    const { created, pending, view } = await service.putPlan(req.params.code as string, req.body, actorOf(req));
    // Saved, with meetings Temporal could not take yet: accepted, the reconciler finishes them.
    res.status(pending ? 202 : created ? 201 : 200).json(pending ? { ...view, pending } : view);
  });
  router.get('/:code/cqrg-meetings', validate({ params: providerParams }), answer((req) => service.cycle(req.params.code as string)));
  return router;
}
