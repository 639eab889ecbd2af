import { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import type { ZodType } from 'zod';
import { errorBody, json } from '../openapi';
import { z } from '../../lib/zod';
import { SERVED_TYPES } from './upload';

const uploadedBy = z.object({ id: z.string(), name: z.string(), role: z.string() });
const documentVersion = z
  .object({
    id: z.string().openapi({ description: 'This version’s id: GET /api/documents/{id}' }),
    documentId: z.string().openapi({ description: 'The document’s: every version of it shares it' }),
    version: z.number().int(),
    reference: z.string(),
    kind: z.string(),
    note: z.string().nullable(),
    filename: z.string(),
    contentType: z.string().openapi({ description: 'Judged from the bytes when it was kept' }),
    size: z.number().int(),
    sha256: z.string(),
    uploadedBy,
    uploadedAt: z.string(),
    download: z.string(),
  })
  .openapi('Document');
const documentList = z.object({ reference: z.string(), documents: z.array(documentVersion.extend({ versions: z.array(documentVersion) })) }).openapi('Documents');

const upload = (kinds: Record<string, string>) =>
  z.object({
    file: z.string().openapi({ type: 'string', format: 'binary', description: 'PDF, DOCX, XLSX, ODT, JPEG, PNG, plain text, EML or MSG; 25 MB at most' }),
    kind: z.enum(Object.keys(kinds) as [string, ...string[]]),
    note: z.string().max(1000).optional(),
    replaces: z.string().optional().openapi({ description: 'An earlier version’s id: this upload is the next version of that document' }),
  });

/** The documents routes of each process whose cases keep documents, and the download. */
export function documentsOpenApi(processes: { base: string; tag: string; referenceParams: ZodType; kinds: Record<string, string> }[]): OpenAPIRegistry {
  const registry = new OpenAPIRegistry();
  for (const p of processes) {
    registry.registerPath({
      method: 'post',
      path: `${p.base}/{reference}/documents`,
      tags: [p.tag],
      summary: 'Keep a document with the case (multipart, streamed); a replacement is a new version of the same document',
      request: { params: p.referenceParams as never, body: { content: { 'multipart/form-data': { schema: upload(p.kinds) } } } },
      responses: {
        201: json(documentVersion, 'The document as kept'),
        400: json(errorBody, 'No file, an empty one, a bad name, kind or note'),
        404: json(errorBody, 'No such case'),
        413: json(errorBody, 'Larger than the limit'),
        415: json(errorBody, 'A type not kept (judged by the bytes), or not multipart'),
        503: json(errorBody, 'The database is unreachable'),
      },
    });
    registry.registerPath({
      method: 'get',
      path: `${p.base}/{reference}/documents`,
      tags: [p.tag],
      summary: 'The case’s documents, each with its versions, newest first',
      request: { params: p.referenceParams as never },
      responses: { 200: json(documentList, 'The documents'), 400: json(errorBody, 'Invalid reference'), 503: json(errorBody, 'The database is unreachable') },
    });
  }
  registry.registerPath({
    method: 'get',
    path: '/api/documents/{id}',
    tags: ['documents'],
    summary: 'One version’s bytes, with its type and filename (Content-Disposition); the download is audited',
    request: { params: z.object({ id: z.string().openapi({ param: { name: 'id', in: 'path' }, example: '6750a1b2c3d4e5f6a7b8c9d0' }) }) },
    responses: {
      200: {
        description: 'The bytes, served as the type their content was judged to be when uploaded',
        content: Object.fromEntries(SERVED_TYPES.map((type) => [type.split(';')[0], { schema: z.string().openapi({ type: 'string', format: 'binary' }) }])),
      },
      400: json(errorBody, 'Not a document id'),
      404: json(errorBody, 'No such document (or one whose case the caller may not see)'),
      503: json(errorBody, 'The database is unreachable'),
    },
  });
  return registry;
}
