import type { Request, Response } from 'express';
import { HttpError } from '../errors';
import { complaintsReportCsv } from './csv';
import { ko41aCsv, ko41aWorkbook } from './ko41a-files';
import type { ComplaintsReportQuery } from './schemas';
import type { ReportService } from './service';

export const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

export function reportController(service: ReportService) {
  return {
    /** JSON, CSV (`Accept: text/csv`) or a workbook (`Accept` the xlsx type); 406 if it takes none. */
    async ko41a(req: Request, res: Response) {
      const format = req.accepts(['application/json', 'text/csv', XLSX]);
      if (!format) throw new HttpError(406, 'not_acceptable', `the KO41a return is available as application/json, text/csv or ${XLSX}`);
      const { year } = req.query as unknown as ComplaintsReportQuery;
      const ko41a = await service.ko41a(year);
      res.vary('Accept');
      if (format === 'application/json') {
        res.json(ko41a);
        return;
      }
      const name = `ko41a-${year}-${String(year + 1).slice(2)}`;
      if (format === 'text/csv') {
        res.type('text/csv; charset=utf-8').attachment(`${name}.csv`).send(ko41aCsv(ko41a));
        return;
      }
      res.type(XLSX).attachment(`${name}.xlsx`).send(await ko41aWorkbook(ko41a));
    },

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
