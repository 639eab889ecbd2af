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
 * A multipart part's text as busboy decoded it (UTF-8 unless the part names another charset):
 * undefined when it holds U+FFFD, what the decoder puts for bytes that are not UTF-8, which were
 * kept so in a document's note or name in place of what was sent. (A U+FFFD sent as such stands
 * for nothing anyone wrote either.) Raw bytes are checked as `utf8Json` checks them.
 */
export function decodedCleanly(text: string): string | undefined {
  return text.includes('\uFFFD') ? undefined : text;
}

/** Bytes as UTF-8 text, or undefined when they are not UTF-8. */
export function utf8Text(bytes: Buffer): string | undefined {
  try {
    return STRICT.decode(bytes);
  } catch {
    return undefined;
  }
}
