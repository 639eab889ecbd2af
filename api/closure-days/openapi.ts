import { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import { errorBody, json } from '../openapi';
import { closureDayBody, closureDayList, closureDayParams, closureDayView, listClosureDaysQuery } from './schemas';

export function closureDaysOpenApi(): OpenAPIRegistry {
  const registry = new OpenAPIRegistry();
  const invalid = json(errorBody, 'Invalid input: each bad field and why (a weekend or a bank holiday is never a working day already)');
  const unavailable = json(errorBody, 'The database is unreachable');
  registry.registerPath({
    method: 'get',
    path: '/api/closure-days',
    tags: ['closure days'],
    summary: 'Local closure days, by date, optionally from and to a date',
    request: { query: listClosureDaysQuery },
    responses: { 200: json(closureDayList, 'The closure days'), 400: invalid, 503: unavailable },
  });
  registry.registerPath({
    method: 'put',
    path: '/api/closure-days/{date}',
    tags: ['closure days'],
    summary: 'Add a local closure day (or change its reason): deadlines planned from now on skip it',
    request: { params: closureDayParams, body: { content: { 'application/json': { schema: closureDayBody } } } },
    responses: {
      200: json(closureDayView, 'The closure day, its reason changed'),
      201: json(closureDayView, 'The closure day, added'),
      400: invalid,
      503: unavailable,
    },
  });
  registry.registerPath({
    method: 'delete',
    path: '/api/closure-days/{date}',
    tags: ['closure days'],
    summary: 'Remove a local closure day: deadlines planned from now on count it again',
    request: { params: closureDayParams },
    responses: { 204: { description: 'Removed' }, 400: invalid, 404: json(errorBody, 'No closure day on that date'), 503: unavailable },
  });
  return registry;
}
