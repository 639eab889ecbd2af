import { guardedRouter } from '../auth/routes';
import { Router, type Request, type Response } from 'express';
import { validate } from '../validate';
import { listNotificationsQuery, notificationParams, type ListNotificationsQuery } from './schemas';
import type { NotificationService } from './service';

export function notificationsRouter(service: NotificationService): Router {
  const router = guardedRouter('/api/notifications');
  router.get('/', validate({ query: listNotificationsQuery }), async (req: Request, res: Response) => {
    res.json(await service.list(req.query as unknown as ListNotificationsQuery));
  });
  router.post('/:id/retry', validate({ params: notificationParams }), async (req: Request, res: Response) => {
    res.json(await service.retry(req.params.id as string));
  });
  return router;
}
