import { guardedRouter } from '../auth/routes';
import { Router, type Request, type Response } from 'express';
import { validate } from '../validate';
import { closureDayBody, closureDayParams, ClosureDayBody, listClosureDaysQuery, ListClosureDaysQuery } from './schemas';
import { ClosureDayService } from './service';

export function closureDaysRouter(service: ClosureDayService): Router {
  const router = guardedRouter('/api/closure-days');
  router.get('/', validate({ query: listClosureDaysQuery }), async (req: Request, res: Response) => {
    res.json(await service.list(req.query as unknown as ListClosureDaysQuery));
  });
  router.put('/:date', validate({ params: closureDayParams, body: closureDayBody }), async (req: Request, res: Response) => {
    const date = req.params.date as string;
    const { created, view } = await service.put(date, req.body as ClosureDayBody);
    if (created) res.status(201).location(`/api/closure-days/${date}`);
    res.json(view);
  });
  router.delete('/:date', validate({ params: closureDayParams }), async (req: Request, res: Response) => {
    await service.remove(req.params.date as string);
    res.status(204).end();
  });
  return router;
}
