import { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import { errorBody, json } from '../openapi';
import { z } from '../../lib/zod';
import { XLSX } from './controller';
import { CSV_COLUMNS } from './csv';
import { KO41A_CSV_COLUMNS } from './ko41a-files';
import { complaintsReportQuery, complaintsReportView, ko41aQuery, ko41aView } from './schemas';

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
  registry.registerPath({
    method: 'get',
    path: '/api/reports/ko41a',
    tags: ['reports'],
    summary: 'The annual KO41a return (NHS England written complaints) for a financial year: JSON, CSV with Accept: text/csv, or a workbook laid out by the form’s sections with Accept: ' + XLSX,
    request: { query: ko41aQuery },
    responses: {
      200: {
        description: 'The return',
        content: {
          'application/json': { schema: ko41aView },
          'text/csv': { schema: z.string().openapi({ description: `One table, columns ${KO41A_CSV_COLUMNS.join(', ')}: a row per figure, in the form's order` }) },
          [XLSX]: { schema: z.string().openapi({ format: 'binary', description: 'Sheets: KO41a (the form by section), Outcomes by subject, Checks' }) },
        },
      },
      400: json(errorBody, 'Invalid input: each bad field and why'),
      406: json(errorBody, 'Neither JSON, CSV nor xlsx is acceptable to the client'),
      503: json(errorBody, 'The database is unreachable'),
    },
  });
  return registry;
}
