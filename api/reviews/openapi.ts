import { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import { errorBody, json } from '../openapi';
import { z } from '../../lib/zod';
import { caseErrors, registerCaseRoutes } from '../kernel/openapi';
import { REVIEW_EVENTS } from './events';
import { assessmentDocumentBody, assessmentParams, calendarQuery, createReviewBody, delegatesBody, engagementReport, engagementReportQuery, listReviewsQuery, referenceParams, reviewDetail, reviewPage, reviewView } from './schemas';

const errors = caseErrors('review');

export function reviewsOpenApi(): OpenAPIRegistry {
  const registry = new OpenAPIRegistry();
  registerCaseRoutes(registry, {
    base: '/api/reviews',
    tag: 'reviews',
    noun: 'review',
    params: referenceParams,
    create: {
      summary: 'Schedule the six-month post-implementation review of a redesigned service and start its workflow',
      body: createReviewBody,
      view: reviewView,
      description: 'The review, with its reference and due date',
    },
    list: { summary: 'Reviews by owner and status, due in a window (due=30d) or overdue, sorted by due date', query: listReviewsQuery, page: reviewPage },
    detail: { summary: 'A review with its live workflow state and timeline', view: reviewDetail },
    events: REVIEW_EVENTS,
  });
  registry.registerPath({
    method: 'put',
    path: '/api/reviews/{reference}/assessments/{assessment}',
    tags: ['reviews'],
    summary: 'The EIA, QIA or engagement log itself: a document already uploaded to the review, held by the assessment (400 naming body.document if it is not one of this review’s)',
    request: { params: assessmentParams, body: { content: { 'application/json': { schema: assessmentDocumentBody } } } },
    responses: { 200: json(reviewDetail, 'The review as it now stands'), 400: errors[400], 404: errors[404], 503: errors[503] },
  });
  registry.registerPath({
    method: 'put',
    path: '/api/reviews/{reference}/delegates',
    tags: ['reviews'],
    summary: 'Give the review to other commissioners besides its owner: they may change it too (administrators)',
    request: { params: referenceParams, body: { content: { 'application/json': { schema: delegatesBody } } } },
    responses: { 200: json(reviewDetail, 'The review as it now stands'), 400: errors[400], 404: errors[404], 503: errors[503] },
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
    path: '/api/reports/engagement',
    tags: ['reports'],
    summary: 'The reviews recorded in a financial year (April to March), or its first half (half=1: the mid-year review), with their "you said, we did" pairs, for the engagement report',
    request: { query: engagementReportQuery },
    responses: {
      200: {
        description: 'The period\'s reviews: JSON, or CSV (Accept: text/csv) with one row per "you said, we did" pair',
        content: { 'application/json': { schema: engagementReport }, 'text/csv': { schema: z.string() } },
      },
      400: errors[400],
      406: json(errorBody, 'Neither JSON nor CSV is acceptable'),
      503: errors[503],
    },
  });
  return registry;
}
