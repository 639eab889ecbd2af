import { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import { errorBody, json } from '../openapi';
import { importRunList, importRunView, listImportsQuery, runIdParams, startImportBody } from './schemas';

export function importsOpenApi(): OpenAPIRegistry {
  const registry = new OpenAPIRegistry();
  const tags = ['imports'];
  registry.registerPath({
    method: 'get',
    path: '/api/imports/template',
    tags,
    summary: "The import's template: a workbook with a README sheet and a sheet per process (docs/import.md)",
    responses: { 200: { description: 'The workbook', content: { 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': { schema: { type: 'string', format: 'binary' } } } } },
  });
  registry.registerPath({
    method: 'post',
    path: '/api/imports',
    tags,
    summary: 'Import a file (or check it: a dry run) in the background; the run survives the API process stopping (another takes it over)',
    request: { body: { content: { 'multipart/form-data': { schema: startImportBody } } } },
    responses: {
      202: json(importRunView, 'Begun: its record is at Location'),
      400: json(errorBody, 'No file, an empty one, a bad name, a file that is not .xlsx or .csv, or a bad mode'),
      413: json(errorBody, 'Larger than 25 MB'),
      415: json(errorBody, 'Not multipart, or a file neither a workbook nor text'),
    },
  });
  registry.registerPath({
    method: 'get',
    path: '/api/imports',
    tags,
    summary: 'Recent runs (from the API and `npm run import`), newest first, without their rows',
    request: { query: listImportsQuery },
    responses: { 200: json(importRunList, 'The runs'), 400: json(errorBody, 'Invalid input') },
  });
  registry.registerPath({
    method: 'get',
    path: '/api/imports/{id}',
    tags,
    summary: 'One run: its progress, then its report (every row and what became of it)',
    request: { params: runIdParams },
    responses: { 200: json(importRunView, 'The run'), 400: json(errorBody, 'Not a run id'), 404: json(errorBody, 'No such run') },
  });
  registry.registerPath({
    method: 'get',
    path: '/api/imports/{id}/report.csv',
    tags,
    summary: "A run's report as CSV: a line per row, or per problem of a refused row",
    request: { params: runIdParams },
    responses: { 200: { description: 'The report', content: { 'text/csv': { schema: { type: 'string' } } } }, 400: json(errorBody, 'Not a run id'), 404: json(errorBody, 'No such run') },
  });
  return registry;
}
