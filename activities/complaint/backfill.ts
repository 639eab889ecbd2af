import type { Models } from '../../models';
import { addIndexKeys, removeIndexKeys } from '../../models/case-index';
import { complaintIndexKeys } from '../../records/complaint/lists';

interface StoredComplaint {
  _id: string;
  providerCode: string;
  status: string;
  nextDueOn?: string | null;
  receivedOn?: string | null;
  projectionVersion?: number | null;
  indexKeys?: string[] | null;
  workflow?: {
    closedOn?: string | null;
    outcome?: string | null;
    resolvedInformallyOn?: string | null;
    withdrawnOn?: string | null;
    referredOn?: string | null;
    transferredOn?: string | null;
    timeLimit?: { decision?: string | null; decidedOn?: string | null } | null;
    representative?: { suitable?: boolean | null; decidedOn?: string | null } | null;
  } | null;
}

/**
 * Once, after a key layout is added to the case index (the annual report's, 2026-11-23): give
 * every record the entries its stored fields now put it under. A projection adds them to a case
 * it moves, but a case that never moves again (finished, or idle) would stay out of the report.
 * Reads every record (a full scan: run it once, not per request). As a projection does: the new
 * entries first, then the record names them, on the condition that no projection wrote it since
 * it was read, then the old ones out; a record a projection moved meanwhile keeps what that
 * projection wrote. Safe to repeat.
 */
export async function backfillComplaintIndexKeys(models: Models): Promise<{ checked: number; moved: number }> {
  const records = await models.Complaint.find({}, { providerCode: 1, status: 1, nextDueOn: 1, receivedOn: 1, projectionVersion: 1, indexKeys: 1, workflow: 1 }).lean<StoredComplaint[]>();
  let moved = 0;
  for (const r of records) {
    const w = r.workflow ?? {};
    const keys = complaintIndexKeys({ reference: r._id, providerCode: r.providerCode, status: r.status, nextDueOn: r.nextDueOn, receivedOn: r.receivedOn, closedOn: w.closedOn, withdrawnOn: w.withdrawnOn, referredOn: w.referredOn, transferredOn: w.transferredOn, timeLimit: w.timeLimit, representative: w.representative, outcome: w.outcome, resolvedInformallyOn: w.resolvedInformallyOn });
    const named = r.indexKeys ?? [];
    if (keys.length === named.length && keys.every((k) => named.includes(k))) continue;
    await addIndexKeys(models.CaseIndex, keys);
    const { modifiedCount } = await models.Complaint.updateOne({ _id: r._id, projectionVersion: r.projectionVersion ?? -1, indexKeys: named }, { $set: { indexKeys: keys } });
    if (modifiedCount) {
      await removeIndexKeys(models.CaseIndex, named.filter((k) => !keys.includes(k)));
      moved++;
    } else {
      const now = await models.Complaint.findById(r._id, { indexKeys: 1 }).lean<{ indexKeys?: string[] }>();
      await removeIndexKeys(models.CaseIndex, keys.filter((k) => !named.includes(k) && !(now?.indexKeys ?? []).includes(k)));
    }
  }
  return { checked: records.length, moved };
}
