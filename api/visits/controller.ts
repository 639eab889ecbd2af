import type { Request, Response } from 'express';
import type { VisitState } from '../../contracts/visit/definitions';
import type { CaseEvent } from '../kernel/events';
import { actorOf, idempotencyKey } from '../kernel/request';
import { CreateVisitBody, ListVisitsQuery } from './schemas';
import { VisitService } from './service';

/** A caller let in only as a panel member lists only the visits whose panel they sit on. */
export function panelMemberOf(req: Request): string | undefined {
  const caller = actorOf(req);
  return caller.role === 'visit_panel' ? caller.id : undefined;
}

export function visitController(service: VisitService) {
  return {
    async create(req: Request, res: Response) {
      const { replayed, view } = await service.create(req.body as CreateVisitBody, actorOf(req), idempotencyKey(req));
      if (replayed) res.setHeader('Idempotent-Replayed', 'true');
      res.status(201).location(`/api/visits/${view.reference}`).json(view);
    },

    async list(req: Request, res: Response) {
      res.json(await service.list(req.query as unknown as ListVisitsQuery, panelMemberOf(req)));
    },

    async get(req: Request, res: Response) {
      res.json(await service.get(req.params.reference as string));
    },

    /** One handler per human event, each an Update on the visit's workflow. */
    event(event: CaseEvent<VisitState>) {
      return async (req: Request, res: Response) => {
        res.json(await service.event(event, req.params.reference as string, req));
      };
    },
  };
}
