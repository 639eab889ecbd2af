import type { Request, Response } from 'express';
import type { Assessment, ReviewState } from '../../contracts/review/definitions';
import { ownerOpenRange } from '../../records/review/lists';
import type { CaseEvent } from '../kernel/events';
import { actorOf, idempotencyKey } from '../kernel/request';
import { reviewCalendar } from './calendar';
import { AssessmentDocumentBody, CalendarQuery, CreateReviewBody, DelegatesBody, ListReviewsQuery } from './schemas';
import { ReviewService } from './service';

export function reviewController(service: ReviewService) {
  return {
    async create(req: Request, res: Response) {
      const { replayed, view } = await service.create(req.body as CreateReviewBody, actorOf(req), idempotencyKey(req));
      if (replayed) res.setHeader('Idempotent-Replayed', 'true');
      res.status(201).location(`/api/reviews/${view.reference}`).json(view);
    },

    async list(req: Request, res: Response) {
      res.json(await service.list(req.query as unknown as ListReviewsQuery));
    },

    /** The owner's open reviews as an iCalendar feed a calendar client subscribes to. */
    async calendar(req: Request, res: Response) {
      const { owner } = req.query as CalendarQuery;
      const ics = reviewCalendar(owner, await service.recordsIn(ownerOpenRange(owner)));
      res.type('text/calendar; charset=utf-8').setHeader('Content-Disposition', `inline; filename="reviews-${owner}.ics"`);
      res.send(ics);
    },

    async get(req: Request, res: Response) {
      res.json(await service.get(req.params.reference as string));
    },

    async delegates(req: Request, res: Response) {
      res.json(await service.setDelegates(req.params.reference as string, (req.body as DelegatesBody).delegates));
    },

    async assessment(req: Request, res: Response) {
      const { reference, assessment } = req.params as { reference: string; assessment: Assessment };
      res.json(await service.attachAssessment(reference, assessment, (req.body as AssessmentDocumentBody).document));
    },

    /** One handler per human event, each an Update on the review's workflow. */
    event(event: CaseEvent<ReviewState>) {
      return async (req: Request, res: Response) => {
        res.json(await service.event(event, req.params.reference as string, req));
      };
    },
  };
}
