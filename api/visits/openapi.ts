import { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import { errorBody, json } from '../openapi';
import { z } from '../zod';
import { registerEvents } from '../kernel/events';
import { VISIT_EVENTS } from './events';
import { createVisitBody, listVisitsQuery, referenceParams, visitDetail, visitPage, visitView } from './schemas';

const errors = {
  400: json(errorBody, 'Invalid input: each bad field and why'),
  404: json(errorBody, 'No such visit'),
  409: json(errorBody, "The visit's state refuses this event"),
  503: json(errorBody, 'Temporal or the database is unreachable'),
};

export function visitsOpenApi(): OpenAPIRegistry {
  const registry = new OpenAPIRegistry();
  registry.registerPath({
    method: 'post',
    path: '/api/visits',
    tags: ['visits'],
    summary: 'Plan a provider insight visit (its panel with a lay member and a patient representative) and start its workflow',
    request: {
      headers: z.object({ 'Idempotency-Key': z.string().optional() }),
      body: { content: { 'application/json': { schema: createVisitBody } } },
    },
    responses: { 201: json(visitView, 'The visit, with its reference'), 400: errors[400], 422: json(errorBody, 'Idempotency-Key reused with another request'), 503: errors[503] },
  });
  registry.registerPath({
    method: 'get',
    path: '/api/visits',
    tags: ['visits'],
    summary: 'Visits by status, provider and month (by visit date), or overdue; otherwise sorted by next deadline',
    request: { query: listVisitsQuery },
    responses: { 200: json(visitPage, 'A page of visits'), 400: errors[400], 503: errors[503] },
  });
  registry.registerPath({
    method: 'get',
    path: '/api/visits/{reference}',
    tags: ['visits'],
    summary: 'A visit with its panel, links, live workflow state and timeline',
    request: { params: referenceParams },
    responses: { 200: json(visitDetail, 'The visit'), 400: errors[400], 404: errors[404], 503: errors[503] },
  });
  registerEvents(registry, { base: '/api/visits', tag: 'visits', params: referenceParams, events: VISIT_EVENTS, result: visitDetail, errors });
  return registry;
}
