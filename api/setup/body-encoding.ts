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

/** The raw bytes decode as UTF-8, unless the body declares another charset its parser reads itself. */
function utf8Bytes(body: Buffer, charset: string): void {
  if (!isUtf8(charset || 'utf-8')) return;
  try {
    STRICT.decode(body);
  } catch {
    throw notUtf8();
  }
}

const UTF8_ALIAS = /(;\s*charset\s*=\s*)"?utf8"?(?=\s*(;|$))/i;

/** `charset=utf8`, as some clients spell UTF-8, named as the parsers know it (they refuse it as unknown). */
export function utf8Alias(req: IncomingMessage, _res: unknown, next: () => void): void {
  const type = req.headers['content-type'];
  if (type && UTF8_ALIAS.test(type)) req.headers['content-type'] = type.replace(UTF8_ALIAS, '$1utf-8');
  next();
}

/**
 * express.json's verify: JSON is UTF-8 (RFC 8259: JSON exchanged between systems MUST be), so a
 * body declaring UTF-16 or UTF-32, which the parser would read, is a 415 naming the header: no
 * client of this API sends one, and a filter or log in front of it reads such bytes as something
 * else than the API does. Then the bytes must be UTF-8.
 */
export function utf8Json(_req: IncomingMessage, _res: unknown, body: Buffer, charset: string): void {
  if (charset && !isUtf8(charset)) {
    const reason = `JSON must be UTF-8; the body was declared charset=${charset}`;
    throw new HttpError(415, 'unsupported_media_type', `header.Content-Type: ${reason}`, [{ field: 'header.Content-Type', reason }]);
  }
  utf8Bytes(body, charset);
}

/** Each run of percent-escapes in a form body, which must decode to UTF-8 as well as the bytes. */
const ESCAPES = /(?:%[0-9A-Fa-f]{2})+/g;

/** express.urlencoded's verify: the bytes and what the percent-escapes spell are both UTF-8. */
export function utf8Form(_req: IncomingMessage, _res: unknown, body: Buffer, charset: string): void {
  utf8Bytes(body, charset);
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
