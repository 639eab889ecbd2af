import { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import { errorBody, json } from '../openapi';
import { reconciliationList, reconciliationStarted, retentionReport, runReconciliationBody, runRetentionBody } from './schemas';

export function adminOpenApi(): OpenAPIRegistry {
  const registry = new OpenAPIRegistry();
  registry.registerPath({
    method: 'get',
    path: '/api/admin/reconciliation',
    tags: ['admin'],
    summary: "The reconciler's recent runs, and the latest with its findings",
    responses: { 200: json(reconciliationList, 'Recent runs, newest first'), 503: json(errorBody, 'The database is unreachable') },
  });
  registry.registerPath({
    method: 'post',
    path: '/api/admin/reconciliation',
    tags: ['admin'],
    summary: "Compare every record of a process (complaints by default, or reviews) with its workflow now; repair what is safe, report the rest",
    request: { body: { content: { 'application/json': { schema: runReconciliationBody } } } },
    responses: {
      202: json(reconciliationStarted, 'Started (or already running); its report appears under GET'),
      400: json(errorBody, 'Invalid input'),
      503: json(errorBody, 'Temporal is unreachable'),
    },
  });
  registry.registerPath({
    method: 'post',
    path: '/api/admin/retention',
    tags: ['admin'],
    summary: 'The retention run: remove the documents of cases past their retention period after closure (complaints: 10 years, RETENTION_COMPLAINT_YEARS; visits, reviews and action plans by RETENTION_VISIT_YEARS, RETENTION_REVIEW_YEARS, RETENTION_ACTION_PLAN_YEARS, kept while unset), and GridFS files and chunks no document names that are over an hour old; a dry run (the default) lists them',
    request: { body: { content: { 'application/json': { schema: runRetentionBody } } } },
    responses: {
      200: json(retentionReport, 'What went (or, in a dry run, would go)'),
      400: json(errorBody, 'Invalid input'),
      503: json(errorBody, 'The database is unreachable'),
    },
  });
  return registry;
}
