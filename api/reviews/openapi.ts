import { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import { errorBody, json } from '../openapi';
import { z } from '../zod';
import { registerEvents } from '../kernel/events';
import { REVIEW_EVENTS } from './events';
import { calendarQuery, createReviewBody, engagementReport, engagementReportQuery, listReviewsQuery, referenceParams, reviewDetail, reviewPage, reviewView } from './schemas';

const errors = {
  400: json(errorBody, 'Invalid input: each bad field and why'),
  404: json(errorBody, 'No such review'),
  409: json(errorBody, "The review's state refuses this event"),
  503: json(errorBody, 'Temporal or the database is unreachable'),
};

export function reviewsOpenApi(): OpenAPIRegistry {
  const registry = new OpenAPIRegistry();
  registry.registerPath({
    method: 'post',
    path: '/api/reviews',
    tags: ['reviews'],
    summary: 'Schedule the six-month post-implementation review of a redesigned service and start its workflow',
    request: {
      headers: z.object({ 'Idempotency-Key': z.string().optional() }),
      body: { content: { 'application/json': { schema: createReviewBody } } },
    },
    responses: { 201: json(reviewView, 'The review, with its reference and due date'), 400: errors[400], 422: json(errorBody, 'Idempotency-Key reused with another request'), 503: errors[503] },
  });
  registry.registerPath({
    method: 'get',
    path: '/api/reviews',
    tags: ['reviews'],
    summary: 'Reviews by owner and status, due in a window (due=30d) or overdue, sorted by due date',
    request: { query: listReviewsQuery },
    responses: { 200: json(reviewPage, 'A page of reviews'), 400: errors[400], 503: errors[503] },
  });
  registry.registerPath({
    method: 'get',
    path: '/api/reviews/calendar.ics',
    tags: ['reviews'],
    summary: "An owner's open reviews as an iCalendar feed: one all-day event on each due date",
    request: { query: calendarQuery },
    responses: { 200: { description: 'The feed', content: { 'text/calendar': { schema: z.string() } } }, 400: errors[400], 503: errors[503] },
  });
  registry.registerPath({
    method: 'get',
    path: '/api/reviews/{reference}',
    tags: ['reviews'],
    summary: 'A review with its live workflow state and timeline',
    request: { params: referenceParams },
    responses: { 200: json(reviewDetail, 'The review'), 400: errors[400], 404: errors[404], 503: errors[503] },
  });
  registerEvents(registry, { base: '/api/reviews', tag: 'reviews', params: referenceParams, events: REVIEW_EVENTS, result: reviewDetail, errors });
  registry.registerPath({
    method: 'get',
    path: '/api/reports/engagement',
    tags: ['reports'],
    summary: 'The reviews recorded in a year with their "you said, we did" pairs, for the annual engagement report',
    request: { query: engagementReportQuery },
    responses: {
      200: {
        description: 'The year\'s reviews: JSON, or CSV (Accept: text/csv) with one row per "you said, we did" pair',
        content: { 'application/json': { schema: engagementReport }, 'text/csv': { schema: z.string() } },
      },
      400: errors[400],
      406: json(errorBody, 'Neither JSON nor CSV is acceptable'),
      503: errors[503],
    },
  });
  return registry;
}
