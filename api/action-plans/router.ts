import type { Router } from 'express';
import { guardedRouter } from '../auth/routes';
import type { ActionPlanState } from '../../contracts/action-plan/definitions';
import type { CaseEvent } from '../kernel/events';
import { isoDate, z } from '../../lib/zod';
import { validate } from '../validate';
import { actionPlanController, providerController } from './controller';
import type { CqrgSchedules } from './cqrg-schedule';
import { createActionPlanBody, cqrgScheduleBody, dashboardQuery, listActionPlansQuery, listActionsQuery, pauseBody, providerParams, referenceParams } from './schemas';
import type { ChairService } from './chair';
import type { ActionPlanService } from './service';

/** /api/action-plans: open, list, the dashboard, one plan, and one POST per event. */
export function actionPlansRouter(service: ActionPlanService, chair: ChairService, events: CaseEvent<ActionPlanState>[]): Router {
  const c = actionPlanController(service, chair);
  const router = guardedRouter('/api/action-plans');
  router.post('/', validate({ body: createActionPlanBody }), c.create);
  router.get('/', validate({ query: listActionPlansQuery }), c.list);
  // Before /:reference, which it would otherwise be taken for.
  router.get('/dashboard', validate({ query: dashboardQuery }), c.dashboard);
  router.get('/requests', validate({ query: z.object({}).strict() }), c.requests);
  router.get('/:reference', validate({ params: referenceParams }), c.get);
  for (const event of events) router.post(`/:reference/${event.path}`, validate({ params: referenceParams }), c.event(event));
  return router;
}

export const packParams = providerParams.extend({ meetingOn: isoDate.openapi({ param: { name: 'meetingOn', in: 'path' } }) });

/** /api/providers/:code/…: the chair's view of a provider, its CQRG Schedule and packs. */
export function providersRouter(service: ChairService, schedules: CqrgSchedules): Router {
  const c = providerController(service, schedules);
  const router = guardedRouter('/api/providers');
  const params = validate({ params: providerParams });
  router.get('/:code/actions', validate({ params: providerParams, query: listActionsQuery }), c.actions);
  router.get('/:code/actions/dashboard', params, c.dashboard);
  router.get('/:code/cqrg-schedule', params, c.getSchedule);
  router.put('/:code/cqrg-schedule', validate({ params: providerParams, body: cqrgScheduleBody }), c.putSchedule);
  router.post('/:code/cqrg-schedule/pause', validate({ params: providerParams, body: pauseBody.optional() }), c.pause(true));
  router.post('/:code/cqrg-schedule/unpause', validate({ params: providerParams, body: pauseBody.optional() }), c.pause(false));
  router.get('/:code/cqrg-packs', params, c.packs);
  router.get('/:code/cqrg-packs/:meetingOn', validate({ params: packParams }), c.pack);
  return router;
}

export const packIdParams = z.object({
  id: z
    .string()
    .regex(/^[A-Z0-9]{3,5}:\d{4}-\d{2}-\d{2}$/, 'must be a provider and a meeting date, such as RJ2:2026-12-08')
    .openapi({ param: { name: 'id', in: 'path' }, example: 'RJ2:2026-12-08' }),
});

/** /api/cqrg-packs/:id: one pack by its key (`RJ2:2026-12-08`), the link the chair's email gives. */
export function cqrgPacksRouter(service: ChairService): Router {
  const router = guardedRouter('/api/cqrg-packs');
  router.get('/:id', validate({ params: packIdParams }), async (req, res) => {
    const [code, meetingOn] = (req.params.id as string).split(':');
    res.json(await service.pack(code, meetingOn));
  });
  return router;
}

/** /api/cqrg-schedules: every active provider's CQRG Schedule. */
export function cqrgSchedulesRouter(service: ChairService, schedules: CqrgSchedules): Router {
  const router = guardedRouter('/api/cqrg-schedules');
  router.get('/', validate({ query: z.object({}).strict() }), providerController(service, schedules).listSchedules);
  return router;
}
