import type { Request, Response, Router } from 'express';
import type mongoose from 'mongoose';
import type { ZodType } from 'zod';
import { decideAlso } from '../auth/middleware';
import type { Principal } from '../auth/tokens';
import { lineFor } from '../auth/permissions';
import { guardedRouter } from '../auth/routes';
import { HttpError } from '../errors';
import { actorOf } from '../kernel/request';
import { validate } from '../validate';
import { z } from '../../lib/zod';
import type { DocumentService } from './service';

/** A process whose cases keep documents: where its API is, its records, its kinds. */
export interface DocumentProcess {
  caseType: string;
  /** `/api/complaints` */
  base: string;
  /** Its OpenAPI tag. */
  tag: string;
  // Any model: only whether a record exists is asked.
  model: mongoose.Model<any>; // eslint-disable-line @typescript-eslint/no-explicit-any
  referenceParams: ZodType;
  kinds: Record<string, string>;
}

/** Keep the file a request carries with `reference` (the API's route and the pages' upload form alike). */
export function keepDocument(service: DocumentService, process: DocumentProcess, req: Request, reference: string, beforeFile?: (fields: Record<string, string>) => void) {
  return service.upload(req, {
    caseType: process.caseType,
    reference,
    kinds: process.kinds,
    actor: actorOf(req),
    exists: () => caseExists(process, reference),
    beforeFile,
  });
}

/** A 404 unless `reference` is a case of `process`. */
async function caseExists(process: DocumentProcess, reference: string): Promise<void> {
  if (!(await process.model.exists({ _id: reference }))) throw new HttpError(404, 'not_found', `no case ${reference}`);
}

/** POST and GET `<base>/:reference/documents`: keep a document with a case, and list them. */
export function caseDocumentsRouter(service: DocumentService, process: DocumentProcess): Router {
  const router = guardedRouter(process.base);
  const params = validate({ params: process.referenceParams });
  router.post('/:reference/documents', params, async (req, res) => {
    const view = await keepDocument(service, process, req, req.params.reference as string);
    res.status(201).location(view.download).json(view);
  });
  router.get('/:reference/documents', params, async (req, res) => {
    const reference = req.params.reference as string;
    await caseExists(process, reference);
    res.json(await service.list(reference));
  });
  return router;
}

const idParams = z.object({ id: z.string().regex(/^[a-f0-9]{24}$/, 'must be a document id: 24 hexadecimal characters') });

/**
 * One version's bytes, with its type and a Content-Disposition filename: let in by its case's
 * documents line too (a complaint's only to those who may see personal details), on its case's
 * record, so the download is in the audit trail. The API's route and the pages' link alike.
 */
export async function sendDocument(service: DocumentService, processes: DocumentProcess[], id: string, req: Request, res: Response, signedIn?: Principal): Promise<void> {
  const { document, caseType, stream } = await service.open(id);
  const process = processes.find((p) => p.caseType === caseType);
  if (!process) throw new HttpError(404, 'not_found', `no document ${document.id}`);
  await decideAlso(req, res, lineFor('GET', `${process.base}/:reference/documents`), document.reference, signedIn);
  res.attachment(document.filename);
  // The type judged from the bytes when it was kept, not the one its name suggests.
  res.setHeader('Content-Type', document.contentType);
  res.setHeader('Content-Length', String(document.size));
  res.setHeader('Digest', `sha-256=${Buffer.from(document.sha256, 'hex').toString('base64')}`);
  if (req.method === 'HEAD') {
    res.end();
    return;
  }
  stream()
    .on('error', (err) => res.destroy(err))
    .pipe(res);
}

/** GET /api/documents/:id: see sendDocument. */
export function documentDownloadRouter(service: DocumentService, processes: DocumentProcess[]): Router {
  const router = guardedRouter('/api/documents');
  router.get('/:id', validate({ params: idParams }), (req, res) => sendDocument(service, processes, req.params.id as string, req, res));
  return router;
}
