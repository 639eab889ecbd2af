import type { Request, Response, Router } from 'express';
import type { Assessment, ReviewState } from '../../contracts/review/definitions';
import { ownerOpenRange } from '../../records/review/lists';
import { answer, caseRouter } from '../kernel/case-router';
import { validate } from '../validate';
import { reviewCalendar } from './calendar';
import { REVIEW_EVENTS } from './events';
import {
  assessmentDocumentBody,
  assessmentParams,
  calendarQuery,
  createReviewBody,
  delegatesBody,
  listReviewsQuery,
  referenceParams,
  type AssessmentDocumentBody,
  type CalendarQuery,
  type CreateReviewBody,
  type DelegatesBody,
  type ListReviewsQuery,
} from './schemas';
import type { ReviewService } from './service';

/** /api/reviews: schedule one, list them, an owner's calendar feed, one review, its delegates and assessments, and one POST per event. */
export function reviewsRouter(service: ReviewService): Router {
  const reference = (req: Request) => req.params.reference as string;
  return caseRouter<ReviewState, CreateReviewBody>({
    base: '/api/reviews',
    service,
    schemas: { create: createReviewBody, list: listReviewsQuery, reference: referenceParams },
    events: REVIEW_EVENTS,
    list: (req) => service.list(req.query as unknown as ListReviewsQuery),
    get: (req) => service.get(reference(req)),
    collection(router) {
      // The owner's open reviews as an iCalendar feed a calendar client subscribes to.
      router.get('/calendar.ics', validate({ query: calendarQuery }), async (req: Request, res: Response) => {
        const { owner } = req.query as CalendarQuery;
        const ics = reviewCalendar(owner, await service.recordsIn(ownerOpenRange(owner)));
        // The file's name from the owner's id as far as a header carries it: a staff id may hold
        // quotes, semicolons (another parameter) or characters outside Latin-1 (which Node refuses
        // in a header: a 500); each is an underscore in the name.
        res.type('text/calendar; charset=utf-8').setHeader('Content-Disposition', `inline; filename="reviews-${owner.replace(/[^A-Za-z0-9._@-]/g, '_')}.ics"`);
        res.send(ics);
      });
    },
    item(router) {
      router.put(
        '/:reference/assessments/:assessment',
        validate({ params: assessmentParams, body: assessmentDocumentBody }),
        answer((req) => service.attachAssessment(reference(req), req.params.assessment as Assessment, (req.body as AssessmentDocumentBody).document)),
      );
      router.put('/:reference/delegates', validate({ params: referenceParams, body: delegatesBody }), answer((req) => service.setDelegates(reference(req), (req.body as DelegatesBody).delegates)));
    },
  });
}
