import { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import { errorBody, json } from '../openapi';
import { z } from '../../lib/zod';
import { CSV_COLUMNS } from './csv';
import { complaintsReportQuery, complaintsReportView } from './schemas';

export function reportsOpenApi(): OpenAPIRegistry {
  const registry = new OpenAPIRegistry();
  registry.registerPath({
    method: 'get',
    path: '/api/reports/complaints',
    tags: ['reports'],
    summary: 'The annual complaints report (reg 18) for a financial year, 1 April to 31 March: JSON, or CSV with Accept: text/csv',
    request: { query: complaintsReportQuery },
    responses: {
      200: {
        description: 'The report',
        content: {
          'application/json': { schema: complaintsReportView },
          'text/csv': { schema: z.string().openapi({ description: `One table, columns ${CSV_COLUMNS.join(', ')}: a row per figure, a row per closure with its lessons` }) },
        },
      },
      400: json(errorBody, 'Invalid input: each bad field and why'),
      406: json(errorBody, 'Neither JSON nor CSV is acceptable to the client'),
      503: json(errorBody, 'The database is unreachable'),
    },
  });
  return registry;
}
