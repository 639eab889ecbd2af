import { createHash } from 'node:crypto';
import { Transform, type TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import busboy from 'busboy';
import type { Request } from 'express';
import FileType from 'file-type';
import type { GridFSBucket, ObjectId } from 'mongodb';
import { badRequest, HttpError } from '../errors';
import { decodedCleanly, utf8Text } from '../setup/body-encoding';

/** What may be kept, judged by the bytes (file-type), never by the name. */
const ALLOWED: Record<string, string> = {
  pdf: 'application/pdf',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  odt: 'application/vnd.oasis.opendocument.text',
  jpg: 'image/jpeg',
  png: 'image/png',
  // An Outlook message (.msg) is a compound file.
  cfb: 'application/vnd.ms-outlook',
};

/** A text file's type (an EML email is one). */
const TEXT_TYPE = 'text/plain; charset=utf-8';

/** An empty file's type: nothing to judge. */
const UNJUDGED_TYPE = 'application/octet-stream';

/** Every Content-Type a stored document is served with: the kept types, text, and an empty file's. */
export const SERVED_TYPES: readonly string[] = [...new Set(Object.values(ALLOWED)), TEXT_TYPE, UNJUDGED_TYPE];

/** How much of the start of a file is sniffed for its type. */
const SNIFF_BYTES = 4100;

/**
 * How much of a file may wait between the request and GridFS: two of its 255 kB chunks, so
 * the request goes on arriving while a chunk is written, instead of stopping at every insert.
 */
const BUFFER_BYTES = 512 * 1024;

/** A name as a person gave it: no path, no control or bidirectional characters, not too long. */
// eslint-disable-next-line no-control-regex
const BAD_NAME = /[/\\\u0000-\u001f\u007f\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]/;

/** `.` and `..` name a folder, not a file: saved under such a name a download lands nowhere sensible. */
const DOTS_ONLY = /^\s*\.+\s*$/;

export interface Uploaded {
  fields: Record<string, string>;
  filename: string;
  contentType: string;
  size: number;
  sha256: string;
}

/** Text a screen or an editor can show: UTF-8 without NULs (plain text, and an email saved as .eml). */
function isText(sample: Buffer): boolean {
  if (!sample.length || sample.includes(0)) return false;
  return !new TextDecoder('utf-8', { fatal: false }).decode(sample.subarray(0, Math.max(0, sample.length - 4))).includes('\uFFFD');
}

/**
 * Counts, hashes and sniffs the bytes on their way into GridFS: refused (415) as soon as the start
 * of the file says it is of a type not kept.
 */
class Inspect extends Transform {
  size = 0;
  contentType?: string;
  private readonly hash = createHash('sha256');
  private head: Buffer[] = [];
  private headLength = 0;

  constructor() {
    super({ highWaterMark: BUFFER_BYTES });
  }

  get sha256(): string {
    return this.hash.digest('hex');
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    this.size += chunk.length;
    this.hash.update(chunk);
    if (this.contentType) return done(null, chunk);
    this.head.push(chunk);
    this.headLength += chunk.length;
    if (this.headLength < SNIFF_BYTES) return done();
    this.judge().then(() => done(null, Buffer.concat(this.head.splice(0))), done);
  }

  override _flush(done: TransformCallback): void {
    if (this.contentType) return done();
    this.judge().then(() => {
      const rest = Buffer.concat(this.head.splice(0));
      if (rest.length) this.push(rest);
      done();
    }, done);
  }

  private async judge(): Promise<void> {
    const sample = Buffer.concat(this.head);
    if (!sample.length) return;
    const found = await FileType.fromBuffer(sample);
    const type = found ? ALLOWED[found.ext] : isText(sample) ? TEXT_TYPE : undefined;
    if (!type) throw new HttpError(415, 'unsupported_type', `a document must be PDF, DOCX, XLSX, ODT, JPEG, PNG, plain text or an email (EML, MSG); this one is ${found ? found.mime : 'of no type kept'}`);
    this.contentType = type;
  }
}

/** A small file part read whole as UTF-8 ('' for an empty part, as a browser sends a file input left empty); undefined past `maxBytes`, null when it is not UTF-8. */
async function readText(file: NodeJS.ReadableStream, maxBytes: number): Promise<string | undefined | null> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of file as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size <= maxBytes) chunks.push(chunk);
  }
  return size > maxBytes ? undefined : (utf8Text(Buffer.concat(chunks)) ?? null);
}

const NOT_UTF8 = 'must be UTF-8 text; it holds bytes that are not (or U+FFFD, which stands for such bytes)';

/**
 * One file from a multipart request, streamed into `bucket` under `fileId` (never held whole),
 * with the form's text fields: 413 past `limitBytes` while streaming, 415 for a type not kept, 400
 * for no file, an empty one, two, or a bad name. Whatever is refused leaves nothing in GridFS.
 */
