import type { Request, Response } from 'express';
import { HttpError } from '../errors';
import { complaintsReportCsv } from './csv';
import type { ComplaintsReportQuery } from './schemas';
import type { ReportService } from './service';

export function reportController(service: ReportService) {
  return {
    /** JSON unless the client asks for CSV (`Accept: text/csv`); 406 if it takes neither. */
    async complaints(req: Request, res: Response) {
      const format = req.accepts(['application/json', 'text/csv']);
      if (!format) throw new HttpError(406, 'not_acceptable', 'this report is available as application/json or text/csv');
      const { year } = req.query as unknown as ComplaintsReportQuery;
      const report = await service.complaints(year);
      res.vary('Accept');
      if (format === 'application/json') {
        res.json(report);
        return;
      }
      res.type('text/csv; charset=utf-8');
      res.attachment(`complaints-${year}-${String(year + 1).slice(2)}.csv`);
      res.send(complaintsReportCsv(report));
    },
  };
}
