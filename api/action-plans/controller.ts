import type { Request, Response } from 'express';
import type { ActionPlanState } from '../../contracts/action-plan/definitions';
import type { CaseEvent } from '../kernel/events';
import { actorOf, idempotencyKey } from '../kernel/request';
import type { CqrgSchedules } from './cqrg-schedule';
import type { CreateActionPlanBody, CqrgScheduleBody, ListActionPlansQuery, ListActionsQuery } from './schemas';
import type { ChairService } from './chair';
import type { ActionPlanService } from './service';

export function actionPlanController(service: ActionPlanService, chair: ChairService) {
  return {
    async create(req: Request, res: Response) {
      const { replayed, view } = await service.create(req.body as CreateActionPlanBody, actorOf(req), idempotencyKey(req));
      if (replayed) res.setHeader('Idempotent-Replayed', 'true');
      res.status(201).location(`/api/action-plans/${view.reference}`).json(view);
    },
    async list(req: Request, res: Response) {
      res.json(await service.list(req.query as unknown as ListActionPlansQuery));
    },
    async dashboard(req: Request, res: Response) {
      res.json(await chair.dashboard((req.query as { provider?: string }).provider));
    },
    async get(req: Request, res: Response) {
      res.json(await service.get(req.params.reference as string));
    },
    /** Visits whose final reports asked for a plan not yet opened. */
    async requests(_req: Request, res: Response) {
      res.json({ items: await service.awaitingPlans() });
    },
    /** One handler per human event, each an Update on the plan's workflow. */
    event(event: CaseEvent<ActionPlanState>) {
      return async (req: Request, res: Response) => {
        res.json(await service.event(event, req.params.reference as string, req));
      };
    },
  };
}

/** The chair's view of a provider, its CQRG Schedule and its packs. */
export function providerController(service: ChairService, schedules: CqrgSchedules) {
  const code = (req: Request) => req.params.code as string;
  return {
    async actions(req: Request, res: Response) {
      res.json(await service.actions(code(req), req.query as unknown as ListActionsQuery));
    },
    async dashboard(req: Request, res: Response) {
      const [, dashboard] = await Promise.all([service.provider(code(req)), service.providerDashboard(code(req))]);
      res.json(dashboard);
    },
    async getSchedule(req: Request, res: Response) {
      res.json(await schedules.get(code(req)));
    },
    async putSchedule(req: Request, res: Response) {
      const { created, view } = await schedules.put(code(req), req.body as CqrgScheduleBody);
      res.status(created ? 201 : 200).json(view);
    },
    pause(paused: boolean) {
      return async (req: Request, res: Response) => {
        res.json(await schedules.pause(code(req), paused, (req.body as { note?: string } | undefined)?.note));
      };
    },
    async listSchedules(_req: Request, res: Response) {
      res.json(await schedules.list());
    },
    async packs(req: Request, res: Response) {
      res.json(await service.packs(code(req)));
    },
    async pack(req: Request, res: Response) {
      res.json(await service.pack(code(req), req.params.meetingOn as string));
    },
  };
}
