import type { Request, Response } from 'express';
import type { OpenAPIRegistry as Registry } from '@asteasolutions/zod-to-openapi';
import { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import { guardedRouter } from '../auth/routes';
import { HttpError } from '../errors';
import { errorBody, json } from '../openapi';
import { validate } from '../validate';
import { isoDate, nullableDate, odsCode, z } from '../../lib/zod';
import { PACK_CSV_COLUMNS, packCsv, packPdf } from './files';
import type { PackService } from './service';

export const packParams = z.object({ code: odsCode.openapi({ param: { name: 'code', in: 'path' } }) });
export const packQuery = z.object({ meeting: isoDate.openapi({ description: 'The meeting the pack is for (YYYY-MM-DD)', example: '2026-12-08' }) }).strict();
export const PDF = 'application/pdf';

/** The pack's figures as JSON: counts only (no complainant, no patient); every table is also in the CSV. */
const packView = z.object({ providerCode: z.string(), meetingOn: isoDate, lastMeetingOn: nullableDate }).passthrough().openapi('CqrgPackFigures');

export type PackFormat = 'application/json' | 'text/csv' | typeof PDF;

/** Sends the pack in the format asked for: the API's route and the page's downloads both answer through this. */
export async function sendPack(service: PackService, res: Response, code: string, meetingOn: string, format: PackFormat, providerName?: () => Promise<string | null>) {
  const pack = await service.build(code, meetingOn);
  if (format === 'application/json') return void res.json(pack);
  const name = `cqrg-pack-${code}-${meetingOn}`;
  if (format === 'text/csv') return void res.type('text/csv; charset=utf-8').attachment(`${name}.csv`).send(packCsv(pack));
  res.type(PDF).attachment(`${name}.pdf`).send(await packPdf(pack, providerName ? await providerName() : null));
}

/** /api/providers/:code/pack?meeting=YYYY-MM-DD: JSON, CSV (Accept: text/csv) or PDF (Accept: application/pdf). */
export function packRouter(service: PackService, providerName: (code: string) => Promise<string | null>) {
  const router = guardedRouter('/api/providers');
  router.get('/:code/pack', validate({ params: packParams, query: packQuery }), async (req: Request, res: Response) => {
    const format = req.accepts(['application/json', 'text/csv', PDF]);
    if (!format) throw new HttpError(406, 'not_acceptable', `the pack is available as application/json, text/csv or ${PDF}`);
    res.vary('Accept');
    const code = String(req.params.code);
    await sendPack(service, res, code, (req.query as unknown as z.infer<typeof packQuery>).meeting, format as PackFormat, () => providerName(code));
  });
  return router;
}

export function packOpenApi(): Registry {
  const registry = new OpenAPIRegistry();
  registry.registerPath({
    method: 'get',
    path: '/api/providers/{code}/pack',
    tags: ['CQRG'],
    summary: 'The CQRG pack for a provider and meeting, from every process: JSON, CSV with Accept: text/csv, or PDF with Accept: application/pdf',
    request: { params: packParams, query: packQuery },
    responses: {
      200: {
        description: 'The pack',
        content: {
          'application/json': { schema: packView },
          'text/csv': { schema: z.string().openapi({ description: `Every table of the pack, a row per cell: ${PACK_CSV_COLUMNS.join(', ')}` }) },
          [PDF]: { schema: z.string().openapi({ format: 'binary', description: 'The pack for the meeting papers, charts and tables' }) },
        },
      },
      400: json(errorBody, 'Invalid input: each bad field and why'),
      404: json(errorBody, 'No such provider'),
      406: json(errorBody, 'Neither JSON, CSV nor PDF is acceptable to the client'),
      503: json(errorBody, 'The database is unreachable'),
    },
  });
  return registry;
}
