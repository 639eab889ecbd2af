import type { Client } from '@temporalio/client';
import type express from 'express';
import type { Models } from '../../models';
import { methodNotAllowed } from '../errors';
import type { ReferenceData } from '../reference-data';
import type { TemporalCalls } from '../temporal';
import { CqrgSchedules } from './cqrg-schedule';
import { ACTION_PLAN_EVENTS } from './events';
import { actionPlansRouter, cqrgPacksRouter, cqrgSchedulesRouter, providersRouter } from './router';
import { ChairService } from './chair';
import { ActionPlanService } from './service';

/** The action plans' routes, mounted in one place (api/app.ts): plans, the chair's provider view, the CQRG Schedules. */
export type ActionPlanServices = ReturnType<typeof actionPlanServices>;

/** The plans, the chair's provider views and the CQRG Schedules: one of each per app. */
export function actionPlanServices(deps: { models: Models; temporal: Client; taskQueue: string; referenceData: ReferenceData; calls: TemporalCalls }) {
  return { service: new ActionPlanService(deps), chair: new ChairService(deps), schedules: new CqrgSchedules(deps) };
}

export function mountActionPlans(app: express.Express, { service, chair, schedules }: ActionPlanServices): void {  app.use('/api/action-plans', methodNotAllowed(actionPlansRouter(service, chair, ACTION_PLAN_EVENTS)));
  app.use('/api/providers', methodNotAllowed(providersRouter(chair, schedules)));
  app.use('/api/cqrg-schedules', methodNotAllowed(cqrgSchedulesRouter(schedules)));
  app.use('/api/cqrg-packs', methodNotAllowed(cqrgPacksRouter(chair)));
}
