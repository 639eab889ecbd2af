import type { Models } from '../../models';
import { addIndexKeys, removeIndexKeys } from '../../models/case-index';
import { visitIndexKeys } from '../../records/visit/lists';

interface StoredVisit {
  _id: string;
  providerCode: string;
  status: string;
  nextDueOn?: string | null;
  visitDate: string;
  projectionVersion?: number | null;
  indexKeys?: string[] | null;
  workflow?: { finalReportOn?: string | null } | null;
}

/**
 * Once, after the CQRG pack's key (a provider's final reports by the day issued, 2026-12-05): every
 * visit record gets the entries its stored fields now put it under, as the complaints' backfill
 * does (activities/complaint/backfill.ts: new entries in, the record names them on the condition no
 * projection wrote it since, old ones out). A full scan: run it once. Safe to repeat.
 */
export async function backfillVisitIndexKeys(models: Models): Promise<{ checked: number; moved: number }> {
  const records = await models.Visit.find({}, { providerCode: 1, status: 1, nextDueOn: 1, visitDate: 1, projectionVersion: 1, indexKeys: 1, 'workflow.finalReportOn': 1 }).lean<StoredVisit[]>();
  let moved = 0;
  for (const r of records) {
    const keys = visitIndexKeys({ reference: r._id, providerCode: r.providerCode, status: r.status, nextDueOn: r.nextDueOn, visitDate: r.visitDate, finalReportOn: r.workflow?.finalReportOn });
    const named = r.indexKeys ?? [];
    if (keys.length === named.length && keys.every((k) => named.includes(k))) continue;
    await addIndexKeys(models.CaseIndex, keys);
    const { modifiedCount } = await models.Visit.updateOne({ _id: r._id, projectionVersion: r.projectionVersion ?? -1, indexKeys: named }, { $set: { indexKeys: keys } });
    if (modifiedCount) {
      await removeIndexKeys(models.CaseIndex, named.filter((k) => !keys.includes(k)));
      moved++;
    } else {
      const now = await models.Visit.findById(r._id, { indexKeys: 1 }).lean<{ indexKeys?: string[] }>();
      await removeIndexKeys(models.CaseIndex, keys.filter((k) => !named.includes(k) && !(now?.indexKeys ?? []).includes(k)));
    }
  }
  return { checked: records.length, moved };
}
