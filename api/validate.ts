import type { RequestHandler } from 'express';
import type { ZodType } from 'zod';
import { fromZodError } from './errors';

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
      const result = schema.safeParse(req[location] ?? (location === 'body' ? undefined : {}));
      if (!result.success) throw fromZodError(result.error, location);
      // Express 5 exposes req.query as a getter; define over it.
      Object.defineProperty(req, location, { value: result.data, writable: true, configurable: true, enumerable: true });
    }
    next();
  };
}