export async function receiveFile(
  req: Request,
  bucket: GridFSBucket,
  fileId: ObjectId,
  limitBytes: number,
  metadata: () => Record<string, unknown>,
  /** Asked of the fields sent before the file, as it arrives (a page's form token): throwing refuses it unread. */
  beforeFile?: (fields: Record<string, string>) => void,
  /** File fields read whole as text into `fields` instead (an import's mapping file), each at most `maxBytes`. */
  textFiles: { names: string[]; maxBytes: number } = { names: [], maxBytes: 0 },
): Promise<Uploaded> {
  if (!req.is('multipart/form-data')) throw new HttpError(415, 'unsupported_type', 'send the document as multipart/form-data with one file field');
  let parser: busboy.Busboy;
  try {
    parser = busboy({ headers: req.headers, limits: { files: 1 + textFiles.names.length, fileSize: Math.max(limitBytes, textFiles.maxBytes), fields: 10, fieldSize: 4_000 }, defParamCharset: 'utf8', preservePath: true });
  } catch {
    throw badRequest('body', 'a multipart body with its boundary');
  }
  const fields: Record<string, string> = {};
  let stored: Promise<Omit<Uploaded, 'fields'>> | undefined;
  const texts: Promise<void>[] = [];
  let failure: unknown;
  // A field or a name whose bytes were not UTF-8 is refused, never kept with U+FFFD: see decodedCleanly.
  parser.on('field', (name, value) => {
    const text = decodedCleanly(value);
    if (text === undefined) failure ??= badRequest(`body.${name}`, NOT_UTF8);
    else fields[name] = text;
  });
  parser.on('filesLimit', () => {
    failure ??= badRequest('body.file', 'send one file at a time');
  });
  parser.on('file', (name, file, info) => {
    const filename = decodedCleanly(info.filename ?? '');
    if (filename === undefined) {
      failure ??= badRequest('body.file', `its name ${NOT_UTF8}`);
      file.resume();
      return;
    }
    try {
      beforeFile?.(fields);
    } catch (err) {
      failure ??= err;
      file.resume();
      return;
    }
    if (textFiles.names.includes(name)) {
      texts.push(readText(file, textFiles.maxBytes).then((text) => {
        if (text === undefined) failure ??= badRequest(`body.${name}`, `must be at most ${Math.round(textFiles.maxBytes / 1000)} kB`);
        else if (text === null) failure ??= badRequest(`body.${name}`, NOT_UTF8);
        else if (text) fields[name] = text;
      }));
      return;
    }
    if (stored || !filename || filename.length > 200 || BAD_NAME.test(filename) || DOTS_ONLY.test(filename)) {
      failure ??= badRequest('body.file', stored ? 'send one file at a time' : 'the file needs a name of at most 200 characters, without a path or control characters');
      file.resume();
      return;
    }
    const inspect = new Inspect();
    const upload = bucket.openUploadStreamWithId(fileId, filename, { metadata: metadata() });
    // Piped, not pipelined, from the part: a refusal must not destroy it, or the rest of the
    // request would never be read (and never answered); it is drained instead.
    file.pipe(inspect);
    file.on('limit', () => {
      failure ??= new HttpError(413, 'too_large', `a document may be at most ${Math.round(limitBytes / 1_000_000)} MB`);
      inspect.destroy(failure as Error);
    });
    stored = pipeline(inspect, upload).then(
      () => {
        if (failure) throw failure;
        return { filename, contentType: inspect.contentType ?? UNJUDGED_TYPE, size: inspect.size, sha256: inspect.sha256 };
      },
      async (err: unknown) => {
        file.unpipe(inspect);
        file.resume();
        // Nothing half-stored: the chunks written so far go (the file document is written only at the end).
        await upload.abort().catch(() => undefined);
        throw failure ?? err;
      },
    );
    // Settled when the request is; a rejection is read there.
    stored.catch(() => undefined);
  });
  await pipeline(req, parser).catch((err: unknown) => {
    failure ??= err instanceof HttpError ? err : badRequest('body', 'a well-formed multipart body');
  });
  await Promise.all(texts);
  if (!stored) throw failure ?? badRequest('body.file', 'attach a file');
  // Refused once the file was whole in GridFS (for another part, or nothing in it): it goes.
  const file = await stored.catch((err: unknown) => ({ err }));
  const refusal = 'err' in file ? file.err : (failure ?? (file.size ? undefined : badRequest('body.file', 'the file is empty')));
  if (refusal || 'err' in file) {
    await bucket.delete(fileId).catch(() => undefined);
    throw refusal;
  }
  return { fields, ...file };
}
