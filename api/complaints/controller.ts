import type { Request, Response } from 'express';
import type { UpdateDefinition } from '@temporalio/common';
import type { ComplaintState } from '../../workflows/complaint/definitions';
import { badRequest } from '../errors';
import { CreateComplaintBody, ListComplaintsQuery } from './schemas';
import { ComplaintService } from './service';

const IDEMPOTENCY_KEY = /^[A-Za-z0-9._:-]{8,200}$/;

/** The request's Idempotency-Key, if it sent one that is well formed. */
function idempotencyKey(req: Request): string | undefined {
  const key = req.get('Idempotency-Key');
  if (key !== undefined && !IDEMPOTENCY_KEY.test(key)) {
    throw badRequest('header.Idempotency-Key', 'must be 8-200 characters of A-Z a-z 0-9 . _ : -');
  }
  return key;
}

export function complaintController(service: ComplaintService) {
  return {
    async create(req: Request, res: Response) {
      const key = idempotencyKey(req);
      const { replayed, view } = await service.create(req.body as CreateComplaintBody, key);
      if (replayed) res.setHeader('Idempotent-Replayed', 'true');
      res.status(201).location(`/api/complaints/${view.reference}`).json(view);
    },

    async list(req: Request, res: Response) {
      res.json(await service.list(req.query as unknown as ListComplaintsQuery));
    },

    async get(req: Request, res: Response) {
      res.json(await service.get(req.params.reference as string));
    },

    /** One handler per human event, each an Update on the case's workflow. */
    event<I>(update: UpdateDefinition<ComplaintState, [I]>) {
      return async (req: Request, res: Response) => {
        res.json(await service.event(req.params.reference as string, update, req.body as I, idempotencyKey(req)));
      };
    },
  };
}
