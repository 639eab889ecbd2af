import { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import { registerCaseRoutes } from '../kernel/openapi';
import { VISIT_EVENTS } from './events';
import { createVisitBody, listVisitsQuery, referenceParams, visitDetail, visitPage, visitView } from './schemas';

export function visitsOpenApi(): OpenAPIRegistry {
  const registry = new OpenAPIRegistry();
  registerCaseRoutes(registry, {
    base: '/api/visits',
    tag: 'visits',
    noun: 'visit',
    params: referenceParams,
    create: {
      summary: 'Plan a provider insight visit (its panel with a lay member and a patient representative) and start its workflow',
      body: createVisitBody,
      view: visitView,
      description: 'The visit, with its reference',
    },
    list: { summary: 'Visits by status, provider and month (by visit date), or overdue; otherwise sorted by next deadline', query: listVisitsQuery, page: visitPage },
    detail: { summary: 'A visit with its panel, links, live workflow state and timeline', view: visitDetail },
    events: VISIT_EVENTS,
  });
  return registry;
}
