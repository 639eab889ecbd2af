import { OpenAPIRegistry, OpenApiGeneratorV3 } from '@asteasolutions/zod-to-openapi';
import { z } from './zod';

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

/** One registry per router, merged into the one document served at /api/openapi.json. */
export function buildOpenApiDocument(registries: OpenAPIRegistry[]) {
  const definitions = registries.flatMap((r) => r.definitions);
  return new OpenApiGeneratorV3(definitions).generateDocument({
    openapi: '3.0.3',
    info: {
      title: 'Oversight API',
      version: '0.1.0',
      description:
        'Escalated complaints and the other slow processes by which an NHS commissioner holds providers to account. ' +
        'Dates are YYYY-MM-DD in Europe/London; deadlines count working days (England and Wales).',
    },
    servers: [{ url: '/' }],
  });
}
