import type { IncomingMessage } from 'node:http';
import { HttpError } from '../errors';

/**
 * Bodies are UTF-8 or refused. Left to the parsers, a byte that is not UTF-8 (a name typed in a
 * Latin-1 terminal, a crafted request) is read as U+FFFD and stored: the complainant's name kept
 * with a character nobody wrote, and no one told. Each parser's `verify` runs this on the raw body.
 */
const STRICT = new TextDecoder('utf-8', { fatal: true });

function notUtf8(): HttpError {
  return new HttpError(400, 'bad_request', 'body: must be UTF-8 text; it holds bytes that are not', [{ field: 'body', reason: 'must be UTF-8 text; it holds bytes that are not' }]);
}

const isUtf8 = (charset: string) => /^utf-?8$/i.test(charset);

/** express.json's verify: the raw bytes decode as UTF-8 (another charset the parser reads itself). */
export function utf8Json(_req: IncomingMessage, _res: unknown, body: Buffer, charset: string): void {
  if (!isUtf8(charset || 'utf-8')) return;
  try {
    STRICT.decode(body);
  } catch {
    throw notUtf8();
  }
}

/** Each run of percent-escapes in a form body, which must decode to UTF-8 as well as the bytes. */
const ESCAPES = /(?:%[0-9A-Fa-f]{2})+/g;

/** express.urlencoded's verify: the bytes and what the percent-escapes spell are both UTF-8. */
export function utf8Form(req: IncomingMessage, res: unknown, body: Buffer, charset: string): void {
  utf8Json(req, res, body, charset);
  for (const run of body.toString('latin1').match(ESCAPES) ?? []) {
    try {
      decodeURIComponent(run);
    } catch {
      throw notUtf8();
    }
  }
}

/**
 * A multipart part's text as busboy read it, one character per byte (`latin1`, which keeps the
 * bytes): the UTF-8 they spell, or undefined when they are not UTF-8. Read as UTF-8 by busboy, such
 * bytes became U+FFFD, stored in a document's note or name in place of what was sent. Text that a
 * part's own charset already decoded (a character past U+00FF: `filename*=UTF-8''…`) is as it came.
 */
export function utf8OfLatin1(text: string): string | undefined {
  if ([...text].some((c) => c.charCodeAt(0) > 0xff)) return text;
  try {
    return STRICT.decode(Buffer.from(text, 'latin1'));
  } catch {
    return undefined;
  }
}
