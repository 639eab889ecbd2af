import { guardedRouter } from '../auth/routes';
import { Router } from 'express';
import { validate } from '../validate';
import { reviewController } from './controller';
import { REVIEW_EVENTS } from './events';
import { assessmentDocumentBody, assessmentParams, calendarQuery, createReviewBody, delegatesBody, listReviewsQuery, referenceParams } from './schemas';
import { ReviewService } from './service';

export function reviewsRouter(service: ReviewService): Router {
  const c = reviewController(service);
  const router = guardedRouter('/api/reviews');
  router.post('/', validate({ body: createReviewBody }), c.create);
  router.get('/', validate({ query: listReviewsQuery }), c.list);
  // Before /:reference, which it would otherwise be taken for.
  router.get('/calendar.ics', validate({ query: calendarQuery }), c.calendar);
  router.get('/:reference', validate({ params: referenceParams }), c.get);
  router.put('/:reference/assessments/:assessment', validate({ params: assessmentParams, body: assessmentDocumentBody }), c.assessment);
  router.put('/:reference/delegates', validate({ params: referenceParams, body: delegatesBody }), c.delegates);
  for (const event of REVIEW_EVENTS) {
    router.post(`/:reference/${event.path}`, validate({ params: referenceParams }), c.event(event));
  }
  return router;
}
