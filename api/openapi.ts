import { OpenAPIRegistry, OpenApiGeneratorV3 } from '@asteasolutions/zod-to-openapi';

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
