import { guardedRouter } from '../auth/routes';
import { Router } from 'express';
import { validate } from '../validate';
import { reportController } from './controller';
import { complaintsReportQuery, ko41aQuery } from './schemas';
import { ReportService } from './service';

export function reportsRouter(service: ReportService): Router {
  const c = reportController(service);
  const router = guardedRouter('/api/reports');
  router.get('/complaints', validate({ query: complaintsReportQuery }), c.complaints);
  router.get('/ko41a', validate({ query: ko41aQuery }), c.ko41a);
  return router;
}
