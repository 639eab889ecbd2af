import { reportRange, type ReportEvent } from '../../records/complaint/lists';
import type { Models } from '../../models';
import { findByIds, keysInRange, referenceOf } from '../../models/case-index';
import { complaintsReport, REPORT_FIELDS, type ReportedComplaint } from './complaints';
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
  constructor(private readonly models: Models) {}

  async complaints(year: number) {
    const fy = financialYear(year);
    const references = (event: ReportEvent) => keysInRange(this.models.CaseIndex, reportRange(event, fy.from, fy.end)).then((keys) => keys.map(referenceOf));
    const [received, ...decisions] = await Promise.all((['received', 'closed', 'withdrawn', 'referred', 'transferred'] as const).map(references));
    const decided = [...new Set(decisions.flat())];
    const [receivedRecords, decidedRecords] = await Promise.all([this.records(received), this.records(decided)]);
    return complaintsReport(fy, receivedRecords, decidedRecords);
  }

  private async records(ids: string[]): Promise<ReportedComplaint[]> {
    const batches: Promise<ReportedComplaint[]>[] = [];
    for (let i = 0; i < ids.length; i += BATCH) batches.push(findByIds<ReportedComplaint>(this.models.Complaint, ids.slice(i, i + BATCH), { ...REPORT_FIELDS }));
    return (await Promise.all(batches)).flat();
  }
}
