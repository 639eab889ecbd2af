import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Request } from 'express';
import { ObjectId, type GridFSBucket } from 'mongodb';
import type { Models } from '../../models';
import { prefixRange } from '../../models/case-index';
import { documentBucket } from '../../models/document';
import type { Actor } from '../../contracts/kernel/case';
import { badRequest, HttpError } from '../errors';
import { DOCUMENT_ID, freeText } from '../../lib/zod';
import { receiveFile } from './upload';

/** What a case's documents are by default at most: 25 MB (config DOCUMENT_MAX_BYTES). */
export const DEFAULT_DOCUMENT_MAX_BYTES = 25_000_000;

export interface DocumentView {
  id: string;
  documentId: string;
  version: number;
  reference: string;
  kind: string;
  note: string | null;
  filename: string;
  contentType: string;
  size: number;
  sha256: string;
  uploadedBy: { id: string; name: string; role: string };
  uploadedAt: string;
  download: string;
  /** A letter generated from the case: which, in which format, from which template and its version. */
  letter?: LetterMark;
}

export interface LetterMark {
  kind: string;
  format: string;
  template: string;
  version: string;
}

type Row = Omit<DocumentView, 'id' | 'uploadedAt' | 'download' | 'note'> & { _id: string; fileId: string; caseType: string; note?: string | null; uploadedAt: Date };

/** A file the API made itself (a letter), to keep with a case. */
export interface MadeFile {
  caseType: string;
  reference: string;
  kind: string;
  filename: string;
  contentType: string;
  bytes: Buffer;
  actor: Actor;
  note?: string;
  letter?: LetterMark;
}

const note = freeText(1000);

function toView(row: Row): DocumentView {
  return {
    id: row.fileId,
    documentId: row.documentId,
    version: row.version,
    reference: row.reference,
    kind: row.kind,
    note: row.note ?? null,
    filename: row.filename,
    contentType: row.contentType,
    size: row.size,
    sha256: row.sha256,
    uploadedBy: row.uploadedBy,
    uploadedAt: row.uploadedAt.toISOString(),
    download: `/api/documents/${row.fileId}`,
    ...(row.letter && { letter: row.letter }),
  };
}

/**
 * Documents kept with a case (models/document.ts): uploaded streamed into GridFS, listed by case,
 * downloaded by id. None is ever deleted by a route: a replacement is a new version of the same
 * document. Only ids could ever reach a workflow; none does.
 */
export class DocumentService {
  private opened?: GridFSBucket;

  constructor(private readonly deps: { models: Models; maxBytes?: number }) {}

  /** The bucket, once the database is connected (an app may be built before it is). */
  private get bucket(): GridFSBucket {
    return (this.opened ??= documentBucket(this.deps.models.connection));
  }

  /**
   * Keep the file a request carries as a document of `reference`, of one of `kinds` (the process's
   * vocabulary); `replaces` (a form field) names an earlier version of the same document.
   */
  async upload(
    req: Request,
    opts: { caseType: string; reference: string; kinds: Record<string, string>; actor: Actor; exists: () => Promise<unknown>; beforeFile?: (fields: Record<string, string>) => void },
  ): Promise<DocumentView> {
    await opts.exists(); // 404 before a byte is stored
    const fileId = new ObjectId();
    const uploadedAt = new Date();
    const by = { id: opts.actor.id, name: opts.actor.name, role: opts.actor.role };
    try {
      const file = await receiveFile(req, this.bucket, fileId, this.deps.maxBytes ?? DEFAULT_DOCUMENT_MAX_BYTES, () => ({ caseType: opts.caseType, reference: opts.reference, uploadedBy: by }), opts.beforeFile);
      const { kind, replaces } = file.fields;
      if (!kind || !Object.hasOwn(opts.kinds, kind)) throw badRequest('body.kind', `must be one of ${Object.keys(opts.kinds).join(', ')}`);
      const parsedNote = note.safeParse(file.fields.note ?? '');
      if (!parsedNote.success) throw badRequest('body.note', parsedNote.error.issues[0].message);
      const earlier = replaces ? await this.previous(opts.reference, replaces) : undefined;
      const row: Row = {
        _id: `${opts.reference}|${uploadedAt.toISOString()}|${fileId.toHexString()}`,
        fileId: fileId.toHexString(),
        documentId: earlier?.documentId ?? fileId.toHexString(),
        version: (earlier?.version ?? 0) + 1,
        caseType: opts.caseType,
        reference: opts.reference,
        kind,
        ...(parsedNote.data && { note: parsedNote.data }),
        filename: file.filename,
        contentType: file.contentType,
        size: file.size,
        sha256: file.sha256,
        uploadedBy: by,
        uploadedAt,
      };
      // Listed only now that it is whole.
      await this.deps.models.CaseDocument.collection.insertOne(row as never);
      return toView(row);
    } catch (err) {
      await this.bucket.delete(fileId).catch(() => undefined);
      throw err;
    }
  }

