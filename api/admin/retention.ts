import { ObjectId, type GridFSBucket } from 'mongodb';
import type { Actor } from '../../contracts/kernel/case';
import { addCalendarMonths, londonDate } from '../../lib/calendar';
import type { Models } from '../../models';
import { appendAudit } from '../../models/audit';
import { prefixRange } from '../../models/case-index';
import { documentBucket } from '../../models/document';

/** A process whose case records have a retention period: the cases closed on or before a day. */
export interface RetentionTarget {
  caseType: string;
  /** Years kept after closure; null when no period is configured: the process's documents are kept. */
  years: number | null;
  closedBy(cutoff: string): Promise<{ reference: string; closedOn: string }[]>;
}

/**
 * A process whose finished cases' records carry their workflow's state: the cases in a finished
 * status whose day of closing (`closedOn` of the state) is on or before the cutoff.
 */
export function finishedCases<S>(
  model: { find(filter: object, projection: object): { lean<T>(): Promise<T> } },
  opts: { caseType: string; years: number | null; finished: readonly string[]; closedOn: (s: S) => string | undefined },
): RetentionTarget {
  return {
    caseType: opts.caseType,
    years: opts.years,
    async closedBy(cutoff) {
      const records = await model.find({ status: { $in: [...opts.finished] } }, { workflow: 1 }).lean<{ _id: string; workflow?: S }[]>();
      return records.flatMap((r) => {
        const closedOn = r.workflow && opts.closedOn(r.workflow);
        return closedOn && closedOn <= cutoff ? [{ reference: r._id, closedOn }] : [];
      });
    },
  };
}

/** An upload killed mid-stream leaves chunks (or, killed after its file, a file without its row): swept once this old. */
export const ORPHAN_AGE_MS = 60 * 60 * 1000;

export interface RetentionReport {
  dryRun: boolean;
  ranAt: string;
  periods: { caseType: string; years: number | null; closedOnOrBefore: string | null }[];
  cases: { reference: string; caseType: string; closedOn: string; documents: number; files: string[] }[];
  orphans: { olderThan: string; files: string[]; chunksOf: string[] };
  removed: { documents: number; files: number; orphanFiles: number; orphanChunksOf: number };
}

/**
 * The retention run, an administrator's: the documents (GridFS files and their rows) of cases past
 * their process's retention period after closure, and nothing else; and GridFS files and chunks
 * that no document row names, once older than an hour. A dry run lists what would go. Each case's
 * removal is in its audit trail. Rows go before their bytes: a run that dies between leaves files
 * no row names, which the next run sweeps.
 */
export class RetentionService {
  private opened?: GridFSBucket;

  constructor(
    private readonly models: Models,
    private readonly targets: RetentionTarget[],
  ) {}

  private get bucket(): GridFSBucket {
    return (this.opened ??= documentBucket(this.models.connection));
  }

  async run(opts: { dryRun: boolean; actor: Actor }, now = new Date()): Promise<RetentionReport> {
    const today = londonDate(now);
    const report: RetentionReport = {
      dryRun: opts.dryRun,
      ranAt: now.toISOString(),
      periods: [],
      cases: [],
      orphans: { olderThan: new Date(now.getTime() - ORPHAN_AGE_MS).toISOString(), files: [], chunksOf: [] },
      removed: { documents: 0, files: 0, orphanFiles: 0, orphanChunksOf: 0 },
    };
    for (const target of this.targets) {
      if (target.years === null) {
        // No period in the Code as this service reads it, and none configured: nothing goes.
        report.periods.push({ caseType: target.caseType, years: null, closedOnOrBefore: null });
        continue;
      }
      const cutoff = addCalendarMonths(today, -12 * target.years);
      report.periods.push({ caseType: target.caseType, years: target.years, closedOnOrBefore: cutoff });
      for (const { reference, closedOn } of await target.closedBy(cutoff)) {
        const { from, to } = prefixRange(reference);
        const rows = await this.models.CaseDocument.find({ _id: { $gte: from, $lt: to } }, { fileId: 1 }).lean<{ _id: string; fileId: string }[]>();
        if (!rows.length) continue;
        const files = rows.map((r) => r.fileId);
        report.cases.push({ reference, caseType: target.caseType, closedOn, documents: rows.length, files });
        if (opts.dryRun) continue;
        report.removed.documents += (await this.models.CaseDocument.deleteMany({ _id: { $gte: from, $lt: to } })).deletedCount;
        for (const id of files) report.removed.files += await this.remove(id);
        await appendAudit(this.models.Audit, {
          record: reference,
          at: new Date(),
          actor: { id: opts.actor.id, name: opts.actor.name },
          role: opts.actor.role,
          action: `retention: ${rows.length} document${rows.length === 1 ? '' : 's'} removed, ${target.years} years after closure on ${closedOn}`,
          method: 'POST',
          path: '/api/admin/retention',
          status: 200,
        });
      }
    }
    await this.orphans(report, now);
    return report;
  }

  /** Files no row names and chunks no file owns, older than an hour (an upload under way is younger). */
  private async orphans(report: RetentionReport, now: Date): Promise<void> {
    const before = ObjectId.createFromTime(Math.floor((now.getTime() - ORPHAN_AGE_MS) / 1000));
    const db = this.models.connection.db!;
    const files = await db.collection('documents.files').find({ _id: { $lt: before } }, { projection: { _id: 1, 'metadata.reference': 1 } }).toArray();
    const byReference = new Map<string, string[]>();
    for (const f of files) {
      const reference = (f.metadata as { reference?: string } | undefined)?.reference ?? '';
      byReference.set(reference, [...(byReference.get(reference) ?? []), (f._id as ObjectId).toHexString()]);
    }
    for (const [reference, ids] of byReference) {
      const named = new Set<string>();
      if (reference) {
        const { from, to } = prefixRange(reference);
        for (const r of await this.models.CaseDocument.find({ _id: { $gte: from, $lt: to } }, { fileId: 1 }).lean<{ fileId: string }[]>()) named.add(r.fileId);
      }
      report.orphans.files.push(...ids.filter((id) => !named.has(id)));
    }
    const chunked = (await db.collection('documents.chunks').distinct('files_id', { files_id: { $lt: before } })) as ObjectId[];
    const owned = new Set((await db.collection('documents.files').find({ _id: { $in: chunked } }, { projection: { _id: 1 } }).toArray()).map((f) => (f._id as ObjectId).toHexString()));
    report.orphans.chunksOf = chunked.map((id) => id.toHexString()).filter((id) => !owned.has(id));
    if (report.dryRun) return;
    for (const id of report.orphans.files) report.removed.orphanFiles += await this.remove(id);
    if (report.orphans.chunksOf.length) {
      await db.collection('documents.chunks').deleteMany({ files_id: { $in: report.orphans.chunksOf.map((id) => new ObjectId(id)) } });
      report.removed.orphanChunksOf = report.orphans.chunksOf.length;
    }
  }

  /** A GridFS file and its chunks; 0 when it was gone already (a run before died after it). */
  private async remove(id: string): Promise<number> {
    try {
      await this.bucket.delete(new ObjectId(id));
      return 1;
    } catch (err) {
      if (err instanceof Error && /not found/i.test(err.message)) {
        await this.models.connection.db!.collection('documents.chunks').deleteMany({ files_id: new ObjectId(id) });
        return 0;
      }
      throw err;
    }
  }
}
