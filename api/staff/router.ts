import type { Request, Response, Router } from 'express';
import { guardedRouter } from '../auth/routes';
import { validate } from '../validate';
import { listStaffQuery, staffBody, staffParams, type ListStaffQuery, type StaffBody } from './schemas';
import type { StaffService } from './service';

/** /api/staff: the directory pickers read; an administrator adds people to it. */
export function staffRouter(service: StaffService): Router {
  const router = guardedRouter('/api/staff');
  router.get('/', validate({ query: listStaffQuery }), async (req: Request, res: Response) => {
    res.json(await service.list(req.query as unknown as ListStaffQuery));
  });
  router.put('/:id', validate({ params: staffParams, body: staffBody }), async (req: Request, res: Response) => {
    const { created, view } = await service.put(req.params.id as string, req.body as StaffBody);
    res.status(created ? 201 : 200).json(view);
  });
  return router;
}
