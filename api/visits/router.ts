import type { Request, Router } from 'express';
import type { VisitState } from '../../contracts/visit/definitions';
import { caseRouter } from '../kernel/case-router';
import { actorOf } from '../kernel/request';
import { VISIT_EVENTS } from './events';
import { createVisitBody, listVisitsQuery, referenceParams, type CreateVisitBody, type ListVisitsQuery } from './schemas';
import type { VisitService } from './service';

/** A caller let in only as a panel member lists only the visits whose panel they sit on. */
export function panelMemberOf(req: Request): string | undefined {
  const caller = actorOf(req);
  return caller.role === 'visit_panel' ? caller.id : undefined;
}

/** /api/visits: plan one, list them, one visit, and one POST per event. */
export function visitsRouter(service: VisitService): Router {
  return caseRouter<VisitState, CreateVisitBody>({
    base: '/api/visits',
    service,
    schemas: { create: createVisitBody, list: listVisitsQuery, reference: referenceParams },
    events: VISIT_EVENTS,
    list: (req) => service.list(req.query as unknown as ListVisitsQuery, panelMemberOf(req)),
    get: (req) => service.get(req.params.reference as string),
  });
}
