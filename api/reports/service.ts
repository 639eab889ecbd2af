import { reportRange, stockOf, stockRange, type ReportEvent } from '../../records/complaint/lists';
import type { Models } from '../../models';
import { findByIds, keysInRange, referenceOf } from '../../models/case-index';
import { complaintsReport, REPORT_FIELDS, type ReportedComplaint } from './complaints';
import { KO41A_FIELDS, ko41aReturn, type Ko41aComplaint, type Organisation } from './ko41a';
import { financialYear } from './period';

/** Records are read by `_id $in` this many at a time: a year of a large service is thousands. */
const BATCH = 500;

/**
 * Reports read the case index and the records by `_id` only (see docs/architecture.md, "Reads by
 * `_id`: the case index"): a year is a range of keys for each thing counted, its cases' records are read
 * by `_id` with the fields counted, and the counting is done here, not by an aggregation (the
 * embedded FerretDB would read every record to answer one).
 */
export class ReportService {
  constructor(
    private readonly models: Models,
    /** The body the KO41a return is made for (config ORGANISATION_CODE, ORGANISATION_NAME). */
    private readonly organisation: Organisation = { code: null, name: null },
  ) {}

  /**
   * The KO41a return for a financial year, from the case index: the records of the year's
   * receipts, closures, withdrawals and ends without consideration; and, as keys only, the stock
   * of complaints unresolved at the year's start or since (what brought and carried forward count).
   */
  async ko41a(year: number) {
    const fy = financialYear(year);
    const ranges = (['received', 'closed', 'withdrawn', 'notConsidered'] as const).map((event) => reportRange(event, fy.from, fy.end));
    const [stock, ...keys] = await Promise.all([stockRange(fy.from), ...ranges].map((range) => keysInRange(this.models.CaseIndex, range)));
    const ids = [...new Set(keys.flat().map(referenceOf))];
    return ko41aReturn(fy, this.organisation, await this.read<Ko41aComplaint>(ids, KO41A_FIELDS), stock.map(stockOf));
  }

  async complaints(year: number) {
    const fy = financialYear(year);
    const references = (event: ReportEvent) => keysInRange(this.models.CaseIndex, reportRange(event, fy.from, fy.end)).then((keys) => keys.map(referenceOf));
    const [received, ...decisions] = await Promise.all((['received', 'closed', 'withdrawn', 'referred', 'transferred'] as const).map(references));
    const decided = [...new Set(decisions.flat())];
    const [receivedRecords, decidedRecords] = await Promise.all([this.records(received), this.records(decided)]);
    return complaintsReport(fy, receivedRecords, decidedRecords);
  }

  private records(ids: string[]): Promise<ReportedComplaint[]> {
    return this.read<ReportedComplaint>(ids, REPORT_FIELDS);
  }

  private async read<T extends { _id: string }>(ids: string[], fields: Record<string, 1>): Promise<T[]> {
    const batches: Promise<T[]>[] = [];
    for (let i = 0; i < ids.length; i += BATCH) batches.push(findByIds<T>(this.models.Complaint, ids.slice(i, i + BATCH), { ...fields }));
    return (await Promise.all(batches)).flat();
  }
}
