import { guardedRouter } from '../auth/routes';
import { Router } from 'express';
import { validate } from '../validate';
import { AdminService } from './service';
import { RunReconciliationBody, runReconciliationBody, runRetentionBody } from './schemas';
import type { RetentionService } from './retention';
import { actorOf } from '../kernel/request';

export function adminRouter(service: AdminService, retention: RetentionService): Router {
  const router = guardedRouter('/api/admin');
  router.get('/reconciliation', async (_req, res) => {
    res.json(await service.reconciliations());
  });
  router.post('/reconciliation', validate({ body: runReconciliationBody }), async (req, res) => {
    const started = await service.reconcileNow(req.body as RunReconciliationBody);
    res.status(202).location('/api/admin/reconciliation').json(started);
  });
  // Documents past their retention period, and orphaned GridFS files and chunks (see ./retention.ts).
  router.post('/retention', validate({ body: runRetentionBody }), async (req, res) => {
    res.json(await retention.run({ dryRun: (req.body as { dryRun: boolean }).dryRun, actor: actorOf(req) }));
  });
  return router;
}
