import type { Request, Response } from 'express';
import type { ComplaintState } from '../../contracts/complaint/definitions';
import type { CaseEvent } from '../kernel/events';
import { actorOf, idempotencyKey, seesPersonalDetails } from '../kernel/request';
import type { CodingBody } from './coding';
import { ComplaintDashboardQuery, CreateComplaintBody, ListComplaintsQuery } from './schemas';
import { ComplaintService } from './service';

export function complaintController(service: ComplaintService) {
  return {
    async create(req: Request, res: Response) {
      const { replayed, view } = await service.create(req.body as CreateComplaintBody, actorOf(req), idempotencyKey(req));
      if (replayed) res.setHeader('Idempotent-Replayed', 'true');
      res.status(201).location(`/api/complaints/${view.reference}`).json(view);
    },

    async list(req: Request, res: Response) {
      res.json(await service.list(req.query as unknown as ListComplaintsQuery));
    },

    async dashboard(req: Request, res: Response) {
      res.json(await service.dashboard(req.query as ComplaintDashboardQuery));
    },

    async get(req: Request, res: Response) {
      res.json(await service.get(req.params.reference as string, seesPersonalDetails(req)));
    },

    async linkRelated(req: Request, res: Response) {
      res.json(await service.linkRelated(req.params.reference as string, (req.body as { reference: string }).reference));
    },

    async coding(req: Request, res: Response) {
      res.json(await service.setCoding(req.params.reference as string, req.body as CodingBody));
    },

    /** One handler per human event, each an Update on the case's workflow. */
    event(event: CaseEvent<ComplaintState>) {
      return async (req: Request, res: Response) => {
        res.json(await service.event(event, req.params.reference as string, req));
      };
    },
  };
}
