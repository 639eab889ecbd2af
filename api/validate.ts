import type { Request, RequestHandler } from 'express';
import type { ZodType } from 'zod';
import { fromZodError, HttpError, pathDecodes } from './errors';

interface Schemas {
  params?: ZodType;
  query?: ZodType;
  body?: ZodType;
}

/**
 * Parse params, query and body with zod and put the parsed values back on the
 * request, so handlers only ever see validated, typed input.
 */
export function validate(schemas: Schemas): RequestHandler {
  return (req, _res, next) => {
    for (const location of ['params', 'query', 'body'] as const) {
      const schema = schemas[location];
      if (!schema) continue;
      if (location === 'query') {
        refuseUndecodable(req.originalUrl);
        refuseRepeats(req.query);
      }
      if (location === 'body') assertJsonBody(req);
      const result = schema.safeParse(req[location] ?? (location === 'body' ? undefined : {}));
      if (!result.success) throw fromZodError(result.error, location);
      // Express 5 exposes req.query as a getter; define over it.
      Object.defineProperty(req, location, { value: result.data, writable: true, configurable: true, enumerable: true });
    }
    next();
  };
}

/**
 * A query whose percent-encoding is not UTF-8 (`?q=%ff`, `?q=%E0%A4%A`) is a 400, as such a path is:
 * the parser would read it as U+FFFD, a search for nothing anyone typed.
 */
function refuseUndecodable(url: string): void {
  const at = url.indexOf('?');
  if (at >= 0 && !pathDecodes(url.slice(at + 1))) {
    throw new HttpError(400, 'bad_request', 'the query is not valid percent-encoded UTF-8', [{ field: 'query', reason: 'must be valid percent-encoding (UTF-8)' }]);
  }
}

/** The most a JSON body may be (express.json's `limit`): larger is a 413 before any route reads it. */
export const JSON_BODY_LIMIT = '100kb';

/**
 * The deepest a JSON body may nest (an array or object is one level): no schema goes past 6, and
 * 100 kB of brackets nests 50,000 deep, enough to overflow the stack of whatever walks the body
 * recursively (JSON.stringify as a change is held for the audit trail answered such a body 500).
 */
export const JSON_MAX_DEPTH = 32;

/** A UTF-16 surrogate without its pair (`\ud800` escaped in JSON): no character at all. */
const LONE_SURROGATE = /\p{Cs}/u;

/**
 * After express.json, before any route reads the body: a body nested deeper than JSON_MAX_DEPTH
 * is a 400 naming the body; a string (or a key) holding a lone surrogate, which JSON's `\u`
 * escapes can spell in UTF-8 bytes, a 400 naming its field. Left in, the database's UTF-8 stored
 * it as U+FFFD, a character nobody wrote, as bytes that are not UTF-8 would have been
 * (./setup/body-encoding.ts). Walked without recursion.
 */
export const checkJsonBody: RequestHandler = (req, _res, next) => {
  const stack: { value: unknown; depth: number; field: string }[] = [{ value: req.body, depth: 0, field: 'body' }];
  while (stack.length) {
    const { value, depth, field } = stack.pop()!;
    if (typeof value === 'string') {
      if (LONE_SURROGATE.test(value)) throw unreadable(field, 'holds a lone UTF-16 surrogate (an unpaired \\ud800-\\udfff escape), which is no character');
      continue;
    }
    if (value === null || typeof value !== 'object') continue;
    if (depth + 1 > JSON_MAX_DEPTH) throw unreadable('body', `nests deeper than ${JSON_MAX_DEPTH} levels of arrays and objects`);
    for (const [key, child] of Object.entries(value)) {
      if (LONE_SURROGATE.test(key)) throw unreadable(field, 'has a key holding a lone UTF-16 surrogate, which is no character');
      stack.push({ value: child, depth: depth + 1, field: `${field}.${key}` });
    }
  }
  next();
};

const unreadable = (field: string, reason: string) => new HttpError(400, 'bad_request', `${field}: ${reason}`, [{ field, reason }]);

/**
 * A body the JSON parser left alone (text/plain, a form, XML, no Content-Type) is a 415 naming the
 * header, rather than every field named as missing from a body the client did send. For routes
 * that read their body themselves (an event's, api/kernel/events.ts).
 */
export function assertJsonBody(req: Request): void {
  if (req.body === undefined && carriesBody(req)) throw notJson(req.get('Content-Type'));
}

/** A request that sent a body: a length above 0, or one sent in chunks. */
const carriesBody = (req: Request) => Number(req.get('Content-Length') ?? 0) > 0 || req.get('Transfer-Encoding') !== undefined;

function notJson(type: string | undefined): HttpError {
  const reason = `must be application/json; the body was sent as ${type ? type.split(';')[0].trim() : 'no type'}`;
  return new HttpError(415, 'unsupported_media_type', `header.Content-Type: ${reason}`, [{ field: 'header.Content-Type', reason }]);
}

/**
 * No list's query takes a parameter twice (`?status=a&status=b` arrives as an array): said so,
 * rather than "invalid option" for a value that may be valid once.
 */
function refuseRepeats(query: Request['query']): void {
  const problems = Object.entries(query ?? {})
    .filter(([, value]) => Array.isArray(value))
    .map(([name, value]) => ({ field: `query.${name}`, reason: `given ${(value as unknown[]).length} times: give it once` }));
  if (problems.length) throw new HttpError(400, 'validation_failed', problems.map((p) => `${p.field}: ${p.reason}`).join('; '), problems);
}
