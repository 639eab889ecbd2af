import { guardedRouter } from '../auth/routes';
import { Router } from 'express';
import { validate } from '../validate';
import { AdminService } from './service';
import { RunReconciliationBody, runReconciliationBody } from './schemas';

export function adminRouter(service: AdminService): Router {
  const router = guardedRouter('/api/admin');
  router.get('/reconciliation', async (_req, res) => {
    res.json(await service.reconciliations());
  });
  router.post('/reconciliation', validate({ body: runReconciliationBody }), async (req, res) => {
    const started = await service.reconcileNow(req.body as RunReconciliationBody);
    res.status(202).location('/api/admin/reconciliation').json(started);
  });
  return router;
}