  /**
   * Keep a file the API made (a letter) with its case: a letter made again in the same format and
   * type is the next version of the one made before. Stored whole, then listed, as an upload is.
   */
  async keep(file: MadeFile): Promise<DocumentView> {
    const fileId = new ObjectId();
    const uploadedAt = new Date();
    const by = { id: file.actor.id, name: file.actor.name, role: file.actor.role };
    try {
      const upload = this.bucket.openUploadStreamWithId(fileId, file.filename, { metadata: { caseType: file.caseType, reference: file.reference, uploadedBy: by } });
      await pipeline(Readable.from([file.bytes]), upload);
      const mark = file.letter;
      const earlier = mark
        ? (await this.rows(file.reference)).filter((r) => r.letter?.kind === mark.kind && r.letter.format === mark.format && r.contentType === file.contentType).sort((a, b) => b.version - a.version)[0]
        : undefined;
      const row: Row = {
        _id: `${file.reference}|${uploadedAt.toISOString()}|${fileId.toHexString()}`,
        fileId: fileId.toHexString(),
        documentId: earlier?.documentId ?? fileId.toHexString(),
        version: (earlier?.version ?? 0) + 1,
        caseType: file.caseType,
        reference: file.reference,
        kind: file.kind,
        ...(file.note && { note: file.note }),
        filename: file.filename,
        contentType: file.contentType,
        size: file.bytes.length,
        sha256: createHash('sha256').update(file.bytes).digest('hex'),
        uploadedBy: by,
        uploadedAt,
        ...(mark && { letter: mark }),
      };
      await this.deps.models.CaseDocument.collection.insertOne(row as never);
      return toView(row);
    } catch (err) {
      await this.bucket.delete(fileId).catch(() => undefined);
      throw err;
    }
  }

  /** The latest version of `replaces`'s document (a version of this case's), for the next version. */
  private async previous(reference: string, replaces: string): Promise<{ documentId: string; version: number }> {
    const versions = (await this.rows(reference)).filter((r) => r.fileId === replaces || r.documentId === replaces);
    const of = versions.find((r) => r.fileId === replaces)?.documentId ?? replaces;
    const latest = versions.filter((r) => r.documentId === of).sort((a, b) => b.version - a.version)[0];
    if (!latest) throw badRequest('body.replaces', `no document ${replaces} on ${reference}`);
    return latest;
  }

  private async rows(reference: string): Promise<Row[]> {
    const { from, to } = prefixRange(reference);
    return this.deps.models.CaseDocument.find({ _id: { $gte: from, $lt: to } }).lean<Row[]>();
  }

  /** A case's documents, each with every version, newest first. */
  async list(reference: string): Promise<{ reference: string; documents: (DocumentView & { versions: DocumentView[] })[] }> {
    const rows = await this.rows(reference);
    const byDocument = new Map<string, Row[]>();
    for (const row of rows) byDocument.set(row.documentId, [...(byDocument.get(row.documentId) ?? []), row]);
    const documents = [...byDocument.values()]
      .map((versions) => versions.sort((a, b) => b.version - a.version).map(toView))
      .map(([latest, ...older]) => ({ ...latest, versions: [latest, ...older] }))
      .sort((a, b) => b.uploadedAt.localeCompare(a.uploadedAt));
    return { reference, documents };
  }

  /** One version by its id: what it is, and its bytes as a stream. */
  async open(id: string) {
    if (!DOCUMENT_ID.test(id)) throw new HttpError(404, 'not_found', `no document ${id}`);
    const file = await this.bucket.find({ _id: new ObjectId(id) }).limit(1).next();
    const meta = file?.metadata as { reference?: string } | undefined;
    const row = meta?.reference ? (await this.rows(meta.reference)).find((r) => r.fileId === id) : undefined;
    if (!file || !row) throw new HttpError(404, 'not_found', `no document ${id}`);
    return { document: toView(row), caseType: row.caseType, stream: () => this.bucket.openDownloadStream(file._id) };
  }
}
