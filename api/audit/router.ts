import { guardedRouter } from '../auth/routes';
import { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import { Router, type Request, type Response } from 'express';
import type { Models } from '../../models';
import { auditOf } from '../../models/audit';
import { errorBody, json } from '../openapi';
import { validate } from '../validate';
import { canonicalReference, z } from '../../lib/zod';

export const auditQuery = z
  .object({
    // A case's reference in any case finds its trail (kept as CMP-2026-000123); other records (search, a route) as typed.
    record: z.string().trim().min(1).max(100).transform(canonicalReference).openapi({ example: 'CMP-2026-000123' }),
    limit: z.coerce.number().int().min(1).max(1000).default(200),
  })
  .strict();

const auditEntry = z
  .object({
    record: z.string(),
    at: z.string(),
    actor: z.object({ id: z.string(), name: z.string() }),
    role: z.string(),
    action: z.string(),
    method: z.string(),
    path: z.string(),
    status: z.number().nullable(),
  })
  .openapi('AuditEntry');

/** GET /api/audit?record=: one record's trail for the auditor, oldest first. */
export function auditRouter(models: Models): Router {
  const router = guardedRouter('/api/audit');
  router.get('/', validate({ query: auditQuery }), async (req: Request, res: Response) => {
    const { record, limit } = req.query as unknown as z.infer<typeof auditQuery>;
    const entries = await auditOf(models.Audit, record, limit);
    res.json({
      record,
      entries: entries.map((e) => ({ record: e.record, at: e.at.toISOString(), actor: { id: e.actor.id ?? '', name: e.actor.name ?? '' }, role: e.role, action: e.action, method: e.method, path: e.path, status: e.status ?? null })),
    });
  });
  return router;
}

export function auditOpenApi(): OpenAPIRegistry {
  const registry = new OpenAPIRegistry();
  registry.registerPath({
    method: 'get',
    path: '/api/audit',
    tags: ['audit'],
    summary: 'Who changed a record, or read its personal details, when and in which role (auditors)',
    request: { query: auditQuery },
    responses: { 200: json(z.object({ record: z.string(), entries: z.array(auditEntry) }), 'The record’s trail, oldest first'), 400: json(errorBody, 'Invalid query') },
  });
  return registry;
}
