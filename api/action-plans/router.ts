import type { Request, Response, Router } from 'express';
import { guardedRouter } from '../auth/routes';
import type { ActionPlanState } from '../../contracts/action-plan/definitions';
import type { CaseEvent } from '../kernel/events';
import { answer, caseRouter } from '../kernel/case-router';
import { isoDate, ODS_CODE, z } from '../../lib/zod';
import { validate } from '../validate';
import type { CqrgSchedules } from './cqrg-schedule';
import {
  createActionPlanBody,
  cqrgScheduleBody,
  dashboardQuery,
  listActionPlansQuery,
  listActionsQuery,
  pauseBody,
  providerParams,
  referenceParams,
  type CreateActionPlanBody,
  type CqrgScheduleBody,
  type ListActionPlansQuery,
  type ListActionsQuery,
} from './schemas';
import type { ChairService } from './chair';
import type { ActionPlanService } from './service';

/** /api/action-plans: open, list, the dashboard, requests, one plan, and one POST per event. */
export function actionPlansRouter(service: ActionPlanService, chair: ChairService, events: CaseEvent<ActionPlanState>[]): Router {
  return caseRouter<ActionPlanState, CreateActionPlanBody>({
    base: '/api/action-plans',
    service,
    schemas: { create: createActionPlanBody, list: listActionPlansQuery, reference: referenceParams },
    events,
    list: (req) => service.list(req.query as unknown as ListActionPlansQuery),
    get: (req) => service.get(req.params.reference as string),
    collection(router) {
      router.get('/dashboard', validate({ query: dashboardQuery }), answer((req) => chair.dashboard((req.query as { provider?: string }).provider)));
      // Visits whose final reports asked for a plan not yet opened.
      router.get('/requests', validate({ query: z.object({}).strict() }), answer(async () => ({ items: await service.awaitingPlans() })));
    },
  });
}

export const packParams = providerParams.extend({ meetingOn: isoDate.openapi({ param: { name: 'meetingOn', in: 'path' } }) });

/** /api/providers/:code/…: the chair's view of a provider, its CQRG Schedule and packs. */
export function providersRouter(service: ChairService, schedules: CqrgSchedules): Router {
  const router = guardedRouter('/api/providers');
  const code = (req: Request) => req.params.code as string;
  const params = validate({ params: providerParams });
  router.get('/:code/actions', validate({ params: providerParams, query: listActionsQuery }), answer((req) => service.actions(code(req), req.query as unknown as ListActionsQuery)));
  router.get(
    '/:code/actions/dashboard',
    params,
    answer(async (req) => (await Promise.all([service.provider(code(req)), service.providerDashboard(code(req))]))[1]),
  );
  router.get('/:code/cqrg-schedule', params, answer((req) => schedules.get(code(req))));
  router.put('/:code/cqrg-schedule', validate({ params: providerParams, body: cqrgScheduleBody }), async (req: Request, res: Response) => {
    const { created, view } = await schedules.put(code(req), req.body as CqrgScheduleBody);
    res.status(created ? 201 : 200).json(view);
  });
  const pause = (paused: boolean) => answer((req) => schedules.pause(code(req), paused, (req.body as { note?: string } | undefined)?.note));
  router.post('/:code/cqrg-schedule/pause', validate({ params: providerParams, body: pauseBody.optional() }), pause(true));
  router.post('/:code/cqrg-schedule/unpause', validate({ params: providerParams, body: pauseBody.optional() }), pause(false));
  router.get('/:code/cqrg-packs', params, answer((req) => service.packs(code(req))));
  router.get('/:code/cqrg-packs/:meetingOn', validate({ params: packParams }), answer((req) => service.pack(code(req), req.params.meetingOn as string)));
  return router;
}

export const packIdParams = z.object({
  id: z
    .string()
    .trim()
    .toUpperCase() // the provider's ODS code as typed (rj2:2026-12-08)
    .regex(new RegExp(`^${ODS_CODE}:\\d{4}-\\d{2}-\\d{2}$`), 'must be a provider and a meeting date, such as RJ2:2026-12-08')
    .openapi({ param: { name: 'id', in: 'path' }, example: 'RJ2:2026-12-08' }),
});

/** /api/cqrg-packs/:id: one pack by its key (`RJ2:2026-12-08`), the link the chair's email gives. */
export function cqrgPacksRouter(service: ChairService): Router {
  const router = guardedRouter('/api/cqrg-packs');
  router.get(
    '/:id',
    validate({ params: packIdParams }),
    answer((req) => {
      const [code, meetingOn] = (req.params.id as string).split(':');
      return service.pack(code, meetingOn);
    }),
  );
  return router;
}

/** /api/cqrg-schedules: every active provider's CQRG Schedule. */
export function cqrgSchedulesRouter(schedules: CqrgSchedules): Router {
  const router = guardedRouter('/api/cqrg-schedules');
  router.get('/', validate({ query: z.object({}).strict() }), answer(() => schedules.list()));
  return router;
}
