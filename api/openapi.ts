import { OpenAPIRegistry, OpenApiGeneratorV3 } from '@asteasolutions/zod-to-openapi';
import { z } from '../lib/zod';
import { JSON_BODY_LIMIT } from './validate';

/** The body of every error response (see errors.ts). */
export const errorBody = z
  .object({
    error: z.object({
      code: z.string(),
      message: z.string(),
      details: z.array(z.object({ field: z.string(), reason: z.string() })).optional(),
    }),
  })
  .openapi('Error');

/** A JSON response of `schema`, for registerPath. */
export const json = (schema: z.ZodType, description: string) => ({ description, content: { 'application/json': { schema } } });

/** Routes anyone may call: no token, so neither 401 nor 403. */
const PUBLIC = new Set(['/healthz', '/readyz', '/api/openapi.json']);

/**
 * One registry per router, merged into the one document served at /api/openapi.json. Every route
 * but the public ones needs a bearer token: the document says so once (a bearer scheme required
 * everywhere) and gives each such operation the answers the sign-in guard and the rate limit may
 * give (401, 403, 429), so no router has to repeat them.
 */
export function buildOpenApiDocument(registries: OpenAPIRegistry[]) {
  const registry = new OpenAPIRegistry(registries);
  registry.registerComponent('securitySchemes', 'bearer', {
    type: 'http',
    scheme: 'bearer',
    bearerFormat: 'JWT',
    description: 'An OIDC access token (Entra ID), or for local runs `npm run token`',
  });
  const document = new OpenApiGeneratorV3(registry.definitions).generateDocument({
    openapi: '3.0.3',
    info: {
      title: 'Oversight API',
      version: '0.1.0',
      description:
        'Escalated complaints and the other slow processes by which an NHS commissioner holds providers to account. ' +
        'Dates are YYYY-MM-DD in Europe/London; deadlines count working days (England and Wales).',
    },
    servers: [{ url: '/' }],
    security: [{ bearer: [] }],
  });
  // An error answer added to operations here, after generation: the Error schema by reference.
  const error = (description: string) => ({ description, content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } });
  const signIn = {
    401: error('No valid bearer token (missing, expired, badly signed, or for another audience or issuer)'),
    403: error('The token has none of the roles this route allows'),
    429: error('More requests a minute than the rate limit allows; see Retry-After'),
  };
  // What the JSON body parser refuses before any route reads the body.
  const jsonBody = {
    413: error(`A body larger than ${JSON_BODY_LIMIT}`),
    415: error('A body sent as something other than application/json, or JSON declared in another charset than UTF-8'),
  };
  type Operation = { responses: Record<string, unknown>; security?: unknown[]; requestBody?: { content?: Record<string, unknown> } };
  for (const [path, operations] of Object.entries(document.paths ?? {})) {
    for (const operation of Object.values(operations as Record<string, Operation>)) {
      if (PUBLIC.has(path)) operation.security = [];
      else operation.responses = { ...signIn, ...operation.responses };
      if (operation.requestBody?.content?.['application/json']) operation.responses = { ...jsonBody, ...operation.responses };
    }
  }
  return document;
}
